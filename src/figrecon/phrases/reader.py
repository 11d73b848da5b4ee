"""Reading a phrase as numbers (R1 of RECONCILIATION.md): the reader finds the figure in
the tokens of a phrase (a number, a range, a vague word, a change) and its qualifier,
and `intervals` turns them into hard and soft intervals.

This module is on the start-up path of `figrecon parse`: it must not import pandas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache

from ..model import Kind, Quantity
from .errors import PhraseError
from .intervals import (
    QUALIFIER_KIND,
    VagueMeaning,
    number_quantity,
    range_quantity,
    vague_quantity,
)
from .numbers import (
    borrowed_unit,
    not_a_count,
    number_at,
    number_unit,
    refuse_signs_and_exponents,
    whole,
)
from .tables import Language, Profile, builtin_languages, load_language, load_profile
from .tokens import (
    DATES,
    SMALL_DIGITS,
    Phrases,
    Token,
    adjacent,
    normalize_text,
    script_of,
    span,
    tokenize,
)

MAX_PHRASE = 2000

DASHES = frozenset({"-", "–", "—", "−"})


"""Longer values are refused: a value is a figure, the sentence belongs in `quote`."""


@dataclass
class _Figure:
    start: int  # token index
    end: int
    value: int | None = None  # a number
    high: int | None = None  # a range's second number
    vague: VagueMeaning | None = None
    vague_term: str | None = None
    qualifier: str | None = None
    label: str = ""
    weak: bool = False


class Reader:
    """Reads phrases with one profile; each distinct phrase is read once (cached)."""

    def __init__(self, profile: str | Profile = "default", lang: str | None = None) -> None:
        self.profile = profile if isinstance(profile, Profile) else load_profile(profile)
        self.lang = lang
        self._cache: dict[tuple[str, str | None], Quantity | PhraseError] = {}
        self._languages: dict[str, Language] = {}
        # A bad table or profile is reported before any phrase is read, not in the
        # middle of reading them.
        for code in {*([lang] if lang else []), *self.profile.words}:
            if code == lang or code in builtin_languages():
                self.language(code)

    # - public

    def read(self, text: str, lang: str | None = None) -> Quantity:
        """The quantity a phrase states, or PhraseError quoting the phrase."""
        key = (text, lang or self.lang)
        hit = self._cache.get(key)
        if hit is None:
            try:
                hit = self._read(text, key[1])
            except PhraseError as exc:
                hit = exc
            self._cache[key] = hit
        if isinstance(hit, PhraseError):
            raise hit
        return hit

    def language(self, code: str) -> Language:
        lang = self._languages.get(code)
        if lang is None:
            lang = self._languages[code] = load_language(code, self.profile)
        return lang

    def detect(self, text: str) -> Language:
        """The table whose script the phrase's letters are written in (English when it
        has no letters or Latin ones)."""
        if text.isascii():
            return self.language("en")
        scripts = script_of(text)
        if len(scripts & _ALPHABETS) > 1:
            # Two alphabets ("около 200 people", "Reuters: более 200"): the qualifier
            # stands just before the figure, so the word there picks the table.
            nearest = _word_before_figure(DATES.sub(" ", normalize_text(text)))
            if nearest is not None and "LATIN" not in (near := script_of(nearest)):
                for code in builtin_languages():
                    lang = self.language(code)
                    if lang.script in near:
                        return lang
        if not scripts or "LATIN" in scripts:
            return self.language("en")
        for code in builtin_languages():
            lang = self.language(code)
            if lang.script in scripts:
                return lang
        raise PhraseError(
            text,
            f"no phrase table reads {'/'.join(sorted(scripts)).title()} script in {text.strip()!r}",
            "translate the value (keep the original in quote) or add a phrase table",
        )

    # - internals

    def _read(self, text: str, lang_code: str | None) -> Quantity:
        raw = text.strip()
        if not raw:
            raise PhraseError(text, "the value is empty", "write the figure as stated")
        if len(raw) > MAX_PHRASE:
            raise PhraseError(
                text,
                f"the value is {len(raw)} characters long",
                "put the figure in value and the sentence in quote",
            )
        small = SMALL_DIGITS.search(raw)
        if small is not None:
            raise PhraseError(
                text,
                f"a superscript or subscript digit ({small.group(0)!r}) in {raw!r}, which would "
                "join the figure's digits",
                "take out a footnote mark; write the figure in plain digits",
            )
        lang = self.language(lang_code) if lang_code else self.detect(raw)
        norm = DATES.sub(" ", normalize_text(raw))
        tokens = tokenize(norm)
        if not raw.isascii():
            _one_script_a_word(text, tokens)
            if lang_code is None and len(script_of(raw) & _ALPHABETS) > 1:
                return self._by_either(text, raw, tokens, lang)
        return self._by(text, raw, tokens, lang)

    def _by_either(self, text: str, raw: str, tokens: list[Token], lang: Language) -> Quantity:
        """A phrase of two alphabets ("около 200 people", "ТАСС 05.01.2022: at least
        200"), read by the table of each: the reading that finds words for its figure (a
        qualifier, a vague word) where the other finds none, else the one the figure's
        own alphabet picks (`detect`); an error only when no table reads it."""
        read: dict[str, Quantity] = {}
        for code in builtin_languages():
            if self.language(code).script not in script_of(raw):
                continue
            other = self._knowing_every_date(code)
            try:
                read[code] = self._by(text, raw, tokens, other)
            except PhraseError:
                continue
        if not read:
            return self._by(text, raw, tokens, lang)  # its error
        worded = [code for code, q in read.items() if q.kind not in (Kind.round, Kind.exact)]
        if len(worded) == 1:
            return read[worded[0]]
        return read.get(lang.code) or next(iter(read.values()))

    def _knowing_every_date(self, code: str) -> Language:
        """A built-in table that also knows the months and year words of the others: a
        phrase of two alphabets may give its date in the other ("Reuters, January 6:
        более 160", "ТАСС, 6 января: more than 160")."""
        key = f"{code}+dates"
        if key not in self._languages:
            tables = [self.language(c) for c in builtin_languages()]
            self._languages[key] = replace(
                self.language(code),
                months=frozenset().union(*(t.months for t in tables)),
                year_words=frozenset().union(*(t.year_words for t in tables)),
            )
        return self._languages[key]

    def _by(self, text: str, raw: str, tokens: list[Token], lang: Language) -> Quantity:
        """The reading of a phrase's tokens by one table."""
        change = self._change(tokens, lang)
        if change is not None:
            later, earlier = change
            q = self._quantity(text, later)
            if earlier is None:
                return q
            point = earlier.value if earlier.vague is None else earlier.vague.point
            return q.model_copy(update={"changed_from": float(point or 0)})
        return self._quantity(text, self._one_figure(text, raw, self._figures(tokens, lang)))

    @staticmethod
    def _one_figure(text: str, raw: str, figures: list[_Figure]) -> _Figure:
        strong = [f for f in figures if not f.weak]
        if strong:
            figures = strong
        if not figures:
            raise PhraseError(
                text,
                f"no figure in {raw!r}",
                "write the number as stated, e.g. 'about 200', 'at least 35', 'dozens', or 'none' "
                "for a statement of none",
            )
        if len(figures) > 1:
            found = ", ".join(f.label for f in figures)
            raise PhraseError(
                text,
                f"several figures in {raw!r} ({found})",
                "keep one figure (or one range) in value and the whole sentence in quote",
            )
        return figures[0]

    def _change(self, tokens: list[Token], lang: Language) -> tuple[_Figure, _Figure | None] | None:
        """R1: a change ("rose from 164 to 225", "climbed to 225 from 164", "up from 164
        to 225", "225, up from 164") as (the later figure, the earlier one); None when
        the phrase is not a change. The later figure keeps its own qualifier."""
        n = len(tokens)
        for i in range(n):
            opener = lang.change_openers.match(tokens, i)
            verb = None if opener else lang.change_verbs.match(tokens, i)
            if opener is None and verb is None:
                continue
            if opener is not None:
                first, at = "from", opener[1]
            else:
                assert verb is not None
                first, at = "", verb[1]
                # A few words may stand between the verb and its "from" or "to"
                # ("revised down from", "rose sharply to"), never a number.
                for j in range(at, min(n, at + 4)):
                    if tokens[j].kind == "num":
                        break
                    sides = (
                        ("from", lang.change_from),
                        ("to", lang.change_to),
                        ("by", lang.change_by),
                    )
                    for side, words in sides:
                        hit = words.match(tokens, j)
                        if hit is not None and not first:
                            first, at = side, hit[1]
                    if first:
                        break
                if not first:
                    continue
            other = lang.change_from if first == "to" else lang.change_to
            found = self._change_parts(tokens, lang, i, at, other, first != "to")
            if found is not None:
                later, earlier = found
                # "rose by 20 to 225": 20 is the difference, not the earlier figure.
                return later, (None if first == "by" else earlier)
            if first == "to" and verb is not None and not _in_a_qualifier(tokens, at, lang):
                # "возросло до 225" (rose to 225): the figure it rose to, whose "до" is
                # no "up to"; nothing before the verb is a figure.
                after = self._strong(tokens[at:], lang)
                if len(after) == 1 and not self._strong(tokens[:i], lang):
                    fig = after[0]
                    return replace(fig, start=fig.start + at, end=fig.end + at), None
            if first != "to":
                said = span(tokens, i, len(tokens))
                raise PhraseError(
                    said,
                    f"{said!r} gives only "
                    + ("the earlier figure" if first == "from" else "the size")
                    + " of a change",
                    "write the figure it changed to, e.g. 'rose from 164 to 225'",
                )
        return None

    def _change_parts(
        self,
        tokens: list[Token],
        lang: Language,
        start: int,
        at: int,
        other: Phrases,
        from_first: bool,
    ) -> tuple[_Figure, _Figure] | None:
        """The two figures of a change whose first part begins at token `at`: the first
        split at a word of `other` for which each side reads as exactly one figure and
        nothing else in the phrase is a figure."""
        n = len(tokens)
        before = self._strong(tokens[:start], lang)
        for k in range(at + 1, n):
            hit = other.match(tokens, k)
            if hit is None:
                continue
            one = self._strong(tokens[at:k], lang)
            two = self._strong(tokens[hit[1] :], lang)
            if len(one) == 1 and len(two) == 1 and not before:
                return (two[0], one[0]) if from_first else (one[0], two[0])
        if from_first and len(before) == 1:
            # No "to": "225, up from 164" states its later figure before the change.
            earlier = self._strong(tokens[at:], lang)
            if len(earlier) == 1:
                return before[0], earlier[0]
        return None

    def _strong(self, tokens: list[Token], lang: Language) -> list[_Figure]:
        figures = self._figures(tokens, lang)
        return [f for f in figures if not f.weak] or figures

    def _quantity(self, text: str, fig: _Figure) -> Quantity:
        if fig.vague is not None:
            return vague_quantity(text, fig.vague, fig.qualifier)
        assert fig.value is not None
        if fig.high is not None:
            return range_quantity(text, fig.value, fig.high)
        return number_quantity(text, fig.value, fig.qualifier)

    def _figures(self, tokens: list[Token], lang: Language) -> list[_Figure]:
        figures: list[_Figure] = []
        i = 0
        n = len(tokens)
        while i < n:
            vague_end, term = self._vague_at(tokens, i, lang)
            qualifier = lang.qualifiers.match(tokens, i)
            if qualifier is not None and qualifier[1] > vague_end:
                # A qualifier's own words ("as many as") are never a vague figure.
                i = qualifier[1]
                continue
            # "at least a dozen": the article before a unit stands for one.
            skip = int(tokens[i].text in lang.article and i + 1 < n)
            unit = lang.qualified_units.get(tokens[i + skip].text)
            if unit is not None and lang.qualifiers.ending_at(tokens, i) is not None:
                end = i + skip + 1
                fig = _Figure(i, end, value=unit, label=span(tokens, i, end))
                fig.qualifier = _qualifier_before(tokens, i, lang)
                figures.append(fig)
                i = end
                continue
            number = number_at(tokens, i, lang)
            if term is not None and (number is None or vague_end >= number[1]):
                fig = self._vague_figure(tokens, i, vague_end, term, lang)
                figures.append(fig)
                i = fig.end
                continue
            if number is None:
                i += 1
                continue
            value, end = number
            refuse_signs_and_exponents(tokens, i, end)
            if not_a_count(tokens, i, end, value, lang):
                i = end
                continue
            try:
                fig = _Figure(i, end, value=whole(value, tokens, i, end))
                fraction = None
            except PhraseError as exc:
                # "1.5-2 thousand": the range's multiplier may make the first end whole.
                fig, fraction = _Figure(i, end, value=value), exc  # type: ignore[arg-type]
            fig.label = span(tokens, i, end)
            self._extend_range(tokens, fig, lang)
            if fraction is not None and fig.high is None:
                raise fraction
            if fig.high is None:
                before = _qualifier_before(tokens, fig.start, lang)
                after = _suffix_after(tokens, fig, lang)
                fig.qualifier = _both(tokens, fig, lang, before, after)
            else:
                _refuse_bounded_range(tokens, fig, lang)
            figures.append(fig)
            i = fig.end
        read = [f for f in figures if not f.weak] or figures  # as `_one_figure` takes them
        if len(read) == 1:
            # Beside another figure ("hundreds, if not thousands", "200, not 300") the
            # phrase is refused as holding several.
            _refuse_negated(tokens, read[0], lang)
        return figures

    def _vague_at(self, tokens: list[Token], i: int, lang: Language) -> tuple[int, str | None]:
        hit = lang.vague.match(tokens, i)
        return (hit[1], hit[0]) if hit else (i, None)

    def _vague_figure(
        self, tokens: list[Token], start: int, end: int, term: str, lang: Language
    ) -> _Figure:
        meaning = self.profile.vague.get(term)
        if meaning is None:
            raise PhraseError(
                span(tokens, start, end),
                f"the profile {self.profile.name!r} gives no meaning to {term!r}",
                "add it under `vague:` in the profile",
            )
        fig = _Figure(start, end, vague=meaning, vague_term=term, weak=term in lang.weak_vague)
        if term in lang.vague_multiples:
            mult = lang.multipliers.match(tokens, end)
            if mult is not None:
                unit, fig.end = mult
                fig.vague = VagueMeaning(
                    Kind.vague,
                    (meaning.hard[0] * unit, meaning.hard[1] * unit),
                    (meaning.soft[0] * unit, meaning.soft[1] * unit),
                    meaning.point * unit,
                )
                fig.weak = False
        fig.label = span(tokens, start, fig.end)
        fig.qualifier = _qualifier_before(tokens, start, lang)
        return fig

    def _extend_range(self, tokens: list[Token], fig: _Figure, lang: Language) -> None:
        """ "225-240", "225 to 240", "between 225 and 240": extend fig to a range."""
        prefixed = fig.start > 0 and tokens[fig.start - 1].text in lang.range_prefixes
        joiner = lang.range_joiners.match(tokens, fig.end)
        if joiner is None and prefixed:
            joiner = lang.prefixed_joiners.match(tokens, fig.end)
        if joiner is None:
            return
        start2 = joiner[1]
        second = number_at(tokens, start2, lang)
        if second is None:
            if prefixed and start2 >= len(tokens):
                # "between 5 and": the range's other end is missing.
                raise PhraseError(
                    span(tokens, fig.start - 1, start2),
                    f"{span(tokens, fig.start - 1, start2)!r} is a range without its other end",
                    "write both ends, e.g. 'between 5 and 10'",
                )
            return
        value, end = second
        if not_a_count(tokens, start2, end, value, lang):
            return
        high = whole(value, tokens, start2, end)
        first = Decimal(fig.value or 0)
        # "2-3 thousand": a multiplier on the second number applies to both, unless the
        # first is written in full ("15,000-20k": 15,000, not 15 million).
        unit = number_unit(tokens, start2, end, lang)
        if number_unit(tokens, fig.start, fig.end, lang) == 1:
            if unit != 1 and first * unit <= high:
                first *= unit
            elif unit == 1 and tokens[fig.end].text in DASHES:
                _refuse_borrowed_zeros(tokens, fig, start2, end, first, high)
        fig.value = whole(first, tokens, fig.start, end)
        fig.high = high
        fig.end = end
        fig.label = span(tokens, fig.start, end)


_SIDES = {
    name: kind
    for name, kind in QUALIFIER_KIND.items()
    if kind in (Kind.lower_bound, Kind.upper_bound)
}
"""The qualifiers that bound a figure, and on which side (R1's table, `QUALIFIER_KIND`)."""


def _both(
    tokens: list[Token], fig: _Figure, lang: Language, before: str | None, after: str | None
) -> str | None:
    """The qualifier of a figure with one before it and one after it: one that only
    softens ("about 200+", "some 300-odd", "roughly 300 or more") leaves the other; two
    of a side ("over 200+") are the one before; two that contradict each other ("over
    300 at most", "almost 300 or more", "exactly 300 or so") are refused, as which one
    the source meant is not to be guessed."""
    if before is None or after is None or before == after:
        return before or after
    if before == "approx" and after != "exactly":
        return after
    if after == "approx" and before != "exactly":
        return before
    if _SIDES.get(before, before) == _SIDES.get(after, after):
        return before
    _refuse_two_qualifiers(tokens, fig, lang, before, after)
    return None


def _in_a_qualifier(tokens: list[Token], at: int, lang: Language) -> bool:
    """Whether the change word that ends just before token `at` ("to", "до") is the end of
    a longer qualifier ("close to", "up to", "вплоть до") or follows one ("почти до"):
    then the phrase reads as it did without the change rule."""
    word = at - 1
    start = lang.qualifiers.start_of(tokens, at)
    return start < word or lang.qualifiers.ending_at(tokens, word) is not None


def _refuse_two_qualifiers(
    tokens: list[Token], fig: _Figure, lang: Language, before: str, after: str
) -> None:
    """A qualifier before the figure and another after it that contradicts it."""
    said = span(tokens, lang.qualifiers.start_of(tokens, fig.start), fig.end)
    raise PhraseError(
        said,
        f"{said!r} has two qualifiers that contradict each other ({before.replace('_', ' ')}, "
        f"{after.replace('_', ' ')})",
        "keep the one the source meant, and the sentence in quote",
    )


BOUNDS = frozenset(_SIDES)


def _refuse_bounded_range(tokens: list[Token], fig: _Figure, lang: Language) -> None:
    """A bound on a range ("at least 200-300", "200-300 or more", "fewer than 10-20"):
    a floor of 200 or of 300? R1 has no reading for it, and read as the range it would
    lose its open end: refused. "About 200-300" is the range."""
    start = fig.start
    if start > 0 and tokens[start - 1].text in lang.range_prefixes:
        start -= 1
    before = _qualifier_before(tokens, start, lang)
    after = lang.suffixes.match(tokens, fig.end)
    bound = before if before in BOUNDS else (after[0] if after and after[0] in BOUNDS else None)
    if bound is None:
        return
    first = lang.qualifiers.start_of(tokens, start) if before in BOUNDS else fig.start
    said = span(tokens, first, after[1] if after and after[0] in BOUNDS else fig.end)
    raise PhraseError(
        said,
        f"{said!r} puts a bound on a range, which has no one reading",
        "write the bound on one number ('at least 200') or the range alone ('200-300'), "
        "and keep the sentence in quote",
    )


def _refuse_borrowed_zeros(
    tokens: list[Token], fig: _Figure, start2: int, end: int, first: Decimal, high: int
) -> None:
    """A range whose first end may borrow the unit of the second, as speech does
    ("20-30,000": twenty to thirty thousand; "2-300"): from 20, or from 20,000? Not
    guessed at: refused (`numbers.borrowed_unit` says when)."""
    low = int(first)
    unit = borrowed_unit(low, high) if first == low else None
    if unit is None:
        return
    said = span(tokens, fig.start, end)
    borrowed = low * unit
    raise PhraseError(
        said,
        f"{said!r} may run from {low:,} or from {borrowed:,} to {high:,}",
        f"write both ends in full ('{borrowed:,}-{high:,}' or 'between {low:,} and {high:,}')",
    )


def _qualifier_before(tokens: list[Token], start: int, lang: Language) -> str | None:
    name: str | None = lang.qualifiers.ending_at(tokens, start)
    return name


def _refuse_negated(tokens: list[Token], fig: _Figure, lang: Language) -> None:
    """A figure, or its qualifier, right after a word that denies it ("not at least
    200", "never fewer than 20", "weren't more than 50", "not many"): the phrase says
    what the count is not, and read without that word it would say the opposite. The
    qualifiers that begin with a denial ("no more than", "not less than") are the
    table's own and read as such."""
    if not lang.negations:
        return
    at = fig.start
    if fig.high is not None and at > 0 and tokens[at - 1].text in lang.range_prefixes:
        at -= 1  # "not between 5 and 10"
    at = lang.qualifiers.start_of(tokens, at)
    word = _denial_before(tokens, at, lang.negations)
    if word is None or (word == "no" and at == fig.start):
        # "no" denies a qualifier ("no bigger than 50"); before a number it is a number's
        # abbreviation as often ("No 10 killed").
        return
    said = " ".join((word, span(tokens, at, fig.end)))
    raise PhraseError(
        said,
        f"{said!r} denies its figure ({word!r}): it says what the count is not",
        "write what the count is, e.g. 'fewer than 200' for 'not at least 200' (keep the "
        "sentence in quote)",
    )


def _denial_before(tokens: list[Token], at: int, negations: frozenset[str]) -> str | None:
    """The denial ending just before token `at`: a word of `negations`, or a word ending
    in "n" followed by "'t" when "n't" is one."""
    if at >= 1 and tokens[at - 1].kind == "word" and tokens[at - 1].text in negations:
        return tokens[at - 1].text
    if (
        "n't" in negations
        and at >= 3
        and tokens[at - 1].text == "t"
        and tokens[at - 2].text in {"'", "’"}
        and tokens[at - 3].text.endswith("n")
    ):
        return tokens[at - 3].text + "'t"
    return None


def _suffix_after(tokens: list[Token], fig: _Figure, lang: Language) -> str | None:
    hit = lang.suffixes.match(tokens, fig.end)
    if hit is None:
        return None
    end = hit[1]
    if (
        end + 1 < len(tokens)
        and tokens[end].text == "-"
        and tokens[end + 1].kind == "word"
        and adjacent(tokens[end - 1], tokens[end])
        and adjacent(tokens[end], tokens[end + 1])
    ):
        return None  # "300 maximum-security prisoners", "200 minimum-wage workers"
    name, fig.end = hit
    return str(name)


@cache
def _default_reader(profile: str, lang: str | None) -> Reader:
    return Reader(profile, lang)


def parse_quantity(text: str, *, lang: str | None = None, profile: str = "default") -> Quantity:
    """How figrecon reads a phrase: `parse_quantity("some 9,900")` is approx [9850, 9950].

    Raises PhraseError (quoting the phrase) when it does not state exactly one figure."""
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)  # parse_quantity(225) is the phrase "225"
    if not isinstance(text, str):
        raise TypeError(f"parse_quantity takes a phrase (a str), not {type(text).__name__}")
    return _default_reader(profile, lang).read(text)


_ALPHABETS = frozenset({"LATIN", "CYRILLIC", "GREEK"})
"""Alphabets with letters that look alike (a Latin a, a Cyrillic а)."""

_BEFORE_FIGURE = re.compile(r"([^\W\d_]+)[^\w]*\d")
"""The word just before the first digit (with signs or spaces between)."""


def _word_before_figure(text: str) -> str | None:
    found = _BEFORE_FIGURE.search(text)
    return found.group(1) if found else None


def _one_script_a_word(text: str, tokens: list[Token]) -> None:
    """A word of letters from two alphabets ("leаst" with a Cyrillic а) is a look-alike
    letter: no qualifier matches it, and the figure would read without its qualifier."""
    for token in tokens:
        if token.kind != "word":
            continue
        scripts = script_of(token.text) & _ALPHABETS
        if len(scripts) > 1:
            raise PhraseError(
                text,
                f"the word {token.text!r} in {text.strip()!r} mixes "
                f"{' and '.join(s.title() for s in sorted(scripts))} letters",
                "retype it in one alphabet: a letter of one may look like one of the other",
            )
