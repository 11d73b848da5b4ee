"""From the agreement sets to figures: LOW / BEST / HIGH (R8), disagreement and history
(R9), confidence (R10); then each figure with its lists and notes.

The numbers are computed for all groups at once from the engine's sorted arrays; a
loop over the groups then writes each figure's lists and notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..columns import first_rows, row_codes
from ..config import Parameters
from .batch import (
    BOUND,
    EPS,
    K_LOWER,
    K_UPPER,
    K_VAGUE,
    STATE,
    VALUE,
    WEAK,
    Batch,
    gany,
    gmax,
    gmin,
    gpick,
    neg,
)


@dataclass
class Numbers:
    """R8-R10 for every group, as arrays indexed by group."""

    low: np.ndarray
    best: np.ndarray
    high: np.ndarray
    open_upper: np.ndarray
    confidence: np.ndarray  # index in CONFIDENCE_LEVELS, -1 without a figure
    n: np.ndarray
    ratio: np.ndarray
    conflict: np.ndarray  # (group, 2): the two rows of a bounds conflict, or -1
    counted: np.ndarray  # row mask of the members counted as independent sources
    share: float  # what an unattributed figure counts for (R10)
    vague_only: np.ndarray
    official_only: np.ndarray
    newest: np.ndarray  # newest member date (R10a for stock metrics)


def weighted_medians(b: Batch, rows: np.ndarray) -> np.ndarray:
    """R8: per group, the weighted median of the points of `rows`; an exact tie
    averages the two middle points. NaN for groups without rows."""
    out = np.full(b.groups, math.nan)
    if not len(rows):
        return out
    order = rows[np.lexsort((b.point[rows], b.g[rows]))]
    g, pt, w = b.g[order], b.point[order], b.weight[order]
    total = np.bincount(g, weights=w, minlength=b.groups)
    count = np.bincount(g, minlength=b.groups)
    # All-zero weights fall back to the plain median.
    w = np.where(total[g] <= EPS, 1.0, w)
    total = np.where(total <= EPS, count, total)
    start = np.flatnonzero(np.append(True, g[1:] != g[:-1]))
    running = np.cumsum(w)
    cum = running - np.repeat(running[start] - w[start], np.diff(np.append(start, len(g))))
    half = total[g] / 2
    tol = EPS * np.maximum(1.0, total[g])
    last = np.append(g[1:] != g[:-1], True)
    tie = (np.abs(cum - half) <= tol) & ~last
    over = cum > half + tol
    # First position per group where the cumulative weight reaches half.
    reach = tie | over
    first = np.full(b.groups, -1, dtype=np.int64)
    idx = np.flatnonzero(reach)
    first[g[idx[::-1]]] = idx[::-1]
    has = first >= 0
    f = first[has]
    out[np.flatnonzero(has)] = np.where(
        tie[f], (pt[f] + pt[np.minimum(f + 1, len(pt) - 1)]) / 2, pt[f]
    )
    missing = ~has & (count > 0)
    if missing.any():  # rounding left the half unreached: the greatest point
        out[missing] = gmax(b, b.point, np.isin(b.g, np.flatnonzero(missing)) & _mask(b, rows))[
            missing
        ]
    return out


def _mask(b: Batch, rows: np.ndarray) -> np.ndarray:
    mask = np.zeros(b.n, dtype=bool)
    mask[rows] = True
    return mask


def ratio_of(b: Batch, mask: np.ndarray) -> np.ndarray:
    """Greatest / least point per group (NaN when none, or when one is not positive)."""
    hi = gmax(b, b.point, mask, -math.inf)
    lo = gmin(b, b.point, mask, math.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = hi / lo
    return np.where(gany(b, mask) & (lo > 0), out, math.nan)


@dataclass
class _Sets:
    """The masks R8-R10 work with, per row."""

    members: np.ndarray
    current: np.ndarray
    values: np.ndarray  # members that state a value (vague ones only when nothing else does)
    lowers: np.ndarray
    uppers: np.ndarray
    has_members: np.ndarray  # per group
    has_values: np.ndarray  # per group


def _sets(b: Batch) -> _Sets:
    """R8's members that state a value, in two steps. First, a value from an originator
    of type `other` or `unknown` is set aside when a member of another type states a
    value (vague included) or a bound: a months-old rumour of "1,800-2,500" does not set
    the best beside a UN estimate of "as many as 2,600". Then, among the rest, vague
    members state a value only when no other member does."""
    k, mem = b.kind, b.members
    weak = WEAK[b.type]
    others_said = gany(b, mem & ~weak & (k >= 0))
    rest = mem & ~(weak & others_said[b.g])
    has_value = gany(b, rest & VALUE[k])
    values = rest & (VALUE[k] | ((k == K_VAGUE) & ~has_value[b.g]))
    return _Sets(
        members=mem,
        current=b.current,
        values=values,
        lowers=mem & (k == K_LOWER),
        uppers=mem & (k == K_UPPER),
        has_members=gany(b, mem),
        has_values=gany(b, values),
    )


def numbers(b: Batch, p: Parameters) -> Numbers:
    """R8, R9 and R10 for every group."""
    s = _sets(b)
    low, median, best, least, high, conflict = _low_best_high(b, s)
    ratio = _disagreement(b, s, median)
    # Confidence is the agreement set's, whichever point the method reports.
    confidence, n, counted, vague_only, official_only, newest = _confidence(b, s, best, p)
    if p.method == "conservative":
        best = least
    none = ~s.has_members
    return Numbers(
        low=np.where(none, math.nan, low),
        best=np.where(none, math.nan, best),
        high=np.where(none, math.nan, high),
        open_upper=gany(b, s.members & np.isinf(b.hard_high)),
        confidence=confidence,
        n=n,
        ratio=ratio,
        conflict=conflict,
        counted=counted,
        share=p.unknown_source_share,
        vague_only=vague_only,
        official_only=official_only,
        newest=newest,
    )


def _low_best_high(b: Batch, s: _Sets) -> tuple[np.ndarray, ...]:
    """R8: LOW from the values stated, BEST their weighted median clamped by the floors
    and ceilings, HIGH the greatest finite reading; and bounds that conflict.

    Also `least`, the BEST of the conservative method (ACLED's convention): LOW
    instead of the median before the clamp, the least figure the agreement set
    supports, never below a floor in it ("at least 230" beside 225 gives 230)."""
    g = b.g
    weak = WEAK[b.type]
    strong_lowers = s.lowers & ~weak
    # With only bounds, LOW and BEST come from the bounds of originators not of type
    # `other` or `unknown` when there are any, else from all of them: the greatest floor
    # as read (its soft low: the hard low, unless R2 raised it to the originator's own
    # earlier floor), or with only ceilings, the least one.
    bounds = s.lowers | s.uppers
    pool = np.where(gany(b, bounds & ~weak)[g], bounds & ~weak, bounds)
    floors, ceilings = pool & s.lowers, pool & s.uppers
    has_floors = gany(b, floors)
    low = np.where(
        s.has_values,
        gmin(b, b.soft_low, s.values),
        np.where(has_floors, gmax(b, b.soft_low, floors), gmin(b, b.soft_low, ceilings)),
    )
    median = np.where(
        s.has_values,
        weighted_medians(b, np.flatnonzero(s.values)),
        np.where(has_floors, gmax(b, b.soft_low, floors), gmin(b, b.point, ceilings)),
    )
    setters = s.values | s.lowers | s.uppers
    high = np.maximum(
        gmax(b, np.where(np.isinf(b.soft_high), -math.inf, b.soft_high), setters),
        gmax(b, b.point, setters),
    )
    hid = b.hid.astype(float)
    floor_row = gpick(b, strong_lowers, hid, b.hard_low)
    ceil_row = gpick(b, s.uppers & ~weak, -hid, -b.hard_high)
    has_floor, has_ceil = floor_row >= 0, ceil_row >= 0
    floor = np.where(has_floor, b.hard_low[floor_row], -math.inf)
    ceil = np.where(has_ceil, b.hard_high[ceil_row], math.inf)
    crossed = has_floor & has_ceil & (floor > ceil)

    def clamped(centre: np.ndarray) -> np.ndarray:
        return np.floor(np.where(crossed, floor, np.minimum(np.maximum(centre, floor), ceil)) + 0.5)

    best = clamped(median)
    least = clamped(np.where(s.has_members, low, median))
    low, high = np.minimum(low, best), np.maximum(high, best)
    conflict = np.full((b.groups, 2), -1, dtype=np.int64)
    conflict[crossed] = np.stack((floor_row[crossed], ceil_row[crossed]), axis=1)
    top = gpick(b, s.members, hid, b.hard_low)
    bottom = gpick(b, s.members, -hid, -b.hard_high)
    hard = ~crossed & s.has_members & (b.hard_low[top] > b.hard_high[bottom])
    conflict[hard] = np.stack((top[hard], bottom[hard]), axis=1)
    return low, median, best, least, high, conflict


def _disagreement(b: Batch, s: _Sets, median: np.ndarray) -> np.ndarray:
    """R9: the ratio among what still stands; bounds count when they contradict the
    median of the stated values (a floor above it, a ceiling below it)."""
    k, cur, g = b.kind, s.current, b.g
    stating_value = cur & VALUE[k]
    stating = np.where(gany(b, stating_value)[g], stating_value, cur & (k == K_VAGUE))
    contradict = cur & (
        ((k == K_LOWER) & (b.hard_low > median[g])) | ((k == K_UPPER) & (b.hard_high < median[g]))
    )
    return ratio_of(b, stating | contradict)


def _confidence(b: Batch, s: _Sets, best: np.ndarray, p: Parameters) -> tuple[np.ndarray, ...]:
    """R10: independent originators (a side once, unknowns as a share; bounds only
    when they contain BEST), the level, its downgrades and caps."""
    g, k = b.g, b.kind
    tau = p.tolerance * b.point
    reach = np.where(np.isinf(b.soft_high), b.point * p.open_factor, b.soft_high)
    corroborates = (b.soft_low - tau - EPS <= best[g]) & (best[g] <= reach + tau + EPS)
    counted = s.members & (~BOUND[k] | corroborates)
    rows = np.flatnonzero(counted)
    n: np.ndarray = np.zeros(b.groups)
    types = np.zeros(b.groups, dtype=np.int64)
    if len(rows):
        # Each (group, unit) counts once, with the share of its first row.
        first = first_rows(row_codes(g[rows], b.unit[rows]))
        share = np.where(b.unknown[rows], p.unknown_source_share, 1.0)
        n = np.bincount(g[rows][first], weights=share[first], minlength=b.groups)
        kinds = first_rows(row_codes(g[rows], b.type[rows]))
        types = np.bincount(g[rows][kinds], minlength=b.groups)
    level = np.where(n < 2, 0, np.where(n < 3, 1, np.where(types >= 2, 2, 1)))
    # R10's "ratio inside the set": among the figures the set's members state (R8), not
    # R9's floors above the median. A floor inside a vague member's own words is no
    # spread ("dozens" beside "at least 95" and "as many as 110" agree on 95-110), and
    # counting it would turn the bottom of "dozens" against its own range.
    inner = ratio_of(b, s.values)
    # "Below the set" is judged against the least value it states (a consistent floor
    # far below does not count).
    region_low = np.where(
        s.has_values, gmin(b, b.soft_low, s.values), gmin(b, b.soft_low, s.members)
    )
    newest = gmax(b, neg(b.date), s.members)
    lagging = b.cumulative[g] & (b.soft_high < region_low[g]) & (neg(b.date) < newest[g])
    counted_out = s.current & ~s.members & ~(WEAK[b.type] & BOUND[k]) & ~lagging
    member_w = np.bincount(g[s.members], weights=b.weight[s.members], minlength=b.groups)
    out_w = np.bincount(g[counted_out], weights=b.weight[counted_out], minlength=b.groups)
    total = member_w + out_w
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(total > 0, out_w / total, 0.0)
    down = (np.nan_to_num(inner, nan=0.0) > 1.5 + EPS) | (share >= p.outlier_share - EPS)
    index = level - down.astype(int) + 1
    vague_only = s.has_members & ~gany(b, s.members & (k != K_VAGUE))
    index = np.where(vague_only, np.minimum(index, 1), index)
    official_only = s.has_members & ~gany(b, s.members & ~(STATE[b.type] | b.party))
    index = np.where(official_only, np.minimum(index, 2), index)
    index = np.where(s.has_members, np.maximum(index, 0), -1)
    return index, n, counted, vague_only, official_only, newest


__all__ = ["Numbers", "numbers"]
