"""Phrases as tokens: numbers, words and symbols, after folding case, spaces and digits of
any script; and tables of phrases (token tuples) matched longest first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

_TOKEN = re.compile(
    r"""
    (?P<num>(?<!\d)\d{1,3}(?:(?:[,.']|\ )\d{3})+(?!\d)(?:[.,]\d+)?
           |(?<!\d)\d+(?:[.,]\d+)?)
    |(?P<word>[^\W\d_]+)
    |(?P<sym>\S)
    """,
    re.VERBOSE,
)


DATES = re.compile(
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{1,2}:\d{2}(?::\d{2})?)(?!\d)"
)


_SPACES = str.maketrans(dict.fromkeys("\xa0\u2007\u2009\u202f\u2002\u2003\u2004\u2005", " "))


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # "num", "word" or "sym"
    text: str
    start: int
    end: int


SMALL_DIGITS = re.compile("[\u00b9\u00b2\u00b3\u2070\u2074-\u2079\u2080-\u2089]")
"""Superscript and subscript digits: NFKC makes them digits of the number they follow
("225¹", a footnote mark pasted with the figure, would read as 2251)."""


def normalize_text(text: str) -> str:
    if text.isascii():
        return text.replace("`", "'").casefold()
    text = unicodedata.normalize("NFKC", text).translate(_SPACES)
    # Any script's decimal digits (Persian ۲۲۵, Arabic-Indic) read as 0-9.
    out = []
    for ch in text:
        if ch.isdecimal() and not ch.isascii():
            out.append(str(unicodedata.decimal(ch)))
        elif ch in "’`´":
            out.append("'")
        else:
            out.append(ch)
    return "".join(out).casefold()


def tokenize(text: str) -> list[Token]:
    return [
        Token(m.lastgroup or "sym", m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)
    ]


class Phrases:
    """Phrases (token tuples) mapped to values, matched longest first."""

    __slots__ = ("by_first", "table")

    def __init__(self, table: Mapping[tuple[str, ...], Any]) -> None:
        self.table = dict(table)
        lengths: dict[str, set[int]] = {}
        for key in self.table:
            lengths.setdefault(key[0], set()).add(len(key))
        self.by_first = {k: sorted(v, reverse=True) for k, v in lengths.items()}

    def __contains__(self, key: object) -> bool:
        return key in self.table

    def __bool__(self) -> bool:
        return bool(self.table)

    def values(self) -> Iterable[Any]:
        return self.table.values()

    def items(self) -> Iterable[tuple[tuple[str, ...], Any]]:
        return self.table.items()

    def match(self, tokens: list[Token], i: int) -> tuple[Any, int] | None:
        """The longest phrase starting at token i: (value, end index)."""
        if i >= len(tokens):
            return None
        for length in self.by_first.get(tokens[i].text, ()):
            if i + length <= len(tokens):
                key = tuple(t.text for t in tokens[i : i + length])
                if key in self.table:
                    return self.table[key], i + length
        return None

    def ending_at(self, tokens: list[Token], end: int) -> Any:
        """The value of the longest phrase that ends just before token `end`."""
        start = self.start_of(tokens, end)
        return None if start == end else self.table[tuple(t.text for t in tokens[start:end])]

    def start_of(self, tokens: list[Token], end: int) -> int:
        """Where the longest phrase that ends just before token `end` starts (`end`
        when none does)."""
        for start in range(max(0, end - 6), end):
            hit = self.match(tokens, start)
            if hit is not None and hit[1] == end:
                return start
        return end


def phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(normalize_text(str(phrase))))


def phrase_set(entries: Iterable[Any]) -> set[tuple[str, ...]]:
    return {phrase_key(e) for e in entries if phrase_key(e)}


@cache
def script_of_char(ch: str) -> str:
    return unicodedata.name(ch, "").split(" ", 1)[0]


def script_of(text: str) -> set[str]:
    return {"LATIN" if ch.isascii() else script_of_char(ch) for ch in text if ch.isalpha()}


def span(tokens: list[Token], start: int, end: int) -> str:
    """The text of tokens[start:end] as written: a space only where one stood."""
    out = ""
    prev: Token | None = None
    for t in tokens[start:end]:
        if prev is not None and not adjacent(prev, t):
            out += " "
        out += t.text
        prev = t
    return out.strip()


def adjacent(a: Token, b: Token) -> bool:
    return a.end == b.start
