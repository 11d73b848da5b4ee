"""Loading claims: files in, one validated and normalized table out.

Every field is validated by the pydantic type that `models.Claim` declares for it, but
column by column and once per distinct value, so a million-row CSV with a few thousand
distinct phrases validates in about the time pandas takes to read it. Every problem of
every file is collected, located (file, line, field) and reported together.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from .errors import InputError
from .models import (
    BUILTIN_METRICS,
    CLAIM_FIELDS,
    REQUIRED_FIELDS,
    UNDATED,
    UNKNOWN_SOURCE,
    Claim,
    ClaimFileHeader,
    Finding,
    Measure,
    MetricDef,
    Quantity,
    Severity,
    Source,
    SourceType,
    claim_shape_problem,
)
from .quantities import PhraseError, PhraseTableError, Reader, numbers_quantity
from .readers import FileRecords, error, expand, read_csv, read_file, read_text, read_yaml

TEXT_COLUMNS = ("id", "event", "metric", "group", "location", "period", "value", "source",
                "source_type", "via", "assessment", "url", "quote", "note")
"""Columns of the claims table that hold text (None when absent)."""


@dataclass
class Claims:
    """A validated, normalized set of claims: one row per claim in `frame`.

    Columns: the claim fields (`id`, `event`, ..., `note`; dates as `datetime.date`),
    `file` and `line`, and what normalization adds: `measure`, `kind`, `hard_low`,
    `hard_high` (inf when open), `soft_low`, `soft_high`, `point`, `figure`,
    `figure_high`, `type` (resolved source type), `party`, `originator`,
    `source_name`, `relayed`, `stated_key` and `date_key` (day numbers; NaN undated)."""

    frame: pd.DataFrame
    sources: dict[str, Source] = field(default_factory=dict)
    metrics: dict[str, Measure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    """Warnings met while loading (errors raise InputError instead)."""
    files: list[str] = field(default_factory=list)
    profile: str = "default"

    def __len__(self) -> int:
        return len(self.frame)

    def __iter__(self) -> Iterator[Claim]:
        for row in self.frame[list(CLAIM_FIELDS)].itertuples(index=False):
            data = {k: v for k, v in zip(CLAIM_FIELDS, row, strict=True) if _present(v)}
            data["retracts"] = list(data.get("retracts", ()))
            yield Claim.model_construct(**data)

    @property
    def ids(self) -> list[str]:
        return self.frame["id"].tolist()

    def quantity(self, claim_id: str) -> Quantity | None:
        """The normalized reading of one claim's figure (None for value-less claims)."""
        row = self.frame.loc[self.frame["id"] == claim_id]
        if row.empty or pd.isna(row["kind"].iloc[0]):
            return None
        r = row.iloc[0]
        return Quantity(
            text=str(r["value_text"]),
            kind=r["kind"],
            hard_low=r["hard_low"],
            hard_high=None if math.isinf(r["hard_high"]) else r["hard_high"],
            soft_low=r["soft_low"],
            soft_high=None if math.isinf(r["soft_high"]) else r["soft_high"],
            point=r["point"],
            figure=None if pd.isna(r["figure"]) else r["figure"],
            figure_high=None if pd.isna(r["figure_high"]) else r["figure_high"],
        )


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and value == "")


# --- field validation ---------------------------------------------------------------


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    info = Claim.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _message(exc: ValidationError) -> str:
    err = exc.errors()[0]
    msg = str(err["msg"])
    if err["type"] == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err['input']!r} is not one of {expected}"
    return msg[0].lower() + msg[1:] if msg else msg


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    if isinstance(value, dict):
        return ("<mapping>", tuple(sorted((str(k), repr(v)) for k, v in value.items())))
    return value


_HINTS = {
    "stated_on": "write YYYY-MM-DD, or `undated` when the page gives no date",
    "as_of": "write YYYY-MM-DD",
    "source_type": "use one of: " + ", ".join(t.value for t in SourceType),
    "assessment": "use unverified, disputed or confirmed",
    "metric": "e.g. killed, injured, detained, held",
    "group": "e.g. total, security_forces, civilians",
    "event": "e.g. kazakhstan-2022-01",
    "retracted": "write true or false",
    "low": "write a number such as 225",
    "high": "write a number such as 240",
    "best": "write a number such as 230",
}


def _validate_column(name: str, column: pd.Series) -> tuple[pd.Series, dict[int, str]]:
    """Validate one field of every row, once per distinct value.

    Returns the normalized column (None where absent) and {row position: message}."""
    values = column.to_numpy(dtype=object)
    mask = np.fromiter((_present(v) for v in values), dtype=bool, count=len(values))
    out = np.full(len(values), None, dtype=object)
    errors: dict[int, str] = {}
    if not mask.any():
        return pd.Series(out, index=column.index, dtype=object), errors
    present = values[mask]
    frozen = [_freeze(v) for v in present] if present.dtype == object else present
    codes, uniques = pd.factorize(pd.Series(frozen, dtype=object), use_na_sentinel=False)
    adapter = _adapter(name)
    normalized: list[Any] = []
    bad: dict[int, str] = {}
    for i, raw in enumerate(uniques):
        try:
            normalized.append(adapter.validate_python(raw))
        except ValidationError as exc:
            normalized.append(None)
            bad[i] = _message(exc)
    mapped = np.empty(len(uniques), dtype=object)
    mapped[:] = normalized
    out[mask] = mapped[codes]
    if bad:
        positions = np.flatnonzero(mask)
        for code, msg in bad.items():
            for pos in positions[codes == code]:
                errors[int(pos)] = msg
    return pd.Series(out, index=column.index, dtype=object), errors


# --- assembling the files ----------------------------------------------------------


@dataclass
class _Builder:
    """Collects files, findings and registries while loading."""

    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    source_origin: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, Measure] = field(default_factory=dict)
    metric_origin: dict[str, str] = field(default_factory=dict)
    frames: list[pd.DataFrame] = field(default_factory=list)
    field_lines: list[dict[str, int] | None] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    def add_registry(
        self,
        name: str,
        sources: dict[str, Source],
        metrics: dict[str, MetricDef],
        lines: dict[str, int],
    ) -> None:
        for sid, src in sources.items():
            where = f"{name}:{lines.get('sources', '?')}"
            if sid in self.sources and self.sources[sid] != src:
                self.findings.append(
                    error(
                        "conflicting-source",
                        name,
                        lines.get("sources"),
                        f"source `{sid}` is defined differently here and in {self.source_origin[sid]}",
                        "define each source once, or the same way everywhere",
                        field="sources",
                    )
                )
                continue
            self.sources[sid] = src
            self.source_origin.setdefault(sid, where)
        for mid, mdef in metrics.items():
            where = f"{name}:{lines.get('metrics', '?')}"
            known = BUILTIN_METRICS.get(mid) or self.metrics.get(mid)
            if known is not None and known != mdef.measure:
                self.findings.append(
                    error(
                        "conflicting-metric",
                        name,
                        lines.get("metrics"),
                        f"metric `{mid}` is {known.value} elsewhere ({self.metric_origin.get(mid, 'built in')})",
                        "declare each metric with one measure",
                        field="metrics",
                    )
                )
                continue
            self.metrics[mid] = mdef.measure
            self.metric_origin.setdefault(mid, where)

    def add_header(self, records: FileRecords) -> dict[str, Any]:
        """Validate a file header; returns the defaults it sets (event, location)."""
        if not records.header:
            return {}
        try:
            header = ClaimFileHeader.model_validate(records.header)
        except ValidationError as exc:
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else None
                line = records.header_lines.get(key or "", None)
                if err["type"] == "extra_forbidden":
                    msg = f"unknown header field `{key}`"
                    hint = "the header has " + ", ".join(
                        f for f in ClaimFileHeader.model_fields
                    ) + " and claims" + _did_you_mean(key or "", [*ClaimFileHeader.model_fields, "claims"])
                else:
                    where = ".".join(str(p) for p in err["loc"])
                    msg = f"{where}: {err['msg'][0].lower()}{err['msg'][1:]}"
                    hint = "see the header format in the README"
                self.findings.append(error("invalid-header", records.name, line, msg, hint, key))
            return {}
        self.add_registry(records.name, header.sources, header.metrics, records.header_lines)
        return {"event": header.event, "location": header.location}

    def add_rows(self, records: FileRecords, defaults: dict[str, Any]) -> None:
        if records.frame is not None:
            frame = records.frame
            lines = np.asarray(records.frame_lines, dtype=np.int64)
            field_lines: list[dict[str, int] | None] = [None] * len(frame)
        elif records.rows:
            frame = pd.DataFrame.from_records(records.rows)
            frame.columns = [str(c) for c in frame.columns]
            lines = np.asarray(records.lines, dtype=np.int64)
            field_lines = list(records.field_lines) or [None] * len(frame)
        else:
            return
        for key, value in defaults.items():
            if value is None:
                continue
            if key not in frame.columns:
                frame[key] = value
            else:
                missing = ~frame[key].map(_present).astype(bool)
                frame.loc[missing, key] = value
        frame["file"] = records.name
        frame["line"] = lines
        self.frames.append(frame)
        self.field_lines.extend(field_lines)


def _did_you_mean(word: str, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


def read_registry(path: str, encoding: str = "utf-8-sig") -> tuple[dict[str, Source], dict[str, MetricDef], list[Finding], dict[str, int]]:
    """A --sources file: YAML (`sources:` and `metrics:`) or CSV (id, name, type, party)."""
    p = Path(path)
    if not p.is_file():
        return {}, {}, [error("missing-file", path, None, "no such sources file", "check the --sources path")], {}
    text, problem = read_text(path, p, encoding)
    if problem or text is None:
        return {}, {}, [problem] if problem else [], {}
    if p.suffix.lower() in (".csv", ".tsv"):
        records = read_csv(path, text, "\t" if p.suffix.lower() == ".tsv" else None)
        if records.findings or records.frame is None:
            return {}, {}, records.findings, {}
        sources: dict[str, Source] = {}
        findings: list[Finding] = []
        frame = records.frame
        if "id" not in frame.columns:
            return {}, {}, [error("invalid-sources", path, 1, "the sources CSV has no `id` column", "columns: id, name, type, party")], {}
        for line, row in zip(records.frame_lines, frame.to_dict("records"), strict=False):
            data = {k: v for k, v in row.items() if k != "id" and v != ""}
            try:
                sources[str(row["id"])] = Source.model_validate(data)
            except ValidationError as exc:
                findings.append(error("invalid-sources", path, line, _message(exc), "columns: id, name, type, party"))
        return sources, {}, findings, {}
    records = read_yaml(path, text)
    header = records.header
    problems = [f for f in records.findings if f.code != "no-claims"]
    if problems:
        return {}, {}, problems, {}
    unknown = set(header) - {"sources", "metrics"}
    if unknown or not header:
        return {}, {}, [error("invalid-sources", path, 1, "a sources file holds `sources:` (and `metrics:`) only", "see the README")], {}
    try:
        parsed = ClaimFileHeader.model_validate(header)
    except ValidationError as exc:
        return {}, {}, [error("invalid-sources", path, None, _message(exc), "see the README")], {}
    return parsed.sources, parsed.metrics, [], records.header_lines


def load(
    paths: str | Path | Sequence[str | Path],
    *,
    sources: str | Path | None = None,
    encoding: str = "utf-8-sig",
    input_format: str | None = None,
    profile: str = "default",
    lang: str | None = None,
) -> Claims:
    """Load, validate and normalize claim files (or folders, or "-" for stdin).

    Raises InputError with every located problem when any claim cannot be used."""
    claims, findings = load_with_findings(
        paths, sources=sources, encoding=encoding, input_format=input_format, profile=profile, lang=lang
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
) -> tuple[Claims | None, list[Finding]]:
    """Like `load`, but returns the findings (errors included) instead of raising;
    the claims are None when the input could not be read at all."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, findings = expand([str(p) for p in paths])
    builder = _Builder(findings=findings)
    if sources is not None:
        reg_sources, reg_metrics, problems, lines = read_registry(str(sources), encoding)
        builder.findings.extend(problems)
        builder.add_registry(str(sources), reg_sources, reg_metrics, lines)
    for name, path in files:
        records = read_file(name, path, encoding=encoding, forced=input_format)
        builder.findings.extend(records.findings)
        builder.files.append(name)
        defaults = builder.add_header(records)
        builder.add_rows(records, defaults)
    try:
        reader = Reader(profile, lang)
    except PhraseTableError as exc:
        builder.findings.append(error("bad-profile", str(profile), None, str(exc), "see `figrecon parse --help`"))
        return None, builder.findings
    if not builder.frames:
        frame = pd.DataFrame(columns=[*CLAIM_FIELDS, "file", "line"])
        field_lines: list[dict[str, int] | None] = []
    else:
        frame = pd.concat(builder.frames, ignore_index=True, sort=False) if len(builder.frames) > 1 else builder.frames[0]
        field_lines = builder.field_lines
    claims = _normalize(frame, field_lines, builder, reader, str(profile))
    return claims, builder.findings


# --- normalization -------------------------------------------------------------------


def _at(frame: pd.DataFrame, lines: list[dict[str, int] | None], pos: int, field_name: str | None) -> tuple[str, int]:
    fl = lines[pos] if pos < len(lines) else None
    line = int(frame["line"].iat[pos])
    if fl and field_name and field_name in fl:
        line = fl[field_name]
    return str(frame["file"].iat[pos]), line


def _normalize(
    frame: pd.DataFrame,
    field_lines: list[dict[str, int] | None],
    builder: _Builder,
    reader: Reader,
    profile: str,
) -> Claims:
    findings = builder.findings
    n = len(frame)
    frame = frame.reset_index(drop=True)

    def report(code: str, pos: int, field_name: str | None, message: str, hint: str | None, claim: str | None = None, severity: Severity = Severity.error) -> None:
        file, line = _at(frame, field_lines, pos, field_name)
        findings.append(
            Finding(code=code, severity=severity, file=file, line=line, field=field_name, claim=claim, message=message, hint=hint)
        )

    # Unknown fields: x_ columns are the user's own and are kept aside.
    for col in list(frame.columns):
        if col in CLAIM_FIELDS or col in ("file", "line"):
            continue
        if col.startswith("x_"):
            continue
        present = np.flatnonzero(frame[col].map(_present).to_numpy(dtype=bool))
        hint = "fields are " + ", ".join(CLAIM_FIELDS) + _did_you_mean(col, CLAIM_FIELDS) + "; start your own fields with x_"
        seen_files: set[str] = set()
        for pos in present:
            file = str(frame["file"].iat[pos])
            if field_lines[pos] is None:  # CSV: one finding for the column
                if file in seen_files:
                    continue
                seen_files.add(file)
                findings.append(error("unknown-field", file, 1, f"unknown column `{col}`", hint, col))
            else:
                report("unknown-field", int(pos), col, f"unknown field `{col}`", hint)
    for col in CLAIM_FIELDS:
        if col not in frame.columns:
            frame[col] = None

    given = {col: frame[col].map(_present).to_numpy(dtype=bool) for col in REQUIRED_FIELDS}
    # Every field, validated by its model type, once per distinct value.
    for col in CLAIM_FIELDS:
        normalized, errors = _validate_column(col, frame[col])
        frame[col] = normalized
        for pos, msg in errors.items():
            report("invalid-field", pos, col, msg, _HINTS.get(col))

    for col, info in Claim.model_fields.items():
        if info.is_required():
            continue
        default = info.get_default(call_default_factory=True)
        if default is not None:
            absent = ~frame[col].map(_present).to_numpy(dtype=bool)
            if absent.any():
                fill = np.empty(int(absent.sum()), dtype=object)
                fill[:] = [tuple(default) if isinstance(default, list) else default] * len(fill)
                values = frame[col].to_numpy(dtype=object).copy()
                values[absent] = fill
                frame[col] = values
    frame["retracts"] = frame["retracts"].map(lambda r: tuple(r) if r else ())

    ids_given = frame["id"].map(_present).to_numpy(dtype=bool)
    default_ids = frame["file"].astype(str) + ":" + frame["line"].astype(str)
    frame["id"] = np.where(ids_given, frame["id"].to_numpy(dtype=object), default_ids.to_numpy(dtype=object))

    for col in REQUIRED_FIELDS:
        missing = np.flatnonzero(~given[col])
        hint = {
            "event": "add `event:` to the claim or to the file header",
            "stated_on": "give the date the originator stated it (YYYY-MM-DD), or `undated`",
            "source": "name the originator, or write `unknown`",
        }.get(col, f"every claim needs {col}")
        for pos in missing:
            report("missing-field", int(pos), None, f"missing `{col}`", hint, str(frame["id"].iat[pos]))

    _check_shapes(frame, report)
    _check_ids(frame, report)
    _check_metrics(frame, builder, report)
    _normalize_values(frame, reader, report)
    _resolve_sources(frame, builder, report)
    _dates(frame)
    if n == 0:
        frame["measure"] = pd.Series(dtype=object)
    order = {name: i for i, name in enumerate(builder.files)}
    findings.sort(key=lambda f: (order.get(f.file or "", -1), f.line or 0))
    return Claims(
        frame=frame,
        sources=dict(builder.sources),
        metrics={**BUILTIN_METRICS, **builder.metrics},
        findings=[f for f in findings if f.severity != Severity.error],
        files=builder.files,
        profile=profile,
    )


def _check_shapes(frame: pd.DataFrame, report: Any) -> None:
    """value vs low/high/best vs assessment vs retracts, once per combination."""
    keys = pd.DataFrame(
        {
            "v": frame["value"].map(_present),
            "lo": pd.to_numeric(frame["low"], errors="coerce"),
            "hi": pd.to_numeric(frame["high"], errors="coerce"),
            "be": pd.to_numeric(frame["best"], errors="coerce"),
            "a": frame["assessment"].map(_present),
            "r": frame["retracts"].map(lambda r: bool(r)),
        }
    )
    combos = keys.drop_duplicates()
    for combo in combos.itertuples(index=False):
        nums = tuple(None if math.isnan(x) else float(x) for x in (combo.lo, combo.hi, combo.be))
        problem = claim_shape_problem(bool(combo.v), nums, bool(combo.a), bool(combo.r))  # type: ignore[arg-type]
        if problem is None:
            continue
        same = (
            (keys["v"] == combo.v)
            & (keys["lo"].fillna(-1) == (-1 if math.isnan(combo.lo) else combo.lo))
            & (keys["hi"].fillna(-1) == (-1 if math.isnan(combo.hi) else combo.hi))
            & (keys["be"].fillna(-1) == (-1 if math.isnan(combo.be) else combo.be))
            & (keys["a"] == combo.a)
            & (keys["r"] == combo.r)
        )
        for pos in np.flatnonzero(same.to_numpy()):
            report("invalid-claim", int(pos), "value", problem, None, str(frame["id"].iat[pos]))


def _check_ids(frame: pd.DataFrame, report: Any) -> None:
    ids = frame["id"]
    dup = ids.duplicated(keep="first").to_numpy()
    if dup.any():
        first = {}
        for pos, value in enumerate(ids.tolist()):
            if value not in first:
                first[value] = pos
        for pos in np.flatnonzero(dup):
            f = first[ids.iat[pos]]
            report(
                "duplicate-id",
                int(pos),
                "id",
                f"id `{ids.iat[pos]}` is already used at {frame['file'].iat[f]}:{frame['line'].iat[f]}",
                "give every claim its own id",
                str(ids.iat[pos]),
            )
    targets = frame["retracts"]
    has = np.flatnonzero(targets.map(lambda r: bool(r)).to_numpy(dtype=bool))
    if len(has):
        known = set(ids.tolist())
        for pos in has:
            for target in targets.iat[pos]:
                if target not in known:
                    report(
                        "unknown-reference",
                        int(pos),
                        "retracts",
                        f"retracts `{target}`, but no claim has that id",
                        "check the id" + _did_you_mean(target, sorted(known)),
                        str(ids.iat[pos]),
                    )


def _check_metrics(frame: pd.DataFrame, builder: _Builder, report: Any) -> None:
    known = {**BUILTIN_METRICS, **builder.metrics}
    metrics = frame["metric"]
    measure = metrics.map(lambda m: known.get(m).value if m in known else None)  # type: ignore[union-attr]
    bad = np.flatnonzero((metrics.map(_present) & measure.isna()).to_numpy(dtype=bool))
    for pos in bad:
        m = metrics.iat[pos]
        report(
            "unknown-metric",
            int(pos),
            "metric",
            f"unknown metric `{m}`" + _did_you_mean(m, list(known)),
            "use killed, injured, detained, charged, convicted, released, pardoned, "
            "criminal_cases, held or missing, or declare it under `metrics:` in the header",
            str(frame["id"].iat[pos]),
        )
    frame["measure"] = measure


_QUANTITY_COLUMNS = ("kind", "hard_low", "hard_high", "soft_low", "soft_high", "point", "figure", "figure_high")


def _quantity_row(q: Quantity) -> tuple[Any, ...]:
    return (
        q.kind.value,
        q.hard_low,
        math.inf if q.hard_high is None else q.hard_high,
        q.soft_low,
        math.inf if q.soft_high is None else q.soft_high,
        q.point,
        math.nan if q.figure is None else q.figure,
        math.nan if q.figure_high is None else q.figure_high,
    )


_EMPTY_ROW = (None, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan, math.nan)


def _normalize_values(frame: pd.DataFrame, reader: Reader, report: Any) -> None:
    """R1: every figure becomes hard/soft intervals, a point and a kind; each distinct
    phrase (and each distinct low/high/best combination) is read once."""
    n = len(frame)
    table = np.empty((n, len(_QUANTITY_COLUMNS)), dtype=object)
    table[:] = _EMPTY_ROW
    text = np.full(n, None, dtype=object)
    values = frame["value"]
    has_value = values.map(_present).to_numpy(dtype=bool)
    if has_value.any():
        codes, uniques = pd.factorize(values[has_value])
        rows = []
        bad: dict[int, PhraseError] = {}
        for i, phrase in enumerate(uniques):
            try:
                rows.append(_quantity_row(reader.read(str(phrase))))
            except PhraseError as exc:
                rows.append(_EMPTY_ROW)
                bad[i] = exc
        mapped = np.empty((len(uniques), len(_QUANTITY_COLUMNS)), dtype=object)
        mapped[:] = rows
        table[has_value] = mapped[codes]
        text[has_value] = values[has_value].to_numpy(dtype=object)
        positions = np.flatnonzero(has_value)
        for code, exc in bad.items():
            for pos in positions[codes == code]:
                report("unparseable-value", int(pos), "value", exc.message, exc.hint, str(frame["id"].iat[pos]))
    numbers = frame[["low", "high", "best"]].map(lambda x: None if not _present(x) else float(x))
    has_numbers = numbers.notna().any(axis=1).to_numpy() & ~has_value
    if has_numbers.any():
        sub = numbers[has_numbers]
        cache: dict[tuple[Any, ...], tuple[Quantity | None, str | None]] = {}
        out_rows = []
        out_text = []
        for lo, hi, be in sub.itertuples(index=False):
            key = (lo, hi, be)
            if key not in cache:
                nums = tuple(None if (x is None or math.isnan(x)) else x for x in key)
                try:
                    q = numbers_quantity(*nums)  # type: ignore[arg-type]
                    cache[key] = (q, None)
                except (ValueError, AssertionError) as exc:
                    cache[key] = (None, str(exc))
            q, _problem = cache[key]
            out_rows.append(_quantity_row(q) if q else _EMPTY_ROW)
            out_text.append(q.text if q else None)
        block = np.empty((len(out_rows), len(_QUANTITY_COLUMNS)), dtype=object)
        block[:] = out_rows
        table[has_numbers] = block
        text[has_numbers] = out_text
    for j, col in enumerate(_QUANTITY_COLUMNS):
        if col == "kind":
            frame[col] = table[:, j]
        else:
            frame[col] = table[:, j].astype(float)
    frame["value_text"] = text


def _resolve_sources(frame: pd.DataFrame, builder: _Builder, report: Any) -> None:
    """Source type, party, originator key and display name of every claim (R4, R6)."""
    registry = builder.sources
    src = frame["source"]
    given_type = frame["source_type"]
    reg_type = src.map(lambda s: registry[s].type.value if s in registry else None)
    kind = given_type.where(given_type.map(_present), reg_type)
    unknown_src = src == UNKNOWN_SOURCE
    kind = kind.where(~unknown_src, SourceType.unknown.value)
    unresolved = (~kind.map(_present)) & src.map(_present)
    for pos in np.flatnonzero(unresolved.to_numpy(dtype=bool)):
        report(
            "unknown-reference",
            int(pos),
            "source",
            f"source `{src.iat[pos]}` is not in the sources registry and has no source_type; read as type unknown",
            "add it under `sources:` or give source_type",
            str(frame["id"].iat[pos]),
            Severity.warning,
        )
    frame["type"] = kind.where(kind.map(_present), SourceType.unknown.value)

    def party_of(s: Any) -> str:
        entry = registry.get(s)
        if entry is None or entry.party in (None, False):
            return ""
        return "<party>" if entry.party is True else str(entry.party)

    frame["party"] = src.map(party_of)
    via = frame["via"]
    relayed = via.map(_present)
    frame["relayed"] = relayed.to_numpy(dtype=bool)
    # An unknown originator is keyed by the carrier nearest to it: an outlet's own
    # unattributed figures supersede each other, but never another outlet's.
    nearest = via.map(lambda v: str(v).split("<")[-1].strip() if _present(v) else None)
    origin_unknown = unknown_src.to_numpy(dtype=bool)
    originator = src.to_numpy(dtype=object).copy()
    fallback = frame["id"].to_numpy(dtype=object)
    for pos in np.flatnonzero(origin_unknown):
        carrier = nearest.iat[pos]
        originator[pos] = f"unknown<{carrier if carrier else fallback[pos]}>"
    frame["originator"] = originator
    frame["source_name"] = src.map(lambda s: registry[s].name or s if s in registry else s)


def _day(value: Any) -> float:
    if value is None or value == UNDATED or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value.toordinal())


def _dates(frame: pd.DataFrame) -> None:
    stated = frame["stated_on"].map(_day).astype(float)
    as_of = frame["as_of"].map(_day).astype(float)
    frame["stated_key"] = stated
    frame["date_key"] = as_of.where(as_of.notna(), stated)
