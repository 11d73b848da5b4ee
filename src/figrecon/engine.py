"""From normalized claims to agreement sets: rules R2-R7 of RECONCILIATION.md, and
`reconcile`, the library's entry point.

The engine is columnar: each rule is computed for every group at once over the sorted
arrays of a `Batch` (segment maxima, cumulative maxima, one sorted sweep), so the cost
grows linearly with the number of claims. Python loops remain only where the rules need
them and cases are rare: one originator's several statements on its latest day (R2)
and tied agreement regions (R7). Each claim ends with a status (used, superseded,
withdrawn, stale, outlier, ...), the rule that decided it, and the claim that caused
it (`related`); `figures` and `notes` turn that into figures.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from . import __version__
from .batch import (
    ASSESSMENT,
    BOUND,
    EPS,
    HISTORY,
    K_LOWER,
    K_UPPER,
    K_VAGUE,
    KINDS,
    LIVE,
    LOWER_RANKED,
    OUTLIER,
    PRECISION,
    RETRACTION,
    STALE,
    SUPERSEDED,
    TYPES,
    UNDATED,
    USED,
    VALUE,
    WEAK,
    WITHDRAWN,
    Batch,
    blocks,
    build_batch,
    gmin,
    moment,
    neg,
)
from .claims import Claims, paused_gc
from .config import Parameters, build_parameters
from .dates import parse_day
from .figures import assemble
from .models import Kind, MethodBlock, Result, SourceType

# --- the public entry point --------------------------------------------------------


def reconcile(
    claims: Claims,
    params: Parameters | None = None,
    *,
    method: str | None = None,
    rank: Iterable[str] | None = None,
    as_of: dt.date | str | None = None,
    explain: bool = False,
    event: str | None = None,
    metric: str | None = None,
    group: str | None = None,
    location: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Result:
    """Reconcile every (event, metric, group, location, period) of `claims`.

    `as_of` (a date or "YYYY-MM-DD") keeps only what was stated by that date; the
    filters select which figures are returned (every group is still reconciled, so parts
    still raise totals). `params` defaults to figrecon's defaults, not to a
    figrecon.toml: `figrecon.parameters()` reads that file as the command line does.
    `method` and `rank` override the method of `params`."""
    if not isinstance(claims, Claims):
        raise TypeError(
            f"reconcile takes the Claims that figrecon.load returns, not "
            f"{type(claims).__name__}: call figrecon.reconcile(figrecon.load(paths))"
        )
    if isinstance(as_of, str):
        as_of = parse_day(as_of, "as_of")
    params = params or Parameters()
    if method is not None or rank is not None:
        params = build_parameters(
            {
                **params.model_dump(exclude_none=True),
                **({"method": method} if method is not None else {}),
                **({"rank": list(rank)} if rank is not None else {}),
            }
        )
    with paused_gc():
        batch = build_batch(claims, as_of)
        if batch.n:
            run_rules(batch, params, as_of is not None)
        figures = assemble(batch, params, explain, (event, metric, group, location), progress)
    return Result(
        figrecon=__version__,
        method=MethodBlock(
            name=params.method, profile=claims.profile, as_of=as_of, parameters=params.block()
        ),
        figures=figures,
    )


# --- the rules -----------------------------------------------------------------------


def attribution(claims: Claims) -> Batch:
    """Every claim after R3 and R4 only: withdrawn (and repeats of withdrawn figures),
    relays re-dated to the statement they repeat, old figures relayed late. `figrecon
    check` reads its findings from these statuses rather than restating the rules."""
    b = build_batch(claims, None)
    if b.n:
        classify(b, False)
        withdraw_repeats(b)
        attribute(b, Parameters().stale_ratio)
    return b


def run_rules(b: Batch, p: Parameters, dated_view: bool) -> None:
    classify(b, dated_view)
    withdraw_repeats(b)
    attribute(b, p.stale_ratio)
    currents = supersede(b)
    weigh(b, currents, p)
    currents = stale(b, currents, p)
    if p.method == "hierarchy":
        currents = rank(b, currents, p)
    b.current = currents
    if p.method == "range":
        b.members = currents.copy()
    else:
        b.members, b.unresolved = agreement(b, currents, p)
    b.set(np.flatnonzero(currents & ~b.members), OUTLIER, "R7")
    b.set(np.flatnonzero(b.members), USED, "R7")
    mates = np.flatnonzero(b.mate_of >= 0)
    rep = b.mate_of[mates]
    b.status[mates] = b.status[rep]
    b.rule[mates] = b.rule[rep]
    b.related[mates] = b.related[rep]


def classify(b: Batch, dated_view: bool) -> None:
    """Assessments, bare retractions, withdrawn claims (R3), undated ones under --as-of."""
    has_assessment = pd.notna(b.assessment)
    b.set(np.flatnonzero(has_assessment), ASSESSMENT, "R11")
    b.set(np.flatnonzero(~has_assessment & (b.kind < 0)), RETRACTION, "R3")
    flagged = b.retracted
    position = {cid: i for i, cid in enumerate(b.id.tolist())} if len(b.retracts) else {}
    targets: dict[int, tuple[str | None, str]] = {}
    for i in np.flatnonzero(flagged & (b.status == LIVE)):
        targets[int(i)] = (None, "")
    has = np.flatnonzero(np.fromiter((len(r) > 0 for r in b.retracts), dtype=bool, count=b.n))
    for i in sorted(has, key=lambda i: (neg(b.stated[[i]])[0], b.id[i])):
        when = b.stated_on[i].isoformat() if isinstance(b.stated_on[i], dt.date) else "undated"
        for target in b.retracts[i]:
            t = position.get(target)
            if t is not None and b.kind[t] >= 0 and b.status[t] == LIVE:
                targets.setdefault(t, (str(b.id[i]), when))
    rows = np.array(sorted(targets), dtype=np.int64)
    b.set(rows, WITHDRAWN, "R3")
    b.withdrawn_by = targets
    if dated_view:
        b.set(np.flatnonzero((b.status == LIVE) & np.isnan(b.stated)), UNDATED, "")


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


def figure_keys(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays that together say "the same figure": the number as stated (and a
    range's second number), whatever the qualifier; a vague word by its reading."""
    vague = np.isnan(b.fig)
    first = np.where(vague, -1.0 - b.hl, b.fig)
    second = np.where(
        vague, np.where(np.isinf(b.hh), 1e300, b.hh), np.where(np.isnan(b.figh), -1.0, b.figh)
    )
    return first, second


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
    original = _originals(b, rows)
    when = moment(b.orig_date, b.orig_stated)
    later = (when[rows] > when[original]) & b.relayed[rows]
    first, rows = original[later], rows[later]
    b.stated[rows], b.date[rows], b.repeat_of[rows] = b.stated[first], b.date[first], first


def _originals(b: Batch, rows: np.ndarray) -> np.ndarray:
    """For each of `rows`, the row among them where its originator first stated the same
    figure in the group (R4's "earlier recorded statement"; among statements of the same
    moment, one chosen by a hash of the id, whatever the order of the input). Earlier
    compares the claims' dates, then the days they were stated (R2)."""
    f, fh = figure_keys(b)
    when = neg(moment(b.orig_date[rows], b.orig_stated[rows]))
    keys = (b.g[rows], b.orig[rows], f[rows], fh[rows])
    order = np.lexsort((b.hid[rows], when, *reversed(keys)))
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
    frame = pd.DataFrame(
        {
            "g": b.g[rows],
            "o": b.orig[rows],
            "f": f[rows],
            "fh": fh[rows],
            "d": b.date[rows],
            "s": b.stated[rows],
            "c": b.carrier[rows],
        }
    )
    statement = ["g", "o", "f", "fh", "d", "s"]
    carriers = frame.groupby(statement, sort=False)["c"].transform("nunique").to_numpy()
    # The direct statement of the same figure on the same day is the same statement.
    said = live & (b.kind >= 0)
    direct = pd.DataFrame(
        {
            "g": b.g[said & ~b.relayed],
            "o": b.orig[said & ~b.relayed],
            "f": f[said & ~b.relayed],
            "fh": fh[said & ~b.relayed],
            "d": b.date[said & ~b.relayed],
            "s": b.stated[said & ~b.relayed],
        }
    ).drop_duplicates()
    stated_directly = (
        frame[statement].merge(direct.assign(hit=True), on=statement, how="left")["hit"].notna()
    ).to_numpy()
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
    rows = np.flatnonzero(said & np.isin(b.g, np.unique(b.g[single])))
    block = blocks(b.g[rows], b.orig[rows])
    order = np.lexsort((b.stated[rows], b.date[rows], block))
    r, blk = rows[order], block[order]
    # The least soft low among the statements after each one in its block (a same-day
    # one included: this only narrows down which blocks to walk).
    reverse = pd.Series(b.sl[r][::-1]).groupby(blk[::-1], sort=False).cummin()
    later_low = reverse.groupby(blk[::-1], sort=False).shift(1).fillna(math.inf).to_numpy()[::-1]
    wanted = np.zeros(b.n, dtype=bool)
    wanted[single] = True
    matters = wanted[r] & (b.hl[r] > later_low)
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
                need = b.hl[i] / stale_ratio - EPS
                other = [p for p, c in top if c != b.carrier[i]]
                if direct >= need or (other and other[0] >= need):
                    b.confirmed[i] = True
        for i in same:
            if b.status[i] == WITHDRAWN:
                continue
            point, carrier = float(b.pt[i]), int(b.carrier[i])
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
    # Only a confirmed statement makes a later relay old (R2, R4): an outlet's typo
    # never turns the originator's own later figures into history.
    floors = np.where(b.confirmed[r], b.hl[r], -math.inf)
    cummax = pd.Series(floors).groupby(go_s).cummax().to_numpy()
    new_day = np.ones(len(r), dtype=bool)
    new_day[1:] = (go_s[1:] != go_s[:-1]) | (st[1:] != st[:-1])
    day_start = np.maximum.accumulate(np.where(new_day, np.arange(len(r)), 0))
    before = day_start - 1
    valid = (before >= 0) & (go_s[np.maximum(before, 0)] == go_s)
    prior = np.where(valid, cummax[np.maximum(before, 0)], -math.inf)
    late = candidates[r] & (prior > b.hh[r])
    for i in np.flatnonzero(late):
        k = int(day_start[i]) - 1
        earlier = []
        while k >= 0 and go_s[k] == go_s[i]:
            if b.confirmed[r[k]]:
                earlier.append(int(r[k]))
            k -= 1
        top = max(earlier, key=lambda e: (b.hl[e], b.id[e]))
        b.set(np.array([r[i]]), HISTORY, "R4", top)
    # A repeat of an old figure relayed late is that same statement: history too.
    repeats = np.flatnonzero((b.repeat_of >= 0) & (b.status == LIVE))
    of_history = repeats[b.status[b.repeat_of[repeats]] == HISTORY]
    b.set(of_history, HISTORY, "R4", b.related[b.repeat_of[of_history]])


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
    for blk in np.flatnonzero(count > 1):
        rep_of_block[blk] = _same_day(b, r[(block_of == blk) & latest_live])
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
    original[rows] = _originals(b, rows)
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
    blk = block_of[cum]
    floor = np.full(len(rep_of_block), -math.inf)
    np.maximum.at(floor, blk, b.hl[r[cum]])
    first = _since_last_correction(b, r[cum], blk, floor)
    cum[np.flatnonzero(cum)[~first]] = False
    rep = rep_of_block[kept]
    floor = floor[kept]
    interval = np.isin(b.kind[rep], [K_VAGUE, KINDS.index("range"), KINDS.index("approx_below")])
    said = np.where(interval, b.hh[rep], b.pt[rep])
    words_high = words_exclude_above(b, rep)
    raise_it = (b.sl[rep] < floor) & (floor <= words_high + EPS)
    up, to = rep[raise_it], floor[raise_it]
    for i, point in zip(up.tolist(), b.pt[up].tolist(), strict=True):
        b.point_as_stated[i] = point
    b.sl[up] = to
    b.pt[up] = np.maximum(b.pt[up], to)
    b.sh[up] = np.maximum(b.sh[up], to)
    b.raised[up] = True
    is_floor = b.kind[rep] == K_LOWER
    lower = (~is_floor & (said + EPS < floor)) | (words_high + EPS < floor)
    if not lower.any():
        return
    # The statement that set the floor; among equals the first stated (a relay redated
    # to it by R4 is not cited in its place), then the smaller id.
    rows = r[cum]
    setters = (
        pd.DataFrame(
            {
                "blk": block_of[cum],
                "hl": -b.hl[rows],
                "relayed": b.relayed[rows],
                "stated": neg(b.stated[rows]),
                "id": b.id[rows].astype(str),
                "row": rows,
            }
        )
        .sort_values(["blk", "hl", "relayed", "stated", "id"])
        .drop_duplicates("blk")
        .set_index("blk")["row"]
    )
    for k in np.flatnonzero(lower).tolist():
        b.downward[int(rep[k])] = int(setters[kept[k]])


def words_exclude_above(b: Batch, rows: np.ndarray) -> np.ndarray:
    """The greatest figure the words of each claim admit: its hard high, lowered below
    the earlier figure of a downward change ("revised down from 300 to at least 250"
    excludes 300 and more)."""
    high = b.hh[rows]
    came_from = b.changed_from[rows]
    down = came_from > b.fig[rows]
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
    hl, hh = b.hl[rows], words_exclude_above(b, rows)
    before = pd.Series(hl).groupby(blk).cummax().groupby(blk).shift(1).to_numpy()
    suspect = np.unique(blk[hh + EPS < np.nan_to_num(before, nan=-math.inf)])
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
    return (int(b.kind[i]), b.hl[i], b.hh[i], b.sl[i], b.sh[i])


def _figure_key(b: Batch, i: int) -> tuple[Any, ...]:
    if math.isnan(b.fig[i]):
        return ("vague", int(b.kind[i]), b.hl[i], b.hh[i])
    return (b.fig[i], None if math.isnan(b.figh[i]) else b.figh[i])


def _same_day(b: Batch, rows: np.ndarray) -> int:
    """R2 for one originator's several statements on its latest day. Statements giving
    the same number are one statement, worded as most of them word it (ties: the
    direct one's wording, then the earliest report, then the more cautious reading);
    between numbers, a direct statement beats a relayed one; then a statement that
    reads as a change from another's figure ("revised down from 230 to 225") or
    withdraws it; then, for cumulative metrics, the greater hard low (a tally does not
    fall within a day); then the more precise wording, then the larger figure, then the
    smaller id. Returns the current row."""
    clusters: dict[tuple[Any, ...], list[int]] = {}
    for i in sorted(rows.tolist(), key=lambda i: b.id[i]):
        clusters.setdefault(_figure_key(b, i), []).append(i)
    statements = []
    for members in clusters.values():
        votes = Counter(_reading(b, m) for m in members)
        direct = {_reading(b, m) for m in members if not b.relayed[m]}

        def rank(
            reading: tuple[Any, ...],
            members: list[int] = members,
            votes: Counter[tuple[Any, ...]] = votes,
            direct: set[tuple[Any, ...]] = direct,
        ) -> tuple[Any, ...]:
            earliest = min(neg(b.orig_stated[[m]])[0] for m in members if _reading(b, m) == reading)
            return (-votes[reading], reading not in direct, earliest, -(reading[2] - reading[1]))

        winner = min(votes, key=rank)
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
            -b.hl[s[0]] if cumulative else 0.0,
            PRECISION[b.kind[s[0]]],
            -b.pt[s[0]],
            b.id[s[0]],
        )
    )
    current, mates = statements[0]
    for m in mates:
        if m != current:
            b.mate_of[m] = current
    for _, members in statements[1:]:
        b.set(np.array(members), SUPERSEDED, "R2", current)
        b.same_day.update(members)
    return current


def _replacing(b: Batch, statements: list[tuple[int, list[int]]]) -> dict[int, bool]:
    """R2: for each same-day statement (its chosen row), whether one of its claims reads
    as a change from another statement's figure (R1) or withdraws one of its claims."""
    said = {s: (b.fig[s] if not math.isnan(b.fig[s]) else b.pt[s]) for s, _ in statements}
    ids = {s: {str(b.id[m]) for m in members} for s, members in statements}
    out = {}
    for s, members in statements:
        others = [o for o, _ in statements if o != s]
        came_from = {b.changed_from[m] for m in members if not math.isnan(b.changed_from[m])}
        withdrawn = {str(t) for m in members for t in b.retracts[m]}
        out[s] = any(said[o] in came_from or withdrawn & ids[o] for o in others)
    return out


def weigh(b: Batch, rows_mask: np.ndarray, p: Parameters) -> None:
    """R6 weight and the R7 widened interval of the given claims."""
    rows = np.flatnonzero(rows_mask)
    type_w = np.array([p.type_weights.get(SourceType(t), 0.5) for t in TYPES])
    kind_f = np.array([p.kind_factors.get(Kind(k), 0.4) for k in KINDS] + [0.0])
    w = type_w[b.type[rows]] * kind_f[b.kind[rows]]
    w = np.where(b.party[rows], w * p.party_factor, w)
    b.weight[rows] = w
    tau = p.tolerance * b.pt[rows]
    k = b.kind[rows]
    b.wlo[rows] = np.where(k == K_UPPER, 0.0, b.sl[rows] - tau)
    b.whi[rows] = np.where(k == K_LOWER, math.inf, b.sh[rows] + tau)


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
        sl = np.where(eligible, b.sl[order], -math.inf)
        wlo = np.where(eligible, b.wlo[order], -math.inf)
        # Suffix maxima (and minima) within each group over the claims sorted by date,
        # with the row that reaches them (named in the note).
        suf_sl, arg_sl = _suffix(g, sl, np.maximum)
        suf_wlo, arg_wlo = _suffix(g, wlo, np.maximum)
        key = g * 1e7 + date
        j = np.searchsorted(key, g * 1e7 + date + p.stale_days, side="right")
        inside = (j < len(order)) & (g[np.minimum(j, len(order) - 1)] == g)
        jj = np.minimum(j, len(order) - 1)
        high = np.where(np.isinf(b.sh[order]), b.pt[order] * p.open_factor, b.sh[order])
        c_whi = b.whi[order]
        by_size = suf_sl[jj] >= p.stale_ratio * high - EPS
        above = suf_wlo[jj] > c_whi + EPS
        # A stock is what it is on the latest date: any newer count of it, more than
        # stale_days newer, makes an older one stale, agreeing or not.
        position = np.where(eligible, np.arange(len(order)), -1)
        newest = pd.Series(position).groupby(g, sort=False).transform("max").to_numpy()
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
    grouped = pd.Series(values).groupby(g, sort=False)
    running = (grouped.cummax() if op is np.maximum else grouped.cummin()).to_numpy()
    position = np.arange(len(values)).astype(float)
    reached = (
        pd.Series(np.where(values == running, position, np.nan)).groupby(g, sort=False).ffill()
    )
    return running, np.nan_to_num(reached.to_numpy(), nan=0.0).astype(np.int64)


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
    pre, arg = _running(side, b.wlo[rows], np.maximum)
    key = side * 1e7 + date
    j = np.searchsorted(key, side * 1e7 + date - p.stale_days, side="left") - 1
    inside = (j >= 0) & (side[np.maximum(j, 0)] == side)
    jj = np.maximum(j, 0)
    hit = inside & (pre[jj] > b.whi[rows] + EPS)
    changed = rows[hit]
    for c, older in zip(changed.tolist(), rows[arg[jj[hit]]].tolist(), strict=True):
        b.floored[int(c)] = int(older)
    if len(changed):
        b.kind[changed] = K_LOWER
        b.hh[changed] = math.inf
        b.sh[changed] = math.inf
        b.sl[changed] = b.hl[changed]
        b.pt[changed] = b.hl[changed]
        mask = np.zeros(b.n, dtype=bool)
        mask[changed] = True
        weigh(b, mask, p)


def rank(b: Batch, current: np.ndarray, p: Parameters) -> np.ndarray:
    """`hierarchy`: only the claims of the best-ranked source type present count."""
    order = {t.value: i for i, t in enumerate(p.rank or [])}
    place = np.array([order.get(t, len(order)) for t in TYPES])[b.type]
    best = gmin(b, place.astype(float), current)
    lower = current & (place > best[b.g])
    b.set(np.flatnonzero(lower), LOWER_RANKED, "hierarchy")
    kept: np.ndarray = current & ~lower
    return kept


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
) -> tuple[np.ndarray, dict[int, list[int]]]:
    """R7: per group, the region covered by the greatest total weight (weighted
    Marzullo); its claims form the agreement set. Returns the member mask and, for
    groups where no region stands out, the claims of the unresolved conflict."""
    rows = np.flatnonzero(current)
    members = np.zeros(b.n, dtype=bool)
    unresolved: dict[int, list[int]] = {}
    if not len(rows):
        return members, unresolved
    m = len(rows)
    sweep = _sweep_weights(b, rows)
    x = np.concatenate((b.wlo[rows], b.whi[rows]))
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
        (b.wlo[rows] <= reach[gr] + EPS) & (b.whi[rows] >= point[gr] - EPS),
        (b.wlo[rows] <= point[gr] + EPS) & (b.whi[rows] >= point[gr] - EPS),
    )
    members[rows[simple & inside]] = True
    for grp in np.flatnonzero(count > 1):
        chosen, tied = _tied_regions(b, rows[gr == grp], p, sweep)
        members[chosen] = True
        if tied:
            unresolved[int(grp)] = chosen
    return members, unresolved


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
) -> tuple[list[int], bool]:
    """R7 ties: the region whose latest member is most recent, then the one with more
    independent originators; otherwise all of them (an unresolved conflict)."""
    events = sorted([(b.wlo[i], 0, int(i)) for i in rows] + [(b.whi[i], 1, int(i)) for i in rows])
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
    if len(regions) > 1:
        return sorted(frozenset().union(*regions)), True
    return sorted(regions[0]), False
