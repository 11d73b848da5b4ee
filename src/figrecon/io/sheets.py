"""Reading spreadsheets (.xlsx through openpyxl, .ods through odfpy, both by pandas):
every sheet, or the one `--sheet` names, is a table of claims as a CSV file is, its
header in the first row. A sheet is read under the name FILE:SHEET, so that what is
found in it is located FILE:SHEET!ROW, as a spreadsheet writes a place.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from typing import Any, Literal

from ..errors import did_you_mean
from ..model import sheet_name
from .csv import header_columns, table_rows
from .records import FileRecords, error

ENGINES: dict[str, Literal["openpyxl", "odf"]] = {"xlsx": "openpyxl", "ods": "odf"}
"""The pandas engine (and the library behind it) that reads each kind of spreadsheet."""


def read_sheets(fmt: str, name: str, data: bytes, sheet: str | None = None) -> list[FileRecords]:
    """The claims of each sheet of a workbook (of the sheet named `sheet` alone, when
    given); a sheet without a cell holds no claims."""
    sheets = sheet_cells(fmt, name, data, sheet)
    if isinstance(sheets, FileRecords):
        return [sheets]
    return [sheet_records(label, cells) for label, cells in sheets]


def sheet_cells(
    fmt: str, name: str, data: bytes, sheet: str | None = None
) -> list[tuple[str, Any]] | FileRecords:
    """Each sheet of a workbook (the one named `sheet` alone, when given) under its name
    FILE:SHEET, with its cells as the text they show (a frame, empty for a sheet without
    a cell); or the records of the located reason it cannot be read."""
    import pandas as pd

    too_large = _too_large(name, fmt, data, sheet)
    if too_large is not None:
        return too_large
    try:
        book = pd.ExcelFile(io.BytesIO(data), engine=ENGINES[fmt])
    except Exception as exc:
        return _unreadable(name, fmt, exc)
    with book:
        names = [str(s) for s in book.sheet_names]
        if sheet is not None and sheet not in names:
            return _refused(
                name,
                f"no sheet named `{sheet}`{did_you_mean(sheet, names)}",
                f"its sheets are {', '.join(names)}; or leave out --sheet to read every sheet",
            )
        wanted = [sheet] if sheet is not None else names
        out = []
        for one in wanted:
            try:
                frame = pd.read_excel(book, sheet_name=one, header=None, dtype=object)
            except Exception as exc:
                return _unreadable(name, fmt, exc)
            out.append((sheet_name(name, one), frame if frame.empty else frame.map(cell_text)))
        return out


def cells_csv(cells: Any) -> str:
    """A sheet's cells (as text) as the text of a CSV file, a row per line (a cell with a
    line break, a comma or a quote in quotes), for the readers of event datasets."""
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(cells.itertuples(index=False, name=None))
    return out.getvalue()


def sheet_records(name: str, cells: Any) -> FileRecords:
    """One sheet's rows as a CSV file's: every cell as the text it shows."""
    out = FileRecords(name)
    if cells.empty:
        return out
    header = header_columns(name, cells.iloc[0].tolist(), out, "spreadsheet-error")
    if header is None:
        return out
    import numpy as np

    body = [cells.iloc[1:, j].to_numpy(dtype=object) for j in range(cells.shape[1])]
    table_rows(name, body, *header, np.arange(2, len(cells) + 1), out)
    return out


def cell_text(value: Any) -> str:
    """A cell as a claim file writes it: a whole number without `.0`, a date as
    YYYY-MM-DD (a date and time in ISO form), a truth value as true or false."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _too_large(name: str, fmt: str, data: bytes, sheet: str | None) -> FileRecords | None:
    """A workbook with a sheet to read (all, or the one named `sheet`) that its reader
    would lay out over more columns or cells than figrecon reads (`extent`), refused
    before it is: a few kilobytes can put a value in the last row and column."""
    from .extent import CELLS_PER_BYTE, MAX_SHEET_CELLS, sheet_extents
    from .limits import MAX_FIELDS, size_text

    for label, rows, columns in sheet_extents(fmt, data, sheet):
        cells = rows * columns
        if columns > MAX_FIELDS:
            what = f"{columns:,} columns, more than the {MAX_FIELDS:,} figrecon reads"
        elif cells > MAX_SHEET_CELLS:
            what = f"{rows:,} rows of {columns:,} columns, more than the {MAX_SHEET_CELLS:,}"
            what += " cells figrecon reads"
        elif cells > 1_000_000 and cells > CELLS_PER_BYTE * len(data):
            what = (
                f"{rows:,} rows of {columns:,} columns from a file of {size_text(len(data))}: "
                "values far from the claims, or rows repeated"
            )
        else:
            continue
        return FileRecords(
            name,
            findings=[
                error(
                    "over-limit",
                    name,
                    None,
                    f"the sheet `{label}` spans {what}",
                    "check that this is the file you meant; delete the values far below or "
                    "to the right of the claims, or save the sheet as CSV",
                )
            ],
        )
    return None


def _unreadable(name: str, fmt: str, exc: Exception) -> FileRecords:
    return _refused(
        name,
        f"not a readable .{fmt} spreadsheet ({type(exc).__name__}: {exc})",
        "check that this is the file you meant, or save it again (or as CSV)",
    )


def _refused(name: str, message: str, hint: str) -> FileRecords:
    """A workbook that gives no rows: one `spreadsheet-error` about it."""
    return FileRecords(name, findings=[error("spreadsheet-error", name, None, message, hint)])
