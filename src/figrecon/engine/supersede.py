"""R2: each originator's latest statement is its current claim; statements of one day;
an originator's own earlier floor, corrections and downward revisions.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any

import numpy as np

from ..columns import combined_codes, distinct, factorize, previous, running_max
from .attribution import figure_keys, originals
from .batch import (
    EPS,
    K_LOWER,
    K_VAGUE,
    KINDS,
    LIVE,
    PRECISION,
    SUPERSEDED,
    USED,
    WITHDRAWN,
    Batch,
    blocks,
    moment,
    neg,
)


def supersede(b: Batch) -> np.ndarray:
    """R2: each originator's latest statement is its current claim; when that latest
    statement was withdrawn (R3), the originator has no current claim. Returns the mask
    of current claims."""
    # A repeat of a withdrawn figure is that withdrawn statement circulating again, not
    # a new statement: it neither supersedes nor stands (R3, R4).
    pool = np.flatnonzero(
        (b.status == LIVE) | ((b.status == WITHDRAWN) & (b.kind >= 0) & ~b.repeat)
    )
    current = np.zeros(b.n, dtype=bool)
    if not len(pool):
        return current
    go = blocks(b.g[pool], b.orig[pool])
    date, stated = neg(b.date[pool]), neg(b.stated[pool])
    _redate_withdrawn_relays(b, pool, date, stated)
    order = np.lexsort((stated, date, go))
    r, go_s, d_s, s_s = pool[order], go[order], date[order], stated[order]
    live = b.status[r] == LIVE
    end = np.flatnonzero(np.append(go_s[1:] != go_s[:-1], True))
    block_of = np.repeat(np.arange(len(end)), np.diff(np.concatenate(([-1], end))))
    latest = (d_s == d_s[end][block_of]) & (s_s == s_s[end][block_of])
    # A block (one originator in one group) whose latest statement is withdrawn keeps
    # no current claim: its earlier figures stay history.
    latest_live = latest & live
    count = np.bincount(block_of[latest_live], minlength=len(end))
    gone = np.flatnonzero(count == 0)
    rep_of_block = np.full(len(end), -1, dtype=np.int64)
    simple = latest_live & (count[block_of] == 1)
    rep_of_block[block_of[simple]] = r[simple]
    several = np.flatnonzero(count > 1)
    if len(several):
        keys = figure_keys(b)
        # Blocks follow each other in `r`: a block is the slice up to its end.
        starts = np.append(0, end[:-1] + 1)
        for blk in several.tolist():
            span = slice(int(starts[blk]), int(end[blk]) + 1)
            rep_of_block[blk] = _same_day(b, r[span][latest_live[span]], keys)
    rep_of_block[gone] = r[end[gone]]  # the withdrawn latest statement, for the notes
    earlier = live & ~latest_live
    b.set(r[earlier], SUPERSEDED, "R2", rep_of_block[block_of[earlier]])
    b.withdrawn_latest.update(int(r[end[blk]]) for blk in gone)
    kept = np.flatnonzero(count > 0)
    current[rep_of_block[kept]] = True
    _floors_of_originators(b, r, block_of, earlier, rep_of_block, kept)
    b.set(np.flatnonzero(current), USED, "R2")
    return current


def _redate_withdrawn_relays(
    b: Batch, pool: np.ndarray, date: np.ndarray, stated: np.ndarray
) -> None:
    """R4 for withdrawn relays too (R4 proper redates live ones only): a withdrawn relay
    of a figure its originator stated earlier is that earlier statement, so it cannot
    be the originator's latest and take away a newer figure. Changes `date` and
    `stated` (the pool's sort keys: day numbers, undated as -inf) in place."""
    relays = np.flatnonzero((b.status[pool] == WITHDRAWN) & b.relayed[pool])
    if not len(relays):
        return
    rows = np.flatnonzero((b.kind >= 0) & np.isin(b.g, b.g[pool[relays]]))
    original = np.full(b.n, -1, dtype=np.int64)
    original[rows] = originals(b, rows)
    when = np.full(b.n, -math.inf)
    when[rows] = neg(moment(b.orig_date[rows], b.orig_stated[rows]))
    for k in relays.tolist():
        i = int(pool[k])
        first = int(original[i])
        if when[first] < when[i] or (first != i and np.isnan(b.orig_stated[i])):
            date[k], stated[k] = neg(b.orig_date[[first]])[0], neg(b.orig_stated[[first]])[0]


def _floors_of_originators(
    b: Batch,
    r: np.ndarray,
    block_of: np.ndarray,
    earlier: np.ndarray,
    rep_of_block: np.ndarray,
    kept: np.ndarray,
) -> None:
    """R2 for cumulative metrics: a current claim reads from its originator's own
    earlier floor (the greatest hard low it stated before): its soft low, and its point
    and soft high where they lie below, are raised to it. A floor ("at least 200" after
    "250") is weaker, not lower: it reads from 245 and is no revision.

    A current claim whose own words exclude that floor (its hard high lies below it:
    "230" after "at least 238") cannot be raised into it without contradicting what was
    said. Such a claim is the originator correcting itself downward, which casualty
    counts do when double counts are removed: it is read as stated.

    A current figure stated below that floor gets the note `downward-revision`: judged
    on the figure as stated ("9,000" after "9,223" is lower even though it reads from
    9,223), a range, "nearly" or a vague word only when all of it lies below ("dozens"
    after "250", not "hundreds" after "at least 230" nor "200-250" after "238"). A
    ceiling sets no floor ("312" after "up to 500" is not lower).

    A correction resets the floor: after "at least 300", then 250, then "at least 255",
    the floor is 255, not 300. Undated statements set no floor: they are not known to
    come before. Only confirmed statements (`confirm`) set a floor or reset it: a lone
    relayed typo neither raises the originator's later figures nor wipes its floor."""
    cum = b.cumulative[b.g[r]] & earlier & ~np.isnan(b.stated[r]) & b.confirmed[r]
    if not cum.any():
        return
    cum = _as_stated(b, r, _as_worded(b, r, cum, block_of), block_of)
    blk = block_of[cum]
    floor = np.full(len(rep_of_block), -math.inf)
    np.maximum.at(floor, blk, b.hard_low[r[cum]])
    first = _since_last_correction(b, r[cum], blk, floor)
    cum[np.flatnonzero(cum)[~first]] = False
    rep = rep_of_block[kept]
    floor = floor[kept]
    interval = np.isin(b.kind[rep], [K_VAGUE, KINDS.index("range"), KINDS.index("approx_below")])
    said = np.where(interval, b.hard_high[rep], b.point[rep])
    words_high = words_exclude_above(b, rep)
    raise_it = (b.soft_low[rep] < floor) & (floor <= words_high + EPS)
    up, to = rep[raise_it], floor[raise_it]
    for i, point in zip(up.tolist(), b.point[up].tolist(), strict=True):
        b.point_as_stated[i] = point
    b.soft_low[up] = to
    b.point[up] = np.maximum(b.point[up], to)
    b.soft_high[up] = np.maximum(b.soft_high[up], to)
    b.raised[up] = True
    is_floor = b.kind[rep] == K_LOWER
    lower = (~is_floor & (said + EPS < floor)) | (words_high + EPS < floor)
    if not lower.any():
        return
    # The statement that set the floor; among equals the first stated (a relay redated
    # to it by R4 is not cited in its place), then the smaller id.
    rows, setter_blk = r[cum], block_of[cum]
    order = np.lexsort(
        (
            b.id[rows].astype(str),
            neg(b.stated[rows]),
            b.relayed[rows],
            -b.hard_low[rows],
            setter_blk,
        )
    )
    first = order[np.flatnonzero(np.diff(setter_blk[order], prepend=-1))]  # codes are >= 0
    setters = dict(zip(setter_blk[first].tolist(), rows[first].tolist(), strict=True))
    for k in np.flatnonzero(lower).tolist():
        b.downward[int(rep[k])] = setters[int(kept[k])]


def words_exclude_above(b: Batch, rows: np.ndarray) -> np.ndarray:
    """The greatest figure the words of each claim admit: its hard high, lowered below
    the earlier figure of a downward change ("revised down from 300 to at least 250"
    excludes 300 and more)."""
    high = b.hard_high[rows]
    came_from = b.changed_from[rows]
    down = came_from > b.figure[rows]
    out: np.ndarray = np.where(down, np.minimum(high, came_from - 1), high)
    return out


def _since_last_correction(
    b: Batch, rows: np.ndarray, blk: np.ndarray, floor: np.ndarray
) -> np.ndarray:
    """R2 with corrections: which of an originator's earlier statements (`rows`, in
    date order within each block `blk`) still count toward its floor, i.e. those from
    its last correction on (a statement whose hard high lies below the floor before it).
    Sets `floor` of those blocks to the floor so counted. The order-dependent walk runs
    only for the blocks where some statement lies below an earlier hard low."""
    keep = np.ones(len(rows), dtype=bool)
    hl, hh = b.hard_low[rows], words_exclude_above(b, rows)
    before = previous(blk, running_max(blk, hl))
    suspect = distinct(blk[hh + EPS < np.nan_to_num(before, nan=-math.inf)])
    # `blk` ascends (rows come block by block): each block is one slice.
    lefts = np.searchsorted(blk, suspect, side="left")
    rights = np.searchsorted(blk, suspect, side="right")
    for block, left, right in zip(suspect.tolist(), lefts.tolist(), rights.tolist(), strict=True):
        at = np.arange(left, right)
        level, start = -math.inf, 0
        for j, k in enumerate(at.tolist()):
            if hh[k] + EPS < level:
                level, start = hl[k], j  # a correction: the floor starts again here
            else:
                level = max(level, hl[k])
        keep[at[:start]] = False
        floor[block] = level
    return keep


def _reading(b: Batch, i: int) -> tuple[Any, ...]:
    return (int(b.kind[i]), b.hard_low[i], b.hard_high[i], b.soft_low[i], b.soft_high[i])


def _worded(b: Batch, members: list[int]) -> tuple[Any, ...]:
    """R2: the reading of one originator's same-day statements of one number, worded
    as most of them word it (ties: the direct one's wording, then the more precise
    wording; then, for determinism, the earliest report and the more cautious one)."""
    votes = Counter(_reading(b, m) for m in members)
    direct = {_reading(b, m) for m in members if not b.relayed[m]}

    def rank(reading: tuple[Any, ...]) -> tuple[Any, ...]:
        earliest = min(neg(b.orig_stated[[m]])[0] for m in members if _reading(b, m) == reading)
        # Last, the reading itself (kind, then hard and soft bounds): whatever the
        # order of the claims, one reading wins.
        return (
            -votes[reading],
            reading not in direct,
            PRECISION[reading[0]],
            earliest,
            -(reading[2] - reading[1]),
            reading,
        )

    return min(votes, key=rank)


def _as_worded(b: Batch, r: np.ndarray, mask: np.ndarray, block_of: np.ndarray) -> np.ndarray:
    """`mask` (over `r`) without the claims of an earlier day worded otherwise than
    their statement (`_worded`): R2 makes an originator's same-day statements of one
    number one statement on every day, so only its wording sets a floor ("more than
    3,000" and "3,000" relayed of one statement, read as 3,000, set no floor of 3,001).
    Such days are found on the arrays; only theirs are looked at one by one."""
    at = np.flatnonzero(mask)
    if len(at) < 2:
        return mask
    rows = r[at]
    first, second = figure_keys(b)
    day = combined_codes(
        [
            factorize(values)[0] + 1
            for values in (block_of[at], b.date[rows], b.stated[rows], first[rows], second[rows])
        ]
    )
    reading = combined_codes(
        [
            factorize(values)[0] + 1
            for values in (
                day,
                b.kind[rows],
                b.hard_low[rows],
                b.hard_high[rows],
                b.soft_low[rows],
                b.soft_high[rows],
            )
        ]
    )
    # Days (of one number) with more than one reading.
    readings = np.bincount(day[np.unique(reading, return_index=True)[1]])
    mixed = np.flatnonzero(readings > 1)
    if not len(mixed):
        return mask
    out = mask.copy()
    # The rows of those days, a day after another, each day's in id order (as the
    # latest day's are): one sort, then a slice per day.
    picked = np.flatnonzero(np.isin(day, mixed))
    picked = picked[np.lexsort((b.id[r[at[picked]]].astype(str), day[picked]))]
    days = day[picked]
    bounds = np.flatnonzero(np.diff(days, prepend=-1, append=-1))
    for a, z in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        ks = at[picked[a:z]]
        members = r[ks].tolist()
        winner = _worded(b, members)
        out[ks[[_reading(b, m) != winner for m in members]]] = False
    return out


def _as_stated(b: Batch, r: np.ndarray, mask: np.ndarray, block_of: np.ndarray) -> np.ndarray:
    """`mask` (over `r`) with only R2's statement of each earlier day (`_statements`)
    where one originator's claims of that day give several numbers: R2 makes that
    statement the day's, on every day, so the others set no floor. A direct "2,500"
    beside a relayed "3,000" of one day is a floor of 2,450, not 2,700; without this,
    the walk of `_since_last_correction` took such a day in the order of the claims'
    ids, and an id decided the floor. Only the confirmed claims (`mask`) take part:
    a lone relayed typo does not take the day from a confirmed figure. Such days are
    found on the arrays; only theirs are looked at one by one."""
    at = np.flatnonzero(mask)
    if len(at) < 2:
        return mask
    rows = r[at]
    keys = figure_keys(b)
    day = combined_codes(
        [factorize(values)[0] + 1 for values in (block_of[at], b.date[rows], b.stated[rows])]
    )
    number = combined_codes(
        [factorize(values)[0] + 1 for values in (day, keys[0][rows], keys[1][rows])]
    )
    numbers = np.bincount(day[np.unique(number, return_index=True)[1]])
    mixed = np.flatnonzero(numbers > 1)
    if not len(mixed):
        return mask
    out = mask.copy()
    picked = np.flatnonzero(np.isin(day, mixed))
    picked = picked[np.argsort(day[picked], kind="stable")]
    bounds = np.flatnonzero(np.diff(day[picked], prepend=-1, append=-1))
    for a, z in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        ks = at[picked[a:z]]
        chosen = _statements(b, r[ks], keys)[0][1]
        out[ks[~np.isin(r[ks], chosen)]] = False
    return out


def _same_day(b: Batch, rows: np.ndarray, keys: tuple[np.ndarray, np.ndarray]) -> int:
    """R2 for one originator's several statements on its latest day (`_statements`):
    the others are superseded by the first. Returns the current row."""
    statements = _statements(b, rows, keys)
    current, mates = statements[0]
    for m in mates:
        if m != current:
            b.mate_of[m] = current
    for _, members in statements[1:]:
        b.set(np.array(members), SUPERSEDED, "R2", current)
        b.same_day.update(members)
    return current


def _statements(
    b: Batch, rows: np.ndarray, keys: tuple[np.ndarray, np.ndarray]
) -> list[tuple[int, list[int]]]:
    """R2 for one originator's several statements on one day: (the chosen row, the
    rows) of each statement, R2's current one first. Statements giving the same number
    are one statement, worded as most of them word it (ties: the direct one's wording,
    then the more precise wording; then, for determinism, the earliest report and the
    more cautious reading); between numbers, a direct statement beats a relayed one;
    then a statement that reads as a change from another's figure ("revised down from
    230 to 225") or withdraws it; then, for cumulative metrics, the greater hard low (a
    tally does not fall within a day); then the more precise wording, then the larger
    figure, then the smaller id."""
    first, second = keys
    clusters: dict[tuple[Any, ...], list[int]] = {}
    for i in sorted(rows.tolist(), key=lambda i: b.id[i]):
        clusters.setdefault((first[i], second[i]), []).append(i)
    statements = []
    for members in clusters.values():
        winner = _worded(b, members)
        chosen = sorted(
            (m for m in members if _reading(b, m) == winner), key=lambda m: (b.relayed[m], b.id[m])
        )[0]
        statements.append((chosen, members))
    replaces = _replacing(b, statements)
    cumulative = bool(b.cumulative[b.g[rows[0]]])
    statements.sort(
        key=lambda s: (
            b.relayed[s[1]].all(),
            not replaces[s[0]],
            -b.hard_low[s[0]] if cumulative else 0.0,
            PRECISION[b.kind[s[0]]],
            -b.point[s[0]],
            b.id[s[0]],
        )
    )
    return statements


def _replacing(b: Batch, statements: list[tuple[int, list[int]]]) -> dict[int, bool]:
    """R2: for each same-day statement (its chosen row), whether one of its claims reads
    as a change from another statement's figure (R1) or withdraws one of its claims."""
    said = {s: (b.figure[s] if not math.isnan(b.figure[s]) else b.point[s]) for s, _ in statements}
    # How many statements said each figure, and which statements hold each id: each
    # statement is then looked at once, not against every other (an originator with
    # thousands of statements on one day made that quadratic).
    saying = Counter(said.values())
    holding: dict[str, set[int]] = defaultdict(set)
    for s, members in statements:
        for m in members:
            holding[str(b.id[m])].add(s)
    out = {}
    for s, members in statements:
        came_from = {b.changed_from[m] for m in members if not math.isnan(b.changed_from[m])}
        withdrawn = {str(t) for m in members for t in b.retracts[m]}
        out[s] = any(saying[f] > (f == said[s]) for f in came_from) or any(
            holding.get(t, set()) - {s} for t in withdrawn
        )
    return out
