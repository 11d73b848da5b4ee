"""Claims from the field's event datasets: UCDP GED, ACLED and HXL-tagged files.

Each format maps its columns onto what a claim needs (an `events.Layout`); `events` reads
them and `aggregate` sums the events into one claim per figure key, the same way for all
three. The claims enter the ordinary loading path as the records of a file
(`records_of`), so every command reads an event dataset as it reads claims; `figrecon
import` writes them out.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .options import ImportOptions, import_options

if TYPE_CHECKING:
    import pyarrow as pa

    from ...model import Finding
    from .aggregate import CLAIM_COLUMNS, Summed, claims_of, records_of
    from .events import Format

    FORMATS: dict[str, Format]
    """The event datasets figrecon reads, by their --input-format name."""

# The readers are imported when first asked for: the options (`--by`, `--where`, ...) are
# read for every command, and a claim file needs no event reader.
_LAZY = {
    "CLAIM_COLUMNS": ".aggregate",
    "Summed": ".aggregate",
    "claims_of": ".aggregate",
    "records_of": ".aggregate",
    "Format": ".events",
}


def __getattr__(name: str) -> Any:
    if name == "FORMATS":
        return _formats()
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@functools.cache
def _formats() -> dict[str, Format]:
    from . import acled, hxl, ucdp

    return {f.name: f for f in (ucdp.FORMAT, acled.FORMAT, hxl.FORMAT)}


def detect(rows: list[list[str]]) -> str | None:
    """The event dataset that the first rows of a CSV file can only be, if any. A file
    with HXL hashtags is read by them, though its names be GED's or ACLED's (HDX's copies
    of ACLED's files)."""
    matches = [name for name, fmt in _formats().items() if fmt.detect(rows)]
    if "hxl" in matches:
        return "hxl"
    return matches[0] if len(matches) == 1 else None


def import_csv(
    path: str,
    fmt: str,
    options: ImportOptions,
    encoding: str = "utf-8-sig",
    max_size: int | None = None,
) -> tuple[str, list[Finding], int]:
    """The claims of one event dataset file (`-`: stdin) as the text of a claim CSV, what
    the import found (notes and warnings), and the number of claims. Raises InputError
    with every located problem when the file cannot be imported."""
    from ...errors import InputError, UsageError
    from ...model import Severity
    from ..files import check_encoding, expand, read_bytes
    from ..formats import dataset_claims, sheet_format
    from ..limits import MAX_INPUT_SIZE

    check_encoding(encoding)
    files, problems = expand([path])
    if problems:
        raise InputError(problems)
    if len(files) != 1 or (files[0][1] is not None and Path(path).is_dir()):
        raise UsageError(f"{path}: that is a folder; import reads one file")
    name, file = files[0]
    spreadsheet = sheet_format(file, None)
    raw, problem = read_bytes(
        name,
        file,
        encoding,
        MAX_INPUT_SIZE if max_size is None else max_size,
        text=spreadsheet is None,
    )
    if raw is None:
        raise InputError([problem] if problem else [])
    if spreadsheet is not None:
        summed = _workbook_claims(name, bytes(raw.data), spreadsheet, fmt, options)
    else:
        summed = dataset_claims(name, raw, encoding, _formats()[fmt], options)
    errors = [f for f in summed.findings if f.severity == Severity.error]
    if errors or summed.table is None:
        raise InputError(errors or summed.findings)
    return claims_csv(summed.table.drop_columns("row")), summed.findings, summed.table.num_rows


def _workbook_claims(
    name: str, data: bytes, spreadsheet: str, fmt: str, options: ImportOptions
) -> Summed:
    """The claims of the one sheet of a workbook that holds the events: its only sheet
    with cells, or the only one whose header is the dataset's."""
    from ...errors import InputError, UsageError
    from ...io.records import FileRecords
    from ..formats import sheet_dataset
    from ..sheets import sheet_cells
    from .events import HEADER_SCAN

    sheets = sheet_cells(spreadsheet, name, data)
    if isinstance(sheets, FileRecords):
        raise InputError(sheets.findings)
    filled = [(label, cells) for label, cells in sheets if not cells.empty]
    if len(filled) > 1:
        detect = _formats()[fmt].detect
        filled = [
            (label, cells)
            for label, cells in filled
            if detect(cells.iloc[:HEADER_SCAN].values.tolist())
        ] or filled
    if len(filled) != 1:
        which = ", ".join(label.rpartition(":")[2] for label, _ in filled) or "none"
        raise UsageError(
            f"{name}: import reads the one sheet of events, and this workbook has "
            f"{len(filled)} with cells ({which}); save the sheet to import as CSV"
        )
    label, cells = filled[0]
    summed = sheet_dataset(label, cells, fmt, options)
    assert summed is not None
    return summed


def claims_csv(table: pa.Table) -> str:
    """Claims as a CSV file figrecon reads back, safe to open in a spreadsheet: written by
    pyarrow (which quotes all text) from the arrow arrays of the import."""
    import io

    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    from ...text import FORMULA_START
    from .aggregate import DATA_TEXT

    for name in DATA_TEXT:
        cells = table[name]
        risky = pc.match_substring_regex(cells, FORMULA_START)
        if pc.any(risky).as_py():
            marked = pc.binary_join_element_wise("'", cells, "")
            at = table.column_names.index(name)
            table = table.set_column(at, name, pc.if_else(risky, marked, cells))
    out = io.BytesIO()
    pacsv.write_csv(table, out)
    return out.getvalue().decode("utf-8")


__all__ = [
    "CLAIM_COLUMNS",
    "FORMATS",
    "Format",
    "ImportOptions",
    "Summed",
    "claims_csv",
    "claims_of",
    "detect",
    "import_csv",
    "import_options",
    "records_of",
]
