"""Operations on columns (numpy arrays) that the loader and the engine share: codes for
distinct values, missing values, the hash that orders claims, and running maxima within
groups.

A file of a hundred claims about one event is reconciled in less time than pandas takes
to import, so below `SMALL` rows, unless pandas is loaded already (it reads large CSV
files and spreadsheets), these work in plain Python and numpy. From `SMALL` rows on,
pandas' hash tables and group-bys (one pass in C each) do the work. The two ways give
the same results on what a claim file can hold (text, numbers, None and NaN, dates);
`tests/test_columns.py` holds them to it. (Not on values only pandas makes, such as
`pd.NaT`: pandas is loaded whenever there are any.)
"""

from __future__ import annotations

import math
import sys
import weakref
from collections.abc import Sequence
from types import ModuleType
from typing import Any

import numpy as np

SMALL = 20_000
"""Rows below which pandas is not imported for these operations: hashing 20,000 ids in
Python (7.5 µs each) takes about as long as importing pandas."""


def pandas_loaded() -> bool:
    return "pandas" in sys.modules


def _pandas(n: int) -> ModuleType | None:
    if n < SMALL and not pandas_loaded():
        return None
    import pandas

    return pandas


def object_array(items: Sequence[Any]) -> np.ndarray:
    """A list as a one-dimensional object array, even when its items are lists or
    tuples (which `np.array` would make a second dimension of)."""
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def missing(value: Any) -> bool:
    """None or NaN: what `pd.isna` finds among the values of a claim file."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def isna(values: np.ndarray) -> np.ndarray:
    """Which values are missing (None or NaN), as `pd.isna` gives it."""
    out: np.ndarray
    if values.dtype.kind in "fc":
        out = np.isnan(values)
        return out
    if values.dtype.kind in "mM":
        out = np.isnat(values)
        return out
    if values.dtype != object:
        return np.zeros(len(values), dtype=bool)
    known = known_factors(values)
    if known is not None:  # the missing values are those coded -1
        out = known[0] < 0
        return out
    pd = _pandas(len(values))
    if pd is not None:
        return np.asarray(pd.isna(values), dtype=bool)
    return np.fromiter((missing(v) for v in values.tolist()), dtype=bool, count=len(values))


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A code for each value, numbering the distinct values in the order they first
    appear, and the distinct values; a missing value gets -1. As `pd.factorize` with
    `use_na_sentinel=True`: values equal in Python share a code (1, 1.0 and True), and
    the first of them stands for them. Raises TypeError for an unhashable value."""
    known = known_factors(values)
    if known is not None:
        return known
    pd = _pandas(len(values))
    if pd is not None:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        return np.asarray(codes, dtype=np.int64), np.asarray(uniques)
    seen: dict[Any, int] = {}
    codes = np.fromiter(
        (-1 if missing(v) else seen.setdefault(v, len(seen)) for v in values.tolist()),
        dtype=np.int64,
        count=len(values),
    )
    if values.dtype == object:
        uniques = object_array(list(seen))
    else:
        uniques = np.array(list(seen), dtype=values.dtype)
    return codes, uniques


def picked_factors(values: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Codes of `values[rows]` and the distinct values they index, missing -1: codes
    equal where the values are, as `factorize(values[rows])` gives, but numbered as in
    the whole column and with all its distinct values when its factors are known
    (`factored`), so that no pass over the rows is made."""
    known = known_factors(values)
    if known is None:
        return factorize(values[rows])
    codes, uniques = known
    return codes[rows], uniques


_FACTORED: dict[int, tuple[weakref.ref[np.ndarray], np.ndarray, np.ndarray]] = {}


def known_factors(values: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """`factorize(values)` when it is known without a pass over the column (`factored`),
    else None."""
    known = _FACTORED.get(id(values))
    if known is not None and known[0]() is values:
        return known[1], known[2]
    return None


def factored(values: np.ndarray, codes: np.ndarray, uniques: np.ndarray) -> None:
    """Record that `codes` and `uniques` are what `factorize(values)` gives (a reader
    that meets the distinct values first, as the dictionary of an Arrow column, saves
    every later user a pass over the column): `factorize` of this very array returns
    them while it lives. The three become read-only, so that none of them can change
    without the others."""
    for array in (values, codes, uniques):
        array.flags.writeable = False
    key = id(values)

    def forget(ref: weakref.ref[np.ndarray]) -> None:
        if _FACTORED.get(key, (None,))[0] is ref:
            del _FACTORED[key]

    _FACTORED[key] = (weakref.ref(values, forget), codes, uniques)


def gathered(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """`table[codes]`, where `codes` are a column's `factorize` codes with -1 (missing)
    pointing at the table's last entry (or that entry's own index): the values of a
    column mapped once per distinct value. Its factors are recorded (`factored`) from
    the table's, without a pass over the rows: the codes number the distinct values in
    the order they first appear, so the mapped values first appear in the order of the
    first code that gives each. Not so where a missing value maps to a value (it first
    appears where the first missing row is), nor for entries that cannot be hashed:
    those columns are left unrecorded."""
    out: np.ndarray = table[codes]
    last = len(table) - 1
    if table.dtype != object or (
        not missing(table[last]) and bool(((codes < 0) | (codes == last)).any())
    ):
        return out
    # An entry no row has (a value validation dropped keeps its place in the table) is
    # no value of the column.
    entries = table[:last].copy()
    entries[np.bincount(codes[(codes >= 0) & (codes < last)], minlength=last) == 0] = None
    try:
        entry_codes, uniques = factorize(entries)
    except TypeError:
        return out
    factored(out, np.append(entry_codes, -1)[codes], uniques)
    return out


def among(values: np.ndarray, wanted: Sequence[Any]) -> np.ndarray:
    """Which of `values` (ids, mostly) are among `wanted`, as Python's `in` of a set of
    them finds it (a missing value is never among them). Looked up in a hash table of
    the few wanted ones, by pandas for a large column: a million ids took 0.08 s,
    against 0.17 s asked one by one in Python."""
    sought = [w for w in wanted if not missing(w)]
    pd = _pandas(len(values))
    if pd is not None:
        out: np.ndarray = np.asarray(
            pd.Series(values, dtype=object, copy=False).isin(object_array(sought)), dtype=bool
        )
        return out
    keys = set(sought)
    return np.fromiter((v in keys for v in values.tolist()), dtype=bool, count=len(values))


def places(values: np.ndarray, wanted: Sequence[Any]) -> np.ndarray:
    """Where each of `wanted` first is among `values` (ids, mostly), -1 where it is not:
    the rows `among` finds, and only those, looked at one by one."""
    first: dict[Any, int] = {}
    for row, value in zip(
        (rows := np.flatnonzero(among(values, wanted))).tolist(),
        values[rows].tolist(),
        strict=True,
    ):
        first.setdefault(value, row)
    return np.array([first.get(w, -1) for w in wanted], dtype=np.int64)


_HASH_KEY = b"0123456789123456"
_MASK = 2**64 - 1


def hash_texts(values: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each text (an object array of str or None) that is the same in
    every run and on every machine: `pd.util.hash_array(values, categorize=False)`,
    SipHash-2-4 of the UTF-8 bytes, then mixed."""
    pd = _pandas(len(values))
    if pd is not None:
        out: np.ndarray = pd.util.hash_array(values, categorize=False)
        return out
    k0 = int.from_bytes(_HASH_KEY[:8], "little")
    k1 = int.from_bytes(_HASH_KEY[8:], "little")
    raw = np.array(
        [_siphash24(str(v).encode("utf-8"), k0, k1) for v in values.tolist()], dtype=np.uint64
    )
    raw ^= raw >> np.uint64(30)
    raw *= np.uint64(0xBF58476D1CE4E5B9)
    raw ^= raw >> np.uint64(27)
    raw *= np.uint64(0x94D049BB133111EB)
    raw ^= raw >> np.uint64(31)
    return raw


def _siphash24(data: bytes, k0: int, k1: int) -> int:
    v0 = k0 ^ 0x736F6D6570736575
    v1 = k1 ^ 0x646F72616E646F6D
    v2 = k0 ^ 0x6C7967656E657261
    v3 = k1 ^ 0x7465646279746573

    def rounds(count: int) -> None:
        nonlocal v0, v1, v2, v3
        for _ in range(count):
            v0 = (v0 + v1) & _MASK
            v1 = ((v1 << 13) | (v1 >> 51)) & _MASK
            v1 ^= v0
            v0 = ((v0 << 32) | (v0 >> 32)) & _MASK
            v2 = (v2 + v3) & _MASK
            v3 = ((v3 << 16) | (v3 >> 48)) & _MASK
            v3 ^= v2
            v0 = (v0 + v3) & _MASK
            v3 = ((v3 << 21) | (v3 >> 43)) & _MASK
            v3 ^= v0
            v2 = (v2 + v1) & _MASK
            v1 = ((v1 << 17) | (v1 >> 47)) & _MASK
            v1 ^= v2
            v2 = ((v2 << 32) | (v2 >> 32)) & _MASK

    whole = len(data) - len(data) % 8
    for start in range(0, whole, 8):
        m = int.from_bytes(data[start : start + 8], "little")
        v3 ^= m
        rounds(2)
        v0 ^= m
    last = ((len(data) & 0xFF) << 56) | int.from_bytes(data[whole:], "little")
    v3 ^= last
    rounds(2)
    v0 ^= last
    v2 ^= 0xFF
    rounds(4)
    return v0 ^ v1 ^ v2 ^ v3


# Group operations. `groups` holds a code per row (any integers; a group's rows need not
# be adjacent); each result is in the rows' own order, as pandas' `groupby(groups,
# sort=False)` gives it.


def _segments(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows in group order (stable: a group's rows keep their order) and each sorted
    row's segment number (0, 1, ...)."""
    order = np.argsort(groups, kind="stable")
    ordered = groups[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = ordered[1:] != ordered[:-1]
    return order, np.cumsum(starts) - 1


def running_max(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The greatest value of each row's group up to it (`groupby.cummax`): a missing
    value stays missing and is passed over. (Plain numpy may give 0.0 where pandas gives
    -0.0; the two compare equal.)"""
    pd = _pandas(len(values))
    if pd is not None:
        out: np.ndarray = _grouped(pd, groups, values).cummax().to_numpy()
        return out
    return _running(groups, values, greatest=True)


def day_starts(blocks: np.ndarray, days: np.ndarray) -> np.ndarray:
    """For rows sorted by block, then day: the position of the first row of each row's
    day in its block."""
    new_day = np.ones(len(blocks), dtype=bool)
    new_day[1:] = (blocks[1:] != blocks[:-1]) | (days[1:] != days[:-1])
    out: np.ndarray = np.maximum.accumulate(np.where(new_day, np.arange(len(blocks)), 0))
    return out


def before_day(blocks: np.ndarray, starts: np.ndarray, values: np.ndarray) -> np.ndarray:
    """For rows sorted by block, then day (`day_starts`): the greatest of `values` over
    the rows of each row's block on the days before its own; -inf where there are none.
    (An originator's floor before a day: a day's statements are not before one another.)"""
    earlier = starts - 1
    at = np.maximum(earlier, 0)
    same = (earlier >= 0) & (blocks[at] == blocks)
    out: np.ndarray = np.where(same, running_max(blocks, values)[at], -math.inf)
    return out


def running_min(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The least value of each row's group up to it (`groupby.cummin`)."""
    pd = _pandas(len(values))
    if pd is not None:
        out: np.ndarray = _grouped(pd, groups, values).cummin().to_numpy()
        return out
    return _running(groups, values, greatest=False)


def _grouped(pd: ModuleType, groups: np.ndarray, values: np.ndarray) -> Any:
    return pd.Series(np.asarray(values, dtype=float)).groupby(groups, sort=False)


def _running(groups: np.ndarray, values: np.ndarray, greatest: bool) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    out = np.full(len(values), math.nan)
    if not len(values):
        return out
    order, segment = _segments(groups)
    v = values[order]
    nan = np.isnan(v)
    # Ranks among the distinct values (1 = least; 0 for missing) let one running
    # maximum over segment * width + rank serve every segment at once: a segment's
    # keys all exceed the ones before it.
    distinct, rank = np.unique(v[~nan], return_inverse=True)
    ranks = np.zeros(len(v), dtype=np.int64)
    ranks[~nan] = rank.ravel() + 1 if greatest else len(distinct) - rank.ravel()
    width = len(distinct) + 1
    reached = np.maximum.accumulate(segment * width + ranks) - segment * width
    if not greatest:
        reached = np.where(reached > 0, len(distinct) + 1 - reached, 0)
    result = np.where(
        reached > 0, distinct[np.maximum(reached - 1, 0)] if len(distinct) else 0, math.nan
    )
    result[nan] = math.nan
    out[order] = result
    return out


def last_where(groups: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """For each row, the position (in the rows' order) of the latest flagged row of its
    group up to it; -1 when there is none (`groupby.ffill` of the flagged positions)."""
    pd = _pandas(len(flags))
    if pd is not None:
        position = np.where(flags, np.arange(len(flags)), np.nan)
        filled = _grouped(pd, groups, position).ffill().to_numpy()
        return np.where(np.isnan(filled), -1, filled).astype(np.int64)
    out = np.full(len(flags), -1, dtype=np.int64)
    if not len(flags):
        return out
    order, segment = _segments(groups)
    # A group's rows keep their order, so their positions rise within a segment.
    position = np.where(flags[order], order, -1) + 1
    width = len(flags) + 1
    out[order] = np.maximum.accumulate(segment * width + position) - segment * width - 1
    return out


def previous(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The value of the row before each row in its group; NaN for a group's first row
    (`groupby.shift(1)`)."""
    pd = _pandas(len(values))
    if pd is not None:
        shifted: np.ndarray = _grouped(pd, groups, values).shift(1).to_numpy()
        return shifted
    values = np.asarray(values, dtype=float)
    out = np.full(len(values), math.nan)
    if not len(values):
        return out
    order, segment = _segments(groups)
    shifted = np.full(len(values), math.nan)
    shifted[1:] = values[order][:-1]
    shifted[np.flatnonzero(np.diff(segment, prepend=-1))] = math.nan
    out[order] = shifted
    return out


def group_max(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The greatest value of each row's group, on every row of it (integers)."""
    pd = _pandas(len(values))
    if pd is not None:
        most: np.ndarray = pd.Series(values).groupby(groups, sort=False).transform("max").to_numpy()
        return most
    if not len(values):
        return np.asarray(values).copy()
    order, segment = _segments(groups)
    starts = np.flatnonzero(np.diff(segment, prepend=-1))
    top = np.maximum.reduceat(np.asarray(values)[order], starts)
    out = np.empty_like(np.asarray(values))
    out[order] = top[segment]
    return out


def row_codes(*columns: np.ndarray) -> np.ndarray:
    """A code for each distinct row of the columns (numbers): NaN equals NaN and -0.0
    equals 0.0, as when pandas merges on them. A row with NaN has a code like any other,
    where pandas' group-by would leave it out: a caller that wants that drops it."""
    # A missing value (-1) is a value of its own. Small non-negative integers (group
    # numbers, codes) are codes already.
    return combined_codes(
        [
            column.astype(np.int64, copy=False)
            if _small_codes(column)
            else factorize(column)[0] + 1
            for column in columns
        ]
    )


def _small_codes(column: np.ndarray) -> bool:
    """Whether a column is of integers from 0 to below 2**31 (its values serve as codes)."""
    return column.dtype.kind in "iu" and (
        not len(column) or (int(column.min()) >= 0 and int(column.max()) < 2**31)
    )


def combined_codes(codes: Sequence[np.ndarray]) -> np.ndarray:
    """A code for each distinct row of several columns of non-negative codes."""
    # Each column widens a mixed-radix number; it is renumbered (factorized) only when
    # the next column would overflow it, and once at the end. Distinct rows are distinct
    # numbers, so the codes are those of renumbering after every column: each distinct
    # row numbered in the order it first appears.
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    span = 1  # the numbers so far lie in range(span)
    for column in codes:
        width = int(column.max(initial=0)) + 1
        if span * width >= 2**62:
            combined, uniques = factorize(combined)
            span = max(len(uniques), 1)
        combined = combined * width + column
        span *= width
    out: np.ndarray = factorize(combined)[0]
    return out


RANGE = 4
"""Values per row up to which `ranked` counts over the values' range instead of
sorting them."""


def ranked(values: np.ndarray) -> np.ndarray:
    """Each of non-negative integers' place among the distinct ones, ascending:
    `np.unique(values, return_inverse=True)[1]`. Where their range is at most `RANGE`
    times their number and 1,024 more (a key of a few columns of codes, mostly), the
    distinct values are marked in an array over the range and counted, without a sort:
    3M pairs of (event, metric) codes took 0.2 s sorted, 0.02 s so. Anything else (not
    a one-dimensional array of integers) is left to `np.unique`."""
    values = np.asarray(values)
    n = values.size
    if not n:
        return np.empty(0, dtype=np.int64)
    if (
        values.ndim != 1
        or values.dtype.kind not in "iu"
        or int(values.max()) + 1 > RANGE * n + 1024
        or int(values.min()) < 0
    ):
        out: np.ndarray = np.unique(values, return_inverse=True)[1].ravel()
        return out
    top = int(values.max()) + 1
    present = np.zeros(top, dtype=bool)
    present[values] = True
    place: np.ndarray = np.cumsum(present, dtype=np.int32 if top < 2**31 else np.int64)
    np.subtract(place, 1, out=place)
    found: np.ndarray = place[values].astype(np.int64, copy=False)
    return found


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct integers of an array, ascending: `np.unique(values)`, which numpy 2
    makes import `numpy.ma` (5-10 ms of every run's start-up) to rule out a masked
    array."""
    ordered = np.sort(values)
    if not len(ordered):
        return ordered
    out: np.ndarray = ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]
    return out


def first_rows(codes: np.ndarray) -> np.ndarray:
    """The position of the first row of each distinct code, in the rows' order
    (`drop_duplicates`)."""
    firsts = np.unique(codes, return_index=True)[1]
    return np.sort(firsts)
