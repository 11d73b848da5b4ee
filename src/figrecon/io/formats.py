"""The one table of input formats: each format's name and reader, and how a file's
format is told from its name or first bytes.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .csv import delimiter_of, read_csv
from .files import CLAIM_SUFFIXES, Raw, decode, long_line, read_bytes
from .json import read_json, read_ndjson
from .limits import MAX_INPUT_SIZE
from .records import FileRecords
from .sheets import read_sheets
from .yaml import read_yaml

if TYPE_CHECKING:
    from .importers import Format, ImportOptions, Summed

TEXT_READERS: dict[str, Callable[[str, str], FileRecords]] = {
    "yaml": read_yaml,
    "csv": partial(read_csv, delimiter=None),
    "tsv": partial(read_csv, delimiter="\t"),
    "json": read_json,
    "ndjson": read_ndjson,
}
"""Each text format and its reader (a file's name and text in, its records out)."""

SHEET_READERS: dict[str, Callable[[str, bytes, str | None], list[FileRecords]]] = {
    "xlsx": partial(read_sheets, "xlsx"),
    "ods": partial(read_sheets, "ods"),
}
"""Each spreadsheet format and its reader (a file's name, its bytes and the sheet to
read, or None for all, in; the records of each sheet out)."""

READERS: dict[str, Callable[..., Any]] = {**TEXT_READERS, **SHEET_READERS}
"""Every input format and its reader."""
FORMATS = tuple(READERS)


_LEADING_SPACE = re.compile(r"\s*")


def sniff(name: str, path: Path | None, text: str, forced: str | None) -> str:
    """The format of a file: forced, from its extension, or from its first bytes."""
    if forced:
        return forced
    if path is not None and path.suffix.lower() in CLAIM_SUFFIXES:
        return CLAIM_SUFFIXES[path.suffix.lower()]
    start = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]
    head = text[start : start + 4096]
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        _, _, rest = head.partition("\n")
        return "ndjson" if rest.lstrip().startswith("{") else "json"
    # YAML starts with a document marker, a comment, a list item or `key: value`; a
    # CSV header line has no `word: ` in it.
    if head.startswith(("---", "#", "- ")) or re.match(r"[\w.-]+:(\s|$)", head):
        return "yaml"
    return "tsv" if "\t" in head.partition("\n")[0] else "csv"


def sheet_format(path: Path | None, forced: str | None) -> str | None:
    """The spreadsheet format of an input, known by --input-format or its suffix (also
    when --input-format names an event dataset: UCDP publishes GED as a workbook too);
    None for text."""
    if forced in SHEET_READERS:
        return forced
    if forced is not None and forced not in _DATASETS:
        return None
    fmt = CLAIM_SUFFIXES.get(path.suffix.lower()) if path is not None else None
    return fmt if fmt in SHEET_READERS else None


_DATASETS = ("ucdp-ged", "acled", "hxl")
"""The --input-format names of the event datasets (importers.FORMATS, without importing
their readers)."""


def sheet_dataset(
    name: str, cells: Any, forced: str | None, events: ImportOptions | None
) -> Summed | None:
    """The claims of a sheet that is an event dataset: forced, or known by its header as a
    CSV file is; None for a sheet of claims (or one without a cell)."""
    from .importers import FORMATS as DATASETS
    from .importers import ImportOptions, claims_of, detect
    from .importers.events import HEADER_SCAN
    from .sheets import cells_csv

    if cells.empty:
        return None
    fmt = forced if forced in DATASETS else None
    fmt = fmt or detect(cells.iloc[:HEADER_SCAN].values.tolist())
    if fmt is None:
        return None
    text = cells_csv(cells)
    return claims_of(name, text, text.encode("utf-8"), DATASETS[fmt], events or ImportOptions())


def read_workbook(
    name: str,
    data: bytes,
    spreadsheet: str,
    sheet: str | None,
    forced: str | None,
    events: ImportOptions | None,
) -> list[FileRecords]:
    """The records of each sheet of a workbook: the claims of an event dataset's sheet
    (summed as `events` asks), the claims of the others."""
    from .importers import records_of
    from .sheets import sheet_cells, sheet_records

    sheets = sheet_cells(spreadsheet, name, data, sheet)
    if isinstance(sheets, FileRecords):
        return [sheets]
    out = []
    for label, cells in sheets:
        summed = sheet_dataset(label, cells, forced, events)
        out.append(sheet_records(label, cells) if summed is None else records_of(label, summed))
    return out


def read_file(
    name: str,
    path: Path | None,
    *,
    encoding: str = "utf-8-sig",
    forced: str | None = None,
    max_size: int = MAX_INPUT_SIZE,
    events: ImportOptions | None = None,
    sheet: str | None = None,
) -> list[FileRecords]:
    """The records of an input: one set, or one for each sheet of a spreadsheet. A CSV
    file that is an event dataset (UCDP GED, ACLED, HXL), by its header or by `forced`,
    gives the claims `events` asks for."""
    spreadsheet = sheet_format(path, forced)
    raw, problem = read_bytes(name, path, encoding, max_size, text=spreadsheet is None)
    if raw is None:
        return [FileRecords(name, findings=[problem] if problem else [])]
    if spreadsheet is not None:
        return read_workbook(name, bytes(raw.data), spreadsheet, sheet, forced, events)
    dataset = _dataset(name, path, raw.data, encoding, forced)
    if dataset is not None:
        return [_read_dataset(name, raw, encoding, dataset, events)]
    text, problem = decode(name, raw.data, encoding)
    if text is None:
        return [FileRecords(name, findings=[problem] if problem else [])]
    if text.startswith("\ufeff"):
        text = text[1:]
    fmt = sniff(name, path, text, forced)
    if fmt != "json" and (problem := long_line(name, raw)) is not None:
        return [FileRecords(name, findings=[problem])]
    del raw  # the bytes are no longer needed: free them before parsing
    return [TEXT_READERS[fmt](name, text)]


_HEAD = 2**20
"""The bytes whose text tells an event dataset by its header: far more than its first rows."""


def _head(data: bytearray, encoding: str) -> str:
    """The text of the first bytes of a file, for its header (a character cut in two at
    the end, or an undecodable byte, is left to the reading of the whole)."""
    head = bytes(data[:_HEAD]).decode(encoding, errors="ignore")
    return head[1:] if head.startswith("\ufeff") else head


def _dataset(
    name: str, path: Path | None, data: bytearray, encoding: str, forced: str | None
) -> str | None:
    """The event dataset a file is (UCDP GED, ACLED, HXL): forced, or a CSV file whose
    header can only be that dataset's; None for claims."""
    if forced is not None:
        from .importers import FORMATS as DATASETS

        return forced if forced in DATASETS else None
    suffix = CLAIM_SUFFIXES.get(path.suffix.lower()) if path is not None else None
    if suffix not in (None, "csv", "tsv"):
        return None
    try:
        head = _head(data, encoding)
    except (LookupError, UnicodeError):  # reported when the whole file is decoded
        return None
    fmt = sniff(name, path, head, None)
    if fmt not in ("csv", "tsv"):
        return None
    from .importers import detect
    from .importers.events import first_rows

    return detect(first_rows(head, "\t" if fmt == "tsv" else delimiter_of(head)))


def _read_dataset(
    name: str, raw: Raw, encoding: str, fmt: str, events: ImportOptions | None
) -> FileRecords:
    """The claims of an event dataset, as the records of a file."""
    from .importers import FORMATS as DATASETS
    from .importers import ImportOptions, records_of

    summed = dataset_claims(name, raw, encoding, DATASETS[fmt], events or ImportOptions())
    return records_of(name, summed)


def dataset_claims(
    name: str, raw: Raw, encoding: str, fmt: Format, events: ImportOptions
) -> Summed:
    """The claims of an event dataset's bytes. UTF-8 bytes go to pyarrow as they are (it
    checks the columns it reads); other encodings, or bytes it finds are not UTF-8, are
    decoded first (which locates a bad byte)."""
    from .importers import Summed, claims_of

    if (problem := long_line(name, raw)) is not None:
        return Summed(None, [problem])
    if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
        summed = claims_of(name, _head(raw.data, encoding), raw.data, fmt, events)
        if not any(f.code == "decode-error" for f in summed.findings):
            return summed
    text, problem = decode(name, raw.data, encoding)
    if text is None:
        return Summed(None, [problem] if problem else [])
    text = text[1:] if text.startswith("\ufeff") else text
    return claims_of(name, text[:_HEAD], text.encode("utf-8"), fmt, events)
