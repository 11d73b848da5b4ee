"""`figrecon normalize`'s CSV of a large table, joined by Arrow: the bytes
`render.normalized` writes, made without a Python string per cell.

Each column becomes the texts of its distinct values (each written as
`normalized.csv_text` writes it, so quoted and made formula-safe once) and a code per
row; Arrow gathers each chunk's cells by their codes and joins them into lines in C++.
A column of texts that need no change (ids, links) goes to Arrow as it is. In a half of
a million claims (28 columns) the Python writer took 2.4-2.5 s for the cells and their
join, this 1.2 s (`normalize -o` at a million claims: 5.8 s against 7.5 s).

A column that holds values equal in Python but written differently (1, 1.0 and True;
0.0 and -0.0), or a value that cannot be hashed, is written cell by cell by the Python
writer's own code; a text that UTF-8 cannot hold leaves the whole table to the Python
writer (`ArrowCannot`). The bytes are the same either way (`tests/test_normalized.py`
holds them)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator, Mapping
from numbers import Number
from typing import Any

import numpy as np

from ..columns import factorize, isna, known_factors, object_array
from ..loading.export import NUMBERS, numbers
from ..model.normalized import NORMALIZED_COLUMNS
from ..text import FORMULA_START, formula_safe
from .normalized import AS_WRITTEN, DAYS, csv_text, csv_texts, quick_text

CHUNK = 65_536
"""Rows joined at a time: a few MiB of text."""

Coded = tuple[np.ndarray | None, Any]
"""A column of a span: the codes of its rows and the Arrow texts they index, or (no
codes) the Arrow texts of the rows themselves."""


class ArrowCannot(Exception):
    """A text Arrow cannot hold (a lone surrogate, which UTF-8 cannot encode): the table
    is the Python writer's."""


def csv_rows(columns: Mapping[str, np.ndarray | None], start: int, stop: int) -> Iterator[bytes]:
    """The CSV lines (each with its line end) of the rows `start` to `stop` of `columns`,
    in `NORMALIZED_COLUMNS`, a chunk at a time. `columns` are the claims' own columns
    (`Claims.columns`: a missing one is empty) or those of
    `loading.export.export_columns`: the cells are those `export_columns` makes of
    them. Raises ArrowCannot, before any line, when Arrow cannot take a text."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = max(stop - start, 0)
    try:
        coded = [_coded(name, columns.get(name), start, stop) for name in NORMALIZED_COLUMNS]
    except UnicodeError as e:  # a lone surrogate, say
        raise ArrowCannot(str(e)) from e
    for a in range(0, n, CHUNK):
        z = min(a + CHUNK, n)
        cells = [
            texts.slice(a, z - a) if codes is None else texts.take(pa.array(codes[a:z]))
            for codes, texts in coded
        ]
        rows = pc.binary_join_element_wise(*cells, pa.scalar(",", pa.large_string()))
        end = pa.scalar("\n", pa.large_string())
        yield _data(pc.binary_join_element_wise(rows, pa.scalar("", pa.large_string()), end))


def _data(array: Any) -> bytes:
    """The texts of an Arrow array of large strings, one after the other."""
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)
    first, last = offsets[array.offset], offsets[array.offset + len(array)]
    return bytes(memoryview(array.buffers()[2])[first:last])


def _coded(name: str, whole: np.ndarray | None, start: int, stop: int) -> Coded:
    import pyarrow as pa

    n = max(stop - start, 0)
    if whole is None:  # a column no claim has: every cell empty
        return np.zeros(n, dtype=np.int32), pa.array([""], pa.large_string())
    values = whole[start:stop]
    if name == "line" and values.dtype.kind in "iu":
        return None, pa.array(values).cast(pa.large_string())
    if name in NUMBERS and values.dtype.kind in "fiub":
        # Each distinct number as `export.numbers` gives it (NaN, coded -1, and ±inf as
        # None; 0.0 and -0.0 both whole: 0), written once.
        codes, distinct = factorize(values.astype(float))
        return _indexed(codes, [csv_text(v, False) for v in numbers(distinct).tolist()])
    safe = name not in AS_WRITTEN
    known = known_factors(whole)
    # A whole column's distinct values stand for a part of it only if each is written
    # as every value equal to it is: texts, days (the first of 1 and True would write a
    # part's True as 1).
    if known is not None and not any(isinstance(v, Number) for v in known[1].tolist()):
        codes, distinct = known[0][start:stop], known[1]
    else:
        if safe and name != "retracts" and _mostly_distinct(values):
            texts = _plain(values)
            if texts is not None:
                return None, texts
        try:
            codes, distinct = factorize(values)
        except TypeError:  # an unhashable value: the Python writer's way
            return _as_written(name, values)
    if not _alike(distinct, values):
        return _as_written(name, values)
    return _indexed(codes, _csv_cells([_cell(name, v) for v in distinct.tolist()], safe))


def _indexed(codes: np.ndarray, texts: list[str]) -> Coded:
    """Codes into `texts`, a missing value's (-1) to the empty text put after them."""
    import pyarrow as pa

    at = np.where(codes < 0, len(texts), codes).astype(np.int32)
    return at, pa.array([*texts, ""], pa.large_string())


_SAMPLE = 2_000
"""Cells looked at to tell a column of mostly distinct texts (ids, links)."""


def _mostly_distinct(values: np.ndarray) -> bool:
    """As `io.arrow.arrow_texts` tells such a column: over half its first cells distinct."""
    head = values[:_SAMPLE].tolist()
    try:
        return 2 * len(set(head)) > len(head)
    except TypeError:
        return False


def _plain(values: np.ndarray) -> Any:
    """The cells as Arrow texts if all are texts (or missing) written as they are: no
    quote, comma or control character, and no formula start (`text.formula_safe`);
    else None."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        texts = pa.array(values, from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # not all of one type
        return None
    if not (pa.types.is_string(texts.type) or pa.types.is_large_string(texts.type)):
        return None  # not texts (bytes, which the csv module writes as b'...', say)
    texts = texts.cast(pa.large_string())
    for pattern in ('[",\\x00-\\x1f\\x7f]', FORMULA_START):
        if pc.any(pc.match_substring_regex(texts, pattern)).as_py():
            return None
    return texts.fill_null("")


def _csv_cells(values: list[Any], safe: bool) -> list[str]:
    """`csv_text` of each value, the ones the csv module must write written by one
    writer (one made per value took most of the time for a few thousand phrases)."""
    out = [quick_text(v, safe) for v in values]
    rest = [i for i, text in enumerate(out) if text is None]
    if rest:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        ends = []
        for i in rest:
            value = formula_safe(values[i]) if safe else values[i]
            writer.writerow([value, ""])
            ends.append(buffer.tell())
        written = buffer.getvalue()
        begin = 0
        for i, end in zip(rest, ends, strict=True):
            out[i] = written[begin : end - 2]  # less the empty last cell's "," and "\n"
            begin = end
    return out  # type: ignore[return-value]


def _cell(name: str, value: Any) -> Any:
    """A distinct value as `normalized` writes its cells: lists of ids joined by spaces,
    days as ISO text."""
    if name == "retracts":
        return " ".join(value)
    if name in DAYS and isinstance(value, dt.date):
        return value.isoformat()
    return value


def _alike(distinct: np.ndarray, values: np.ndarray) -> bool:
    """Whether the cells a distinct value stands for are all written as it is: only
    numbers of different types can be equal (1, 1.0 and True), or differ in sign (0.0
    and -0.0); no number among the distinct values, none among the cells."""
    if not any(isinstance(v, Number) for v in distinct.tolist()):
        return True
    kinds = {type(v) for v in values.tolist()} - {type(None)}
    numeric = {kind for kind in kinds if issubclass(kind, Number)}
    if len(numeric) > 1:
        return False
    return not any(isinstance(v, float) and v == 0 for v in distinct.tolist())


def _as_written(name: str, values: np.ndarray) -> Coded:
    """A column the Python writer writes, cell by cell, as `export_columns` makes it."""
    import pyarrow as pa

    cells = object_array(values.tolist())
    cells[isna(cells)] = None
    listed: list[Any] = [_cell(name, v) if name in DAYS else v for v in cells.tolist()]
    return None, pa.array(csv_texts(name, listed), pa.large_string())
