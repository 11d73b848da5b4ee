"""`figrecon report`: one self-contained HTML file for an editor."""

from __future__ import annotations

from ..errors import UsageError
from .app import app, edge, say
from .bundles import Filters, Inputs, bundled
from .options import (
    AsOfOpt,
    LangOpt,
    MethodOpt,
    OutputOpt,
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
from .timeline import timeline_of

REPORT_EXAMPLES = """Examples:

\b
  figrecon report data/kazakhstan-2022.yaml -o report.html
      every figure of the dataset, ready to send
  figrecon report data/ --metric killed --as-of 2022-01-31 -o killed-january.html
      the death tolls as they stood at the end of January 2022"""


@app.command(epilog=REPORT_EXAMPLES)
@bundled
def report(
    paths: PathsArg = None,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = None,
    rank: RankOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    filters: Filters = Filters(),
    inputs: Inputs = Inputs(),
) -> None:
    """One self-contained HTML file for an editor: a summary, the figures, and for each
    figure its timeline, notes, the claims used and set aside, and the sources with
    their addresses and quotes; then the method. It loads nothing from the network."""
    from ..render.html import render

    with edge():
        params = parameters_of(
            {"method": method, "rank": rank_list(rank), "profile": profile, "lang": lang}
        )
        when = date_option(as_of, "--as-of")
        read = input_paths(paths)
        target = inputs.target(output, read, params)
        # A name of another format (x.pdf); one without a suffix (/dev/stdout) is left.
        if target is not None and target.suffix.lower() not in ("", ".html", ".htm"):
            raise UsageError(
                f"-o {target}: the report is an HTML page; write a .html file (a browser "
                "prints it to PDF)"
            )
        claims = inputs.load(read, params, typos=True)
        found = timeline_of(claims, params, when, filters)
        if not found.figures:
            say(why_no_figures(claims, when, filters))
        write_output(render(found, len(claims), claims.files), target)
