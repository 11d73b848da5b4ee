"""How many cells a spreadsheet's reader would lay out, found before it reads them.

A workbook of a few kilobytes can hold a value in its last row and column (XFD1048576),
or repeat one row a million times (ODS): the readers behind pandas then lay out every
cell of the rectangle up to the last value, for minutes and tens of GiB. Each sheet's
XML is read here as a stream, with nothing kept but counts: the rows and columns up to
its last cell with a value (an empty cell, formatted or not, is laid out by no reader).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import fromstring, iterparse

MAX_SHEET_CELLS = 30_000_000
"""The most cells (rows times columns) of a sheet figrecon reads: a million claims of
thirty fields. A sheet of claims with more would take some GiB to read."""

CELLS_PER_BYTE = 100
"""The most cells a sheet of over a million cells may lay out per byte of its file. A
sheet's cells take a few bytes each, compressed; a row repeated a million times takes a
few bytes in all (an .ods file of 904 bytes made a million rows of claims)."""

_CELL = re.compile(rb'<(?:\w+:)?c\s(?:[^>]*?\s)?r="([A-Z]{1,3})([0-9]{1,7})"[^>]*(?<!/)>')
"""An .xlsx cell that is not empty (`<c r="B7" t="s">...</c>`, not `<c r="B7" s="1"/>`)."""

_CHUNK = 2**24


def sheet_extents(fmt: str, data: bytes, sheet: str | None = None) -> list[tuple[str, int, int]]:
    """(name, rows, columns) of each sheet the reader would lay out (the one named
    `sheet` alone, when given): up to its last cell with a value. Empty when the
    workbook cannot be read this way (the reader then says why)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            found = list(_xlsx(book) if fmt == "xlsx" else _ods(book.open("content.xml")))
    except Exception:  # a damaged file: the reader reports it
        return []
    return [s for s in found if sheet is None or s[0] == sheet]


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _xlsx(book: zipfile.ZipFile) -> Iterator[tuple[str, int, int]]:
    """Each worksheet of an .xlsx workbook by its name (`xl/workbook.xml` and its
    relationships say which part holds it)."""
    targets: dict[str | None, str] = {}
    for rel in fromstring(book.read("xl/_rels/workbook.xml.rels")):
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    for element in fromstring(book.read("xl/workbook.xml")).iter():
        if _local(element.tag) != "sheet":
            continue
        rid = next((v for k, v in element.items() if _local(k) == "id"), None)
        part = targets.get(rid)
        if part is not None:
            with book.open(part) as stream:
                yield (str(element.get("name")), *_cells(stream))


def _cells(stream: IO[bytes]) -> tuple[int, int]:
    """The rows and columns of one worksheet up to its last cell with a value: read a
    chunk at a time by a pattern (rows come in order, so the last cell's row is the
    last row), with the distinct column letters kept."""
    rows, tail = 0, b""
    letters: set[bytes] = set()
    while True:
        chunk = stream.read(_CHUNK)
        text = tail + chunk
        cut = text.rfind(b"<") if chunk else len(text)
        part, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
        found = _CELL.findall(part)
        if found:
            letters.update(column for column, _ in found)
            rows = max(rows, int(found[-1][1]))
        if not chunk:
            break
    return rows, max((_column(c) for c in letters), default=0)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _ods(stream: IO[bytes]) -> Iterator[tuple[str, int, int]]:
    """Each table of an .ods file's content by its name, repeats counted: up to the last
    row and the last cell with a value (a cell without a value type is empty to the
    reader, whatever it holds)."""
    name, rows, last_row, columns = "", 0, 0, 0
    for event, element in iterparse(stream, events=("start", "end")):
        tag = _local(element.tag)
        if event == "start":
            if tag == "table":
                name = next((v for k, v in element.items() if _local(k) == "name"), "")
                rows = last_row = columns = 0
            continue
        if tag == "table-row":
            width = position = 0
            for cell in element:
                position += _repeat(cell, "number-columns-repeated")
                if any(_local(k) == "value-type" for k in cell.keys()):  # noqa: SIM118
                    width = position
            rows += _repeat(element, "number-rows-repeated")
            if width:
                last_row, columns = rows, max(columns, width)
            element.clear()
        elif tag == "table":
            yield name, last_row, columns
            element.clear()


def _repeat(element: Any, name: str) -> int:
    for key, value in element.items():
        if _local(key) == name:
            try:
                return max(1, int(value))
            except ValueError:
                return 1
    return 1
