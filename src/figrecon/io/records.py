"""What a reader gives: each file's records (claims as mappings, with the line of each
field) and findings; and the shared checks of records (keys given twice, nesting too
deep, mappings too wide).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Finding, Severity
from ..text import brief
from .limits import MAX_DEPTH, MAX_FIELDS

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd


# Scalars of these keys are kept as written: `value: 9.900` is "9.900", not 9.9,
# `id: 007` stays "007", and a bad date such as 2022-13-01 reaches validation as text.
RAW_KEYS = frozenset(
    {
        "id",
        "value",
        "event",
        "metric",
        "group",
        "location",
        "period",
        "source",
        "via",
        "url",
        "quote",
        "note",
        "name",
        "stated_on",
        "as_of",
        "low",
        "high",
        "best",
    }
)


# Lists of claim ids: each id kept as written, like `id` itself.
ID_LIST_KEYS = frozenset({"retracts", "parts"})


def error(
    code: str,
    file: str | None,
    line: int | None,
    message: str,
    hint: str | None = None,
    field: str | None = None,
    claim: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=Severity.error,
        file=file,
        line=line,
        field=field,
        claim=claim,
        message=message,
        hint=hint,
    )


@dataclass
class Columns:
    """Claims read straight into columns (JSON and NDJSON): the claims that give the
    same fields, in the same order, share a bucket of their row numbers and their
    values. No mapping is kept per claim: a million of them, scattered among the values
    they hold, would keep about a GiB in use after they were freed."""

    n: int = 0
    buckets: dict[tuple[str, ...], tuple[list[int], list[tuple[Any, ...]]]] = field(
        default_factory=dict
    )

    def add(self, keys: tuple[str, ...], values: tuple[Any, ...]) -> None:
        """One claim: its field names (none given twice) and their values."""
        bucket = self.buckets.get(keys)
        if bucket is None:
            bucket = self.buckets[keys] = ([], [])
        bucket[0].append(self.n)
        bucket[1].append(values)
        self.n += 1

    def fields(self) -> list[str]:
        """Every field name, in the order the claims first give them."""
        return list(dict.fromkeys(key for keys in self.buckets for key in keys))

    def rows(self) -> list[dict[str, Any]]:
        """The claims as mappings (for tests and small inputs)."""
        out: list[dict[str, Any]] = [{} for _ in range(self.n)]
        for keys, (rows, values) in self.buckets.items():
            for row, vals in zip(rows, values, strict=True):
                out[row] = dict(zip(keys, vals, strict=True))
        return out


@dataclass
class FileRecords:
    """What one claim file holds, not yet validated."""

    name: str
    header: dict[str, Any] = field(default_factory=dict)
    header_lines: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Claims from YAML/JSON: raw field values."""
    columns: Columns | None = None
    """Claims from NDJSON, and JSON files of flat claims: raw field values, by column."""
    lines: list[int] = field(default_factory=list)
    """The line of each claim in `rows`."""
    field_lines: list[dict[str, int]] = field(default_factory=list)
    table: dict[str, np.ndarray] | None = None
    """Claims from CSV/TSV and spreadsheets: an object array of text per field, in file
    order."""
    frame: pd.DataFrame | None = None
    """Claims from event datasets: a column per field."""
    row_lines: Any = None
    """Line numbers of the rows of `table` or `frame` (computed only when needed)."""
    findings: list[Finding] = field(default_factory=list)
    claim_file: bool = True
    """False for a file that is not meant to hold claims: a sources registry, a check
    baseline (`empty-file` is not said of it)."""


class Marked(dict):  # type: ignore[type-arg]
    """A mapping as read from a file, with where it was written: `line` of the mapping,
    `lines` of each key, and `dupes`, keys given twice (with the line of the repeat);
    `height`, the levels of mappings and lists it holds, itself included.

    Keeping these as attributes, not as extra keys, means no field name a user writes
    can collide with them."""

    line: int | None = None
    lines: dict[str, int]
    dupes: list[tuple[str, int | None]]
    height: int = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}
        self.dupes = []


class MarkedList(list):  # type: ignore[type-arg]
    """A sequence as read from a file, with the line of each item (and `height`, as
    for `Marked`)."""

    lines: list[int]
    height: int = 1


TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"


TOO_WIDE = f"a mapping of more than {MAX_FIELDS:,} fields"


_HINTS = {
    TOO_DEEP: "claims are flat: `field: value` pairs, with a list of ids at most",
    TOO_WIDE: "check that this is the file you meant; claims have a few fields each",
}


class OverLimit(ValueError):
    """A parsed structure beyond a limit: nested too deep, or a mapping too wide (at
    `line`, when known). Raised while parsing, to stop early."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def over_limit(name: str, problem: str, line: int | None) -> Finding:
    return error("over-limit", name, line, problem, _HINTS[problem])


def height(value: Any) -> int:
    """How many levels of lists and mappings a value read from a file holds. Mappings
    (and YAML lists) record their own as they are built, so no level is walked twice
    and no walk recurses; a JSON list is walked here, with a stack."""
    if isinstance(value, Marked | MarkedList):
        return value.height
    if not isinstance(value, list):
        return 0
    found, stack = 1, [(value, 1)]
    while stack and found <= MAX_DEPTH:
        items, level = stack.pop()
        for item in items:
            if isinstance(item, Marked | MarkedList):
                found = max(found, level + item.height)
            elif isinstance(item, list):
                found = max(found, level + 1)
                stack.append((item, level + 1))
    return found


def duplicate_keys(name: str, mapping: Any, out: FileRecords, line: int | None) -> None:
    for dup, dline in getattr(mapping, "dupes", ()):
        out.findings.append(
            error(
                "duplicate-key",
                name,
                dline if dline is not None else line,
                f"`{dup}` is given twice",
                "keep one",
                dup,
            )
        )


def records_from(
    name: str,
    data: Any,
    fmt: str,
    out: FileRecords,
    top_line: int = 1,
    item_lines: list[int] | None = None,
) -> FileRecords:
    """Shared by YAML and JSON: a list of claims, a header mapping with `claims`, or
    (JSON) one claim object on its own."""
    if isinstance(data, list):
        claims: Any = data
    elif isinstance(data, dict):
        duplicate_keys(name, data, out, top_line)
        if "claims" not in data and ("value" in data or "metric" in data) and fmt == "JSON":
            # A JSON file holding one claim object, as an API would return it.
            claims = [data]
            item_lines = [getattr(data, "line", None) or top_line]
        else:
            lines = getattr(data, "lines", {})
            claims = data.get("claims")
            out.header = {k: v for k, v in data.items() if k != "claims"}
            out.header_lines = {k: lines.get(k, top_line) for k in out.header}
            if "claims" not in data and _registry_only(data):
                out.claim_file = False
                return out  # a registry: its sources are the header's, for every file
            if "claims" not in data and fmt == "JSON" and BASELINE_KEY in data:
                out.header = {}
                out.claim_file = False
                return out  # `figrecon check --write-baseline` wrote it: no claims
            if "claims" not in data:
                out.findings.append(
                    error(
                        "no-claims",
                        name,
                        top_line,
                        "the file has no `claims:` list",
                        f"put the claims under `claims:` or make the {fmt} file a list of claims",
                    )
                )
                return out
            if claims is None:
                return out  # `claims:` with nothing under it: a file with no claims yet
            item_lines = getattr(claims, "lines", None) or item_lines
            top_line = lines.get("claims", top_line)
    elif data is None:
        return out  # an empty file holds no claims
    else:
        out.findings.append(
            error(
                "not-claims",
                name,
                top_line,
                "expected a list of claims or a mapping with `claims:`, "
                f"found {type(data).__name__}",
                "see the claim format in the README",
            )
        )
        return out
    if not isinstance(claims, list):
        out.findings.append(
            error(
                "not-claims",
                name,
                top_line,
                "`claims` must be a list",
                "write `claims:` then `- id: ...` items",
            )
        )
        return out
    if item_lines is None:
        item_lines = getattr(claims, "lines", None)
    for index, item in enumerate(claims):
        where = item_lines[index] if item_lines and index < len(item_lines) else top_line
        if not isinstance(item, dict):
            out.findings.append(
                error(
                    "not-a-claim",
                    name,
                    where,
                    f"claim {index + 1} must be a mapping of fields, found {brief(item)}",
                    "write each claim as `field: value` pairs",
                )
            )
            continue
        line = getattr(item, "line", None) or where
        duplicate_keys(name, item, out, line)
        out.rows.append(item)
        out.lines.append(line)
        out.field_lines.append(dict(getattr(item, "lines", {})))
    return out


REGISTRY_KEYS = frozenset({"sources", "metrics"})

BASELINE_KEY = "figrecon_baseline"
"""The first key of a check baseline (`checks.baseline`), which may sit among claims."""


def _registry_only(data: dict[str, Any]) -> bool:
    """A mapping of `sources:` (and `metrics:`) alone: a registry kept in a file of its
    own among the claim files, not a claim file that lacks its claims."""
    keys = {str(k) for k in data if not str(k).startswith("x_")}
    return bool(keys) and keys <= REGISTRY_KEYS
