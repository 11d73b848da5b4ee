"""How many cells a spreadsheet's reader would lay out, found before it reads them.

A workbook of a few kilobytes can name a cell in its last row and column (XFD1048576),
or repeat one row a million times and one cell sixteen thousand times (ODS): the
readers behind pandas then lay out every cell of the rectangle, for minutes and tens
of GiB. The sheets' XML is read here as a stream, with nothing kept but counts: the
rows and columns up to the last cell that holds a value (and, for .xlsx, the rectangle
its `dimension` declares, which the reader pads every row to).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import iterparse

MAX_SHEET_CELLS = 30_000_000
"""The most cells (rows times columns) of a sheet figrecon reads: a million claims of
thirty fields. A sheet of claims with more would take some GiB to read."""

CELLS_PER_BYTE = 100
"""The most cells a sheet of over a million cells may lay out per byte of its file. A
sheet's cells take a few bytes each, compressed; a row or cell repeated a million times
takes a few bytes in all (an .ods file of 904 bytes made a million rows of claims)."""

_REF = re.compile(r"([A-Z]{1,3})(\d+)")


def sheet_extent(fmt: str, data: bytes) -> tuple[int, int]:
    """The largest (rows, columns) the reader of a workbook would lay out in one sheet
    (the largest of each over its sheets); (0, 0) when the workbook cannot be read this
    way (the reader then says why)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            if fmt == "xlsx":
                names = [n for n in book.namelist() if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)]
                extents = [_xlsx(book.open(n)) for n in names]
            else:
                extents = list(_ods(book.open("content.xml")))
    except Exception:  # a damaged file: the reader reports it
        return 0, 0
    return max((r for r, _ in extents), default=0), max((c for _, c in extents), default=0)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _xlsx(stream: IO[bytes]) -> tuple[int, int]:
    """The rows and columns of one .xlsx worksheet: its declared dimension, or its last
    cell with a value, whichever is larger."""
    rows = columns = 0
    for _, element in iterparse(stream, events=("end",)):
        tag = _local(element.tag)
        if tag == "dimension":
            ends = [_REF.fullmatch(p.replace("$", "")) for p in element.get("ref", "").split(":")]
            if ends and all(ends):
                rows = max(rows, *(int(m.group(2)) for m in ends if m))
                columns = max(columns, *(_column(m.group(1)) for m in ends if m))
        elif tag == "c":
            ref = _REF.fullmatch(element.get("r", ""))
            if ref is not None and len(element):
                rows = max(rows, int(ref.group(2)))
                columns = max(columns, _column(ref.group(1)))
            element.clear()
        elif tag == "row":
            element.clear()
    return rows, columns


def _ods(stream: IO[bytes]) -> Iterator[tuple[int, int]]:
    """The rows and columns of each table of an .ods file's content, repeats counted:
    up to the last row and the last cell that hold a value."""
    rows = last_row = columns = 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "table":
                rows = last_row = columns = 0
            continue
        if tag == "table-row":
            repeat = _repeat(element, "number-rows-repeated")
            width = position = 0
            for cell in element:
                position += _repeat(cell, "number-columns-repeated")
                if _holds_value(cell):
                    width = position
            rows += repeat
            if width:
                last_row, columns = rows, max(columns, width)
            element.clear()
        elif tag == "table":
            yield last_row, columns
            element.clear()


def _repeat(element: Any, name: str) -> int:
    for key, value in element.items():
        if _local(key) == name:
            try:
                return max(1, int(value))
            except ValueError:
                return 1
    return 1


def _holds_value(cell: Any) -> bool:
    return any(_local(k) == "value-type" for k in cell.keys()) or len(cell) > 0  # noqa: SIM118
