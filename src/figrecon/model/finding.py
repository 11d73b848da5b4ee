"""A problem found in the input: a value with a code, a severity and a location."""

from __future__ import annotations

from pydantic import (
    BaseModel,
    ConfigDict,
)

from .vocab import Severity


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

    def said(self) -> str:
        """The message and what to do about it, in one sentence."""
        return self.message + (f"; {self.hint}" if self.hint else "")

    def __str__(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line is not None else ""))
        if self.field:
            parts.append(self.field)
        text = self.said()
        return ": ".join([*parts, text])
