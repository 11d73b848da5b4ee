"""R1's arithmetic: how roundness widens a number, and the hard and soft intervals, point
and kind each qualifier gives ("some 9,900" is approx [9,850, 9,950]).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import Kind, Quantity
from ..text import figure_text

QUALIFIER_KIND = {
    "exactly": Kind.exact,
    "approx": Kind.approx,
    "approx_below": Kind.approx_below,
    "more_than": Kind.lower_bound,
    "at_least": Kind.lower_bound,
    "up_to": Kind.upper_bound,
    "at_most": Kind.upper_bound,
    "fewer_than": Kind.upper_bound,
}


def _trailing_zeros(n: int) -> int:
    k = 0
    while n and n % 10 == 0:
        n //= 10
        k += 1
    return k


def roundness(n: int) -> tuple[int, int]:
    """(k, s): trailing zeros and significant digits of a whole number."""
    if n <= 0:
        return 0, 1
    k = _trailing_zeros(n)
    return k, len(str(n)) - k


def halo(n: int) -> float:
    """How far a bare round number reaches: 0 for 164, 50 for 9,900, 1,000 for 10,000."""
    k, s = roundness(n)
    if k == 0:
        return 0
    return 10**k / 2 if s >= 2 else n / 10


def step(n: int) -> float | None:
    """The next round step above or below n: None when n is not round."""
    k, s = roundness(n)
    if k == 0:
        return None
    return float(10**k) if s >= 2 else n / 5


def _half_up(x: float) -> int:
    return math.floor(x + 0.5)


def _ceil(x: float) -> float:
    return float(math.ceil(x - 1e-9))


def _floor(x: float) -> float:
    return x if math.isinf(x) else float(math.floor(x + 1e-9))


def _make(
    text: str,
    kind: Kind,
    hard: tuple[float, float],
    soft: tuple[float, float],
    point: float,
    figure: float | None = None,
    figure_high: float | None = None,
) -> Quantity:
    """Build a quantity whose intervals are whole numbers, soft within hard."""
    hl, hh = _ceil(max(0.0, hard[0])), _floor(hard[1])
    hh = max(hh, hl)
    sl = min(max(hl, _ceil(soft[0])), hh)
    sh = max(min(hh, _floor(soft[1])), sl)
    point = min(max(point, hl), hh)
    return Quantity.model_construct(
        text=text,
        kind=kind,
        hard_low=hl,
        hard_high=None if math.isinf(hh) else hh,
        soft_low=sl,
        soft_high=None if math.isinf(sh) else sh,
        point=point,
        figure=figure,
        figure_high=figure_high,
    )


NO_COUNT_BELOW = ("fewer_than", "approx_below")
"""Qualifiers that put the count below their number: below 0 there is none."""


def number_quantity(text: str, n: int, qualifier: str | None) -> Quantity:
    """R1 for one number with an optional qualifier (a key of QUALIFIER_KIND). A count
    below 0 ("fewer than 0", "nearly 0") is an error."""
    if n <= 0 and qualifier in NO_COUNT_BELOW:
        from .errors import PhraseError

        raise PhraseError(
            text,
            f"{text.strip()!r} puts the count below 0, which no count is",
            "check the figure against the source",
        )
    g = step(n)
    fn = float(n)
    if qualifier is None:
        h = halo(n)
        kind = Kind.round if h else Kind.exact
        return _make(text, kind, (n - h, n + h), (n - h, n + h), fn, fn)
    if qualifier == "exactly":
        # "exactly 10", "precisely 200": the speaker rules out rounding (R1 lists no
        # such row; read as an exact number, [n, n], not as a round one).
        return _make(text, Kind.exact, (n, n), (n, n), fn, fn)
    if qualifier == "approx":
        h = halo(n) or max(1, _half_up(0.05 * n))
        return _make(text, Kind.approx, (n - h, n + h), (n - h, n + h), fn, fn)
    if qualifier == "approx_below":
        low = n - max(1.0, 0.05 * n)
        hard = (low, n - 1.0)
        return _make(text, Kind.approx_below, hard, hard, (_ceil(low) + n - 1) / 2, fn)
    if qualifier in ("more_than", "at_least"):
        low = fn + 1 if qualifier == "more_than" else fn
        soft_high = fn + g if g else math.inf
        return _make(text, Kind.lower_bound, (low, math.inf), (low, soft_high), low, fn)
    if qualifier in ("up_to", "at_most", "fewer_than"):
        high = fn - 1 if qualifier == "fewer_than" else fn
        soft_low = fn - g if g else fn / 2
        return _make(text, Kind.upper_bound, (0, high), (soft_low, high), high, fn)
    raise ValueError(f"unknown qualifier {qualifier!r}")


def range_quantity(text: str, a: int, b: int) -> Quantity:
    lo, hi = (a, b) if a <= b else (b, a)
    return _make(text, Kind.range, (lo, hi), (lo, hi), (lo + hi) / 2, float(lo), float(hi))


def numbers_quantity(low: float | None, high: float | None, best: float | None) -> Quantity:
    """A claim given as explicit numbers (low / high / best) instead of a phrase."""

    if low is not None and high is not None:
        text = f"{figure_text(low)}–{figure_text(high)}" + (
            f" (best {figure_text(best)})" if best is not None else ""
        )
        q = range_quantity(text, int(low), int(high))
        if best is not None:
            q = q.model_copy(update={"point": float(best)})
        return q
    if low is not None:
        return number_quantity(f"at least {figure_text(low)}", int(low), "at_least")
    if high is not None:
        return number_quantity(f"at most {figure_text(high)}", int(high), "at_most")
    assert best is not None
    return number_quantity(figure_text(best), int(best), None)


def vague_quantity(text: str, meaning: VagueMeaning, qualifier: str | None) -> Quantity:
    kind = meaning.kind
    hard, soft, point = meaning.hard, meaning.soft, meaning.point
    if qualifier in ("more_than", "at_least") and kind != Kind.lower_bound:
        kind, hard = Kind.lower_bound, (hard[0], math.inf)
    elif qualifier in ("up_to", "at_most", "fewer_than") and kind != Kind.upper_bound:
        top = hard[1] if not math.isinf(hard[1]) else soft[1]
        kind, hard, point = Kind.upper_bound, (0.0, top), top
        soft = (soft[0], min(soft[1], top))
    return _make(text, kind, hard, soft, point)


@dataclass(frozen=True)
class VagueMeaning:
    kind: Kind
    hard: tuple[float, float]
    soft: tuple[float, float]
    point: float
