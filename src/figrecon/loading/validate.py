"""Validation: each column against the type `model.Claim` declares for it (on distinct
values), the shape of each claim's figure fields, ids and references, and metrics;
each problem as a located finding with what to do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
from pydantic import TypeAdapter, ValidationError

from ..columns import (
    combined_codes,
    factored,
    factorize,
    first_rows,
    isna,
    missing,
    object_array,
)
from ..errors import Nearby
from ..errors import did_you_mean as _did_you_mean
from ..io.csv import normalize_column
from ..io.records import error
from ..model import (
    BUILTIN_METRICS,
    Claim,
    ClaimFileHeader,
    Finding,
    MetricDef,
    Source,
    SourceType,
    claim_shape_problem,
    error_text,
    located,
)
from ..model.vocab import METRIC_WORDS
from ..text import brief
from .retractions import retraction_cycles
from .table import ColumnTable, is_present

if TYPE_CHECKING:
    from .builder import Builder


@cache
def _adapter(name: str, many: bool = False) -> TypeAdapter[Any]:
    """The pydantic type of a claim field (`many`: of a list of its values)."""
    info = Claim.model_fields[name]
    annotation: Any = info.annotation
    if info.metadata:
        annotation = Annotated[(annotation, *info.metadata)]
    return TypeAdapter(list[annotation] if many else annotation)


def _message(exc: ValidationError) -> str:
    return message_of(exc.errors()[0])


def message_of(err: Mapping[str, Any]) -> str:
    if err["type"] == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        return f"{brief(err['input'])} is not one of {expected}"
    return error_text(err)


def clean_loc(loc: tuple[Any, ...], data: Any = None) -> list[str]:
    """A pydantic error location without its validator names
    (`function-after[_nonblank(), ...]`). A part that is a key of `data` (followed down
    the location) is a field as written, kept even if it looks like one (`foo[1]`)."""
    out = []
    for p in loc:
        if isinstance(data, Mapping) and str(p) in data:
            data = data[str(p)]
        elif isinstance(data, list) and isinstance(p, int) and 0 <= p < len(data):
            data = data[p]
        elif isinstance(p, str) and ("[" in p or p.startswith("function-")):
            continue
        else:
            data = None
        out.append(str(p))
    return out


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
        loc = clean_loc(err["loc"], data)
        key = loc[0] if loc else None
        line = line_of(data, tuple(loc), lines.get(key or ""))
        if err["type"] == "extra_forbidden" and len(loc) == 1:
            known = [*ClaimFileHeader.model_fields, "claims"]
            msg = "unknown header field"
            hint = "the header has " + ", ".join(known) + _did_you_mean(key or "", known)
        elif err["type"] == "extra_forbidden":
            known = list(Source.model_fields if loc[0] == "sources" else MetricDef.model_fields)
            msg = "unknown field"
            hint = "an entry has " + ", ".join(known) + _did_you_mean(loc[-1], known)
        else:
            msg = message_of(err)
            hint = "see the header format in the README"
        out.append(error(code, name, line, msg, hint, ".".join(loc) or None))
    return out


def line_of(data: Any, loc: tuple[Any, ...], default: int | None) -> int | None:
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


def validate_column(name: str, table: ColumnTable) -> dict[int, str]:
    """Validate one field of every row by its model type, once per distinct value.
    Replaces the column with normalized values (None where absent); returns
    {row position: message} for the values that are not valid."""
    values = table[name]
    if (
        name in PLAIN_TEXT
        and table.n > 10_000
        and all(isinstance(v, str) for v in values[: min(100, len(values))])
    ):
        blank = (values == "") | isna(values)
        if blank.any():  # a copy only where a blank is to become None
            values = values.copy()
            values[blank] = None
            table.set(name, values)
        return {}
    codes, uniques = table.factors(name)
    normalized = np.empty(len(uniques) + 1, dtype=object)
    normalized[-1] = None
    bad: dict[int, str] = {}
    given = [i for i, raw in enumerate(uniques) if is_present(raw)]
    try:
        # All at once (pydantic validates a list in about half the time it takes one
        # value at a time); one by one when any is not valid, for its message.
        valid = _adapter(name, many=True).validate_python([uniques[i] for i in given])
    except ValidationError:
        adapter = _adapter(name)
        for i in given:
            try:
                normalized[i] = adapter.validate_python(uniques[i])
            except ValidationError as exc:
                bad[i] = _message(exc)
    else:
        for i, value in zip(given, valid, strict=True):
            normalized[i] = value  # one by one: a list or tuple stays one element
    errors: dict[int, str] = {}
    if bad:
        for pos in np.flatnonzero(np.isin(codes, list(bad))).tolist():
            errors[pos] = bad[int(codes[pos])]
    # Keep the factors' promise that a missing value has code -1: an empty string or an
    # invalid value is None from here on (a CSV's empty `value` beside `low`/`high`).
    gone = np.array([v is None for v in normalized[:-1]], dtype=bool)
    if gone.any():
        codes = np.where(np.append(gone, True)[codes], -1, codes)
    if not gone.any() and _as_given(normalized[:-1], uniques) and bool((codes >= 0).all()):
        # Every value valid as written: the column is the one given (no copy of a
        # million references).
        column = values
    else:
        column = normalized[codes]
    table.set(name, column, (codes, normalized[:-1]))
    known = _distinct_factors(codes, normalized[:-1], gone)
    if known is not None:
        # Every later `factorize` of the claims' column (the checks, the engine's
        # batch) reads these instead of hashing a million values again.
        factored(column, *known)
    return errors


def _as_given(normalized: np.ndarray, uniques: np.ndarray) -> bool:
    """Whether validation gave back each distinct value itself (text kept as written)."""
    return len(normalized) == len(uniques) and all(
        a is b for a, b in zip(normalized.tolist(), uniques.tolist(), strict=True)
    )


def _distinct_factors(
    codes: np.ndarray, values: np.ndarray, gone: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """`factorize` of `values[codes]` (-1: None) from the codes of the raw values, when
    no two raw values became equal values: the values left, numbered again in the order
    they first appear; None otherwise (or for a value that cannot be hashed)."""
    kept = values[~gone]
    try:
        if len(set(kept.tolist())) != len(kept) or any(missing(v) for v in kept.tolist()):
            return None
    except TypeError:
        return None
    if not gone.any():
        return codes, values
    number = np.cumsum(~gone) - 1
    renumbered = np.where(codes >= 0, number[np.maximum(codes, 0)], -1)
    return renumbered, kept


def check_shapes(table: ColumnTable, report: Any) -> None:
    """value vs low/high/best vs assessment vs retracts, checked once per combination.

    The combinations are numbered from the columns' codes (each factorized once), in the
    order they first occur; a combination's claims are listed only when it has a
    problem."""

    def number(name: str) -> np.ndarray:
        return table.map(name, lambda x: x if isinstance(x, float) else math.nan, math.nan, float)

    value, assessed = table.present("value"), table.present("assessment")
    retracts = table.map("retracts", bool, False, bool)
    low, high, best = number("low"), number("high"), number("best")
    # 0, 1, ... as first seen.
    combo = combined_codes(
        [
            np.asarray(part, dtype=np.int64)
            for part in (
                value,
                factorize(low)[0] + 1,  # by the number itself (NaN: code -1)
                factorize(high)[0] + 1,
                factorize(best)[0] + 1,
                assessed,
                retracts,
            )
        ]
    )
    _, first = np.unique(combo, return_index=True)
    bad: dict[int, str] = {}
    for code, i in enumerate(first.tolist()):
        lo, hi, be = (None if math.isnan(x) else float(x) for x in (low[i], high[i], best[i]))
        nums = (lo, hi, be)
        problem = claim_shape_problem(bool(value[i]), nums, bool(assessed[i]), bool(retracts[i]))
        if problem is not None:
            bad[code] = problem
    if not bad:
        return
    order = np.argsort(combo, kind="stable")
    starts = np.searchsorted(combo[order], np.arange(len(first) + 1))
    for code, problem in bad.items():
        for pos in order[starts[code] : starts[code + 1]].tolist():
            report("invalid-claim", int(pos), "value", problem, None, str(table["id"][pos]))


def check_ids(table: ColumnTable, report: Any) -> None:
    ids: np.ndarray = table["id"]
    referring = {
        column: np.flatnonzero(table.map(column, bool, False, bool))
        for column in ("retracts", "parts")
    }
    named = [
        target for column, has in referring.items() for i in has for target in table[column][i]
    ]
    # The ids and the ids that claims name, coded together (every id is given by now:
    # `_default_ids` fills in the missing ones): codes number them as first seen, so a
    # named id is a claim's when its code is below the number of distinct ids.
    codes = factorize(np.concatenate((ids, object_array(named))) if named else ids)[0]
    codes, named_codes = codes[: len(ids)], codes[len(ids) :]
    distinct = int(codes.max(initial=-1)) + 1
    files, lines = table["file"], table["line"]
    if distinct < len(ids):  # some id is given twice: each row after the first with it
        firsts = first_rows(codes)  # firsts[code]
        dup = np.ones(len(ids), dtype=bool)
        dup[firsts] = False
        for pos in np.flatnonzero(dup).tolist():
            f = int(firsts[codes[pos]])
            report(
                "duplicate-id",
                int(pos),
                "id",
                f"id `{ids[pos]}` is already used at {located(files[f], lines[f])}",
                "give every claim its own id",
                str(ids[pos]),
            )
    # A missing named id (code -1) is no claim's either; validation leaves none today.
    unknown = iter(((named_codes >= distinct) | (named_codes < 0)).tolist())
    nearby: Nearby | None = None  # the ids, made when a claim first names an unknown one
    for column, verb in (("retracts", "retracts"), ("parts", "lists as a part")):
        for pos in referring[column].tolist():
            for target in table[column][pos]:
                if not next(unknown):
                    continue
                if nearby is None:
                    nearby = Nearby(set(ids.tolist()))
                report(
                    "unknown-reference",
                    int(pos),
                    column,
                    f"{verb} `{target}`, but no claim has that id",
                    "check the id" + nearby.hint(target, besides=ids[pos]),
                    str(ids[pos]),
                )
    # Only claims that withdraw something can be in a loop: the others are left out
    # before a list is made of them (a million ids took 0.1 s).
    withdrawing = np.flatnonzero(table.map("retracts", bool, False, bool))
    if len(withdrawing):
        loops = retraction_cycles(
            [str(i) for i in ids[withdrawing].tolist()], table["retracts"][withdrawing].tolist()
        )
        for members, message in loops:
            for pos in withdrawing[members].tolist():
                report(
                    "retraction-cycle",
                    pos,
                    "retracts",
                    message,
                    "keep one direction of the withdrawal",
                    str(ids[pos]),
                )


def _metric_meant(metric: str, known: dict[str, Any]) -> str:
    """The "did you mean" of an unknown metric: the built-in metric a word of the field
    names (`arrested`: `detained`), else the nearest spelling."""
    meant = METRIC_WORDS.get(normalize_column(metric))
    if meant in known:
        return f" (did you mean `{meant}`?)"
    return _did_you_mean(metric, list(known))


def check_metrics(table: ColumnTable, builder: Builder, report: Any) -> None:
    known = {**BUILTIN_METRICS, **builder.metrics}
    measure = table.map("metric", lambda m: known[m].value if m in known else None)
    for pos in np.flatnonzero(table.present("metric") & isna(measure)):
        m = table["metric"][pos]
        report(
            "unknown-metric",
            int(pos),
            "metric",
            f"unknown metric `{m}`" + _metric_meant(str(m), known),
            "use killed, injured, detained, charged, convicted, released, pardoned, "
            "criminal_cases, held or missing, or declare it under `metrics:` in the header",
            str(table["id"][pos]),
        )
    table.set("measure", measure)
