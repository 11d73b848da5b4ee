"""Drawing a figure's timeline: a chart in text for the terminal, and a picture (SVG or
PNG) for publishing. matplotlib is imported here only, when a picture is made.

Both put time on the days a statement was made, evenly spaced: a toll's first week
holds most of its statements, and a calendar axis would crowd them into a sliver."""

from __future__ import annotations

import datetime as dt
import io
import math
import string
import textwrap
from collections.abc import Callable, Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, cast

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..model import Kind, MethodBlock
from ..text import visible
from .words import CONFIDENCE_STYLE, figure_title, num, range_text, source_label

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.backend_bases import RendererBase
    from matplotlib.path import Path
    from matplotlib.typing import LineStyleType

    from ..timelines import FigureTimeline, Statement, Step

NOTED_FATES = frozenset({"withdrawn", "stale"})
"""Fates a timeline marks: the figure no longer counts."""

_LETTERS = string.ascii_uppercase + string.ascii_lowercase + string.digits


class PictureFormat(StrEnum):
    """The pictures `figrecon timeline -o` writes, known by the file's suffix."""

    svg = "svg"
    png = "png"


def top_of_scale(values: list[float]) -> float:
    """A round number at or just above the largest value: the top of the value axis."""
    largest = max([v for v in values if math.isfinite(v)], default=0.0)
    if largest <= 0:
        return 10.0
    unit = 10 ** math.floor(math.log10(largest))
    return float(next(m * unit for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * unit >= largest))


def _values(t: FigureTimeline) -> list[float]:
    """Every value the timeline shows: statements' figures and ends, the range's ends."""
    out: list[float] = []
    for s in t.statements:
        if s.drawn:
            out += [v for v in (s.point, s.low, s.high) if v is not None]
    for step in t.band:
        out += [v for v in (step.low, step.best, step.high) if v is not None]
    return out


def _y(s: Statement) -> float:
    assert s.point is not None, "only statements with a figure are drawn"
    return s.point


def _when(s: Statement) -> dt.date:
    assert s.stated_on is not None, "only dated statements are drawn"
    return s.stated_on


def _head(t: FigureTimeline) -> tuple[str, str]:
    """The figure's title and where it stands now, as one line each."""
    f = t.figure.model_dump()
    now = range_text(f) + (f", best {num(f['best'])}" if f["best"] is not None else "")
    if f["confidence"]:
        now += f", {f['confidence']} confidence"
    return visible(f"{figure_title(f, ' · ')} · {f['event']}"), visible(now)


def method_line(method: MethodBlock, version: str) -> str:
    """How the figures were made, in one line: version, method, profile, date."""
    when = f", as of {method.as_of}" if method.as_of else ""
    return f"figrecon {version}: method {method.name}, profile {visible(method.profile)}{when}"


# --- the chart in the terminal ---------------------------------------------------------


def letters(t: FigureTimeline) -> dict[str, str]:
    """A letter for each originator: those with dated figures first, in the order of
    their first figure, then the others (assessments, withdrawals, undated figures)."""
    order = dict.fromkeys([*(name for name, _ in t.series), *(s.source for s in t.statements)])
    return {name: _LETTERS[i] if i < len(_LETTERS) else "+" for i, name in enumerate(order)}


def chart(t: FigureTimeline, method: MethodBlock, version: str, width: int = 80) -> Group:
    """One figure's timeline in text: a line for each day a statement was made, the
    range as it stood that day drawn across, each statement as its originator's letter;
    then the letters and the symbols."""
    title, now = _head(t)
    span = max(20, min(60, width - 42))
    top = top_of_scale(_values(t))
    mark = letters(t)

    def at(value: float) -> int:
        return min(span - 1, max(0, round(value / top * (span - 1))))

    table = Table(box=None, show_header=False, pad_edge=False, padding=(0, 1))
    table.add_column("day", no_wrap=True)
    table.add_column("chart", no_wrap=True, width=span)
    table.add_column("said", overflow="fold")
    table.add_row(Text(""), _scale(top, span), Text("statements", style="dim"))
    for step in t.band:
        said = [s for s in t.statements if s.stated_on == step.day]
        cells = _cells(step, [s for s in said if s.drawn], span, at, mark)
        table.add_row(Text(step.day.isoformat()), cells, _said(said, mark))
    legend = [
        Text(f"{letter}  ") + Text(visible(source_label(name))) for name, letter in mark.items()
    ]
    symbols = [
        Text("░ the range as it stood that day   ┃ best   » open above", style="dim"),
        Text("› at least   ‹ at most   × withdrawn   letters: the sources below", style="dim"),
    ]
    blocks: list[Any] = [
        Text(title, style="bold"),
        Text("Now: ") + Text(now, style=CONFIDENCE_STYLE.get(t.figure.confidence or "", "")),
        table if t.band else Text("No dated statement: nothing to draw over time."),
        *symbols,
        *legend,
    ]
    if t.undrawn:
        blocks.append(Text("Not on the chart (undated): " + _listed(t.undrawn), style="dim"))
    blocks.append(Text(method_line(method, version), style="dim"))
    return Group(*blocks)


def _scale(top: float, span: int) -> Text:
    """The value axis as a line of labels: 0 at the left, the top at the right."""
    line = [" "] * span
    for share in (0.0, 0.5, 1.0):
        label = num(top * share)
        start = round(share * (span - 1)) - round(share * (len(label) - 1))
        for i, ch in enumerate(label):
            if 0 <= start + i < span:
                line[start + i] = ch
    return Text("".join(line), style="dim")


def _cells(
    step: Step, said: list[Statement], span: int, at: Callable[[float], int], mark: dict[str, str]
) -> Text:
    """One day across the chart: the range, best, and each figure said that day."""
    cells = [" "] * span
    styles = [""] * span
    if step.best is not None and step.low is not None and step.high is not None:
        for i in range(at(step.low), at(step.high) + 1):
            cells[i] = "░"
        cells[at(step.best)] = "┃"
        if step.open_upper and at(step.high) + 1 < span:
            cells[at(step.high) + 1] = "»"
    for s in said:
        i = at(_y(s))
        if s.fate == "withdrawn":
            cells[i], styles[i] = "×", "red"
            continue
        cells[i], styles[i] = mark[s.source], "dim" if s.fate == "stale" else "bold"
        side = 1 if s.kind is Kind.lower_bound else -1 if s.kind is Kind.upper_bound else 0
        if side and 0 <= i + side < span and cells[i + side] in " ░┃»":
            cells[i + side] = "›" if side > 0 else "‹"
    text = Text()
    for ch, style in zip(cells, styles, strict=True):
        text.append(ch, style=style or ("dim" if ch in "░»" else ""))
    return text


def _said(said: list[Statement], mark: dict[str, str]) -> Text:
    """What was said that day: `B 225 ×3`, `A 164 withdrawn`; repeats counted once."""
    counted: dict[tuple[str, str, str], int] = {}
    for s in said:
        value = s.value
        if s.retracts:
            value = "withdraws " + (
                s.retracts[0] if len(s.retracts) == 1 else f"{len(s.retracts)} claims"
            )
        key = (mark[s.source], value, s.fate)
        counted[key] = counted.get(key, 0) + 1
    text = Text()
    for n, ((letter, value, fate), times) in enumerate(counted.items()):
        if n:
            text.append("; ")
        text.append(letter, style="bold")
        text.append(" " + visible(value))
        if times > 1:
            text.append(f" ×{times}")
        if fate in NOTED_FATES:
            text.append(f" {fate}", style="red" if fate == "withdrawn" else "dim")
    return text


def _listed(statements: list[Statement]) -> str:
    return "; ".join(visible(f"{s.id} {s.value} ({source_label(s.source)})") for s in statements)


# --- the picture ------------------------------------------------------------------------

_PALETTE = (
    "#0072B2",
    "#D55E00",
    "#009E73",
    "#CC79A7",
    "#E69F00",
    "#56B4E9",
    "#8C564B",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
    "#9467BD",
    "#332288",
)
"""Colours told apart with the common colour-vision deficiencies (Okabe and Ito first)."""

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

_RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # text stays text: searchable, editable, screen-readable
    "svg.hashsalt": "figrecon",  # the same picture gives the same file
    "text.parse_math": False,  # a `$` in a source's name is a dollar, not math
    "font.family": "DejaVu Sans",
    "font.size": 9,
}

_BAND = "#cfcfcf"
_GREY = "#444444"
_ASSESSED = "#777777"


def picture(t: FigureTimeline, method: MethodBlock, version: str, kind: PictureFormat) -> bytes:
    """One figure's timeline as an SVG or PNG file: each originator's statements, the
    range and BEST as they stood each day, withdrawn (×) and stale (hollow, faint)
    claims marked, assessments as dotted lines; a legend and a footnote on the method.

    The SVG's groups have stable ids (`band`, `best`, `band-open`, `series-N` for the
    Nth originator of `series`, `assessment-N`, `legend`) so that a page or a test can
    find them; its text stays text."""
    from matplotlib import rc_context
    from matplotlib.figure import Figure, SubFigure

    foot = method_line(method, version)
    if t.undrawn:
        foot += ". Not drawn (undated): " + _listed(t.undrawn)
    lines = textwrap.wrap(foot, 160)
    with rc_context(_RC):
        fig = Figure(figsize=(10, 6.4 + 0.13 * len(lines)), layout="constrained")
        # The footnote gets its own strip under the chart and its legend.
        parts = fig.subfigures(2, 1, height_ratios=[6.4, 0.13 * len(lines)])
        upper, lower = cast("list[SubFigure]", parts)
        ax = upper.add_subplot()
        _draw(ax, t)
        legend = upper.legend(
            handles=_legend_handles(t),
            loc="outside lower center",
            ncols=2,
            frameon=False,
            fontsize=8,
        )
        legend.set_gid("legend")
        title, now = _head(t)
        ax.set_title(title, loc="left", fontsize=12, fontweight="bold", pad=20)
        ax.text(0, 1.015, f"Now: {now}", transform=ax.transAxes, fontsize=10)
        lower.text(0.01, 0.5, "\n".join(lines), fontsize=7, color="#555555", va="center")
        # No date, and figrecon as the maker: the same timeline makes the same file.
        maker = f"figrecon {version}"
        metadata: dict[str, Any] = (
            {"Creator": maker, "Date": None} if kind is PictureFormat.svg else {"Software": maker}
        )
        out = io.BytesIO()
        fig.savefig(out, format=kind.value, dpi=150, metadata=metadata)
    return out.getvalue()


def _day(day: dt.date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _style(n: int) -> tuple[str, LineStyleType]:
    """The colour and line of the Nth originator: dashed once the colours run out."""
    return _PALETTE[n % len(_PALETTE)], "-" if n < len(_PALETTE) else "--"


def _draw(ax: Axes, t: FigureTimeline) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.text import Text as Label
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    days = t.days
    where = {day: i for i, day in enumerate(days)}
    top = top_of_scale(_values(t))
    ax.set_xlim(-0.5, max(len(days), 1) - 0.5)
    ax.set_ylim(0, top * 1.04)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: num(v)))
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    every = max(1, math.ceil(len(days) / 28))
    ax.set_xticks(range(0, len(days), every))
    ax.set_xticklabels([_day(d) for d in days[::every]], rotation=45, ha="right")
    ax.set_xlabel("day of statement (days with a statement, evenly spaced)")
    ax.set_ylabel(visible(t.figure.metric.replace("_", " ")))

    _band(ax, t)
    for n, (_, statements) in enumerate(t.series):
        colour, line = _style(n)
        parts: list[Artist] = []
        live = [s for s in statements if s.fate != "withdrawn"]
        if live:
            parts.append(
                Line2D(
                    [where[_when(s)] for s in live],
                    [_y(s) for s in live],
                    drawstyle="steps-post",
                    color=colour,
                    linestyle=line,
                    linewidth=1.4,
                    alpha=0.8,
                )
            )
        for s in statements:
            parts += _marks(s, where[_when(s)], colour)
        ax.add_artist(_group(parts, f"series-{n}", ax, zorder=3))
    assessed = [s for s in t.statements if s.assessment is not None and s.stated_on]
    for n, s in enumerate(assessed):
        x = where[_when(s)]
        said = visible(f"{s.assessment}: {source_label(s.source)}")
        mark = Line2D([x, x], [0, 1], color=_ASSESSED, linestyle=":", linewidth=1)
        mark.set_transform(ax.get_xaxis_transform())
        label = Label(
            x + 0.08,
            top * 0.02,
            textwrap.shorten(said, 48, placeholder=" …"),
            rotation=90,
            fontsize=7,
            color="#555555",
            va="bottom",
        )
        ax.add_artist(_group([mark, label], f"assessment-{n}", ax, zorder=2.5))


def _band(ax: Axes, t: FigureTimeline) -> None:
    """The range and BEST as they stood: steps that hold until the next day, and past
    the last one to the edge."""
    if not t.band:
        return
    xs = [*range(len(t.band)), len(t.band) - 0.5]
    steps = [*t.band, t.band[-1]]

    def col(name: str, open_only: bool = False) -> list[float]:
        values = [getattr(s, name) for s in steps]
        return [
            math.nan if v is None or (open_only and not s.open_upper) else float(v)
            for v, s in zip(values, steps, strict=True)
        ]

    band = ax.fill_between(
        xs, col("low"), col("high"), step="post", color=_BAND, alpha=0.7, linewidth=0, zorder=1
    )
    band.set_gid("band")
    (best,) = ax.plot(xs, col("best"), drawstyle="steps-post", color="black", linewidth=2, zorder=2)
    best.set_gid("best")
    if any(s.open_upper for s in t.band):
        (edge,) = ax.plot(
            xs,
            col("high", open_only=True),
            drawstyle="steps-post",
            color="#888888",
            linestyle="--",
            linewidth=1.2,
            zorder=2,
        )
        edge.set_gid("band-open")


def _marks(s: Statement, x: int, colour: str) -> Iterator[Artist]:
    """A statement's mark: ● a figure, an arrow from the figure for a bound (at least:
    up, open-ended; at most: down), a bar for a range or a vague word, × withdrawn;
    faint and hollow when stale."""
    from matplotlib.lines import Line2D

    faint = 0.45 if s.fate == "stale" else 1.0
    if s.kind in (Kind.range, Kind.vague) and s.low is not None and s.high is not None:
        yield Line2D([x, x], [s.low, s.high], color=colour, linewidth=3, alpha=0.35 * faint)
    style: dict[str, Any] = {"color": colour, "alpha": faint}
    if s.fate == "withdrawn":
        style |= {"marker": "x", "markersize": 7, "mew": 1.8}
    elif s.kind in (Kind.lower_bound, Kind.upper_bound):
        arrow = _bound_marker(up=s.kind is Kind.lower_bound)
        style |= {"marker": arrow, "markersize": 18, "mew": 1.6, "mfc": "none"}
    else:
        face = "white" if s.fate == "stale" else colour
        style |= {"marker": "o", "markersize": 6.5, "mew": 1.3, "mfc": face}
    yield Line2D([x], [_y(s)], **style)


def _bound_marker(up: bool) -> Path:
    """⊥ with an arrow: a bar at the figure and an arrow away from it, up for a lower
    bound (no upper limit), down for an upper bound."""
    from matplotlib.path import Path

    d = 1 if up else -1
    move, line = Path.MOVETO, Path.LINETO
    return Path(
        [(-0.4, 0), (0.4, 0), (0, 0), (0, d), (-0.35, 0.6 * d), (0, d), (0.35, 0.6 * d)],
        [move, line, move, line, move, line, line],
    )


def _group(parts: list[Artist], gid: str, ax: Axes, zorder: float) -> Artist:
    """Artists drawn as one SVG group with the id `gid` (matplotlib gives each artist
    its own group), above the band (zorder 1) and BEST (2)."""
    from matplotlib.artist import Artist as Base

    class _Group(Base):
        def draw(self, renderer: RendererBase) -> None:
            renderer.open_group("group", gid=self.get_gid())
            for part in parts:
                part.draw(renderer)
            renderer.close_group("group")

    for part in parts:
        part.set_figure(ax.figure)
        part.axes = ax
        if not part.is_transform_set():
            part.set_transform(ax.transData)
        part.set_clip_path(ax.patch)
    group = _Group()
    group.set_gid(gid)
    group.set_zorder(zorder)
    return group


def _legend_handles(t: FigureTimeline) -> list[Artist]:
    """One entry per originator, then what the marks and the band mean (those shown)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list[Artist] = []
    for n, (name, _) in enumerate(t.series):
        colour, line = _style(n)
        label = textwrap.shorten(visible(source_label(name)), 70, placeholder=" …")
        handles.append(Line2D([], [], color=colour, linestyle=line, marker="o", label=label))
    drawn = [s for s in t.statements if s.drawn]
    kinds = {s.kind for s in drawn if s.fate != "withdrawn"}
    fates = {s.fate for s in drawn}

    def mark(shape: str | Path, label: str, **style: Any) -> Line2D:
        return Line2D([], [], linestyle="", marker=shape, color=_GREY, label=label, **style)

    handles.append(mark("o", "figure as stated"))
    if Kind.lower_bound in kinds:
        arrow = _bound_marker(up=True)
        handles.append(mark(arrow, "at least: no upper limit", markersize=14, mfc="none"))
    if Kind.upper_bound in kinds:
        handles.append(mark(_bound_marker(up=False), "at most", markersize=14, mfc="none"))
    if "withdrawn" in fates:
        handles.append(mark("x", "withdrawn", mew=1.8))
    if "stale" in fates:
        handles.append(mark("o", "stale: set aside as history", mfc="white", alpha=0.45))
    handles.append(Patch(color=_BAND, alpha=0.7, label="reconciled range (LOW–HIGH) as it stood"))
    handles.append(Line2D([], [], color="black", linewidth=2, label="BEST as it stood"))
    if any(s.open_upper for s in t.band):
        handles.append(Line2D([], [], color="#888888", linestyle="--", label="range open above"))
    if any(s.assessment is not None for s in t.statements):
        handles.append(
            Line2D([], [], color=_ASSESSED, linestyle=":", label="assessment of the figure")
        )
    return handles
