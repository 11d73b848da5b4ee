"""Loading claims: files in, one validated and normalized table out.

Every field is validated by the pydantic type that `model.Claim` declares for it, but
column by column and once per distinct value, so a million-row CSV with a few thousand
distinct phrases validates in about the time pandas takes to read it. Every problem of
every file is collected, located (file, line, field) and reported together.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..errors import InputError, UsageError
from ..io.files import check_encoding, expand
from ..io.formats import read_file, sheet_format
from ..io.limits import MAX_INPUT_SIZE
from ..io.records import error
from ..model import (
    CLAIM_FIELDS,
    Finding,
    Severity,
)
from ..phrases import PhraseTableError, Reader
from .builder import Builder
from .claims import Claims
from .normalize import normalize
from .registry import read_registry
from .table import ColumnTable

if TYPE_CHECKING:
    from ..io.importers import ImportOptions


def load(
    paths: str | Path | Sequence[str | Path],
    *,
    sources: str | Path | None = None,
    encoding: str = "utf-8-sig",
    input_format: str | None = None,
    profile: str = "default",
    lang: str | None = None,
    max_input_size: int = MAX_INPUT_SIZE,
    events: ImportOptions | None = None,
    sheet: str | None = None,
) -> Claims:
    """Load, validate and normalize claim files (or folders, or "-" for stdin); a file
    larger than `max_input_size` bytes is refused. Event datasets (UCDP GED, ACLED, HXL)
    give the claims that `events` asks for (by default one per country and year). Of a
    spreadsheet every sheet is read, or the one named `sheet`.

    Raises InputError with every located problem when any claim cannot be used."""
    claims, findings = load_with_findings(
        paths,
        sources=sources,
        encoding=encoding,
        input_format=input_format,
        profile=profile,
        lang=lang,
        max_input_size=max_input_size,
        events=events,
        sheet=sheet,
    )
    errors = [f for f in findings if f.severity == Severity.error]
    if errors or claims is None:
        raise InputError(errors or findings)
    return claims


def load_with_findings(
    paths: str | Path | Sequence[str | Path],
    *,
    sources: str | Path | None = None,
    encoding: str = "utf-8-sig",
    input_format: str | None = None,
    profile: str = "default",
    lang: str | None = None,
    max_input_size: int = MAX_INPUT_SIZE,
    events: ImportOptions | None = None,
    sheet: str | None = None,
) -> tuple[Claims | None, list[Finding]]:
    """Like `load`, but returns the findings (errors included) instead of raising;
    the claims are None when the input could not be read at all. Raises UsageError for
    an `encoding` that is no character encoding."""
    check_encoding(encoding)
    with paused_gc():
        return _load(
            paths, sources, encoding, input_format, profile, lang, max_input_size, events, sheet
        )


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector during bulk work: building a million small
    objects otherwise triggers collections that scan them all, again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(
    paths: str | Path | Sequence[str | Path],
    sources: str | Path | None,
    encoding: str,
    input_format: str | None,
    profile: str,
    lang: str | None,
    max_input_size: int,
    events: ImportOptions | None,
    sheet: str | None,
) -> tuple[Claims | None, list[Finding]]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, findings = expand([str(p) for p in paths])
    builder = Builder(findings=findings)
    if sources is not None:
        reg_sources, reg_metrics, problems, lines = read_registry(
            str(sources), encoding, max_input_size
        )
        builder.findings.extend(problems)
        builder.add_registry(str(sources), reg_sources, reg_metrics, lines)
    if sheet is not None and not any(sheet_format(path, input_format) for _, path in files):
        raise UsageError(
            f"--sheet {sheet}: none of the inputs is a spreadsheet (.xlsx, .ods); "
            "leave out --sheet, or give the workbook"
        )
    for name, path in files:
        for records in read_file(
            name,
            path,
            encoding=encoding,
            forced=input_format,
            max_size=max_input_size,
            events=events,
            sheet=sheet,
        ):
            builder.findings.extend(records.findings)
            builder.files.append(records.name)
            if not records.claim_file:
                builder.other_files.add(records.name)
            defaults = builder.add_header(records)
            builder.add_rows(records, defaults)
            del records  # its rows are in the builder's columns now: free them
    try:
        reader = Reader(profile, lang)
    except PhraseTableError as exc:
        builder.findings.append(
            error("bad-profile", None, None, str(exc), "see `figrecon parse --help`")
        )
        return None, builder.findings
    names: dict[str, None] = dict.fromkeys([*CLAIM_FIELDS, "file", "line"])
    for part in builder.parts:
        names.update(dict.fromkeys(part))
    columns: dict[str, np.ndarray] = {}
    absent = {name for name in names if not any(name in part for part in builder.parts)}
    n = sum(len(part["line"]) for part in builder.parts)
    # The fields no input has share one column of None, which nothing may write to.
    nothing = np.full(n, None, dtype=object)
    nothing.flags.writeable = False
    for name in names:
        if name in absent and builder.parts:
            columns[name] = nothing
            continue
        pieces = [
            part[name] if name in part else np.full(len(part["line"]), None, dtype=object)
            for part in builder.parts
        ]
        if len(pieces) == 1:
            columns[name] = pieces[0]
        elif pieces:
            columns[name] = np.concatenate(pieces)
        else:
            columns[name] = np.empty(0, dtype=np.int64 if name == "line" else object)
    table = ColumnTable(columns, len(columns["line"]), absent)
    field_lines = builder.field_lines
    claims = normalize(table, field_lines, builder, reader, str(profile))
    return claims, builder.findings
