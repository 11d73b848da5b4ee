"""The claim format: a claim, the source registry, custom metrics and a claim file's
header, as the loaders accept them; `figrecon schema` prints their JSON Schema.
"""

from __future__ import annotations

import math
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..dates import ISO_DAY
from ..text import figure_text
from .fields import (
    Count,
    Date,
    Flag,
    IdList,
    Location,
    Name,
    OneWord,
    Period,
    Slug,
    StatedOn,
    Text,
    Via,
    party_side,
)
from .vocab import Assessment, Measure, SourceType


class Claim(BaseModel):
    """One figure as one source stated it: a row of a claim file."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, defer_build=True
    )

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
    period: Period | None = None
    """A counting window (2022-01-11/2022-01-12); absent means cumulative or stock."""
    value: Text | None = None
    """The figure as stated: "225", "some 9,900", "at least 230", "dozens", "225-240"."""
    low: Count | None = None
    """Explicit lower figure, instead of `value`."""
    high: Count | None = None
    """Explicit upper figure, instead of `value`."""
    best: Count | None = None
    """Explicit best figure, instead of `value`."""
    source: Name
    """The originator: a registry id or a name; `unknown` when not known."""
    source_type: Annotated[SourceType, OneWord] | None = None
    """Type of the originator, when the registry does not give it."""
    via: Via | None = None
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
    assessment: Annotated[Assessment, OneWord] | None = None
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

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    name: Name | None = None
    """Display name; defaults to the registry id."""
    type: Annotated[SourceType, OneWord] = SourceType.unknown
    party: Annotated[bool | Text | None, BeforeValidator(party_side)] = None
    """`true` for a party to the event, or the name of its side; organs of one side count
    as one originator (R10) and weigh half (R6)."""


class MetricDef(BaseModel):
    """A custom metric declared in a file header."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    measure: Annotated[Measure, OneWord]


class ClaimFileHeader(BaseModel):
    """The optional header of a YAML or JSON claim file."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

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
