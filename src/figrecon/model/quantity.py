"""A phrase read as numbers (R1)."""

from __future__ import annotations

import math

from pydantic import (
    BaseModel,
    ConfigDict,
)

from .fields import Bound, Number
from .vocab import Kind


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
