"""What the commands share: their options, defined once, and the steps every command
takes the same way (reading the paths, loading claims with their warnings, checking
and writing -o, parsing a format, a date or a size).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TypeVar

import typer

from ..errors import UsageError
from .app import say, state

if TYPE_CHECKING:
    from ..config import Parameters
    from ..io.importers import ImportOptions
    from ..loading import Claims


RankOpt = Annotated[
    str | None,
    typer.Option(
        "--rank",
        help="For --method hierarchy: source types, most trusted first, comma-separated.",
    ),
]


def rank_list(rank: str | None) -> list[str] | None:
    return [r.strip() for r in rank.split(",") if r.strip()] if rank else None


AsOfOpt = Annotated[
    str | None, typer.Option("--as-of", help="What was known on this date (YYYY-MM-DD).")
]
MethodOpt = Annotated[
    str | None,
    typer.Option("--method", help="agreement (default), range, conservative or hierarchy."),
]
EventOpt = Annotated[str | None, typer.Option("--event", help="Only this event.")]
MetricOpt = Annotated[str | None, typer.Option("--metric", help="Only this metric.")]
GroupOpt = Annotated[str | None, typer.Option("--group", help="Only this group.")]
LocationOpt = Annotated[
    str | None, typer.Option("--location", help="Only this location and the places within it.")
]
ExactOpt = Annotated[
    bool,
    typer.Option(
        "--exact",
        help="Only the figures of exactly --location: not the places within it, nor counts "
        "over a period.",
    ),
]


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


def _quiet(value: bool) -> bool:
    state["quiet"] = value
    return value


QuietOpt = Annotated[
    bool,
    typer.Option(
        "-q",
        "--quiet",
        callback=_quiet,
        help="No messages for people on stderr (what was written, warnings, progress); "
        "error lines still print.",
    ),
]


def _period(value: str | None) -> str | None:
    """--period written as the claims' periods are (`model.fields.period_text`): a window
    given as "2022-01-04 - 2022-01-06" selects the claims' 2022-01-04/2022-01-06."""
    if value is None:
        return None
    from pydantic_core import PydanticCustomError

    from ..model.fields import period_text

    try:
        return period_text(value)
    except PydanticCustomError as exc:
        raise typer.BadParameter(exc.message()) from None


PeriodOpt = Annotated[
    str | None,
    typer.Option(
        "--period",
        metavar="START/END",
        callback=_period,
        help="Only the counts over this period, as the claims give it (2022-01-11/2022-01-12; "
        "a window in dates however it is joined).",
    ),
]
SortOpt = Annotated[
    str | None,
    typer.Option(
        "--sort",
        metavar="ORDER",
        help="best (largest first), metric, confidence (highest first) or disagreement "
        "(greatest first); default: by event, metric, group, location, period.",
    ),
]


PathsArg = Annotated[
    list[str] | None,
    typer.Argument(
        help="Claim files or folders (YAML, CSV, TSV, JSON, NDJSON, XLSX, ODS); - or nothing "
        "reads stdin.",
        show_default=False,
    ),
]


SourcesOpt = Annotated[
    list[Path] | None,
    typer.Option(
        "--sources", help="A sources registry file (YAML or CSV) used with every claim file."
    ),
]


SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="Of a spreadsheet (.xlsx, .ods), read only this sheet (default: every sheet).",
    ),
]


EncodingOpt = Annotated[str, typer.Option("-e", "--encoding", help="Encoding of the input files.")]


InputFormatOpt = Annotated[
    str | None,
    typer.Option(
        "--input-format",
        help="Read stdin (or every file) as yaml, csv, tsv, json, ndjson, xlsx or ods, or as "
        "an event dataset: ucdp-ged, acled or hxl, instead of guessing.",
    ),
]


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


"""The default of --max-input-size, io.limits.MAX_INPUT_SIZE as written on the command line."""


SIZE_UNITS = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40}


def size_bytes(value: str) -> int:
    """--max-input-size as bytes: a whole number, with K, M, G or T (KiB, MB, ...)."""
    import re

    match = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(?:I?B)?\s*", value.upper())
    if match is None or int(match.group(1)) == 0:
        raise UsageError(
            f"--max-input-size {value!r}: write a size such as 500M or 16G (bytes if no unit)"
        )
    return int(match.group(1)) * SIZE_UNITS[match.group(2)]


def input_paths(paths: list[str] | None) -> list[str]:
    paths = list(paths or [])
    if not paths:
        paths = ["-"]
    if "-" in paths and sys.stdin is not None and sys.stdin.isatty():
        say("Reading claims from the terminal; end with Ctrl-D (or pass a file).")
    return paths


def one_registry(sources: list[Path] | None) -> Path | None:
    """--sources once: a second registry would silently replace the first."""
    if not sources:
        return None
    if len(sources) > 1:
        raise UsageError(
            f"--sources is given {len(sources)} times; give one registry file "
            "(put every source in it)"
        )
    return sources[0]


def load_claims(
    paths: list[str],
    sources: list[Path] | None,
    encoding: str,
    input_format: str | None,
    params: Parameters,
    max_input_size: int,
    *,
    sheet: str | None = None,
    typos: bool = False,
    events: ImportOptions | None = None,
) -> Claims:
    """The claims, with the input's warnings on stderr (and, with `typos`, the possible
    typos `check` finds); event datasets give the claims `events` asks for."""
    from ..loading import load

    claims = load(
        paths,
        sources=one_registry(sources),
        encoding=encoding,
        input_format=input_format_of(input_format),
        profile=params.profile,
        lang=params.lang,
        max_input_size=max_input_size,
        events=events,
        sheet=sheet,
    )
    if typos and not state["quiet"]:  # looked for only to be shown
        from ..checks.report import reconcile_warnings

        warn(reconcile_warnings(claims))
    else:
        warn(claims.findings)
    return claims


def input_formats() -> tuple[str, ...]:
    """Every input format --input-format names: claim files and event datasets."""
    from ..io.formats import FORMATS
    from ..io.importers import FORMATS as DATASETS

    return (*FORMATS, *DATASETS)


def input_format_of(value: str | None) -> str | None:
    """--input-format as a format name, in any case (`JSON` is json), checked."""
    if value is None:
        return None
    if value.lower() not in (known := input_formats()):
        raise UsageError(f"--input-format {value!r}: use {', '.join(known[:-1])} or {known[-1]}")
    return value.lower()


def events_of(
    by: str | None, where: list[str] | None, released: str | None, dataset: str | None
) -> ImportOptions:
    """The import options of --by, --where, --released and --dataset."""
    from ..io.importers.options import import_options

    return import_options(by, where, released, dataset)


MAX_WARNINGS = 10


def warn(findings: list[Any]) -> None:
    """Warnings (and notes) of the input, on stderr, unless --quiet: the figures are
    made, but a person should know (a source id missing from the registry counts as a
    source of its own; an imported event was counted in the period where it began)."""
    say(*(f"{finding.severity.value}: {finding}" for finding in findings[:MAX_WARNINGS]))
    if len(findings) > MAX_WARNINGS:
        say(f"... and {len(findings) - MAX_WARNINGS} more; `figrecon check` lists them all")


def output_target(
    output: Path | None, inputs: list[str], sources: list[Path] | None, params: Parameters
) -> Path | None:
    """The -o file (None for stdout), checked before any work: not a folder, not a
    file the run reads, not a claim file inside an input folder (the next run would
    read it as claims)."""
    from ..io.files import CLAIM_SUFFIXES
    from ..io.output import refuse_inputs

    if output is None or str(output) == "-":
        return None
    if output.is_dir():
        raise UsageError(
            f"-o {output}: that is a folder; give a file name, e.g. -o {output}/result.json"
        )
    refuse_inputs(output, files_read(inputs, sources, params))
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


def files_read(
    inputs: list[str], sources: list[Path] | None, params: Parameters
) -> list[tuple[str, Path]]:
    """Every file the run reads, each with what it is: the claim files (those in the
    input folders too), the registry, a phrase profile or table file, the settings."""
    from ..config import find_config
    from ..io.files import expand
    from ..phrases.tables import builtin_languages, builtin_profiles

    files, _ = expand([raw for raw in inputs if raw != "-"])
    reads = [(f"an input file ({name})", path) for name, path in files if path is not None]
    registry = one_registry(sources)
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


@contextmanager
def output_stream(target: Path | None) -> Iterator[BinaryIO]:
    """Where an output is written in pieces: stdout, or the -o file, written whole or
    not at all (see `io.output.open_output`)."""
    from ..io.output import open_output

    if target is None:
        yield sys.stdout.buffer
        sys.stdout.flush()
        return
    try:
        with open_output(target) as handle:
            yield handle
    except OSError as exc:
        raise UsageError(
            f"-o {target}: cannot write the file ({exc.strerror}); check the path, "
            "its permissions and the free space (the old file, if any, is unchanged)"
        ) from None
    say(f"Wrote {target}")


def write_output(text: str | bytes, target: Path | None) -> None:
    """`text` (or bytes) to stdout, or whole to the -o file (see `output_stream`)."""
    if isinstance(text, str):
        write_pieces((text,), target)
    elif target is None:
        sys.stdout.buffer.write(text)
        sys.stdout.flush()
    else:
        with output_stream(target) as out:
            out.write(text)


def write_pieces(pieces: Iterable[str], target: Path | None) -> None:
    """Text made in pieces: to stdout in its encoding, or to the -o file in UTF-8, whole
    or not at all (`output_stream`). Pieces are written together up to a MiB, so that a
    small output is one write."""
    if target is None:
        for text in _joined(pieces):
            sys.stdout.write(text)
        sys.stdout.flush()
        return
    with output_stream(target) as out:
        for text in _joined(pieces):
            out.write(text.encode("utf-8"))


def _joined(pieces: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    pending: list[str] = []
    length = 0
    for piece in pieces:
        pending.append(piece)
        length += len(piece)
        if length >= size:
            yield "".join(pending)
            pending, length = [], 0
    if pending:
        yield "".join(pending)


FormatT = TypeVar("FormatT", bound=Enum)


def choose_format(kind: type[FormatT], value: str) -> FormatT:
    """The --format value as the command's format enum, in any case (`-f JSON`), or a
    usage error listing them."""
    try:
        return kind(value.lower())
    except ValueError:
        choices = ", ".join(str(member.value) for member in kind)
        raise UsageError(f"--format {value!r}: use {choices}") from None


def date_option(value: str | None, flag: str) -> dt.date | None:
    from ..dates import parse_day

    return None if value is None else parse_day(value, flag)


def parameters_of(overrides: dict[str, Any]) -> Parameters:
    from ..config import build_parameters, find_config

    return build_parameters(overrides, find_config())
