"""R2: each originator's latest statement is its current claim; statements of one day;
an originator's own earlier floor, corrections and downward revisions.
"""

from __future__ import annotations

import math

import numpy as np

from ..columns import before_day, day_starts, distinct, row_codes
from .attribution import originals
from .batch import (
    EPS,
    K_LOWER,
    K_VAGUE,
    KINDS,
    LIVE,
    SUPERSEDED,
    USED,
    WITHDRAWN,
    Batch,
    blocks,
    moment,
    neg,
)
from .statements import as_worded, changed_on_the_day, figure_keys, statements_of_day


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
    dated = b.cumulative[b.g[r]] & earlier & ~np.isnan(b.stated[r])
    if not (dated & b.confirmed[r]).any():
        return
    # A day's wording is how all of its claims of the number word it, confirmed or not;
    # the statement so worded sets a floor when it is confirmed.
    cum = changed_on_the_day(b, r, as_worded(b, r, dated, block_of) & b.confirmed[r], block_of)
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
    only for the blocks where some statement lies below an earlier hard low.

    One day's statements are not before one another: each is judged against the floor
    the days before it left, none corrects another of its day, and the day adds its
    greatest hard low (a direct "2,500" beside a confirmed relayed "3,000" of one day
    leaves a floor of 2,700, whatever their ids), except that a statement reading as a
    change from the figure of another of its day ("revised down from 3,000 to 2,500")
    corrects it (`statements.changed_on_the_day`)."""
    keep = np.ones(len(rows), dtype=bool)
    hl, hh = b.hard_low[rows], words_exclude_above(b, rows)
    # The floor before each row's day: the greatest hard low of the block's earlier days.
    day_start = day_starts(blk, row_codes(blk, b.date[rows], b.stated[rows]))
    new_day = day_start == np.arange(len(rows))
    suspect = distinct(blk[hh + EPS < before_day(blk, day_start, hl)])
    # `blk` ascends (rows come block by block): each block is one slice.
    lefts = np.searchsorted(blk, suspect, side="left")
    rights = np.searchsorted(blk, suspect, side="right")
    for block, left, right in zip(suspect.tolist(), lefts.tolist(), rights.tolist(), strict=True):
        level, start = -math.inf, left
        days = np.flatnonzero(new_day[left:right]) + left
        for a, z in zip(days.tolist(), [*days[1:].tolist(), right], strict=True):
            if bool((hh[a:z] + EPS < level).any()):
                level, start = -math.inf, a  # a correction: the floor starts again here
            level = max(level, float(hl[a:z].max()))
        keep[left:start] = False
        floor[block] = level
    return keep


def _same_day(b: Batch, rows: np.ndarray, keys: tuple[np.ndarray, np.ndarray]) -> int:
    """R2 for one originator's several statements on its latest day (`statements_of_day`):
    the others are superseded by the first. Returns the current row."""
    statements = statements_of_day(b, rows, keys)
    current, mates = statements[0]
    for m in mates:
        if m != current:
            b.mate_of[m] = current
    for _, members in statements[1:]:
        b.set(np.array(members), SUPERSEDED, "R2", current)
        b.same_day.update(members)
    return current
