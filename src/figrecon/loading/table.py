"""The claims of a run as columns while they are validated and normalized: each column a
numpy array, factorized once so that each distinct value is handled once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from ..columns import factorize, gathered, isna, known_factors, object_array


def is_present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and value == "")


_FREEZE_BUDGET = 10_000


def freeze(value: Any) -> Any:
    """A hashable stand-in for a list or mapping value. Structures of more than
    `_FREEZE_BUDGET` items (a YAML alias bomb expands to billions) stand for themselves
    alone, so hashing them costs nothing; such a value is rejected by validation."""
    budget = [_FREEZE_BUDGET]

    def walk(item: Any) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise OverflowError
        if isinstance(item, list):
            return tuple(walk(v) for v in item)
        if isinstance(item, dict):
            return ("<mapping>", tuple(sorted((str(k), walk(v)) for k, v in item.items())))
        return item

    if not isinstance(value, list | dict):
        return value
    try:
        return walk(value)
    except (OverflowError, TypeError):
        return ("<value>", id(value))


def factorize_any(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`columns.factorize` of an object array of any values read from a file:
    unhashable YAML values (lists, mappings) are frozen first."""
    try:
        codes, uniques = factorize(values)
    except TypeError:
        codes, frozen = factorize(object_array([freeze(v) for v in values]))
        # The uniques are the values as written (first of each), not their stand-ins,
        # so validation sees the list or mapping the user gave.
        first = np.full(len(frozen), -1, dtype=np.int64)
        seen = codes >= 0
        first[codes[seen][::-1]] = np.flatnonzero(seen)[::-1]
        uniques = object_array([values[i] for i in first])
    return np.asarray(codes), np.asarray(uniques, dtype=object)


class ColumnTable:
    """The columns of the claims being loaded, as numpy arrays. Each column is
    factorized once, so every per-value rule (validation, lookups, presence) runs
    once per distinct value rather than once per claim."""

    def __init__(
        self, columns: dict[str, np.ndarray], length: int, absent: Iterable[str] = ()
    ) -> None:
        self.cols = columns
        self.n = length
        self._factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        missing = np.full(length, -1, dtype=np.int64)
        missing.flags.writeable = False
        for name in absent:
            # A field no input has: every value is missing, known without a look.
            self._factors[name] = (missing, np.empty(0, dtype=object))

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def __contains__(self, name: str) -> bool:
        return name in self.cols

    def factors(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._factors:
            self._factors[name] = factorize_any(self.cols[name])
        return self._factors[name]

    def map(self, name: str, fn: Any, missing: Any = None, dtype: Any = object) -> np.ndarray:
        """fn applied once per distinct value of a column (missing values give `missing`),
        as an array of `dtype` (the distinct results converted, not every row's)."""
        codes, uniques = self.factors(name)
        table = np.empty(len(uniques) + 1, dtype=object)
        for i, u in enumerate(uniques):  # one by one: tuples must stay elements
            table[i] = fn(u)
        table[-1] = missing
        if dtype is not object:
            table = table.astype(dtype)
        return gathered(table, codes)

    def present(self, name: str) -> np.ndarray:
        """Which rows give a value (not None, NaN or an empty string): read from the
        column's distinct values when it is factorized already."""
        factors = self._factors.get(name) or known_factors(self.cols[name])
        if factors is not None:
            codes, uniques = factors
            given = np.array([u != "" for u in uniques] + [False], dtype=bool)
            out: np.ndarray = given[codes]
            return out
        values = self.cols[name]
        return np.asarray(~isna(values) & (values != ""), dtype=bool)

    def set(
        self, name: str, values: np.ndarray, factors: tuple[np.ndarray, np.ndarray] | None = None
    ) -> None:
        self.cols[name] = values
        if factors is None:
            self._factors.pop(name, None)
        else:
            self._factors[name] = factors

    def text(self, name: str, pos: int) -> str:
        return str(self.cols[name][pos])
