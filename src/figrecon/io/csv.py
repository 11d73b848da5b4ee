"""Reading CSV and TSV claim files: the delimiter from the header line, quoted fields
that hold line breaks, the line of every row, and spreadsheets' formula guards undone.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import numpy as np

from ..model import Finding
from ..text import restore_formulas
from .limits import MAX_FIELDS
from .records import FileRecords, error

if TYPE_CHECKING:
    import pandas as pd


def normalize_column(name: str) -> str:
    """Header names are case-insensitive; spaces and hyphens read as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_csv(name: str, text: str, delimiter: str | None) -> FileRecords:
    out = FileRecords(name)
    if not text or text.isspace():
        return out
    if "\r" in text:
        # Old Mac files end lines with a lone CR; Windows files with CRLF.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if delimiter is None:
        delimiter = delimiter_of(text)
    with large_fields():
        try:
            header_row = next(csv.reader(text_lines(text), delimiter=delimiter), [])
        except csv.Error as exc:
            out.findings.append(
                error("csv-syntax", name, 1, f"not valid CSV: {exc}", "fix the header")
            )
            return out
    header = header_columns(name, header_row, out, "csv-syntax", "check the delimiter and ")
    if header is None:
        return out
    columns, unnamed = header
    data = text.encode("utf-8")
    frame, lines = _plain_table(data, delimiter, len(columns))
    if frame is None:
        frame, lines = _checked_table(name, data, text, delimiter, len(columns), out)
        if frame is None:
            return out
    # The layout's lines, unless it and pandas disagree on an unusual file.
    same = len(lines) - 1 == len(frame)
    frame_lines = lines[1:] if same else np.arange(2, len(frame) + 2)
    table_rows(name, frame, columns, unnamed, frame_lines, out)
    if out.frame is not None:
        restore_formulas(out.frame, text)
    return out


def _read_frame(data: bytes, delimiter: str) -> pd.DataFrame:
    import pandas as pd

    # The C parser reads bytes about twice as fast as a text stream.
    return pd.read_csv(
        io.BytesIO(data),
        encoding="utf-8",
        sep=delimiter,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        index_col=False,
        engine="c",
    )


def _plain_table(data: bytes, delimiter: str, width: int) -> tuple[pd.DataFrame | None, np.ndarray]:
    """The rows of a file in which every line is one record of the header's width, and
    their lines, without a layout of the whole file: (None, ...) when that is not
    certain, and `_checked_table` reads it.

    It is certain when the quotes follow the usual rules, no quoted value holds a line
    break, no line is blank, the delimiters outside quotes number exactly `width - 1`
    per line in all, the first row below the header has `width` fields, and pandas
    (which refuses any later row with too many) reads one row per line: no row can then
    have too few. This costs a search of the bytes where the layout (`_csv_layout`)
    takes arrays of every delimiter and line break: in a fresh process, 1.6 s against
    2.5-4.3 s for `read_csv` of a million claims."""
    import pandas as pd

    none = np.empty(0, dtype=np.int64)
    if not data or b"\n\n" in data or data.startswith(b"\n"):
        return None, none
    b = np.frombuffer(data, dtype=np.uint8)
    quotes = _quotes(data)
    if len(quotes) and not _regular_quotes(b, quotes, ord(delimiter)):
        return None, none
    sep = delimiter.encode("utf-8")
    inside = 0
    for start, end in zip(quotes[0::2].tolist(), quotes[1::2].tolist(), strict=True):
        if data.find(b"\n", start, end) >= 0:
            return None, none
        inside += data.count(sep, start, end)
    records = data.count(b"\n") + (not data.endswith(b"\n"))
    if data.count(sep) - inside != records * (width - 1):
        return None, none
    # pandas refuses a row with too many fields, except the first below the header when
    # its extra fields are empty ("1,2,3,"): that row is counted here.
    start = data.find(b"\n") + 1
    end = data.find(b"\n", start)
    first = data[start : end if end >= 0 else len(data)].decode("utf-8")
    if first:
        with large_fields():
            try:
                if len(next(csv.reader([first], delimiter=delimiter))) != width:
                    return None, none
            except csv.Error:
                return None, none
    try:
        with warnings.catch_warnings():
            # A first row longer than the header: pandas drops its extra fields.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = _read_frame(data, delimiter)
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        return None, none
    if len(frame) != records - 1:
        return None, none
    return frame, np.arange(1, records + 1, dtype=np.int64)


def _checked_table(
    name: str, data: bytes, text: str, delimiter: str, width: int, out: FileRecords
) -> tuple[pd.DataFrame | None, np.ndarray]:
    """The rows of any file, and the line of each record (the header's first), with
    findings in `out` for rows of the wrong width and for pandas' tokenizer errors."""
    import pandas as pd

    widths, lines = _csv_layout(data, text, delimiter)
    # Every row must have the header's fields: pandas would silently pad a short row
    # or, when the first row is long, take the first column as an index and shift
    # every value into the wrong field.
    bad = np.flatnonzero((widths[1:] != width) & (widths[1:] > 0))
    for pos in bad[:_MAX_ROW_FINDINGS]:
        out.findings.append(
            error(
                "csv-syntax",
                name,
                int(lines[pos + 1]),
                f"this row has {widths[pos + 1]} fields, the header has {width}",
                'quote values that contain the delimiter ("some 9,900"), or fix the row',
            )
        )
    if len(bad) > _MAX_ROW_FINDINGS:
        out.findings.append(
            error(
                "csv-syntax",
                name,
                int(lines[bad[_MAX_ROW_FINDINGS] + 1]),
                f"and {len(bad) - _MAX_ROW_FINDINGS} more rows with the wrong number of fields",
                "check the delimiter and the quoting",
            )
        )
    if out.findings:
        return None, lines
    try:
        frame = _read_frame(data, delimiter)
    except pd.errors.ParserError as exc:
        out.findings.append(_parser_error(name, str(exc), lines))
        return None, lines
    return frame, lines


def header_columns(
    name: str, header_row: list[str], out: FileRecords, code: str, check: str = ""
) -> tuple[list[str], list[int]] | None:
    """The field names of a table's header row (line 1) and the positions of the
    columns without a name; None, with findings in `out`, when the header is unusable."""
    if len(header_row) > MAX_FIELDS:
        out.findings.append(
            error(
                "over-limit",
                name,
                1,
                f"{len(header_row):,} columns, more than the {MAX_FIELDS:,} figrecon reads",
                check + "that this is the file you meant",
            )
        )
        return None
    if not any(cell.strip() for cell in header_row):
        out.findings.append(
            error(
                code,
                name,
                1,
                "the first row is empty",
                "put the column names (the header) in the first row",
            )
        )
        return None
    columns = [normalize_column(c) for c in header_row]
    seen: dict[str, int] = {}
    # Columns without a name are allowed only if they hold nothing (the trailing
    # delimiters of a spreadsheet export); checked once the rows are read.
    unnamed = [i for i, col in enumerate(columns) if not col]
    for i in unnamed:
        columns[i] = f"<unnamed {i + 1}>"
    for position, col in enumerate(columns, start=1):
        if col in seen:
            out.findings.append(
                error(
                    "duplicate-column",
                    name,
                    1,
                    f"column `{col}` appears twice (columns {seen[col]} and {position})",
                    "keep one",
                    col,
                )
            )
        seen.setdefault(col, position)
    return None if out.findings else (columns, unnamed)


def table_rows(
    name: str,
    frame: pd.DataFrame,
    columns: list[str],
    unnamed: list[int],
    lines: np.ndarray,
    out: FileRecords,
) -> None:
    """The rows below a header as the file's claims (`out.frame`, one text column per
    field, and the line of each row), without the rows that hold nothing."""
    frame.columns = columns
    for i in unnamed:
        filled = np.flatnonzero(frame.iloc[:, i].to_numpy() != "")
        if len(filled):
            out.findings.append(
                error(
                    "empty-column-name",
                    name,
                    int(lines[filled[0]]),
                    f"column {i + 1} has no name but holds values",
                    "name it in the header (the first row), or delete it",
                )
            )
    if out.findings:
        return
    if unnamed:
        frame = frame.drop(columns=[columns[i] for i in unnamed])
    # Blank lines and rows of empty fields (",,,,", '"",""', as spreadsheets export
    # them) hold nothing: skipped, whatever else the file holds. Only rows whose first
    # field is empty are examined, so a million-row file pays for one column.
    maybe: np.ndarray = (
        np.flatnonzero(frame.iloc[:, 0].to_numpy() == "") if frame.shape[1] else np.empty(0, int)
    )
    if len(maybe):
        empty = maybe[(frame.iloc[maybe] == "").all(axis=1).to_numpy()]
        if len(empty):
            keep = np.ones(len(frame), dtype=bool)
            keep[empty] = False
            frame = frame.loc[keep].reset_index(drop=True)
            lines = np.asarray(lines)[keep]
    out.frame = frame
    out.frame_lines = lines


def _parser_error(name: str, message: str, lines: np.ndarray) -> Finding:
    """pandas' tokenizer error, located: it counts records from 0 at the header, and
    `lines` holds the line each record starts on."""
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        row = int(unclosed.group(1))
        line = int(lines[row]) if row < len(lines) else None
        return error(
            "csv-syntax",
            name,
            line,
            "a quoted value opened on this line is never closed",
            'close the quote, and double any quote inside the value ("")',
        )
    return error("csv-syntax", name, None, f"not valid CSV: {message}", "fix the file")


def delimiter_of(text: str) -> str:
    """The delimiter of a file whose extension does not fix one (`.csv` may be written
    with semicolons where the comma is the decimal mark): the one that splits the
    header into the most names; a comma unless another does better. Only the header is
    looked at: the values below it (quotes above all) hold every kind of punctuation,
    and csv.Sniffer, reading them, takes "police said; ten dead" for a delimiter."""
    header = next(text_lines(text), "")
    best, most = ",", 0
    for candidate in (",", ";", "\t", "|"):
        try:
            fields = len(next(csv.reader([header], delimiter=candidate), []))
        except csv.Error:
            continue
        if fields > most:
            best, most = candidate, fields
    return best


_MAX_ROW_FINDINGS = 50


"""Rows with the wrong number of fields reported one by one; beyond this, a count."""


def text_lines(text: str) -> Iterator[str]:
    """The lines of a text, each with its line break, one at a time: the csv module
    reads what it needs, where io.StringIO would first copy the whole text (at four
    bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


@contextmanager
def large_fields() -> Iterator[None]:
    """Lets the csv module read fields longer than its 131,072-character default (a
    long quote is a claim's right)."""
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_layout(data: bytes, text: str, delimiter: str) -> tuple[np.ndarray, np.ndarray]:
    """The number of fields and the first line of every record (header first), from
    the bytes, vectorized. Quoted fields may hold delimiters and line breaks. A blank
    line has 0 fields. Files whose quotes do not follow the usual rules (a quote inside
    an unquoted field) are scanned with the csv module instead."""
    b = np.frombuffer(data, dtype=np.uint8)
    quotes = _quotes(data)
    if len(quotes) and not _regular_quotes(b, quotes, ord(delimiter)):
        return _csv_layout_slow(text, delimiter)
    newlines = np.flatnonzero(b == 10)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    if len(b) and b[-1] != 10:
        ends = np.append(ends, len(b))
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    delims = np.flatnonzero(b == ord(delimiter))
    delims = delims[np.searchsorted(quotes, delims) % 2 == 0]
    widths = np.searchsorted(delims, ends) - np.searchsorted(delims, starts) + 1
    widths[ends == starts] = 0
    lines = np.searchsorted(newlines, starts) + 1
    return widths.astype(np.int64), lines.astype(np.int64)


def _quotes(data: bytes) -> np.ndarray:
    """Where the quote characters are. Quotes are few: found by a search, not by
    comparing every byte into an array as long as the file."""
    found: list[int] = []
    at = data.find(b'"')
    while at >= 0:
        found.append(at)
        at = data.find(b'"', at + 1)
    return np.array(found, dtype=np.int64)


def _regular_quotes(b: np.ndarray, quotes: np.ndarray, delimiter: int) -> bool:
    """Every quote opens a field, closes one, or is doubled inside one."""
    n = len(b)
    separators = np.array([delimiter, 10], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    if len(opening) != len(closing):
        return False
    before = np.where(opening > 0, b[np.maximum(opening - 1, 0)], 10)
    after = np.where(closing + 1 < n, b[np.minimum(closing + 1, n - 1)], 10)
    # A doubled quote "" inside a field closes and reopens: the reopening quote follows
    # a quote directly, and the closing one is followed by one.
    ok_open = np.isin(before, separators) | (before == ord('"'))
    ok_close = np.isin(after, separators) | (after == ord('"'))
    return bool(ok_open.all() and ok_close.all())


def _csv_layout_slow(text: str, delimiter: str) -> tuple[np.ndarray, np.ndarray]:
    widths: list[int] = []
    lines: list[int] = []
    with large_fields():
        reader = csv.reader(text_lines(text), delimiter=delimiter)
        previous_end = 0
        for row in reader:
            widths.append(len(row))
            lines.append(previous_end + 1)
            previous_end = reader.line_num
    return np.asarray(widths, dtype=np.int64), np.asarray(lines, dtype=np.int64)
