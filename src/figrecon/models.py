"""The data of figrecon, defined once: the claim format, the source registry, the
normalized quantity, findings, and the reconciled output. The JSON Schema printed by
`figrecon schema` is generated from these models."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .codes import Severity as Severity  # re-exported: findings carry it
from .dates import ISO_DAY, is_day

FORMAT_VERSION = 1
"""Version of the JSON output format; bumped on any incompatible change."""


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

UNKNOWN_SOURCE = "unknown"
"""Reserved `source` for a figure whose originator is not known (R4: half a source)."""

UNDATED = "undated"
"""Reserved `stated_on` for a statement whose date is not known."""


_SLUG = re.compile(r"[a-z0-9][a-z0-9_\-.]*")


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise PydanticCustomError(
            "slug",
            "'{value}' is not a slug (lowercase letters, digits, '_', '-' or '.')",
            {"value": value},
        )
    return value


def _text(value: Any) -> Any:
    """Numbers given where text is expected (ids, values) are read as written."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "is empty", {})
    return value.strip()


def _location(value: str) -> str:
    parts = [p.strip() for p in value.split("/")]
    if not all(parts):
        raise PydanticCustomError(
            "location",
            "'{value}' has an empty part (write e.g. Kazakhstan/Almaty)",
            {"value": value},
        )
    return "/".join(parts)


def error_text(err: Mapping[str, Any]) -> str:
    """The message of one pydantic error, in figrecon's voice: without pydantic's
    "Value error, " prefix and starting lower case."""
    msg = str(err.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg[:1].lower() + msg[1:]


def _id_list(value: Any) -> Any:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (int, float)):
        return [_text(value)]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
            raise ValueError("must be a list of claim ids")
        return [_text(v) for v in value]
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"", "false", "no", "0", "n", "f"}:
            return False
        if low in {"true", "yes", "1", "y", "t"}:
            return True
    return value


def _party(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"", "false", "no"}:
            return None
        if low in {"true", "yes"}:
            return True
    if value is None or isinstance(value, bool | str):
        return value or None
    raise ValueError("must be true, false or the name of a side, e.g. party: government")


def _stated_on(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and value.strip().lower() == UNDATED:
        return UNDATED
    if isinstance(value, str):
        try:
            # Only YYYY-MM-DD: Python also reads 20220106 and 2022-W01-4, which nobody
            # coding claims means as a date.
            if not is_day(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date",
                "'{value}' is not a date",
                {"value": value},
            ) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Not read as days or seconds since an epoch: 20220115 or 1642204800 would
        # become a date nobody wrote.
        raise PydanticCustomError("date", "{value} is a number, not a date", {"value": value})
    return value


def _date(value: Any) -> Any:
    out = _stated_on(value)
    if out == UNDATED:
        raise PydanticCustomError("date", "'undated' is not allowed here", {})
    return out


MAX_COUNT = 10**10
"""No count of people exceeds this (the world holds about 8 x 10^9); a larger figure is
a typing or coding error, and would lose precision as a float."""


def _count(value: Any) -> Any:
    written = value.strip() if isinstance(value, str) else None
    if isinstance(value, bool):
        raise PydanticCustomError("number", "'{value}' is not a number", {"value": value})
    if isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        if text.isdigit() and len(text) > 11:
            raise PydanticCustomError(
                "number",
                "a number of {digits} digits is more than 10^10 people",
                {"digits": len(text)},
            )
        if len(text) > 20:
            raise PydanticCustomError(
                "number", "'{value}' is not a count of people", {"value": value[:20] + "..."}
            )
        try:
            value = float(text)
        except ValueError:
            raise PydanticCustomError(
                "number", "'{value}' is not a number", {"value": value}
            ) from None
    if isinstance(value, int) and not -MAX_COUNT <= value <= MAX_COUNT:
        raise PydanticCustomError(
            "number",
            "a number of {digits} digits is more than 10^10 people",
            {"digits": len(str(abs(value)))},
        )
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value) or value < 0:
            raise PydanticCustomError(
                "number",
                "'{value}' is not a count (a number 0 or more)",
                {"value": written or value},
            )
        if value > MAX_COUNT:
            raise PydanticCustomError(
                "number", "{value:g} is more than 10^10 people", {"value": value}
            )
        if value != int(value):
            # Coders round nothing: a fraction of a person is a misplaced separator
            # or a rate, and would be silently truncated downstream.
            if written and re.fullmatch(r"\d{1,3}(\.\d{3})+", written):
                raise PydanticCustomError(
                    "number",
                    "'{value}' is not a whole number of people (if the dot groups "
                    "thousands, write {grouped})",
                    {"value": written, "grouped": written.replace(".", "")},
                )
            raise PydanticCustomError(
                "number", "'{value}' is not a whole number of people", {"value": value}
            )
        return float(value)
    return value


Slug = Annotated[str, BeforeValidator(_text), AfterValidator(_slug)]
Text = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank)]
Count = Annotated[float, BeforeValidator(_count)]
Date = Annotated[dt.date, BeforeValidator(_date)]
StatedOn = Annotated[dt.date | Literal["undated"], BeforeValidator(_stated_on)]
Location = Annotated[str, BeforeValidator(_text), AfterValidator(_location)]
IdList = Annotated[list[Text], BeforeValidator(_id_list)]
Flag = Annotated[bool, BeforeValidator(_bool)]


def _number(value: float | None) -> int | float | None:
    """Whole numbers print as integers in JSON ("225", not "225.0")."""
    if value is None or math.isinf(value):
        return None
    return int(value) if float(value).is_integer() else value


def figure_text(x: float | None) -> str:
    """A figure for a sentence: 9,900, 232.5, open (infinite), ? (unknown)."""
    if x is None or math.isnan(x):
        return "?"
    if math.isinf(x):
        return "open"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"


Number = Annotated[float, PlainSerializer(_number, return_type=int | float | None)]
Bound = Annotated[float | None, PlainSerializer(_number, return_type=int | float | None)]
"""An interval end; `null` in JSON means open (no upper bound)."""


class Claim(BaseModel):
    """One figure as one source stated it: a row of a claim file."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    id: Text | None = None
    """Unique within the dataset; defaults to FILE:LINE."""
    event: Slug | None = None
    """Event slug; defaults from the file header."""
    metric: Slug
    """What is counted: killed, injured, detained, held, ... or a declared custom metric."""
    group: Slug = "total"
    """Which population: total, security_forces, civilians, ... (free slug)."""
    location: Location | None = None
    """Scope, e.g. Kazakhstan or Kazakhstan/Almaty; defaults from the file header."""
    period: Text | None = None
    """A counting window (2022-01-11/2022-01-12); absent means cumulative or stock."""
    value: Text | None = None
    """The figure as stated: "225", "some 9,900", "at least 230", "dozens", "225-240"."""
    low: Count | None = None
    """Explicit lower figure, instead of `value`."""
    high: Count | None = None
    """Explicit upper figure, instead of `value`."""
    best: Count | None = None
    """Explicit best figure, instead of `value`."""
    source: Text
    """The originator: a registry id or a name; `unknown` when not known."""
    source_type: SourceType | None = None
    """Type of the originator, when the registry does not give it."""
    via: Text | None = None
    """Who carried it, e.g. "The Week < Reuters"; absent when the originator published it."""
    stated_on: StatedOn
    """Date the originator stated it (YYYY-MM-DD, or `undated`)."""
    as_of: Date | None = None
    """Date the count refers to, when different from stated_on."""
    retracts: IdList = Field(default_factory=list)
    """Ids of claims this statement withdraws."""
    retracted: Flag = False
    """True when the figure was withdrawn and the withdrawal is not itself a claim."""
    parts: IdList = Field(default_factory=list)
    """Ids of the claims its source gives as the parts that add up to this figure (a
    declared breakdown; `figrecon check` reports one that does not add up)."""
    assessment: Assessment | None = None
    """For claims without a number: unverified, disputed or confirmed."""
    url: Text | None = None
    quote: Text | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _states_something(self) -> Claim:
        problem = claim_shape_problem(
            self.value is not None,
            (self.low, self.high, self.best),
            self.assessment is not None,
            bool(self.retracts),
        )
        if problem:
            raise PydanticCustomError("claim_shape", problem, {})
        return self


CLAIM_FIELDS: tuple[str, ...] = tuple(Claim.model_fields)
REQUIRED_FIELDS: tuple[str, ...] = ("event", "metric", "source", "stated_on")


def claim_shape_problem(
    has_value: bool,
    numbers: tuple[float | None, float | None, float | None],
    has_assessment: bool,
    has_retracts: bool,
) -> str | None:
    """What is wrong with the combination of figure fields, or None.

    Shared by the model and the column-wise validation of large files."""
    low, high, best = numbers
    has_numbers = any(n is not None and not math.isnan(n) for n in numbers)
    if has_value and has_numbers:
        return "give the figure either as value or as low/high/best, not both"
    if has_assessment and (has_value or has_numbers):
        return "an assessment is for a claim without a figure; put the figure in its own claim"
    if not (has_value or has_numbers or has_assessment or has_retracts):
        return "states nothing; give a value (or low/high/best), an assessment, or retracts"
    if has_numbers:
        lo = None if low is None or math.isnan(low) else low
        hi = None if high is None or math.isnan(high) else high
        be = None if best is None or math.isnan(best) else best
        if be is not None and lo is None and hi is None:
            return None
        if (lo is None) != (hi is None) and be is not None:
            return "with best, give both low and high (or best alone)"
        if lo is not None and hi is not None and lo > hi:
            return f"low {figure_text(lo)} is above high {figure_text(hi)}"
        if be is not None and lo is not None and hi is not None and not lo <= be <= hi:
            return f"best {figure_text(be)} is outside low..high"
    return None


class Source(BaseModel):
    """An originator in the registry of a file header or a --sources file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text | None = None
    """Display name; defaults to the registry id."""
    type: SourceType = SourceType.unknown
    party: Annotated[bool | Text | None, BeforeValidator(_party)] = None
    """`true` for a party to the event, or the name of its side; organs of one side count
    as one originator (R10) and weigh half (R6)."""


class MetricDef(BaseModel):
    """A custom metric declared in a file header."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    measure: Measure


class ClaimFileHeader(BaseModel):
    """The optional header of a YAML or JSON claim file."""

    model_config = ConfigDict(extra="forbid")

    title: Text | None = None
    description: Text | None = None
    event: Slug | None = None
    location: Location | None = None
    sources: dict[str, Source] = Field(default_factory=dict)
    metrics: dict[str, MetricDef] = Field(default_factory=dict)


class ClaimFile(ClaimFileHeader):
    """A claim file: an optional header, then the claims. (A file may also be a bare
    list of claims.)"""

    claims: list[Claim]


def claim_file_schema() -> dict[str, Any]:
    """JSON Schema of a claim file, as the loaders accept it: the model's schema plus
    what the loaders add before validation (a number for `value`, one id or a list for
    `retracts` and `parts`, the user's own `x_` fields, dates as YYYY-MM-DD only)."""
    schema = ClaimFile.model_json_schema()
    own = {"^x_": {"description": "the user's own field, kept aside"}}
    schema["patternProperties"] = own
    claim = schema["$defs"]["Claim"]
    claim["patternProperties"] = own
    props = claim["properties"]
    props["value"]["anyOf"] = [{"type": "string"}, {"type": "number"}, {"type": "null"}]
    for name in ("retracts", "parts"):
        items = props[name].pop("items")
        props[name].pop("type", None)
        props[name]["anyOf"] = [items, {"type": "array", "items": items}]
    for name in ("stated_on", "as_of"):
        for option in props[name].get("anyOf", []):
            if option.get("format") == "date":
                option["pattern"] = ISO_DAY.pattern.join("^$")
    return schema


class Quantity(BaseModel):
    """A phrase read as numbers (R1): what the words entail and what a reader takes."""

    model_config = ConfigDict(frozen=True)

    text: str
    """The phrase as given."""
    kind: Kind
    hard_low: Number
    hard_high: Bound
    """Upper end of what the words strictly entail; None (null) when open."""
    soft_low: Number
    soft_high: Bound
    """Upper end of what a reader understands; None (null) when open."""
    point: Number
    """The single figure used for BEST."""
    figure: Number | None = None
    """The number as stated ("more than 200" states 200); None for vague words."""
    figure_high: Number | None = None
    """The second number of a range."""
    changed_from: Number | None = None
    """The earlier figure of a change ("rose from 164 to 225" states 225, changed from
    164; a vague earlier figure gives its point). R2 reads a same-day statement that
    changes another's figure as its replacement."""

    @property
    def hard(self) -> tuple[float, float]:
        return self.hard_low, math.inf if self.hard_high is None else self.hard_high

    @property
    def soft(self) -> tuple[float, float]:
        return self.soft_low, math.inf if self.soft_high is None else self.soft_high


class Finding(BaseModel):
    """A problem found in the input, with where it is and what to do about it."""

    model_config = ConfigDict(frozen=True)

    code: str
    """Stable kebab-case code, e.g. `invalid-field` or `duplicate-id`."""
    severity: Severity
    file: str | None = None
    line: int | None = None
    claim: str | None = None
    field: str | None = None
    message: str
    """What is wrong."""
    hint: str | None = None
    """What to do about it."""

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.field:
            parts.append(self.field)
        text = self.message + (f"; {self.hint}" if self.hint else "")
        return ": ".join([*parts, text])


Confidence = Literal["high", "moderate", "low", "very low"]
CONFIDENCE_LEVELS: tuple[Confidence, ...] = ("very low", "low", "moderate", "high")


class Note(BaseModel):
    """Why a figure is what it is: one note per rule that fired (R11)."""

    code: str
    rule: str
    message: str
    claims: list[str] = Field(default_factory=list)


class Exclusion(BaseModel):
    """A claim of the group that does not count toward the current figure, and why."""

    id: str
    reason: str
    """The note code that explains it: superseded, retracted, stale, outlier, ..."""
    rule: str


class HistoryPoint(BaseModel):
    value: Number
    stated_on: dt.date | None
    claims: list[str]


class History(BaseModel):
    """The least and greatest figures ever stated in the group (withdrawn ones aside)."""

    least: HistoryPoint
    greatest: HistoryPoint


class ClaimTrace(BaseModel):
    """What happened to one claim (`--explain`)."""

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

    format_version: int = FORMAT_VERSION
    figrecon: str
    method: MethodBlock
    figures: list[Figure]
