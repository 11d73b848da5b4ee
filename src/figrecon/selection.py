"""Which figures a run shows, and in what order. The engine selects figures by event,
metric, group and location (a place with the places within it); `--period` keeps the
counts over one period, `--exact` only the figures of exactly `--location` that are no
counts over a period (unless `--period` names one), so that one figure can be asked for
exactly; `--sort` orders them for people.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from typing import TYPE_CHECKING, Any

from .errors import UsageError

if TYPE_CHECKING:
    from .engine.assemble import Reconciled
    from .engine.rules import Halved
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


class Shown:
    """The figures of a run that a command shows, made as they are read (once)."""

    def __init__(self, run: Reconciled | Halved, selection: Selection) -> None:
        self.method: MethodBlock = run.method
        self.explain = run.explain
        self._run, self._selection = run, selection
        self._figures = selection.apply(run.figures())
        self._started = False
        self._peeked: tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]] | None = None

    def figures(self) -> Iterator[dict[str, Any]]:
        self._started = True
        if self._peeked is not None:  # halves that `empty` looked into, read as one
            first, second = self._peeked
            self._peeked = None
            return chain(first, second)
        return self._figures

    def halves(self) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]] | None:
        """The figures shown in two runs (`Reconciled.halves`, `Halved`), when they are streamed
        in the run's order (not sorted) and none is made yet (but the one `empty` made);
        else None."""
        if self._peeked is not None:
            split, self._peeked = self._peeked, None
            return split
        if self._started or self._selection.sort is not None:
            return None
        halves = self._run.halves()
        if halves is None:
            return None
        self._started = True
        first, second = halves
        return self._selection.apply(first), self._selection.apply(second)

    def empty(self) -> bool:
        """Whether no figure is shown; the first is made to know. When the run is made in
        halves, the first half's first figure is made, and `halves` still gives both
        (the second half to be made by another process); only when the first half shows
        nothing is the second's first figure made here, and the figures then are read as
        one."""
        split = self.halves()
        if split is not None:
            first, second = split
            head = next(first, None)
            if head is not None:
                self._peeked = (chain([head], first), second)
                return False
            self._figures = second
        self._started = True
        head = next(self._figures, None)
        if head is None:
            return True
        self._figures = chain([head], self._figures)
        return False

    def result(self) -> Result:
        """The figures shown as the library's `Result` (pydantic validates each)."""
        from .engine.assemble import result_of

        self._started = True
        return result_of(self.method, self._figures)
