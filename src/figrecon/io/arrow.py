"""Reading large NDJSON files and JSON arrays of flat claims with Arrow's JSON reader, in
columns, with one Python string per distinct text; and Arrow text columns as object
arrays (for CSV as well).

The reader takes a file only when what it reads is exactly what `io.json` would read:
every value of a claim field a JSON string or null (or, in value, low, high and best,
an integer), at most USER_FIELDS user fields (`x_`), all strings, no other field, no key
given twice, each claim on a line of its own, and no bracket or brace but the claims'
own. Anything else, and any file Arrow refuses, is read by `io.json`, which checks and
locates every problem. The result differs from `io.json`'s in one way that nothing
downstream sees: a field given as null and a field left out are the same missing value
(`loading.builder` treats them alike for claim fields and drops user fields).

Arrow is kept from input that ends the process or fills the memory (pyarrow 26): it is
never shown a nested value (thousands deep, a segmentation fault), a claim over several
lines (its reader of those aborts on some bad JSON at the edge of a block), nor many
user fields (its columns are dense), and reads with one thread (with more, a file it
refused aborted the process now and then). `tests/test_arrow_json.py` holds each.
"""

from __future__ import annotations

import io
import re
from typing import Any

import numpy as np

from ..columns import factored, object_array
from .records import FileRecords

ARROW_JSON = 4_000_000
"""Characters from which a JSON or NDJSON file is read by Arrow: below it, importing
pyarrow (about 0.1 s) costs more than reading the claims in Python saves."""

_BLOCK = 2**20
"""Bytes Arrow parses at a time. No claim may straddle two blocks: one that does makes
Arrow refuse the file, and `io.json` reads it."""

_SAMPLE = 20_000
"""Cells of a column looked at to tell a column of mostly distinct texts (ids, links)."""

_BETWEEN = re.compile(rb"\}[ \t\r\n]*,[ \t\r\n]*\{")
"""The comma between two claims of a JSON array (once no text holds a brace)."""


def arrow_texts(array: Any) -> np.ndarray:
    """An Arrow text array as an object array of Python strings, None where missing. A
    column of few distinct texts makes one string per distinct text, shared by its cells
    (less memory, and cheaper to factorize later: its codes are recorded with
    `columns.factored`); a column of mostly distinct texts (ids, links) is converted
    cell by cell, as hashing it would cost more than it saves."""
    head = array.slice(0, _SAMPLE).dictionary_encode()
    if 2 * len(head.dictionary) > len(head):
        texts: np.ndarray = array.to_numpy(zero_copy_only=False)
        return texts
    encoded = array.dictionary_encode()
    # The dictionary numbers the texts in the order they first appear, as `factorize`;
    # a missing cell (code -1) takes the None put after the last text.
    table = object_array([*encoded.dictionary.to_pylist(), None])
    codes = encoded.indices.fill_null(-1).to_numpy().astype(np.int64)
    out: np.ndarray = table[codes]
    factored(out, codes, table[:-1])
    return out


def arrow_json(name: str, text: str, *, array: bool) -> FileRecords | None:
    """The claims of an NDJSON file (or, `array`, a JSON file that is an array of flat
    claims) read by Arrow, as `table` columns with the line of each claim; None when the
    file is small or not one that Arrow reads exactly as `io.json` does."""
    if len(text) < ARROW_JSON:
        return None
    import pyarrow as pa

    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if array:
        found = _array_body(data)
        if found is None:
            return None
        lines = _brace_lines(data)
        data, claims = found
    elif _one_claim_a_line(text):
        claims = text.count("\n{") + 1
        lines = np.arange(1, claims + 1, dtype=np.int64)
    else:
        return None
    read = _read(data)
    del data
    if read is None or read.num_rows != claims:
        return None
    out = FileRecords(name)
    out.table = {}
    for field in read.schema:
        column = read.column(field.name).combine_chunks()
        if column.null_count == len(column):
            continue  # a field no claim gives is left out
        if pa.types.is_integer(column.type):  # as the JSON decoder gives them
            out.table[field.name] = object_array(column.to_pylist())
        else:
            out.table[field.name] = arrow_texts(column)
    del read
    pa.default_memory_pool().release_unused()
    out.row_lines = lines
    out.field_lines = [{}] * claims
    return out


USER_FIELDS = 32
"""User fields (`x_`) beyond which a file is left to `io.json`: every field is a column
as long as the file, and Arrow's are dense where `io.json` keeps only the cells given
(a claim of 9,000 user fields above 120,000 plain claims took Arrow 21 GiB)."""

_NUMBERS = ("value", "low", "high", "best")
"""The claim fields a JSON number may give: read as integers when one does."""

_NUMBER_IN = re.compile(r"Column\(/([a-z]+)\) changed from string to number")


def _read(data: bytes) -> Any:
    """The claims as an Arrow table: every claim field, and the user fields (`x_`), read
    as text, or as integers in `_NUMBERS` where a claim gives a number there; None when
    any other value is no text (a number elsewhere, a fraction, a truth value, a list or
    mapping), a field is unknown (reported even when empty), or Arrow refuses the file
    (bad JSON, a key given twice, a claim longer than a block).

    The fields are those of the claims in the first block: a user field (or a number
    field that gives numbers) first given after it makes Arrow refuse the file. So the
    columns Arrow builds are known after one block, and held to the claim fields and
    USER_FIELDS user fields."""
    import pyarrow as pa
    import pyarrow.json as pj

    from ..model import CLAIM_FIELDS

    texts = [*CLAIM_FIELDS]
    for _ in range(len(_NUMBERS) + 2):
        # Read again when Arrow meets a number in a field it was told holds text (in
        # `_NUMBERS`: left to Arrow then), or takes a text that looks like a date or a
        # time for one in a field it was not told about (read as text then).
        schema = pa.schema([(field, pa.string()) for field in texts])
        try:
            reader = pj.open_json(
                io.BytesIO(data),
                # One thread: with more, a file Arrow refuses ended the process now and
                # then ("terminate called without an active exception"), about once in
                # fifty bad files; reading a million claims takes 0.9 s more.
                read_options=pj.ReadOptions(block_size=_BLOCK, use_threads=False),
                parse_options=pj.ParseOptions(
                    explicit_schema=schema,
                    unexpected_field_behavior="infer",
                    newlines_in_values=False,
                ),
            )
            if len(reader.schema) > len(CLAIM_FIELDS) + USER_FIELDS:
                return None
            times = []
            for field in reader.schema:
                if not (field.name in CLAIM_FIELDS or field.name.startswith("x_")):
                    return None
                if pa.types.is_timestamp(field.type):
                    times.append(field.name)
                elif field.type == pa.int64() and field.name in _NUMBERS:
                    continue
                elif field.type not in (pa.string(), pa.null()):
                    return None
            if not times:
                return reader.read_all()
        except pa.ArrowException as exc:
            number = _NUMBER_IN.search(str(exc))
            if number is None or number.group(1) not in _NUMBERS or number.group(1) not in texts:
                return None
            texts.remove(number.group(1))
            continue
        texts += times
    return None


def _one_claim_a_line(text: str) -> bool:
    """Whether every line of an NDJSON text starts a claim (no blank line, and no line
    that starts otherwise: Arrow then finds as many claims as lines, or refuses), and
    no value can be a list or a mapping: the only braces are the claims' own, and there
    is no bracket at all. Arrow is never shown a nested value: nesting thousands deep
    takes it time that grows with the square of the depth, then crashes the process."""
    if not text.startswith("{") or "\n\n" in text or "[" in text:
        return False
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    return text.count("\n{") + 1 == lines == text.count("{") == text.count("}")


def _array_body(data: bytes) -> tuple[bytes, int] | None:
    """The claims of a JSON array as Arrow reads them, one claim a line: the array's
    brackets made blanks and each comma between claims (with the blanks around it) a
    line break, with the number of braces that open an object; None when the file is
    not an array of objects, when a value may be a list or a mapping, or when texts
    hold braces that make the counts disagree.

    The braces are all claims' only if Arrow then reads as many claims as there are
    braces (a brace in a text opens no claim): `arrow_json` checks it. A claim written
    over several lines (an indented file) makes Arrow refuse the file, as Arrow is run
    with one claim to a line: its reader of values over several lines can end the
    process on some bad JSON at the edge of a block, where Python's reader gives a
    located finding."""
    body = data.strip(b" \t\r\n")
    opens = body.count(b"{")
    if not body.startswith(b"[") or not body.endswith(b"]") or not opens:
        return None
    if body.count(b"}") != opens or body.count(b"[") != 1 or body.count(b"]") != 1:
        return None
    lead = len(data) - len(data.lstrip(b" \t\r\n"))
    lined, commas = _BETWEEN.subn(b"}\n{", data)
    if commas != opens - 1:
        return None  # a mapping in a value: Arrow is never shown one (see NDJSON)
    first, last = lined.index(b"{"), lined.rindex(b"}")
    if lined.count(b"\n", first, last) != opens - 1 or lined.count(b"\r", first, last):
        return None  # a claim over several lines
    end = len(lined.rstrip(b" \t\r\n")) - 1
    spaced = bytearray(lined)
    spaced[lead] = spaced[end] = ord(" ")
    return bytes(spaced), opens


def _brace_lines(data: bytes) -> np.ndarray:
    """The line of each opening brace (of each claim, once `arrow_json` has checked that
    every brace opens one): `io.json.line_numbers`, in numpy rather than one offset at
    a time in Python."""
    if b"\n" not in data:
        return np.ones(data.count(b"{"), dtype=np.int64)
    raw = np.frombuffer(data, dtype=np.uint8)
    starts = np.flatnonzero(raw == ord("{"))
    breaks = np.flatnonzero(raw == ord("\n"))
    out: np.ndarray = np.searchsorted(breaks, starts) + 1
    return out.astype(np.int64)
