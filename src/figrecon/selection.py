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
    """The figures of a run that a command shows, made as they are read, once: as one
    stream (`figures`) or as two runs (`halves`), whichever is asked for first; after
    that the other gives nothing more."""

    Split = tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]

    def __init__(self, run: Reconciled | Halved, selection: Selection) -> None:
        self.method: MethodBlock = run.method
        self.explain = run.explain
        self._run, self._selection = run, selection
        self._stream: Iterator[dict[str, Any]] | None = None  # the figures as one, once made
        self._split: Shown.Split | None = None  # the halves `empty` looked into
        self._taken = False  # whether the figures (or halves) were handed out

    def figures(self) -> Iterator[dict[str, Any]]:
        if self._taken:
            return iter(())
        self._taken = True
        return self._one()

    def _one(self) -> Iterator[dict[str, Any]]:
        """The figures as one stream: the halves `empty` looked into, one after the
        other, else the run's figures, made here."""
        if self._stream is None:
            if self._split is not None:
                self._stream = chain(*self._split)
                self._split = None
            else:
                self._stream = self._selection.apply(self._run.figures())
        return self._stream

    def halves(self) -> Shown.Split | None:
        """The figures shown in two runs (`Reconciled.halves`, `Halved`), when they are
        streamed in the run's order (not sorted) and nothing was handed out yet; else
        None, and `figures` gives them."""
        if self._taken or self._stream is not None:
            return None
        split = self._split if self._split is not None else self._two()
        if split is not None:
            self._taken, self._split = True, None
        return split

    def _two(self) -> Shown.Split | None:
        if self._selection.sort is not None:
            return None
        halves = self._run.halves()
        if halves is None:
            return None
        first, second = halves
        return self._selection.apply(first), self._selection.apply(second)

    def empty(self, halves: bool = True) -> bool:
        """Whether no figure is shown; the first is made to know. When the run may be
        made in halves (`halves`: the caller will write them so), only the first half's
        first figure is made, and `halves` still gives both; when the first half shows
        nothing, the second half's first figure is made here, and the figures are read
        as one stream."""
        if self._taken:
            raise RuntimeError("empty() after the figures were handed out")
        if self._stream is None and self._split is None and halves:
            split = self._two()
            if split is not None:
                first, second = split
                head = next(first, None)
                if head is not None:
                    self._split = (chain([head], first), second)
                    return False
                self._stream = second
        stream = self._one()
        head = next(stream, None)
        if head is None:
            return True
        self._stream = chain([head], stream)
        return False

    def result(self) -> Result:
        """The figures shown as the library's `Result` (pydantic validates each)."""
        from .engine.assemble import result_of

        return result_of(self.method, self.figures())
