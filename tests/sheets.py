"""Spreadsheets made from CSV twins, as a spreadsheet program saves them: numbers in
number cells, dates in date cells, the rest as text."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Any

ENGINES = {"xlsx": "openpyxl", "ods": "odf"}


def typed(cell: str) -> Any:
    """A CSV cell as a spreadsheet holds it once typed in."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return dt.datetime.fromisoformat(cell)
    if re.fullmatch(r"\d+", cell):
        return int(cell)
    return cell or None


def workbook(target: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A workbook (.xlsx or .ods, by the suffix) holding these sheets of rows."""
    import pandas as pd

    with pd.ExcelWriter(target, engine=ENGINES[target.suffix[1:]]) as writer:
        for name, rows in sheets.items():
            pd.DataFrame(rows).to_excel(writer, sheet_name=name, header=False, index=False)
    return target


def rows_of(csv_path: Path) -> list[list[Any]]:
    with csv_path.open(encoding="utf-8", newline="") as handle:
        return [[typed(cell) for cell in row] for row in csv.reader(handle)]


def twin(csv_path: Path, target: Path, sheet: str = "Claims") -> Path:
    """The CSV file's rows as a one-sheet workbook."""
    return workbook(target, {sheet: rows_of(csv_path)})
