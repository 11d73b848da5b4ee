"""R3 and R4: withdrawn figures and their repeats, relays counted under their originator
and dated at the statement they repeat, old figures relayed late; and R2's confirmed
statements, which alone may set an originator's floor.
"""

from __future__ import annotations

import math

import numpy as np

from ..columns import (
    before_day,
    day_starts,
    distinct,
    first_rows,
    isna,
    places,
    previous,
    row_codes,
    running_max,
    running_min,
)
from ..text import day_text
from .batch import (
    ASSESSMENT,
    EPS,
    HISTORY,
    LIVE,
    RETRACTION,
    UNDATED,
    WITHDRAWN,
    Batch,
    blocks,
    moment,
    neg,
    packed,
)
from .statements import as_worded, changed_on_the_day, figure_keys


def classify(b: Batch, dated_view: bool) -> None:
    """Assessments, bare retractions, withdrawn claims (R3), undated ones under --as-of."""
    has_assessment = ~isna(b.assessment)
    b.set(np.flatnonzero(has_assessment), ASSESSMENT, "R11")
    b.set(np.flatnonzero(~has_assessment & (b.kind < 0)), RETRACTION, "R3")
    flagged = b.retracted
    targets: dict[int, tuple[str | None, str]] = {}
    for i in np.flatnonzero(flagged & (b.status == LIVE)):
        targets[int(i)] = (None, "")
    has = np.flatnonzero(np.fromiter((len(r) > 0 for r in b.retracts), dtype=bool, count=b.n))
    # Where each withdrawn id is: looked up for the ids named, not built for every claim.
    named = sorted({t for i in has.tolist() for t in b.retracts[i]})
    # Ids are unique (a repeated id is refused when loading).
    found = places(b.id, named).tolist()
    position = {t: p for t, p in zip(named, found, strict=True) if p >= 0}
    for i in sorted(has, key=lambda i: (neg(b.stated[[i]])[0], b.id[i])):
        when = day_text(b.stated_on[i])
        for target in b.retracts[i]:
            t = position.get(target)
            if t is not None and b.kind[t] >= 0 and b.status[t] == LIVE:
                targets.setdefault(t, (str(b.id[i]), when))
    rows = np.array(sorted(targets), dtype=np.int64)
    b.set(rows, WITHDRAWN, "R3")
    b.withdrawn_by = targets
    if dated_view:
        # R2: "`--as-of` leaves it out" (an undated claim cannot be placed in time).
        b.set(np.flatnonzero((b.status == LIVE) & np.isnan(b.stated)), UNDATED, "R2")


def withdraw_repeats(b: Batch) -> None:
    """R3: the same originator's same figure in the group is withdrawn too."""
    gone = np.flatnonzero((b.status == WITHDRAWN) & (b.kind >= 0))
    if not len(gone):
        return
    f, fh = figure_keys(b)
    source = {
        (int(b.g[i]), int(b.orig[i]), f[i], fh[i]): int(i)
        for i in sorted(gone, key=lambda i: b.id[i])
    }
    groups = np.isin(b.g, b.g[gone])
    for i in np.flatnonzero(groups & (b.status == LIVE) & (b.kind >= 0)):
        original = source.get((int(b.g[i]), int(b.orig[i]), f[i], fh[i]))
        if original is not None:
            b.set(np.array([i]), WITHDRAWN, "R3", original)
            b.repeat[i] = True


def attribute(b: Batch, stale_ratio: float) -> None:
    """R4: a relayed figure repeating an earlier statement of its originator is that
    statement, dated at the original; an old lower figure relayed late is history."""
    live = (b.status == LIVE) & ~np.isnan(b.orig_stated)
    _redate_repeats(b, live)
    confirm(b, live, stale_ratio)
    _late_relays(b, live)


def _redate_repeats(b: Batch, live: np.ndarray) -> None:
    """A relay giving a figure its originator stated earlier is that statement."""
    rows = np.flatnonzero(live & (b.kind >= 0))
    if not len(rows):
        return
    original = originals(b, rows)
    when = moment(b.orig_date, b.orig_stated)
    later = (when[rows] > when[original]) & b.relayed[rows]
    first, rows = original[later], rows[later]
    b.stated[rows], b.date[rows], b.repeat_of[rows] = b.stated[first], b.date[first], first


def originals(b: Batch, rows: np.ndarray) -> np.ndarray:
    """For each of `rows`, the row among them where its originator first stated the same
    figure in the group (R4's "earlier recorded statement"; ties: the smaller id).
    Earlier compares the claims' dates, then the days they were stated (R2)."""
    f, fh = figure_keys(b)
    when = neg(moment(b.orig_date[rows], b.orig_stated[rows]))
    keys = (b.g[rows], b.orig[rows], f[rows], fh[rows])
    # Most significant first: group and originator (one packed key), the figure, when.
    significant = [*packed(list(keys[:2])), *keys[2:], when, b.id_rank[rows]]
    order = np.lexsort(significant[::-1])
    new = np.zeros(len(rows), dtype=bool)
    new[:1] = True
    for key in keys:
        ordered = key[order]
        new[1:] |= ordered[1:] != ordered[:-1]
    first = np.maximum.accumulate(np.where(new, np.arange(len(rows)), 0))
    out = np.empty(len(rows), dtype=np.int64)
    out[order] = rows[order[first]]
    return out


def confirm(b: Batch, live: np.ndarray, stale_ratio: float) -> None:
    """R2: which statements are confirmed, and so may set their originator's floor,
    count for `downward-revision` and make a later relay old. A statement is confirmed
    when it is direct; when two different carriers carried it (its repeats, which R4
    dated at it, included); or when a later statement of the originator, not withdrawn,
    has a point of at least its hard low / stale ratio and is itself direct or carried
    by another carrier. A figure only one outlet ever relayed may be that outlet's typo.
    Sets `b.confirmed` (direct claims are confirmed from the start)."""
    rows = np.flatnonzero(live & (b.kind >= 0) & b.relayed)
    if not len(rows):
        return
    # A statement and its repeats share the originator, the figure and (after R4) the
    # day: count the different carriers among them.
    f, fh = figure_keys(b)
    said = live & (b.kind >= 0)
    direct = np.flatnonzero(said & ~b.relayed)
    # One code per statement (group, originator, figure, day, moment stated) over the
    # relayed rows and the direct ones together; NaN equals NaN, as pandas merges.
    both = np.concatenate((rows, direct))
    fields = (b.g, b.orig, f, fh, b.date, b.stated)
    statement = row_codes(*(field[both] for field in fields))
    mine, direct_codes = statement[: len(rows)], statement[len(rows) :]
    # The different carriers of each statement; a statement with an undated or figureless
    # key is counted by none (as pandas' group-by drops missing keys). Group and
    # originator are codes, never missing.
    carrier = b.carrier[rows]
    pairs = first_rows(row_codes(mine, carrier))
    carriers = np.bincount(mine[pairs], minlength=int(mine.max(initial=-1)) + 1)[mine]
    unkeyed = np.zeros(len(rows), dtype=bool)
    for field in (f, fh, b.date, b.stated):
        unkeyed |= np.isnan(field[rows])
    carriers = np.where(unkeyed, 0, carriers)
    # The direct statement of the same figure on the same day is the same statement.
    stated_directly = np.isin(mine, direct_codes)
    b.confirmed[rows] = (carriers >= 2) | stated_directly
    single = rows[~b.confirmed[rows]]
    if len(single):
        _confirmed_later(b, single, said, stale_ratio)


def _confirmed_later(b: Batch, single: np.ndarray, said: np.ndarray, stale_ratio: float) -> None:
    """R2's third way to confirm a statement that one carrier alone relayed: a later,
    not withdrawn statement of the originator with a point of at least its hard low /
    1.5 (the stale ratio), itself direct or carried by another carrier. Only statements
    with a later, lower one of the same originator can matter (a floor, a correction, an
    old relay), so only their (group, originator) blocks are walked, each once, from
    the latest statement back."""
    rows = np.flatnonzero(said & np.isin(b.g, distinct(b.g[single])))
    block = blocks(b.g[rows], b.orig[rows])
    order = np.lexsort((b.stated[rows], b.date[rows], block))
    r, blk = rows[order], block[order]
    # The least soft low among the statements after each one in its block (a same-day
    # one included: this only narrows down which blocks to walk).
    reverse = running_min(blk[::-1], b.soft_low[r][::-1])
    later = previous(blk[::-1], reverse)
    later_low = np.where(np.isnan(later), math.inf, later)[::-1]
    wanted = np.zeros(b.n, dtype=bool)
    wanted[single] = True
    matters = wanted[r] & (b.hard_low[r] > later_low)
    if not matters.any():
        return
    edges = np.flatnonzero(np.append(True, blk[1:] != blk[:-1]))
    ends = np.append(edges[1:], len(r))
    walk = np.isin(blk[edges], blk[matters])
    for start, end in zip(edges[walk].tolist(), ends[walk].tolist(), strict=True):
        _walk_block(b, r[start:end], wanted, stale_ratio)


def _walk_block(b: Batch, rows: np.ndarray, wanted: np.ndarray, stale_ratio: float) -> None:
    """`_confirmed_later` for one originator's statements in one group (`rows`, in date
    order): from the latest back, keep the greatest point of a direct statement and the
    two greatest points carried by two different carriers, so each statement in
    `wanted` is judged against what was said after it in one pass."""
    direct = -math.inf
    top: list[tuple[float, int]] = []  # (point, carrier) of two different carriers
    keys = list(zip(b.date[rows].tolist(), b.stated[rows].tolist(), strict=True))
    k = len(rows) - 1
    while k >= 0:
        day = k
        while day > 0 and keys[day - 1] == keys[k]:
            day -= 1
        same = rows[day : k + 1].tolist()
        for i in same:
            if wanted[i]:
                need = b.hard_low[i] / stale_ratio - EPS
                other = [p for p, c in top if c != b.carrier[i]]
                if direct >= need or (other and other[0] >= need):
                    b.confirmed[i] = True
        for i in same:
            if b.status[i] == WITHDRAWN:
                continue
            point, carrier = float(b.point[i]), int(b.carrier[i])
            if carrier < 0:
                direct = max(direct, point)
                continue
            mine = [p for p, c in top if c == carrier]
            if mine and mine[0] >= point:
                continue
            top = sorted([(p, c) for p, c in top if c != carrier] + [(point, carrier)])[::-1][:2]
        k = day - 1


def _late_relays(b: Batch, live: np.ndarray) -> None:
    """Cumulative metrics: a relayed figure below a floor its originator stated earlier
    is an old figure relayed late, and so is any repeat of it: history."""
    candidates = live & b.cumulative[b.g] & b.relayed & (b.repeat_of < 0)
    if not candidates.any():
        return
    rows = np.flatnonzero(live & b.cumulative[b.g])
    go = blocks(b.g[rows], b.orig[rows])
    when = moment(b.orig_date, b.orig_stated)[rows]
    order = np.lexsort((when, go))
    r, go_s, st = rows[order], go[order], when[order]
    day_start = day_starts(go_s, st)

    def below(setter: np.ndarray) -> np.ndarray:
        """The relays below a floor that `setter`'s statements set before their day."""
        prior = before_day(go_s, day_start, np.where(setter, b.hard_low[r], -math.inf))
        return np.flatnonzero(candidates[r] & (prior > b.hard_high[r]))

    # Only a confirmed statement makes a later relay old (R2, R4): an outlet's typo
    # never turns the originator's own later figures into history. A day's claims of
    # one number are one statement, as most of them word it, and a figure another
    # claim of its day reads as a change from is corrected (`statements`), as for the
    # floors of `supersede`. Unlike those floors, these do not start again after a later
    # correction: R4 measures a relay against every earlier confirmed statement of its
    # originator, as it is written. That reading only takes floors away, so it is made
    # for the originators with a relay below some confirmed floor, not for every claim.
    setter = b.confirmed[r].copy()
    late = below(setter)
    if len(late):
        within = np.flatnonzero(np.isin(go_s, go_s[late]))
        rw, gw = r[within], go_s[within]
        worded = as_worded(b, rw, np.ones(len(rw), dtype=bool), gw) & b.confirmed[rw]
        setter[within] = changed_on_the_day(b, rw, worded, gw)
        late = below(setter)
    if len(late):
        # Each late relay points at the greatest confirmed floor stated before its day
        # (the greater id on a tie; the later of two rows of one id): the floors ranked
        # once, and the best rank so far kept along each originator's statements, not
        # every earlier statement looked at again for each late one.
        floor = setter & ~np.isnan(b.hard_low[r])
        ranked = np.lexsort((b.id_rank[r], b.hard_low[r]))
        score = np.empty(len(r))
        score[ranked] = np.arange(len(r))
        best = running_max(go_s, np.where(floor, score, -1.0))
        tops = r[ranked[best[day_start[late] - 1].astype(np.int64)]]
        b.set(r[late], HISTORY, "R4", tops)
    # A repeat of an old figure relayed late is that same statement: history too.
    repeats = np.flatnonzero((b.repeat_of >= 0) & (b.status == LIVE))
    of_history = repeats[b.status[b.repeat_of[repeats]] == HISTORY]
    b.set(of_history, HISTORY, "R4", b.related[b.repeat_of[of_history]])
