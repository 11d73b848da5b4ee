"""Reading a sources registry given with `--sources` (YAML, JSON or CSV)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import did_you_mean as _did_you_mean
from ..io.csv import read_csv
from ..io.files import irregular, read_text
from ..io.limits import MAX_INPUT_SIZE
from ..io.records import error
from ..io.yaml import read_yaml
from ..model import (
    ClaimFileHeader,
    Finding,
    MetricDef,
    Source,
)
from .validate import clean_loc, header_findings, message_of


def read_registry(
    path: str, encoding: str = "utf-8-sig", max_input_size: int = MAX_INPUT_SIZE
) -> tuple[dict[str, Source], dict[str, MetricDef], list[Finding], dict[str, int]]:
    """A --sources file: YAML (`sources:` and `metrics:`) or CSV (id, name, type, party)."""
    p = Path(path)
    if (what := irregular(p)) is not None:
        return (
            {},
            {},
            [
                error(
                    "missing-file",
                    path,
                    None,
                    f"not a regular file ({what})",
                    "give the registry file itself (YAML, JSON or CSV) to --sources",
                )
            ],
            {},
        )
    if not p.is_file():
        return (
            {},
            {},
            [error("missing-file", path, None, "no such sources file", "check the --sources path")],
            {},
        )
    text, problem = read_text(path, p, encoding, max_input_size)
    if problem or text is None:
        return {}, {}, [problem] if problem else [], {}
    if p.suffix.lower() in (".csv", ".tsv"):
        records = read_csv(path, text, "\t" if p.suffix.lower() == ".tsv" else None, claims=False)
        if records.findings or records.table is None:
            return {}, {}, records.findings, {}
        sources: dict[str, Source] = {}
        findings: list[Finding] = []
        table = records.table
        if "id" not in table:
            return (
                {},
                {},
                [
                    error(
                        "invalid-sources",
                        path,
                        1,
                        "the sources CSV has no `id` column",
                        "columns: id, name, type, party",
                    )
                ],
                {},
            )
        allowed = ["id", *Source.model_fields]
        extra = [c for c in table if c not in allowed]
        if extra:
            return (
                {},
                {},
                [
                    error(
                        "invalid-sources",
                        path,
                        1,
                        f"unknown column `{col}`",
                        "columns: " + ", ".join(allowed) + _did_you_mean(col, allowed),
                        col,
                    )
                    for col in extra
                ],
                {},
            )
        first_line: dict[str, int] = {}
        rows = (
            dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)
        )
        for line, row in zip(records.row_lines, rows, strict=False):
            sid = str(row["id"]).strip()
            if not sid:
                findings.append(
                    error(
                        "invalid-sources",
                        path,
                        line,
                        "a source without an id",
                        "give it an id",
                        "id",
                    )
                )
                continue
            if sid in first_line:
                findings.append(
                    error(
                        "invalid-sources",
                        path,
                        line,
                        f"source `{sid}` is already defined at line {first_line[sid]}",
                        "define each source once",
                        "id",
                    )
                )
                continue
            first_line[sid] = line
            data = {k: v for k, v in row.items() if k != "id" and v != ""}
            try:
                sources[sid] = Source.model_validate(data)
            except ValidationError as exc:
                for err in exc.errors():
                    loc = clean_loc(err["loc"], data)
                    findings.append(
                        error(
                            "invalid-sources",
                            path,
                            line,
                            message_of(err),
                            "columns: " + ", ".join(allowed),
                            loc[0] if loc else None,
                        )
                    )
        return sources, {}, findings, {}
    records = read_yaml(path, text)
    header = records.header
    problems = [f for f in records.findings if f.code not in ("no-claims", "not-a-claim")]
    if problems:
        return {}, {}, problems, {}
    unknown = sorted(set(header) - {"sources", "metrics"})
    if unknown:
        return (
            {},
            {},
            [
                error(
                    "invalid-sources",
                    path,
                    records.header_lines.get(key),
                    f"unknown field `{key}`",
                    "a sources file holds `sources:` (and `metrics:`) only",
                    key,
                )
                for key in unknown
            ],
            {},
        )
    if not header:
        return (
            {},
            {},
            [
                error(
                    "invalid-sources",
                    path,
                    1,
                    "a sources file is a mapping with `sources:` (and `metrics:`), "
                    "not a list or a claim file",
                    "write `sources:` then `id: {name: ..., type: ...}` entries",
                )
            ],
            {},
        )
    try:
        parsed = ClaimFileHeader.model_validate(header)
    except ValidationError as exc:
        return (
            {},
            {},
            header_findings(exc, path, header, records.header_lines, "invalid-sources"),
            {},
        )
    return parsed.sources, parsed.metrics, [], records.header_lines
