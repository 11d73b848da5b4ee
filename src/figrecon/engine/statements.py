"""R2's statements of one originator on one day: claims of one number are one
statement, worded as most of them word it; of several numbers, the one R2 puts first is
current (on the latest day), and one that reads as a change from another's figure
corrects it. Used for the current claim and the floors of earlier days (`supersede`),
and for the floors that make a relay old (`attribution`).
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


def _days_of_several(day: np.ndarray, codes: np.ndarray, order: np.ndarray) -> Iterator[np.ndarray]:
    """The positions of each day (`day`'s codes) that holds several distinct `codes`, a
    day at a time, in `order` within a day: found on the arrays with one sort, so that
    only such days are looked at one by one."""
    several = np.flatnonzero(np.bincount(day[np.unique(codes, return_index=True)[1]]) > 1)
    if not len(several):
        return
    picked = np.flatnonzero(np.isin(day, several))
    picked = picked[np.lexsort((order[picked], day[picked]))]
    bounds = np.flatnonzero(np.diff(day[picked], prepend=-1, append=-1))
    for a, z in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        yield picked[a:z]


def changed_on_the_day(
    b: Batch, r: np.ndarray, mask: np.ndarray, block_of: np.ndarray
) -> np.ndarray:
    """`mask` (over `r`) without the claims of a figure that another statement of the
    same originator on the same day reads as a change from ("revised down from 3,000 to
    2,500"): R2 counts that statement a correction, so the figure it corrects sets no
    floor beside it. Only where R2's order of the day lets the change win: a direct
    statement beats a relayed one first, so a change only relayed corrects no figure
    the originator stated directly that day. A change is corrected by a later change of
    the day as any figure is ("rose from 2,000 to 3,000", then "revised down from 3,000
    to 2,500"), except by one that undoes it exactly: two changes of one day that
    contradict each other are two statements, neither corrected (R2 gives no order
    between them but the figures')."""
    at = np.flatnonzero(mask)
    rows = r[at]
    changed_from = b.changed_from[rows]
    change = ~np.isnan(changed_from)
    if not change.any():
        return mask
    figure = b.figure[rows]
    day = row_codes(block_of[at], b.date[rows], b.stated[rows])
    # Whether each claim's statement (its number on its day) has a direct claim.
    first, second = figure_keys(b)
    statement = row_codes(day, first[rows], second[rows])
    direct = np.zeros(statement.max() + 1, dtype=bool)
    direct[statement[~b.relayed[rows]]] = True
    direct = direct[statement]
    # A claim is corrected by the changes of its day from its figure, less those that
    # change to its own figure changed from (its exact reverse); by the direct ones
    # alone when its statement is direct. Counted on codes of (day, figure, figure
    # changed from) and (day, figure changed from, figure) of the changes.
    n, c = len(at), int(change.sum())
    none = np.full(n + c, np.nan)
    codes = row_codes(
        np.concatenate((day, day[change], day, day[change])),
        np.concatenate((figure, changed_from[change], figure, changed_from[change])),
        np.concatenate((none, changed_from, figure[change])),
    )
    mine, named = codes[:n], codes[n : n + c]
    mine_back, named_back = codes[n + c : 2 * n + c], codes[2 * n + c :]
    size = int(codes.max()) + 1
    by_direct = direct[change]

    def counts(
        named_codes: np.ndarray, mine_codes: np.ndarray, only: np.ndarray | None
    ) -> np.ndarray:
        kept = named_codes if only is None else named_codes[only]
        out: np.ndarray = np.bincount(kept, minlength=size)[mine_codes]
        return out

    correctors = np.where(
        direct,
        counts(named, mine, by_direct) - counts(named_back, mine_back, by_direct),
        counts(named, mine, None) - counts(named_back, mine_back, None),
    )
    corrected = (correctors > 0) & (figure != changed_from)
    out = mask.copy()
    out[at[corrected]] = False
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
