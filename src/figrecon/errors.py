"""Exceptions that mean "could not run". Problems in the data are findings
(`models.Finding`), gathered and reported together; these carry them to the edge,
where the CLI turns them into one line each and an exit code."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # models loads pydantic; `figrecon --version` must not wait for it
    from .model import Finding


class FigreconError(Exception):
    """Base of every error figrecon raises on purpose."""


class InputError(FigreconError):
    """The input cannot be used: missing files, broken syntax, invalid claims."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        self.findings = list(findings)
        first = str(self.findings[0]) if self.findings else "unusable input"
        more = len(self.findings) - 1
        super().__init__(first + (f" (and {more} more)" if more > 0 else ""))


class UsageError(FigreconError):
    """A bad option or argument (bad --as-of date, unknown method, missing --rank)."""


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to a mistyped word, if one is close enough."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the choice closest to a mistyped word ("did you mean"), or ""."""
    close = closest(word, choices)
    return f" (did you mean `{close}`?)" if close else ""
