"""The one table of input formats: each format's name and reader, and how a file's
format is told from its name or first bytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from .csv import read_csv
from .files import CLAIM_SUFFIXES, decode, long_line, read_bytes
from .json import read_json, read_ndjson
from .limits import MAX_INPUT_SIZE
from .records import FileRecords
from .sheets import read_sheets
from .yaml import read_yaml

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
    """The spreadsheet format of an input, known by --input-format or its suffix; None
    for text."""
    fmt = forced or (CLAIM_SUFFIXES.get(path.suffix.lower()) if path is not None else None)
    return fmt if fmt in SHEET_READERS else None


def read_file(
    name: str,
    path: Path | None,
    *,
    encoding: str = "utf-8-sig",
    forced: str | None = None,
    max_size: int = MAX_INPUT_SIZE,
    sheet: str | None = None,
) -> list[FileRecords]:
    """The records of a file: one set, or one for each sheet of a spreadsheet."""
    spreadsheet = sheet_format(path, forced)
    raw, problem = read_bytes(name, path, encoding, max_size, text=spreadsheet is None)
    if raw is None:
        return [FileRecords(name, findings=[problem] if problem else [])]
    if spreadsheet is not None:
        return SHEET_READERS[spreadsheet](name, bytes(raw.data), sheet)
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
