"""The output of `figrecon reconcile`: figures with their notes, lists and history, and
the method that made them. Its JSON Schema is `figrecon schema --output`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
)

from .fields import Number
from .vocab import Measure

FORMAT_VERSION = 1


"""Version of the JSON output format; bumped on any incompatible change."""


Confidence = Literal["high", "moderate", "low", "very low"]


CONFIDENCE_LEVELS: tuple[Confidence, ...] = ("very low", "low", "moderate", "high")

DEFERRED = ConfigDict(defer_build=True)
"""The figures' models are built when first used (the library's `Result`, a schema): the
command line streams figures as dicts and need not build them at every start-up (about
8 ms of the 0.33 s `reconcile` of a small file takes)."""


class Note(BaseModel):
    """Why a figure is what it is: one note per rule that fired (R11)."""

    model_config = DEFERRED

    code: str
    rule: str
    message: str
    claims: list[str] = Field(default_factory=list)


class Exclusion(BaseModel):
    """A claim of the group that does not count toward the current figure, and why."""

    model_config = DEFERRED

    id: str
    reason: str
    """The note code that explains it: superseded, retracted, stale, outlier, ..."""
    rule: str


class HistoryPoint(BaseModel):
    model_config = DEFERRED

    value: Number
    stated_on: dt.date | None
    claims: list[str]


class History(BaseModel):
    """The least and greatest figures ever stated in the group (withdrawn ones aside)."""

    model_config = DEFERRED

    least: HistoryPoint
    greatest: HistoryPoint


class ClaimTrace(BaseModel):
    """What happened to one claim (`--explain`)."""

    model_config = DEFERRED

    id: str
    source: str
    value: str
    stated_on: dt.date | None
    status: str
    """used, superseded, withdrawn, relayed, stale, outlier, assessment, retraction, ..."""
    rule: str | None = None
    reason: str
    """A sentence a person reads."""
    note: str | None = None
    """The claim's note, as written (for an imported claim: the event ids it sums)."""


class IndependentSource(BaseModel):
    """One independent source of a figure as R10 counts it: an originator, the organs of
    one side together, or one unattributed figure."""

    model_config = DEFERRED

    names: list[str]
    """The originators' names, sorted: several only for the organs of one side."""
    side: bool | str | None = None
    """The `party` value the names share (true, or the side's name); None for an
    originator that is not a party."""
    share: Number = 1.0
    """What it adds to `independent_sources`: 1, or `unknown_source_share` (a half by
    default) for an unattributed figure."""


class Figure(BaseModel):
    """A reconciled figure for one (event, metric, group, location, period)."""

    model_config = DEFERRED

    event: str
    metric: str
    group: str
    location: str | None
    period: str | None
    measure: Measure
    low: Number | None
    best: Number | None
    high: Number | None
    open_upper: bool
    confidence: Confidence | None
    independent_sources: Number
    ratio: Number | None
    disagreement: Literal["agree", "minor", "substantial", "major"] | None
    claims_used: list[str]
    claims_excluded: list[Exclusion]
    notes: list[Note]
    history: History | None
    sources: list[str] = Field(default_factory=list)
    """Names of the originators whose claims the figure rests on."""
    independent: list[IndependentSource] | None = None
    """The sources `independent_sources` counts (R10), whose shares add up to it; a name
    of `sources` in none of them is a floor or ceiling that does not reach BEST. None
    when not given."""
    explain: list[ClaimTrace] | None = None

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.event, self.metric, self.group, self.location or "", self.period or "")


class MethodBlock(BaseModel):
    """How the figures were made: method, profile, date and every parameter."""

    name: str
    profile: str
    as_of: dt.date | None
    parameters: dict[str, Any]


class Result(BaseModel):
    """The output of `figrecon reconcile`."""

    model_config = DEFERRED

    format_version: int = FORMAT_VERSION
    figrecon: str
    method: MethodBlock
    figures: list[Figure]
