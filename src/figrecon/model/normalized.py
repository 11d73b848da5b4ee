"""The normalized claim: one claim as loading made it ready for the rules, declared once.
`figrecon normalize` writes these rows (`figrecon schema --normalized` is their JSON
Schema), the library's `normalize` gives them as a table, and loading's columns carry
these names."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from .fields import Bound, Number
from .vocab import Kind, Measure, SourceType


class NormalizedClaim(BaseModel):
    """One claim, validated and read (R1), its source resolved (R4, R6)."""

    model_config = ConfigDict(frozen=True)

    id: str
    """As given, or FILE:LINE."""
    event: str
    metric: str
    group: str
    location: str | None
    period: str | None
    measure: Measure
    """Whether the metric only grows (cumulative) or can fall (stock)."""
    value_text: str | None
    """The figure as stated (or as low/high/best write it); null without a figure."""
    kind: Kind | None
    """How the phrase states its figure (R1); null without a figure."""
    hard_low: Number | None
    """What the words strictly entail: low end."""
    hard_high: Bound
    """What the words strictly entail: high end; null when open (or without a figure)."""
    soft_low: Number | None
    """What a reader understands: low end."""
    soft_high: Bound
    """What a reader understands: high end; null when open (or without a figure)."""
    point: Number | None
    """The single figure used for BEST."""
    changed_from: Number | None = None
    """The earlier figure of a change ("rose from 164 to 225": 164), R1."""
    source: str
    """The originator as given (a registry id or a name)."""
    source_name: str
    """The originator's name (from the registry where it has one)."""
    type: SourceType
    """The originator's type, given or from the registry (unknown when neither says)."""
    party: str
    """The side the originator is a party of: empty for none, `<party>` for `party: true`."""
    originator: str
    """The key the rules count the originator by (an unattributed figure's carrier)."""
    via: str | None
    stated_on: dt.date | Literal["undated"]
    as_of: dt.date | None
    retracts: list[str]
    retracted: bool
    assessment: str | None
    file: str
    line: int
    """The line the claim starts on."""


NORMALIZED_COLUMNS: tuple[str, ...] = tuple(NormalizedClaim.model_fields)
"""The columns of `figrecon normalize`, in order."""
