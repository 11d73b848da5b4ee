"""The table's "Based on" lines agree with its Sources column: one line per independent
source as R10 counts it. The figures here are synthetic, built directly."""

from __future__ import annotations

from typing import Any

import pytest

from figrecon.model import Figure, IndependentSource, MethodBlock, Result
from figrecon.render.formats import OutputFormat


def table(sources: list[str], independent: list[IndependentSource] | None, n: float) -> str:
    figure = Figure(
        event="e",
        metric="killed",
        group="total",
        location="Land",
        period=None,
        measure="cumulative",
        low=225,
        best=226,
        high=226,
        open_upper=False,
        confidence="low",
        independent_sources=n,
        ratio=None,
        disagreement=None,
        claims_used=["a"],
        claims_excluded=[],
        notes=[],
        history=None,
        sources=sources,
        independent=independent,
    )
    method = MethodBlock(name="agreement", profile="default", as_of=None, parameters={})
    result = Result(figrecon="0", method=method, figures=[figure])
    return OutputFormat.table.render(result, width=100)


def based_on(text: str) -> list[str]:
    """The lines from "Based on" to the end of the figure's block, without trailing
    spaces."""
    lines = [line.rstrip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("Based on"))
    end = lines.index("", start)
    return lines[start:end]


def unit(*names: str, **fields: Any) -> IndependentSource:
    return IndependentSource(names=list(names), **fields)


def test_without_the_count_of_each_source_the_names_share_one_line() -> None:
    out = table(["Prosecutor", "Rights Group"], None, 2)
    assert based_on(out) == ["  Based on: Prosecutor; Rights Group"]


def test_the_organs_of_one_side_share_one_line_that_counts_them() -> None:
    out = table(
        ["Interior Ministry", "Rights Group", "State Prosecutor", "State TV"],
        [
            unit("Interior Ministry", "State Prosecutor", "State TV", side="kazakh-state"),
            unit("Rights Group"),
        ],
        2,
    )
    assert based_on(out) == [
        "  Based on 2 independent sources:",
        "    Kazakh state (3 bodies): Interior Ministry; State Prosecutor; State TV",
        "    Rights Group",
    ]


def test_a_side_of_one_body_is_its_name() -> None:
    out = table(["Interior Ministry"], [unit("Interior Ministry", side=True)], 1)
    assert based_on(out) == ["  Based on 1 independent source:", "    Interior Ministry"]


def test_parties_marked_true_are_one_side() -> None:
    out = table(["Army", "Police"], [unit("Army", "Police", side=True)], 1)
    assert based_on(out)[1] == "    party to the event (2 bodies): Army; Police"


@pytest.mark.parametrize(
    ("shares", "line"),
    [
        ([0.5], "    unattributed (½)"),
        ([0.5, 0.5], "    unattributed, 2 different figures (½ each)"),
        ([0.25], "    unattributed (0.25)"),
    ],
)
def test_unattributed_figures_show_the_share_they_count_for(shares: list[float], line: str) -> None:
    out = table(
        ["Rights Group", "unknown"],
        [unit("Rights Group"), *(unit("unknown", share=s) for s in shares)],
        1 + sum(shares),
    )
    assert based_on(out)[1:] == ["    Rights Group", line]


def test_a_member_not_counted_is_named_with_the_reason() -> None:
    out = table(["Prosecutor", "Rights Group"], [unit("Prosecutor")], 1)
    assert based_on(out) == [
        "  Based on 1 independent source:",
        "    Prosecutor",
        "    Not counted: Rights Group (a floor or ceiling that does not reach the best; R10)",
    ]


def test_sides_and_names_print_literally_not_as_markup() -> None:
    out = table(["[red]a[/red]", "b"], [unit("[red]a[/red]", "b", side="[bold]s[/bold]")], 1)
    assert based_on(out)[1] == "    [bold]s[/bold] (2 bodies): [red]a[/red]; b"
