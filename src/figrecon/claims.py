"""Loading claims: files in, one validated and normalized table out.

Every field is validated by the pydantic type that `models.Claim` declares for it, but
column by column and once per distinct value, so a million-row CSV with a few thousand
distinct phrases validates in about the time pandas takes to read it. Every problem of
every file is collected, located (file, line, field) and reported together.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, cast

import numpy as np
import pandas as pd
from pydantic import TypeAdapter, ValidationError

from .errors import InputError
from .errors import did_you_mean as _did_you_mean
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
    error_text,
)
from .quantities import PhraseTableError, Reader, numbers_quantity
from .readers import (
    MAX_FIELDS,
    MAX_INPUT_SIZE,
    FileRecords,
    check_encoding,
    error,
    expand,
    read_csv,
    read_file,
    read_text,
    read_yaml,
)
from .retractions import retraction_cycles
from .templates import COLUMNS as QUANTITY_COLUMNS
from .templates import quantity_row, read_phrases

if TYPE_CHECKING:
    from .importers import ImportOptions

TEXT_COLUMNS = (
    "id",
    "event",
    "metric",
    "group",
    "location",
    "period",
    "value",
    "source",
    "source_type",
    "via",
    "assessment",
    "url",
    "quote",
    "note",
)
"""Columns of the claims table that hold text (None when absent)."""


@dataclass
class Claims:
    """A validated, normalized set of claims, stored column by column.

    `columns` (and the DataFrame `frame`, built on first use) hold the claim fields
    (`id`, `event`, ..., `note`; dates as `datetime.date`), `file` and `line`, and what
    normalization adds: `measure`, `kind`, `hard_low`, `hard_high` (inf when open),
    `soft_low`, `soft_high`, `point`, `figure`, `figure_high`, `changed_from` (the
    earlier figure of a change, R1), `value_text`, `type`
    (resolved source type), `party`, `originator`, `source_name`, `relayed`,
    `stated_key` and `date_key` (day numbers; NaN when undated)."""

    columns: dict[str, np.ndarray]
    sources: dict[str, Source] = field(default_factory=dict)
    metrics: dict[str, Measure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    """Warnings met while loading (errors raise InputError instead)."""
    files: list[str] = field(default_factory=list)
    profile: str = "default"
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **kwargs: Any) -> Claims:
        """Claims from a DataFrame with the columns above (e.g. a filtered `frame`)."""
        columns = {
            c: frame[c].to_numpy(dtype=object if frame[c].dtype == object else None)
            for c in frame.columns
        }
        return cls(columns=columns, **kwargs)

    def take(self, keep: np.ndarray) -> Claims:
        """The claims where `keep` (a boolean array) is true."""
        return Claims(
            columns={k: v[keep] for k, v in self.columns.items()},
            sources=self.sources,
            metrics=self.metrics,
            findings=self.findings,
            files=self.files,
            profile=self.profile,
        )

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            self._frame = pd.DataFrame(
                {
                    k: pd.Series(v, dtype=object if v.dtype == object else v.dtype)
                    for k, v in self.columns.items()
                }
            )
        return self._frame

    def __len__(self) -> int:
        return len(self.columns["id"])

    def __iter__(self) -> Iterator[Claim]:
        names = list(CLAIM_FIELDS)
        for row in zip(*(self.columns[c] for c in names), strict=True):
            data = {k: v for k, v in zip(names, row, strict=True) if _present(v)}
            data["retracts"] = list(data.get("retracts", ()))
            yield Claim.model_construct(**data)

    @property
    def ids(self) -> list[str]:
        return list(self.columns["id"])

    def quantity(self, claim_id: str) -> Quantity | None:
        """The normalized reading of one claim's figure (None for value-less claims)."""
        hits = np.flatnonzero(self.columns["id"] == claim_id)
        if not len(hits) or self.columns["kind"][hits[0]] is None:
            return None
        i = hits[0]

        def col(name: str) -> Any:
            return self.columns[name][i]

        return Quantity(
            text=str(col("value_text")),
            kind=col("kind"),
            hard_low=col("hard_low"),
            hard_high=None if math.isinf(col("hard_high")) else col("hard_high"),
            soft_low=col("soft_low"),
            soft_high=None if math.isinf(col("soft_high")) else col("soft_high"),
            point=col("point"),
            figure=None if math.isnan(col("figure")) else col("figure"),
            figure_high=None if math.isnan(col("figure_high")) else col("figure_high"),
        )


def _present(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    return not (isinstance(value, str) and value == "")


_FREEZE_BUDGET = 10_000


def _freeze(value: Any) -> Any:
    """A hashable stand-in for a list or mapping value. Structures of more than
    `_FREEZE_BUDGET` items (a YAML alias bomb expands to billions) stand for themselves
    alone, so hashing them costs nothing; such a value is rejected by validation."""
    budget = [_FREEZE_BUDGET]

    def walk(item: Any) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise OverflowError
        if isinstance(item, list):
            return tuple(walk(v) for v in item)
        if isinstance(item, dict):
            return ("<mapping>", tuple(sorted((str(k), walk(v)) for k, v in item.items())))
        return item

    if not isinstance(value, list | dict):
        return value
    try:
        return walk(value)
    except (OverflowError, TypeError):
        return ("<value>", id(value))


def _factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """codes, uniques of an object array; None and NaN get code -1. Unhashable YAML
    values (lists, mappings) are frozen first."""
    try:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
    except TypeError:
        codes, frozen = pd.factorize(
            np.array([_freeze(v) for v in values] + [None], dtype=object)[:-1], use_na_sentinel=True
        )
        # The uniques are the values as written (first of each), not their stand-ins,
        # so validation sees the list or mapping the user gave.
        first = np.full(len(frozen), -1, dtype=np.int64)
        seen = codes >= 0
        first[codes[seen][::-1]] = np.flatnonzero(seen)[::-1]
        uniques = np.empty(len(frozen), dtype=object)
        uniques[:] = [values[i] for i in first]
    return np.asarray(codes), np.asarray(uniques, dtype=object)


class _Table:
    """The columns of the claims being loaded, as numpy arrays. Each column is
    factorized once, so every per-value rule (validation, lookups, presence) runs
    once per distinct value rather than once per claim."""

    def __init__(self, columns: dict[str, np.ndarray], length: int) -> None:
        self.cols = columns
        self.n = length
        self._factors: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    def __getitem__(self, name: str) -> np.ndarray:
        return self.cols[name]

    def __contains__(self, name: str) -> bool:
        return name in self.cols

    def factors(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self._factors:
            self._factors[name] = _factorize(self.cols[name])
        return self._factors[name]

    def map(self, name: str, fn: Any, missing: Any = None) -> np.ndarray:
        """fn applied once per distinct value of a column (missing values give `missing`)."""
        codes, uniques = self.factors(name)
        table = np.empty(len(uniques) + 1, dtype=object)
        for i, u in enumerate(uniques):  # one by one: tuples must stay elements
            table[i] = fn(u)
        table[-1] = missing
        mapped: np.ndarray = table[codes]
        return mapped

    def present(self, name: str) -> np.ndarray:
        """Which rows give a value (not None, NaN or an empty string)."""
        values = self.cols[name]
        return np.asarray(pd.notna(values) & (values != ""), dtype=bool)

    def set(
        self, name: str, values: np.ndarray, factors: tuple[np.ndarray, np.ndarray] | None = None
    ) -> None:
        self.cols[name] = values
        if factors is None:
            self._factors.pop(name, None)
        else:
            self._factors[name] = factors

    def text(self, name: str, pos: int) -> str:
        return str(self.cols[name][pos])


# --- field validation ---------------------------------------------------------------


@cache
def _adapter(name: str) -> TypeAdapter[Any]:
    info = Claim.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(annotation)


def _message(exc: ValidationError) -> str:
    return _message_of(exc.errors()[0])


def _message_of(err: Mapping[str, Any]) -> str:
    if err["type"] == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{err['input']!r} is not one of {expected}"
    return error_text(err)


def _clean_loc(loc: tuple[Any, ...]) -> list[str]:
    """A pydantic error location without its validator names
    (`function-after[_nonblank(), ...]`)."""
    return [
        str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))
    ]


def header_findings(
    exc: ValidationError,
    name: str,
    data: Mapping[str, Any],
    lines: Mapping[str, int],
    code: str = "invalid-header",
) -> list[Finding]:
    """One finding per error in a file header or sources file, at the line of the
    entry (`sources: ap: type:`), named by its full path (`sources.ap.type`)."""
    out = []
    for err in exc.errors():
        loc = _clean_loc(err["loc"])
        key = loc[0] if loc else None
        line = _line_of(data, tuple(loc), lines.get(key or ""))
        if err["type"] == "extra_forbidden" and len(loc) == 1:
            known = [*ClaimFileHeader.model_fields, "claims"]
            msg = "unknown header field"
            hint = "the header has " + ", ".join(known) + _did_you_mean(key or "", known)
        elif err["type"] == "extra_forbidden":
            known = list(Source.model_fields if loc[0] == "sources" else MetricDef.model_fields)
            msg = "unknown field"
            hint = "an entry has " + ", ".join(known) + _did_you_mean(loc[-1], known)
        else:
            msg = _message_of(err)
            hint = "see the header format in the README"
        out.append(error(code, name, line, msg, hint, ".".join(loc) or None))
    return out


def _line_of(data: Any, loc: tuple[Any, ...], default: int | None) -> int | None:
    """The line of the innermost mapping entry on `loc` that records one."""
    line = default
    for key in loc:
        lines = getattr(data, "lines", None)
        if isinstance(lines, dict) and str(key) in lines:
            line = lines[str(key)]
        elif isinstance(lines, list) and isinstance(key, int) and key < len(lines):
            line = lines[key]
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            break
    return line


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
    "via": "write one carrier, or a chain from the last to the first: `The Week < Reuters`",
    "source": "write the registry id or the name of the originator",
}

PLAIN_TEXT = frozenset({"id", "url", "quote", "note"})
"""Free text that is nearly always distinct and never interpreted: in large files it
is taken as written (blank means absent) instead of being validated value by value."""


def _validate_column(name: str, table: _Table) -> dict[int, str]:
    """Validate one field of every row by its model type, once per distinct value.
    Replaces the column with normalized values (None where absent); returns
    {row position: message} for the values that are not valid."""
    values = table[name]
    if (
        name in PLAIN_TEXT
        and table.n > 10_000
        and all(isinstance(v, str) for v in values[: min(100, len(values))])
    ):
        out = values.copy()
        out[(out == "") | pd.isna(out)] = None
        table.set(name, out)
        return {}
    codes, uniques = table.factors(name)
    adapter = _adapter(name)
    normalized = np.empty(len(uniques) + 1, dtype=object)
    normalized[-1] = None
    bad: dict[int, str] = {}
    for i, raw in enumerate(uniques):
        if not _present(raw):
            normalized[i] = None
            continue
        try:
            normalized[i] = adapter.validate_python(raw)
        except ValidationError as exc:
            normalized[i] = None
            bad[i] = _message(exc)
    errors: dict[int, str] = {}
    for code, msg in bad.items():
        for pos in np.flatnonzero(codes == code):
            errors[int(pos)] = msg
    # Keep the factors' promise that a missing value has code -1: an empty string or an
    # invalid value is None from here on (a CSV's empty `value` beside `low`/`high`).
    gone = np.array([v is None for v in normalized], dtype=bool)
    codes = np.where(gone[codes], -1, codes)
    table.set(name, normalized[codes], (codes, normalized[:-1]))
    return errors


# --- assembling the files ----------------------------------------------------------


@dataclass
class _Builder:
    """Collects files, findings and registries while loading."""

    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    source_origin: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, Measure] = field(default_factory=dict)
    metric_origin: dict[str, str] = field(default_factory=dict)
    parts: list[dict[str, np.ndarray]] = field(default_factory=list)
    field_lines: list[dict[str, int] | None] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    empty_keys: dict[str, list[int]] = field(default_factory=dict)
    """Keys outside the claim format given without a value, with the rows (positions in
    the whole table) that give them: reported as unknown fields all the same."""
    names: set[str] = field(default_factory=set)
    """The field names of every file so far: each becomes a column of the table."""

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
                        f"source `{sid}` is defined differently here and in "
                        f"{self.source_origin[sid]}",
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
                        f"metric `{mid}` is {known.value} elsewhere "
                        f"({self.metric_origin.get(mid, 'built in')})",
                        "declare each metric with one measure",
                        field="metrics",
                    )
                )
                continue
            self.metrics[mid] = mdef.measure
            self.metric_origin.setdefault(mid, where)

    def add_header(self, records: FileRecords) -> dict[str, Any]:
        """Validate a file header; returns the defaults it sets (event, location)."""
        # x_ keys are the user's own (e.g. YAML anchors for `<<:` merges), as in claims.
        fields = {k: v for k, v in records.header.items() if not str(k).startswith("x_")}
        if not fields:
            return {}
        try:
            header = ClaimFileHeader.model_validate(fields)
        except ValidationError as exc:
            bad = {str(err["loc"][0]) for err in exc.errors() if err["loc"]}
            self.findings.extend(
                header_findings(exc, records.name, records.header, records.header_lines)
            )
            # The header's valid fields still apply, so one bad field does not make
            # every claim "miss" the event the header gives.
            try:
                header = ClaimFileHeader.model_validate(
                    {k: v for k, v in fields.items() if k not in bad}
                )
            except ValidationError:
                return {}
        self.add_registry(records.name, header.sources, header.metrics, records.header_lines)
        return {"event": header.event, "location": header.location}

    def take_names(self, records: FileRecords, names: Sequence[str]) -> bool:
        """Count a file's field names into the input's. Each is a column as long as the
        whole input, so beyond MAX_FIELDS they are refused before any is built: False,
        with a finding at the claim (or CSV header) that passes the limit."""
        new = [name for name in names if name not in self.names]
        if len(self.names) + len(new) <= MAX_FIELDS:
            self.names.update(new)
            return True
        # Where the limit is passed: at a claim, or at the header of a CSV file.
        seen, line = set(self.names), 1
        for row, row_line in zip(records.rows, records.lines, strict=True):
            seen.update(row)
            if len(seen) > MAX_FIELDS:
                line = row_line
                break
        self.findings.append(
            error(
                "over-limit",
                records.name,
                line,
                f"the claims read up to here have more than {MAX_FIELDS:,} field names",
                "check that these are the files you meant; claims have a few fields each",
            )
        )
        return False

    def add_rows(self, records: FileRecords, defaults: dict[str, Any]) -> None:
        if records.frame is not None:
            if not self.take_names(records, list(records.frame.columns)):
                return
            columns = {c: records.frame[c].to_numpy(dtype=object) for c in records.frame.columns}
            lines = np.asarray(records.frame_lines, dtype=np.int64)
            field_lines: list[dict[str, int] | None] = [None] * len(lines)
        elif records.rows:
            keys: dict[str, None] = {}
            for row in records.rows:
                keys.update(dict.fromkeys(row))
            if not self.take_names(records, list(keys)):
                return
            columns = {}
            offset = sum(len(part["line"]) for part in self.parts)
            for key in keys:
                if str(key) not in CLAIM_FIELDS and not str(key).startswith("x_"):
                    self.empty_keys.setdefault(str(key), []).extend(
                        offset + i
                        for i, row in enumerate(records.rows)
                        if key in row and not _present(row[key])
                    )
                column = np.empty(len(records.rows), dtype=object)
                column[:] = [row.get(key) for row in records.rows]
                if key in ("low", "high", "best"):
                    # `low: true` must not pass as 1 (True == 1 to pandas and pydantic).
                    for pos in np.flatnonzero([isinstance(v, bool) for v in column]):
                        column[pos] = str(column[pos]).lower()
                columns[str(key)] = column
            lines = np.asarray(records.lines, dtype=np.int64)
            field_lines = list(records.field_lines) or [None] * len(lines)
        else:
            return
        n = len(lines)
        for key, value in defaults.items():
            if value is None:
                continue
            existing = columns.get(key)
            column = np.full(n, None, dtype=object) if existing is None else existing.copy()
            absent = np.fromiter((not _present(v) for v in column), dtype=bool, count=n)
            column[absent] = value
            columns[key] = column
        for reserved in ("file", "line"):
            given = columns.pop(reserved, None)
            if given is None:
                continue
            # figrecon records each claim's own file and line under these names; a
            # user field of that name would be overwritten, so it is refused.
            for pos in np.flatnonzero([_present(v) for v in given]):
                fl = field_lines[pos]
                self.findings.append(
                    error(
                        "unknown-field",
                        records.name,
                        fl.get(reserved, int(lines[pos])) if fl else 1,
                        f"`{reserved}` is not a claim field: figrecon records each claim's "
                        "file and line itself",
                        f"rename it x_{reserved}",
                        reserved,
                    )
                )
                if fl is None:
                    break  # CSV: one finding for the column
        columns["file"] = np.full(n, records.name, dtype=object)
        columns["line"] = lines
        self.parts.append(columns)
        self.field_lines.extend(field_lines)


def read_registry(
    path: str, encoding: str = "utf-8-sig", max_input_size: int = MAX_INPUT_SIZE
) -> tuple[dict[str, Source], dict[str, MetricDef], list[Finding], dict[str, int]]:
    """A --sources file: YAML (`sources:` and `metrics:`) or CSV (id, name, type, party)."""
    p = Path(path)
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
        records = read_csv(path, text, "\t" if p.suffix.lower() == ".tsv" else None)
        if records.findings or records.frame is None:
            return {}, {}, records.findings, {}
        sources: dict[str, Source] = {}
        findings: list[Finding] = []
        frame = records.frame
        if "id" not in frame.columns:
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
        extra = [c for c in frame.columns if c not in allowed]
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
        for line, row in zip(records.frame_lines, frame.to_dict("records"), strict=False):
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
                    loc = _clean_loc(err["loc"])
                    findings.append(
                        error(
                            "invalid-sources",
                            path,
                            line,
                            _message_of(err),
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
) -> Claims:
    """Load, validate and normalize claim files (or folders, or "-" for stdin); a file
    larger than `max_input_size` bytes is refused. Event datasets (UCDP GED, ACLED, HXL)
    give the claims that `events` asks for (by default one per country and year).

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
) -> tuple[Claims | None, list[Finding]]:
    """Like `load`, but returns the findings (errors included) instead of raising;
    the claims are None when the input could not be read at all. Raises UsageError for
    an `encoding` that is no character encoding."""
    check_encoding(encoding)
    with paused_gc():
        return _load(paths, sources, encoding, input_format, profile, lang, max_input_size, events)


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
    events: ImportOptions | None = None,
) -> tuple[Claims | None, list[Finding]]:
    if isinstance(paths, (str, Path)):
        paths = [paths]
    files, findings = expand([str(p) for p in paths])
    builder = _Builder(findings=findings)
    if sources is not None:
        reg_sources, reg_metrics, problems, lines = read_registry(
            str(sources), encoding, max_input_size
        )
        builder.findings.extend(problems)
        builder.add_registry(str(sources), reg_sources, reg_metrics, lines)
    for name, path in files:
        records = read_file(
            name,
            path,
            encoding=encoding,
            forced=input_format,
            max_size=max_input_size,
            events=events,
        )
        builder.findings.extend(records.findings)
        builder.files.append(name)
        defaults = builder.add_header(records)
        builder.add_rows(records, defaults)
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
    for name in names:
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
    table = _Table(columns, len(columns["line"]))
    field_lines = builder.field_lines
    claims = _normalize(table, field_lines, builder, reader, str(profile))
    return claims, builder.findings


# --- normalization -------------------------------------------------------------------


def _normalize(
    table: _Table,
    field_lines: list[dict[str, int] | None],
    builder: _Builder,
    reader: Reader,
    profile: str,
) -> Claims:
    findings = builder.findings
    files, lines = table["file"], table["line"]

    invalid = np.zeros(table.n, dtype=bool)
    """Rows with a field that failed validation: no later finding about them repeats it
    (a claim whose `low` is invalid does not also "state nothing")."""

    def report(
        code: str,
        pos: int,
        field_name: str | None,
        message: str,
        hint: str | None,
        claim: str | None = None,
        severity: Severity = Severity.error,
    ) -> None:
        if code == "invalid-field":
            invalid[pos] = True
        elif code == "invalid-claim" and invalid[pos]:
            return
        fl = field_lines[pos] if pos < len(field_lines) else None
        line = int(lines[pos])
        if claim is None and _present(table["id"][pos]):
            claim = str(table["id"][pos])
        if fl and field_name and field_name in fl:
            line = fl[field_name]
        findings.append(
            Finding(
                code=code,
                severity=severity,
                file=str(files[pos]),
                line=line,
                field=field_name,
                claim=claim,
                message=message,
                hint=hint,
            )
        )

    # Unknown fields: x_ columns are the user's own and are left aside.
    for col in list(table.cols):
        if col in CLAIM_FIELDS or col in ("file", "line") or col.startswith("x_"):
            continue
        hint = (
            "fields are "
            + ", ".join(CLAIM_FIELDS)
            + _did_you_mean(col, CLAIM_FIELDS)
            + "; start your own fields with x_"
        )
        if col.isdigit():
            hint = (
                "in a one-line {...} claim a comma ends the value, so `value: 1,200` "
                'reads as 1 and a field `200`: quote the figure ("1,200")'
            )
        seen_files: set[str] = set()
        # A key in a YAML or JSON claim is reported even when it has no value: its name
        # may be the data (`{value: 1,200}`), and a misspelt empty field is a typo too.
        present = table.present(col)
        keyed = builder.empty_keys.get(col, [])
        for row in sorted({*np.flatnonzero(present).tolist(), *keyed}):
            if field_lines[row] is None:  # CSV: one finding for the column
                if files[row] in seen_files:
                    continue
                seen_files.add(files[row])
                findings.append(
                    error("unknown-field", str(files[row]), 1, f"unknown column `{col}`", hint, col)
                )
            else:
                report("unknown-field", row, col, f"unknown field `{col}`", hint)

    given = {col: table.present(col) for col in REQUIRED_FIELDS}
    for col in CLAIM_FIELDS:
        for row_pos, msg in _validate_column(col, table).items():
            report("invalid-field", row_pos, col, msg, _HINTS.get(col))
    for col, info in Claim.model_fields.items():
        default = None if info.is_required() else info.get_default(call_default_factory=True)
        if default is not None and not isinstance(default, list):
            absent = ~table.present(col)
            if absent.any():
                values = table[col].copy()
                values[absent] = default
                table.set(col, values)
    for col in ("retracts", "parts"):
        table.set(col, table.map(col, lambda r: tuple(r) if r else (), ()))

    ids = table["id"].copy()
    missing_ids = ~table.present("id")
    for pos in np.flatnonzero(missing_ids):
        ids[pos] = f"{files[pos]}:{lines[pos]}"
    table.set("id", ids)

    for col in REQUIRED_FIELDS:
        hint = {
            "event": "add `event:` to the claim or to the file header",
            "stated_on": "give the date the originator stated it (YYYY-MM-DD), or `undated`",
            "source": "name the originator, or write `unknown`",
        }.get(col, f"every claim needs {col}")
        for pos in np.flatnonzero(~given[col]):
            report("missing-field", int(pos), None, f"missing `{col}`", hint, str(ids[pos]))

    _check_shapes(table, report)
    _check_ids(table, report)
    _check_metrics(table, builder, report)
    _normalize_values(table, reader, report)
    _resolve_sources(table, builder, report)
    _dates(table)
    order = {name: i for i, name in enumerate(builder.files)}
    findings.sort(key=lambda f: (order.get(f.file or "", -1), f.line or 0))
    return Claims(
        columns={name: values for name, values in table.cols.items() if not name.startswith("x_")},
        sources=dict(builder.sources),
        metrics={**BUILTIN_METRICS, **builder.metrics},
        findings=[f for f in findings if f.severity != Severity.error],
        files=builder.files,
        profile=profile,
    )


def _check_shapes(table: _Table, report: Any) -> None:
    """value vs low/high/best vs assessment vs retracts, checked once per combination."""

    def number(name: str) -> np.ndarray:
        return table.map(name, lambda x: x if isinstance(x, float) else math.nan, math.nan).astype(
            float
        )

    keys = pd.DataFrame(
        {
            "v": table.present("value"),
            "lo": number("low"),
            "hi": number("high"),
            "be": number("best"),
            "a": table.present("assessment"),
            "r": table.map("retracts", bool, False).astype(bool),
        }
    )
    grouped = keys.fillna(-1.0).groupby(list(keys.columns), sort=False).indices
    for combo, positions in grouped.items():
        # groupby over six columns: each key is a 6-tuple (typed only as Hashable).
        v, lo, hi, be, a, r = cast("tuple[Any, ...]", combo)
        nums = tuple(None if x == -1.0 else float(x) for x in (lo, hi, be))
        problem = claim_shape_problem(bool(v), nums, bool(a), bool(r))  # type: ignore[arg-type]
        if problem is None:
            continue
        for pos in positions:
            report("invalid-claim", int(pos), "value", problem, None, str(table["id"][pos]))


def _check_ids(table: _Table, report: Any) -> None:
    ids = pd.Series(table["id"], dtype=object)
    dup = ids.duplicated(keep="first").to_numpy()
    files, lines = table["file"], table["line"]
    if dup.any():
        first: dict[Any, int] = {}
        for i, value in enumerate(ids.tolist()):
            first.setdefault(value, i)
        for pos in np.flatnonzero(dup).tolist():
            f = first[ids.iat[pos]]
            report(
                "duplicate-id",
                int(pos),
                "id",
                f"id `{ids.iat[pos]}` is already used at {files[f]}:{lines[f]}",
                "give every claim its own id",
                str(ids.iat[pos]),
            )
    known: set[str] = set()
    for column, verb in (("retracts", "retracts"), ("parts", "lists as a part")):
        targets = table[column]
        has = np.flatnonzero(table.map(column, bool, False).astype(bool))
        if len(has) and not known:
            known = set(ids.tolist())
        for pos in has.tolist():
            for target in targets[pos]:
                if target not in known:
                    report(
                        "unknown-reference",
                        int(pos),
                        column,
                        f"{verb} `{target}`, but no claim has that id",
                        "check the id" + _did_you_mean(target, sorted(known - {ids.iat[pos]})),
                        str(ids.iat[pos]),
                    )
    if np.any(table.map("retracts", bool, False).astype(bool)):
        loops = retraction_cycles([str(i) for i in ids], table["retracts"].tolist())
        for members, message in loops:
            for pos in members:
                report(
                    "retraction-cycle",
                    pos,
                    "retracts",
                    message,
                    "keep one direction of the withdrawal",
                    str(ids.iat[pos]),
                )


def _check_metrics(table: _Table, builder: _Builder, report: Any) -> None:
    known = {**BUILTIN_METRICS, **builder.metrics}
    measure = table.map("metric", lambda m: known[m].value if m in known else None)
    for pos in np.flatnonzero(table.present("metric") & pd.isna(measure)):
        m = table["metric"][pos]
        report(
            "unknown-metric",
            int(pos),
            "metric",
            f"unknown metric `{m}`" + _did_you_mean(m, list(known)),
            "use killed, injured, detained, charged, convicted, released, pardoned, "
            "criminal_cases, held or missing, or declare it under `metrics:` in the header",
            str(table["id"][pos]),
        )
    table.set("measure", measure)


def _normalize_values(table: _Table, reader: Reader, report: Any) -> None:
    """R1: every figure becomes hard/soft intervals, a point and a kind; each distinct
    phrase (and each distinct low/high/best combination) is read once."""
    n = table.n
    codes, uniques = table.factors("value")
    present = [i for i, phrase in enumerate(uniques) if phrase is not None]
    read, bad = read_phrases(reader, [str(uniques[i]) for i in present])
    # Readings by distinct value, plus a last row of none for rows without a value.
    distinct = len(uniques) + 1
    index = np.where(codes < 0, distinct - 1, codes)
    error_of = {present[k]: exc for k, exc in bad.items()}
    failed = np.zeros(distinct, dtype=bool)
    failed[list(error_of)] = True
    for at in np.flatnonzero(failed[index]).tolist():
        phrase_error = error_of[int(index[at])]
        report(
            "unparseable-value",
            at,
            "value",
            phrase_error.message,
            phrase_error.hint,
            str(table["id"][at]),
        )
    columns = {}
    for name in QUANTITY_COLUMNS:
        values = np.full(distinct, math.nan, dtype=object if name == "kind" else float)
        if name == "kind":
            values[:] = None
        values[present] = read[name]
        columns[name] = values[index]
    text = np.full(distinct, None, dtype=object)
    text[present] = [None if k in bad else uniques[i] for k, i in enumerate(present)]
    text = text[index]
    # Explicit numbers (low / high / best) where no value is given.
    nums = {
        k: pd.to_numeric(pd.Series(table[k], dtype=object), errors="coerce").to_numpy(dtype=float)
        for k in ("low", "high", "best")
    }
    explicit = np.flatnonzero(
        (~np.isnan(nums["low"]) | ~np.isnan(nums["high"]) | ~np.isnan(nums["best"])) & (codes < 0)
    )
    cache: dict[tuple[float, float, float], Quantity | None] = {}
    for pos in explicit:
        key = (nums["low"][pos], nums["high"][pos], nums["best"][pos])
        if key not in cache:
            args = tuple(None if math.isnan(x) else float(x) for x in key)
            try:
                cache[key] = numbers_quantity(*args)
            except (ValueError, AssertionError):
                cache[key] = None
        q = cache[key]
        row = quantity_row(q)
        for j, name in enumerate(QUANTITY_COLUMNS):
            columns[name][pos] = row[j]
        text[pos] = q.text if q else None
    for name, values in columns.items():
        table.set(name, values)
    table.set("value_text", text)
    assert len(text) == n


def _resolve_sources(table: _Table, builder: _Builder, report: Any) -> None:
    """Source type, party, originator key and display name of every claim (R4, R6)."""
    registry = builder.sources
    src = table["source"]
    given_type = table["source_type"]
    reg_type = table.map("source", lambda s: registry[s].type.value if s in registry else None)
    kind = np.where(pd.isna(given_type), reg_type, given_type)
    # `unknown`, `Unknown`, `UNKNOWN`: an unattributed figure however it is written.
    unknown_src = table.map(
        "source", lambda s: isinstance(s, str) and s.lower() == UNKNOWN_SOURCE, False
    ).astype(bool)
    if unknown_src.any() and not (src[unknown_src] == UNKNOWN_SOURCE).all():
        src = src.copy()
        src[unknown_src] = UNKNOWN_SOURCE
        table.set("source", src)
    kind[unknown_src] = SourceType.unknown.value
    for pos in np.flatnonzero(pd.isna(kind) & table.present("source")):
        report(
            "unknown-reference",
            int(pos),
            "source",
            f"`{src[pos]}` is not in the sources registry and has no source_type; "
            "read as type unknown",
            "add it under `sources:` or give source_type",
            str(table["id"][pos]),
            Severity.warning,
        )
    kind[pd.isna(kind)] = SourceType.unknown.value
    table.set("type", kind)

    def party_of(s: Any) -> str:
        entry = registry.get(s)
        if entry is None or entry.party in (None, False):
            return ""
        return "<party>" if entry.party is True else str(entry.party)

    table.set("party", table.map("source", party_of, ""))
    table.set("relayed", table.present("via"))
    originator = src.copy()
    if unknown_src.any():
        # An unknown originator is keyed by the carrier nearest to it: an outlet's own
        # unattributed figures supersede each other, but never another outlet's.
        ids, vias = table["id"], table["via"]
        for pos in np.flatnonzero(unknown_src):
            carrier = str(vias[pos]).split("<")[-1].strip() if _present(vias[pos]) else ids[pos]
            originator[pos] = f"unknown<{carrier}>"
    table.set("originator", originator)
    table.set(
        "source_name",
        table.map("source", lambda s: (registry[s].name or s) if s in registry else s),
    )


def _day(value: Any) -> float:
    if value is None or value == UNDATED or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value.toordinal())


def _dates(table: _Table) -> None:
    stated = table.map("stated_on", _day, math.nan).astype(float)
    as_of = table.map("as_of", _day, math.nan).astype(float)
    table.set("stated_key", stated)
    table.set("date_key", np.where(np.isnan(as_of), stated, as_of))
