"""Checks of a value's words, looked for once per distinct value (a million claims
hold far fewer wordings than claims): words R1 does not read but that change what the
figure means.

- `hedged-figure`: a value worded as a projection or a guess ("could reach 20,000",
  "possibly 300", "300 feared dead"), which R1 reads as the figure it names.
- `misspelt-qualifier`: the words just before a value's first digit are one slip away
  from a qualifier of a built-in phrase table ("at lest 230", "aproximately 300", "не
  мение 200") without being one; R1 ignores them, so the floor, ceiling or
  approximation the source stated is lost and the figure reads bare. One slip: a letter
  left out, added or changed, or two letters swapped.

`reconcile` prints both on stderr as well as `check` (`report.reconcile_warnings`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import TypeVar

import numpy as np

from ..columns import factorize
from ..loading import Claims
from ..model import Finding
from .codes import CODES

Found = TypeVar("Found")

HEDGES = re.compile(
    r"\b(?:could|may|might|would|is expected to|are expected to|expected to|is likely to"
    r"|are likely to|likely to|set to|projected to|feared to)\s+(?:have\s+)?"
    r"(?:reach|rise|exceed|top|surpass|climb|grow|hit|been|died|killed)\w*"
    r"|\b(?:possibly|perhaps|maybe|feared|projected|potentially|conceivably)\b",
    re.IGNORECASE,
)
"""Words that make a figure a projection or a guess rather than a count, when they come
before it ("could reach 20,000", "possibly 300"): R1 finds the figure and ignores the
rest, so "could reach 20,000" reads as 20,000. After the figure they are most often a
remark on a count ("150, expected to rise"), except "feared" ("300 feared dead")."""

_FEARED = re.compile(r"\bfeared\b", re.IGNORECASE)
_DIGIT = re.compile(r"\d")


def hedged_figures(claims: Claims) -> list[Finding]:
    """`hedged-figure` at each claim whose value is worded as a projection or a guess."""
    return _by_value(
        claims,
        "hedged-figure",
        _hedge,
        lambda value, words: (
            f"{value!r} is worded as a projection or a guess "
            f"({words!r}); it is read as the figure it names"
        ),
        lambda words: (
            "keep projections out of the counts (or in a metric of their own); "
            "if the source states it as a count, ignore this finding"
        ),
    )


def misspelt_qualifiers(claims: Claims) -> list[Finding]:
    """`misspelt-qualifier` at each claim whose value has words one slip from a
    qualifier just before its figure (`near_qualifier`)."""
    return _by_value(
        claims,
        "misspelt-qualifier",
        near_qualifier,
        lambda value, near: (
            f"{value!r}: {near[0]!r} is one letter from the "
            f"qualifier {near[1]!r}; it is read as the bare figure"
        ),
        lambda near: (
            f"if the source wrote {near[1]!r}, correct the value; if not, ignore this finding"
        ),
    )


def _by_value(
    claims: Claims,
    code: str,
    find: Callable[[str], Found | None],
    message: Callable[[str, Found], str],
    hint: Callable[[Found], str],
) -> list[Finding]:
    """A finding of `code` at each claim whose value `find` finds something in, found
    once per distinct value; in the order of the claims."""
    cols = claims.columns
    if not len(claims):
        return []
    codes, texts = factorize(cols["value_text"])
    found = {k: hit for k, t in enumerate(texts.tolist()) if (hit := find(str(t))) is not None}
    if not found:
        return []
    return [
        Finding(
            code=code,
            severity=CODES[code].severity,
            file=cols["file"][i],
            line=int(cols["line"][i]),
            claim=cols["id"][i],
            field="value",
            message=message(str(cols["value_text"][i]), found[int(codes[i])]),
            hint=hint(found[int(codes[i])]),
        )
        for i in np.flatnonzero(np.isin(codes, list(found))).tolist()
    ]


def _hedge(text: str) -> str | None:
    """The words that make a value a projection or a guess (`HEDGES`), or None."""
    digit = _DIGIT.search(text)
    hit = _hedge_before(text if digit is None else text[: digit.start()])
    if hit is None and ("eared" in text or "EARED" in text):
        feared = _FEARED.search(text)
        hit = feared.group(0) if feared else None
    return hit


@lru_cache(maxsize=65_536)
def _hedge_before(before: str) -> str | None:
    """`HEDGES` in the words before a figure: few distinct, however many values."""
    match = HEDGES.search(before)
    return match.group(0) if match else None


SHORTEST = 5
"""Qualifiers shorter than this ("some", "over", "~") are left out: one edit from them
is too often another word ("same 200")."""

_WORDS = re.compile(r"[^\W\d_]+(?:[-'.][^\W\d_]+)*", re.UNICODE)


@cache
def _qualifiers() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    """The qualifiers of the built-in tables as written (lower case, words joined by
    one space), and each one-letter deletion of one of SHORTEST letters or more mapped to
    the qualifiers it comes from (a deletion of the qualifier itself included)."""
    from ..phrases.tables import builtin_languages, load_language

    exact: set[str] = set()
    deleted: dict[str, set[str]] = {}
    for code in builtin_languages():
        for key in load_language(code).qualifiers.table:
            text = " ".join(key)
            exact.add(text)
            if len(text) < SHORTEST or not any(ch.isalpha() for ch in text):
                continue
            for variant in {text, *_deletions(text)}:
                deleted.setdefault(variant, set()).add(text)
    return frozenset(exact), {k: frozenset(v) for k, v in deleted.items()}


def _deletions(text: str) -> set[str]:
    return {text[:i] + text[i + 1 :] for i in range(len(text))}


def near_qualifier(text: str) -> tuple[str, str] | None:
    """(The words as written, the qualifier they are one slip from) for the last one to
    three words just before the first digit of `text`; None when no word stands just
    before it, when those words end in a qualifier as written, or when none is near."""
    digit = _DIGIT.search(text)
    return None if digit is None else _near_before(text[: digit.start()].casefold())


@lru_cache(maxsize=65_536)
def _near_before(before: str) -> tuple[str, str] | None:
    words = list(_WORDS.finditer(before))
    if not words or before[words[-1].end() :].strip():
        return None  # no word just before the figure ("killed: 230", "~230")
    exact, deleted = _qualifiers()
    tails = [" ".join(w.group(0) for w in words[-k:]) for k in (3, 2, 1) if len(words) >= k]
    if any(tail in exact for tail in tails):
        return None
    for tail in tails:  # the longest first: "at lest" before "lest"
        found: set[str] = set()
        for variant in (tail, *_deletions(tail)):
            found |= deleted.get(variant, set())
        found = {q for q in found if _one_slip(tail, q) and not _inflected(tail, q)}
        if found:
            # The fullest spelling: "at least" for "at lest", not the hasty "atleast".
            return tail, max(sorted(found), key=len)
    return None


def _one_slip(written: str, qualifier: str) -> bool:
    """One letter left out, added or changed, or two neighbours swapped, after the first
    (a word one letter before another is another word: "early" and "nearly", "round" and
    "around")."""
    if written[:1] != qualifier[:1] or written == qualifier:
        return False
    a, b = written, qualifier
    if len(a) == len(b):
        diff = [k for k in range(len(a)) if a[k] != b[k]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if abs(len(a) - len(b)) != 1:
        return False
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    return any(long_[:k] + long_[k + 1 :] == short for k in range(len(long_)))


def _inflected(word: str, qualifier: str) -> bool:
    """Another ending of the same word ("estimates" beside "estimated"), which is
    another word, not a slip."""
    return (
        len(word) == len(qualifier)
        and word[:-1] == qualifier[:-1]
        and {word[-1], qualifier[-1]} <= set("sd")
    )
