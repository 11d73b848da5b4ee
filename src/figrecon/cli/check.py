"""`figrecon check`: a dataset lint for CI."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..checks.codes import help_text as codes_help
from ..errors import UsageError
from .app import EXIT_FINDINGS, EXIT_USAGE, app, edge, say, stdout
from .bundles import Inputs, bundled
from .options import (
    LangOpt,
    OutputOpt,
    PathsArg,
    ProfileOpt,
    choose_format,
    input_paths,
    output_stream,
    write_pieces,
)

if TYPE_CHECKING:
    from ..checks.baseline import Baseline


def _baseline_target(path: Path, max_size: int) -> None:
    """A baseline is written to a new file or over a baseline, nothing else: not to a
    device or a pipe, since it is a file kept with the data for --baseline to read (and
    /dev/stdout gets the report as well)."""
    from ..checks.baseline import is_baseline
    from ..io.files import irregular

    if path.is_dir():
        raise UsageError(
            f"--write-baseline {path}: that is a folder; give a file name, e.g. "
            f"{path}/figrecon-baseline.json"
        )
    if (what := irregular(path)) is not None:
        raise UsageError(
            f"--write-baseline {path}: not a regular file ({what}); give a new file, or "
            "the baseline to rewrite"
        )
    if path.exists() and not is_baseline(path, max_size):
        raise UsageError(
            f"--write-baseline {path}: that file holds something else than a figrecon "
            "baseline; give a new file, or the baseline to rewrite"
        )


def _keep_baselines(output: Path | None, *baselines: Path | None) -> None:
    """-o never names the baseline the run reads or writes: the report would replace it."""
    from ..io.output import same_file

    if output is None or str(output) == "-":
        return
    for flag, path in zip(("--baseline", "--write-baseline"), baselines, strict=True):
        if path is not None and same_file(output, path):
            raise UsageError(f"-o {output}: that is the {flag} file; choose another output path")


def _write_baseline(accepted: Baseline, path: Path) -> None:
    from ..checks.baseline import baseline_text
    from ..io.output import write_file

    try:
        write_file(path, baseline_text(accepted))
    except OSError as exc:
        raise UsageError(
            f"--write-baseline {path}: cannot write the file ({exc.strerror}); check the "
            "path and its permissions"
        ) from None
    n = len(accepted.accepted)
    say(f"Wrote {path} ({n} accepted finding{'s' if n != 1 else ''})")


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
@bundled
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
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="Accept the findings this file lists, by code and claim (write it with "
            "--write-baseline): they are left out, and only new ones fail.",
        ),
    ] = None,
    write_baseline: Annotated[
        Path | None,
        typer.Option(
            "--write-baseline",
            metavar="FILE",
            help="Accept the findings found now: write them to FILE (a new file or the "
            "baseline to rewrite), then report as --baseline FILE does.",
        ),
    ] = None,
    inputs: Inputs = Inputs(),
) -> None:
    """Check claim files for CI: schema errors and semantic findings with stable codes.

    Exit 0 when valid, 1 on errors (on warnings too with --strict), 2 when the input
    cannot be read."""
    from ..checks.baseline import baseline_of, read_baseline
    from ..checks.report import apply_baseline
    from ..checks.report import check as run_check
    from ..config import build_parameters, check_settings, find_config
    from ..render.findings import to_text, write_json
    from ..render.formats import CheckFormat

    with edge():
        fmt = choose_format(CheckFormat, format)
        config = find_config()
        settings = check_settings(config)
        params = build_parameters({"profile": profile, "lang": lang}, config)
        strict_mode = settings.strict if strict is None else strict
        read = input_paths(paths)
        _keep_baselines(output, baseline, write_baseline)
        target = inputs.target(output, read, params)
        accepted = None if baseline is None else read_baseline(baseline, inputs.limit)
        if write_baseline is not None:
            _baseline_target(write_baseline, inputs.limit)
        report = run_check(
            read,
            sources=inputs.registry,
            encoding=inputs.encoding,
            input_format=inputs.format,
            profile=params.profile,
            lang=params.lang,
            select=_codes(select) or settings.select,
            ignore=[*(settings.ignore or []), *(_codes(ignore) or [])],
            strict=strict_mode,
            max_input_size=inputs.limit,
            events=inputs.events,
            sheet=inputs.sheet,
        )
        if write_baseline is not None:
            accepted, baseline = baseline_of(report.findings), write_baseline
            _write_baseline(accepted, write_baseline)
        if accepted is not None:
            report = apply_baseline(report, accepted, strict_mode)
            if report.outdated:
                gone = ", ".join(f"{a.code} {a.claim}" for a in report.outdated)
                say(
                    f"--baseline {baseline}: {len(report.outdated)} accepted finding"
                    f"{'s are' if len(report.outdated) > 1 else ' is'} no longer found "
                    f"({gone}); rewrite it with --write-baseline {baseline}"
                )
        if fmt is CheckFormat.text and target is None:
            console = stdout()
            for text in to_text(report, strict_mode):
                console.print(text, soft_wrap=True, end="")
        elif fmt is CheckFormat.json:  # written a chunk of findings at a time
            with output_stream(target) as out:
                write_json(report, out)
        else:  # made and written a chunk of findings at a time
            write_pieces(fmt.pieces(report, strict_mode), target)
        if report.unusable:
            raise typer.Exit(EXIT_USAGE)
        if not report.valid:
            raise typer.Exit(EXIT_FINDINGS)
