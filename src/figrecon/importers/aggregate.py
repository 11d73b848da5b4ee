"""Events to claims, the same way for every dataset.

A format says where a file keeps what a claim needs (a `Layout` of column positions,
found from its header). This module reads those columns (pyarrow's CSV reader), keeps
the events that pass --where, checks every date and count (a bad one is a located
error), and sums the events into one claim per figure key (--by) with numpy, each
claim's note listing the event ids it sums. Nothing here loops over events in Python.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from ..models import Finding, Severity
from ..readers import FileRecords, _delimiter_of, _large_fields, _lines, error, line_at
from .options import Condition, ImportOptions

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

METRIC = "killed"
SOURCE_TYPE = "research"
HEADER_SCAN = 25
"""Rows read to find a file's header (HXL allows title rows above its hashtags)."""
MAX_FINDINGS = 100
"""Findings of one kind listed one by one per file; the rest are counted in one more."""
NO_ADM1 = "(no adm1)"
"""The place, under its country, of events whose first-level area the dataset leaves empty."""
DATA_TEXT = ("location", "source", "note")
"""The claim columns whose text comes from the dataset as written (the others are slugs,
dates, numbers or figrecon's own words): only these may start like a spreadsheet formula."""
CLAIM_COLUMNS = (
    "id",
    "event",
    "metric",
    "group",
    "location",
    "period",
    "low",
    "best",
    "high",
    "source",
    "source_type",
    "stated_on",
    "as_of",
    "url",
    "note",
)


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


def normalized(name: str) -> str:
    """Column names are case-insensitive; spaces and hyphens read as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def named_layout(
    fmt_title: str,
    file: str,
    header: list[str],
    roles: dict[str, str],
    optional: dict[str, str],
    groups: dict[str, str],
) -> Layout | Finding:
    """The layout of a dataset whose columns have fixed names (UCDP GED, ACLED): each of
    `roles` must be there; `optional` roles and `groups` are used when present."""
    at = {normalized(name): i for i, name in reversed(list(enumerate(header)))}
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
        header_rows=1,
        names=tuple(header),
        keys=at,
        groups={slug: at[col] for slug, col in groups.items()},
        **found,
    )


def first_rows(text: str, delimiter: str) -> list[list[str]]:
    """The first rows of a CSV text, as the csv module reads them (quotes and all)."""
    with _large_fields():
        reader = csv.reader(_lines(text), delimiter=delimiter)
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
class _Events:
    """The events of one file, column by column, with where each is and what failed."""

    file: str
    layout: Layout
    table: pa.Table
    data: bytes | bytearray
    findings: list[Finding] = field(default_factory=list)

    @cached_property
    def lines(self) -> np.ndarray:
        """The line each event starts on (counted only when a finding or a claim needs it)."""
        return _record_lines(self.data, self.layout.header_rows, self.table.num_rows)

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


def records_of(file: str, summed: Summed) -> FileRecords:
    """Claims summed from an event dataset as the records of a file: the ordinary loading
    path validates them like any claims."""
    out = FileRecords(file, findings=list(summed.findings))
    frame = summed.frame
    if frame is not None:
        out.frame = frame.drop(columns="row")
        out.frame_lines = _Lines(summed)
    return out


@dataclass
class Summed:
    """The claims of an event dataset, and what summing the events found."""

    table: pa.Table | None
    """CLAIM_COLUMNS (low, best and high as numbers, the rest as text), and `row`, where
    each claim's first event is in the file; None when an error leaves it unusable."""
    findings: list[Finding]
    events: _Events | None = None

    @property
    def frame(self) -> pd.DataFrame | None:
        """The claims as pandas columns backed by the same arrow arrays."""
        import pandas as pd

        return None if self.table is None else self.table.to_pandas(types_mapper=pd.ArrowDtype)

    def lines(self) -> np.ndarray:
        """The line of each claim's first event."""
        import numpy as np

        if self.table is None or self.events is None or not self.table.num_rows:
            return np.empty(0, dtype=np.int64)
        rows = self.table["row"].to_numpy()
        return np.asarray(self.events.lines[rows], dtype=np.int64)


class _Lines:
    """A claim's lines as the loader takes them (`numpy.asarray`): counted only then, so
    that `figrecon import`, which writes no lines, never counts them."""

    def __init__(self, summed: Summed) -> None:
        self.summed = summed

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        lines = self.summed.lines()
        return lines if dtype is None else lines.astype(dtype)

    def __len__(self) -> int:
        return 0 if self.summed.table is None else self.summed.table.num_rows


def claims_of(
    file: str, text: str, data: bytes | bytearray, fmt: Format, options: ImportOptions
) -> Summed:
    """The claims of an event dataset (`text`: at least its first rows, `data`: its UTF-8
    bytes), summed by `options`."""
    if not text or text.isspace():
        return Summed(None, [error("invalid-dataset", file, 1, "the file is empty", "give it")])
    delimiter = _delimiter_of(text)
    layout = fmt.layout(file, first_rows(text, delimiter))
    if isinstance(layout, Finding):
        return Summed(None, [layout])
    where, problems = _resolve(file, layout, options.where)
    if problems:
        return Summed(None, problems)
    events = _read(file, data, layout, delimiter, [pos for pos, _ in where])
    if not events.findings:
        keep = _where(events, where)
    if events.findings:
        return Summed(None, events.findings)
    claims = _Summing(events, fmt, options, keep).claims()
    unusable = any(f.severity == Severity.error for f in events.findings)
    return Summed(None if unusable else claims, events.findings, events)


def _read(
    file: str, data: bytes | bytearray, layout: Layout, delimiter: str, extra: list[int]
) -> _Events:
    """The columns of the layout (and `extra`), as text, with each event's line."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    width = len(layout.names)
    names = [f"c{i}" for i in range(width)]
    wanted = sorted({*_positions(layout), *extra})
    invalid: list[str] = []

    def skip(row: Any) -> str:
        invalid.append(row.text)
        return "skip"

    start = 3 if data[:3] == b"\xef\xbb\xbf" else 0
    try:
        table = pacsv.read_csv(
            pa.py_buffer(memoryview(data)[start:]),
            # One thread: on a small machine pyarrow's threads cost more than they bring
            # (1M ACLED events: 0.3 s on one thread, 0.6 to 1.5 s on two).
            read_options=pacsv.ReadOptions(
                skip_rows=layout.header_rows, column_names=names, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=skip
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=[names[i] for i in wanted],
                column_types={names[i]: pa.string() for i in wanted},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        # Bytes that are no UTF-8 text are located by decoding the file (see readers).
        code = "decode-error" if "UTF8" in str(exc) else "invalid-dataset"
        problem = error(code, file, None, f"cannot be read as CSV: {exc}", "fix the file")
        return _Events(file, layout, pa.table({}), b"", [problem])
    events = _Events(file, layout, table, data)
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


def _positions(layout: Layout) -> list[int]:
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
    )
    return [p for p in (*roles, *layout.groups.values()) if p is not None]


def _record_lines(data: bytes | bytearray, header_rows: int, n: int) -> np.ndarray:
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


def _resolve(
    file: str, layout: Layout, conditions: Sequence[Condition]
) -> tuple[list[tuple[int, Condition]], list[Finding]]:
    """The column of each --where condition, by a name of its header (or HXL hashtag)."""
    from ..errors import did_you_mean

    found, problems = [], []
    for cond in conditions:
        name = _tag_key(cond.column) if cond.column.strip().startswith("#") else cond.column
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


def _where(events: _Events, conditions: list[tuple[int, Condition]]) -> np.ndarray:
    """The events that pass every --where condition; a number compares as a number."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    keep = np.ones(events.table.num_rows, dtype=bool)
    for pos, cond in conditions:
        values = events.text(pos)
        if cond.op in ("=", "!="):
            hit = pc.is_in(values, value_set=pa.array(cond.values, pa.string()))
            mask = np.asarray(hit.to_numpy(zero_copy_only=False), dtype=bool)
            keep &= mask if cond.op == "=" else ~mask
            continue
        compare = getattr(np, _COMPARE[cond.op])
        number = _number(cond.values[0])
        if number is None:  # text (ISO dates among them) compares as text
            column = np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)
            keep &= np.asarray(compare(column, cond.values[0]), dtype=bool)
            continue
        parsed = _numbers(values)

        def said(row: int, values: Any = values, cond: Condition = cond) -> str:
            return f"`{values[row].as_py()}` is not a number, but --where {cond.text} compares"

        events.bad(
            np.flatnonzero(np.isnan(parsed)), pos, said, "fix it, or filter on another column"
        )
        keep &= compare(np.nan_to_num(parsed), number)
    return keep


_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?")


def _number(text: str) -> float | None:
    return float(text) if _NUMBER.fullmatch(text.strip()) else None


def _numbers(values: pa.ChunkedArray) -> np.ndarray:
    """Each value as a number (NaN where it is none, such as an empty value)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        numbers = pc.cast(values, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        text = pc.utf8_trim_whitespace(values)
        ok = pc.match_substring_regex(text, r"^[+-]?\d+(\.\d*)?$")
        numbers = pc.cast(pc.if_else(ok, text, pa.scalar("nan")), pa.float64())
    return np.asarray(numbers.to_numpy(zero_copy_only=False), dtype=float)


def _tag_key(tag: str) -> str:
    """An HXL hashtag as --where names it: lower case, no spaces (`#affected+killed`)."""
    return "".join(tag.split()).lower()


# --- summing --------------------------------------------------------------------------


def slug(text: str) -> str:
    """A name as the slug of an event or claim id: `Central African Republic` ->
    `central-african-republic`; a name with no Latin letters or digits gets a stable
    stand-in made from its checksum."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out or f"x{zlib.crc32(text.encode('utf-8')):08x}"


class _Summing:
    """The claims of one file's events (those in `keep`), one per key and group."""

    def __init__(self, events: _Events, fmt: Format, options: ImportOptions, keep: Any) -> None:
        self.ev, self.fmt, self.opt = events, fmt, options
        self.keep = keep
        self.layout = events.layout
        self.file = events.file
        self.one_source = False
        """Whether the file's source column names one dataset (then it is no event's
        own provenance)."""

    # - per event

    def counts(self, pos: int) -> np.ndarray:
        import numpy as np

        values = self.ev.raw(pos)
        parsed = _numbers(values)
        bad = np.flatnonzero(
            self.keep & (np.isnan(parsed) | (parsed < 0) | (parsed != np.floor(parsed)))
        )

        def said(row: int) -> str:
            given = str(values[row].as_py()).strip()
            return f"`{given}` is not a count (a whole number, 0 or more)" if given else "is empty"

        self.ev.bad(
            bad,
            pos,
            said,
            "give the number of deaths (0 when none), or leave the event out with --where",
        )
        return np.asarray(np.where(np.isnan(parsed), 0, parsed), dtype=np.int64)

    def dates(self, pos: int) -> np.ndarray:
        """Days since 1970-01-01 of each event, read in the first of the format's date
        forms that the first event's date is written in (ISO dates may carry a time)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        values = self.ev.raw(pos)
        form = _form_of(_first_present(values), self.fmt.date_formats)
        if form == ISO and (days := _iso_days_of(values)) is not None:
            return days
        if form == ISO:
            # GED writes `2014-03-02 00:00:00.000`: the day, then nothing or a time.
            after = pc.utf8_slice_codeunits(values, 10, 11)
            ok = pc.is_in(after, value_set=pa.array(["", " ", "T"]))
            text = pc.if_else(ok, pc.utf8_slice_codeunits(values, 0, 10), pa.scalar(""))
            day = pc.utf8_slice_codeunits(text, 8, 10)
        else:
            text = pc.utf8_trim_whitespace(values)
            day = pc.struct_field(pc.extract_regex(text, r"^(?P<day>\d+)"), [0])
        parsed = pc.strptime(text, format=form, unit="s", error_is_null=True)
        # strptime rolls a day past the month's end over (31 February is 3 March): a date
        # whose day is not the day written is no date.
        same = pc.equal(pc.cast(day, pa.int64(), safe=False), pc.day(parsed))
        parsed = pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, parsed.type))
        days = pc.cast(pc.cast(parsed, pa.timestamp("s")), pa.int64())
        out = np.asarray(days.to_numpy(zero_copy_only=False), dtype=float) // 86_400
        forms = " or ".join(_shown_form(f) for f in self.fmt.date_formats)

        def said(row: int) -> str:
            given = str(values[row].as_py()).strip()
            return f"`{given}` is not a date" if given else "no date"

        self.ev.bad(
            np.flatnonzero(self.keep & np.isnan(out)), pos, said, f"write the date as {forms}"
        )
        return np.asarray(np.nan_to_num(out), dtype=np.int64)

    # - the claims

    def claims(self) -> pa.Table | None:
        import numpy as np
        import pyarrow as pa

        lay, opt = self.layout, self.opt
        keep = self.keep
        start = self.dates(lay.start)
        end = start if lay.end == lay.start else self.dates(lay.end)
        best = self.counts(lay.best)
        low = self.counts(lay.low) if lay.low is not None else best
        high = self.counts(lay.high) if lay.high is not None else best
        groups = {g: self.counts(pos) for g, pos in lay.groups.items()}
        country = self.ev.text(lay.country)
        for row in np.flatnonzero(keep & _empty(country))[:MAX_FINDINGS].tolist():
            self.ev.findings.append(
                error(
                    "invalid-dataset",
                    self.file,
                    int(self.ev.lines[row]),
                    "no country",
                    "give the event's country, or leave it out with --where",
                    lay.names[lay.country],
                )
            )
        late = np.flatnonzero(keep & (end < start))
        self.ev.bad(
            late,
            lay.end,
            lambda row: f"the event ends ({_day(end[row])}) before it starts ({_day(start[row])})",
            "fix the dates",
        )
        if opt.location == "adm1" and lay.adm1 is None:
            self.ev.findings.append(
                error(
                    "invalid-dataset",
                    self.file,
                    lay.header_rows,
                    f"--by {','.join(opt.by)}: the file has no first-level area (adm1) column",
                    "use --by country,...",
                )
            )
        all_ids = self.ids()
        released = self.released()
        source = self.source()
        if self.ev.findings or released is None or source is None:
            return None
        every = bool(keep.all())
        rows = np.flatnonzero(keep)

        def kept(values: Any) -> Any:
            """The kept events' values (all of them, uncopied, without --where)."""
            if isinstance(values, np.ndarray):
                return values if every else values[rows]
            if isinstance(values, pa.ChunkedArray):
                values = values.combine_chunks()
            return values if every else values.filter(pa.array(keep))

        own = lay.origin is not None and not (lay.origin == lay.source and self.one_source)
        ids = kept(all_ids)
        origin = kept(self.ev.text(lay.origin)) if own and lay.origin is not None else None
        events = _Table(
            rows=kept(np.arange(self.ev.table.num_rows)),
            ids=ids,
            items=_items(ids, origin),
            has_origin=own,
            start=kept(start),
            end=kept(end),
            country=kept(country),
            adm1=kept(self.ev.text(lay.adm1))
            if opt.location != "country" and lay.adm1 is not None
            else None,
            best=kept(best),
            low=kept(low),
            high=kept(high),
            groups={g: kept(v) for g, v in groups.items()},
        )
        return self.sum(events, released, source)

    def ids(self) -> pa.Array:
        """Each event's id as the dataset writes it (or `line N`)."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.layout.id is None:
            lines = pc.cast(pa.array(self.ev.lines), pa.string())
            return pc.binary_join_element_wise("line ", lines, "")
        ids = self.ev.text(self.layout.id)
        missing = np.flatnonzero(self.keep & _empty(ids))
        self.ev.bad(missing, self.layout.id, lambda row: "no event id", "give every event its id")
        return ids.combine_chunks()

    def released(self) -> dt.date | None:
        """The day the dataset was released: --released, else the day of the latest
        update of its events when the format records them (ACLED's timestamp)."""
        import numpy as np

        if self.opt.released is not None:
            return self.opt.released
        pos = self.layout.released
        if pos is not None and self.keep.any():
            stamps = _numbers(self.ev.text(pos))[self.keep]
            if not np.isnan(stamps).any():
                return dt.datetime.fromtimestamp(float(stamps.max()), dt.UTC).date()
        self.ev.findings.append(
            error(
                "invalid-dataset",
                self.file,
                1,
                f"stated_on: {self.fmt.title} files do not say when the dataset was released",
                "give the release date with --released YYYY-MM-DD",
            )
        )
        return None

    def source(self) -> str | None:
        """Who states the figures: --dataset, the format's own name, or the one value of
        the file's source column (HXL #meta+source)."""
        import numpy as np

        if self.opt.dataset:
            return self.opt.dataset
        if self.fmt.source:
            return self.fmt.source
        pos = self.layout.source
        if pos is not None:
            named = np.unique(_objects(self.ev.text(pos))[self.keep])
            named = named[named != ""]
            if len(named) == 1:
                self.one_source = True
                return str(named[0])
            if len(named) > 1:
                self.ev.findings.append(
                    error(
                        "invalid-dataset",
                        self.file,
                        self.layout.header_rows,
                        f"source: the events name {len(named):,} different sources in "
                        f"{self.layout.names[pos]}, not one dataset (they are kept as each "
                        "event's provenance)",
                        "name the dataset that states the figures with --dataset, "
                        "e.g. --dataset 'UCDP GED'",
                        self.layout.names[pos],
                    )
                )
                return None
        self.ev.findings.append(
            error(
                "invalid-dataset",
                self.file,
                self.layout.header_rows,
                "source: the file does not name the dataset that states its figures",
                "name it with --dataset, e.g. --dataset 'UCDP GED'",
            )
        )
        return None

    def sum(self, ev: _Table, released: dt.date, source: str) -> pa.Table | None:
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        opt = self.opt
        n = len(ev.ids)
        if not n:
            return _no_claims()
        period = _period_codes(ev.start, opt.period)
        if opt.per_event:
            key = np.arange(n)
        else:
            # Keys are numbers: a place's code (its country's, and its area's) by period.
            # Place names are built for the keys alone, never for each event.
            country, countries = _codes(ev.country)
            areas = [""]
            place_code = country
            if opt.location == "adm1":
                assert ev.adm1 is not None
                self.unlocated(ev)
                area, areas = _codes(ev.adm1)
                place_code = country * len(areas) + area
            key = place_code * (int(period.max()) + 1) + period
        key_codes = _factorized(key)
        k = int(key_codes.max()) + 1
        # A stable sort of small numbers is a radix sort: linear.
        order = np.argsort(key_codes.astype(np.uint16 if k < 2**16 else np.int64), kind="stable")
        bounds = np.concatenate(([0], np.cumsum(np.bincount(key_codes, minlength=k))))
        first = order[bounds[:-1]]

        def total(values: np.ndarray) -> np.ndarray:
            return np.add.reduceat(values[order], bounds[:-1]) if n else values

        sums = {name: total(getattr(ev, name)) for name in ("best", "low", "high")}
        group_sums = {g: total(v) for g, v in ev.groups.items()}
        count = np.diff(bounds)
        line = np.minimum.reduceat(ev.rows[order], bounds[:-1])  # each key's first event
        if not opt.per_event:
            self.crossing(ev, key_codes, period)
        notes = _joined(ev.items.take(pa.array(order)), bounds)
        rows = first  # an event of each key: its place, period, dates
        if opt.per_event:
            loc = _objects(_event_places(ev).take(pa.array(rows)))
        else:
            level, width = opt.location, len(areas)
            loc = np.array(
                [
                    _place(countries[c // width], areas[c % width], level)
                    for c in place_code[rows].tolist()
                ],
                dtype=object,
            )
        if opt.per_event:
            key_text = _slugs(ev.ids.take(pa.array(rows)))
            event = f"{slug(source)}-" + key_text
            period_text = _spans(ev.start[rows], ev.end[rows])
            as_of = np.minimum(ev.end[rows], released.toordinal() - _EPOCH)
        else:
            event = _mapped(np.array([countries[c] for c in country[rows].tolist()]), slug)
            period_text = _period_text(period[rows], opt.period)
            as_of = np.minimum(
                _period_end(period[rows], opt.period, int(ev.end.max())),
                released.toordinal() - _EPOCH,
            )
            key_text = _mapped(loc, lambda p: "/".join(slug(part) for part in p.split("/")))
            key_text = np.where(period_text == "", key_text, key_text + "/" + period_text)
        prefix = f"{slug(source)}-{released.isoformat()}/"
        ids = prefix + key_text.astype(object)
        widened = self.widen(sums, ids, ev, key_codes, line)
        stated = released.isoformat()
        label = self.fmt.title if source == self.fmt.source else f"{source} ({self.fmt.title})"
        lay = self.layout
        origin_label = "id" if lay.id is None else lay.names[lay.id]
        if lay.origin is not None and ev.has_origin:
            origin_label += f": {lay.names[lay.origin]}"
        events_word = np.where(count == 1, " event", " events")
        counted = count.astype(str).astype(object) + events_word
        head = f"{label}: the sum of " + counted + f" ({origin_label})" + widened
        keyed = {
            "id": pa.array(ids, pa.string()),
            "event": pa.array(event, pa.string()),
            "location": pa.array(loc, pa.string()),
            "period": pa.array(period_text, pa.string()),
            "as_of": pa.array(_iso_days(as_of), pa.string()),
            "row": pa.array(line, pa.int64()),
        }
        parts = [
            self.claims_of_group(
                "total",
                keyed,
                np.ones(k, dtype=bool),
                (sums["low"], sums["best"], sums["high"]),
                pc.binary_join_element_wise(pa.array(head, pa.string()), notes, " | "),
                (source, stated),
            )
        ]
        for group, values in group_sums.items():
            column = self.layout.names[self.layout.groups[group]]
            note = f"{label}: {column} summed over the " + counted + " listed in claim " + ids
            parts.append(
                self.claims_of_group(
                    group,
                    keyed,
                    values > 0,
                    (values, values, values),
                    pa.array(note, pa.string()),
                    (source, stated),
                )
            )
        # Group by group, each in key order: the totals first. (Interleaving them by key
        # would copy every note once more.)
        return pa.concat_tables(parts)

    def claims_of_group(
        self,
        group: str,
        keyed: dict[str, pa.Array],
        take: np.ndarray,
        figures: tuple[np.ndarray, np.ndarray, np.ndarray],
        note: pa.Array,
        said: tuple[str, str],
    ) -> pa.Table:
        """The claims of one group, for the keys in `take`: a table of CLAIM_COLUMNS and
        `row` (each claim's first event)."""
        import pyarrow as pa
        import pyarrow.compute as pc

        source, stated = said
        mask = pa.array(take)
        m = int(take.sum())

        def same(value: str) -> pa.Array:
            return pa.repeat(pa.scalar(value, pa.string()), m)

        ids = keyed["id"].filter(mask)
        if group != "total":
            ids = pc.binary_join_element_wise(ids, same(group), "/")
        low, best, high = (pa.array(values[take], pa.int64()) for values in figures)
        columns = {
            "id": ids,
            "event": keyed["event"].filter(mask),
            "metric": same(METRIC),
            "group": same(group),
            "location": keyed["location"].filter(mask),
            "period": keyed["period"].filter(mask),
            "low": low,
            "best": best,
            "high": high,
            "source": same(source),
            "source_type": same(SOURCE_TYPE),
            "stated_on": same(stated),
            "as_of": keyed["as_of"].filter(mask),
            "url": same(self.fmt.url or ""),
            "note": note.filter(mask),
            "row": keyed["row"].filter(mask),
        }
        return pa.table(columns)

    def unlocated(self, ev: _Table) -> None:
        """An `event-without-area` note per country: where such events are counted."""
        import numpy as np
        import pyarrow as pa

        assert ev.adm1 is not None
        lacking = np.flatnonzero(_empty(ev.adm1))
        codes, countries = _codes(ev.country.take(pa.array(lacking)))
        _, first = np.unique(codes, return_index=True)
        for code, (country, count) in enumerate(zip(countries, np.bincount(codes), strict=True)):
            row = lacking[first[code]]
            self.ev.findings.append(
                Finding(
                    code="event-without-area",
                    severity=Severity.info,
                    file=self.file,
                    line=int(self.ev.lines[ev.rows[row]]),
                    field=self.layout.names[self.layout.adm1] if self.layout.adm1 else None,
                    message=f"{count:,} event{'s' if count > 1 else ''} in {country} "
                    f"name{'' if count > 1 else 's'} no first-level area (the first is "
                    f"{ev.ids[row].as_py()}); counted under `{_no_slash_one(country)}/{NO_ADM1}`",
                )
            )

    def crossing(self, ev: _Table, inverse: np.ndarray, period: np.ndarray) -> None:
        """`event-crosses-period`: an event whose dates run past the end of its key's
        period is counted in the period where it began."""
        import numpy as np

        if self.opt.period is None:
            return
        across = np.flatnonzero(_period_codes(ev.end, self.opt.period) != period)
        unit = self.opt.period
        for row in across[:MAX_FINDINGS].tolist():
            began = _period_text(period[row : row + 1], unit)[0]
            self.ev.findings.append(
                Finding(
                    code="event-crosses-period",
                    severity=Severity.info,
                    file=self.file,
                    line=int(self.ev.lines[ev.rows[row]]),
                    field=self.layout.names[self.layout.end],
                    message=f"event {ev.ids[row].as_py()} runs from {_day(ev.start[row])} to "
                    f"{_day(ev.end[row])}, past the end of {unit} {began}; counted in {began}, "
                    "where it began",
                )
            )
        if len(across) > MAX_FINDINGS:
            self.ev.findings.append(
                Finding(
                    code="event-crosses-period",
                    severity=Severity.info,
                    file=self.file,
                    line=int(self.ev.lines[ev.rows[across[MAX_FINDINGS]]]),
                    field=self.layout.names[self.layout.end],
                    message=f"and {len(across) - MAX_FINDINGS:,} more events that run past the "
                    f"end of their {unit}; each counted in the {unit} where it began",
                )
            )

    def widen(
        self,
        sums: dict[str, np.ndarray],
        ids: np.ndarray,
        ev: _Table,
        inverse: np.ndarray,
        line: np.ndarray,
    ) -> np.ndarray:
        """Keys whose summed low, best and high are out of order (the dataset has events
        whose own figures are): low and high are widened to take in best, and said so."""
        import numpy as np
        import pyarrow as pa

        lo, be, hi = sums["low"], sums["best"], sums["high"]
        bad = np.flatnonzero((lo > be) | (be > hi))
        suffix = np.full(len(lo), "", dtype=object)
        odd = (ev.low > ev.best) | (ev.best > ev.high)
        for n, key in enumerate(bad.tolist()):
            culprits = ev.ids.filter(pa.array(odd & (inverse == key))).to_pylist()
            said = (
                f"{self.fmt.title}'s sums give low {lo[key]:,}, best {be[key]:,}, high "
                f"{hi[key]:,}: out of order, as the events' own figures are "
                f"({', '.join(map(str, culprits[:10]))}{', ...' if len(culprits) > 10 else ''})"
            )
            suffix[key] = f"; {said}; low and high widened to take in best"
            if n < MAX_FINDINGS:
                self.ev.findings.append(
                    Finding(
                        code="estimates-out-of-order",
                        severity=Severity.warning,
                        file=self.file,
                        line=int(self.ev.lines[line[key]]),
                        claim=str(ids[key]),
                        field="low",
                        message=said,
                        hint="the claim's low and high are widened to take in best; "
                        "check the events' figures",
                    )
                )
        lo[bad] = np.minimum(lo[bad], be[bad])
        hi[bad] = np.maximum(hi[bad], be[bad])
        return suffix


@dataclass
class _Table:
    """The kept events of a file, each field an array in file order."""

    rows: np.ndarray
    """Where each kept event is in the file's table."""
    ids: pa.Array
    items: pa.Array
    """What the notes list for each event: `id` or `id: originator`."""
    has_origin: bool
    start: np.ndarray
    end: np.ndarray
    country: pa.Array
    adm1: pa.Array | None
    best: np.ndarray
    low: np.ndarray
    high: np.ndarray
    groups: dict[str, np.ndarray]


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _day(days: Any) -> str:
    return dt.date.fromordinal(int(days) + _EPOCH).isoformat()


def _shown_form(form: str) -> str:
    return {"%Y-%m-%d": "YYYY-MM-DD", "%d %B %Y": "DD Month YYYY"}.get(form, form)


ISO = "%Y-%m-%d"


def _iso_days_of(values: pa.ChunkedArray) -> np.ndarray | None:
    """Days since 1970 of dates that are all ISO days, with nothing or a time after them
    (GED writes `2014-03-02 00:00:00.000`); None when one is not, to be found and told."""
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
    return np.asarray(days.to_numpy(zero_copy_only=False), dtype=np.int64)


def _form_of(sample: str | None, forms: tuple[str, ...]) -> str:
    """The first of `forms` that `sample` (an ISO date may carry a time) is written in."""
    for form in forms:
        try:
            dt.datetime.strptime((sample or "")[:10] if form == ISO else (sample or ""), form)
        except ValueError:
            continue
        return form
    return forms[0]


def _first_present(values: pa.ChunkedArray) -> str | None:
    import pyarrow.compute as pc

    head = values[:1000]
    present = head.filter(pc.not_equal(pc.utf8_trim_whitespace(head), ""))
    return str(present[0].as_py()).strip() if len(present) else None


def _codes(values: pa.Array) -> tuple[np.ndarray, list[Any]]:
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


def _objects(values: pa.Array) -> np.ndarray:
    import numpy as np

    return np.asarray(values.to_numpy(zero_copy_only=False), dtype=object)


def _empty(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Which values are empty, as a numpy mask."""
    import numpy as np

    return np.asarray(_arrow_empty(values).to_numpy(zero_copy_only=False), dtype=bool)


def _arrow_empty(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    import pyarrow.compute as pc

    return pc.equal(values, "")


def _slugs(values: pa.Array) -> np.ndarray:
    """`slug` of many values at once (event ids): ASCII ones column-wise, others one by one."""
    import numpy as np
    import pyarrow.compute as pc

    dashed = pc.replace_substring_regex(pc.utf8_lower(values), r"[^a-z0-9]+", "-")
    out = _objects(pc.utf8_trim(dashed, "-"))
    ascii_ = np.asarray(pc.string_is_ascii(values).to_numpy(zero_copy_only=False), dtype=bool)
    for i in np.flatnonzero(~ascii_ | (out == "")).tolist():
        out[i] = slug(str(values[i].as_py()))
    return out


def _mapped(values: np.ndarray, fn: Callable[[str], str]) -> np.ndarray:
    """fn of each value (one per key), computed once per distinct value."""
    import numpy as np

    done: dict[str, str] = {}
    out = np.empty(len(values), dtype=object)
    out[:] = [done[v] if v in done else done.setdefault(v, fn(v)) for v in map(str, values)]
    return out


def _factorized(key: np.ndarray) -> np.ndarray:
    """A code per key numbering the distinct keys in increasing order (a hash table and a
    sort of the distinct keys: no sort of every row)."""
    import pyarrow as pa

    codes, _ = _codes(pa.array(key))
    return codes


def _place(country: str, area: str, level: str | None) -> str:
    """A key's location: `Country`, or `Country/area` (`Country/(no adm1)` without one)."""
    if level != "adm1":
        return _no_slash_one(country)
    return f"{_no_slash_one(country)}/{_no_slash_one(area) if area else NO_ADM1}"


def _event_places(ev: _Table) -> pa.Array:
    """Each event's location, as precise as it is coded: `Country/area` or `Country`."""
    import pyarrow.compute as pc

    place = _no_slash(ev.country)
    if ev.adm1 is None:
        return place
    joined = pc.binary_join_element_wise(place, _no_slash(ev.adm1), "/")
    return pc.if_else(_arrow_empty(ev.adm1), place, joined)


def _no_slash(values: pa.Array) -> pa.Array:
    """Names as one part of a location: a `/` in a name would make a place of its own."""
    import pyarrow.compute as pc

    return pc.replace_substring(values, "/", "-")


def _no_slash_one(name: str) -> str:
    return name.replace("/", "-")


def _period_codes(days: np.ndarray, unit: str | None) -> np.ndarray:
    """A number per event for its period: the year, or year * 12 + month - 1; 0 for none."""
    import numpy as np

    if unit is None:
        return np.zeros(len(days), dtype=np.int64)
    stamps = days.astype("datetime64[D]")
    if unit == "year":
        return stamps.astype("datetime64[Y]").astype(np.int64) + 1970
    return stamps.astype("datetime64[M]").astype(np.int64) + 1970 * 12


def _period_text(codes: np.ndarray, unit: str | None) -> np.ndarray:
    """The periods as claims write them: 2014, 2014-03; "" for none."""
    import numpy as np

    if unit is None:
        return np.full(len(codes), "", dtype=object)
    if unit == "year":
        return _mapped(codes.astype(str).astype(object), lambda y: y)
    return _mapped(
        codes.astype(str).astype(object), lambda c: f"{int(c) // 12:04d}-{int(c) % 12 + 1:02d}"
    )


def _period_end(codes: np.ndarray, unit: str | None, last: int) -> np.ndarray:
    """The last day of each period (days since 1970); `last` for no period."""
    import numpy as np

    if unit is None:
        return np.full(len(codes), last, dtype=np.int64)
    if unit == "year":
        following = (codes + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    else:
        following = (codes + 1 - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]")
    return following.astype(np.int64) - 1


def _spans(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Each event's dates as a period: `2014-03-02`, or `2014-03-02/2014-03-05`."""
    import numpy as np

    a, b = _iso_days(start), _iso_days(end)
    return np.asarray(np.where(start == end, a, a + "/" + b), dtype=object)


def _iso_days(days: np.ndarray) -> np.ndarray:
    import numpy as np

    return np.datetime_as_string(days.astype("datetime64[D]")).astype(object)


def _items(ids: pa.Array, origin: pa.Array | None) -> pa.Array:
    """What a note lists for each event: its id, and the originator the dataset names (on
    one line: a line break inside a name would split the note)."""
    import pyarrow.compute as pc

    if origin is None:
        return ids
    if pc.any(pc.match_substring_regex(origin, r"\s\s|[\n\r\t]")).as_py():
        origin = pc.replace_substring_regex(origin, r"\s+", " ")
    joined = pc.binary_join_element_wise(ids, origin, ": ")
    return pc.if_else(pc.equal(origin, ""), ids, joined)


def _joined(items: pa.Array, bounds: np.ndarray) -> pa.Array:
    """The items of each key (`items` sorted by key, `bounds` its offsets) joined by " | "."""
    import pyarrow as pa
    import pyarrow.compute as pc

    lists = pa.LargeListArray.from_arrays(pa.array(bounds, pa.int64()), items)
    return pc.binary_join(lists, " | ")


def _no_claims() -> pa.Table:
    """An import that no event passes: no claims, with the columns of claims."""
    import pyarrow as pa

    numbers = ("low", "best", "high", "row")
    return pa.table(
        {
            c: pa.array([], pa.int64() if c in numbers else pa.string())
            for c in (*CLAIM_COLUMNS, "row")
        }
    )
