"""`figrecon timeline`: how each source's figure moved, with the reconciled range as it
stood on each day a statement was made; in text, or as a picture to publish."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import app, edge, say, stdout
from .bundles import Filters, Inputs, bundled
from .options import (
    AsOfOpt,
    LangOpt,
    MethodOpt,
    PathsArg,
    ProfileOpt,
    RankOpt,
    date_option,
    input_paths,
    parameters_of,
    rank_list,
    write_output,
)
from .reconcile import why_no_figures

if TYPE_CHECKING:
    from ..config import Parameters
    from ..loading import Claims
    from ..render.timeline import PictureFormat
    from ..timelines import Timeline


TIMELINE_EXAMPLES = """Examples:

\b
  figrecon timeline data/ --metric killed --group total --location Kazakhstan --exact
      the national death toll as a chart in text: a line for each day a statement was made
  figrecon timeline data/ --metric killed --group total --location Kazakhstan --exact -o k.svg
      the same as a picture to publish (-o k.png for PNG)
  figrecon timeline data/ --metric detained
      a chart for each detention figure, one after another"""


@app.command(epilog=TIMELINE_EXAMPLES)
@bundled
def timeline(
    paths: PathsArg = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="Draw a picture to this file instead: FILE.svg or FILE.png (of one figure); "
            "whole, replacing the old file in one step.",
        ),
    ] = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = None,
    rank: RankOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    filters: Filters = Filters(),
    inputs: Inputs = Inputs(),
) -> None:
    """How each source's figure moved over time, with the reconciled range and best as
    they stood on each day a statement was made.

    Without -o: a chart in text for each figure the filters select. A picture needs
    -o FILE.svg or -o FILE.png, and filters that select one figure."""
    from ..render.timeline import chart, picture

    with edge():
        params = parameters_of(
            {"method": method, "rank": rank_list(rank), "profile": profile, "lang": lang}
        )
        when = date_option(as_of, "--as-of")
        read = input_paths(paths)
        target = inputs.target(output, read, params)
        kind = None if target is None else _picture_format(target)
        claims = inputs.load(read, params, typos=True)
        found = timeline_of(claims, params, when, filters)
        if not found.figures:
            say(why_no_figures(claims, when, filters))
            return
        if target is None or kind is None:
            out = stdout()
            for n, one in enumerate(found.figures):
                if n:
                    out.print()
                out.print(chart(one, found.method, found.figrecon, out.width), soft_wrap=False)
            return
        if len(found.figures) > 1:
            raise UsageError(
                f"-o {target}: a picture shows one figure, and the filters select "
                f"{len(found.figures)}: {_titles(found)}; narrow them with --event, --metric, "
                "--group, --location, --period (--exact leaves out the places within a "
                "location and counts over a period)"
            )
        write_output(picture(found.figures[0], found.method, found.figrecon, kind), target)


def _picture_format(target: Path) -> PictureFormat:
    """The picture to draw, known by the -o file's suffix."""
    from ..render.timeline import PictureFormat

    try:
        return PictureFormat(target.suffix.lower().lstrip("."))
    except ValueError:
        raise UsageError(
            f"-o {target}: write a .svg or .png file (without -o the chart is shown in text)"
        ) from None


def timeline_of(
    claims: Claims,
    params: Parameters,
    when: dt.date | None,
    filters: Filters,
) -> Timeline:
    from ..timelines import timeline as run

    return run(claims, params, as_of=when, **dataclasses.asdict(filters))


def _titles(found: Timeline, most: int = 5) -> str:
    """The first figures of a timeline by name, for a message."""
    from ..render.words import figure_title

    names = [figure_title(one.figure.model_dump(), " · ") for one in found.figures[:most]]
    more = len(found.figures) - most
    return "; ".join(names) + (f"; and {more} more" if more > 0 else "")
