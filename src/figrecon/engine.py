"""From normalized claims to reconciled figures: rules R2-R12 of RECONCILIATION.md.

Claims are sorted once by (event, metric, group, location, period); each group is then
reconciled by a tight loop over small per-claim records, so the cost grows linearly with
the number of claims. Every rule that fires leaves a note with its rule id and the
claims involved, and every claim ends with a status that `--explain` shows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from .claims import Claims, paused_gc
from .config import Parameters
from .models import (
    BOUND_KINDS,
    CONFIDENCE_LEVELS,
    STATE_TYPES,
    VALUE_KINDS,
    WEAK_TYPES,
    ClaimTrace,
    Confidence,
    Exclusion,
    Figure,
    History,
    HistoryPoint,
    Kind,
    Measure,
    MethodBlock,
    Note,
    Result,
    SourceType,
)

EPS = 1e-9
PRECISION = {k: i for i, k in enumerate(Kind)}
"""R2: exact, round, range, approx, approx_below, bounds, vague (lower is more precise)."""
PRECISION[Kind.upper_bound] = PRECISION[Kind.lower_bound]

NOTE_ORDER = (
    "retracted", "repeat-of-retracted", "relayed", "superseded", "downward-revision",
    "stale", "read-as-floor", "outlier", "unresolved-conflict", "bounds-conflict",
    "open-upper", "part-whole", "single-source", "vague-only", "official-only",
    "unverified", "disputed", "confirmed", "undated",
)
_VALUE = frozenset(k.value for k in VALUE_KINDS)
_BOUNDS = frozenset(k.value for k in BOUND_KINDS)
_STATE = frozenset(t.value for t in STATE_TYPES)
_WEAK = frozenset(t.value for t in WEAK_TYPES)


class _C:
    """One claim inside a group while it is being reconciled."""

    __slots__ = (
        "assessment", "date", "fig", "figh", "hh", "hl", "id", "kind", "mates", "name", "orig_stated",
        "originator", "party", "pt", "reason", "relayed", "repeat_of", "retracts", "rule",
        "sh", "sl", "source", "stated", "stated_on", "status", "text", "type", "unknown",
        "via", "weak", "weight", "whi", "wlo",
    )

    def __init__(self, row: tuple[Any, ...]) -> None:
        (self.id, self.source, self.name, self.originator, self.type, self.party, self.relayed,
         self.via, self.stated, self.date, self.stated_on, self.kind, self.hl, self.hh, self.sl,
         self.sh, self.pt, self.fig, self.figh, self.text, self.retracts, self.assessment) = row
        self.orig_stated = self.stated
        self.weak = self.type in _WEAK
        self.unknown = self.source == "unknown"
        self.status = ""
        self.rule: str | None = None
        self.reason = ""
        self.repeat_of: str | None = None
        self.mates: list[_C] = []
        self.weight = 0.0
        self.wlo = 0.0
        self.whi = 0.0

    @property
    def has_figure(self) -> bool:
        return self.kind is not None

    def figure_key(self) -> tuple[Any, ...]:
        """The number as stated, whatever the qualifier (R3, R4)."""
        if self.fig is None or math.isnan(self.fig):
            return ("vague", self.kind, self.hl, self.hh)
        return (self.fig, None if self.figh is None or math.isnan(self.figh) else self.figh)

    def label(self) -> str:
        return f"{self.id} ({self.text!s})"

    def set(self, status: str, rule: str | None, reason: str) -> None:
        self.status, self.rule, self.reason = status, rule, reason


_ROW_COLUMNS = (
    "id", "source", "source_name", "originator", "type", "party", "relayed", "via",
    "stated_key", "date_key", "stated_on", "kind", "hard_low", "hard_high", "soft_low",
    "soft_high", "point", "figure", "figure_high", "value_text", "retracts", "assessment",
)
_KEY_COLUMNS = ("event", "metric", "group", "location", "period")
_NUMERIC = frozenset({"stated_key", "date_key", "hard_low", "hard_high", "soft_low", "soft_high",
                      "point", "figure", "figure_high"})


def _objects(values: np.ndarray) -> np.ndarray:
    """An object array with None (never NaN) for missing values."""
    missing = np.asarray(pd.isna(values), dtype=bool) if values.dtype == object else None
    if missing is not None and missing.any():
        values = values.copy()
        values[missing] = None
    return values


def _codes(values: np.ndarray) -> np.ndarray:
    """Sort codes of a key column: equal values share a code, order follows the values."""
    filled = np.where(pd.isna(values), "", values).astype(str)
    return np.unique(filled, return_inverse=True)[1]


def _n(x: float) -> str:
    """A figure for a sentence: 9,900 / 232.5 / open."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "?"
    if math.isinf(x):
        return "open"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"


def _date(c: _C) -> str:
    return c.stated_on.isoformat() if isinstance(c.stated_on, dt.date) else "undated"


def _key(value: float) -> float:
    return -math.inf if value is None or math.isnan(value) else value


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


# --- the public entry point --------------------------------------------------------


def reconcile(
    claims: Claims,
    params: Parameters | None = None,
    *,
    as_of: dt.date | None = None,
    explain: bool = False,
    event: str | None = None,
    metric: str | None = None,
    group: str | None = None,
    location: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Reconcile every (event, metric, group, location, period) of `claims`.

    `as_of` keeps only what was stated by that date; the filters select which figures
    are returned (every group is still reconciled, so parts still raise totals)."""
    params = params or Parameters()
    with paused_gc():
        return _reconcile(claims, params, as_of, explain, (event, metric, group, location), progress)


def _reconcile(
    claims: Claims,
    params: Parameters,
    as_of: dt.date | None,
    explain: bool,
    filters: tuple[str | None, str | None, str | None, str | None],
    progress: Callable[[int, int], None] | None,
) -> Result:
    cols = claims.columns
    keep = np.ones(len(claims), dtype=bool)
    if as_of is not None:
        # Claims stated after the date are not yet known; undated ones stay, to be set
        # aside visibly.
        keep = ~(cols["stated_key"] > float(as_of.toordinal()))
    withdrawn = _withdrawals(cols, keep)
    figures: list[Figure] = []
    newest: list[float] = []
    if keep.any():
        codes = [_codes(cols[c][keep]) for c in _KEY_COLUMNS]
        order = np.lexsort(tuple(reversed(codes)))
        sorted_codes = np.stack([c[order] for c in codes])
        boundary = np.flatnonzero((sorted_codes[:, 1:] != sorted_codes[:, :-1]).any(axis=0)) + 1
        index = np.flatnonzero(keep)[order]
        keys = [_objects(cols[c][index]).tolist() for c in _KEY_COLUMNS]
        columns = [
            cols[c][index].astype(float).tolist() if c in _NUMERIC else _objects(cols[c][index]).tolist()
            for c in _ROW_COLUMNS
        ]
        measures = cols["measure"][index].tolist()
        rows = list(zip(*columns, strict=True))
        n = len(rows)
        starts = [0, *boundary.tolist(), n]
        for g in range(len(starts) - 1):
            a, b = starts[g], starts[g + 1]
            key = tuple("" if k[a] is None else str(k[a]) for k in keys)
            cs = [_C(r) for r in rows[a:b]]
            date, fig = _reconcile_group(key, Measure(measures[a]), cs, withdrawn, params, as_of, explain)
            figures.append(fig)
            newest.append(date)
            if progress is not None and (g % 1000 == 0 or g == len(starts) - 2):
                progress(b, n)
    _parts_and_wholes(figures, newest)
    figures = [f for f in figures if _selected(f, *filters)]
    return Result(
        figrecon=__version__,
        method=MethodBlock(
            name=params.method,
            profile=claims.profile,
            as_of=as_of,
            parameters=params.block(),
        ),
        figures=figures,
    )


def _selected(f: Figure, event: str | None, metric: str | None, group: str | None, location: str | None) -> bool:
    if event is not None and f.event != event:
        return False
    if metric is not None and f.metric != metric:
        return False
    if group is not None and f.group != group:
        return False
    if location is not None:
        loc = f.location or ""
        return loc == location or loc.startswith(location + "/")
    return True


def _withdrawals(cols: dict[str, np.ndarray], keep: np.ndarray) -> dict[str, tuple[str, str | None, str]]:
    """R3: id -> (code, withdrawing claim id or None, date) for every withdrawn claim."""
    out: dict[str, tuple[str, str | None, str]] = {}
    ids = cols["id"]
    for pos in np.flatnonzero(keep & (cols["retracted"] == True)):  # noqa: E712 - object array
        out[ids[pos]] = ("retracted", None, "")
    lengths = np.fromiter((len(r) for r in cols["retracts"]), dtype=np.int64, count=len(ids))
    retractions = np.flatnonzero(keep & (lengths > 0))
    rows = sorted(retractions, key=lambda p: (_key(cols["stated_key"][p]), ids[p]))
    for pos in rows:
        stated_on = cols["stated_on"][pos]
        when = stated_on.isoformat() if isinstance(stated_on, dt.date) else "undated"
        for target in cols["retracts"][pos]:
            out.setdefault(target, ("retracted", ids[pos], when))
    return out


# --- one group ---------------------------------------------------------------------


def _reconcile_group(
    key: tuple[str, ...],
    measure: Measure,
    cs: list[_C],
    withdrawn: dict[str, tuple[str, str | None, str]],
    p: Parameters,
    as_of: dt.date | None,
    explain: bool,
) -> tuple[float, Figure]:
    cs.sort(key=lambda c: c.id)
    cumulative = measure == Measure.cumulative
    notes: dict[str, Note] = {}

    def note(code: str, rule: str, message: str, ids: Iterable[str]) -> None:
        notes[code] = Note(code=code, rule=rule, message=message, claims=sorted(set(ids)))

    live: list[_C] = []
    assessments: list[_C] = []
    undated: list[_C] = []
    for c in cs:
        if c.assessment is not None:
            c.set("assessment", "R11", f"{c.assessment}: a statement about the figure, not a figure")
            assessments.append(c)
        elif not c.has_figure:
            c.set("retraction", "R3", "withdraws " + ", ".join(c.retracts))
        elif c.id in withdrawn:
            code, by, when = withdrawn[c.id]
            c.set("withdrawn", "R3", f"withdrawn by {by} ({when})" if by else "marked retracted")
        elif as_of is not None and math.isnan(c.stated):
            c.set("undated", None, "undated: cannot tell whether it was stated by the as-of date")
            undated.append(c)
        else:
            live.append(c)

    _withdraw_repeats(cs, live, notes, note)
    live = [c for c in live if c.status == ""]
    _attribute(live, cumulative, note)
    history_ids = {c.id for c in live if c.status == "history"}
    pool = [c for c in live if c.id not in history_ids]
    currents = _supersede(pool, cumulative, note)
    for c in currents:
        _weigh(c, p)
    currents = _stale(currents, cumulative, p, note)
    if p.method == "hierarchy":
        currents = _rank(currents, p)
    if p.method == "range":
        members, outliers = list(currents), []
    else:
        members, outliers = _agreement(currents, p, note)
    figure = _figures(members, currents, outliers, cumulative, p, note)
    for c in pool:
        for mate in c.mates:
            mate.set(c.status, c.rule, f"the same statement as {c.id}: {c.reason}")
    newest = max((_key(c.date) for c in members), default=-math.inf)

    # R11: assessments become notes of the group they concern.
    by_kind: dict[str, list[_C]] = defaultdict(list)
    for c in assessments:
        by_kind[str(c.assessment)].append(c)
    for kind, items in by_kind.items():
        items.sort(key=lambda c: (_key(c.stated), c.id))
        said = "; ".join(f"{c.name} ({_date(c)})" for c in items)
        verb = {"unverified": "could not verify the figure", "disputed": "disputes the figures",
                "confirmed": "confirms the figure"}[kind]
        note(kind, "R11", f"{said}: {verb}.", [c.id for c in items])
    if undated:
        note("undated", "R12", "Undated claims are set aside when reconciling as of a date: "
             + ", ".join(c.label() for c in undated) + ".", [c.id for c in undated])
    withdrawn_here = [c for c in cs if c.status == "withdrawn"]
    if withdrawn_here:
        by: dict[str, list[_C]] = defaultdict(list)
        for c in withdrawn_here:
            if c.rule == "R3" and c.reason.startswith("repeats"):
                continue
            by[c.reason].append(c)
        if by:
            parts = [", ".join(x.label() for x in items) + f" {reason}" for reason, items in sorted(by.items())]
            ids = [x.id for items in by.values() for x in items]
            note("retracted", "R3", "Withdrawn: " + "; ".join(parts) + ".", ids)

    used = sorted(c.id for c in cs if c.status == "used")
    excluded = sorted(
        (Exclusion(id=c.id, reason=c.status if c.status != "history" else "superseded", rule=c.rule or "")
         for c in cs if c.status not in ("used", "assessment", "retraction") and c.has_figure),
        key=lambda e: e.id,
    )
    ordered = [notes[code] for code in NOTE_ORDER if code in notes]
    trace = None
    if explain:
        trace = [
            ClaimTrace(
                id=c.id,
                source=c.name,
                value=str(c.text) if c.text is not None else (c.assessment or "retracts " + ", ".join(c.retracts)),
                stated_on=c.stated_on if isinstance(c.stated_on, dt.date) else None,
                status=c.status,
                rule=c.rule,
                reason=c.reason,
            )
            for c in sorted(cs, key=lambda c: (_key(c.orig_stated), c.id))
        ]
    event, metric, group, location, period = key
    return newest, Figure.model_construct(
        event=event,
        metric=metric,
        group=group,
        location=location or None,
        period=period or None,
        measure=measure,
        claims_used=used,
        claims_excluded=excluded,
        notes=ordered,
        history=_history(live),
        explain=trace,
        **figure,
    )


def _withdraw_repeats(cs: list[_C], live: list[_C], notes: Any, note: Callable[..., None]) -> None:
    """R3: a figure that repeats a withdrawn one (same originator, same number) is
    withdrawn too; retracted figures keep circulating in the press."""
    gone = {(c.originator, c.figure_key()): c for c in cs if c.status == "withdrawn" and c.fig is not None and not math.isnan(c.fig)}
    if not gone:
        return
    repeats = []
    for c in live:
        original = gone.get((c.originator, c.figure_key()))
        if original is not None:
            c.set("withdrawn", "R3", f"repeats the withdrawn {original.label()}")
            repeats.append(c)
    if repeats:
        note("repeat-of-retracted", "R3",
             "Repeats of a withdrawn figure, withdrawn too: " + ", ".join(c.label() for c in repeats) + ".",
             [c.id for c in repeats])


def _attribute(live: list[_C], cumulative: bool, note: Callable[..., None]) -> None:
    """R4: a relayed figure that repeats an earlier statement of its originator is that
    statement (dated at the original); an old figure relayed late is history."""
    by_orig: dict[str, list[_C]] = defaultdict(list)
    for c in live:
        by_orig[c.originator].append(c)
    redated, late = [], []
    for items in by_orig.values():
        if len(items) < 2:
            continue
        items.sort(key=lambda c: (_key(c.orig_stated), c.id))
        for c in items:
            if not c.relayed or math.isnan(c.orig_stated):
                continue
            earlier = [d for d in items if not math.isnan(d.orig_stated) and d.orig_stated < c.orig_stated]
            if not earlier:
                continue
            fk = c.figure_key()
            match = next((d for d in earlier if d.figure_key() == fk and d.fig is not None and not math.isnan(d.fig)), None)
            if match is not None:
                c.stated, c.date, c.repeat_of = match.stated, match.date, match.id
                redated.append(c)
            elif cumulative and any(d.hl > c.hh for d in earlier):
                floor = max(earlier, key=lambda d: (d.hl, d.id))
                c.set("history", "R4", f"an old figure relayed late: below {floor.label()} stated earlier")
                late.append(c)
    if redated or late:
        parts = []
        if redated:
            parts.append("repeats of an earlier statement, dated at the original: "
                         + ", ".join(f"{c.label()} = {c.repeat_of}" for c in redated))
        if late:
            parts.append("old figures relayed late, kept as history: " + ", ".join(c.label() for c in late))
        note("relayed", "R4", "Relayed figures count under their originator; " + "; ".join(parts) + ".",
             [c.id for c in redated + late])


def _reading(c: _C) -> tuple[Any, ...]:
    return (c.kind, c.hl, c.hh, c.sl, c.sh)


def _supersede(pool: list[_C], cumulative: bool, note: Callable[..., None]) -> list[_C]:
    """R2: each originator's latest statement is its current claim."""
    by_orig: dict[str, list[_C]] = defaultdict(list)
    for c in pool:
        by_orig[c.originator].append(c)
    currents: list[_C] = []
    superseded: list[_C] = []
    downward: list[tuple[_C, _C]] = []
    for orig in sorted(by_orig):
        items = by_orig[orig]
        stamp = {c.id: (_key(c.date), _key(c.stated)) for c in items}
        latest = max(stamp.values())
        last = [c for c in items if stamp[c.id] == latest]
        earlier = [c for c in items if stamp[c.id] != latest]
        clusters: dict[tuple[Any, ...], list[_C]] = defaultdict(list)
        for c in last:
            clusters[c.figure_key()].append(c)
        statements = [_statement(members) for members in clusters.values()]
        statements.sort(key=lambda s: (
            not any(not m.relayed for m in s[1]),
            PRECISION[Kind(s[0].kind)],
            -s[0].pt,
            s[0].id,
        ))
        current, mates = statements[0]
        for other_rep, other_members in statements[1:]:
            for m in other_members:
                m.set("superseded", "R2", f"same-day statement of {current.name}; {current.label()} counts (direct, then more precise, then larger)")
                superseded.append(m)
        for c in earlier:
            c.set("superseded", "R2", f"superseded by {current.name}'s later {current.label()}")
            superseded.append(c)
        if cumulative and earlier:
            prior = [c for c in earlier]
            top = max(prior, key=lambda c: (c.pt, c.id))
            if top.pt > current.sh + EPS:
                downward.append((current, top))
            floor = max(c.hl for c in prior)
            if current.sl < floor <= current.sh:
                current.sl = floor
                current.reason = f"soft low raised to {_n(floor)}, {current.name}'s own earlier floor (R2)"
        current.set("used", "R2", current.reason or "the latest statement of its originator")
        current.mates = [m for m in mates if m is not current]
        currents.append(current)
    if superseded:
        note("superseded", "R2",
             f"{len(superseded)} earlier or same-day statement(s) superseded by their originator's "
             "current one: " + ", ".join(c.label() for c in sorted(superseded, key=lambda c: c.id)) + ".",
             [c.id for c in superseded])
    if downward:
        note("downward-revision", "R2",
             "; ".join(f"{cur.name} now says {cur.text} ({_date(cur)}), below its earlier {top.text} ({_date(top)})"
                       for cur, top in downward) + ".",
             [x.id for pair in downward for x in pair])
    return currents


def _statement(members: list[_C]) -> tuple[_C, list[_C]]:
    """R2: same-day statements of one originator giving the same number are one
    statement, worded as most of them word it (ties: the direct one's wording, then the
    earliest report, then the more cautious reading)."""
    if len(members) == 1:
        return members[0], members
    votes = Counter(_reading(m) for m in members)
    direct = {_reading(m) for m in members if not m.relayed}

    def rank(reading: tuple[Any, ...]) -> tuple[Any, ...]:
        earliest = min(_key(m.orig_stated) for m in members if _reading(m) == reading)
        width = reading[2] - reading[1]
        return (-votes[reading], reading not in direct, earliest, -width)

    winner = min(votes, key=rank)
    chosen = sorted((m for m in members if _reading(m) == winner), key=lambda m: (m.relayed, m.id))
    return chosen[0], members


def _weigh(c: _C, p: Parameters) -> None:
    """R6 weight and the R7 widened interval."""
    w = p.type_weights.get(SourceType(c.type), 0.5) * p.kind_factors.get(Kind(c.kind), 0.4)
    if c.party:
        w *= p.party_factor
    c.weight = w
    tau = p.tolerance * c.pt
    if c.kind == Kind.lower_bound:
        c.wlo, c.whi = c.sl - tau, math.inf
    elif c.kind == Kind.upper_bound:
        c.wlo, c.whi = 0.0, c.sh + tau
    else:
        c.wlo, c.whi = c.sl - tau, c.sh + tau


def _agree(a: _C, b: _C) -> bool:
    return a.wlo <= b.whi + EPS and b.wlo <= a.whi + EPS


def _stale(currents: list[_C], cumulative: bool, p: Parameters, note: Callable[..., None]) -> list[_C]:
    """R5: early counts overtaken by much newer ones are history, not conflict; and a
    later count far below an earlier one is read as a floor."""
    stale: list[tuple[_C, _C]] = []
    for c in currents:
        if math.isnan(c.date):
            continue
        for d in currents:
            if d.originator == c.originator or math.isnan(d.date) or d.date - c.date <= p.stale_days:
                continue
            if d.weak and d.kind in _BOUNDS:
                continue
            if cumulative:
                c_high = c.sh if not math.isinf(c.sh) else c.pt * p.open_factor
                if d.sl >= p.stale_ratio * c_high - EPS or (d.sl > c.sh and not _agree(c, d)):
                    stale.append((c, d))
                    break
            elif not _agree(c, d):
                stale.append((c, d))
                break
    gone = {c.id for c, _ in stale}
    for c, d in stale:
        c.set("stale", "R5", f"an early count: {d.label()} is {_n(d.date - c.date)} days newer")
    if stale:
        note("stale", "R5", "Earlier counts set aside as history: "
             + ", ".join(f"{c.label()} against {d.label()}" for c, d in stale) + ".",
             [x.id for pair in stale for x in pair])
    kept = [c for c in currents if c.id not in gone]
    if cumulative:
        floors = []
        for c in kept:
            if math.isnan(c.date) or (c.kind not in _VALUE and c.kind != Kind.vague):
                continue
            older = [
                d for d in kept
                if d.originator != c.originator and d.kind in _VALUE and not math.isnan(d.date)
                and c.date - d.date > p.stale_days and c.sh < d.sl and not _agree(c, d)
            ]
            if older:
                d = min(older, key=lambda d: (d.date, d.id))
                floors.append((c, d))
        for c, d in floors:
            c.kind = Kind.lower_bound.value
            c.hh = c.sh = math.inf
            c.sl = c.pt = c.hl
            c.reason = f"read as a floor of {_n(c.hl)}: it lies below the older {d.label()}"
            _weigh(c, p)
        if floors:
            note("read-as-floor", "R5", "Later counts far below an earlier one read as floors: "
                 + ", ".join(f"{c.id} as at least {_n(c.hl)} (below {d.label()})" for c, d in floors) + ".",
                 [x.id for pair in floors for x in pair])
    return kept


def _rank(currents: list[_C], p: Parameters) -> list[_C]:
    """`hierarchy`: only the claims of the best-ranked source type present count."""
    order = {t.value: i for i, t in enumerate(p.rank or [])}
    best = min((order.get(c.type, len(order)) for c in currents), default=None)
    kept = []
    for c in currents:
        if order.get(c.type, len(order)) == best:
            kept.append(c)
        else:
            c.set("lower-ranked", "hierarchy", f"source type {c.type} ranks below the best present")
    return kept


def _units(cs: Iterable[_C], share: float) -> float:
    """Independent originators: organs of one side count once, unknowns as a share."""
    seen: set[str] = set()
    n = 0.0
    for c in cs:
        unit = f"party:{c.party}" if c.party else c.originator
        if unit in seen:
            continue
        seen.add(unit)
        n += share if c.unknown else 1.0
    return n


def _agreement(currents: list[_C], p: Parameters, note: Callable[..., None]) -> tuple[list[_C], list[_C]]:
    """R7: the region covered by the greatest total weight (weighted Marzullo)."""
    if len(currents) <= 1:
        return list(currents), []
    events = []
    for i, c in enumerate(currents):
        events.append((c.wlo, 0, i))
        events.append((c.whi, 1, i))
    events.sort()
    active: set[int] = set()
    weight = 0.0
    best = -1.0
    regions: list[frozenset[int]] = []
    for _x, kind, i in events:
        if kind == 0:
            active.add(i)
            weight += currents[i].weight
            if weight > best + EPS:
                best, regions = weight, [frozenset(active)]
            elif abs(weight - best) <= EPS and frozenset(active) not in regions:
                regions.append(frozenset(active))
        else:
            active.discard(i)
            weight -= currents[i].weight
    regions = [r for r in regions if not any(r < other for other in regions)]
    if len(regions) > 1:
        def newest(r: frozenset[int]) -> float:
            return max(_key(currents[i].date) for i in r)

        top = max(newest(r) for r in regions)
        regions = [r for r in regions if newest(r) == top]
        if len(regions) > 1:
            most = max(_units((currents[i] for i in r), p.unknown_source_share) for r in regions)
            regions = [r for r in regions if _units((currents[i] for i in r), p.unknown_source_share) == most]
        if len(regions) > 1:
            union = frozenset().union(*regions)
            note("unresolved-conflict", "R7",
                 "Claims disagree and no region of agreement stands out; all are used: "
                 + ", ".join(currents[i].label() for i in sorted(union, key=lambda i: currents[i].id)) + ".",
                 [currents[i].id for i in union])
            regions = [union]
    chosen = regions[0]
    members = [c for i, c in enumerate(currents) if i in chosen]
    outliers = [c for i, c in enumerate(currents) if i not in chosen]
    if outliers:
        lo = max(c.wlo for c in members)
        hi = min(c.whi for c in members)
        parts = []
        for c in outliers:
            if c.sh < lo:
                where = f"{_n(lo - c.sh)} below"
            elif c.sl > hi:
                where = f"{_n(c.sl - hi)} above"
            else:
                where = "apart from"
            parts.append(f"{c.label()} lies {where}")
            c.set("outlier", "R7", f"outside the agreement region {_n(lo)}–{_n(hi)}: {where} it")
        note("outlier", "R7", "Outside the agreement region "
             f"{_n(lo)}–{_n(hi)}: " + "; ".join(parts) + ".", [c.id for c in outliers])
    return members, outliers


def weighted_median(items: list[tuple[float, float]]) -> float:
    """R8: the weighted median of (point, weight); an exact tie averages the two middle points."""
    items = sorted(items)
    total = sum(w for _, w in items)
    if total <= EPS:
        items = [(pt, 1.0) for pt, _ in items]
        total = float(len(items))
    half = total / 2
    cum = 0.0
    for i, (pt, w) in enumerate(items):
        cum += w
        if abs(cum - half) <= EPS * max(1.0, total) and i + 1 < len(items):
            return (pt + items[i + 1][0]) / 2
        if cum > half:
            return pt
    return items[-1][0]


def _figures(
    members: list[_C],
    currents: list[_C],
    outliers: list[_C],
    cumulative: bool,
    p: Parameters,
    note: Callable[..., None],
) -> dict[str, Any]:
    """R8 (low, best, high), R9 (ratio), R10 (confidence) from the agreement set."""
    for c in members:
        c.set("used", "R7", c.reason or "in the agreement set")
    if not members:
        return {"low": None, "best": None, "high": None, "open_upper": False, "confidence": None,
                "independent_sources": 0, "ratio": None, "disagreement": None, "sources": []}
    values = [c for c in members if c.kind in _VALUE]
    if not values:
        values = [c for c in members if c.kind == Kind.vague]
    lowers = [c for c in members if c.kind == Kind.lower_bound]
    uppers = [c for c in members if c.kind == Kind.upper_bound]
    if values:
        low = min(c.sl for c in values)
        best = weighted_median([(c.pt, c.weight) for c in values])
    elif lowers:
        strong = [c for c in lowers if not c.weak] or lowers
        low = max(c.sl for c in strong)
        best = max(c.hl for c in strong)
    else:
        low = min(c.sl for c in uppers)
        best = min(c.pt for c in uppers)
    # Vague members beside value-stating ones set neither LOW nor HIGH (R8).
    setters = values + lowers + uppers
    high = max(max(c.sh if not math.isinf(c.sh) else -math.inf for c in setters),
               max(c.pt for c in setters))
    open_upper = any(math.isinf(c.hh) for c in members)
    floor_c = max((c for c in lowers if not c.weak), key=lambda c: (c.hl, c.id), default=None)
    ceil_c = min((c for c in uppers if not c.weak), key=lambda c: (c.hh, c.id), default=None)
    median = best
    conflict: tuple[_C, _C] | None = None
    if floor_c is not None and ceil_c is not None and floor_c.hl > ceil_c.hh:
        best = floor_c.hl
        conflict = (floor_c, ceil_c)
    else:
        if floor_c is not None:
            best = max(best, floor_c.hl)
        if ceil_c is not None:
            best = min(best, ceil_c.hh)
    best = float(_half_up(best))
    low, high = min(low, best), max(high, best)
    # Hard intervals inside the set that exclude each other.
    top = max(members, key=lambda c: (c.hl, c.id))
    bottom = min(members, key=lambda c: (c.hh, c.id))
    if conflict is None and top.hl > bottom.hh:
        conflict = (top, bottom)
    if conflict is not None:
        a, b = conflict
        gap = a.hl - b.hh
        share = gap / b.hh * 100 if b.hh > 0 else math.inf
        note("bounds-conflict", "R8",
             f"{b.label()} and {a.label()} exclude each other: a gap of {_n(gap)}"
             + (f" ({share:.0f}%)" if not math.isinf(share) else "")
             + "; usually a difference of scope or timing.", [a.id, b.id])
    if open_upper:
        opens = [c for c in members if math.isinf(c.hh)]
        note("open-upper", "R8", "Open above: " + ", ".join(c.label() for c in opens)
             + " set no upper limit.", [c.id for c in opens])

    # R9: disagreement among what still stands.
    stating = [c for c in currents if c.kind in _VALUE] or [c for c in currents if c.kind == Kind.vague]
    pts = [c.pt for c in stating]
    # Bounds that contradict the median of the stated values: a floor above it, a
    # ceiling below it (the worked example's 225 beside "at least 230" gives 1.02).
    pts += [c.pt for c in currents
            if (c.kind == Kind.lower_bound and c.hl > median) or (c.kind == Kind.upper_bound and c.hh < median)]
    ratio = _ratio(pts)
    disagreement = None
    if ratio is not None:
        disagreement = "agree" if ratio <= 1.10 + EPS else "minor" if ratio <= 1.5 + EPS else "substantial" if ratio <= 3 + EPS else "major"

    # R10: confidence.
    counted = [c for c in members if c.kind not in _BOUNDS or _corroborates(c, best, p)]
    n = _units(counted, p.unknown_source_share)
    types = {c.type for c in counted}
    level = 0 if n < 2 else 1 if n < 3 else (2 if len(types) >= 2 else 1)  # 0 low, 1 moderate, 2 high
    inner = _ratio([c.pt for c in values]) if values else None
    member_weight = sum(c.weight for c in members)
    region_low = min(c.sl for c in members)
    newest = max(_key(c.date) for c in members)
    counted_out = [
        c for c in outliers
        if not (c.weak and c.kind in _BOUNDS)
        and not (cumulative and c.sh < region_low and _key(c.date) < newest)
    ]
    out_weight = sum(c.weight for c in counted_out)
    share = out_weight / (member_weight + out_weight) if member_weight + out_weight > 0 else 0.0
    if (inner is not None and inner > 1.5 + EPS) or share >= p.outlier_share - EPS:
        level -= 1
    confidence_index = level + 1  # in CONFIDENCE_LEVELS: very low, low, moderate, high
    if all(c.kind == Kind.vague for c in members):
        confidence_index = min(confidence_index, 1)
        note("vague-only", "R10", "Only vague words (such as 'dozens') say so: at most low confidence.",
             [c.id for c in members])
    if all(c.type in _STATE or c.party for c in members):
        if confidence_index > 2:
            confidence_index = 2
        note("official-only", "R10",
             "Only state bodies or parties to the event say so: at most moderate confidence.",
             [c.id for c in members])
    if n < 2:
        names = sorted({c.name for c in counted}) or sorted({c.name for c in members})
        note("single-source", "R10", f"Rests on {_n(n) if n else 'no'} independent source"
             + ("s" if n != 1 else "") + ": " + ", ".join(names)
             + (" (organs of one side count once)" if len(names) > 1 else "") + ".",
             [c.id for c in counted] or [c.id for c in members])
    confidence: Confidence = CONFIDENCE_LEVELS[max(0, confidence_index)]
    if p.method == "conservative":
        # ACLED's convention: one conservative figure, the least the agreement supports.
        best = low
    return {
        "low": low,
        "best": best,
        "high": high,
        "open_upper": open_upper,
        "confidence": confidence,
        "independent_sources": n,
        "ratio": round(ratio, 3) if ratio is not None else None,
        "disagreement": disagreement,
        "sources": sorted({c.name for c in members}),
    }


def _corroborates(c: _C, best: float, p: Parameters) -> bool:
    """R10: a bound counts only when its widened soft interval contains BEST."""
    tau = p.tolerance * c.pt
    high = c.sh if not math.isinf(c.sh) else c.pt * p.open_factor
    return c.sl - tau - EPS <= best <= high + tau + EPS


def _ratio(points: list[float]) -> float | None:
    positive = [x for x in points if x > 0]
    if not positive or len(points) < 1:
        return None
    if min(points) <= 0:
        return None
    return max(points) / min(points)


def _history(live: list[_C]) -> History | None:
    """R9: the least and greatest figures ever stated (withdrawn ones aside)."""
    points: list[tuple[float, float, str, Any]] = []
    for c in live:
        lo = c.fig if c.fig is not None and not math.isnan(c.fig) else c.pt
        hi = c.figh if c.figh is not None and not math.isnan(c.figh) else lo
        points.append((lo, _key(c.orig_stated), c.id, c.stated_on))
        if hi != lo:
            points.append((hi, _key(c.orig_stated), c.id, c.stated_on))
    if not points:
        return None

    def at(value: float) -> HistoryPoint:
        same = sorted((p for p in points if p[0] == value), key=lambda p: (p[1], p[2]))
        first = same[0][3]
        return HistoryPoint(
            value=value,
            stated_on=first if isinstance(first, dt.date) else None,
            claims=sorted({p[2] for p in same}),
        )

    least = min(p[0] for p in points)
    greatest = max(p[0] for p in points)
    return History(least=at(least), greatest=at(greatest))


def _parts_and_wholes(figures: list[Figure], newest: list[float]) -> None:
    """R10a: a total is at least as large as each of its parts (not their sum).

    For stock metrics (held, missing) a part only raises a total it is not older than:
    people released since an earlier count of a part are no longer held."""
    totals: dict[tuple[str, str, str, str], Figure] = {}
    parts: dict[tuple[str, str, str, str], list[Figure]] = defaultdict(list)
    date = {id(f): d for f, d in zip(figures, newest, strict=True)}
    for f in figures:
        key = (f.event, f.metric, f.location or "", f.period or "")
        if f.group == "total":
            totals[key] = f
        elif f.best is not None:
            parts[key].append(f)
    for key, total in totals.items():
        if total.best is None:
            continue
        candidates = parts.get(key, [])
        if total.measure == Measure.stock:
            candidates = [f for f in candidates if date[id(f)] >= date[id(total)]]
        if not candidates:
            continue
        part = max(candidates, key=lambda f: (f.best or 0, f.group))
        assert part.best is not None
        if part.best <= total.best + EPS:
            continue
        total.best = part.best
        total.low = max(total.low or 0, part.best)
        total.high = max(total.high or 0, part.best)
        total.notes.append(Note(
            code="part-whole",
            rule="R10a",
            message=f"Raised to {_n(part.best)}: the {part.group} figure (a part) cannot exceed the total.",
            claims=list(part.claims_used),
        ))
        total.notes.sort(key=lambda n: NOTE_ORDER.index(n.code) if n.code in NOTE_ORDER else len(NOTE_ORDER))

