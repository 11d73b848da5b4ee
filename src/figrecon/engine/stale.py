"""R5 and R6: early counts overtaken by much newer ones are stale, a later count far
below an older one reads as a floor; each claim's weight and widened interval.
"""

from __future__ import annotations

import math

import numpy as np

from ..columns import group_max, last_where, running_max, running_min
from ..config import Parameters
from ..model import Kind, SourceType
from .batch import (
    EPS,
    K_LOWER,
    K_UPPER,
    KINDS,
    STALE,
    TYPES,
    VALUE,
    WEAK,
    Batch,
    blocks,
)


def weigh(b: Batch, rows_mask: np.ndarray, p: Parameters) -> None:
    """R6 weight and the R7 widened interval of the given claims."""
    rows = np.flatnonzero(rows_mask)
    type_w = np.array([p.type_weights.get(SourceType(t), 0.5) for t in TYPES])
    kind_f = np.array([p.kind_factors.get(Kind(k), 0.4) for k in KINDS] + [0.0])
    w = type_w[b.type[rows]] * kind_f[b.kind[rows]]
    w = np.where(b.party[rows], w * p.party_factor, w)
    b.weight[rows] = w
    tau = p.tolerance * b.point[rows]
    k = b.kind[rows]
    b.wide_low[rows] = np.where(k == K_UPPER, 0.0, b.soft_low[rows] - tau)
    b.wide_high[rows] = np.where(k == K_LOWER, math.inf, b.soft_high[rows] + tau)


def stale(b: Batch, current: np.ndarray, p: Parameters) -> np.ndarray:
    """R5: early counts overtaken by much newer ones are history, not conflict; a later
    count far below an older one is read as a floor. Returns the remaining current mask."""
    rows = np.flatnonzero(current & ~np.isnan(b.date))
    stale_rows = np.zeros(b.n, dtype=bool)
    if len(rows):
        order = rows[np.lexsort((b.date[rows], b.g[rows]))]
        g, date = b.g[order], b.date[order]
        # Only originators of a type other than `other` and `unknown` make a claim
        # stale, whatever their claim's kind: an unattributed "1,800-2,500" must not
        # push every named count aside.
        eligible = ~WEAK[b.type[order]]
        cum = b.cumulative[g]
        sl = np.where(eligible, b.soft_low[order], -math.inf)
        wlo = np.where(eligible, b.wide_low[order], -math.inf)
        # Suffix maxima (and minima) within each group over the claims sorted by date,
        # with the row that reaches them (named in the note).
        suf_sl, arg_sl = _suffix(g, sl, np.maximum)
        suf_wlo, arg_wlo = _suffix(g, wlo, np.maximum)
        key = g * 1e7 + date
        j = np.searchsorted(key, g * 1e7 + date + p.stale_days, side="right")
        inside = (j < len(order)) & (g[np.minimum(j, len(order) - 1)] == g)
        jj = np.minimum(j, len(order) - 1)
        high = np.where(
            np.isinf(b.soft_high[order]), b.point[order] * p.open_factor, b.soft_high[order]
        )
        c_whi = b.wide_high[order]
        by_size = suf_sl[jj] >= p.stale_ratio * high - EPS
        above = suf_wlo[jj] > c_whi + EPS
        # A stock is what it is on the latest date: any newer count of it, more than
        # stale_days newer, makes an older one stale, agreeing or not.
        position = np.where(eligible, np.arange(len(order)), -1)
        newest = group_max(g, position)
        newer_stock = (newest >= 0) & (date[np.maximum(newest, 0)] > date + p.stale_days)
        is_stale = np.where(cum, inside & (by_size | above), newer_stock)
        cause = np.where(cum, np.where(by_size, arg_sl[jj], arg_wlo[jj]), newest)
        stale_rows[order[is_stale]] = True
        b.set(order[is_stale], STALE, "R5", order[cause[is_stale]])
    kept = current & ~stale_rows
    _floors(b, kept, p)
    return kept


def _suffix(g: np.ndarray, values: np.ndarray, op: np.ufunc) -> tuple[np.ndarray, np.ndarray]:
    """Running max (or min) from each row to the end of its group, and for each row the
    position (in the same order) of a row that reaches it."""
    running, where = _running(g[::-1], values[::-1], op)
    return running[::-1], (len(values) - 1 - where)[::-1]


def _running(g: np.ndarray, values: np.ndarray, op: np.ufunc) -> tuple[np.ndarray, np.ndarray]:
    """Running max (or min) from the start of each group to each row, and for each row
    the position of the latest row up to it that reaches it."""
    running = running_max(g, values) if op is np.maximum else running_min(g, values)
    return running, np.maximum(last_where(g, values == running), 0)


def _floors(b: Batch, kept: np.ndarray, p: Parameters) -> None:
    """R5, the other way round: a cumulative count wholly below a claim of another
    originator more than stale_days older, and not agreeing with it, reads as a floor at
    its own hard low (a later, lower count usually documents only part of what the
    earlier one covered). Only when both state a value (an upper bound or a vague word
    never becomes a floor), neither originator is of type `other` or `unknown`, and
    either neither is a party or both are organs of the same side: a government's later,
    lower count is weighed against the independent ones, not read as a partial count,
    and a party's high list does not turn an independent estimate into a floor."""
    rows = np.flatnonzero(
        kept & ~np.isnan(b.date) & b.cumulative[b.g] & VALUE[b.kind] & ~WEAK[b.type]
    )
    if not len(rows):
        return
    # Claims that may be weighed this way share a block: per group, the claims of
    # non-parties, and those of each side.
    side = blocks(b.g[rows], np.where(b.party[rows], b.unit[rows] + 1, 0))
    order = np.lexsort((b.date[rows], side))
    rows, side = rows[order], side[order]
    date = b.date[rows]
    pre, arg = _running(side, b.wide_low[rows], np.maximum)
    key = side * 1e7 + date
    j = np.searchsorted(key, side * 1e7 + date - p.stale_days, side="left") - 1
    inside = (j >= 0) & (side[np.maximum(j, 0)] == side)
    jj = np.maximum(j, 0)
    hit = inside & (pre[jj] > b.wide_high[rows] + EPS)
    changed = rows[hit]
    for c, older in zip(changed.tolist(), rows[arg[jj[hit]]].tolist(), strict=True):
        b.floored[int(c)] = int(older)
    if len(changed):
        b.kind[changed] = K_LOWER
        b.hard_high[changed] = math.inf
        b.soft_high[changed] = math.inf
        b.soft_low[changed] = b.hard_low[changed]
        b.point[changed] = b.hard_low[changed]
        mask = np.zeros(b.n, dtype=bool)
        mask[changed] = True
        weigh(b, mask, p)
