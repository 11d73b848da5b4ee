"""The `figrecon` command: parse the invocation, call the library, render, pick the exit
code. Data goes to stdout, messages for people to stderr.

Exit codes: 0 success; 1 findings (`check`, `diff --fail-on-change`); 2 bad invocation
or unusable input; 70 internal error (rerun with --debug for the traceback).
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from . import __version__
from .codes import help_text as codes_help
from .errors import FigreconError, InputError, UsageError
from .text import visible

if TYPE_CHECKING:
    from .claims import Claims
    from .config import Parameters

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70

app = typer.Typer(
    name="figrecon",
    help="Reconcile conflicting casualty and detention figures into low / best / high "
    "ranges with confidence notes.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_state = {"debug": False}


def stderr() -> Console:
    return Console(stderr=True, highlight=False, emoji=False)


def stdout() -> Console:
    return Console(highlight=False, emoji=False)


def _tell(*lines: str) -> None:
    """Lines for people on stderr; what came from the data is shown, not obeyed."""
    err = stderr()
    for line in lines:
        err.print(Text(visible(line)), soft_wrap=True)


def _fail(lines: list[str], code: int = EXIT_USAGE) -> NoReturn:
    _tell(*lines)
    raise typer.Exit(code)


@contextmanager
def edge() -> Iterator[None]:
    """Turn the library's exceptions into one line each and an exit code."""
    try:
        yield
    except InputError as exc:
        lines = [str(f) for f in exc.findings]
        if len(lines) > 1:
            lines.append(f"{len(exc.findings)} problems; nothing was reconciled.")
        _fail(lines)
    except FigreconError as exc:
        _fail([str(exc)])


def _version(value: bool) -> None:
    if value:
        typer.echo(f"figrecon {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an internal error.")
    ] = False,
) -> None:
    """figrecon: where do the figures stand, and why."""
    _state["debug"] = debug or bool(os.environ.get("FIGRECON_DEBUG"))


# --- shared options ------------------------------------------------------------------

RankOpt = Annotated[
    str | None,
    typer.Option(
        "--rank",
        help="For --method hierarchy: source types, most trusted first, comma-separated.",
    ),
]


def _rank(rank: str | None) -> list[str] | None:
    return [r.strip() for r in rank.split(",") if r.strip()] if rank else None


PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Claim files or folders (YAML, CSV, TSV, JSON, NDJSON); - or nothing reads stdin.",
        show_default=False,
    ),
]
SourcesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--sources", help="A sources registry file (YAML or CSV) used with every claim file."
    ),
]
EncodingOpt = Annotated[str, typer.Option("-e", "--encoding", help="Encoding of the input files.")]
InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="Read stdin (or every file) as yaml, csv, tsv, json or ndjson, or as an event "
        "dataset: ucdp-ged, acled or hxl, instead of guessing.",
    ),
]
INPUT_FORMATS = ("yaml", "csv", "tsv", "json", "ndjson", "ucdp-ged", "acled", "hxl")
ByOpt = Annotated[
    str | None,
    typer.Option(
        "--by",
        metavar="KEY",
        help="Event datasets: the figure key, country,year (default), country,month, "
        "adm1,year, adm1,month, country, adm1 or event.",
    ),
]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        metavar="COLUMN=VALUE",
        help="Event datasets: only the events that pass, e.g. type_of_violence=3 or "
        "type_of_violence=1,2; also !=, <, <=, >, >=. Repeat for more.",
    ),
]
ReleasedOpt = Annotated[
    str | None,
    typer.Option(
        "--released",
        metavar="DATE",
        help="Event datasets: the release date (YYYY-MM-DD), the claims' stated_on.",
    ),
]
DatasetOpt = Annotated[
    str | None,
    typer.Option(
        "--dataset",
        metavar="NAME",
        help="Event datasets: who states the figures, the claims' source (default: UCDP GED, "
        "ACLED, or the HXL file's #meta+source).",
    ),
]


def _events(
    by: str | None, where: list[str] | None, released: str | None, dataset: str | None
) -> Any:
    """The ImportOptions of --by, --where, --released and --dataset."""
    from .importers.options import import_options

    return import_options(by, where, released, dataset)


def _input_format(value: str | None) -> str | None:
    if value is not None and value not in INPUT_FORMATS:
        raise UsageError(f"--input-format {value!r}: use " + ", ".join(INPUT_FORMATS))
    return value


ProfileOpt = Annotated[
    str | None,
    typer.Option("--profile", help="Phrase profile: default, acled, or a profile YAML file."),
]
LangOpt = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Phrase table: en, ru, or a table YAML file (default: from the script)."
    ),
]
OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "-o",
        "--output",
        help="Write to this file instead of stdout: whole, replacing the old file in one step.",
    ),
]
MaxInputSizeOpt = Annotated[
    str,
    typer.Option(
        "--max-input-size",
        metavar="SIZE",
        help="Refuse an input file (or stdin) larger than this, e.g. 500M or 16G "
        "(K, M, G, T: powers of 1024).",
    ),
]
MAX_INPUT_SIZE = "4G"
"""The default of --max-input-size, readers.MAX_INPUT_SIZE as written on the command line."""

_SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def _size(value: str) -> int:
    """--max-input-size as bytes: a whole number, with K, M, G or T (KiB, MB, ...)."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:I?B)?\s*", value.upper())
    if match is None or int(match.group(1)) == 0:
        raise UsageError(
            f"--max-input-size {value!r}: write a size such as 500M or 16G (bytes if no unit)"
        )
    return int(match.group(1)) * _SIZE_UNITS[match.group(2)]


def _paths(paths: list[str] | None) -> list[str]:
    paths = list(paths or [])
    if not paths:
        paths = ["-"]
    if "-" in paths and sys.stdin is not None and sys.stdin.isatty():
        _tell("Reading claims from the terminal; end with Ctrl-D (or pass a file).")
    return paths


def _one(sources: list[Path] | None) -> Path | None:
    """--sources once: a second registry would silently replace the first."""
    if not sources:
        return None
    if len(sources) > 1:
        raise UsageError(
            f"--sources is given {len(sources)} times; give one registry file "
            "(put every source in it)"
        )
    return sources[0]


def _load(
    paths: list[str],
    sources: list[Path] | None,
    encoding: str,
    input_format: str | None,
    params: Parameters,
    max_input_size: int,
    *,
    typos: bool = False,
    events: Any = None,
) -> Claims:
    """The claims, with the input's warnings on stderr (and, with `typos`, the possible
    typos `check` finds)."""
    from .claims import load

    claims = load(
        paths,
        sources=_one(sources),
        encoding=encoding,
        input_format=_input_format(input_format),
        profile=params.profile,
        lang=params.lang,
        max_input_size=max_input_size,
        events=events,
    )
    if typos:
        from .checks import reconcile_warnings

        _warn(reconcile_warnings(claims))
    else:
        _warn(claims.findings)
    return claims


_MAX_WARNINGS = 10


def _warn(findings: list[Any]) -> None:
    """Warnings (and notes) of the input, on stderr: the figures are made, but a person
    should know (a source id missing from the registry counts as a source of its own; an
    imported event was counted in the period where it began)."""
    _tell(*(f"{finding.severity.value}: {finding}" for finding in findings[:_MAX_WARNINGS]))
    if len(findings) > _MAX_WARNINGS:
        _tell(f"... and {len(findings) - _MAX_WARNINGS} more; `figrecon check` lists them all")


def _output(
    output: Path | None, inputs: list[str], sources: list[Path] | None, params: Parameters
) -> Path | None:
    """The -o file (None for stdout), checked before any work: not a folder, not a
    file the run reads, not a claim file inside an input folder (the next run would
    read it as claims)."""
    from .outputs import refuse_inputs
    from .readers import CLAIM_SUFFIXES

    if output is None or str(output) == "-":
        return None
    if output.is_dir():
        raise UsageError(
            f"-o {output}: that is a folder; give a file name, e.g. -o {output}/result.json"
        )
    refuse_inputs(output, _reads(inputs, sources, params))
    resolved = output.resolve()
    if resolved.suffix.lower() in CLAIM_SUFFIXES:
        for raw in inputs:
            folder = Path(raw).resolve() if raw != "-" else None
            if folder is not None and folder.is_dir() and folder in resolved.parents:
                raise UsageError(
                    f"-o {output}: that is inside the input folder {raw}, where the next "
                    "run would read it as claims; write it outside the folder"
                )
    return output


def _reads(
    inputs: list[str], sources: list[Path] | None, params: Parameters
) -> list[tuple[str, Path]]:
    """Every file the run reads, each with what it is: the claim files (those in the
    input folders too), the registry, a phrase profile or table file, the settings."""
    from .config import find_config
    from .quantities import builtin_languages, builtin_profiles
    from .readers import expand

    files, _ = expand([raw for raw in inputs if raw != "-"])
    reads = [(f"an input file ({name})", path) for name, path in files if path is not None]
    registry = _one(sources)
    if registry is not None:
        reads.append((f"the --sources registry ({registry})", registry))
    if params.profile not in builtin_profiles():
        reads.append((f"the phrase profile ({params.profile})", Path(params.profile)))
    if params.lang is not None and params.lang not in builtin_languages():
        reads.append((f"the phrase table ({params.lang})", Path(params.lang)))
    config = find_config()
    if config is not None:
        reads.append((f"the settings file ({config[0]})", config[0]))
    return reads


def _write(text: str, target: Path | None) -> None:
    """`text` to stdout, or whole to the -o file (see `outputs.write_file`)."""
    from .outputs import write_file

    if target is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        write_file(target, text)
    except OSError as exc:
        raise UsageError(
            f"-o {target}: cannot write the file ({exc.strerror}); check the path, "
            "its permissions and the free space (the old file, if any, is unchanged)"
        ) from None
    _tell(f"Wrote {target}")


FormatT = TypeVar("FormatT", bound=Enum)


def _format(kind: type[FormatT], value: str) -> FormatT:
    """The --format value as the command's format enum, or a usage error listing them."""
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise UsageError(f"--format {value!r}: use {choices}") from None


def _date(value: str | None, flag: str) -> dt.date | None:
    from .dates import parse_day

    return None if value is None else parse_day(value, flag)


def _parameters(overrides: dict[str, Any]) -> Parameters:
    from .config import build_parameters, find_config

    return build_parameters(overrides, find_config())


# --- reconcile ------------------------------------------------------------------------


@app.command()
def reconcile(
    paths: PathsArg = None,
    format: Annotated[
        str, typer.Option("-f", "--format", help="table, json, ndjson, csv or markdown.")
    ] = "table",
    output: OutputOpt = None,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="What was known on this date (YYYY-MM-DD).")
    ] = None,
    method: Annotated[
        str | None,
        typer.Option("--method", help="agreement (default), range, conservative or hierarchy."),
    ] = None,
    rank: RankOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    tolerance: Annotated[
        float | None, typer.Option("--tolerance", help="R7 tolerance (share of each point).")
    ] = None,
    stale_days: Annotated[
        int | None, typer.Option("--stale-days", help="R5 stale window in days.")
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show every claim and what happened to it.")
    ] = False,
    event: Annotated[str | None, typer.Option("--event", help="Only this event.")] = None,
    metric: Annotated[str | None, typer.Option("--metric", help="Only this metric.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="Only this group.")] = None,
    location: Annotated[
        str | None, typer.Option("--location", help="Only this location and the places within it.")
    ] = None,
    sources: SourcesOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    input_format: InputFormatOpt = None,
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
) -> None:
    """Reconciled low / best / high figures with confidence and notes."""
    from .render import OutputFormat

    with edge():
        fmt = _format(OutputFormat, format)
        params = _parameters(
            {
                "method": method,
                "rank": _rank(rank),
                "profile": profile,
                "lang": lang,
                "tolerance": tolerance,
                "stale_days": stale_days,
            }
        )
        when = _date(as_of, "--as-of")
        limit = _size(max_input_size)
        inputs = _paths(paths)
        target = _output(output, inputs, sources, params)
        events = _events(by, where, released, dataset)
        claims = _load(
            inputs, sources, encoding, input_format, params, limit, typos=True, events=events
        )
        result = _run(claims, params, when, explain, event, metric, group, location)
        if fmt is OutputFormat.table and target is None:
            from .render import figures_table

            if result.figures:
                stdout().print(figures_table(result, explain))
            else:
                filters = (event, metric, group, location)
                _tell(_no_figures(len(claims), when, filters, claims))
            return
        _write(fmt.render(result, explain=explain), target)


def _no_figures(
    count: int, when: dt.date | None, filters: tuple[str | None, ...], claims: Any = None
) -> str:
    if not count:
        return "No figures: the input holds no claims."
    if any(filters):
        return "No figures: no claims match the filters" + _unmatched(filters, claims) + "."
    return f"No figures: no claim was stated by {when}."


def _unmatched(filters: tuple[str | None, ...], claims: Any) -> str:
    """For a filter no claim matches: what the data holds that is close to it."""
    import difflib

    if claims is None:
        return ""
    for name, given in zip(("event", "metric", "group", "location"), filters, strict=True):
        if given is None:
            continue
        held = sorted({str(v) for v in claims.columns[name].tolist() if v is not None})
        if given in held or (name == "location" and any(h.startswith(given + "/") for h in held)):
            continue
        wanted = given.replace(" ", "_") if name == "group" else given
        inside = [h for h in held if h.endswith("/" + given)] if name == "location" else []
        close = inside[:1] or difflib.get_close_matches(wanted, held, n=1, cutoff=0.6)
        if close:
            return f"; no claim has {name} `{given}` (did you mean `{close[0]}`?)"
        return f"; no claim has {name} `{given}`"
    return ""


def _run(
    claims: Claims, params: Parameters, when: dt.date | None, explain: bool, *filters: str | None
) -> Any:
    from .engine import reconcile as run

    event, metric, group, location = filters
    big = len(claims) >= 50_000 and sys.stderr.isatty()
    if not big:
        return run(
            claims,
            params,
            as_of=when,
            explain=explain,
            event=event,
            metric=metric,
            group=group,
            location=location,
        )
    from rich.progress import Progress

    with Progress(console=stderr(), transient=True) as bar:
        task = bar.add_task("reconciling", total=len(claims))
        return run(
            claims,
            params,
            as_of=when,
            explain=explain,
            event=event,
            metric=metric,
            group=group,
            location=location,
            progress=lambda done, total: bar.update(task, completed=done),
        )


# --- check ------------------------------------------------------------------------------


def _codes(values: list[str] | None) -> list[str] | None:
    """Codes from every --select (or --ignore) given, each comma-separated."""
    if not values:
        return None
    return [c.strip() for value in values for c in value.split(",") if c.strip()]


@app.command(epilog=codes_help())
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
    encoding: EncodingOpt = "utf-8-sig",
    input_format: InputFormatOpt = None,
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
) -> None:
    """Check claim files for CI: schema errors and semantic findings with stable codes.

    Exit 0 when valid, 1 on errors (on warnings too with --strict), 2 when the input
    cannot be read."""
    from .checks import check as run_check
    from .config import build_parameters, check_settings, find_config
    from .reports import CheckFormat, to_text

    with edge():
        fmt = _format(CheckFormat, format)
        config = find_config()
        settings = check_settings(config)
        params = build_parameters({"profile": profile, "lang": lang}, config)
        strict_mode = settings.strict if strict is None else strict
        limit = _size(max_input_size)
        inputs = _paths(paths)
        target = _output(output, inputs, sources, params)
        report = run_check(
            inputs,
            sources=_one(sources),
            encoding=encoding,
            input_format=_input_format(input_format),
            profile=params.profile,
            lang=params.lang,
            select=_codes(select) or settings.select,
            ignore=[*(settings.ignore or []), *(_codes(ignore) or [])],
            strict=strict_mode,
            max_input_size=limit,
            events=_events(by, where, released, dataset),
        )
        if fmt is CheckFormat.text and target is None:
            stdout().print(to_text(report, strict_mode), soft_wrap=True)
        else:
            _write(fmt.render(report, strict_mode), target)
        if report.unusable:
            raise typer.Exit(EXIT_USAGE)
        if not report.valid:
            raise typer.Exit(EXIT_FINDINGS)


# --- diff ---------------------------------------------------------------------------------


@app.command()
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
    sources: SourcesOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
) -> None:
    """What changed in the reconciled figures between two versions of a dataset, and every
    claim edited, added, removed or newly withdrawn under each figure."""
    from .diffs import claim_records, compare, rebase, saved_result
    from .render import DiffFormat

    with edge():
        fmt = _format(DiffFormat, format)
        params = _parameters(
            {"method": method, "rank": _rank(rank), "profile": profile, "lang": lang}
        )
        limit = _size(max_input_size)
        target = _output(output, [old, new], sources, params)
        events = _events(by, where, released, dataset)
        results, records = [], []
        for side in (old, new):
            saved = saved_result(Path(side), limit)
            fields = None
            if saved is None:
                claims = _load([side], sources, encoding, None, params, limit, events=events)
                # With --explain's traces: every claim's fate in its figure is known.
                saved = _run(claims, params, None, True, None, None, None, None)
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
            from .render import diff_table

            stdout().print(diff_table(changes))
        else:
            _write(fmt.render(changes), target)
        if fail_on_change and changes.fails_gate:
            raise typer.Exit(EXIT_FINDINGS)


# --- parse ------------------------------------------------------------------------------


@app.command()
def parse(
    phrases: Annotated[
        list[str], typer.Argument(help="Phrases such as 'some 9,900' or 'более 10 тысяч'.")
    ],
    format: Annotated[str, typer.Option("-f", "--format", help="table or json.")] = "table",
    profile: ProfileOpt = None,
    lang: LangOpt = None,
) -> None:
    """How figrecon reads a phrase: kind, hard and soft intervals, point."""
    from .models import Quantity
    from .quantities import PhraseError, PhraseTableError, Reader

    with edge():
        if format not in ("table", "json"):
            raise UsageError(f"--format {format!r}: use table or json")
        try:
            reader = Reader(profile or "default", lang)
        except PhraseTableError as exc:
            raise UsageError(str(exc)) from None
        rows: list[tuple[str, Quantity | PhraseError]] = []
        for phrase in phrases:
            try:
                rows.append((phrase, reader.read(phrase)))
            except PhraseError as exc:
                rows.append((phrase, exc))
            except PhraseTableError as exc:
                raise UsageError(str(exc)) from None
        failed = [(p, e) for p, e in rows if isinstance(e, PhraseError)]
        if format == "json":
            from .render import dumps

            data = [
                {"text": p, "error": str(q)}
                if isinstance(q, PhraseError)
                else _quantity_json(q, reader)
                for p, q in rows
            ]
            sys.stdout.write(dumps(data if len(data) > 1 else data[0]))
        else:
            _parse_table(rows)
        if failed:
            # Also on stderr, so a script reading stdout still sees why it failed.
            _tell(*(f"figrecon parse: {problem}" for _, problem in failed))
            raise typer.Exit(EXIT_USAGE)


def _quantity_json(q: Any, reader: Any) -> dict[str, Any]:
    data = q.model_dump(mode="json")
    return {
        "text": data["text"],
        "kind": data["kind"],
        "hard": [data["hard_low"], data["hard_high"]],
        "soft": [data["soft_low"], data["soft_high"]],
        "point": data["point"],
        "figure": data["figure"]
        if data["figure_high"] is None
        else [data["figure"], data["figure_high"]],
        "changed_from": data["changed_from"],
        "profile": reader.profile.name,
    }


def _parse_table(rows: list[tuple[str, Any]]) -> None:
    from rich.table import Table

    from .quantities import PhraseError
    from .render import num

    def interval(low: float, high: float | None) -> str:
        return f"[{num(low)}, {num(high)}]" if high is not None else f"[{num(low)}, open)"

    table = Table(show_lines=False)
    for col in ("phrase", "kind", "hard", "soft", "point"):
        table.add_column(col, overflow="fold")
    for phrase, q in rows:
        if isinstance(q, PhraseError):
            table.add_row(
                Text(visible(phrase)),
                Text("error", style="red"),
                Text(visible(str(q))),
                Text(""),
                Text(""),
            )
        else:
            table.add_row(
                Text(visible(phrase)),
                Text(q.kind.value),
                Text(interval(q.hard_low, q.hard_high)),
                Text(interval(q.soft_low, q.soft_high)),
                Text(num(q.point)),
            )
    stdout().print(table)


# --- normalize ----------------------------------------------------------------------------

NORMALIZED_COLUMNS = (
    "id",
    "event",
    "metric",
    "group",
    "location",
    "period",
    "measure",
    "value_text",
    "kind",
    "hard_low",
    "hard_high",
    "soft_low",
    "soft_high",
    "point",
    "source",
    "source_name",
    "type",
    "party",
    "originator",
    "via",
    "stated_on",
    "as_of",
    "retracts",
    "retracted",
    "assessment",
    "file",
    "line",
)


@app.command()
def normalize(
    paths: PathsArg = None,
    format: Annotated[str, typer.Option("-f", "--format", help="csv, json or ndjson.")] = "csv",
    output: OutputOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    sources: SourcesOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    input_format: InputFormatOpt = None,
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
) -> None:
    """The normalized claims table (one row per claim), for other tools."""
    with edge():
        if format not in ("csv", "json", "ndjson"):
            raise UsageError(f"--format {format!r}: use csv, json or ndjson")
        params = _parameters({"profile": profile, "lang": lang})
        limit = _size(max_input_size)
        inputs = _paths(paths)
        target = _output(output, inputs, sources, params)
        events = _events(by, where, released, dataset)
        claims = _load(inputs, sources, encoding, input_format, params, limit, events=events)
        _write(_normalized(claims, format), target)


def _normalized(claims: Claims, format: str) -> str:
    import math

    import pandas as pd

    frame = claims.frame[list(NORMALIZED_COLUMNS)].copy()
    for col in ("hard_high", "soft_high"):
        frame[col] = frame[col].map(lambda x: None if math.isinf(x) or math.isnan(x) else x)
    frame["retracts"] = frame["retracts"].map(lambda r: " ".join(r) if format == "csv" else list(r))
    for col in ("stated_on", "as_of"):
        frame[col] = frame[col].map(lambda d: d.isoformat() if isinstance(d, dt.date) else d)
    frame = frame.astype(object).where(frame.notna(), None)
    for col in ("hard_low", "hard_high", "soft_low", "soft_high", "point"):
        # Counts print as counts (164, not 164.0); a midpoint may keep its half.
        values = [int(x) if isinstance(x, float) and x.is_integer() else x for x in frame[col]]
        frame[col] = pd.Series(values, index=frame.index, dtype=object)
    if format == "csv":
        from .text import formulas_safe

        for col in frame.columns:
            cells = frame[col].tolist()
            safe = formulas_safe(cells)
            if safe is not cells:
                frame[col] = pd.Series(safe, index=frame.index, dtype=object)
        return str(frame.to_csv(index=False, lineterminator="\n"))
    records = frame.to_dict("records")
    for r in records:
        for k, v in r.items():
            if isinstance(v, float) and v.is_integer():
                r[k] = int(v)
    from .render import dumps

    if format == "json":
        return dumps(records)
    import json

    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)


# --- import ----------------------------------------------------------------------------------

IMPORT_EXAMPLES = """Examples:

\b
  figrecon import ucdp-ged GEDEvent_v23_1.csv --released 2023-06-30 -o ucdp.csv
  figrecon import acled acled-export.csv --by adm1,month -o acled.csv
  figrecon import hxl hdx-file.csv --dataset 'UCDP GED' --released 2023-06-30 --by event"""


@app.command("import", epilog=IMPORT_EXAMPLES)
def import_(
    format: Annotated[str, typer.Argument(metavar="FORMAT", help="ucdp-ged, acled or hxl.")],
    file: Annotated[
        str, typer.Argument(metavar="FILE", help="The dataset's CSV file; - reads stdin.")
    ],
    output: OutputOpt = None,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
) -> None:
    """Claims from an event dataset (UCDP GED, ACLED, HXL), summed per figure key, as a
    CSV of claims to review, edit and commit; what the import found goes to stderr."""
    from .importers import FORMATS, import_csv

    with edge():
        if format not in FORMATS:
            raise UsageError(f"FORMAT {format!r}: use " + ", ".join(FORMATS))
        options = _events(by, where, released, dataset)
        limit = _size(max_input_size)
        target = _output(output, [file], None, _parameters({}))
        if target is not None and target.suffix.lower() not in ("", ".csv"):
            raise UsageError(f"-o {target}: import writes CSV; give a file name ending in .csv")
        text, findings, count = import_csv(file, format, options, encoding, limit)
        _tell(*(f"{f.severity.value}: {f}" for f in findings))
        _tell(f"{count:,} claims from {file} ({FORMATS[format].title}, by {','.join(options.by)})")
        _write(text, target)


# --- schema ----------------------------------------------------------------------------------


@app.command()
def schema(
    output_schema: Annotated[
        bool,
        typer.Option(
            "--output", help="The schema of reconcile's JSON output instead of the claim format."
        ),
    ] = False,
) -> None:
    """JSON Schema of the claim format (or, with --output, of reconcile's JSON)."""
    from .models import Result, claim_file_schema
    from .render import dumps

    if output_schema:
        sys.stdout.write(dumps(Result.model_json_schema(mode="serialization")))
    else:
        sys.stdout.write(dumps(claim_file_schema()))


# --- method ----------------------------------------------------------------------------------

METHOD_EXAMPLES = """Examples:

\b
  figrecon method                  the sections, by name
  figrecon method R5               rule R5: early counts, and later counts read as floors
  figrecon method read-as-floor    what the note read-as-floor means
  figrecon method R8 | less        the text as Markdown, to page or save"""


@app.command(name="method", epilog=METHOD_EXAMPLES)
def method_text(
    name: Annotated[
        str | None,
        typer.Argument(
            help="A rule id (R1-R12, R10a, hierarchy), a note code (read-as-floor) or a "
            "section name; nothing lists the sections.",
            metavar="RULE-OR-NOTE-CODE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The method for people: what each rule and note means, why, and an example."""
    from .method_doc import contents, find

    with edge():
        text = contents() if name is None else find(name).text
    out = stdout()
    if out.is_terminal:
        from rich.markdown import Markdown

        out.print(Markdown(text))
    else:
        sys.stdout.write(text)


# --- entry point -------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    # A run is short and builds millions of small objects on big inputs: the cyclic
    # collector would scan them again and again (several seconds for a million claims)
    # while finding almost nothing to free. Pause it for the run; restore it after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        app(args=argv, prog_name="figrecon", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if _state["debug"] or "--debug" in (argv or sys.argv):
            sys.stderr.write(visible(traceback.format_exc(), keep="\n"))
        else:
            _tell(
                f"figrecon: internal error: {type(exc).__name__}: {exc}; "
                "rerun with --debug for the traceback"
            )
        return EXIT_INTERNAL
    finally:
        if collecting:
            gc.enable()
    return EXIT_OK
