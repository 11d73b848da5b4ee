"""The vocabulary of claims: source types, measures, assessments, kinds of statement,
the built-in metrics and the reserved words. Free of pydantic, so that the command
line can name them before it loads anything heavy.
"""

from __future__ import annotations

from enum import StrEnum


class SourceType(StrEnum):
    """What kind of body an originator is (drives its default weight, R6)."""

    government = "government"
    judiciary = "judiciary"
    health = "health"
    igo = "igo"
    ngo = "ngo"
    research = "research"
    """An event dataset such as UCDP GED or ACLED, stating its own coded figure."""
    media = "media"
    other = "other"
    unknown = "unknown"


STATE_TYPES = frozenset({SourceType.government, SourceType.judiciary, SourceType.health})


"""Source types that count as state bodies (R10 `official-only`)."""


WEAK_TYPES = frozenset({SourceType.other, SourceType.unknown})


"""Source types whose bounds agree but neither clamp BEST nor make claims stale."""


class Measure(StrEnum):
    """Whether a metric only grows (cumulative) or can fall (stock)."""

    cumulative = "cumulative"
    stock = "stock"


class Assessment(StrEnum):
    """A statement about a figure rather than a figure ("could not verify the toll")."""

    unverified = "unverified"
    disputed = "disputed"
    confirmed = "confirmed"


class Kind(StrEnum):
    """How a phrase states its figure (R1), from most to least precise."""

    exact = "exact"
    round = "round"
    range = "range"
    approx = "approx"
    approx_below = "approx_below"
    lower_bound = "lower_bound"
    upper_bound = "upper_bound"
    vague = "vague"


BOUND_KINDS = frozenset({Kind.lower_bound, Kind.upper_bound})


VALUE_KINDS = frozenset({Kind.exact, Kind.round, Kind.range, Kind.approx, Kind.approx_below})


"""Kinds that state a value (R8); vague ones only when nothing else does."""


BUILTIN_METRICS: dict[str, Measure] = {
    "killed": Measure.cumulative,
    "injured": Measure.cumulative,
    "detained": Measure.cumulative,
    "charged": Measure.cumulative,
    "convicted": Measure.cumulative,
    "released": Measure.cumulative,
    "pardoned": Measure.cumulative,
    "criminal_cases": Measure.cumulative,
    "held": Measure.stock,
    "missing": Measure.stock,
}

METRIC_WORDS: dict[str, str] = {
    "arrested": "detained",
    "arrests": "detained",
    "detentions": "detained",
    "deaths": "killed",
    "dead": "killed",
    "died": "killed",
    "fatalities": "killed",
    "killings": "killed",
    "wounded": "injured",
    "injuries": "injured",
    "hurt": "injured",
    "disappeared": "missing",
    "prisoners": "held",
    "imprisoned": "held",
    "in_custody": "held",
    "indicted": "charged",
    "sentenced": "convicted",
    "freed": "released",
    "amnestied": "pardoned",
}
"""Words the field uses for a built-in metric, suggested when given as a metric: a
spelling's nearest metric may mean the opposite (`arrested` is nearest to `released`)."""


UNKNOWN_SOURCE = "unknown"


"""Reserved `source` for a figure whose originator is not known (R4: half a source)."""


UNDATED = "undated"


"""Reserved `stated_on` for a statement whose date is not known."""


MAX_COUNT = 10**10


"""No count of people exceeds this (the world holds about 8 x 10^9); a larger figure is
a typing or coding error, and would lose precision as a float."""


class Severity(StrEnum):
    """How bad a finding is. Defined without pydantic, so that `figrecon --help`
    and `--version` stay quick."""

    error = "error"
    warning = "warning"
    info = "info"

    def fails(self, strict: bool) -> bool:
        """Whether a finding of this severity fails a check: errors do, and warnings
        with --strict."""
        return self is Severity.error or (strict and self is Severity.warning)
