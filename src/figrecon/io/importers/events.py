"""Reading an event dataset's columns: where a format keeps what a claim needs (a
`Layout` of column positions, found from the file's header), the columns themselves
(pyarrow's CSV reader, one thread), the events that pass --where, and column-wise
conversions of text to numbers, dates and codes, each failure a located error."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Container, Hashable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ...model import Finding
from ..csv import large_fields, normalize_column, text_lines
from ..files import line_at
from ..records import error
from .options import NUMBER, Condition, number

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

HEADER_SCAN = 25
"""Rows read to find a file's header (HXL allows title rows above its hashtags)."""
MAX_FINDINGS = 100
"""Findings of one kind listed one by one per file; the rest are counted in one more."""


@dataclass(frozen=True)
class Layout:
    """Where one file keeps what a claim needs: column positions, found from its header."""

    header_rows: int
    """Rows before the first event (the column names; HXL's hashtags)."""
    names: tuple[str, ...]
    """Each column's name for messages (its header, or its HXL hashtag)."""
    keys: dict[str, int]
    """The names --where may use for each column (normalized; HXL hashtags too)."""
    start: int
    end: int
    country: int
    best: int
    id: int | None = None
    """None: the events are known by their line numbers."""
    adm1: int | None = None
    low: int | None = None
    high: int | None = None
    groups: dict[str, int] = field(default_factory=dict)
    """Group slug -> the column of its deaths (summed like best)."""
    origin: int | None = None
    """The originator the dataset names for each event (UCDP's source_original)."""
    source: int | None = None
    """A column naming the dataset that states the figures (HXL's #meta+source)."""
    released: int | None = None
    """A column of Unix times of each event's last update (ACLED's timestamp)."""
    year: int | None = None
    """A column of years, for rows that count a month or a year, not one event (HDX's
    monthly ACLED figures: `#date+year`); `start` and `end` are then this column too."""
    month: int | None = None
    """Beside `year`, a column of the month each row counts (a name or a number)."""


@dataclass(frozen=True)
class Format:
    """An event dataset figrecon reads: how to find its columns, and what it states."""

    name: str
    """The --input-format name."""
    title: str
    """How notes and messages name it: UCDP GED, ACLED, HXL."""
    source: str | None
    """The claims' source (None: from the file, or --dataset)."""
    url: str | None
    """Where the dataset is published: each claim's url."""
    layout: Callable[[str, list[list[str]]], Layout | Finding]
    """The layout of a file from its first rows, or the located reason it has none."""
    detect: Callable[[list[list[str]]], bool]
    """Whether the first rows of a CSV file can only be this dataset's."""
    date_formats: tuple[str, ...] = ("%Y-%m-%d",)


normalized = normalize_column
"""Column names are case-insensitive; spaces and hyphens read as underscores."""


def named_layout(
    fmt_title: str,
    file: str,
    rows: list[list[str]],
    roles: dict[str, str],
    optional: dict[str, str],
    groups: dict[str, str],
) -> Layout | Finding:
    """The layout of a dataset whose columns have fixed names (UCDP GED, ACLED): each of
    `roles` must be there; `optional` roles and `groups` are used when present. A row of
    HXL hashtags under the names (HDX's copies of ACLED's files) is no event."""
    header = rows[0] if rows else []
    keys = [normalized(name) or None for name in header]
    twice = repeated(file, 1, header, keys, range(len(header)))
    if twice is not None:
        return twice
    at = {key: i for i, key in enumerate(keys) if key is not None}
    missing = [col for col in [*roles.values(), *groups.values()] if col not in at]
    if missing:
        listed = ", ".join(f"`{col}`" for col in missing)
        return error(
            "invalid-dataset",
            file,
            1,
            f"no column {listed}, which {fmt_title} files have",
            "check that this is the file you meant, and its --input-format",
        )
    found = {role: at[col] for role, col in roles.items()}
    found.update({role: at[col] for role, col in optional.items() if col in at})
    return Layout(
        header_rows=2 if len(rows) > 1 and hashtags(rows[1]) else 1,
        names=tuple(header),
        keys=at,
        groups={slug: at[col] for slug, col in groups.items()},
        **found,
    )


def hashtags(row: list[str]) -> bool:
    """Whether a row is a row of HXL hashtags: each of its cells one, or empty."""
    from .hxl import parse_tag

    cells = [cell for cell in row if cell.strip()]
    return bool(cells) and all(parse_tag(cell) for cell in cells)


def repeated(
    file: str, line: int, names: Sequence[str], keys: Sequence[Hashable], read: Container[int]
) -> Finding | None:
    """The error of a header that gives a column the import reads (at a position in
    `read`: every column of a UCDP GED or ACLED file, as --where may read any) the key of
    another (its name, or its HXL hashtag; None: no key): which of the two holds the
    figures would be left to chance, as in the claims reader."""
    first: dict[Hashable, int] = {}
    for pos, key in enumerate(keys):
        if key is None:
            continue
        if key in first and first[key] in read:
            return error(
                "invalid-dataset",
                file,
                line,
                f"column `{names[pos]}` appears twice (columns {first[key] + 1} and {pos + 1})",
                "keep one",
                names[pos],
            )
        first.setdefault(key, pos)
    return None


def first_rows(text: str, delimiter: str) -> list[list[str]]:
    """The first rows of a CSV text, as the csv module reads them (quotes and all)."""
    with large_fields():
        reader = csv.reader(text_lines(text), delimiter=delimiter)
        rows = []
        try:
            for row in reader:
                rows.append(row)
                if len(rows) == HEADER_SCAN:
                    break
        except csv.Error:
            pass  # the rows read so far; the full reader locates the problem
    return rows


# --- reading ------------------------------------------------------------------------


@dataclass
class Events:
    """The events of one file, column by column, with where each is and what failed."""

    file: str
    layout: Layout
    table: pa.Table
    data: bytes | bytearray
    findings: list[Finding] = field(default_factory=list)

    @cached_property
    def lines(self) -> np.ndarray:
        """The line each event starts on (counted only when a finding or a claim needs it)."""
        return record_lines(self.data, self.layout.header_rows, self.table.num_rows)

    def text(self, pos: int) -> pa.ChunkedArray:
        """A column as text, without the spaces around each value."""
        import pyarrow.compute as pc

        return pc.utf8_trim_whitespace(self.table[f"c{pos}"])

    def raw(self, pos: int) -> pa.ChunkedArray:
        """A column as the file writes it."""
        return self.table[f"c{pos}"]

    def bad(self, rows: np.ndarray, pos: int, what: Callable[[int], str], hint: str) -> None:
        """An error at each of `rows` (positions in the table) for column `pos`."""
        name = self.layout.names[pos]
        for row in rows[:MAX_FINDINGS].tolist():
            self.findings.append(
                error("invalid-dataset", self.file, int(self.lines[row]), what(row), hint, name)
            )
        if len(rows) > MAX_FINDINGS:
            self.findings.append(
                error(
                    "invalid-dataset",
                    self.file,
                    int(self.lines[rows[MAX_FINDINGS]]),
                    f"and {len(rows) - MAX_FINDINGS:,} more rows like these",
                    hint,
                    name,
                )
            )


def read_columns(
    file: str, data: bytes | bytearray, layout: Layout, delimiter: str, extra: list[int]
) -> Events:
    """The columns of the layout (and `extra`), as text, with each event's line."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    width = len(layout.names)
    names = [f"c{i}" for i in range(width)]
    wanted = sorted({*positions(layout), *extra})
    invalid: list[str] = []

    def skip(row: Any) -> str:
        invalid.append(row.text)
        return "skip"

    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0

    def read(handler: Any) -> Any:
        return pacsv.read_csv(
            pa.py_buffer(memoryview(data)[start:]),
            # One thread: on a small machine pyarrow's threads cost more than they bring
            # (1M ACLED events: 0.3 s on one thread, 0.6 to 1.5 s on two).
            read_options=pacsv.ReadOptions(
                skip_rows=layout.header_rows, column_names=names, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=handler
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=[names[i] for i in wanted],
                column_types={names[i]: pa.string() for i in wanted},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )

    try:
        try:
            # Without a handler of bad rows pyarrow reads about three times faster (1M
            # GED events: 0.7 s against 2.3 s); a bad row then stops it, and the file is
            # read again with the handler, which collects every bad row.
            table = read(None)
        except pa.ArrowInvalid:
            table = read(skip)
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # Bytes that are no UTF-8 text are located by decoding the file (see readers).
        code = "decode-error" if "UTF8" in str(exc) else "invalid-dataset"
        problem = error(code, file, None, f"cannot be read as CSV: {exc}", "fix the file")
        return Events(file, layout, pa.table({}), b"", [problem])
    events = Events(file, layout, table, data)
    for row_text in invalid[:MAX_FINDINGS]:
        at = bytes(data).find(row_text.encode("utf-8"))
        events.findings.append(
            error(
                "invalid-dataset",
                file,
                line_at(data, at) if at >= 0 else None,
                f"this row does not have the header's {width} fields",
                "quote values that contain the delimiter, or fix the row",
            )
        )
    return events


def positions(layout: Layout) -> list[int]:
    roles = (
        layout.id,
        layout.start,
        layout.end,
        layout.country,
        layout.adm1,
        layout.best,
        layout.low,
        layout.high,
        layout.origin,
        layout.source,
        layout.released,
        layout.year,
        layout.month,
    )
    return [p for p in (*roles, *layout.groups.values()) if p is not None]


def record_lines(data: bytes | bytearray, header_rows: int, n: int) -> np.ndarray:
    """The line each event starts on: counted when every record is one line (the usual
    case, at the cost of counting line breaks), else found by scanning quotes."""
    import numpy as np

    breaks = data.count(b"\n")
    physical = breaks + (0 if data.endswith(b"\n") or not data else 1)
    if physical == header_rows + n:
        return np.arange(header_rows + 1, header_rows + n + 1, dtype=np.int64)
    b = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(b == ord('"'))
    newlines = np.flatnonzero(b == 10)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    if len(b) and b[-1] != 10:
        ends = np.append(ends, len(b))
    starts = np.concatenate(([0], ends[:-1] + 1))
    blank = np.isin(b[np.minimum(starts, max(len(b) - 1, 0))], (10, 13)) | (starts == ends)
    starts = starts[~blank][header_rows:]
    lines = np.searchsorted(newlines, starts) + 1
    return np.asarray(lines[:n], dtype=np.int64)


def resolve_where(
    file: str, layout: Layout, conditions: Sequence[Condition]
) -> tuple[list[tuple[int, Condition]], list[Finding]]:
    """The column of each --where condition, by a name of its header (or HXL hashtag)."""
    from ...errors import did_you_mean

    found, problems = [], []
    for cond in conditions:
        name = tag_key(cond.column) if cond.column.strip().startswith("#") else cond.column
        pos = layout.keys.get(normalized(name) if not name.startswith("#") else name)
        if pos is None:
            problems.append(
                error(
                    "invalid-dataset",
                    file,
                    layout.header_rows,
                    f"--where {cond.text}: the file has no column `{cond.column}`"
                    + did_you_mean(normalized(cond.column), sorted(layout.keys)),
                    "name a column of its header",
                )
            )
        else:
            found.append((pos, cond))
    return found, problems


_COMPARE = {"<": "less", "<=": "less_equal", ">": "greater", ">=": "greater_equal"}


def passing(events: Events, conditions: list[tuple[int, Condition]]) -> np.ndarray:
    """The events that pass every --where condition; a number compares as a number."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    keep = np.ones(events.table.num_rows, dtype=bool)
    for pos, cond in conditions:
        values = events.text(pos)
        # An empty value after = or != is "has none" or "has one", on numbers too.
        other = [
            value
            for value in cond.values
            if number(value) is None and (value or cond.op not in ("=", "!="))
        ]
        if other and holds_numbers(values):
            # It would match all events or none: `best>=abc`, `best<NaN`.
            why = f"`{other[0]}` is no number" if other[0] else "an empty value is no number"
            events.findings.append(
                error(
                    "invalid-dataset",
                    events.file,
                    events.layout.header_rows,
                    f"--where {cond.text}: `{cond.column}` holds numbers, and {why}",
                    f"compare it with a number, e.g. --where {cond.column}{cond.op}10",
                )
            )
            continue
        if cond.op in ("=", "!="):
            hit = pc.is_in(values, value_set=pa.array(cond.values, pa.string()))
            mask = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
            keep &= mask if cond.op == "=" else ~mask
            continue
        compare = getattr(np, _COMPARE[cond.op])
        limit = number(cond.values[0])
        if limit is None:  # text (ISO dates among them) compares as text
            column = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
            keep &= np.asarray(compare(column, cond.values[0]), dtype=bool)
            continue
        parsed = numbers(values)

        def said(row: int, values: Any = values, cond: Condition = cond) -> str:
            return f"`{values[row].as_py()}` is not a number, but --where {cond.text} compares"

        events.bad(
            np.flatnonzero(np.isnan(parsed)), pos, said, "fix it, or filter on another column"
        )
        keep &= compare(np.nan_to_num(parsed), limit)
    return keep


def holds_numbers(values: pa.ChunkedArray) -> bool:
    """Whether a column's values (without spaces around them) are numbers, but for empty
    ones, and it has one."""
    import pyarrow.compute as pc

    filled = values.filter(pc.not_equal(values, ""))
    return len(filled) > 0 and bool(pc.all(pc.match_substring_regex(filled, f"^{NUMBER}$")).as_py())


def numbers(values: pa.ChunkedArray) -> np.ndarray:
    """Each value as a number (NaN where it is none, such as an empty value)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        parsed = pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        text = pc.utf8_trim_whitespace(values)
        ok = pc.match_substring_regex(text, f"^{NUMBER}$")
        parsed = pc.cast(pc.if_else(ok, text, pa.scalar("nan")), pa.float64())
    return np.asarray(parsed.to_numpy(zero_copy_only=False), dtype=float)


def tag_key(tag: str) -> str:
    """An HXL hashtag as --where names it: lower case, no spaces (`#affected+killed`)."""
    return "".join(tag.split()).lower()


def shown_form(form: str) -> str:
    return {"%Y-%m-%d": "YYYY-MM-DD", "%d %B %Y": "DD Month YYYY"}.get(form, form)


ISO = "%Y-%m-%d"


def iso_days_of(values: pa.ChunkedArray) -> np.ndarray | None:
    """Days since 1970 of dates that are all ISO days of the calendar (`in_calendar`),
    with nothing or a time after them (GED writes `2014-03-02 00:00:00.000`); None when
    one is not, to be found and told."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    after = pc.utf8_slice_codeunits(values, 10, 11)
    if not pc.all(pc.is_in(after, value_set=pa.array(["", " ", "T"]))).as_py():
        return None
    try:
        days = pc.cast(pc.cast(pc.utf8_slice_codeunits(values, 0, 10), pa.date32()), pa.int32())
    except pa.ArrowInvalid:  # 2022-02-31, 2022-2-3, an empty value
        return None
    out = np.asarray(days.to_numpy(zero_copy_only=False), dtype=np.int64)
    return out if in_calendar(out).all() else None


_FIRST, _LAST = (
    day.toordinal() - dt.date(1970, 1, 1).toordinal() for day in (dt.date.min, dt.date.max)
)


def in_calendar(days: np.ndarray) -> np.ndarray:
    """Which days since 1970 (NaN: none) are in Python's calendar, 0001-01-01 to
    9999-12-31, where the claims' dates and periods are written. Arrow also reads
    0000-01-01, a day before it, which no claim can be dated."""
    return (days >= _FIRST) & (days <= _LAST)


def date_form(sample: str | None, forms: tuple[str, ...]) -> str:
    """The first of `forms` that `sample` (an ISO date may carry a time) is written in."""
    for form in forms:
        try:
            dt.datetime.strptime((sample or "")[:10] if form == ISO else (sample or ""), form)
        except ValueError:
            continue
        return form
    return forms[0]


def first_present(values: pa.ChunkedArray) -> str | None:
    import pyarrow.compute as pc

    head = values[:1000]
    present = head.filter(pc.not_equal(pc.utf8_trim_whitespace(head), ""))
    return str(present[0].as_py()).strip() if len(present) else None


def codes_of(values: pa.Array) -> tuple[np.ndarray, list[Any]]:
    """A code per value, numbering the distinct values in sorted order, and those values."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    encoded = pc.dictionary_encode(values)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    names = encoded.dictionary.to_pylist()
    order = np.argsort(np.array(names, dtype=object), kind="stable")
    rank = np.empty(len(names), dtype=np.int64)
    rank[order] = np.arange(len(names))
    codes = rank[np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)]
    return codes, [names[i] for i in order]


def objects(values: pa.Array) -> np.ndarray:
    import numpy as np

    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)


def empty(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which values are empty, as a numpy mask."""
    import numpy as np

    return np.asarray(arrow_empty(values).to_numpy(zero_copy_only=False), dtype=bool)


def arrow_empty(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    import pyarrow.compute as pc

    return pc.equal(values, "")
