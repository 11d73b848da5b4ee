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
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np

from ..columns import object_array, pandas_loaded
from ..model import Finding
from ..text import restore_formulas
from .arrow import arrow_texts
from .limits import MAX_FIELDS
from .records import FileRecords, error

if TYPE_CHECKING:
    import pandas as pd


def normalize_column(name: str) -> str:
    """Header names are case-insensitive; spaces and hyphens read as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_csv(name: str, text: str, delimiter: str | None, claims: bool = True) -> FileRecords:
    """The rows of a CSV or TSV file; of a claim file (`claims`), none when its header
    names no claim field (`no_claim_field`)."""
    out = FileRecords(name)
    # A byte order mark saved twice (an editor adding one to a file that had one) is
    # no part of the first column's name; pandas would drop it, the csv module not.
    text = text.lstrip("\ufeff")
    if not text or text.isspace():
        return out
    # Windows files end lines with CRLF, old Mac files with a lone CR. A regular file
    # of CRLF lines (no line break inside quotes) is read as it is, since pandas and
    # the csv module take CRLF for a line end: copying a large text to change its line
    # ends takes 0.3 s at a million claims. Anything else is read with LF ends.
    crlf = "\r" in text
    data = text.encode("utf-8")
    if crlf and not _crlf_only(data):
        text, crlf = _lf(text), False
        data = text.encode("utf-8")
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
    if claims and no_claim_field(name, columns, out):
        return out
    cells: list[np.ndarray] | None = None
    records = _regular_records(data, delimiter, len(columns), crlf)
    if records is not None:
        if len(data) <= SMALL_FILE and not pandas_loaded():
            cells, lines = _small_table(text, delimiter, len(columns))
        else:
            cells, lines = _plain_table(data, delimiter, records)
    if cells is None:
        if crlf:
            text = _lf(text)
            data = text.encode("utf-8")
        cells, lines = _checked_table(name, data, text, delimiter, len(columns), out)
        if cells is None:
            return out
    if len(cells) != len(columns):  # the header read one way, the rows another
        out.findings.append(
            error(
                "csv-syntax",
                name,
                1,
                f"the header has {len(columns)} fields but its rows read as {len(cells)}",
                "check the delimiter and the quoting of the header",
            )
        )
        return out
    rows = len(cells[0]) if cells else 0
    # The lines of the layout (or of the csv module), unless it and pandas disagree on
    # an unusual file.
    row_lines = lines[1:] if len(lines) - 1 == rows else np.arange(2, rows + 2)
    table_rows(name, cells, columns, unnamed, row_lines, out)
    if out.table is not None:
        restore_formulas(out.table, text)
    return out


SMALL_FILE = 2 * 2**20
"""Bytes up to which a regular CSV file is read by the csv module, without importing
pandas (which takes longer to import than such a file takes to read), unless pandas is
loaded already."""


def _small_table(
    text: str, delimiter: str, width: int
) -> tuple[list[np.ndarray] | None, np.ndarray]:
    """The rows of a small regular file (`_regular_records`), read by the csv module:
    one line per record, as pandas reads them; (None, ...) when a row is not `width`
    fields wide, and `_checked_table` reports it."""
    with large_fields():
        rows = list(csv.reader(text_lines(text), delimiter=delimiter))
    if any(len(row) != width for row in rows):
        return None, np.empty(0, dtype=np.int64)
    body = list(zip(*rows[1:], strict=True)) or [()] * width
    return [object_array(column) for column in body], np.arange(1, len(rows) + 1, dtype=np.int64)


def _read_frame(
    data: bytes, delimiter: str, as_text: bool = False, usecols: list[int] | None = None
) -> pd.DataFrame:
    """The file's rows as pandas reads them: every column as text (`as_text`, or
    where text is not kept in Arrow), else as pandas makes of it (`_columns_of`)."""
    import pandas as pd

    # The C parser reads bytes about twice as fast as a text stream. Where pandas keeps
    # text in Arrow (pandas 3 with pyarrow, figrecon's own set-up), the column types are
    # left to pandas: its parser then writes the text of each column straight into one
    # Arrow buffer, where `dtype=object` makes a Python string of every cell (at a
    # million claims, 0.3 s against 1.6-2.9 s). A column it reads as numbers or truth
    # values is read again as text (`_columns_of`), so every cell keeps its text as
    # written ("0012", "1.50", "TRUE").
    arrow = _arrow_text()
    with warnings.catch_warnings():
        # Types guessed per block of rows may differ: such columns are read again.
        warnings.simplefilter("ignore", pd.errors.DtypeWarning)
        return pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            sep=delimiter,
            dtype=None if arrow and not as_text else object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            engine="c",
            usecols=usecols,
        )


@cache
def _arrow_text() -> bool:
    """Whether pandas keeps text in Arrow by default (pandas 3 and later, with pyarrow)."""
    import pandas as pd

    return _arrow_strings(pd.Series(["text"]).dtype)


def _arrow_strings(dtype: Any) -> bool:
    """Whether a pandas column type is text kept in Arrow."""
    import pandas as pd

    return isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"


def _taken(frame: pd.DataFrame) -> list[Any]:
    """The columns of `frame`, which the caller gives up: `_columns_of` frees each one
    as soon as it has read it, so that a large file's Arrow text and its Python strings
    are not all in memory at once (at 3M claims, the frame takes 650 MiB)."""
    return [frame.iloc[:, j].array for j in range(frame.shape[1])]


def _columns_of(taken: list[Any], data: bytes, delimiter: str) -> list[np.ndarray]:
    """The cells of each column as an object array of text. Columns pandas read as
    something other than Arrow text (numbers, truth values: `_read_frame` lets it
    guess) are read again, as text."""
    arrow = _arrow_text()
    columns: list[np.ndarray | None] = []
    for j, values in enumerate(taken):
        taken[j] = None  # freed once read (`values` is the last reference)
        if _arrow_strings(values.dtype):
            columns.append(_arrow_texts(values.__arrow_array__()))
            del values
            _release_arrow()
        elif values.dtype.kind == "O" and not arrow:
            columns.append(np.asarray(values, dtype=object))
        else:
            columns.append(None)
    again = [j for j, column in enumerate(columns) if column is None]
    if again:
        text = _read_frame(data, delimiter, as_text=True, usecols=again)
        for k, j in enumerate(again):
            columns[j] = text.iloc[:, k].to_numpy(dtype=object)
    return [c for c in columns if c is not None]


def _release_arrow() -> None:
    """Give back to the system the memory Arrow kept from a frame just freed (its
    allocator holds on to it otherwise, and the peak of the run grows by as much)."""
    if "pyarrow" in sys.modules:
        sys.modules["pyarrow"].default_memory_pool().release_unused()


def _arrow_texts(chunked: Any) -> np.ndarray | None:
    """An Arrow text column as an object array of Python strings (`arrow.arrow_texts`);
    None if the column has missing cells."""
    array = chunked.combine_chunks()
    if array.null_count:  # None: read again as text (na_filter=False makes no nulls)
        return None
    return arrow_texts(array)


def _regular_records(data: bytes, delimiter: str, width: int, crlf: bool = False) -> int | None:
    """The records of a file (the header's first) if every line is one record of the
    header's width, as far as can be told without reading it, else None: the quotes
    follow the usual rules, no quoted value holds a line break, no line is blank, the
    delimiters outside quotes number exactly `width - 1` per line in all, and the first
    row below the header has `width` fields (a later row with too many fields is caught
    as the file is read). `crlf`: every line ends with CRLF (every CR is one's)."""
    if not data:
        return None
    b = np.frombuffer(data, dtype=np.uint8)
    if data.startswith(b"\r\n" if crlf else b"\n"):
        return None  # a blank first line
    ends = where_bytes(b, 10)
    # A blank line further on: a line end right after another (CRLF: CR between them).
    gaps = np.flatnonzero(np.diff(ends) == 1 + crlf)
    if len(gaps) and (not crlf or bool((b[ends[gaps] + 1] == 13).any())):
        return None
    quotes = _quotes(data)
    if len(quotes) and not _regular_quotes(b, quotes, ord(delimiter), 13 if crlf else 10):
        return None
    sep = delimiter.encode("utf-8")
    inside = 0
    for start, end in zip(quotes[0::2].tolist(), quotes[1::2].tolist(), strict=True):
        if data.find(b"\n", start, end) >= 0:
            return None
        inside += data.count(sep, start, end)
    records = len(ends) + (not data.endswith(b"\n"))
    if data.count(sep) - inside != records * (width - 1):
        return None
    start = data.find(b"\n") + 1
    end = data.find(b"\n", start)
    first = data[start : end if end >= 0 else len(data)].decode("utf-8").removesuffix("\r")
    if first:
        with large_fields():
            try:
                if len(next(csv.reader([first], delimiter=delimiter))) != width:
                    return None
            except csv.Error:
                return None
    return records


def _plain_table(
    data: bytes, delimiter: str, records: int
) -> tuple[list[np.ndarray] | None, np.ndarray]:
    """The rows of a regular file of `records` records (`_regular_records`), read by
    pandas, and their lines: (None, ...) when pandas does not read one row per line, and
    `_checked_table` reads it. pandas refuses any row but the first with too many fields,
    so none can then have too few. With `_regular_records`' search of the bytes, this
    takes the place of the layout (`_csv_layout`), which makes arrays of every delimiter
    and line break: in a fresh process, 1.6 s against 2.5-4.3 s for `read_csv` of a
    million claims."""
    import pandas as pd

    none = np.empty(0, dtype=np.int64)
    try:
        with warnings.catch_warnings():
            # A first row longer than the header: pandas drops its extra fields.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = _read_frame(data, delimiter)
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        return None, none
    if len(frame) != records - 1:
        return None, none
    taken = _taken(frame)
    del frame
    return _columns_of(taken, data, delimiter), np.arange(1, records + 1, dtype=np.int64)


def _checked_table(
    name: str, data: bytes, text: str, delimiter: str, width: int, out: FileRecords
) -> tuple[list[np.ndarray] | None, np.ndarray]:
    """The rows of any file, and the line of each record (the header's first), with
    findings in `out` for rows of the wrong width and for pandas' tokenizer errors."""
    import pandas as pd

    widths, lines = _csv_layout(data, text, delimiter)
    # Every row must have the header's fields: pandas would silently pad a short row
    # or, when the first row is long, take the first column as an index and shift
    # every value into the wrong field.
    bad = np.flatnonzero((widths[1:] != width) & (widths[1:] > 0))
    # A quote opened and never closed runs its record to the end of the file: the last
    # record is then too short or too long, and the quote is what to fix.
    unclosed = (
        len(bad) and bad[-1] == len(widths) - 2 and _opens_a_quote(data, int(lines[-1]), delimiter)
    )
    for pos in bad[:_MAX_ROW_FINDINGS]:
        if unclosed and pos == bad[-1]:
            out.findings.append(_never_closed(name, int(lines[pos + 1])))
            continue
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
    taken = _taken(frame)
    del frame
    return _columns_of(taken, data, delimiter), lines


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


def no_claim_field(name: str, columns: list[str], out: FileRecords) -> bool:
    """Whether a claim file's header names no claim field, with a finding in `out`: no
    claim file then, even without rows (a file read in the wrong encoding is one line
    of garbage, which read as a valid file of no claims)."""
    from ..model import CLAIM_FIELDS

    if any(c in CLAIM_FIELDS or c.startswith("x_") for c in columns):
        return False
    names = ", ".join(f"`{c}`" if len(c) <= 30 else f"`{c[:27]}...`" for c in columns[:3]) + (
        ", ..." if len(columns) > 3 else ""
    )
    out.findings.append(
        error(
            "not-claims",
            name,
            1,
            f"the header names no claim field ({names})",
            "a claim file's first row names its fields (id, metric, value, source, "
            "stated_on, ...); check the file, its encoding (-e) and its delimiter",
        )
    )
    return True


def table_rows(
    name: str,
    cells: list[np.ndarray],
    columns: list[str],
    unnamed: list[int],
    lines: np.ndarray,
    out: FileRecords,
) -> None:
    """The rows below a header (`cells`, an object array of text per column) as the
    file's claims (`out.table`, one column per field, and the line of each row), without
    the rows that hold nothing."""
    for i in unnamed:
        filled = np.flatnonzero(cells[i] != "")
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
    table = {col: cells[i] for i, col in enumerate(columns) if i not in unnamed}
    # Blank lines and rows of empty fields (",,,,", '"",""', as spreadsheets export
    # them) hold nothing: skipped, whatever else the file holds. Only rows whose first
    # field is empty are examined, so a million-row file pays for one column.
    values = list(table.values())
    maybe = np.flatnonzero(values[0] == "") if values else np.empty(0, dtype=np.int64)
    if len(maybe):
        empty = maybe[np.logical_and.reduce([v[maybe] == "" for v in values])]
        if len(empty):
            keep = np.ones(len(values[0]), dtype=bool)
            keep[empty] = False
            table = {col: v[keep] for col, v in table.items()}
            lines = np.asarray(lines)[keep]
    if values:
        table, lines = _without_repeated_headers(name, table, np.asarray(lines), out)
    out.table = table
    out.row_lines = lines


def _without_repeated_headers(
    name: str, table: dict[str, np.ndarray], lines: np.ndarray, out: FileRecords
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """The rows that repeat the header (files joined with each one's header, a sheet
    pasted twice), each reported once as what it is and left out: read as a claim it
    gave one error per field ("stated_on: 'stated_on' is not a date"). Only rows whose
    first field is the first column's name are compared."""
    names = list(table)
    first = table[names[0]]
    spellings = {names[0], names[0].title(), names[0].upper()}
    maybe = np.flatnonzero(np.logical_or.reduce([first == s for s in spellings]))
    if not len(maybe):
        return table, lines
    again = [
        pos
        for pos in maybe.tolist()
        if all(normalize_column(str(table[col][pos])) == col for col in names)
    ]
    if not again:
        return table, lines
    for pos in again:
        out.findings.append(
            error(
                "repeated-header",
                name,
                int(lines[pos]),
                "this row repeats the header (files joined with their headers?)",
                "delete the row",
            )
        )
    keep = np.ones(len(first), dtype=bool)
    keep[again] = False
    return {col: v[keep] for col, v in table.items()}, lines[keep]


def _parser_error(name: str, message: str, lines: np.ndarray) -> Finding:
    """pandas' tokenizer error, located: it counts records from 0 at the header, and
    `lines` holds the line each record starts on."""
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        row = int(unclosed.group(1))
        return _never_closed(name, int(lines[row]) if row < len(lines) else None)
    return error("csv-syntax", name, None, f"not valid CSV: {message}", "fix the file")


def _opens_a_quote(data: bytes, line: int, delimiter: str) -> bool:
    """Whether the record starting on `line` opens a quoted value that nothing closes: a
    quote starts one of its fields, and it holds an odd number of quotes (a quote inside
    an unquoted value, `5" tall`, is text and opens nothing)."""
    start = 0
    for _ in range(line - 1):
        start = data.index(b"\n", start) + 1
    rest = data[start:]
    field_start = re.compile(b"(?:^|" + re.escape(delimiter.encode("utf-8")) + b')"')
    return rest.count(b'"') % 2 == 1 and field_start.search(rest) is not None


def _never_closed(name: str, line: int | None) -> Finding:
    return error(
        "csv-syntax",
        name,
        line,
        "a quoted value opened on this line is never closed",
        'close the quote, and double any quote inside the value ("")',
    )


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


_SPAN = 2**24
"""Bytes compared at a time by `where_bytes`: its flags stay this small."""


def where_bytes(b: np.ndarray, byte: int) -> np.ndarray:
    """Where the bytes of `b` equal `byte`, ascending, compared a span at a time (a flag
    per byte of a large file at once would take as much memory again as the file)."""
    found = [np.flatnonzero(b[a : a + _SPAN] == byte) + a for a in range(0, len(b), _SPAN)]
    return np.concatenate(found) if found else np.empty(0, dtype=np.intp)


def _crlf_only(data: bytes) -> bool:
    """Whether every CR of the bytes is the first of a CRLF."""
    b = np.frombuffer(data, dtype=np.uint8)
    cr = where_bytes(b, 13)
    return not len(cr) or (cr[-1] + 1 < len(b) and bool((b[cr + 1] == 10).all()))


def _lf(text: str) -> str:
    """The text with LF line ends (CRLF and a lone CR alike)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


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


def _regular_quotes(b: np.ndarray, quotes: np.ndarray, delimiter: int, end: int = 10) -> bool:
    """Every quote opens a field, closes one, or is doubled inside one (`end`: the
    first byte of a line end, LF or CR)."""
    n = len(b)
    separators = np.array([delimiter, 10, end], dtype=np.uint8)
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
