"""How each figure moved over time: every originator's statements by date, and the
reconciled range as it stood on each day a statement was made (the `as_of` result of
that day). The data only; `draw` makes the terminal chart and the picture of it, and
`html_report` puts the picture in a report."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
from pydantic import BaseModel

from .config import Parameters
from .engine import reconcile
from .loading import Claims
from .model import Assessment, ClaimTrace, Confidence, Figure, Kind, MethodBlock, Result
from .selection import selects


class Statement(BaseModel):
    """One claim of a figure: what its originator said, when, and what the
    reconciliation did with it."""

    id: str
    source: str
    """The originator's name (`unknown` when not known)."""
    value: str
    """The figure as stated, or what the claim says instead (a withdrawal, an assessment)."""
    stated_on: dt.date | None
    """None when undated: such a statement has no place on the time axis."""
    kind: Kind | None
    """None when the claim states no figure."""
    low: float | None
    """The least the words allow."""
    high: float | None
    """The most the words allow; None when open above (or when there is no figure)."""
    point: float | None
    """The figure used for BEST; None when there is no figure."""
    fate: str
    """What the reconciliation did with it: used, superseded, withdrawn, stale, ..."""
    rule: str | None
    reason: str
    assessment: Assessment | None
    retracts: list[str]
    """The claims this statement withdraws."""
    via: str | None
    url: str | None
    quote: str | None
    note: str | None

    @property
    def drawn(self) -> bool:
        """A dated figure: a point on the timeline."""
        return self.stated_on is not None and self.point is not None


class Step(BaseModel):
    """The reconciled figure as it stood on one day (what `--as-of DAY` gives)."""

    day: dt.date
    low: float | None
    best: float | None
    high: float | None
    open_upper: bool
    confidence: Confidence | None


class FigureTimeline(BaseModel):
    """One figure: as it stands, every claim behind it, and the range day by day."""

    figure: Figure
    """The figure as it stands (with every claim's fate in `explain`)."""
    statements: list[Statement]
    """Every claim of the figure, in date order (undated ones first)."""
    band: list[Step]
    """One step for each day a claim of the figure was stated, in date order."""

    @property
    def days(self) -> list[dt.date]:
        return [step.day for step in self.band]

    @property
    def series(self) -> list[tuple[str, list[Statement]]]:
        """Each originator's dated figures, in date order; originators in the order
        of their first figure."""
        by_source: dict[str, list[Statement]] = {}
        for s in self.statements:
            if s.drawn:
                by_source.setdefault(s.source, []).append(s)
        return list(by_source.items())

    @property
    def undrawn(self) -> list[Statement]:
        """Figures that have no date, so no place on the time axis."""
        return [s for s in self.statements if s.point is not None and s.stated_on is None]


class Timeline(BaseModel):
    """The timelines of the figures selected, and how they were made."""

    figrecon: str
    method: MethodBlock
    figures: list[FigureTimeline]


def timeline(
    claims: Claims,
    params: Parameters | None = None,
    *,
    as_of: dt.date | str | None = None,
    event: str | None = None,
    metric: str | None = None,
    group: str | None = None,
    location: str | None = None,
    period: str | None = None,
    exact: bool = False,
) -> Timeline:
    """The timeline of every figure that the filters select (as `reconcile` selects
    them; `period` keeps the counts over that period; with `exact`, only the figures of
    exactly `location`, without the places within it or counts over a period unless
    `period` names one). `as_of` (a date or "YYYY-MM-DD") leaves out what was stated
    later.

    The claims are reconciled once as they stand, then once for each day on which a
    claim of a selected figure was stated: only the claims of the selected figures'
    events and metrics, since no rule relates figures across them (R10a)."""

    def run(within: Claims, day: dt.date | str | None, explain: bool = False) -> Result:
        return reconcile(
            within,
            params,
            as_of=day,
            explain=explain,
            event=event,
            metric=metric,
            group=group,
            location=location,
        )

    now = run(claims, as_of, explain=True)
    figures = [
        f
        for f in now.figures
        if selects(f.location, f.period, want_location=location, want_period=period, exact=exact)
    ]
    scope = _of(claims, {(f.event, f.metric) for f in figures})
    days = {f.key: sorted({t.stated_on for t in f.explain or [] if t.stated_on}) for f in figures}
    stood: dict[tuple[str, ...], list[Step]] = {key: [] for key in days}
    for day in sorted({day for held in days.values() for day in held}):
        then = {f.key: f for f in run(scope, day).figures}
        for key, held in days.items():
            if day in held:
                stood[key].append(_step(day, then[key]))
    rows = _rows(claims)
    return Timeline(
        figrecon=now.figrecon,
        method=now.method,
        figures=[
            FigureTimeline(figure=f, statements=_statements(claims, rows, f), band=stood[f.key])
            for f in figures
        ],
    )


def _of(claims: Claims, pairs: set[tuple[str, str]]) -> Claims:
    """The claims of these (event, metric) pairs."""
    columns = claims.columns
    keep = [pair in pairs for pair in zip(columns["event"], columns["metric"], strict=True)]
    return claims.take(np.array(keep, dtype=bool))


def _step(day: dt.date, f: Figure) -> Step:
    return Step(
        day=day,
        low=f.low,
        best=f.best,
        high=f.high,
        open_upper=f.open_upper,
        confidence=f.confidence,
    )


def _rows(claims: Claims) -> dict[str, int]:
    return {str(claim_id): i for i, claim_id in enumerate(claims.columns["id"].tolist())}


def _statements(claims: Claims, rows: dict[str, int], f: Figure) -> list[Statement]:
    """The figure's claims with their readings and provenance, undated first, then by
    date (the order of `explain` within a day)."""
    traces = sorted(f.explain or [], key=lambda t: (t.stated_on is not None, t.stated_on))
    return [_statement(claims, rows[t.id], t) for t in traces]


def _statement(claims: Claims, i: int, trace: ClaimTrace) -> Statement:
    cols = claims.columns
    kind = cols["kind"][i]
    has_figure = kind is not None
    high = float(cols["hard_high"][i]) if has_figure else math.inf
    return Statement(
        id=trace.id,
        source=trace.source,
        value=trace.value,
        stated_on=trace.stated_on,
        kind=Kind(kind) if has_figure else None,
        low=float(cols["hard_low"][i]) if has_figure else None,
        high=None if math.isinf(high) else high,
        point=float(cols["point"][i]) if has_figure else None,
        fate=trace.status,
        rule=trace.rule,
        reason=trace.reason,
        assessment=_text(cols["assessment"][i]),
        retracts=list(cols["retracts"][i] or ()),
        via=_text(cols["via"][i]),
        url=_text(cols["url"][i]),
        quote=_text(cols["quote"][i]),
        note=_text(cols["note"][i]),
    )


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


__all__ = ["FigureTimeline", "Statement", "Step", "Timeline", "timeline"]
