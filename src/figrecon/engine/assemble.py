"""From the engine's arrays to figures: each figure as the JSON document it prints as (a
plain dict, in the field order of `model.Figure`), made one group at a time, so that an
output can be written as it is made. The library's `Result` validates the same dicts
with pydantic; the command line streams them to its writers without building a model
per figure."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import compress
from typing import Any

import numpy as np
from pydantic import TypeAdapter

from .. import __version__
from ..config import Parameters
from ..model import CONFIDENCE_LEVELS, Figure, MethodBlock, Result
from .batch import EPS, Batch, number
from .figures import numbers
from .notes import Notes, Parts
from .parts import parts_and_wholes


@functools.cache
def figures_adapter() -> TypeAdapter[list[Figure]]:
    """Validates a list of figures (made on first use, as `model.Figure` is)."""
    return TypeAdapter(list[Figure])


CHUNK = 1024
"""Groups whose notes are made together (`Notes.chunk`)."""

Filters = tuple[str | None, str | None, str | None, str | None]
"""event, metric, group, location (a location includes the places within it)."""


def json_numbers(values: np.ndarray) -> list[int | float | None]:
    """`number` for a whole column at once."""
    finite = np.isfinite(values)
    whole = finite & (values == np.floor(np.where(finite, values, 0)))
    ints = np.where(whole, values, 0).astype(np.int64).tolist()
    return [
        i if w else (f if ok else None)
        for i, f, w, ok in zip(ints, values.tolist(), whole.tolist(), finite.tolist(), strict=True)
    ]


def disagreement(ratio: float) -> str:
    """R9's classes of the ratio between the greatest and the least figure."""
    if ratio <= 1.10 + EPS:
        return "agree"
    if ratio <= 1.5 + EPS:
        return "minor"
    if ratio <= 3 + EPS:
        return "substantial"
    return "major"


HALVES = 200_000
"""Claims from which `Reconciled.halves` splits the figures in two."""


@dataclass
class _Made:
    notes: Notes
    columns: dict[str, list[Any]]
    """Each figure's numbers as JSON writes them, by field."""


@dataclass
class Reconciled:
    """A run's figures before they are models: the method block, and the figures as
    JSON-shaped dicts, made when `figures()` is iterated."""

    method: MethodBlock
    batch: Batch
    params: Parameters
    explain: bool
    filters: Filters
    progress: Callable[[int, int], None] | None = None

    def figures(self) -> Iterator[dict[str, Any]]:
        return self.figures_in(0, self.batch.groups)

    def halves(self) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]] | None:
        """The figures as two runs of groups with about as many claims each, the second
        made without progress reports (a forked process writes it: `render.halves`);
        None for too few claims to be worth it, or where no such process can be had."""
        from .. import forked

        b = self.batch
        if b.n < HALVES or not (forked.allowed and forked.two_processors()):
            return None
        middle = int(np.searchsorted(b.starts, b.n // 2))
        self._made  # noqa: B018 - before the halves part: made once, for both processes
        return self.figures_in(0, middle), self.figures_in(middle, b.groups, report=False)

    def figures_in(self, start: int, end: int, report: bool = True) -> Iterator[dict[str, Any]]:
        """The figures of groups `start`..`end - 1`; progress reported (`report`) as
        the claims of each chunk of groups are done."""
        b = self.batch
        if not b.n or start >= end:
            return
        made = self._made
        wanted = _selection(b, self.filters)
        progress = self.progress if report else None
        for first in range(start, end, CHUNK):
            stop = min(first + CHUNK, end)
            # Notes only for the figures the filters select.
            chosen = (
                range(first, stop)
                if wanted is None
                else [*compress(range(first, stop), wanted[first:stop])]
            )
            if chosen:
                for grp, parts in zip(chosen, made.notes.chunk(first, stop, chosen), strict=True):
                    yield _figure(b, grp, made.columns, parts, made.notes, self.explain)
            if progress is not None:
                progress(int(b.starts[stop]), b.n)

    @functools.cached_property
    def _made(self) -> _Made:
        """R8-R11 for every group (numbers, notes, parts and wholes): done once, when
        the first figure is made."""
        b = self.batch
        nums = numbers(b, self.params)
        written = Notes(b, nums)
        parts_and_wholes(b, nums, written, self.params.stale_days)
        columns: dict[str, list[Any]] = {
            name: json_numbers(getattr(nums, name)) for name in ("low", "best", "high", "n")
        }
        columns["ratio"] = nums.ratio.tolist()
        # Python's round, as the model's figures have always been rounded.
        columns["shown_ratio"] = [
            None if math.isnan(r) else number(round(r, 3)) for r in columns["ratio"]
        ]
        columns["open_upper"] = nums.open_upper.tolist()
        columns["confidence"] = nums.confidence.tolist()
        return _Made(written, columns)

    def result(self) -> Result:
        """The run as the library's `Result` (pydantic validates every figure)."""
        return result_of(self.method, self.figures())


def result_of(method: MethodBlock, figures: Iterable[dict[str, Any]]) -> Result:
    """The library's `Result` of a run's method and figures (pydantic validates each)."""
    valid = figures_adapter().validate_python(list(figures))
    return Result(figrecon=__version__, method=method, figures=valid)


def _selection(b: Batch, filters: Filters) -> list[bool] | None:
    """Which groups the filters select (None: all). Every group is reconciled whatever
    the filters, so that parts still raise the totals that are shown."""
    if not any(f is not None for f in filters):
        return None
    return [selected(k, filters) for k in b.keys]


def selected(key: tuple[str, ...], filters: Filters) -> bool:
    """Whether the filters select a group of this key (event, metric, group, location,
    period; "" for a missing location or period)."""
    event, metric, group, location = filters
    return (
        (event is None or key[0] == event)
        and (metric is None or key[1] == metric)
        and (group is None or key[2] == group)
        and (location is None or key[3] == location or key[3].startswith(location + "/"))
    )


def _figure(
    b: Batch, grp: int, c: dict[str, list[Any]], parts: Parts, written: Notes, explain: bool
) -> dict[str, Any]:
    has = c["confidence"][grp] >= 0
    event, metric, group, location, period = b.keys[grp]
    ratio = c["ratio"][grp]
    disagrees = disagreement(ratio) if has and not math.isnan(ratio) else None
    return {
        "event": event,
        "metric": metric,
        "group": group,
        "location": location or None,
        "period": period or None,
        "measure": b.measure[grp].value,
        "low": c["low"][grp] if has else None,
        "best": c["best"][grp] if has else None,
        "high": c["high"][grp] if has else None,
        "open_upper": bool(c["open_upper"][grp]),
        "confidence": CONFIDENCE_LEVELS[c["confidence"][grp]] if has else None,
        "independent_sources": c["n"][grp],
        "ratio": c["shown_ratio"][grp] if disagrees else None,
        "disagreement": disagrees,
        "claims_used": parts.used,
        "claims_excluded": parts.excluded,
        "notes": parts.notes,
        "history": parts.history,
        "sources": parts.sources,
        "independent": parts.independent,
        "explain": [_trace(t) for t in written.explain(grp)] if explain else None,
    }


def _trace(trace: dict[str, Any]) -> dict[str, Any]:
    return {**trace, "stated_on": _day(trace["stated_on"])}


def _day(day: Any) -> str | None:
    return day.isoformat() if isinstance(day, dt.date) else None
