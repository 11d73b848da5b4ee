"""R2's statement of one originator on one day: claims of one number are one
statement, worded as most of them word it; claims of several numbers, one statement
that R2 puts first. Used for the current claim (`supersede`), for the floors of
earlier days (`supersede`) and for the floors that make a relay old (`attribution`).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import numpy as np

from ..columns import row_codes
from .batch import PRECISION, Batch, neg, same_figure


def figure_keys(b: Batch) -> tuple[np.ndarray, np.ndarray]:
    """`batch.same_figure` of every claim of the batch."""
    return same_figure(b.figure, b.figure_high, b.hard_low, b.hard_high)


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


def as_worded(b: Batch, r: np.ndarray, mask: np.ndarray, block_of: np.ndarray) -> np.ndarray:
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
    day = row_codes(block_of[at], b.date[rows], b.stated[rows], first[rows], second[rows])
    reading = row_codes(
        day,
        b.kind[rows],
        b.hard_low[rows],
        b.hard_high[rows],
        b.soft_low[rows],
        b.soft_high[rows],
    )
    out = mask.copy()
    # The days (of one number) with more than one reading, each day's claims in id
    # order (as the latest day's are).
    for day_at in _days_of_several(day, reading, b.id[rows].astype(str)):
        ks = at[day_at]
        members = r[ks].tolist()
        winner = _worded(b, members)
        out[ks[[_reading(b, m) != winner for m in members]]] = False
    return out


def _days_of_several(
    day: np.ndarray, codes: np.ndarray, order: np.ndarray | None = None
) -> Iterator[np.ndarray]:
    """The positions of each day (`day`'s codes) that holds several distinct `codes`, a
    day at a time, in `order` within a day when given: found on the arrays with one
    sort, so that only such days are looked at one by one."""
    several = np.flatnonzero(np.bincount(day[np.unique(codes, return_index=True)[1]]) > 1)
    if not len(several):
        return
    picked = np.flatnonzero(np.isin(day, several))
    keys = (day[picked],) if order is None else (order[picked], day[picked])
    picked = picked[np.lexsort(keys)]
    bounds = np.flatnonzero(np.diff(day[picked], prepend=-1, append=-1))
    for a, z in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        yield picked[a:z]


def as_stated(b: Batch, r: np.ndarray, mask: np.ndarray, block_of: np.ndarray) -> np.ndarray:
    """`mask` (over `r`) with only R2's statement of each earlier day (`statements_of_day`)
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
    day = row_codes(block_of[at], b.date[rows], b.stated[rows])
    number = row_codes(day, keys[0][rows], keys[1][rows])
    out = mask.copy()
    for day_at in _days_of_several(day, number):
        ks = at[day_at]
        chosen = statements_of_day(b, r[ks], keys)[0][1]
        out[ks[~np.isin(r[ks], chosen)]] = False
    return out


def statements_of_day(
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
