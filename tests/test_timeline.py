"""`figrecon timeline` and `figrecon.timeline`: every originator's statements by day,
and the reconciled range as it stood on each day a statement was made; as data, as a
chart in text, and as an SVG or PNG picture. The worked example is synthetic (invented
bodies and dates); `data/` is the shipped, real dataset."""

from __future__ import annotations

import datetime as dt
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import figrecon
from figrecon.render.timeline import PictureFormat, picture
from figrecon.timelines import FigureTimeline, Timeline

Run = Callable[..., Any]
FIXTURES = Path(__file__).parent / "fixtures"
WORKED = FIXTURES / "worked-example.yaml"
KZ = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def worked() -> Timeline:
    return figrecon.timeline(figrecon.load([WORKED]))


def only(timeline: Timeline) -> FigureTimeline:
    assert len(timeline.figures) == 1
    return timeline.figures[0]


# --- the data ---------------------------------------------------------------------------


def test_the_band_has_a_step_for_each_day_a_claim_of_the_figure_was_stated() -> None:
    days = [step.day for step in only(worked()).band]
    assert days == [dt.date(2022, 1, d) for d in (1, 2, 3, 20, 21, 22)]


def test_each_step_is_the_figure_that_reconcile_gives_as_of_that_day() -> None:
    claims = figrecon.load([WORKED])
    for step in only(figrecon.timeline(claims)).band:
        (then,) = figrecon.reconcile(claims, as_of=step.day).figures
        assert (step.low, step.best, step.high, step.open_upper, step.confidence) == (
            then.low,
            then.best,
            then.high,
            then.open_upper,
            then.confidence,
        )


def test_each_step_of_a_figure_among_others_is_reconcile_of_every_claim_that_day() -> None:
    """Each day is reconciled on the claims of the figure's event and metric only; the
    figures are those of the whole dataset."""
    claims = figrecon.load([KZ])
    key = {"metric": "killed", "group": "total", "location": "Kazakhstan"}
    one = only(figrecon.timeline(claims, **key, exact=True))
    for step in one.band:
        then = next(
            f
            for f in figrecon.reconcile(claims, as_of=step.day, **key).figures
            if f.key == one.figure.key
        )
        assert (step.low, step.best, step.high, step.open_upper, step.confidence) == (
            then.low,
            then.best,
            then.high,
            then.open_upper,
            then.confidence,
        )


def test_the_figure_is_the_one_reconcile_gives_now() -> None:
    claims = figrecon.load([WORKED])
    (now,) = figrecon.reconcile(claims, explain=True).figures
    assert only(figrecon.timeline(claims)).figure == now


def test_each_originator_is_one_series_of_its_dated_figures_in_order_of_the_first() -> None:
    series = [(name, [s.id for s in said]) for name, said in only(worked()).series]
    assert series == [
        ("Government", ["w1"]),
        ("Health Ministry", ["w2", "w3"]),
        ("Prosecutor's Office", ["w5", "w6"]),
        ("Rights Group", ["w7"]),
    ]


def test_every_claim_of_the_figure_keeps_its_fate_and_provenance() -> None:
    statements = {s.id: s for s in only(worked()).statements}
    assert {i: s.fate for i, s in statements.items()} == {
        "w1": "stale",
        "w2": "withdrawn",
        "w3": "withdrawn",
        "w4": "retraction",
        "w5": "used",
        "w6": "used",
        "w7": "used",
    }
    assert (statements["w4"].retracts, statements["w4"].point) == (["w2"], None)
    assert statements["w6"].via == "Wire"


@pytest.mark.parametrize(
    ("claim", "kind", "low", "high", "point"),
    [
        ("w1", "vague", 24, 99, 24),
        ("w5", "exact", 225, 225, 225),
        ("w7", "lower_bound", 230, None, 230),
    ],
)
def test_a_statement_carries_how_its_words_were_read(
    claim: str, kind: str, low: float, high: float | None, point: float
) -> None:
    s = next(s for s in only(worked()).statements if s.id == claim)
    assert (s.kind, s.low, s.high, s.point) == (kind, low, high, point)


def test_undated_figures_are_kept_but_have_no_place_on_the_axis() -> None:
    claims = figrecon.load([KZ])
    one = only(
        figrecon.timeline(claims, metric="killed", group="total", location="Kazakhstan", exact=True)
    )
    assert [s.id for s in one.undrawn] == ["kz-151", "kz-152", "kz-153"]
    assert all(s.stated_on is not None for _, said in one.series for s in said)


def test_exact_keeps_the_location_itself_without_its_places_or_periods() -> None:
    claims = figrecon.load([KZ])
    wide = figrecon.timeline(claims, metric="killed", group="total", location="Kazakhstan")
    exact = figrecon.timeline(
        claims, metric="killed", group="total", location="Kazakhstan", exact=True
    )
    assert len(wide.figures) > 1
    assert [t.figure.key for t in exact.figures] == [
        ("kazakhstan-2022-01", "killed", "total", "Kazakhstan", "")
    ]


def test_as_of_leaves_out_what_was_stated_later() -> None:
    one = only(figrecon.timeline(figrecon.load([WORKED]), as_of=dt.date(2022, 1, 3)))
    assert [step.day for step in one.band] == [dt.date(2022, 1, d) for d in (1, 2, 3)]
    assert one.figure.best == one.band[-1].best
    assert {s.id for s in one.statements} == {"w1", "w2", "w3", "w4"}


def test_the_library_exports_timeline_even_after_its_module_is_imported() -> None:
    import figrecon.timelines

    assert figrecon.timeline is figrecon.timelines.timeline
    assert figrecon.Timeline is Timeline


# --- the chart in text ---------------------------------------------------------------------


def row(day: str, cells: str, said: str) -> str:
    """A line of the chart at 80 columns: the day, 38 columns of chart, what was said."""
    return f"{day}  {cells.ljust(38)}  {said}"


def test_the_chart_draws_a_line_for_each_day_with_each_statement_as_its_sources_letter(
    run: Run,
) -> None:
    result = run("timeline", WORKED)
    assert result.exit_code == 0
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[:2] == [
        "killed · Exampleland · worked-example",
        "Now: 225–240 (open above), best 230, moderate confidence",
    ]
    assert lines[2].split() == ["0", "125", "250", "statements"]
    rows = {line[:10]: line for line in lines if line[:4] == "2022"}
    assert list(rows) == [f"2022-01-{d:02}" for d in (1, 2, 3, 20, 21, 22)]
    # 164 of 250 on a scale of 38 columns (0 to 37) is column 24; 225 is column 33.
    assert rows["2022-01-02"] == row("2022-01-02", " " * 24 + "×", "B 164 ×2 withdrawn")
    assert rows["2022-01-20"] == row("2022-01-20", " " * 33 + "C", "C 225")
    assert rows["2022-01-03"].endswith(" B withdraws w2")
    assert rows["2022-01-01"].endswith(" A dozens stale")
    assert lines[-5:] == [
        "A  Government",
        "B  Health Ministry",
        "C  Prosecutor's Office",
        "D  Rights Group",
        "figrecon 0.1.0: method agreement, profile default",
    ]


def test_the_chart_reads_at_80_columns(run: Run) -> None:
    out = run(
        "timeline", KZ, "--metric", "killed", "--group", "total", "--location", "Kazakhstan"
    ).stdout
    assert max(len(line.rstrip()) for line in out.splitlines()) <= 80


def test_the_chart_marks_a_lower_bound_and_the_open_range(run: Run) -> None:
    out = run("timeline", WORKED).stdout
    line = next(line for line in out.splitlines() if line.startswith("2022-01-22"))
    # The range 225-240 (columns 33 to 36) open above (37), D's "at least 230" at the
    # best (column 34) with its bound beside it.
    assert line.rstrip() == row("2022-01-22", " " * 33 + "░D›░»", "D at least 230")


def test_a_chart_for_each_figure_selected(run: Run) -> None:
    out = run("timeline", KZ, "--metric", "killed", "--location", "Kazakhstan/Almaty").stdout
    titles = [line for line in out.splitlines() if line.startswith("killed")]
    assert titles == [
        "killed · assailants · Kazakhstan/Almaty · kazakhstan-2022-01",
        "killed · protesters · Kazakhstan/Almaty · kazakhstan-2022-01",
        "killed · security forces · Kazakhstan/Almaty · kazakhstan-2022-01",
        "killed · Kazakhstan/Almaty · kazakhstan-2022-01",
        "killed · unclassified · Kazakhstan/Almaty · kazakhstan-2022-01",
    ]


def test_the_chart_shows_the_data_as_text_never_as_markup_or_controls(
    run: Run, write: Callable[[str, str], Path]
) -> None:
    claims = write(
        "hostile.yaml",
        "# Synthetic claims.\nevent: e\nlocation: L\nclaims:\n"
        '  - {id: h1, metric: killed, value: "5", source: "[bold]x[/bold] \\e[31m", '
        "stated_on: 2022-01-01}\n",
    )
    out = run("timeline", claims).stdout
    assert "A  [bold]x[/bold] \\x1b[31m" in out.splitlines()


def test_a_figure_with_no_dated_statement_says_so(
    run: Run, write: Callable[[str, str], Path]
) -> None:
    claims = write(
        "undated.yaml",
        "# Synthetic claims.\nevent: e\nlocation: L\nsources: {s: {name: S, type: ngo}}\n"
        "claims:\n  - {id: u1, metric: killed, value: '5', source: s, stated_on: undated}\n",
    )
    lines = run("timeline", claims).stdout.splitlines()
    assert lines[2:3] == ["No dated statement: nothing to draw over time."]
    assert "Not on the chart (undated): u1 5 (S)" in lines


def test_no_figures_says_why(run: Run) -> None:
    result = run("timeline", WORKED, "--metric", "injured")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "No figures: no claims match the filters; no claim has metric `injured`.\n"
    )


# --- the picture ---------------------------------------------------------------------------


def svg_of(one: FigureTimeline, timeline: Timeline) -> ET.Element:
    return ET.fromstring(picture(one, timeline.method, timeline.figrecon, PictureFormat.svg))


def texts(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]


def ids(svg: ET.Element) -> set[str]:
    return {e.get("id", "") for e in svg.iter() if e.get("id")}


def test_the_svg_holds_one_series_per_originator_the_band_and_best() -> None:
    timeline = worked()
    found = ids(svg_of(only(timeline), timeline))
    assert {i for i in found if i.startswith("series-")} == {f"series-{n}" for n in range(4)}
    assert {"band", "best", "band-open", "legend"} <= found


def test_the_svg_labels_sources_days_marks_and_the_figure() -> None:
    timeline = worked()
    shown = texts(svg_of(only(timeline), timeline))
    for label in (
        "killed · Exampleland · worked-example",
        "Now: 225–240 (open above), best 230, moderate confidence",
        "Government",
        "Health Ministry",
        "Prosecutor's Office",
        "Rights Group",
        "1 Jan 2022",
        "22 Jan 2022",
        "withdrawn",
        "stale: set aside as history",
        "at least: no upper limit",
        "reconciled range (LOW–HIGH) as it stood",
        "BEST as it stood",
        "range open above",
        "day of statement (days with a statement, evenly spaced)",
        "figrecon 0.1.0: method agreement, profile default",
    ):
        assert label in shown


def test_the_svg_marks_assessments_and_lists_undated_figures() -> None:
    claims = figrecon.load([KZ])
    timeline = figrecon.timeline(
        claims, metric="killed", group="total", location="Kazakhstan", exact=True
    )
    svg = svg_of(only(timeline), timeline)
    assert {i for i in ids(svg) if i.startswith("assessment-")} == {
        "assessment-0",
        "assessment-1",
        "assessment-2",
    }
    shown = texts(svg)
    assert "unverified: UN Human Rights Office (OHCHR)" in shown
    assert "assessment of the figure" in shown
    assert any("Not drawn (undated): kz-151 164 (English Wikipedia" in t for t in shown)


def test_the_svg_shows_source_names_as_text_never_as_math_markup_or_controls(
    write: Callable[[str, str], Path],
) -> None:
    claims = write(
        "hostile.yaml",
        "# Synthetic claims.\nevent: e\nlocation: L\nclaims:\n"
        '  - {id: h1, metric: killed, value: "5", source: "$\\\\alpha$ <b>x</b> \\e[31m", '
        "stated_on: 2022-01-01}\n",
    )
    timeline = figrecon.timeline(figrecon.load([claims]))
    svg = picture(only(timeline), timeline.method, timeline.figrecon, PictureFormat.svg)
    assert "$\\alpha$ <b>x</b> \\x1b[31m" in texts(ET.fromstring(svg))
    assert b"<b>" not in svg


def test_the_same_timeline_makes_the_same_svg() -> None:
    timeline = worked()
    one = only(timeline)
    first = picture(one, timeline.method, timeline.figrecon, PictureFormat.svg)
    assert picture(one, timeline.method, timeline.figrecon, PictureFormat.svg) == first


def test_the_png_is_a_png_150_dots_an_inch_across_10_inches() -> None:
    timeline = worked()
    png = picture(only(timeline), timeline.method, timeline.figrecon, PictureFormat.png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, _ = struct.unpack(">II", png[16:24])
    assert width == 1500


@pytest.mark.parametrize(("suffix", "start"), [(".svg", b"<?xml"), (".png", b"\x89PNG")])
def test_o_writes_the_picture_by_its_suffix(
    run: Run, tmp_path: Path, suffix: str, start: bytes
) -> None:
    target = tmp_path / f"killed{suffix}"
    result = run("timeline", WORKED, "-o", target)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", f"Wrote {target}\n")
    assert target.read_bytes().startswith(start)


def test_o_refuses_a_suffix_it_cannot_draw(run: Run, tmp_path: Path) -> None:
    result = run("timeline", WORKED, "-o", tmp_path / "killed.pdf")
    assert result.exit_code == 2
    assert result.stderr == (
        f"-o {tmp_path / 'killed.pdf'}: write a .svg or .png file (without -o the chart is "
        "shown in text)\n"
    )


def test_o_draws_one_figure_and_says_how_to_narrow_the_filters(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "killed.svg"
    result = run(
        "timeline", KZ, "--metric", "killed", "--location", "Kazakhstan/Almaty", "-o", target
    )
    assert result.exit_code == 2
    assert result.stderr == (
        f"-o {target}: a picture shows one figure, and the filters select 5: killed · "
        "assailants · Kazakhstan/Almaty; killed · protesters · Kazakhstan/Almaty; killed · "
        "security forces · Kazakhstan/Almaty; killed · Kazakhstan/Almaty; killed · "
        "unclassified · Kazakhstan/Almaty; narrow them with --event, --metric, --group, "
        "--location, --period (--exact leaves out the places within a location and counts "
        "over a period)\n"
    )
    assert not target.exists()


def test_timeline_help_gives_examples_and_says_a_picture_needs_o(run: Run) -> None:
    out = run("timeline", "--help").stdout
    assert "A picture needs -o FILE.svg or -o FILE.png" in " ".join(out.split())
    assert (
        "figrecon timeline data/ --metric killed --group total --location Kazakhstan --exact -o"
        in out
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["--version"],
        ["--help"],
        ["parse", "some 9,900"],
        ["timeline", "--help"],
        ["report", "--help"],
    ],
)
def test_start_up_imports_no_plotting_nor_data_libraries(argv: list[str]) -> None:
    code = (
        f"import sys; from figrecon.cli import main; main({argv!r}); "
        "print(sorted(m for m in ('matplotlib', 'pandas', 'numpy') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_chart_in_text_does_not_import_matplotlib() -> None:
    code = (
        f"import sys; from figrecon.cli import main; main(['timeline', {str(WORKED)!r}]); "
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


@pytest.mark.parametrize("command", ["reconcile", "timeline"])
def test_an_empty_filter_is_named(run: Run, command: str) -> None:
    """`--location ''` said "no claim was stated by None"."""
    result = run(command, WORKED, "--location", "")
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        "No figures: no claims match the filters; --location is empty: give a value, or "
        "leave the option out.\n"
    )
