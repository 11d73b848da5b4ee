"""A problem found in the input: a value with a code, a severity and a location."""

from __future__ import annotations

import re

from pydantic import (
    BaseModel,
    ConfigDict,
)

from .vocab import Severity

_SHEET = re.compile(r"(?:.+\.(?:xlsx|ods)|<stdin>):[^:\\/?*\[\]]+", re.IGNORECASE | re.DOTALL)
"""A sheet's name: its file (or standard input), a colon, and the sheet's name (which
cannot hold a colon)."""


def sheet_name(file: str, sheet: str) -> str:
    """The name under which one sheet of a spreadsheet is read: FILE:SHEET."""
    return f"{file}:{sheet}"


def file_of(name: str) -> str:
    """The file a claim file's name is in: the workbook of a sheet, else the name."""
    return name.rpartition(":")[0] if _SHEET.fullmatch(name) else name


def located(file: str, line: int | None) -> str:
    """Where a claim is: FILE:LINE, or FILE:SHEET!ROW for a row of a sheet (as
    spreadsheets write a place, Sheet1!A12); FILE alone when there is no line."""
    if line is None:
        return file
    return f"{file}{'!' if _SHEET.fullmatch(file) else ':'}{line}"


class Finding(BaseModel):
    """A problem found in the input, with where it is and what to do about it."""

    model_config = ConfigDict(frozen=True, defer_build=True)  # built at the first finding

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
            parts.append(located(self.file, self.line))
        if self.field:
            parts.append(self.field)
        text = self.said()
        return ": ".join([*parts, text])
