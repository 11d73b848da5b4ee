"""Which figures a run shows, and in what order. The engine selects figures by event,
metric, group and location (a place with the places within it); `--period` keeps the
counts over one period, `--exact` only the figures of exactly `--location` that are no
counts over a period (unless `--period` names one), so that one figure can be asked for
exactly; `--sort` orders them for people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .engine.assemble import Filters, Reconciled
    from .engine.rules import Halved
    from .loading import Claims
    from .model import MethodBlock, Result

SORTS = ("best", "metric", "confidence", "disagreement")
"""The orders of --sort; without it, figures come in the order of their key (event,
metric, group, location, period)."""

_CONFIDENCE = {"high": 0, "moderate": 1, "low": 2, "very low": 3}


def selects(
    location: str | None,
    period: str | None,
    *,
    want_location: str | None,
    want_period: str | None,
    exact: bool,
) -> bool:
    """Whether a figure of this location and period is shown (its event, metric, group
    and location within --location are the engine's to select)."""
    if want_period is not None and period != want_period:
        return False
    if not exact:
        return True
    return (want_location is None or location == want_location) and (
        want_period is not None or period is None
    )


def sort_order(name: str) -> str:
    """--sort's value, in any case, or a usage error naming the orders."""
    if name.lower() not in SORTS:
        raise UsageError(f"--sort {name!r}: use {', '.join(SORTS)}")
    return name.lower()


def _key(name: str) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The sort key of an order: largest best first; by metric (then group, location,
    period, event); highest confidence first; greatest disagreement first. Figures
    without the value sort last, and ties keep the order of their key."""
    if name == "best":
        return lambda f: (f["best"] is None, -(f["best"] or 0))
    if name == "metric":
        return lambda f: (f["metric"], f["group"], f["location"] or "", f["period"] or "")
    if name == "confidence":
        return lambda f: (_CONFIDENCE.get(f["confidence"], len(_CONFIDENCE)),)
    return lambda f: (f["ratio"] is None, -(f["ratio"] or 0))


@dataclass
class Selection:
    """What to show of a run: --location (for --exact), --period, --exact, --sort."""

    location: str | None = None
    period: str | None = None
    exact: bool = False
    sort: str | None = None

    def apply(self, figures: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """The figures shown, in their order: streamed, unless they are sorted."""
        if self.period is not None or self.exact:
            figures = (
                f
                for f in figures
                if selects(
                    f["location"],
                    f["period"],
                    want_location=self.location,
                    want_period=self.period,
                    exact=self.exact,
                )
            )
        if self.sort is not None:
            return iter(sorted(figures, key=_key(self.sort)))
        return iter(figures)


def any_shown(claims: Claims, when: dt.date | None, filters: Filters, selection: Selection) -> bool:
    """Whether a run of `claims` as known at `when` shows any figure. Every group of the
    claims known then (each distinct event, metric, group, location and period) makes
    one figure, so this is read from their keys, before any rule runs or a second
    process starts: the engine's `filters` and `selection` are applied to each."""
    import numpy as np

    from .columns import combined_codes, first_rows, picked_factors
    from .engine.assemble import selected
    from .engine.batch import KEYS, key_texts, known

    cols = claims.columns
    rows = np.flatnonzero(known(claims, when))
    if not len(rows):
        return False
    codes = combined_codes([picked_factors(cols[name], rows)[0] + 1 for name in KEYS])
    firsts = rows[first_rows(codes)]
    for key in zip(*(key_texts(cols[name][firsts]) for name in KEYS), strict=True):
        if selected(key, filters) and selects(
            key[3] or None,
            key[4] or None,
            want_location=selection.location,
            want_period=selection.period,
            exact=selection.exact,
        ):
            return True
    return False


class Shown:
    """The figures of a run that a command shows, made as they are read, once: as one
    stream (`figures`) or as two runs (`halves`), whichever is asked for first; after
    that the other gives nothing more."""

    Split = tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]

    def __init__(self, run: Reconciled | Halved, selection: Selection) -> None:
        self.method: MethodBlock = run.method
        self.explain = run.explain
        self._run, self._selection = run, selection
        self._taken = False  # whether the figures (or halves) were handed out

    def figures(self) -> Iterator[dict[str, Any]]:
        if self._taken:
            return iter(())
        self._taken = True
        return self._selection.apply(self._run.figures())

    def halves(self) -> Shown.Split | None:
        """The figures shown in two runs (`Reconciled.halves`, `Halved`), when they are
        streamed in the run's order (not sorted) and nothing was handed out yet; else
        None, and `figures` gives them."""
        if self._taken or self._selection.sort is not None:
            return None
        halves = self._run.halves()
        if halves is None:
            return None
        self._taken = True
        first, second = halves
        return self._selection.apply(first), self._selection.apply(second)

    def result(self) -> Result:
        """The figures shown as the library's `Result` (pydantic validates each)."""
        from .engine.assemble import result_of

        return result_of(self.method, self.figures())
