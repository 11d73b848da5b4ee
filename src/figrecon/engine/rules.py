"""The rules in order, from normalized claims to agreement sets (R2-R7 of RECONCILIATION.md), and
`reconcile`, the library's entry point.

The engine is columnar: each rule is computed for every group at once over the sorted
arrays of a `Batch` (segment maxima, cumulative maxima, one sorted sweep), so the cost
grows linearly with the number of claims. Each claim ends with a status (used,
superseded, withdrawn, stale, outlier, ...), the rule that decided it, and the claim
that caused it (`related`); `figures` and `notes` turn that into figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from ..config import Parameters, build_parameters
from ..dates import parse_day
from ..loading import Claims, paused_gc
from ..model import MethodBlock, Result
from .agreement import agreement
from .assemble import Filters, Reconciled, result_of
from .attribution import attribute, classify, withdraw_repeats
from .batch import (
    LOWER_RANKED,
    OUTLIER,
    TYPES,
    USED,
    Batch,
    build_batch,
    gmin,
    known,
)
from .stale import stale, weigh
from .supersede import supersede


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
        return reconciled(
            claims,
            params,
            as_of=as_of,
            explain=explain,
            filters=(event, metric, group, location),
            progress=progress,
        ).result()


def reconciled(
    claims: Claims,
    params: Parameters,
    *,
    as_of: dt.date | None = None,
    explain: bool = False,
    filters: Filters = (None, None, None, None),
    progress: Callable[[int, int], None] | None = None,
) -> Reconciled:
    """The rules run over `claims`; the figures are made as the result is iterated (the
    command line writes them as they come, without a model per figure)."""
    return reconciled_batch(
        build_batch(claims, as_of),
        claims.profile,
        params,
        as_of=as_of,
        explain=explain,
        filters=filters,
        progress=progress,
    )


def reconciled_batch(
    batch: Batch,
    profile: str,
    params: Parameters,
    *,
    as_of: dt.date | None = None,
    explain: bool = False,
    filters: Filters = (None, None, None, None),
    progress: Callable[[int, int], None] | None = None,
) -> Reconciled:
    """`reconciled` from the claims' batch (`build_batch(claims, as_of)`) and their
    phrase profile: the batch holds all the rules and figures read, so a caller that
    owns the claims can free them before the figures are made."""
    if batch.n:
        run_rules(batch, params, as_of is not None)
    return Reconciled(
        method_block(params, profile, as_of), batch, params, explain, filters, progress
    )


def method_block(params: Parameters, profile: str, as_of: dt.date | None) -> MethodBlock:
    return MethodBlock(name=params.method, profile=profile, as_of=as_of, parameters=params.block())


class Halved:
    """A run made as two runs, one of the (event, metric)s of each half of the claims
    (`first`, from `partition.first_half`: only a withdrawal looks across (event,
    metric)s, and the cut never parts those it links; the first half's figures all come
    first). Each half's batch is made from the claims, and reconciled, when its figures
    are first read: a forked process (`render.halves`) makes and writes the second half
    while this one makes the first, so that neither makes the other's batch (0.9 s at a
    million claims). The claims are kept until both batches are made here: when the
    child does the second half, that is never, for this process must make it should the
    child fail (the claims go with the run)."""

    def __init__(
        self,
        claims: Claims,
        first: np.ndarray,
        profile: str,
        params: Parameters,
        as_of: dt.date | None,
        explain: bool,
        filters: Filters,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self.profile, self.params, self.as_of = profile, params, as_of
        self.explain, self.filters, self.progress = explain, filters, progress
        self._claims: Claims | None = claims
        self._only = (first, ~first)
        self._batches: list[Batch | None] = [None, None]
        self.sizes = tuple(int(known(claims, as_of, only).sum()) for only in self._only)
        """The claims of each half's batch."""

    def batch(self, second: bool) -> Batch:
        """A half's batch, made on first use; the run lets the claims go once both are
        made in this process."""
        made = self._batches[second]
        if made is None:
            assert self._claims is not None
            made = self._batches[second] = build_batch(self._claims, self.as_of, self._only[second])
            if None not in self._batches:
                self._claims = None
        return made

    @property
    def method(self) -> MethodBlock:
        return method_block(self.params, self.profile, self.as_of)

    def half(self, second: bool, progress: Callable[[int, int], None] | None) -> Reconciled:
        return reconciled_batch(
            self.batch(second),
            self.profile,
            self.params,
            as_of=self.as_of,
            explain=self.explain,
            filters=self.filters,
            progress=progress,
        )

    def figures(self) -> Iterator[dict[str, Any]]:
        """Both halves, one after the other, in this process (both batches made first,
        and the claims let go by the run)."""
        self.batch(False), self.batch(True)
        done, report = self.sizes[0], self.progress
        yield from self.half(False, report).figures()
        yield from self.half(
            True,
            None if report is None else lambda n, total: report(done + n, done + total),
        ).figures()

    def halves(self) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]]:
        """The halves for two processes; this one's progress stands for both (they go at
        about the same pace)."""
        report = self.progress
        total, mine = sum(self.sizes), max(self.sizes[0], 1)
        both = None if report is None else lambda n, _: report(n * total // mine, total)
        return self._figures_of(False, both), self._figures_of(True, None)

    def _figures_of(
        self, second: bool, progress: Callable[[int, int], None] | None
    ) -> Iterator[dict[str, Any]]:
        yield from self.half(second, progress).figures()

    def result(self) -> Result:
        return result_of(self.method, self.figures())


def attribution(claims: Claims, only: np.ndarray | None = None) -> Batch:
    """Every claim (or those `only` marks) after R3 and R4 only: withdrawn (and repeats
    of withdrawn figures), relays re-dated to the statement they repeat, old figures
    relayed late. `figrecon check` reads its findings from these statuses rather than
    restating the rules."""
    b = build_batch(claims, None, only)
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
        b.members, b.unresolved, b.tied = agreement(b, currents, p)
    b.set(np.flatnonzero(currents & ~b.members), OUTLIER, "R7")
    b.set(np.flatnonzero(b.members), USED, "R7")
    mates = np.flatnonzero(b.mate_of >= 0)
    rep = b.mate_of[mates]
    b.status[mates] = b.status[rep]
    b.rule[mates] = b.rule[rep]
    b.related[mates] = b.related[rep]


def rank(b: Batch, current: np.ndarray, p: Parameters) -> np.ndarray:
    """`hierarchy`: only the claims of the best-ranked source type present count."""
    order = {t.value: i for i, t in enumerate(p.rank or [])}
    place = np.array([order.get(t, len(order)) for t in TYPES])[b.type]
    best = gmin(b, place.astype(float), current)
    lower = current & (place > best[b.g])
    b.set(np.flatnonzero(lower), LOWER_RANKED, "hierarchy")
    kept: np.ndarray = current & ~lower
    return kept
