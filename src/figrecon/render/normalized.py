"""`figrecon normalize`'s outputs (CSV, JSON, NDJSON), made a chunk of rows at a time
from the columns of `loading.export.export_columns`, without a DataFrame, as text that
the command line writes as it comes (`cli.options.write_pieces`).

The CSV has the bytes pandas' `to_csv(index=False, lineterminator="\\n")` gave it: each
cell as Python's csv module writes it (minimal quoting; None as an empty cell, a float
as its repr). Each distinct text of a column is made safe for spreadsheets
(`text.formula_safe`) and quoted once, not once per row: a million claims have a few
hundred thousand distinct texts in all, and most cells need neither. A column that holds
values equal in Python but written differently (1, 1.0 and True) is written cell by
cell."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator
from itertools import islice
from json.encoder import encode_basestring
from numbers import Number
from typing import TYPE_CHECKING, Any, BinaryIO

import numpy as np

from ..loading.export import NUMBERS, export_columns
from ..model.normalized import NORMALIZED_COLUMNS
from ..text import ENCODABLE, FORMULA_FIRST, formula_safe, visible
from .halves import write_halves

if TYPE_CHECKING:
    from ..loading import Claims

CHUNK = 20_000
"""Rows written together: enough that joining them is one step in C, few enough that the
text of a chunk is a few MiB."""

DAYS = ("stated_on", "as_of")
AS_WRITTEN = (*NUMBERS, *DAYS, "line", "retracted")
"""Columns whose cells no spreadsheet would run as a formula: numbers, days, booleans."""

_PLAIN = re.compile(r'[^",\x00-\x1f\x7f]*\Z')
"""A text that the csv module writes as it is (no delimiter, quote or control
character); any other text goes through the csv module itself."""


def normalized_text(columns: dict[str, np.ndarray], format: str) -> Iterator[str]:
    """The rows of `columns` (in `NORMALIZED_COLUMNS`) as csv, json or ndjson text, in
    pieces of up to `CHUNK` rows."""
    n = len(columns["line"])
    yield _opening(format)
    if format != "json":
        yield from _body(columns, format, False)
        return
    # As `json.dumps(rows, indent=2, ensure_ascii=False, default=str)`: each row as it
    # dumps alone, one level further in (a JSON string holds no raw line break).
    yield from _body(columns, format, False)
    yield "\n]\n" if n else "]\n"


HALVES = 200_000
"""Rows from which `write_normalized` has two processes write a half each."""

ARROW_ROWS = 20_000
"""Rows from which `write_normalized` has Arrow join the CSV (`normalized_csv`): below
it, importing pyarrow (about 0.1 s) costs more than it saves."""


def write_normalized(claims: Claims, format: str, out: BinaryIO) -> None:
    """`normalized_text` of the claims' columns (`export_columns`) as UTF-8 to `out`;
    the second half of a large table made and written by a forked process meanwhile
    (`halves`), each process making its own half only: its exported columns, or from
    `ARROW_ROWS` rows its CSV lines, joined by Arrow (`normalized_csv`)."""
    n = len(claims)
    arrow = format == "csv" and n >= ARROW_ROWS
    if n < HALVES:
        if arrow and _write_arrow(claims, (0, n), out, _opening(format).encode("utf-8")):
            return
        for piece in normalized_text(export_columns(claims), format):
            out.write(piece.encode("utf-8"))
        return
    middle = n // 2

    def rows(span: tuple[int, int], to: BinaryIO, after: bool) -> bool:
        if arrow and _write_arrow(claims, span, to):
            return span[1] > span[0]
        return _write_body(format, export_columns(claims, *span), to, after)

    out.write(_opening(format).encode("utf-8"))
    wrote = write_halves((0, middle), (middle, n), rows, out, b"," if format == "json" else b"")
    if format == "json":
        out.write(b"\n]\n" if wrote else b"]\n")


def _write_arrow(
    claims: Claims, span: tuple[int, int], out: BinaryIO, opening: bytes = b""
) -> bool:
    """`opening` and the CSV rows of `span`, joined by Arrow (`normalized_csv`); False,
    with nothing written, where Arrow cannot take a text of them."""
    from .normalized_csv import ArrowCannot, csv_rows

    pieces = csv_rows(claims.columns, *span)
    try:
        first = next(pieces, b"")
    except ArrowCannot:
        return False
    out.write(opening + first)
    for piece in pieces:
        out.write(piece)
    return True


def _opening(format: str) -> str:
    if format == "csv":
        return ",".join(NORMALIZED_COLUMNS) + "\n"
    return "[" if format == "json" else ""


def _write_body(format: str, columns: dict[str, np.ndarray], out: BinaryIO, after: bool) -> bool:
    wrote = False
    for piece in _body(columns, format, after):
        out.write(piece.encode("utf-8"))
        wrote = True
    return wrote


def _body(columns: dict[str, np.ndarray], format: str, after: bool) -> Iterator[str]:
    """The rows, without the opening and closing of the format: JSON's items each
    after a comma but the first (the first too, `after` others)."""
    cells = _cells(columns)
    n = len(columns["line"])
    if format == "csv":
        texts = [csv_texts(name, cells[name]) for name in NORMALIZED_COLUMNS]
        lines = map(",".join, zip(*texts, strict=True))
        for _ in range(0, n, CHUNK):
            yield "\n".join(islice(lines, CHUNK)) + "\n"
        return
    # As `json.dumps(row, ensure_ascii=False, default=str)` writes each row (NDJSON), or
    # `json.dumps(rows, indent=2, ...)` the list (JSON): each cell written on its own
    # (`json_texts`), a chunk of rows at a time, the rows joined around them.
    indent = format == "json"
    opening, fields, closing = _INDENTED if indent else _COMPACT
    first = not after
    for a, z in _chunks(n):
        texts = [json_texts(name, cells[name][a:z], indent) for name in NORMALIZED_COLUMNS]
        rows = [opening + row + closing for row in map(fields.join, zip(*texts, strict=True))]
        if indent:
            yield ("" if first else ",") + ",".join(rows)
        else:
            yield "\n".join(rows) + "\n"
        first = False


_INDENTED = ("\n  {\n    ", ",\n    ", "\n  }")
_COMPACT = ("{", ", ", "}")
"""A JSON row (of the indented list, or alone): its opening, what stands between its
fields, its closing."""


def json_texts(name: str, values: list[Any], indent: bool = True) -> list[str]:
    """Each cell of a column as a field of its JSON row, `"name": value`, as json.dumps
    (ensure_ascii=False, default=str) writes it: in a row of a list indented by two, or
    in a row alone. Not by `json.dumps` of each row: that made a dict per row, and with
    an indent Python's encoder makes closures that refer to each other, which only the
    cyclic collector frees, and the command line runs with it off (`cli.app`): a
    million rows took 16.7 s and 2.5 GB as JSON, 10.2 s as NDJSON. A column of texts is
    written once per distinct text."""
    key = encode_basestring(name) + ": "
    if set(map(type, values)) <= {str, type(None)}:
        distinct = {v: key + ("null" if v is None else encode_basestring(v)) for v in set(values)}
        return list(map(distinct.__getitem__, values))
    return [key + _json_value(v, indent) for v in values]


def _json_value(value: Any, indent: bool) -> str:
    """A value as json.dumps (ensure_ascii=False, default=str) writes it in a row: of a
    list indented by two (`indent`), or alone."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value:
            return "NaN"
        if value in (math.inf, -math.inf):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        if not value:
            return "[]"
        if not indent:
            return "[" + ", ".join(map(encode_basestring, value)) + "]"
        return "[\n      " + ",\n      ".join(map(encode_basestring, value)) + "\n    ]"
    # Anything else (not made by loading), as json writes it.
    if not indent:
        return json.dumps(value, ensure_ascii=False, default=str)
    return json.dumps(value, indent=2, ensure_ascii=False, default=str).replace("\n", "\n    ")


def _chunks(n: int) -> Iterator[tuple[int, int]]:
    for a in range(0, n, CHUNK):
        yield a, min(a + CHUNK, n)


def _cells(columns: dict[str, np.ndarray]) -> dict[str, list[Any]]:
    """Each column as a list of the values JSON writes: days as ISO text."""
    cells: dict[str, list[Any]] = {}
    for name in NORMALIZED_COLUMNS:
        values: list[Any] = columns[name].tolist()
        if name in DAYS:
            # Once per distinct day: a million claims have a few thousand.
            iso = {d: d.isoformat() if isinstance(d, dt.date) else d for d in set(values)}
            values = list(map(iso.__getitem__, values))
        elif name == "file":
            # A name whose bytes are not UTF-8 holds lone surrogates: shown as escapes.
            texts = (f for f in set(values) if isinstance(f, str))
            shown = {f: g for f in texts if (g := visible(f, ENCODABLE)) is not f}
            if shown:
                values = [shown.get(f, f) if isinstance(f, str) else f for f in values]
        cells[name] = values
    return cells


def csv_texts(name: str, values: list[Any]) -> list[str]:
    """Each cell of a column as the CSV writes it."""
    if name == "retracts":
        values = list(map(" ".join, values))
    if name == "line":
        return list(map(str, values))
    safe = name not in AS_WRITTEN
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= {str} and safe and _plain_texts(values):
        return [v or "" for v in values] if None in values else values
    try:
        distinct = set(values)
    except TypeError:  # an unhashable value: each cell on its own
        return [csv_text(v, safe) for v in values]
    if not _written_alike(kinds, values, distinct):
        return [csv_text(v, safe) for v in values]
    texts = {v: csv_text(v, safe) for v in distinct}
    if all(k is v for k, v in texts.items()):
        return values  # every cell is text written as it is
    return list(map(texts.__getitem__, values))


def _plain_texts(values: list[str | None]) -> bool:
    """Whether every cell (text or None) is written as it is: found on the cells joined,
    in C, instead of a look at each (a column of a million distinct ids)."""
    joined = "|".join(filter(None, values))
    if not joined.isprintable() or '"' in joined or "," in joined:
        return False  # a cell that may need quoting (or a false alarm: looked at one by one)
    if not any(first in joined for first in FORMULA_FIRST):
        return True
    starting = {v for v in filter(None, values) if v[0] in FORMULA_FIRST}
    return not any(formula_safe(v) is not v for v in starting)


def _written_alike(kinds: set[type], values: list[Any], distinct: set[Any]) -> bool:
    """Whether values that a set takes for one (equal in Python) are written alike, so
    that each distinct value can be written once: not so for numbers of two types (1,
    1.0 and True) or for a float zero (0.0 and -0.0)."""
    numeric = {kind for kind in kinds if issubclass(kind, Number)}
    if len(numeric) > 1 and (
        numeric != {int, float} or any(isinstance(v, float) and v.is_integer() for v in values)
    ):
        return False
    return not any(isinstance(v, float) and v == 0 for v in distinct)


def csv_text(value: Any, safe: bool) -> str:
    text = quick_text(value, safe)
    if text is not None:
        return text
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow([formula_safe(value) if safe else value, ""])
    return buffer.getvalue()[:-2]  # less the empty last cell's "," and the line's end


def quick_text(value: Any, safe: bool) -> str | None:
    """A cell as the CSV writes it (made formula-safe if `safe`), where that needs no
    csv module: None otherwise."""
    if value is None:
        return ""
    if safe:
        value = formula_safe(value)
    if isinstance(value, str) and value and _PLAIN.match(value):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    return None
