"""Reading many phrases at once (R1): each distinct *template* (the phrase with its
digits masked: "about 0,000") is read once, and the numbers of every phrase of a
template are computed column-wise.

A million claims carry some 190,000 distinct phrases but only a few hundred templates.
Only templates whose words are all a qualifier, a suffix or a range's words ("about",
"at least", "+", "between ... and", "-") are read this way: in them the words alone
decide the reading, and the digits only the numbers. Every other phrase ("225 killed
on 5-6 January", "in 2022") is read by `Reader.read`, one by one. A template is used
only when its column-wise reading of its first phrase equals `Reader.read`'s.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..model import MAX_COUNT, Kind, Quantity
from .errors import PhraseError
from .intervals import NO_COUNT_BELOW
from .numbers import UNITS
from .reader import Reader
from .tables import Language
from .tokens import Token, normalize_text, tokenize

COLUMNS = (
    "kind",
    "hard_low",
    "hard_high",
    "soft_low",
    "soft_high",
    "point",
    "figure",
    "figure_high",
    "changed_from",
)
"""The reading of a phrase as columns; `kind` is a Kind value (None: no reading)."""

_DIGIT = re.compile(r"\d")
_NUMBER_TOKEN = re.compile(r"\d+(?:[,. ']\d+)*")
_NOT_DIGIT = re.compile(r"\D")


@dataclass(frozen=True)
class _Shape:
    """How the words of a template read its numbers: one number with a qualifier (None:
    bare), or a range of its two numbers."""

    qualifier: str | None
    is_range: bool
    grouped: tuple[bool, ...]
    """Per number token: whether its separators group thousands (else it has none)."""


def read_phrases(
    reader: Reader, phrases: Sequence[str]
) -> tuple[dict[str, np.ndarray], dict[int, PhraseError]]:
    """The readings of `phrases` (distinct strings) as `COLUMNS`, and the errors by
    position. Equal to `Reader.read` phrase by phrase, in a fraction of the time."""
    n = len(phrases)
    out: dict[str, np.ndarray] = {name: np.full(n, math.nan) for name in COLUMNS if name != "kind"}
    kinds = np.full(n, None, dtype=object)
    errors: dict[int, PhraseError] = {}
    by_template: dict[str, list[int]] = {}
    for i, phrase in enumerate(phrases):
        by_template.setdefault(_DIGIT.sub("0", phrase), []).append(i)
    one_by_one: list[int] = []
    for template, rows in by_template.items():
        shape = _shape(reader, template) if len(rows) > 1 else None
        if shape is None or not _fill(reader, shape, phrases, rows, kinds, out):
            one_by_one.extend(rows)
    for i in one_by_one:
        try:
            row = quantity_row(reader.read(phrases[i]))
        except PhraseError as exc:
            errors[i] = exc
            continue
        kinds[i] = row[0]
        for name, value in zip(COLUMNS[1:], row[1:], strict=True):
            out[name][i] = value
    return {"kind": kinds, **out}, errors


def quantity_row(q: Quantity | None) -> tuple[object, ...]:
    """A reading as the values of `COLUMNS`: open ends as infinity, absent numbers as
    NaN; all NaN (and no kind) without a reading."""
    if q is None:
        return (None, *[math.nan] * (len(COLUMNS) - 1))

    def number(x: float | None, absent: float = math.nan) -> float:
        return absent if x is None else x

    return (
        q.kind.value,
        q.hard_low,
        number(q.hard_high, math.inf),
        q.soft_low,
        number(q.soft_high, math.inf),
        q.point,
        number(q.figure),
        number(q.figure_high),
        number(q.changed_from),
    )


def _shape(reader: Reader, template: str) -> _Shape | None:
    """The shape of a template whose words are only a qualifier, a suffix or a range's
    words, or None."""
    raw = template.strip()
    if not raw:
        return None
    try:
        lang = reader.language(reader.lang) if reader.lang else reader.detect(raw)
    except PhraseError:
        return None
    tokens = tokenize(normalize_text(raw))
    numbers = [i for i, t in enumerate(tokens) if t.kind == "num"]
    if not 1 <= len(numbers) <= 2 or any(
        not _NUMBER_TOKEN.fullmatch(tokens[i].text) or len(tokens[i].text) > 14 for i in numbers
    ):
        return None
    grouped = tuple(_grouping(tokens[i].text) for i in numbers)
    if any(g is None for g in grouped):
        return None
    flags = tuple(bool(g) for g in grouped)
    if len(numbers) == 1:
        return _single(tokens, numbers[0], lang, flags)
    return _range(tokens, numbers, lang, flags)


def _grouping(text: str) -> bool | None:
    """Whether a masked number's separators group thousands (True) or it has none
    (False); None for a decimal or a malformed number, which are read one by one."""
    seps = {c for c in text if not c.isdigit()}
    if not seps:
        return False
    if len(seps) > 1:
        return None
    groups = text.split(seps.pop())
    if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
        return None
    # Threes after the first group: thousands, whatever the decimal mark, since no
    # multiplier follows in these templates ("9.900", "9,900" and "9 900" are 9,900).
    return True


def _single(
    tokens: list[Token], at: int, lang: Language, grouped: tuple[bool, ...]
) -> _Shape | None:
    qualifier = None
    if at > 0:
        hit = lang.qualifiers.ending_at(tokens, at)
        if hit is None or not _covers(lang.qualifiers, tokens, 0, at, hit):
            return None
        qualifier = str(hit)
    end = at + 1
    if end < len(tokens):
        if qualifier is not None:
            return None
        suffix = lang.suffixes.match(tokens, end)
        if suffix is None or suffix[1] != len(tokens):
            return None
        qualifier = str(suffix[0])
    return _Shape(qualifier, False, grouped)


def _covers(phrases: object, tokens: list[Token], start: int, end: int, value: object) -> bool:
    """Whether tokens[start:end] is exactly one phrase (of `phrases`) with `value`."""
    hit = phrases.match(tokens, start)  # type: ignore[attr-defined]
    return hit is not None and hit[1] == end and hit[0] == value


def _range(
    tokens: list[Token], numbers: list[int], lang: Language, grouped: tuple[bool, ...]
) -> _Shape | None:
    first, second = numbers
    if second != len(tokens) - 1:
        return None
    prefixed = first == 1 and tokens[0].text in lang.range_prefixes
    if first != (1 if prefixed else 0):
        return None
    joiner = lang.range_joiners.match(tokens, first + 1)
    if joiner is None and prefixed:
        joiner = lang.prefixed_joiners.match(tokens, first + 1)
    if joiner is None or joiner[1] != second:
        return None
    return _Shape(None, True, grouped)


def _fill(
    reader: Reader,
    shape: _Shape,
    phrases: Sequence[str],
    rows: list[int],
    kinds: np.ndarray,
    out: dict[str, np.ndarray],
) -> bool:
    """Read the rows of one template column-wise; False (nothing written) when its
    first phrase would read otherwise phrase by phrase."""
    found = [_NUMBER_TOKEN.findall(normalize_text(phrases[i])) for i in rows]
    width = 2 if shape.is_range else 1
    if any(len(f) != width for f in found):
        return False
    values = np.array([[int(_NOT_DIGIT.sub("", m)) for m in f] for f in found], dtype=np.int64)
    if (values > MAX_COUNT).any():
        return False
    if shape.is_range:
        if _may_borrow(values[:, 0], values[:, 1]).any():
            # "2-300" may be refused where "5-100" is not: the digits decide, so such a
            # template is read phrase by phrase.
            return False
        cols = range_columns(values[:, 0], values[:, 1])
    else:
        if shape.qualifier in NO_COUNT_BELOW and (values[:, 0] <= 0).any():
            return False  # read one by one: "fewer than 0" is an error
        cols = number_columns(values[:, 0], shape.qualifier)
    # The words decide the reading; check that on the template's first and last phrase.
    for k in {0, len(rows) - 1}:
        try:
            expected = quantity_row(reader.read(phrases[rows[k]]))
        except PhraseError:
            return False
        got = [cols[name][k] for name in COLUMNS]
        if got[0] != expected[0] or not np.allclose(
            np.array(got[1:], dtype=float), np.array(expected[1:], dtype=float), equal_nan=True
        ):
            return False
    at = np.array(rows)
    for name, column in cols.items():
        (kinds if name == "kind" else out[name])[at] = column
    return True


# --- R1's arithmetic, column-wise (the scalar forms are in `intervals`) ----------------


def _may_borrow(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """`numbers.borrowed_unit(low, high) is not None`, column-wise."""
    unit = np.zeros(len(high), dtype=np.int64)
    for u in reversed(UNITS):  # the largest unit that divides last, so it wins
        unit = np.where((high >= u) & (high % u == 0), u, unit)
    count = np.where(unit > 0, high // np.maximum(unit, 1), 0)
    out: np.ndarray = (unit > 0) & (low >= 1) & (low < count) & (count <= 999)
    return out


def _roundness(n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Trailing zeros and significant digits of whole numbers (0 reads as (0, 1))."""
    k = np.zeros(len(n), dtype=np.int64)
    rest = n.copy()
    positive = rest > 0
    while True:
        more = positive & (rest % 10 == 0)
        if not more.any():
            break
        k += more
        rest = np.where(more, rest // 10, rest)
    digits = np.where(n > 0, np.floor(np.log10(np.maximum(n, 1))).astype(np.int64) + 1, 1)
    # log10 can be off by one right at powers of ten for large numbers: correct it.
    digits = np.where((n > 0) & (10 ** (digits - 1) > n), digits - 1, digits)
    digits = np.where((n > 0) & (10**digits <= n), digits + 1, digits)
    return np.where(positive, k, 0), np.where(positive, digits - k, 1)


def _halo(n: np.ndarray, k: np.ndarray, s: np.ndarray) -> np.ndarray:
    power = np.power(10.0, k)
    return np.where(k == 0, 0.0, np.where(s >= 2, power / 2, n / 10))


def _step(n: np.ndarray, k: np.ndarray, s: np.ndarray) -> np.ndarray:
    """NaN when n is not round."""
    power = np.power(10.0, k)
    return np.where(k == 0, math.nan, np.where(s >= 2, power, n / 5))


def _make(
    kind: Kind | np.ndarray,
    hard: tuple[np.ndarray, np.ndarray],
    soft: tuple[np.ndarray, np.ndarray],
    point: np.ndarray,
    figure: np.ndarray,
    figure_high: np.ndarray | None = None,
) -> dict[str, np.ndarray]:
    """`intervals._make` column-wise: whole-number intervals, soft within hard."""
    n = len(point)
    hl = np.ceil(np.maximum(0.0, hard[0]) - 1e-9)
    hh = np.maximum(np.floor(np.asarray(hard[1], dtype=float) + 1e-9), hl)
    sl = np.minimum(np.maximum(hl, np.ceil(soft[0] - 1e-9)), hh)
    sh = np.maximum(np.minimum(hh, np.floor(np.asarray(soft[1], dtype=float) + 1e-9)), sl)
    kinds = np.full(n, kind.value, dtype=object) if isinstance(kind, Kind) else kind
    return {
        "kind": kinds,
        "hard_low": hl,
        "hard_high": hh,
        "soft_low": sl,
        "soft_high": sh,
        "point": np.minimum(np.maximum(point, hl), hh),
        "figure": figure.astype(float),
        "figure_high": np.full(n, math.nan) if figure_high is None else figure_high,
        "changed_from": np.full(n, math.nan),
    }


def number_columns(n: np.ndarray, qualifier: str | None) -> dict[str, np.ndarray]:
    """`intervals.number_quantity` for an array of whole numbers and one qualifier."""
    k, s = _roundness(n)
    fn = n.astype(float)
    inf = np.full(len(n), math.inf)
    if qualifier is None:
        h = _halo(fn, k, s)
        kind = np.where(h > 0, Kind.round.value, Kind.exact.value).astype(object)
        return _make(kind, (fn - h, fn + h), (fn - h, fn + h), fn, fn)
    if qualifier == "exactly":
        return _make(Kind.exact, (fn, fn), (fn, fn), fn, fn)
    if qualifier == "approx":
        h = _halo(fn, k, s)
        h = np.where(h > 0, h, np.maximum(1.0, np.floor(0.05 * fn + 0.5)))
        return _make(Kind.approx, (fn - h, fn + h), (fn - h, fn + h), fn, fn)
    if qualifier == "approx_below":
        low = fn - np.maximum(1.0, 0.05 * fn)
        point = (np.ceil(low - 1e-9) + fn - 1) / 2
        return _make(Kind.approx_below, (low, fn - 1), (low, fn - 1), point, fn)
    g = _step(fn, k, s)
    if qualifier in ("more_than", "at_least"):
        low = fn + 1 if qualifier == "more_than" else fn
        soft_high = np.where(np.isnan(g), math.inf, fn + np.nan_to_num(g))
        return _make(Kind.lower_bound, (low, inf), (low, soft_high), low, fn)
    if qualifier in ("up_to", "at_most", "fewer_than"):
        high = fn - 1 if qualifier == "fewer_than" else fn
        soft_low = np.where(np.isnan(g), fn / 2, fn - np.nan_to_num(g))
        return _make(Kind.upper_bound, (np.zeros(len(n)), high), (soft_low, high), high, fn)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def range_columns(a: np.ndarray, b: np.ndarray) -> dict[str, np.ndarray]:
    """`intervals.range_quantity` column-wise."""
    lo, hi = np.minimum(a, b).astype(float), np.maximum(a, b).astype(float)
    return _make(Kind.range, (lo, hi), (lo, hi), (lo + hi) / 2, lo, hi)
