"""`figrecon reconcile`: the reconciled figures of claim files."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError, closest
from .app import app, edge, keep_until_exit, say, state, stderr, stdout, stdout_is_terminal
from .bundles import Filters, Inputs, bundled
from .options import (
    AsOfOpt,
    LangOpt,
    MethodOpt,
    OutputOpt,
    PathsArg,
    ProfileOpt,
    RankOpt,
    SortOpt,
    choose_format,
    date_option,
    input_paths,
    output_stream,
    parameters_of,
    rank_list,
)

if TYPE_CHECKING:
    import numpy as np

    from ..config import Parameters
    from ..engine.assemble import Reconciled
    from ..engine.batch import Batch
    from ..engine.rules import Halved
    from ..loading import Claims
    from ..render.formats import OutputFormat
    from ..selection import Selection


RECONCILE_EXAMPLES = """Examples:

\b
  figrecon reconcile data/
      every figure of the claim files in data/ (and below), as a table
  figrecon reconcile data/ --metric killed --group total --location Kazakhstan --exact
      one figure: the national death toll, without the places within the country
  figrecon reconcile data/ --as-of 2022-01-10 --sort disagreement
      what was known on 10 January 2022, the most disputed figures first
  figrecon reconcile data/ -f json -o figures.json
      the figures for scripts (figrecon schema --output describes them)"""


@app.command(epilog=RECONCILE_EXAMPLES)
@bundled
def reconcile(
    paths: PathsArg = None,
    format: Annotated[
        str, typer.Option("-f", "--format", help="table, json, ndjson, csv or markdown.")
    ] = "table",
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = None,
    rank: RankOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    tolerance: Annotated[
        float | None, typer.Option("--tolerance", help="R7 tolerance (share of each point).")
    ] = None,
    stale_days: Annotated[
        int | None, typer.Option("--stale-days", help="R5 stale window in days.")
    ] = None,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Show every claim and what happened to it (table, json, ndjson).",
        ),
    ] = False,
    filters: Filters = Filters(),
    sort: SortOpt = None,
    inputs: Inputs = Inputs(),
) -> None:
    """Reconciled low / best / high figures with confidence and notes.

    The table fits the terminal (or $COLUMNS, 80 in a pipe): it folds its text, and
    stacks the figures when too narrow, never splitting a figure."""
    from ..render.formats import OutputFormat
    from ..selection import Selection, Shown, any_shown, sort_order

    with edge():
        fmt = choose_format(OutputFormat, format)
        if explain and fmt in (OutputFormat.csv, OutputFormat.markdown):
            # Said, not ignored: the output would be the same as without it.
            raise UsageError(
                f"--explain has no place in the {fmt.value} format (a row per figure); "
                "use it with -f table, json or ndjson"
            )
        shown = Selection(
            filters.location,
            filters.period,
            filters.exact,
            None if sort is None else sort_order(sort),
        )
        params = parameters_of(
            {
                "method": method,
                "rank": rank_list(rank),
                "profile": profile,
                "lang": lang,
                "tolerance": tolerance,
                "stale_days": stale_days,
            }
        )
        when = date_option(as_of, "--as-of")
        read = input_paths(paths)
        target = inputs.target(output, read, params)
        claims = inputs.load(read, params, typos=True)
        keys = (filters.event, filters.metric, filters.group, filters.location)
        if (
            fmt is OutputFormat.table
            and target is None
            and not any_shown(claims, when, keys, shown)
        ):
            say(why_no_figures(claims, when, filters))
            return
        first = halves_of(claims, fmt, shown)
        running: AbstractContextManager[Reconciled | Halved]
        # The batches hold all that the rules and figures read: the loaded claims are
        # freed before the figures are made, and their memory serves those (at 3M
        # claims the peak fell from 3.7 to 3.0 GB). Two runs, of the (event, metric)s
        # of each half, the second reconciled and written by a forked process
        # meanwhile: each process builds its own half's batch, and this one keeps the
        # claims until its half is written, to build the other's itself should the
        # child fail (the peak stays the load's: 1.1 GiB at 1M claims, 3.1 at 3M).
        if first is not None:
            running = run_halved(claims, first, params, when, explain, *keys)
        else:
            batch, profile = batch_of(claims, when), claims.profile
            running = run_reconcile(batch, profile, params, when, explain, *keys)
        del claims
        with running as run:
            keep_until_exit(run)  # and its halves' batches
            figures = Shown(run, shown)
            if fmt is OutputFormat.table and target is None and stdout_is_terminal():
                from ..render.table import show

                # Rich lays out and colours only what a terminal shows, in one process.
                show(figures.method, figures.figures(), stdout(), explain)
                return
            with output_stream(target) as out:
                fmt.write(figures, out)


KEYS = ("event", "metric", "group", "location", "period")
"""The claim fields `Filters.keys` gives, in its order."""


def why_no_figures(claims: Claims, when: dt.date | None, filters: Filters) -> str:
    """`no_figures` of a run of `claims` that shows nothing."""
    from ..engine.batch import known

    exact = filters.exact and bool(known(claims, when).any())
    held = filtered_columns(claims, filters.keys)
    return no_figures(len(claims), when, filters.keys, held, exact=exact)


def no_figures(
    count: int,
    when: dt.date | None,
    filters: tuple[str | None, ...],
    columns: Mapping[str, np.ndarray] | None = None,
    *,
    exact: bool = False,
) -> str:
    """Why nothing is shown: `columns` holds the claims' columns of the keys the
    filters name (`filtered_columns`), to say what the data holds instead; `exact`:
    --exact was given and some claims are known at `when`, so it left them out."""
    if not count:
        return "No figures: the input holds no claims."
    if any(f is not None for f in filters):  # an empty one too (`--location ''`)
        return "No figures: no claims match the filters" + _unmatched(filters, columns) + "."
    if exact:
        return (
            "No figures: --exact shows only figures that are no counts over a period "
            "(unless --period names one), and every figure here is one; give --period, "
            "or leave out --exact."
        )
    return f"No figures: no claim was stated by {when}."


def filtered_columns(claims: Claims, filters: tuple[str | None, ...]) -> dict[str, np.ndarray]:
    """The claims' columns of the keys the filters name, for `no_figures`."""
    return {
        name: claims.columns[name]
        for name, given in zip(KEYS, filters, strict=True)
        if given is not None
    }


def _unmatched(filters: tuple[str | None, ...], columns: Mapping[str, np.ndarray] | None) -> str:
    """For a filter no claim matches: what the data holds that is close to it."""

    if columns is None:
        return ""
    for name, given in zip(KEYS, filters, strict=True):
        if given is None:
            continue
        if not given:
            return f"; --{name} is empty: give a value, or leave the option out"
        held = sorted({str(v) for v in columns[name].tolist() if v is not None})
        if given in held or (name == "location" and any(h.startswith(given + "/") for h in held)):
            continue
        wanted = given.replace(" ", "_") if name == "group" else given
        inside = [h for h in held if h.endswith("/" + given)] if name == "location" else []
        close = inside[0] if inside else closest(wanted, held)
        if close:
            return f"; no claim has {name} `{given}` (did you mean `{close}`?)"
        return f"; no claim has {name} `{given}`"
    return ""


def batch_of(claims: Claims, when: dt.date | None, only: np.ndarray | None = None) -> Batch:
    """The claims known at `when` (of those `only` marks), as the engine's arrays
    (`run_reconcile` takes them)."""
    from ..engine.batch import build_batch

    return build_batch(claims, when, only)


@contextmanager
def run_reconcile(
    batch: Batch,
    profile: str,
    params: Parameters,
    when: dt.date | None,
    explain: bool,
    *filters: str | None,
) -> Iterator[Reconciled]:
    """The rules run over the claims' batch (`batch_of`); the figures are made as they
    are written, with a progress bar on a terminal for large inputs."""
    from ..engine.rules import reconciled_batch

    event, metric, group, location = filters
    with progress_bar(batch.n) as progress:
        yield reconciled_batch(
            batch,
            profile,
            params,
            as_of=when,
            explain=explain,
            filters=(event, metric, group, location),
            progress=progress,
        )


def halves_of(claims: Claims, fmt: OutputFormat, shown: Selection) -> np.ndarray | None:
    """The claims of the first of two runs (`run_halved`), for a large input written in
    a format that streams its figures in order, with a second processor to write the
    other; None for one run."""
    from ..engine.assemble import HALVES

    if len(claims) < HALVES or shown.sort is not None:
        return None  # decided before importing what only a large run needs
    from ..engine.partition import first_half
    from ..forked import two_processors
    from ..render.formats import OutputFormat

    if fmt is OutputFormat.markdown:  # its notes come after every row: one process
        return None
    return first_half(claims) if two_processors() else None


@contextmanager
def run_halved(
    claims: Claims,
    first: np.ndarray,
    params: Parameters,
    when: dt.date | None,
    explain: bool,
    *filters: str | None,
) -> Iterator[Halved]:
    """`run_reconcile` as two runs, of the claims `first` marks and of the others
    (`halves_of`)."""
    from ..engine.rules import Halved

    event, metric, group, location = filters
    keys = (event, metric, group, location)
    run = Halved(claims, first, claims.profile, params, when, explain, keys)
    del claims, first  # the run alone holds them: it lets them go once it may
    with progress_bar(sum(run.sizes)) as progress:
        run.progress = progress
        yield run


@contextmanager
def progress_bar(n: int) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal for `n` claims, if that is many (its update
    function), else None."""
    if n < 50_000 or not sys.stderr.isatty() or state["quiet"]:
        yield None
        return
    from rich.progress import Progress

    with Progress(console=stderr(), transient=True) as bar:
        task = bar.add_task("reconciling", total=n)
        yield lambda done, total: bar.update(task, completed=done)
