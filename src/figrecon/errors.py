"""Exceptions that mean "could not run". Problems in the data are findings
(`models.Finding`), gathered and reported together; these carry them to the edge,
where the CLI turns them into one line each and an exit code."""

from __future__ import annotations

import difflib
import functools
import string
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
    """A bad option or argument (bad --as-of date, unknown method, missing --rank).
    Several at once (the settings of a file) are `problems`, one line each."""

    def __init__(self, *problems: str) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(problems))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice closest to a mistyped word, if one is close enough."""
    return _closest(word, tuple(choices))


@functools.lru_cache(maxsize=1024)
def _closest(word: str, choices: tuple[str, ...]) -> str | None:
    # Cached: a million claims may misspell one metric a million times.
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return close[0] if close else None


COMPARED = 2_000
"""Choices up to which `Nearby` compares a word with each of them (`closest`)."""
LONGEST = 200
"""Characters beyond which `Nearby` does not look for a mistyped word among many
choices (the variants of a word grow with the square of its length)."""
BUDGET = 2e9
"""What `Nearby` may spend on its hints, in estimated nanoseconds of this machine's
kind (difflib took about 160 ns per choice and character of the word, making the
variants of a word 2-35 ns per character made): a few seconds at most, whatever the
input. Words looked for after it is spent get no hint."""


class Nearby:
    """The choice closest to a mistyped word among a set that may be large (the ids of
    a dataset, for an unknown id a claim refers to). Up to `COMPARED` choices the word
    is compared with each (`closest`); among more, only the choices one edit away are
    looked up: a character left out, added or changed, or two neighbours swapped, the
    smallest such choice if there are several. Comparing each of a thousand unknown ids
    with each of a million known ones takes hours; looking up the variants of a word
    takes well under a millisecond. Each word is looked for once, and all of them
    within `BUDGET`: 50,000 distinct unknown ids among 2,000 would take minutes in
    difflib, and as many of 190 characters, among a million ids of that length, a
    minute of variants."""

    def __init__(self, choices: set[str]) -> None:
        self.choices = choices
        self.found: dict[tuple[str, str | None], str | None] = {}
        self.spent = 0.0
        self._alphabet: str | None = None
        self._lengths: set[int] = set()

    def hint(self, word: str, besides: str | None = None) -> str:
        """`did_you_mean` of `word` among the choices other than `besides`."""
        key = (word, besides)
        if key not in self.found:
            self.found[key] = self._closest(word, besides)
        return _suggestion(self.found[key])

    def _closest(self, word: str, besides: str | None) -> str | None:
        n = len(word) + 1
        if len(self.choices) <= COMPARED:
            if not self._spend(160.0 * len(self.choices) * n):
                return None
            return closest(word, sorted(self.choices - {besides}))
        alphabet = self.alphabet()
        # Only edits that make a word of a length some choice has.
        kinds = {
            k for k, d in (("out", -1), ("same", 0), ("added", 1)) if n - 1 + d in self._lengths
        }
        if (
            not kinds
            or len(word) > LONGEST
            or not self._spend(10.0 * n * n * (2 * len(alphabet) + 2))
        ):
            return None
        near = [v for v in _one_edit(word, alphabet, kinds) if v in self.choices and v != besides]
        return min(near) if near else None

    def _spend(self, cost: float) -> bool:
        """Whether `cost` fits in what is left of `BUDGET` (and spend it if so)."""
        if self.spent + cost > BUDGET:
            return False
        self.spent += cost
        return True

    def alphabet(self) -> str:
        """The characters the choices are written in (ASCII letters, digits and common
        punctuation besides, when the choices use more than 128 characters)."""
        if self._alphabet is None:
            chars = set("".join(self.choices))
            if len(chars) > 128:
                chars = set(string.ascii_letters + string.digits + "-_.:/")
            self._alphabet = "".join(sorted(chars))
            self._lengths = set(map(len, self.choices))
        return self._alphabet


def _one_edit(word: str, alphabet: str, kinds: set[str]) -> set[str]:
    """Every text one edit away from `word` of the `kinds` asked for: a character left
    "out", "added", or (the "same" length) changed or two neighbours swapped."""
    cuts = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out: set[str] = set()
    if "out" in kinds:
        out |= {a + b[1:] for a, b in cuts if b}
    if "same" in kinds:
        out |= {a + b[1] + b[0] + b[2:] for a, b in cuts if len(b) > 1}
        out |= {a + c + b[1:] for a, b in cuts if b for c in alphabet}
    if "added" in kinds:
        out |= {a + c + b for a, b in cuts for c in alphabet}
    out.discard(word)
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A hint naming the choice closest to a mistyped word ("did you mean"), or ""."""
    return _suggestion(closest(word, choices))


def _suggestion(close: str | None) -> str:
    return f" (did you mean `{close}`?)" if close else ""
