"""`figrecon check`: a dataset lint for CI."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from ..checks.codes import help_text as codes_help
from .app import EXIT_FINDINGS, EXIT_USAGE, app, edge, stdout
from .options import (
    MAX_INPUT_SIZE,
    EncodingOpt,
    InputFormatOpt,
    LangOpt,
    MaxInputSizeOpt,
    OutputOpt,
    PathsArg,
    ProfileOpt,
    QuietOpt,
    SheetOpt,
    SourcesOpt,
    choose_format,
    input_format_of,
    input_paths,
    one_registry,
    output_target,
    size_bytes,
    write_output,
)

if TYPE_CHECKING:
    pass


def _codes(values: list[str] | None) -> list[str] | None:
    """Codes from every --select (or --ignore) given, each comma-separated."""
    if not values:
        return None
    return [c.strip() for value in values for c in value.split(",") if c.strip()]


CHECK_EXAMPLES = """Examples:

\b
  figrecon check data/
      every finding, a line each: FILE:LINE: severity code claim: what; what to do
  figrecon check data/ --strict --baseline data/figrecon-baseline.json
      for CI: warnings fail too, but not the findings the team accepted
  figrecon check data/ --write-baseline data/figrecon-baseline.json
      accept the findings there are now (they stay in the file, by code and claim)
  figrecon check data/ -f sarif -o check.sarif
      for code scanning (also github, junit, json)"""


@app.command(epilog=CHECK_EXAMPLES + "\n\n" + codes_help())
def check(
    paths: PathsArg = None,
    format: Annotated[
        str, typer.Option("-f", "--format", help="text, json, github, junit or sarif.")
    ] = "text",
    output: OutputOpt = None,
    strict: Annotated[
        bool | None, typer.Option("--strict/--no-strict", help="Warnings fail too.")
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Only these codes (comma-separated, or repeat the flag)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", help="Leave out these codes (comma-separated, or repeat it)."),
    ] = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    sources: SourcesOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    input_format: InputFormatOpt = None,
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    quiet: QuietOpt = False,
) -> None:
    """Check claim files for CI: schema errors and semantic findings with stable codes.

    Exit 0 when valid, 1 on errors (on warnings too with --strict), 2 when the input
    cannot be read."""
    from ..checks.report import check as run_check
    from ..config import build_parameters, check_settings, find_config
    from ..render.findings import to_text
    from ..render.formats import CheckFormat

    with edge():
        fmt = choose_format(CheckFormat, format)
        config = find_config()
        settings = check_settings(config)
        params = build_parameters({"profile": profile, "lang": lang}, config)
        strict_mode = settings.strict if strict is None else strict
        limit = size_bytes(max_input_size)
        inputs = input_paths(paths)
        target = output_target(output, inputs, sources, params)
        report = run_check(
            inputs,
            sources=one_registry(sources),
            encoding=encoding,
            input_format=input_format_of(input_format),
            profile=params.profile,
            lang=params.lang,
            select=_codes(select) or settings.select,
            ignore=[*(settings.ignore or []), *(_codes(ignore) or [])],
            strict=strict_mode,
            max_input_size=limit,
            sheet=sheet,
        )
        if fmt is CheckFormat.text and target is None:
            stdout().print(to_text(report, strict_mode), soft_wrap=True)
        else:
            write_output(fmt.render(report, strict_mode), target)
        if report.unusable:
            raise typer.Exit(EXIT_USAGE)
        if not report.valid:
            raise typer.Exit(EXIT_FINDINGS)
