"""The table for people never garbles a figure: at any width every number, range and
date stays whole on one line and no column disappears; it ends with a summary line;
--sort orders it; --exact and --period ask for one figure; Markdown keeps each note's
sentence; files and pipes get it as plain text, terminals in colour."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

import figrecon
from figrecon.config import Parameters
from figrecon.engine.rules import reconciled
from figrecon.render.table import show, spans
from figrecon.render.words import num

KZ = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
NATIONAL = ["--metric", "killed", "--group", "total", "--location", "Kazakhstan"]
WIDTHS = [40, 60, 80, 200]


@pytest.fixture(scope="module")
def figures() -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in figrecon.reconcile(figrecon.load(KZ)).figures]


def whole(f: dict[str, Any]) -> list[str]:
    """What must never be split: the figure's range (or its number), its best, and the
    dates of its period."""
    tokens = [num(f["best"])] if f["best"] is not None else []
    if f["best"] is not None and f["low"] != f["high"]:
        tokens.append(f"{num(f['low'])}–{num(f['high'])}")
    elif f["best"] is not None:
        tokens.append(num(f["low"]))
    return tokens + (f["period"].split("/") if f["period"] else [])


def assert_never_garbled(text: str, figures: list[dict[str, Any]], width: int) -> None:
    lines = text.splitlines()
    assert max(map(len, lines)) <= width
    words = {word.strip(",()") for line in lines for word in line.split()}
    for f in figures:
        for token in whole(f):
            assert token in words or any(token in line for line in lines), (token, width)
    # No column disappears: the table has every header, or each figure's headline
    # carries every value of its row.
    if "Confidence" in lines[2]:
        assert lines[2].split() == ["Figure", "Range", "Best", "Confidence", "Sources"]
    heads = [line for line in lines if "confidence" in line or "no figure" in line]
    assert len(heads) >= len(figures)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_pipe_or_a_file_never_splits_a_figure(
    run, figures, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run("reconcile", KZ).stdout
    assert_never_garbled(out, figures, width)


@pytest.mark.parametrize("width", WIDTHS)
def test_a_terminal_never_splits_a_figure(figures, width: int) -> None:
    run = reconciled(figrecon.load(KZ), Parameters())
    console = Console(width=width, force_terminal=True, record=True, file=io.StringIO())
    show(run.method, run.figures(), console, explain=False)
    assert_never_garbled(console.export_text(), figures, width)


@pytest.mark.parametrize("width", [40, 60])
def test_a_narrow_terminal_gets_the_same_lines_as_a_file(
    run, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    plain = run("reconcile", KZ, "--explain").stdout
    runner = reconciled(figrecon.load(KZ), Parameters(), explain=True)
    console = Console(width=width, force_terminal=True, record=True, file=io.StringIO())
    show(runner.method, runner.figures(), console, explain=True)
    assert console.export_text() == plain


def test_the_table_fits_80_columns_and_stacks_at_40(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    wide = run("reconcile", KZ).stdout.splitlines()
    monkeypatch.setenv("COLUMNS", "40")
    narrow = run("reconcile", KZ).stdout.splitlines()
    assert wide[2].split() == ["Figure", "Range", "Best", "Confidence", "Sources"]
    assert "Sources" not in narrow[2]
    assert narrow[2] == "charged · Kazakhstan  1,650–1,750, best"


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("2022-01-06/2022-01-07", 14, ["2022-01-06/", "2022-01-07"]),
        ("killed · Kazakhstan", 14, ["killed ·", "Kazakhstan"]),
        ("9,000–12,000 (open above)", 12, ["9,000–12,000", "(open above)"]),
        ("Kazakhstan/Atyrau Region", 14, ["Kazakhstan/", "Atyrau Region"]),
        ("abcdefghij", 4, ["abcd", "efgh", "ij"]),
    ],
)
def test_text_breaks_at_spaces_then_after_a_slash(text: str, width: int, lines) -> None:
    assert [text[a:b] for a, b in spans(text, width)] == lines


def test_the_table_ends_with_a_summary_line(run) -> None:
    out = run("reconcile", KZ).stdout
    # 157 claims: 4 state no figure (a withdrawal, three assessments).
    assert out.splitlines()[-1] == (
        "36 figures from 153 claims and 4 that state no figure, resting on 20 sources"
    )
    one = run("reconcile", KZ, *NATIONAL, "--exact")
    assert one.stdout.splitlines()[-1] == (
        "1 figure from 36 claims and 4 that state no figure, resting on 9 sources"
    )


def test_markdown_ends_its_table_with_the_summary_line(run) -> None:
    out = run("reconcile", KZ, "-f", "markdown").stdout
    assert (
        "\n36 figures from 153 claims and 4 that state no figure, resting on 20 sources.\n" in out
    )


def test_markdown_keeps_every_note_sentence(run) -> None:
    out = run("reconcile", KZ, "-f", "markdown").stdout
    result = figrecon.reconcile(figrecon.load(KZ))
    notes = out.split("### Notes\n", 1)[1]
    for f in result.figures:
        for note in f.notes:
            message = re.sub(r"([\\`*_\[\]<>|#!~])", r"\\\1", note.message)
            assert f"- **{note.code.replace('-', '-')}** ({note.rule}): {message}\n" in notes


def order(out: str) -> list[str]:
    """The headlines of the figures' blocks, in order."""
    lines = out.splitlines()
    return [lines[i + 1] for i, line in enumerate(lines[:-1]) if line == "" and i > 2][:-1]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("best", lambda f: -(f["best"] or -1)),
        (
            "confidence",
            lambda f: ["high", "moderate", "low", "very low", None].index(f["confidence"]),
        ),
        ("disagreement", lambda f: -(f["ratio"] or 0)),
        ("metric", lambda f: (f["metric"], f["group"], f["location"] or "", f["period"] or "")),
    ],
)
def test_sort_orders_the_figures(run, sort: str, key) -> None:
    data = json.loads(run("reconcile", KZ, "-f", "json", "--sort", sort.upper()).stdout)
    keys = [key(f) for f in data["figures"]]
    assert keys == sorted(keys)
    assert len(keys) == 36


def test_sort_keeps_the_order_of_the_key_among_ties(run) -> None:
    data = json.loads(run("reconcile", KZ, "-f", "json", "--sort", "confidence").stdout)
    default = json.loads(run("reconcile", KZ, "-f", "json").stdout)
    low = [f["metric"] + f["group"] for f in data["figures"] if f["confidence"] == "low"]
    assert low == [f["metric"] + f["group"] for f in default["figures"] if f["confidence"] == "low"]


def test_an_unknown_sort_is_refused(run) -> None:
    result = run("reconcile", KZ, "--sort", "size")
    assert (result.exit_code, result.stderr) == (
        2,
        "--sort 'size': use best, metric, confidence, disagreement\n",
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([*NATIONAL, "--exact"], [("Kazakhstan", None)]),
        (
            [*NATIONAL, "--exact", "--period", "2022-01-04/2022-01-06"],
            [("Kazakhstan", "2022-01-04/2022-01-06")],
        ),
        (
            [*NATIONAL, "--period", "2022-01-04/2022-01-06"],
            [("Kazakhstan", "2022-01-04/2022-01-06")],
        ),
        (
            NATIONAL,
            [
                ("Kazakhstan", None),
                ("Kazakhstan", "2022-01-04/2022-01-06"),
                ("Kazakhstan/Almaty", None),
                ("Kazakhstan/Almaty Region", None),
                ("Kazakhstan/Kyzylorda Region", None),
                ("Kazakhstan/Zhambyl Region", None),
            ],
        ),
    ],
    ids=["exact", "exact-period", "period", "within"],
)
def test_reconcile_asks_for_one_figure_with_exact_and_period(run, args, expected) -> None:
    data = json.loads(run("reconcile", KZ, *args, "-f", "json").stdout)["figures"]
    assert [(f["location"], f["period"]) for f in data] == expected


@pytest.mark.parametrize("command", ["timeline", "report"])
def test_timeline_and_report_take_the_period(run, tmp_path: Path, command: str) -> None:
    target = tmp_path / ("killed.html" if command == "report" else "killed.svg")
    args = [*NATIONAL, "--exact", "--period", "2022-01-04/2022-01-06", "-o", target]
    assert run(command, KZ, *args).exit_code == 0
    assert "2022-01-04/2022-01-06" in target.read_text(encoding="utf-8")
    whole = run(command, KZ, *NATIONAL, "--period", "2022-01-04/2022-01-06")
    assert whole.exit_code == 0


def test_the_library_timeline_takes_the_period() -> None:
    found = figrecon.timeline(
        figrecon.load(KZ), metric="killed", location="Kazakhstan", period="2022-01-04/2022-01-06"
    )
    assert [(t.figure.location, t.figure.period) for t in found.figures] == [
        ("Kazakhstan", "2022-01-04/2022-01-06")
    ]
