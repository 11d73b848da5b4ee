"""`figrecon report`: one self-contained HTML file for an editor."""

from __future__ import annotations

from .app import app, edge, say
from .options import (
    MAX_INPUT_SIZE,
    AsOfOpt,
    ByOpt,
    DatasetOpt,
    EncodingOpt,
    EventOpt,
    ExactOpt,
    GroupOpt,
    InputFormatOpt,
    LangOpt,
    LocationOpt,
    MaxInputSizeOpt,
    MethodOpt,
    MetricOpt,
    OutputOpt,
    PathsArg,
    PeriodOpt,
    ProfileOpt,
    QuietOpt,
    RankOpt,
    ReleasedOpt,
    SheetOpt,
    SourcesOpt,
    WhereOpt,
    date_option,
    events_of,
    input_paths,
    load_claims,
    output_target,
    parameters_of,
    rank_list,
    size_bytes,
    write_output,
)
from .reconcile import no_figures
from .timeline import timeline_of

REPORT_EXAMPLES = """Examples:

\b
  figrecon report data/kazakhstan-2022.yaml -o report.html
      every figure of the dataset, ready to send
  figrecon report data/ --metric killed --as-of 2022-01-31 -o killed-january.html
      the death tolls as they stood at the end of January 2022"""


@app.command(epilog=REPORT_EXAMPLES)
def report(
    paths: PathsArg = None,
    output: OutputOpt = None,
    as_of: AsOfOpt = None,
    method: MethodOpt = None,
    rank: RankOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    event: EventOpt = None,
    metric: MetricOpt = None,
    group: GroupOpt = None,
    location: LocationOpt = None,
    exact: ExactOpt = False,
    period: PeriodOpt = None,
    sources: SourcesOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    input_format: InputFormatOpt = None,
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
    quiet: QuietOpt = False,
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
        limit = size_bytes(max_input_size)
        inputs = input_paths(paths)
        target = output_target(output, inputs, sources, params)
        events = events_of(by, where, released, dataset)
        claims = load_claims(
            inputs,
            sources,
            encoding,
            input_format,
            params,
            limit,
            sheet=sheet,
            typos=True,
            events=events,
        )
        filters = (event, metric, group, location, period)
        found = timeline_of(claims, params, when, filters, exact)
        if not found.figures:
            say(no_figures(len(claims), when, filters, claims))
        write_output(render(found, len(claims), claims.files), target)
