"""R7: the agreement set, the region covered by the greatest weight (a weighted
Marzullo sweep), and independent originators.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ..config import Parameters
from .batch import (
    BOUND,
    EPS,
    WEAK,
    Batch,
    moment,
    neg,
)


def units(b: Batch, rows: Iterable[int], share: float) -> float:
    """Independent originators among rows: a side counts once, an unknown as `share`."""
    seen: set[int] = set()
    total = 0.0
    for i in rows:
        u = int(b.unit[i])
        if u not in seen:
            seen.add(u)
            total += share if b.unknown[i] else 1.0
    return total


def agreement(
    b: Batch, current: np.ndarray, p: Parameters
) -> tuple[np.ndarray, dict[int, list[int]], dict[int, list[tuple[float, float]]]]:
    """R7: per group, the region covered by the greatest total weight (weighted
    Marzullo); its claims form the agreement set. Returns the member mask and, for
    groups where no region stands out, the claims of the unresolved conflict and the
    tied regions (low, high), in ascending order."""
    rows = np.flatnonzero(current)
    members = np.zeros(b.n, dtype=bool)
    unresolved: dict[int, list[int]] = {}
    spans: dict[int, list[tuple[float, float]]] = {}
    if not len(rows):
        return members, unresolved, spans
    m = len(rows)
    sweep = _sweep_weights(b, rows)
    x = np.concatenate((b.wide_low[rows], b.wide_high[rows]))
    kind = np.concatenate((np.zeros(m, dtype=np.int8), np.ones(m, dtype=np.int8)))
    w = np.concatenate((sweep[rows], -sweep[rows]))
    g = np.concatenate((b.g[rows], b.g[rows]))
    order = np.lexsort((kind, x, g))
    x, kind, w, g = x[order], kind[order], w[order], g[order]
    running = np.cumsum(w)
    start = np.flatnonzero(np.append(True, g[1:] != g[:-1]))
    offset = np.repeat(running[start] - w[start], np.diff(np.append(start, len(g))))
    weight = running - offset
    # A weightless bound entering a region makes no new maximum of its own.
    starts_mask = (kind == 0) & (w > 0)
    top = np.full(b.groups, -math.inf)
    np.maximum.at(top, g[starts_mask], weight[starts_mask])
    at_top = starts_mask & (np.abs(weight - top[g]) <= EPS * np.maximum(1.0, np.abs(top[g])))
    count = np.bincount(g[at_top], minlength=b.groups)
    point = np.full(b.groups, math.nan)
    single = at_top & (count[g] == 1)
    point[g[single]] = x[single]
    # The region runs from its start to the next end of a weighing claim; a weightless
    # bound is a member when it reaches into it.
    ends = np.flatnonzero((kind == 1) & (w < 0))
    reach = np.full(b.groups, math.nan)
    reach[g[single]] = x[ends[np.searchsorted(ends, np.flatnonzero(single))]]
    gr = b.g[rows]
    simple = count[gr] == 1
    weightless = sweep[rows] == 0
    inside = np.where(
        weightless,
        (b.wide_low[rows] <= reach[gr] + EPS) & (b.wide_high[rows] >= point[gr] - EPS),
        (b.wide_low[rows] <= point[gr] + EPS) & (b.wide_high[rows] >= point[gr] - EPS),
    )
    members[rows[simple & inside]] = True
    tied_groups = np.flatnonzero(count > 1)
    # `rows` ascend, and with them their groups: each group is one slice.
    lefts = np.searchsorted(gr, tied_groups, side="left")
    rights = np.searchsorted(gr, tied_groups, side="right")
    for grp, left, right in zip(tied_groups.tolist(), lefts.tolist(), rights.tolist(), strict=True):
        chosen, tied = _tied_regions(b, rows[left:right], p, sweep)
        members[chosen] = True
        if len(tied) > 1:
            unresolved[int(grp)] = chosen
            spans[int(grp)] = sorted(_span(b, region, sweep) for region in tied)
    return members, unresolved, spans


def _span(b: Batch, region: frozenset[int], sweep: np.ndarray) -> tuple[float, float]:
    """Where a region of the sweep lies: the overlap of its members that weigh."""
    weighing = [i for i in region if sweep[i] > 0] or sorted(region)
    return (
        float(max(b.wide_low[i] for i in weighing)),
        float(min(b.wide_high[i] for i in weighing)),
    )


def _sweep_weights(b: Batch, rows: np.ndarray) -> np.ndarray:
    """The weights R7's sweep adds up. A bound from an originator of type `other` or
    `unknown` agrees with what lies on its side but weighs nothing in choosing the
    region: R8 lets it set no BEST, R5 lets it make nothing stale and R10 leaves it out
    of the outlier weight, so it must not decide the set either (a partisan "at least
    5,000" beside a floor of 1,130 would otherwise outvote a stated count of 1,250).
    A group whose current claims are all such bounds keeps their weights."""
    sweep = np.zeros(b.n)
    weak = WEAK[b.type[rows]] & BOUND[b.kind[rows]]
    strong = np.where(weak, 0.0, b.weight[rows])
    total = np.bincount(b.g[rows], weights=strong, minlength=b.groups)
    sweep[rows] = np.where(total[b.g[rows]] > 0, strong, b.weight[rows])
    return sweep


def _tied_regions(
    b: Batch, rows: np.ndarray, p: Parameters, sweep: np.ndarray
) -> tuple[list[int], list[frozenset[int]]]:
    """R7 ties: the region whose latest member is most recent, then the one with more
    independent originators; otherwise all of them (an unresolved conflict). Returns
    the members, and the regions still tied (one when the tie is resolved)."""
    events = sorted(
        [(b.wide_low[i], 0, int(i)) for i in rows] + [(b.wide_high[i], 1, int(i)) for i in rows]
    )
    active: set[int] = set()
    weight, best = 0.0, -1.0
    regions: list[frozenset[int]] = []
    for _x, kind, i in events:
        if kind == 0:
            active.add(i)
            weight += sweep[i]
            if weight > best + EPS:
                best, regions = weight, [frozenset(active)]
            elif abs(weight - best) <= EPS and frozenset(active) not in regions:
                regions.append(frozenset(active))
        else:
            active.discard(i)
            weight -= sweep[i]
    regions = [r for r in regions if not any(r < other for other in regions)]
    if len(regions) > 1:
        # "Most recent" compares when the members were stated (stated_on, then as_of),
        # not the dates their counts refer to.
        stated = dict(zip(rows.tolist(), neg(moment(b.stated[rows], b.date[rows])), strict=True))
        newest = max(max(stated[i] for i in r) for r in regions)
        regions = [r for r in regions if max(stated[i] for i in r) == newest]
    if len(regions) > 1:
        most = max(units(b, sorted(r), p.unknown_source_share) for r in regions)
        regions = [r for r in regions if units(b, sorted(r), p.unknown_source_share) == most]
    return sorted(frozenset().union(*regions)), regions
