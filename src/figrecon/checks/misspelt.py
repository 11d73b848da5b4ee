"""`misspelt-qualifier`: the words just before a value's first digit are one slip away
from a qualifier of a built-in phrase table ("at lest 230", "aproximately 300", "не
мение 200") without being one. R1 finds the figure and ignores the other words, so the
floor, ceiling or approximation the source stated is lost and the figure reads bare.

Looked for once per distinct wording before the digits (a million claims hold a few
hundred), by one edit: a letter left out, added, changed, or two letters swapped.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

import numpy as np

from ..columns import factorize
from ..loading import Claims
from ..model import Finding
from .view import ClaimView

SHORTEST = 5
"""Qualifiers shorter than this ("some", "over", "~") are left out: one edit from them
is too often another word ("same 200")."""

_DIGIT = re.compile(r"\d")
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
        found = {q for q in found if not _inflected(tail, q)}
        if found:
            # The fullest spelling: "at least" for "at lest", not the hasty "atleast".
            return tail, max(sorted(found), key=len)
    return None


def _inflected(word: str, qualifier: str) -> bool:
    """Another ending of the same word ("estimates" beside "estimated"), which is
    another word, not a slip."""
    return (
        len(word) == len(qualifier)
        and word[:-1] == qualifier[:-1]
        and {word[-1], qualifier[-1]} <= set("sd")
    )


def misspelt_qualifiers(claims: Claims, v: ClaimView) -> list[Finding]:
    """A finding at each claim whose value has words one slip from a qualifier just
    before its figure (`near_qualifier`), looked for once per distinct value."""
    codes, texts = factorize(claims.columns["value_text"])
    near = {k: hit for k, t in enumerate(texts.tolist()) if (hit := near_qualifier(str(t)))}
    return [
        v.finding(
            "misspelt-qualifier",
            i,
            f"value {str(v.value_text[i])!r}: {near[int(codes[i])][0]!r} is one letter from "
            f"the qualifier {near[int(codes[i])][1]!r}; it is read as the bare figure",
            f"if the source wrote {near[int(codes[i])][1]!r}, correct the value; if not, "
            "ignore this finding",
            "value",
        )
        for i in np.flatnonzero(np.isin(codes, list(near))).tolist()
    ]
