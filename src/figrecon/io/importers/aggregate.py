"""Events to claims, the same way for every dataset: the columns `events` reads are
checked (every bad date or count a located error) and summed into one claim per figure
key (--by) with numpy and pyarrow, each claim's note listing the event ids it sums.
Nothing here loops over events in Python."""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...model import MAX_COUNT, Finding, Severity
from ..csv import delimiter_of
from ..records import FileRecords, error
from .events import (
    ISO,
    MAX_FINDINGS,
    Events,
    Format,
    arrow_empty,
    codes_of,
    date_form,
    empty,
    first_present,
    first_rows,
    in_calendar,
    iso_days_of,
    numbers,
    objects,
    passing,
    read_columns,
    resolve_where,
    shown_form,
)
from .options import ImportOptions

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

METRIC = "killed"
SOURCE_TYPE = "research"
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


# --- summing --------------------------------------------------------------------------


def records_of(file: str, summed: Summed) -> FileRecords:
    """Claims summed from an event dataset as the records of a file: the ordinary loading
    path validates them like any claims."""
    out = FileRecords(file, findings=list(summed.findings))
    frame = summed.frame
    if frame is not None:
        out.frame = frame.drop(columns="row")
        out.row_lines = _Lines(summed)
    return out


@dataclass
class Summed:
    """The claims of an event dataset, and what summing the events found."""

    table: pa.Table | None
    """CLAIM_COLUMNS (low, best and high as numbers, the rest as text), and `row`, where
    each claim's first event is in the file; None when an error leaves it unusable."""
    findings: list[Finding]
    events: Events | None = None

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
    delimiter = delimiter_of(text)
    layout = fmt.layout(file, first_rows(text, delimiter))
    if isinstance(layout, Finding):
        return Summed(None, [layout])
    where, problems = resolve_where(file, layout, options.where)
    if problems:
        return Summed(None, problems)
    events = read_columns(file, data, layout, delimiter, [pos for pos, _ in where])
    if not events.findings:
        keep = passing(events, where)
    if events.findings:
        return Summed(None, events.findings)
    claims = _Summing(events, fmt, options, keep).claims()
    unusable = any(f.severity == Severity.error for f in events.findings)
    return Summed(None if unusable else claims, events.findings, events)


def slug(text: str) -> str:
    """A name as the slug of an event or claim id: `Central African Republic` ->
    `central-african-republic`; a name with no Latin letters or digits gets a stable
    stand-in made from its checksum."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return out or f"x{zlib.crc32(text.encode('utf-8')):08x}"


class _Summing:
    """The claims of one file's events (those in `keep`), one per key and group."""

    def __init__(self, events: Events, fmt: Format, options: ImportOptions, keep: Any) -> None:
        self.ev, self.fmt, self.opt = events, fmt, options
        self.keep = keep
        self.layout = events.layout
        self.file = events.file
        self.one_source = False
        """Whether the file's source column names one dataset (then it is no event's
        own provenance)."""

    # - per event

    def counts(self, pos: int) -> np.ndarray:
        """Each event's count; an error for each kept event whose count is no whole number
        from 0 to 10^10, the claims' own limit (a 30-digit count, or `1e309`, would
        otherwise wrap around in 64 bits). Events left out count 0."""
        import numpy as np

        values = self.ev.raw(pos)
        parsed = numbers(values)
        # NaN fails every comparison: it is no count either.
        count = (parsed >= 0) & (parsed <= MAX_COUNT) & (parsed == np.floor(parsed))
        bad = np.flatnonzero(self.keep & ~count)

        def said(row: int) -> str:
            given = str(values[row].as_py()).strip()
            if parsed[row] > MAX_COUNT:
                return f"`{given}` is more than 10^10 people"
            return f"`{given}` is not a count (a whole number, 0 or more)" if given else "is empty"

        blank = empty(values)
        self.ev.bad(
            bad[~blank[bad]],
            pos,
            said,
            "give the number of deaths (0 when none), or leave the event out with --where",
        )
        # An empty count is often a row that counts something else (HDX HAPI leaves the
        # fatalities of demonstrations empty): say how to leave all of them out.
        self.ev.bad(
            bad[blank[bad]],
            pos,
            said,
            "give the number of deaths (0 when none), or leave out the events without one "
            f"with --where '{self.layout.names[pos]}!='",
        )
        return np.asarray(np.where(count, parsed, 0), dtype=np.int64)

    def dates(self, pos: int) -> np.ndarray:
        """Days since 1970-01-01 of each event, read in the first of the format's date
        forms that the first event's date is written in (ISO dates may carry a time),
        and a date that is not in it in the format's other forms; NaN for an event whose
        date is none, an error when it is kept."""
        import numpy as np

        values = self.ev.raw(pos)
        first = date_form(first_present(values), self.fmt.date_formats)
        out = _days_in(values, first)
        for form in self.fmt.date_formats:
            if form == first or not np.isnan(out[self.keep]).any():
                continue
            # ACLED writes `05 January 2022` or 2022-01-05: a file may hold both, and a
            # malformed first date must not make every later one "no date".
            out = np.where(np.isnan(out), _days_in(values, form), out)
        forms = " or ".join(shown_form(f) for f in self.fmt.date_formats)

        def said(row: int) -> str:
            given = str(values[row].as_py()).strip()
            return f"`{given}` is not a date" if given else "no date"

        self.ev.bad(
            np.flatnonzero(self.keep & np.isnan(out)), pos, said, f"write the date as {forms}"
        )
        return out

    def spans(self, year_at: int, month_at: int | None) -> tuple[np.ndarray, np.ndarray]:
        """The first and last days (since 1970-01-01) of the month (or, without a month
        column, the year) that each row counts; NaN for a row whose year or month is
        none, an error when it is kept."""
        import numpy as np

        years = self.ev.text(year_at).to_pylist()
        months = self.ev.text(month_at).to_pylist() if month_at is not None else None
        start = np.full(len(years), np.nan)
        end = np.full(len(years), np.nan)
        wrong: dict[int, tuple[int | None, str]] = {}
        for row, given in enumerate(years):
            year = int(given) if given and re.fullmatch(r"\d{4}", given) else None
            if year is None or not 1 <= year <= 9999:
                wrong[row] = (year_at, f"`{given}` is not a year" if given else "no year")
                continue
            if months is None:
                first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            else:
                month = _month(months[row])
                if month is None:
                    shown = months[row]
                    wrong[row] = (month_at, f"`{shown}` is not a month" if shown else "no month")
                    continue
                first = dt.date(year, month, 1)
                last = dt.date(year, month, calendar.monthrange(year, month)[1])
            start[row] = first.toordinal() - _EPOCH
            end[row] = last.toordinal() - _EPOCH
        for pos, hint in ((year_at, "write the year as YYYY"), (month_at, _MONTH_HINT)):
            rows = np.array([r for r, (at, _) in wrong.items() if at == pos], dtype=np.int64)
            if pos is not None and len(rows):
                self.ev.bad(rows[self.keep[rows]], pos, lambda r: wrong[r][1], hint)
        return start, end

    # - the claims

    def claims(self) -> pa.Table | None:
        import numpy as np
        import pyarrow as pa

        lay, opt = self.layout, self.opt
        keep = self.keep
        if lay.year is not None:
            start, end = self.spans(lay.year, lay.month)
        else:
            start = self.dates(lay.start)
            end = start if lay.end == lay.start else self.dates(lay.end)
        best = self.counts(lay.best)
        low = self.counts(lay.low) if lay.low is not None else best
        high = self.counts(lay.high) if lay.high is not None else best
        groups = {g: self.counts(pos) for g, pos in lay.groups.items()}
        country = self.ev.text(lay.country)
        for row in np.flatnonzero(keep & empty(country))[:MAX_FINDINGS].tolist():
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
        # An event without a date (NaN) has been told above; it ends before nothing.
        late = np.flatnonzero(keep & (end < start))
        self.ev.bad(
            late,
            lay.end,
            lambda row: f"the event ends ({_day(end[row])}) before it starts ({_day(start[row])})",
            "fix the dates",
        )
        if lay.year is not None and lay.month is None and opt.period == "month":
            # A row counts a year: no month of it can be told apart.
            self.ev.findings.append(
                error(
                    "invalid-dataset",
                    self.file,
                    lay.header_rows,
                    f"--by {','.join(opt.by)}: the rows count whole years (#date+year, no "
                    "#date+month)",
                    f"use --by {','.join('year' if k == 'month' else k for k in opt.by)}",
                )
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
        # Every kept event has its dates; those left out count as 1970-01-01.
        start, end = (np.asarray(np.nan_to_num(days), dtype=np.int64) for days in (start, end))
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
        """Each event's id as the dataset writes it (or `line N`); an error for a kept
        event without one, and for an id on more than one kept row."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        if self.layout.id is None:
            lines = pc.cast(pa.array(self.ev.lines), pa.string())
            return pc.binary_join_element_wise("line ", lines, "")
        ids = self.ev.text(self.layout.id)
        missing = np.flatnonzero(self.keep & empty(ids))
        self.ev.bad(missing, self.layout.id, lambda row: "no event id", "give every event its id")
        combined = ids.combine_chunks()
        self.repeats(combined, self.layout.id)
        return combined

    def repeats(self, ids: pa.Array, pos: int) -> None:
        """An error at the second row of each id that kept events share. A repeated event
        (two extracts put together, a row exported twice) counts its deaths twice in every
        sum, and with --by event makes two claims of one id: refused even when the rows
        are the same, for a person to say which one stands."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        rows = np.flatnonzero(self.keep & ~empty(ids))
        encoded = pc.dictionary_encode(ids.take(pa.array(rows)))
        if len(encoded.dictionary) == len(rows):
            return
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
        order = np.argsort(codes, kind="stable")  # the rows of each id together, in order
        ranked = codes[order]
        rank = np.empty(len(rows), dtype=np.int64)
        rank[order] = np.arange(len(rows)) - np.searchsorted(ranked, ranked)
        second = rows[rank == 1]

        def said(row: int) -> str:
            code = codes[np.searchsorted(rows, row)]
            same = order[np.searchsorted(ranked, code) : np.searchsorted(ranked, code, "right")]
            *before, last = self.ev.lines[rows[same]].tolist()
            shown = [*before[:9], "..."] if len(before) > 9 else before
            return f"id {ids[row].as_py()} is on lines {', '.join(map(str, shown))} and {last}"

        self.ev.bad(
            second,
            pos,
            said,
            "keep one row per event (a file put together from two extracts repeats the events "
            "they share)",
        )

    def released(self) -> dt.date | None:
        """The day the dataset was released: --released, else the day of the latest
        update of its events when the format records them (ACLED's timestamp)."""
        import numpy as np

        if self.opt.released is not None:
            return self.opt.released
        pos = self.layout.released
        if pos is not None and self.keep.any():
            written = self.ev.text(pos)
            stamps = numbers(written)
            days = np.floor(stamps / 86_400)
            if not np.isnan(stamps[self.keep]).any():
                # A time after 9999 (or before year 1) dates no release: an error, not a
                # day that overflows.
                outside = np.flatnonzero(self.keep & ~in_calendar(days))
                if not len(outside):
                    return dt.date.fromordinal(int(days[self.keep].max()) + _EPOCH)
                self.ev.bad(
                    outside,
                    pos,
                    lambda row: (
                        f"`{written[row].as_py()}` is no time between the "
                        "years 1 and 9999 (seconds since 1970-01-01)"
                    ),
                    "fix it, or give the release date with --released YYYY-MM-DD",
                )
                return None
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
            named = np.unique(objects(self.ev.text(pos))[self.keep])
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
            country, countries = codes_of(ev.country)
            areas = [""]
            place_code = country
            if opt.location == "adm1":
                assert ev.adm1 is not None
                self.unlocated(ev)
                area, areas = codes_of(ev.adm1)
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
        self.over_the_limit({**sums, **group_sums}, count, line)
        if not opt.per_event:
            self.crossing(ev, key_codes, period)
        notes = _joined(ev.items.take(pa.array(order)), bounds)
        rows = first  # an event of each key: its place, period, dates
        if opt.per_event:
            loc = objects(_event_places(ev).take(pa.array(rows)))
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
        lacking = np.flatnonzero(empty(ev.adm1))
        codes, countries = codes_of(ev.country.take(pa.array(lacking)))
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

    def over_the_limit(
        self, sums: dict[str, np.ndarray], count: np.ndarray, line: np.ndarray
    ) -> None:
        """An error for each key whose events sum to more than 10^10 people in an estimate
        or a group (`sums`, by key), the claims' own limit (each event is within it:
        `counts`), at its first event's line: the claim would be written, and refused by
        every command that reads it."""
        import numpy as np

        over = {name: np.flatnonzero(total > MAX_COUNT) for name, total in sums.items()}
        keys = sorted({int(k) for rows in over.values() for k in rows})
        for key in keys[:MAX_FINDINGS]:
            name = next(name for name, rows in over.items() if key in rows)
            self.ev.findings.append(
                error(
                    "invalid-dataset",
                    self.file,
                    int(self.ev.lines[line[key]]),
                    f"the {count[key]:,} events of the figure that starts here sum to "
                    f"{sums[name][key]:,} people ({name}), more than 10^10",
                    "check the counts of its events, or split the figure with --by "
                    "(e.g. --by adm1,month)",
                )
            )
        if len(keys) > MAX_FINDINGS:
            self.ev.findings.append(
                error(
                    "invalid-dataset",
                    self.file,
                    int(self.ev.lines[line[keys[MAX_FINDINGS]]]),
                    f"and {len(keys) - MAX_FINDINGS:,} more figures that sum to more than "
                    "10^10 people",
                    "check the counts of their events",
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


def _slugs(values: pa.Array) -> np.ndarray:
    """`slug` of many values at once (event ids): ASCII ones column-wise, others one by one."""
    import numpy as np
    import pyarrow.compute as pc

    dashed = pc.replace_substring_regex(pc.utf8_lower(values), r"[^a-z0-9]+", "-")
    out = objects(pc.utf8_trim(dashed, "-"))
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

    codes, _ = codes_of(pa.array(key))
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
    return pc.if_else(arrow_empty(ev.adm1), place, joined)


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


def _days_in(values: pa.ChunkedArray, form: str) -> np.ndarray:
    """Days since 1970-01-01 of each date of `values` written in `form` (strptime's,
    or ISO: a day that may carry a time); NaN for any other."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if form == ISO and (days := iso_days_of(values)) is not None:
        return np.asarray(days, dtype=float)
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
    # whose day is not the day written is no date. A day that is no one or two digits
    # (an empty date, `2014-3-2`, any other text) is none either, and is no number.
    digits = pc.match_substring_regex(day, r"^\d{1,2}$")
    written = pc.cast(pc.if_else(digits, day, pa.scalar(None, pa.string())), pa.int64())
    same = pc.equal(written, pc.day(parsed))
    parsed = pc.if_else(pc.fill_null(same, False), parsed, pa.scalar(None, parsed.type))
    days = pc.cast(pc.cast(parsed, pa.timestamp("s")), pa.int64())
    out = np.asarray(days.to_numpy(zero_copy_only=False), dtype=float) // 86_400
    out[~in_calendar(out)] = np.nan
    return out


_MONTHS = {
    name: number
    for number, month in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
    for name in (month, month[:3])
} | {"sept": 9}
_MONTH_HINT = "write the month as its English name (January) or its number (1 to 12)"


def _month(given: str | None) -> int | None:
    """A month written as its English name, its first three letters or its number."""
    if not given:
        return None
    text = given.strip().lower().removesuffix(".")  # `Sep.`, `Sept.`
    if re.fullmatch(r"\d{1,2}", text):
        return int(text) if 1 <= int(text) <= 12 else None
    return _MONTHS.get(text)
