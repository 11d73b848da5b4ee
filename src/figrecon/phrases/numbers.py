"""Numbers inside phrases: digits with their separators ("9,900", "9.900", "9 900"),
number words ("two hundred and five", "полторы тысячи"), multipliers ("10k", "1.2
million"), and what is not a count of people (dates, years, durations, units, money).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from ..model import MAX_COUNT
from .errors import PhraseError
from .tables import Language
from .tokens import Token, adjacent, span


def refuse_signs_and_exponents(tokens: list[Token], start: int, end: int) -> None:
    """A count has no sign ("-5") and is not written in scientific notation ("1e5")."""
    if start > 0:
        sign = tokens[start - 1]
        lone = start == 1 or not adjacent(tokens[start - 2], sign)
        if sign.text in ("-", "−") and adjacent(sign, tokens[start]) and lone:
            shown = sign.text + span(tokens, start, end)
            raise PhraseError(
                shown, f"{shown!r} is negative; a count is 0 or more", "write the count as stated"
            )
    # "1e5", and "1e+05" as R's write.csv writes 100000 (a sign between e and digits).
    signed = int(end + 2 < len(tokens) and tokens[end + 1].text in ("+", "-", "−"))
    exponent = end + 1 + signed
    if (
        exponent < len(tokens)
        and tokens[end].text in ("e", "E")
        and tokens[exponent].kind == "num"
        and all(adjacent(tokens[k], tokens[k + 1]) for k in range(end - 1, exponent))
    ):
        shown = "".join(t.text for t in tokens[start : exponent + 1])
        raise PhraseError(
            shown,
            f"{shown!r} is scientific notation",
            "write the count as stated, e.g. '100,000' or '1.5 thousand'",
        )


def numeral(raw: str, decimal_mark: str, has_multiplier: bool) -> Decimal:
    """A digit string with separators as a number ("9,900", "9.900", "9,9" + "тыс.")."""
    seps = [c for c in raw if not c.isdigit()]
    if not seps:
        return Decimal(raw)
    if len(set(seps)) > 1:
        last = seps[-1]
        head, _, tail = raw.rpartition(last)
        return Decimal(re.sub(r"\D", "", head) + "." + tail)
    sep = seps[0]
    groups = raw.split(sep)
    if len(seps) > 1 or sep in " '":
        # Thousands groups: one to three digits, then threes ("1,234,567"); "1,234,56"
        # or "1,0000" is a typing error, not a number to guess at.
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            raise malformed(raw)
        return Decimal(raw.replace(sep, ""))
    digits_after = len(groups[1])
    grouping = digits_after == 3 and not (has_multiplier and sep == decimal_mark)
    if grouping:
        return Decimal(raw.replace(sep, ""))
    if sep != decimal_mark:
        raise malformed(raw)
    return Decimal(raw.replace(sep, "."))


def malformed(raw: str) -> PhraseError:
    return PhraseError(
        raw,
        f"{raw!r} is not a well-formed number",
        "group thousands by three ('10,000') and write decimals with the table's "
        "decimal mark ('9.5', or '9,5' in Russian)",
    )


def number_at(tokens: list[Token], i: int, lang: Language) -> tuple[Decimal, int] | None:
    """A number starting at token i: digits (with a multiplier) or number words."""
    if i >= len(tokens):
        return None
    tok = tokens[i]
    if tok.kind == "num":
        head, _, tail = tok.text.partition(" ")
        if (
            lang.month_first
            and head.isdigit()
            and 1 <= int(head) <= 31
            and tail[:1] not in ("", "0")  # "January 10 000": ten thousand
            and _month_before(tokens, i, lang)
        ):
            # "As of January 10 225 people had died": a day, then a figure, not 10,225.
            raise PhraseError(
                tok.text,
                f"{tok.text!r} after a month may be a day and a figure, or one number",
                "put a comma after the date, or write the figure alone",
            )
        # "10 thousand", "10k", "9,9 тыс."; one multiplier is read.
        mult = lang.multipliers.match(tokens, i + 1)
        unit, end = mult if mult is not None else (1, i + 1)
        try:
            value = numeral(tok.text, lang.decimal_mark, mult is not None)
        except InvalidOperation:
            return None
        return value * unit, end
    if tok.kind == "word" and (tok.text in lang.numbers or tok.text in lang.article):
        return _number_words(tokens, i, lang)
    return None


def _number_words(tokens: list[Token], i: int, lang: Language) -> tuple[Decimal, int] | None:
    total: float = 0
    current: float = 0
    seen = False
    after_multiplier = False
    last: float | None = None  # the number word added last, since the last multiplier
    j = i
    n = len(tokens)
    while j < n:
        tok = tokens[j]
        # A word that is a number and a multiplier ("тысяча") multiplies what it follows
        # ("двадцать одна тысяча" is 21,000, not 1,021).
        multiplies = seen and lang.multipliers.match(tokens, j) is not None
        if tok.kind == "word" and tok.text in lang.numbers and not multiplies:
            if not _follows(last, lang.numbers[tok.text]):
                break  # "seven eight", "двести-триста": two numbers, not one
            current += lang.numbers[tok.text]
            last = lang.numbers[tok.text]
            seen = True
            j += 1
            continue
        mult = lang.multipliers.match(tokens, j)
        if mult is not None and tok.kind == "word":
            unit, end = mult
            if not seen and j > i and tokens[j - 1].text not in lang.article:
                break
            if unit >= 1000 and current == 0 and total and after_multiplier:
                # "a thousand thousand": the second multiplier multiplies.
                total *= unit
            elif unit >= 1000:
                total += (current or 1) * unit
                current = 0
            else:
                current = (current or 1) * unit
            seen = True
            after_multiplier = True
            last = None
            j = end
            continue
        after_multiplier = False
        # "a million", and after a fraction word "half a million".
        if tok.kind == "word" and tok.text in lang.article and (not seen or 0 < current < 1):
            nxt = lang.multipliers.match(tokens, j + 1)
            if nxt is None:
                break
            j += 1
            continue
        if (
            seen
            and tok.text in lang.number_joiners
            and j + 2 < n
            and tokens[j + 1].text in lang.article
            and 0 < lang.numbers.get(tokens[j + 2].text, 1) < 1
        ):
            # "one and a half thousand"
            current += lang.numbers[tokens[j + 2].text]
            j += 3
            continue
        if seen and (tok.text in lang.number_joiners or (tok.text == "-" and j + 1 < n)):
            nxt_tok = tokens[j + 1] if j + 1 < n else None
            if (
                nxt_tok is not None
                and nxt_tok.kind == "word"
                and nxt_tok.text in lang.numbers
                and _follows(last, lang.numbers[nxt_tok.text])
            ):
                if tok.text == "-" and not (
                    adjacent(tokens[j - 1], tok) and adjacent(tok, nxt_tok)
                ):
                    break
                j += 1
                continue
        break
    if not seen:
        return None
    return Decimal(total + current), j


def _follows(last: float | None, value: float) -> bool:
    """Whether a number word of `value` continues one that ended with `last`: a smaller
    place than `last`'s lowest ("twenty-five", "two hundred and five", "сто пятьдесят"),
    not another number ("seven eight", "thirty forty", "двести-триста": a range or
    two figures). A fraction ("half") may follow any word."""
    if last is None or value < 1:
        return True
    whole_last = int(last)
    if whole_last != last or whole_last == 0:
        return False
    zeros = len(str(whole_last)) - len(str(whole_last).rstrip("0"))
    return bool(value < 10**zeros)


UNITS = (10**9, 10**6, 1000, 100)
"""The units a spoken range may leave off its first end ("twenty to thirty thousand")."""


def borrowed_unit(low: int, high: int) -> int | None:
    """The unit the first end of a range "low-high" may borrow from the second, as speech
    does ("20-30,000" for twenty to thirty thousand, "2-300", "9-10,000"): the largest of
    UNITS that `high` is a whole number of, when `low` is fewer of them (1 to 999);
    None when the range can only be read as written ("5-100", "1-20", "10-2,000",
    "1831-2114")."""
    for unit in UNITS:
        if high >= unit and high % unit == 0:
            count = high // unit
            return unit if 1 <= low < count <= 999 else None
    return None


def number_unit(tokens: list[Token], start: int, end: int, lang: Language) -> int:
    """The multiplier that ends the number tokens[start:end], or 1."""
    for first in range(start + 1, end):
        hit = lang.multipliers.match(tokens, first)
        if hit is not None and hit[1] == end:
            return int(hit[0])
    return 1


def whole(value: Decimal, tokens: list[Token], start: int, end: int) -> int:
    if value > MAX_COUNT:
        said = span(tokens, start, end)
        raise PhraseError(
            said,
            f"{said if len(said) <= 40 else said[:40] + '...'!r} is more than 10^10 people",
            "check the digits and separators",
        )
    if value != value.to_integral_value():
        raise PhraseError(
            span(tokens, start, end),
            f"{span(tokens, start, end)!r} is not a whole number of people",
            "write the count as stated, e.g. '9,900' or '9.9 thousand'",
        )
    return int(value)


def not_a_count(tokens: list[Token], start: int, end: int, value: Decimal, lang: Language) -> bool:
    """Dates, years, percentages, durations, units, money, ordinals and names are not
    counts. A number a qualifier introduces ("in excess of 2000") or that opens a range
    ("from 2000 to 3000") is a count, whatever year it could be."""
    if _part_of_a_word(tokens, start, end, lang) or _measure_or_money(tokens, start, end, lang):
        return True
    introduced = lang.qualifiers.ending_at(tokens, start) is not None
    joiner = lang.range_joiners.match(tokens, end)
    if joiner is None and start > 0 and tokens[start - 1].text in lang.range_prefixes:
        joiner = lang.prefixed_joiners.match(tokens, end)  # "between 4 and 6 January"
    second = number_at(tokens, joiner[1], lang) if joiner is not None else None
    if second is not None and _measure_or_money(tokens, joiner[1], second[1], lang):  # type: ignore[index]
        return True  # the first end of "24-48 hours", "10-15 km", "от 10 до 15 суток"
    day_like = 1 <= value <= 31 and value == int(value)
    if day_like and _days_of_a_month(tokens, start, introduced, second, lang):
        return True
    if introduced or second is not None:
        return False
    return _a_date(tokens, start, end, day_like, lang)


def _part_of_a_word(tokens: list[Token], start: int, end: int, lang: Language) -> bool:
    """A number written into a word: "19a", "10km", "5th", "5-го", "G20", "covid-19",
    "#3"."""
    first, last = tokens[start], tokens[end - 1]
    after = tokens[end] if end < len(tokens) else None
    before = tokens[start - 1] if start > 0 else None
    if after is not None and after.kind == "word" and adjacent(last, after):
        return after.text in lang.ordinal_suffixes or lang.multipliers.match(tokens, end) is None
    if (
        after is not None
        and after.text == "-"
        and end + 1 < len(tokens)
        and tokens[end + 1].text in lang.ordinal_suffixes
        and adjacent(after, tokens[end + 1])
    ):
        return True
    if before is None:
        return False
    if before.kind == "word" and adjacent(before, first):
        return True
    named = (
        before.text in {"-", "#", "№"}
        and adjacent(before, first)
        and start >= 2
        and tokens[start - 2].kind == "word"
        and adjacent(tokens[start - 2], before)
        and not _ends_a_number(tokens, start - 1, lang)
    )
    return named or before.text in {"#", "№"}


def _ends_a_number(tokens: list[Token], end: int, lang: Language) -> bool:
    """Whether tokens[:end] end with a number word, or a number and its multiplier
    ("двести", "15k", "15 thousand"): then "двести-триста" and "15k-20k" are ranges, not
    a name such as "covid-19"."""
    if end > 0 and tokens[end - 1].text in lang.numbers:
        return True
    for first in range(max(0, end - 3), end):
        hit = lang.multipliers.match(tokens, first)
        if hit is not None and hit[1] == end and first > 0 and tokens[first - 1].kind == "num":
            return True
    return False


def _measure_or_money(tokens: list[Token], start: int, end: int, lang: Language) -> bool:
    """A duration, a percentage, a unit or an amount of money: "5 days", "10%", "$5"."""
    after = tokens[end] if end < len(tokens) else None
    follow = end + 1 if after is not None and after.text == "-" else end
    if lang.not_counts.match(tokens, follow) is not None:
        return True
    return start > 0 and (tokens[start - 1].text,) in lang.currency


def _month_before(tokens: list[Token], start: int, lang: Language) -> bool:
    """A month name just before the number ("January 11", "Jan. 7")."""
    before = tokens[start - 1] if start > 0 else None
    return before is not None and (
        before.text in lang.months
        or (before.text == "." and start >= 2 and tokens[start - 2].text in lang.months)
    )


def _days_of_a_month(
    tokens: list[Token],
    start: int,
    introduced: bool,
    second: tuple[Decimal, int] | None,
    lang: Language,
) -> bool:
    """A range of days next to a month: "5-6 January", "Jan 5-6" (either day)."""
    if not introduced and second is not None and 1 <= second[0] <= 31:
        after_second = tokens[second[1]] if second[1] < len(tokens) else None
        if _month_before(tokens, start, lang) or (
            after_second is not None and after_second.text in lang.months
        ):
            return True
    before = tokens[start - 1] if start > 0 else None
    return (
        before is not None
        and before.text in {"-", "–", "—"}
        and start >= 3
        and tokens[start - 2].kind == "num"
        and tokens[start - 3].text in lang.months
    )


def _a_date(tokens: list[Token], start: int, end: int, day_like: bool, lang: Language) -> bool:
    """A day or a year that a month name or a year word makes a date ("January 11",
    "11 января", "in 2022", "2022 year"), never a count such as "200 may have died"."""
    first = tokens[start]
    after = tokens[end] if end < len(tokens) else None
    before = tokens[start - 1] if start > 0 else None
    year_like = (
        first.kind == "num" and end - start == 1 and first.text.isdigit() and len(first.text) == 4
    )
    if (day_like or year_like) and (
        _month_before(tokens, start, lang) or (after is not None and after.text in lang.months)
    ):
        return True
    if not (year_like and 1800 <= int(first.text) <= 2100):
        return False
    return (
        any(t.text in lang.months for t in tokens[max(0, start - 4) : start])
        or (before is not None and before.text in lang.year_words)
        or (after is not None and after.text in lang.year_suffixes)
    )
