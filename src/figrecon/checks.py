"""`figrecon check`: a dataset lint for CI. Schema errors come from loading; the
semantic findings below look across claims (duplicates, cycles, decreases, parts and
wholes, breakdowns, repeats of withdrawn figures, mislabels, typos, dates, provenance).

Every finding is a value with a stable kebab-case code, a severity, a location and
one sentence; the catalogue `CODES` lists them all.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, Field

from .claims import Claims, load_with_findings
from .codes import ALSO_WARNINGS, ALWAYS, CODES, UNUSABLE
from .errors import UsageError
from .models import Finding, Severity, figure_text
from .readers import MAX_INPUT_SIZE

if TYPE_CHECKING:
    from .importers import ImportOptions

__all__ = [
    "ALWAYS",
    "CODES",
    "UNUSABLE",
    "Report",
    "check",
    "possible_typos",
    "reconcile_warnings",
    "resolve_codes",
    "semantic",
]

MISLABEL_MIN = 10
"""possible-mislabel looks at figures of at least this size."""
TYPO_FACTORS = (10, 100, 1000)
"""possible-typo: a point this many times its neighbours' (or this many times smaller),"""
TYPO_SLACK = 0.05
"""give or take this share of the factor,"""
TYPO_AGREE = 1.5
"""when the two neighbours are within this factor of each other."""
_TIMES_SMALLER = {10: "a tenth of", 100: "a hundredth of", 1000: "a thousandth of"}


class Report(BaseModel):
    """The result of `figrecon check` (its `--format json`)."""

    valid: bool
    """No errors (and, with --strict, no warnings)."""
    errors: int
    warnings: int
    findings: list[Finding] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    """The files that were checked."""

    @property
    def unusable(self) -> bool:
        return any(f.code in UNUSABLE for f in self.findings)


def resolve_codes(codes: Iterable[str] | None, flag: str) -> set[str] | None:
    if codes is None:
        return None
    if isinstance(codes, str):  # the library called with "a,b" rather than ["a", "b"]
        codes = codes.split(",")
    out = {c.strip() for c in codes if c.strip()}
    unknown = sorted(out - set(CODES))
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(CODES), n=1, cutoff=0.6)
        maybe = f" (did you mean {close[0]!r}?)" if close else ""
        raise UsageError(
            f"{flag}: unknown code {unknown[0]!r}{maybe}; codes are listed by "
            "`figrecon check --help`"
        )
    fixed = sorted(out & ALWAYS - ALSO_WARNINGS)
    if fixed and flag.endswith("ignore"):
        raise UsageError(
            f"{flag}: {fixed[0]} cannot be ignored: reconcile refuses claims that have it; "
            "fix the input"
        )
    return out


def check(
    paths: str | Path | Sequence[str | Path],
    *,
    sources: str | Path | None = None,
    encoding: str = "utf-8-sig",
    input_format: str | None = None,
    profile: str = "default",
    lang: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    strict: bool = False,
    today: dt.date | None = None,
    max_input_size: int = MAX_INPUT_SIZE,
    events: ImportOptions | None = None,
) -> Report:
    """Check claim files: every schema error and semantic finding, located (event
    datasets as the claims `events` asks for)."""
    chosen = resolve_codes(select, "--select")
    dropped = resolve_codes(ignore, "--ignore") or set()
    claims, findings = load_with_findings(
        paths,
        sources=sources,
        encoding=encoding,
        input_format=input_format,
        profile=profile,
        lang=lang,
        max_input_size=max_input_size,
        events=events,
    )
    files = claims.files if claims is not None else []
    if claims is not None and not any(f.code in UNUSABLE for f in findings):
        findings = findings + semantic(_sound(claims, findings), today or dt.date.today())
    findings = [
        f
        for f in findings
        if (f.code in ALWAYS and f.severity == Severity.error)
        or ((chosen is None or f.code in chosen) and f.code not in dropped)
    ]
    findings = _in_order(findings, files)
    errors = sum(f.severity == Severity.error for f in findings)
    warnings = sum(f.severity == Severity.warning for f in findings)
    return Report(
        valid=errors == 0 and (not strict or warnings == 0),
        errors=errors,
        warnings=warnings,
        findings=findings,
        files=files,
    )


def reconcile_warnings(claims: Claims, today: dt.date | None = None) -> list[Finding]:
    """What `reconcile` prints on stderr: the input's warnings, its possible typos (a
    slip there changes the figures, so it is worth a look before they are used), and
    dates after today. `check` calls a future date an error; `reconcile` only warns, so
    that no figure changes with the day it is computed."""
    future = [
        f.model_copy(update={"severity": Severity.warning})
        for f in future_dates(claims, today or dt.date.today())
    ]
    return _in_order([*claims.findings, *possible_typos(claims), *future], claims.files)


def future_dates(claims: Claims, today: dt.date) -> list[Finding]:
    """`future-date`: a stated_on or as_of after today."""
    cols = claims.columns
    out = []
    for name in ("stated_on", "as_of"):
        days = np.array(
            [d.toordinal() if isinstance(d, dt.date) else 0 for d in cols[name]], dtype=np.int64
        )
        for i in np.flatnonzero(days > today.toordinal()).tolist():
            out.append(
                Finding(
                    code="future-date",
                    severity=CODES["future-date"][0],
                    file=str(cols["file"][i]),
                    line=int(cols["line"][i]),
                    claim=str(cols["id"][i]),
                    field=name,
                    message=f"{cols[name][i].isoformat()} is after today ({today.isoformat()})",
                    hint="check the year and the order of day and month",
                )
            )
    return out


def _in_order(findings: list[Finding], files: list[str]) -> list[Finding]:
    """Findings file by file in the order the files were given, then by line."""
    order = {name: i for i, name in enumerate(files)}
    return sorted(
        findings,
        key=lambda f: (
            order.get(f.file or "", -1),
            f.file or "",
            f.line or 0,
            f.code,
            f.claim or "",
        ),
    )


# --- semantic findings ------------------------------------------------------------------


class _View:
    """The loaded claims as plain lists, for checks that compare claims."""

    # Set column by column in __init__: one list per claims column, None for a missing
    # value, except the numeric columns, which are floats with NaN for missing.
    id: list[Any]
    file: list[Any]
    line: list[Any]
    event: list[Any]
    metric: list[Any]
    group: list[Any]
    location: list[Any]
    period: list[Any]
    measure: list[Any]
    originator: list[Any]
    source_name: list[Any]
    via: list[Any]
    value_text: list[Any]
    kind: list[Any]
    retracts: list[Any]
    retracted: list[Any]
    parts: list[Any]
    stated_on: list[Any]
    as_of: list[Any]
    url: list[Any]
    quote: list[Any]
    assessment: list[Any]
    hard_low: list[float]
    hard_high: list[float]
    point: list[float]
    figure: list[float]
    figure_high: list[float]
    stated_key: list[float]
    date_key: list[float]

    def __init__(self, claims: Claims) -> None:
        cols = claims.columns
        self.n = len(claims)

        def listed(name: str) -> list[Any]:
            return [
                None if (isinstance(v, float) and math.isnan(v)) else v for v in cols[name].tolist()
            ]

        for name in (
            "id",
            "file",
            "line",
            "event",
            "metric",
            "group",
            "location",
            "period",
            "measure",
            "originator",
            "source_name",
            "via",
            "value_text",
            "kind",
            "retracts",
            "retracted",
            "parts",
            "stated_on",
            "as_of",
            "url",
            "quote",
            "assessment",
        ):
            setattr(self, name, listed(name))
        for name in (
            "hard_low",
            "hard_high",
            "point",
            "figure",
            "figure_high",
            "stated_key",
            "date_key",
        ):
            setattr(self, name, cols[name].astype(float).tolist())
        self.index = {cid: i for i, cid in enumerate(self.id)}

    def finding(
        self,
        code: str,
        i: int,
        message: str,
        hint: str | None = None,
        field: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=code,
            severity=severity or CODES[code][0],
            file=self.file[i],
            line=int(self.line[i]),
            claim=self.id[i],
            field=field,
            message=message,
            hint=hint,
        )

    def label(self, i: int) -> str:
        return _label(self.id[i], self.value_text[i], self.stated_on[i])

    def day(self, i: int) -> str:
        return _day(self.stated_on[i])

    def group_key(self, i: int) -> tuple[Any, ...]:
        return (self.event[i], self.metric[i], self.group[i], self.location[i], self.period[i])

    def figure_key(self, i: int) -> tuple[Any, ...] | None:
        if math.isnan(self.figure[i]):
            return None
        return (self.figure[i], None if math.isnan(self.figure_high[i]) else self.figure_high[i])

    def has_figure(self, i: int) -> bool:
        return self.kind[i] is not None


def _day(d: Any) -> str:
    return d.isoformat() if isinstance(d, dt.date) else "undated"


def _label(cid: Any, value_text: Any, stated_on: Any) -> str:
    """A claim in a sentence: its id, its figure as written and the day it was stated."""
    return f"{cid} ({value_text}, {_day(stated_on)})"


def _sound(claims: Claims, findings: list[Finding]) -> Claims:
    """The claims without schema errors: the semantic checks read only those (a claim
    with an unknown metric has no measure to compare)."""
    broken = {f.claim for f in findings if f.severity == Severity.error and f.claim}
    cols = claims.columns
    keep = np.array(
        [
            cid not in broken and m is not None
            for cid, m in zip(cols["id"], cols["measure"], strict=True)
        ],
        dtype=bool,
    )
    return claims if keep.all() else claims.take(keep)


def semantic(claims: Claims, today: dt.date) -> list[Finding]:
    from .batch import HISTORY, WITHDRAWN
    from .engine import attribution

    v = _View(claims)
    # What R3 and R4 make of each claim, from the engine itself.
    b = attribution(claims)
    rows = {str(cid): i for i, cid in enumerate(b.id.tolist())}
    at = [rows[cid] for cid in v.id]
    withdrawn = {i for i in range(v.n) if b.status[at[i]] == WITHDRAWN}
    late = {i for i in range(v.n) if b.status[at[i]] == HISTORY}
    repeats = {i for i in range(v.n) if b.repeat_of[at[i]] >= 0}
    unmarked = {i: v.index[str(b.id[b.related[at[i]]])] for i in range(v.n) if b.repeat[at[i]]}
    unconfirmed = {i for i in range(v.n) if not b.confirmed[at[i]]}
    out: list[Finding] = []
    out += _duplicates(v)
    out += _decreases(v, withdrawn | late | repeats, unconfirmed)
    out += _parts_and_wholes(v, withdrawn)
    out += _breakdowns(v)
    out += _repeats(v, unmarked)
    out += _mislabels(v, withdrawn)
    out += possible_typos(claims)
    out += future_dates(claims, today)
    out += _as_of_after_stated(v)
    out += _provenance(v)
    return out


def _duplicates(v: _View) -> list[Finding]:
    """The same claim entered twice. Relays of one statement by different outlets are
    how the format records a figure's spread (R4), so the carrier is part of the key."""
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    for i in sorted(range(v.n), key=lambda i: (v.file[i], v.line[i])):
        if not v.has_figure(i):
            continue
        key = (
            *v.group_key(i),
            v.originator[i],
            v.value_text[i],
            v.stated_on[i],
            v.as_of[i],
            v.via[i],
        )
        if key in seen:
            first = seen[key]
            out.append(
                v.finding(
                    "duplicate-claim",
                    i,
                    f"the same claim as {v.id[first]} ({v.file[first]}:"
                    f"{v.line[first]}): same originator, figure, date and carrier",
                    "delete one of them, or tell them apart (via, url)",
                )
            )
        else:
            seen[key] = i
    return out


def _decreases(v: _View, aside: set[int], unconfirmed: set[int]) -> list[Finding]:
    """One originator's cumulative figure falls below its own earlier figure. Withdrawn
    claims, old figures relayed late and relays repeating an earlier statement (R3, R4)
    are left aside: only the originator's own statements are compared. As in R2, only a
    confirmed earlier statement counts as the figure it fell from: a lone relayed typo
    is `possible-typo`'s finding, not a decrease."""
    series: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i in range(v.n):
        if (
            v.has_figure(i)
            and v.measure[i] == "cumulative"
            and i not in aside
            and not math.isnan(v.date_key[i])
        ):
            series[(*v.group_key(i), v.originator[i])].append(i)
    out = []
    for rows in series.values():
        rows.sort(key=lambda i: (v.date_key[i], v.stated_key[i], v.id[i]))
        top = -1
        for i in rows:
            if top >= 0 and v.hard_high[i] < v.hard_low[top] and v.date_key[i] > v.date_key[top]:
                out.append(
                    v.finding(
                        "cumulative-decrease",
                        i,
                        f"{v.source_name[i]} says {v.value_text[i]} on {v.day(i)}, "
                        f"below its earlier {v.label(top)}, "
                        f"for a {v.metric[i]} count that only grows",
                        "if the earlier figure was withdrawn, record that "
                        "(retracts or retracted: true); if the "
                        "scope differs, set group, location or period",
                    )
                )
            if i not in unconfirmed and (top < 0 or v.hard_low[i] > v.hard_low[top]):
                top = i
    return out


def _parts_and_wholes(v: _View, withdrawn: set[int]) -> list[Finding]:
    """A figure above the same originator's total of the same day: a group's figure
    above the total of its place, or a sub-location's figure above the total (or the
    same group) of a place that contains it."""
    wholes: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i in range(v.n):
        if v.has_figure(i) and i not in withdrawn and isinstance(v.stated_on[i], dt.date):
            key = (
                v.event[i],
                v.metric[i],
                v.period[i],
                v.originator[i],
                v.stated_on[i],
                v.location[i] or "",
            )
            wholes[key].append(i)
    out = []
    for i in range(v.n):
        if not v.has_figure(i) or i in withdrawn or not isinstance(v.stated_on[i], dt.date):
            continue
        here = v.location[i] or ""
        places = [here] + [here[:k] for k in range(len(here)) if here[k] == "/"]
        for place in places:
            for t in wholes.get(
                (v.event[i], v.metric[i], v.period[i], v.originator[i], v.stated_on[i], place), ()
            ):
                if t == i or v.hard_low[i] <= v.hard_high[t]:
                    continue
                contains = (place == here and v.group[t] == "total" and v.group[i] != "total") or (
                    place != here and v.group[t] in ("total", v.group[i])
                )
                if contains:
                    what = f"the {v.group[i]} figure" if place == here else f"the figure for {here}"
                    out.append(
                        v.finding(
                            "part-exceeds-whole",
                            i,
                            f"{what} {v.value_text[i]} is above "
                            f"{v.source_name[i]}'s {v.group[t]} figure "
                            f"{v.label(t)} for {place or 'the same place'} of the same day",
                            "check the group, the location or the figures",
                        )
                    )
    return out


def _breakdowns(v: _View) -> list[Finding]:
    """Declared parts (`parts`) must add up to their total (their intervals, summed)."""
    out = []
    for i in range(v.n):
        parts = [v.index[p] for p in (v.parts[i] or ()) if p in v.index]
        if not parts or not v.has_figure(i) or not all(v.has_figure(p) for p in parts):
            continue
        low = sum(v.hard_low[p] for p in parts)
        high = sum(v.hard_high[p] for p in parts)
        if low > v.hard_high[i] or high < v.hard_low[i]:
            listed = " + ".join(f"{v.value_text[p]} ({v.id[p]})" for p in parts)
            stated = [v.figure[p] for p in parts]
            total = (
                figure_text(sum(stated))
                if not any(math.isnan(x) for x in stated)
                else f"{figure_text(low)}–{figure_text(high)}"
            )
            out.append(
                v.finding(
                    "breakdown-mismatch",
                    i,
                    f"its parts add up to {total}, not {v.value_text[i]}: {listed}",
                    "parts may overlap or leave some out; note which, or correct the figures",
                    "parts",
                )
            )
    return out


def _repeats(v: _View, unmarked: dict[int, int]) -> list[Finding]:
    """A repeat of a withdrawn figure (same originator, same number) that is not marked:
    reconcile withdraws it anyway (R3), but the dataset should say so."""
    return [
        v.finding(
            "repeats-withdrawn",
            i,
            f"repeats the withdrawn figure of {v.label(original)}",
            "mark it `retracted: true` (reconcile already leaves it out)",
            "retracted",
        )
        for i, original in sorted(unmarked.items())
    ]


def _mislabels(v: _View, withdrawn: set[int]) -> list[Finding]:
    """The same originator's same figure on the same day under another metric or group."""
    seen: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i in range(v.n):
        key = v.figure_key(i)
        # Small figures coincide too often to suggest anything ("2 killed, 2 injured").
        if (
            key is None
            or key[0] < MISLABEL_MIN
            or i in withdrawn
            or not isinstance(v.stated_on[i], dt.date)
        ):
            continue
        seen[(v.event[i], v.location[i], v.period[i], v.originator[i], v.stated_on[i], key)].append(
            i
        )
    out = []
    for rows in seen.values():
        labels = {(v.metric[i], v.group[i]) for i in rows}
        if len(labels) < 2:
            continue
        rows.sort(key=lambda i: v.id[i])
        first = rows[0]
        for i in rows[1:]:
            if (v.metric[i], v.group[i]) != (v.metric[first], v.group[first]):
                out.append(
                    v.finding(
                        "possible-mislabel",
                        i,
                        f"{v.source_name[i]} gives the same figure ({v.value_text[i]}) "
                        f"on {v.day(i)} as "
                        f"{v.metric[first]}/{v.group[first]} in {v.id[first]}, "
                        f"here as {v.metric[i]}/{v.group[i]}",
                        "check which count the figure is; if both are right, ignore this finding",
                    )
                )
    return out


def possible_typos(claims: Claims) -> list[Finding]:
    """A figure 10, 100 or 1,000 times (or a tenth, ... of) both of its originator's
    neighbouring statements of the same figure, or with two adjacent digits of one of
    them swapped, while those two agree: a slipped separator or digit. Columnar (one
    sort, then whole-array comparisons), so that `reconcile` can print it too."""
    cols = claims.columns
    figure = cols["figure"].astype(float)
    point = cols["point"].astype(float)
    date = cols["date_key"].astype(float)
    # A withdrawn figure is neither checked (it is dealt with) nor a neighbour: it may be
    # the very slip its originator corrected, and it is no longer what the originator says.
    named = {target for targets in cols["retracts"].tolist() for target in targets}
    withdrawn = cols["retracted"].astype(bool)
    if named:
        withdrawn |= np.fromiter((cid in named for cid in cols["id"].tolist()), bool, len(claims))
    # A vague word ("hundreds") states no digits to mistype and its point is a convention,
    # so only stated numbers are compared; an undated statement has no place in the order.
    rows = np.flatnonzero(~np.isnan(figure) & ~np.isnan(date) & ~withdrawn)
    series = np.zeros(len(rows), dtype=np.int64)
    for name in ("event", "metric", "group", "location", "period", "originator"):
        codes = pd.factorize(cols[name][rows])[0]
        series = pd.factorize(series * (codes.max(initial=0) + 2) + codes + 1)[0]
    # Most originators state most figures once: only series of two or more are sorted.
    several = np.bincount(series)[series] > 1
    rows, series = rows[several], series[several]
    if not len(rows):
        return []
    ids = cols["id"][rows].astype(str)
    order = np.lexsort((ids, cols["stated_key"][rows].astype(float), date[rows], series))
    s = rows[order]
    # Consecutive statements of one series are neighbours; their ratios and digits are
    # compared once per pair and read from both sides.
    same = series[order][1:] == series[order][:-1]
    p = point[s]
    # A range's digits are two numbers: only single numbers are compared digit by digit.
    f = np.where(np.isnan(cols["figure_high"][s].astype(float)), figure[s], np.nan)
    times = same & (_times(p[1:], p[:-1]) > 0)
    swaps = same & _swapped(f[1:], f[:-1])
    has_prev, has_next = np.append(False, same), np.append(same, False)
    times_prev, times_next = np.append(False, times), np.append(times, False)
    swap_prev, swap_next = np.append(False, swaps), np.append(swaps, False)
    p_prev, p_next = np.roll(p, 1), np.roll(p, -1)
    agree = np.maximum(p_prev, p_next) <= TYPO_AGREE * np.minimum(p_prev, p_next)
    inner = has_prev & has_next & agree & ((times_prev & times_next) | swap_prev | swap_next)
    # A first or last statement has one neighbour; but when that neighbour is itself the
    # slip, flagged by the two statements around it, this one is its witness, not a slip.
    first = ~has_prev & (times_next | swap_next) & ~np.roll(inner, -1)
    last = ~has_next & (times_prev | swap_prev) & ~np.roll(inner, 1)
    out = []
    for k in np.flatnonzero(inner | first | last).tolist():
        near = [j for j, there in ((k - 1, has_prev[k]), (k + 1, has_next[k])) if there]
        swapped = [j for j, hit in ((k - 1, swap_prev[k]), (k + 1, swap_next[k])) if hit]
        scaled = [j for j, hit in ((k - 1, times_prev[k]), (k + 1, times_next[k])) if hit]
        if scaled == near:
            factor = int(_times(p[k : k + 1], p[near[0] : near[0] + 1])[0])
            what = f"{factor:,} times" if p[k] > p[near[0]] else _TIMES_SMALLER[factor]
        else:
            what = f"{figure_text(f[swapped[0]])} with two adjacent digits swapped;"
        i = int(s[k])
        labels = [
            _label(cols["id"][s[j]], cols["value_text"][s[j]], cols["stated_on"][s[j]])
            for j in near
        ]
        if len(near) == 2:
            where = f"its statements just before and after: {labels[0]} and {labels[1]}"
        else:
            side = "before" if near[0] < k else "after"
            where = f"its only neighbouring statement, just {side}: {labels[0]}"
        out.append(
            Finding(
                code="possible-typo",
                severity=CODES["possible-typo"][0],
                file=cols["file"][i],
                line=int(cols["line"][i]),
                claim=cols["id"][i],
                message=f"{cols['source_name'][i]} says {cols['value_text'][i]} on "
                f"{_day(cols['stated_on'][i])}, {what} {where}",
                hint="check the figure against the source; if it is right, ignore this finding",
            )
        )
    return out


def _times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The factor of TYPO_FACTORS that one point is of the other, either way; 0 for none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.maximum(a, b) / np.minimum(a, b)
    out = np.zeros(len(a), dtype=np.int64)
    for factor in TYPO_FACTORS:
        hit = (ratio >= factor * (1 - TYPO_SLACK)) & (ratio <= factor * (1 + TYPO_SLACK))
        out[hit] = factor
    return out


_POWERS = 10.0 ** np.arange(16)


def _swapped(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs of whole numbers with as many digits that differ only by two adjacent
    digits exchanged (1,243 and 1,423). NaN (a range, a vague word) is never one."""
    out = np.zeros(len(a), dtype=bool)
    whole = (a == np.floor(a)) & (b == np.floor(b)) & (a >= 10) & (b >= 10)
    whole &= (a < _POWERS[-1]) & (b < _POWERS[-1])
    x, y = a[whole].astype(np.int64), b[whole].astype(np.int64)
    # Exchanging the digits d and e at 10^k and 10^(k+1) changes a number by 9·(d-e)·10^k.
    near = (x != y) & ((x - y) % 9 == 0)
    digits = np.searchsorted(_POWERS, x, "right")
    near &= digits == np.searchsorted(_POWERS, y, "right")
    at = np.flatnonzero(whole)[near]
    x, y = x[near], y[near]
    low_x, low_y = x % 10, y % 10
    differ = (low_x != low_y).astype(np.int64)
    crossed = np.zeros(len(x), dtype=bool)
    for _ in range(int(digits[near].max(initial=1)) - 1):
        x, y = x // 10, y // 10
        high_x, high_y = x % 10, y % 10
        crossed |= (high_x != high_y) & (high_x == low_y) & (high_y == low_x)
        differ += high_x != high_y
        low_x, low_y = high_x, high_y
    out[at] = crossed & (differ == 2)
    return out


def _as_of_after_stated(v: _View) -> list[Finding]:
    out = []
    for i in range(v.n):
        stated, as_of = v.stated_on[i], v.as_of[i]
        if isinstance(stated, dt.date) and isinstance(as_of, dt.date) and as_of > stated:
            out.append(
                v.finding(
                    "as-of-after-stated",
                    i,
                    f"as_of {as_of.isoformat()} is after stated_on {stated.isoformat()}",
                    "as_of is the date the count refers to, on or before the statement; "
                    "swap them if reversed",
                    "as_of",
                )
            )
    return out


def _provenance(v: _View) -> list[Finding]:
    return [
        v.finding(
            "missing-provenance",
            i,
            "has neither url nor quote",
            "add the address (url) or the words of the source (quote)",
        )
        for i in range(v.n)
        if not v.url[i] and not v.quote[i]
    ]
