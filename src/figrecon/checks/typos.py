"""`possible-typo`: a figure 10, 100 or 1,000 times (or a tenth ...) an originator's
statements just before and after it, or one of them with two adjacent digits swapped.
"""

from __future__ import annotations

import numpy as np

from ..columns import among, combined_codes, factorize
from ..loading import Claims
from ..model import Finding
from ..text import day_text, figure_text
from .codes import CODES
from .view import claim_label

TYPO_FACTORS = (10, 100, 1000)


"""possible-typo: a point this many times its neighbours' (or this many times smaller),"""


TYPO_SLACK = 0.05


"""give or take this share of the factor,"""


TYPO_AGREE = 1.5


"""when the two neighbours are within this factor of each other."""


_TIMES_SMALLER = {10: "a tenth of", 100: "a hundredth of", 1000: "a thousandth of"}


def possible_typos(claims: Claims) -> list[Finding]:
    """A figure 10, 100 or 1,000 times (or a tenth, ... of) both of its originator's
    neighbouring statements of the same figure, or with two adjacent digits of one of
    them swapped, while those two agree: a slipped separator or digit. Columnar (one
    sort, then whole-array comparisons), so that `reconcile` can print it too."""
    cols = claims.columns
    figure = cols["figure"].astype(float)
    point = cols["point"].astype(float)
    date = cols["date_key"].astype(float)
    # A withdrawn figure is neither checked (it is dealt with) nor a neighbour: it may be
    # the very slip its originator corrected, and it is no longer what the originator says.
    named = {target for targets in cols["retracts"].tolist() for target in targets}
    withdrawn = cols["retracted"].astype(bool)
    if named:
        withdrawn |= among(cols["id"], list(named))
    # A vague word ("hundreds") states no digits to mistype and its point is a convention,
    # so only stated numbers are compared; an undated statement has no place in the order.
    rows = np.flatnonzero(~np.isnan(figure) & ~np.isnan(date) & ~withdrawn)
    # Each column's codes are taken whole (most are known from reading it), then picked.
    series = combined_codes(
        [
            factorize(cols[name])[0][rows] + 1
            for name in ("event", "metric", "group", "location", "period", "originator")
        ]
    )
    # Most originators state most figures once: only series of two or more are sorted.
    several = np.bincount(series)[series] > 1
    rows, series = rows[several], series[several]
    if not len(rows):
        return []
    ids = cols["id"][rows].astype(str)
    order = np.lexsort((ids, cols["stated_key"][rows].astype(float), date[rows], series))
    s = rows[order]
    # Consecutive statements of one series are neighbours; their ratios and digits are
    # compared once per pair and read from both sides.
    same = series[order][1:] == series[order][:-1]
    p = point[s]
    # A range's digits are two numbers: only single numbers are compared digit by digit.
    f = np.where(np.isnan(cols["figure_high"][s].astype(float)), figure[s], np.nan)
    times = same & (_times(p[1:], p[:-1]) > 0)
    swaps = same & _swapped(f[1:], f[:-1])
    has_prev, has_next = np.append(False, same), np.append(same, False)
    times_prev, times_next = np.append(False, times), np.append(times, False)
    swap_prev, swap_next = np.append(False, swaps), np.append(swaps, False)
    p_prev, p_next = np.roll(p, 1), np.roll(p, -1)
    agree = np.maximum(p_prev, p_next) <= TYPO_AGREE * np.minimum(p_prev, p_next)
    inner = has_prev & has_next & agree & ((times_prev & times_next) | swap_prev | swap_next)
    # A first or last statement has one neighbour; but when that neighbour is itself the
    # slip, flagged by the two statements around it, this one is its witness, not a slip.
    first = ~has_prev & (times_next | swap_next) & ~np.roll(inner, -1)
    last = ~has_next & (times_prev | swap_prev) & ~np.roll(inner, 1)
    out = []
    for k in np.flatnonzero(inner | first | last).tolist():
        near = [j for j, there in ((k - 1, has_prev[k]), (k + 1, has_next[k])) if there]
        swapped = [j for j, hit in ((k - 1, swap_prev[k]), (k + 1, swap_next[k])) if hit]
        scaled = [j for j, hit in ((k - 1, times_prev[k]), (k + 1, times_next[k])) if hit]
        if scaled == near:
            factor = int(_times(p[k : k + 1], p[near[0] : near[0] + 1])[0])
            what = f"{factor:,} times" if p[k] > p[near[0]] else _TIMES_SMALLER[factor]
        else:
            what = f"{figure_text(f[swapped[0]])} with two adjacent digits swapped;"
        i = int(s[k])
        labels = [
            claim_label(cols["id"][s[j]], cols["value_text"][s[j]], cols["stated_on"][s[j]])
            for j in near
        ]
        if len(near) == 2:
            where = f"its statements just before and after: {labels[0]} and {labels[1]}"
        else:
            side = "before" if near[0] < k else "after"
            where = f"its only neighbouring statement, just {side}: {labels[0]}"
        out.append(
            Finding(
                code="possible-typo",
                severity=CODES["possible-typo"].severity,
                file=cols["file"][i],
                line=int(cols["line"][i]),
                claim=cols["id"][i],
                message=f"{cols['source_name'][i]} says {cols['value_text'][i]} on "
                f"{day_text(cols['stated_on'][i])}, {what} {where}",
                hint="check the figure against the source; if it is right, ignore this finding",
            )
        )
    return out


def _times(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The factor of TYPO_FACTORS that one point is of the other, either way; 0 for none."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.maximum(a, b) / np.minimum(a, b)
    out = np.zeros(len(a), dtype=np.int64)
    for factor in TYPO_FACTORS:
        hit = (ratio >= factor * (1 - TYPO_SLACK)) & (ratio <= factor * (1 + TYPO_SLACK))
        out[hit] = factor
    return out


_POWERS = 10.0 ** np.arange(16)


def _swapped(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs of whole numbers with as many digits that differ only by two adjacent
    digits exchanged (1,243 and 1,423). NaN (a range, a vague word) is never one."""
    out = np.zeros(len(a), dtype=bool)
    whole = (a == np.floor(a)) & (b == np.floor(b)) & (a >= 10) & (b >= 10)
    whole &= (a < _POWERS[-1]) & (b < _POWERS[-1])
    x, y = a[whole].astype(np.int64), b[whole].astype(np.int64)
    # Exchanging the digits d and e at 10^k and 10^(k+1) changes a number by 9·(d-e)·10^k.
    near = (x != y) & ((x - y) % 9 == 0)
    digits = np.searchsorted(_POWERS, x, "right")
    near &= digits == np.searchsorted(_POWERS, y, "right")
    at = np.flatnonzero(whole)[near]
    x, y = x[near], y[near]
    low_x, low_y = x % 10, y % 10
    differ = (low_x != low_y).astype(np.int64)
    crossed = np.zeros(len(x), dtype=bool)
    for _ in range(int(digits[near].max(initial=1)) - 1):
        x, y = x // 10, y // 10
        high_x, high_y = x % 10, y % 10
        crossed |= (high_x != high_y) & (high_x == low_y) & (high_y == low_x)
        differ += high_x != high_y
        low_x, low_y = high_x, high_y
    out[at] = crossed & (differ == 2)
    return out
