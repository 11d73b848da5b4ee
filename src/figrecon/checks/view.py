"""The loaded claims as plain lists, for the checks that compare claims with each other."""

from __future__ import annotations

import datetime as dt
import functools
import math
from typing import Any

import numpy as np

from ..columns import combined_codes, factorize, isna
from ..loading import Claims
from ..model import Finding, Severity
from ..text import day_text
from .codes import CODES


def column_list(values: np.ndarray) -> list[Any]:
    """A column as a list, with None for a missing value (NaN, or NaT)."""
    if values.dtype.kind not in "fOM":
        return list(values.tolist())
    missing = isna(values)
    if missing.any():
        values = values.astype(object)  # a copy
        values[missing] = None
    return list(values.tolist())


_LISTED = frozenset(
    (
        "id",
        "file",
        "line",
        "event",
        "metric",
        "group",
        "location",
        "period",
        "measure",
        "originator",
        "source_name",
        "via",
        "value_text",
        "kind",
        "retracts",
        "retracted",
        "parts",
        "stated_on",
        "as_of",
        "url",
        "quote",
        "assessment",
    )
)
"""The columns a view lists as they are, None for a missing value."""

_NUMBERS = frozenset(
    ("hard_low", "hard_high", "point", "figure", "figure_high", "stated_key", "date_key")
)
"""The columns a view lists as floats, NaN for a missing value."""


def positions(ids: list[Any]) -> dict[Any, int]:
    """Where each id is among the claims; the last place, for an id given twice."""
    return {cid: i for i, cid in enumerate(ids)}


class ClaimView:
    """The loaded claims as plain lists, for checks that compare claims."""

    # Set column by column in __init__: one list per claims column, None for a missing
    # value, except the numeric columns, which are floats with NaN for missing.
    id: list[Any]
    file: list[Any]
    line: list[Any]
    event: list[Any]
    metric: list[Any]
    group: list[Any]
    location: list[Any]
    period: list[Any]
    measure: list[Any]
    originator: list[Any]
    source_name: list[Any]
    via: list[Any]
    value_text: list[Any]
    kind: list[Any]
    retracts: list[Any]
    retracted: list[Any]
    parts: list[Any]
    stated_on: list[Any]
    as_of: list[Any]
    url: list[Any]
    quote: list[Any]
    assessment: list[Any]
    hard_low: list[float]
    hard_high: list[float]
    point: list[float]
    figure: list[float]
    figure_high: list[float]
    stated_key: list[float]
    date_key: list[float]
    index: dict[Any, int]
    """Where each id is (`positions`)."""

    def __init__(self, claims: Claims) -> None:
        self.n = len(claims)
        self._columns = claims.columns
        self._factorized: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._keys: dict[tuple[str, ...], np.ndarray] = {}

    def __getattr__(self, name: str) -> Any:
        """A column as a list, made when a check first reads it: a check that finds
        nothing to compare never reads most of them (a million claims' lists took
        0.7 s)."""
        if name in _LISTED:
            values: list[Any] = column_list(self._columns[name])
        elif name in _NUMBERS:
            values = self._columns[name].astype(float).tolist()
        elif name == "index":
            index = positions(self.id)
            self.index = index
            return index
        else:
            raise AttributeError(name)
        setattr(self, name, values)
        return values

    def codes(self, *names: str) -> np.ndarray:
        """A code for each claim's values of these columns together: equal values share
        one (None and NaN are one value), as they are equal in Python's tuples; so a
        check that compares claims by a key looks only at the claims whose code another
        shares (`shared`)."""
        if names not in self._keys:  # once per view: each part of a large check asks
            # (missing: 0)
            self._keys[names] = combined_codes([self._factors(name)[0] + 1 for name in names])
        return self._keys[names]

    def _factors(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """`factorize` of a column (numbers and text as they are, anything else as
        objects), once per view."""
        if name not in self._factorized:
            values = self._columns[name]
            if values.dtype.kind not in "fO":
                values = values.astype(object)
            self._factorized[name] = factorize(values)
        return self._factorized[name]

    def shared(self, eligible: np.ndarray, *names: str) -> list[int]:
        """The claims among `eligible` (in order) whose values of `names` another of
        them has too: only they can be found twice under a key of those values."""
        codes = self.codes(*names)
        counts = np.bincount(codes[eligible], minlength=int(codes.max(initial=0)) + 1)
        out: list[int] = np.flatnonzero(eligible & (counts[codes] >= 2)).tolist()
        return out

    def where(self, name: str, test: Any) -> np.ndarray:
        """`test` of each claim's value of a column (None for a missing one), asked once
        per distinct value."""
        codes, uniques = self._factors(name)
        answers = np.array([bool(test(u)) for u in uniques] + [bool(test(None))], dtype=bool)
        out: np.ndarray = answers[codes]
        return out

    @functools.cached_property
    def _figured(self) -> np.ndarray:
        return self.where("kind", lambda kind: kind is not None)

    def figured(self) -> np.ndarray:
        """Which claims have a figure (`has_figure`)."""
        return self._figured.copy()

    @functools.cached_property
    def _dated(self) -> np.ndarray:
        return self.where("stated_on", lambda day: isinstance(day, dt.date))

    def dated(self) -> np.ndarray:
        """Which claims were stated on a day (not undated)."""
        return self._dated.copy()

    def array(self, name: str) -> np.ndarray:
        """A numeric column as floats (NaN for missing), as its list has them."""
        out: np.ndarray = self._columns[name].astype(float)
        return out

    def finding(
        self,
        code: str,
        i: int,
        message: str,
        hint: str | None = None,
        field: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=code,
            severity=severity or CODES[code].severity,
            file=self.file[i],
            line=int(self.line[i]),
            claim=self.id[i],
            field=field,
            message=message,
            hint=hint,
        )

    def label(self, i: int) -> str:
        return claim_label(self.id[i], self.value_text[i], self.stated_on[i])

    def day(self, i: int) -> str:
        return day_text(self.stated_on[i])

    def group_key(self, i: int) -> tuple[Any, ...]:
        return (self.event[i], self.metric[i], self.group[i], self.location[i], self.period[i])

    def figure_key(self, i: int) -> tuple[Any, ...] | None:
        if math.isnan(self.figure[i]):
            return None
        return (self.figure[i], None if math.isnan(self.figure_high[i]) else self.figure_high[i])

    def has_figure(self, i: int) -> bool:
        return self.kind[i] is not None


def claim_label(cid: Any, value_text: Any, stated_on: Any) -> str:
    """A claim in a sentence: its id, its figure as written and the day it was stated."""
    return f"{cid} ({value_text}, {day_text(stated_on)})"
