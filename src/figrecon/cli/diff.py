"""`figrecon diff`: what changed between two versions of a dataset."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from .app import EXIT_FINDINGS, app, edge, stdout
from .bundles import Inputs, bundled
from .options import (
    LangOpt,
    OutputOpt,
    ProfileOpt,
    RankOpt,
    choose_format,
    parameters_of,
    rank_list,
    write_output,
)
from .reconcile import batch_of, run_reconcile

if TYPE_CHECKING:
    pass


DIFF_EXAMPLES = """Examples:

\b
  figrecon diff old/data data
      what a change does to the figures, and every claim edited, added or removed
  figrecon diff before.json after.json -f markdown
      two results saved with reconcile -f json, as a pull-request comment
  figrecon diff old/data data --fail-on-change
      a review gate: exit 1 when a figure moved or a claim changed"""


@app.command(epilog=DIFF_EXAMPLES)
@bundled
def diff(
    old: Annotated[
        str, typer.Argument(help="The old dataset (file or folder), or a saved reconcile JSON.")
    ],
    new: Annotated[
        str, typer.Argument(help="The new dataset (file or folder), or a saved reconcile JSON.")
    ],
    format: Annotated[
        str, typer.Option("-f", "--format", help="table, markdown or json.")
    ] = "table",
    output: OutputOpt = None,
    fail_on_change: Annotated[
        bool,
        typer.Option(
            "--fail-on-change",
            help="Exit 1 when a figure changed or a claim was edited, added, removed or newly "
            "withdrawn (in saved results: entered or left a figure); a review gate. A change "
            "only to url, quote, note or parts is listed but passes.",
        ),
    ] = False,
    method: Annotated[
        str | None, typer.Option("--method", help="Method for datasets (as for reconcile).")
    ] = None,
    rank: RankOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    inputs: Inputs = Inputs(),
) -> None:
    """What changed in the reconciled figures between two versions of a dataset, and every
    claim edited, added, removed or newly withdrawn under each figure."""
    from ..diffs import claim_records, compare, rebase, saved_result
    from ..render.formats import DiffFormat

    with edge():
        fmt = choose_format(DiffFormat, format)
        params = parameters_of(
            {"method": method, "rank": rank_list(rank), "profile": profile, "lang": lang}
        )
        target = inputs.target(output, [old, new], params)
        results, records = [], []
        for side in (old, new):
            saved = saved_result(Path(side), inputs.limit)
            fields = None
            if saved is None:
                claims = inputs.load([side], params)
                # With --explain's traces: every claim's fate in its figure is known.
                batch = batch_of(claims, None)
                with run_reconcile(
                    batch, claims.profile, params, None, True, None, None, None, None
                ) as run:
                    saved = run.result()
                fields = claim_records(claims)
                del claims  # one dataset in memory at a time
            results.append(saved)
            records.append(fields)
        rename: Callable[[str], str] | None = None
        first, second = records
        both = (first, second) if first is not None and second is not None else None
        if both is not None and old != "-" and new != "-":
            old_root, new_root = str(Path(old)), str(Path(new))
            rename = partial(rebase, old_root=old_root, new_root=new_root)
        changes = compare(results[0], results[1], old, new, rename, both)
        if fmt is DiffFormat.table and target is None:
            from ..render.diff import diff_table

            stdout().print(diff_table(changes))
        else:
            write_output(fmt.render(changes), target)
        if fail_on_change and changes.fails_gate:
            raise typer.Exit(EXIT_FINDINGS)
