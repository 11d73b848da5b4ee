"""Gathering the records of every file into one table: file headers (event and location
defaults, the sources registry, custom metrics), user fields (`x_`), and each row's
file and line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from pydantic import ValidationError

from ..columns import object_array
from ..io.limits import MAX_FIELDS
from ..io.records import Columns, FileRecords, error
from ..model import (
    BUILTIN_METRICS,
    CLAIM_FIELDS,
    ClaimFileHeader,
    Finding,
    Measure,
    MetricDef,
    Source,
    located,
)
from ..model.fields import name_key
from .table import is_present
from .validate import header_findings


@dataclass
class Builder:
    """Collects files, findings and registries while loading."""

    findings: list[Finding] = field(default_factory=list)
    sources: dict[str, Source] = field(default_factory=dict)
    source_origin: dict[str, str] = field(default_factory=dict)
    metrics: dict[str, Measure] = field(default_factory=dict)
    metric_origin: dict[str, str] = field(default_factory=dict)
    parts: list[dict[str, np.ndarray]] = field(default_factory=list)
    field_lines: list[dict[str, int] | None] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    other_files: set[str] = field(default_factory=set)
    """Files read that are not claim files (`FileRecords.claim_file`)."""
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
        for raw, src in sources.items():
            # An id is a name as a claim's source is (`model.fields.Name`): spelt with a
            # no-break space or a decomposed accent, it is still the claim's source.
            sid = name_key(raw) if isinstance(raw, str) and raw.strip() else raw
            where = located(name, lines.get("sources"))
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
            where = located(name, lines.get("metrics"))
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
            self.findings.extend(
                header_findings(exc, records.name, records.header, records.header_lines)
            )
            # The header's valid fields still apply, so one bad field does not make
            # every claim "miss" the event the header gives; and of `sources` and
            # `metrics`, the valid entries (one bad source would leave every claim's
            # source "not in the registry", and a metric's other declarations unchecked).
            try:
                header = ClaimFileHeader.model_validate(_without(fields, exc.errors()))
            except ValidationError:
                return {}
        self.add_registry(records.name, header.sources, header.metrics, records.header_lines)
        return {"event": header.event, "location": header.location}

    def take_names(
        self, records: FileRecords, names: Sequence[str], table: Columns | None = None
    ) -> bool:
        """Count a file's field names into the input's. Each is a column as long as the
        whole input, so beyond MAX_FIELDS they are refused before any is built: False,
        with a finding at the claim (or CSV header) that passes the limit."""
        new = [name for name in names if name not in self.names]
        if len(self.names) + len(new) <= MAX_FIELDS:
            self.names.update(new)
            return True
        # Where the limit is passed: at a claim (the first of a bucket is where its
        # names come), or at the header of a CSV file.
        seen, line = set(self.names), 1
        for keys, (rows, _) in table.buckets.items() if table is not None else ():
            seen.update(str(key) for key in keys)
            if len(seen) > MAX_FIELDS:
                line = records.lines[rows[0]]
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

    def _columns(self, records: FileRecords, table: Columns) -> dict[str, np.ndarray] | None:
        """The columns of claims read into buckets (`io.records.Columns`); None when
        they have too many field names."""
        names = [str(name) for name in table.fields()]
        if not self.take_names(records, names, table):
            return None
        offset = sum(len(part["line"]) for part in self.parts)
        whole = len(table.buckets) == 1  # every claim has the same keys (their rows in order)
        columns = {} if whole else {name: np.full(table.n, None, dtype=object) for name in names}
        for keys, (rows, values) in table.buckets.items():
            at = np.asarray(rows, dtype=np.int64)
            for name, column in zip(map(str, keys), zip(*values, strict=True), strict=True):
                if whole:
                    columns[name] = object_array(column)
                else:
                    columns[name][at] = object_array(column)
                if name not in CLAIM_FIELDS and not name.startswith("x_"):
                    self.empty_keys.setdefault(name, []).extend(
                        offset + row
                        for row, value in zip(rows, column, strict=True)
                        if not is_present(value)
                    )
        for key in ("low", "high", "best"):
            bound = columns.get(key)
            if bound is not None and bool in map(type, bound):
                # `low: true` must not pass as 1 (True == 1 to pandas and pydantic).
                for pos in np.flatnonzero([isinstance(v, bool) for v in bound]):
                    bound[pos] = str(bound[pos]).lower()
        return columns

    def add_rows(self, records: FileRecords, defaults: dict[str, Any]) -> None:
        if records.table is not None or records.frame is not None:
            cells = records.table
            if cells is None:
                frame = records.frame
                assert frame is not None
                cells = {c: frame[c].to_numpy(dtype=object) for c in frame.columns}
            if not self.take_names(records, list(cells)):
                return
            columns = dict(cells)
            lines = np.asarray(records.row_lines, dtype=np.int64)
            # None: a CSV row, whose unknown columns are reported once for the file.
            field_lines: list[dict[str, int] | None] = list(records.field_lines) or [None] * len(
                lines
            )
        elif records.rows or (records.columns is not None and records.columns.n):
            table = records.columns
            if table is None:
                table = Columns()
                for row in records.rows:
                    table.add(tuple(row), tuple(row.values()))
            found = self._columns(records, table)
            if found is None:
                return
            columns = found
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
            absent = np.fromiter((not is_present(v) for v in column), dtype=bool, count=n)
            column[absent] = value
            columns[key] = column
        for reserved in ("file", "line"):
            given = columns.pop(reserved, None)
            if given is None:
                continue
            # figrecon records each claim's own file and line under these names; a
            # user field of that name would be overwritten, so it is refused.
            for pos in np.flatnonzero([is_present(v) for v in given]):
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


def _without(fields: dict[str, Any], errors: list[Any]) -> dict[str, Any]:
    """A header's fields without those the errors are about: of a mapping of entries
    (`sources`, `metrics`), only the entries they are about."""
    out = dict(fields)
    for err in errors:
        loc = err["loc"]
        if not loc or str(loc[0]) not in out:
            continue
        name = str(loc[0])
        entries = out[name]
        if name in ("sources", "metrics") and len(loc) > 1 and isinstance(entries, dict):
            out[name] = {k: v for k, v in entries.items() if str(k) != str(loc[1])}
        else:
            del out[name]
    return out
