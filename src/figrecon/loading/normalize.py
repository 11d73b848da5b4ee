"""Normalization: each phrase read as intervals (R1), each source resolved to its type,
side and originator (R4, R6), each date as a day number for the rules.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..columns import factored, gathered, isna, known_factors, object_array, row_codes
from ..dates import dated_period, relative_period
from ..errors import did_you_mean as _did_you_mean
from ..io.records import error
from ..model import (
    BUILTIN_METRICS,
    CLAIM_FIELDS,
    REQUIRED_FIELDS,
    UNDATED,
    UNKNOWN_SOURCE,
    Claim,
    Finding,
    Quantity,
    Severity,
    SourceType,
    located,
)
from ..phrases import PhraseError, Reader
from ..phrases.intervals import numbers_quantity
from ..phrases.templates import COLUMNS as QUANTITY_COLUMNS
from ..phrases.templates import quantity_row, read_phrases
from .builder import Builder
from .claims import Claims
from .table import ColumnTable, is_present
from .validate import _HINTS, check_ids, check_metrics, check_shapes, validate_column


def normalize(
    table: ColumnTable,
    field_lines: list[dict[str, int] | None],
    builder: Builder,
    reader: Reader,
    profile: str,
) -> Claims:
    findings = builder.findings
    files, lines = table["file"], table["line"]

    invalid = np.zeros(table.n, dtype=bool)
    """Rows with a field that failed validation: no later finding about them repeats it
    (a claim whose `low` is invalid does not also "state nothing")."""

    def shares_its_line(pos: int, line: int, field_name: str | None) -> bool:
        """Whether a neighbouring claim of the file starts on `line`, or has the field
        there (claims of one line, in JSON or YAML flow style)."""
        for q in (pos - 1, pos + 1):
            if not (0 <= q < table.n and files[q] == files[pos]):
                continue
            theirs = field_lines[q] if q < len(field_lines) else None
            if lines[q] == line or (theirs and field_name and theirs.get(field_name) == line):
                return True
        return False

    line_starts: dict[tuple[Any, Any], int] = {}

    def claim_on_line(pos: int, claim: str | None) -> str:
        """A claim among those of its line: by its id, or without one, #N for the N-th
        of the line (as its id FILE:LINE#N says)."""
        place = located(str(files[pos]), int(lines[pos]))
        if claim and claim.startswith(place + "#"):  # an id made from its place
            return claim[len(place) :]
        if claim:
            return f"`{claim}`"
        key = (files[pos], lines[pos])
        first = line_starts.get(key, pos)
        while first > 0 and (files[first - 1], lines[first - 1]) == key:
            first -= 1
        line_starts[key] = first  # each line is walked once, however many claims it has
        return f"#{pos - first + 1}"

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
        if claim is None and is_present(table["id"][pos]):
            claim = str(table["id"][pos])
        if fl and field_name and field_name in fl:
            line = fl[field_name]
        if severity is Severity.error and shares_its_line(pos, line, field_name):
            # One-line JSON or YAML: the line names no claim, and an error is to be found
            # and mended (a warning's claim is named by the formats that list findings).
            message = f"claim {claim_on_line(pos, claim)}: {message}"
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
        fields = (
            "fields are "
            + ", ".join(CLAIM_FIELDS)
            + _did_you_mean(col, CLAIM_FIELDS)
            + "; start your own fields with x_"
        )
        comma = (
            "in a one-line {...} claim a comma ends the value, so `value: 1,200` "
            'reads as 1 and a field `200`: quote the figure ("1,200")'
        )
        seen_files: set[str] = set()
        # A key in a YAML or JSON claim is reported even when it has no value: its name
        # may be the data (`{value: 1,200}`), and a misspelt empty field is a typo too.
        present = table.present(col)
        keyed = builder.empty_keys.get(col, [])
        # Digits with no value in a claim are what a comma leaves of a figure; with one
        # (`5: x`), or as a CSV column (`2022`), a key like any other.
        split = set(keyed) if col.isdigit() else set()
        for row in sorted({*np.flatnonzero(present).tolist(), *keyed}):
            hint = comma if row in split else fields
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
    # The value column is validated first (its findings keep their place below): its
    # distinct phrases are then read (R1) by a forked process on a large input, while
    # this one validates and checks the rest (`forked.alongside`).
    value_errors = validate_column("value", table)
    phrases = _phrases(table)

    def validated_and_checked() -> None:
        _validated_and_checked(table, value_errors, given, files, lines, builder, report)

    if len(phrases) >= PHRASES_MEANWHILE:
        from ..forked import alongside

        _, readings = alongside(validated_and_checked, lambda: read_phrases(reader, phrases))
    else:
        validated_and_checked()
        readings = read_phrases(reader, phrases)
    _normalize_values(table, readings, report)
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
        other_files=frozenset(builder.other_files),
        profile=profile,
    )


PHRASES_MEANWHILE = 50_000
"""Distinct phrases from which a forked process reads them (about 0.15 s of work) while
this one validates and checks the other fields."""


def _phrases(table: ColumnTable) -> list[str]:
    """The distinct phrases of the value column that are given, in the order of its
    distinct values (`_normalize_values` reads their readings so)."""
    uniques = table.factors("value")[1]
    return [str(phrase) for phrase in uniques.tolist() if phrase is not None]


def _validated_and_checked(
    table: ColumnTable,
    value_errors: dict[int, str],
    given: dict[str, np.ndarray],
    files: np.ndarray,
    lines: np.ndarray,
    builder: Builder,
    report: Any,
) -> None:
    """Every field validated (the value column's findings, `value_errors`, in their
    place), defaults filled in, ids given to claims without one, and the checks of
    required fields, shapes, ids and metrics."""
    for col in CLAIM_FIELDS:
        errors = value_errors if col == "value" else validate_column(col, table)
        for row_pos, msg in errors.items():
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

    ids = _default_ids(table["id"], table.present("id"), files, lines)
    table.set("id", ids)

    for col in REQUIRED_FIELDS:
        hint = {
            "event": "add `event:` to the claim or to the file header",
            "stated_on": "give the date the originator stated it (YYYY-MM-DD), or `undated`",
            "source": "name the originator, or write `unknown`",
        }.get(col, f"every claim needs {col}")
        for pos in np.flatnonzero(~given[col]):
            report("missing-field", int(pos), None, f"missing `{col}`", hint, str(ids[pos]))

    check_shapes(table, report)
    check_ids(table, report)
    check_metrics(table, builder, report)


def _default_ids(
    ids: np.ndarray, given: np.ndarray, files: np.ndarray, lines: np.ndarray
) -> np.ndarray:
    """Every claim's id: a claim without one is known by its place, FILE:LINE (or
    FILE:SHEET!ROW); several claims on one line (a JSON array written on one line) by
    FILE:LINE#N, the N-th claim of the line."""
    missing = np.flatnonzero(~given)
    if not len(missing):
        return ids
    # Rows come file by file in file order: the claims of one line are neighbours.
    n = len(ids)
    starts = np.ones(n, dtype=bool)
    starts[1:] = (files[1:] != files[:-1]) | (lines[1:] != lines[:-1])
    first = np.flatnonzero(starts)
    run = np.cumsum(starts) - 1
    nth = np.arange(n) - first[run] + 1
    shared = np.diff(np.append(first, n))[run] > 1
    ids = ids.copy()
    for pos in missing.tolist():
        place = located(str(files[pos]), int(lines[pos]))
        ids[pos] = f"{place}#{nth[pos]}" if shared[pos] else place
    return ids


def _explicit_numbers(table: ColumnTable, name: str) -> np.ndarray:
    """An explicit number column (low / high / best), validated as counts, as floats:
    NaN where none is given or it is not a number; only the rows that give one are
    converted."""
    out = np.full(table.n, math.nan)
    rows = np.flatnonzero(table.present(name))
    if len(rows):
        out[rows] = [
            float(v) if isinstance(v, int | float) else math.nan for v in table[name][rows].tolist()
        ]
    return out


def _normalize_values(
    table: ColumnTable,
    readings: tuple[dict[str, np.ndarray], dict[int, PhraseError]],
    report: Any,
) -> None:
    """R1: every figure becomes hard/soft intervals, a point and a kind; each distinct
    phrase (`readings`, of `_phrases`) and each distinct low/high/best combination is
    read once."""
    n = table.n
    codes, uniques = table.factors("value")
    present = [i for i, phrase in enumerate(uniques) if phrase is not None]
    read, bad = readings
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
    # Explicit numbers (low / high / best) where no value is given.
    nums = {k: _explicit_numbers(table, k) for k in ("low", "high", "best")}
    explicit = np.flatnonzero(
        (~np.isnan(nums["low"]) | ~np.isnan(nums["high"]) | ~np.isnan(nums["best"])) & (codes < 0)
    )
    # Each column's value per distinct phrase (and a last for none), then per claim:
    # without explicit numbers, each text column keeps its codes (`gathered`).
    spread = (lambda values: values[index]) if len(explicit) else (lambda v: gathered(v, index))
    columns = {}
    for name in QUANTITY_COLUMNS:
        values = np.full(distinct, math.nan, dtype=object if name == "kind" else float)
        if name == "kind":
            values[:] = None
        values[present] = read[name]
        columns[name] = spread(values)
    text = np.full(distinct, None, dtype=object)
    text[present] = [None if k in bad else uniques[i] for k, i in enumerate(present)]
    text = spread(text)
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


def _resolve_sources(table: ColumnTable, builder: Builder, report: Any) -> None:
    """Source type, party, originator key and display name of every claim (R4, R6). A
    source may name a registry entry by its id or by its name (in any case)."""
    registry = builder.sources
    _ids_for_names(table, registry)
    src = table["source"]
    given_type = table["source_type"]
    reg_type = table.map("source", lambda s: registry[s].type.value if s in registry else None)
    kind = np.where(isna(given_type), reg_type, given_type)
    # `unknown`, `Unknown`, `UNKNOWN`: an unattributed figure however it is written.
    unknown_src = table.map(
        "source", lambda s: isinstance(s, str) and s.lower() == UNKNOWN_SOURCE, False, bool
    )
    if unknown_src.any() and not (src[unknown_src] == UNKNOWN_SOURCE).all():
        src = src.copy()
        src[unknown_src] = UNKNOWN_SOURCE
        table.set("source", src)
    kind[unknown_src] = SourceType.unknown.value
    for pos in np.flatnonzero(isna(kind) & table.present("source")):
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
    kind[isna(kind)] = SourceType.unknown.value
    table.set("type", kind)

    def party_of(s: Any) -> str:
        entry = registry.get(s)
        if entry is None or entry.party in (None, False):
            return ""
        return "<party>" if entry.party is True else str(entry.party)

    table.set("party", table.map("source", party_of, ""))
    table.set("relayed", table.present("via"))
    originator = src.copy()
    known = known_factors(src)
    if known is not None and not unknown_src.any():
        factored(originator, *known)  # each originator its source
    if unknown_src.any():
        # An unknown originator is keyed by the carrier nearest to it: an outlet's own
        # unattributed figures supersede each other, but never another outlet's.
        ids, vias = table["id"], table["via"]
        for pos in np.flatnonzero(unknown_src):
            carrier = str(vias[pos]).split("<")[-1].strip() if is_present(vias[pos]) else ids[pos]
            originator[pos] = f"unknown<{carrier}>"
    table.set("originator", originator)
    table.set(
        "source_name",
        table.map("source", lambda s: (registry[s].name or s) if s in registry else s),
    )


def _ids_for_names(table: ColumnTable, registry: dict[str, Any]) -> None:
    """Each `source` that is a registry entry's name, not an id, replaced by the entry's
    id: `Human Rights Watch` is `hrw`. A name that two entries share stays as written
    (and is reported as missing from the registry)."""
    ids_of: dict[str, list[str]] = {}
    for sid, entry in registry.items():
        if entry.name:
            ids_of.setdefault(entry.name.casefold(), []).append(sid)
    if not ids_of:
        return

    def registry_id(s: Any) -> Any:
        if not isinstance(s, str) or s in registry:
            return s
        found = ids_of.get(s.casefold(), [])
        return found[0] if len(found) == 1 else s

    _, given = table.factors("source")
    if any(registry_id(s) is not s for s in given):
        table.set("source", table.map("source", registry_id))


def _day(value: Any) -> float:
    if value is None or value == UNDATED or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return float(value.toordinal())


def _dates(table: ColumnTable) -> None:
    stated = table.map("stated_on", _day, math.nan, float)
    as_of = table.map("as_of", _day, math.nan, float)
    table.set("stated_key", stated)
    table.set("date_key", np.where(np.isnan(as_of), stated, as_of))
    _dated_periods(table)


def _dated_periods(table: ColumnTable) -> None:
    """A period counted back from its statement is placed by the claim's date
    (`dates.dated_period`): "yesterday" stated on 2023-09-20 is 2023-09-19, "in the past
    24 hours" is "24 hours to 2023-09-20". Two daily counts of different days are then
    different groups, not one whose later count reads as a floor under the earlier. An
    undated claim's period stays as written. Looked at once per distinct period."""
    codes, periods = table.factors("period")
    relative = [i for i, p in enumerate(periods.tolist()) if relative_period(str(p)) is not None]
    if not relative:
        return
    days = table["date_key"]
    rows = np.flatnonzero(np.isin(codes, relative) & ~np.isnan(days))
    if not len(rows):
        return
    out = table["period"].copy()
    # Each (period, date) once.
    _, first, pair = np.unique(
        row_codes(codes[rows], days[rows]), return_index=True, return_inverse=True
    )
    texts = [dated_period(str(periods[codes[rows[k]]]), int(days[rows[k]])) for k in first.tolist()]
    placed = np.array([text is not None for text in texts], dtype=bool)[pair.ravel()]
    out[rows[placed]] = object_array(texts)[pair.ravel()][placed]
    table.set("period", out)
