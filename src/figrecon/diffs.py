"""`figrecon diff`: what changed in the reconciled figures between two versions of a
dataset (or two saved `reconcile --format json` results), and every claim that changed
under each figure, whether or not the figure moved."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, get_args

from pydantic import BaseModel, Field, ValidationError

from . import __version__
from .errors import UsageError
from .model import FORMAT_VERSION, MAX_COUNT, Figure, Number, Result, error_text
from .text import brief, figure_text

if TYPE_CHECKING:
    from .loading import Claims

Change = Literal["appeared", "disappeared", "moved", "unmoved"]
COMPARED = ("low", "best", "high", "open_upper", "confidence")

ClaimChange = Literal[
    "added", "removed", "withdrawn", "edited", "provenance", "entered", "left", "fate"
]
GATED: frozenset[ClaimChange] = frozenset(
    {"added", "removed", "withdrawn", "edited", "entered", "left"}
)
"""Claim changes that fail `--fail-on-change` (provenance and fate changes do not)."""

READ_FIELDS = (
    "event",
    "metric",
    "group",
    "location",
    "period",
    "value",
    "low",
    "best",
    "high",
    "source",
    "source_type",
    "via",
    "stated_on",
    "as_of",
    "retracts",
    "retracted",
    "assessment",
)
"""The claim fields the rules read: a change to any of them is an edit."""
UNREAD_FIELDS = ("parts", "url", "quote", "note")
"""Fields the rules do not read: a change to these alone is listed as provenance."""


class Side(BaseModel):
    """A figure's headline on one side of the diff."""

    low: Number | None
    best: Number | None
    high: Number | None
    open_upper: bool
    confidence: str | None


class FieldChange(BaseModel):
    """A claim field before and after, as text (null when absent)."""

    old: str | None
    new: str | None


class ClaimMove(BaseModel):
    """A claim listed under a figure: how it changed, and its fate in the figure."""

    id: str
    change: ClaimChange
    old: str | None
    """Its status in this figure before (`used`, a reason such as `stale`, or null when
    it was not in this figure)."""
    new: str | None
    fields: dict[str, FieldChange] = Field(default_factory=dict)
    """The fields that changed (datasets; for saved results only a value shown by
    `--explain`)."""


class FigureChange(BaseModel):
    change: Change
    event: str
    metric: str
    group: str
    location: str | None
    period: str | None
    old: Side | None
    new: Side | None
    fields: list[str] = Field(default_factory=list)
    """Which of low, best, high, open_upper, confidence changed."""
    claims: list[ClaimMove] = Field(default_factory=list)
    """Every claim of the figure, before or after, that changed or whose fate changed."""


class Diff(BaseModel):
    """The output of `figrecon diff`."""

    format_version: int = FORMAT_VERSION
    figrecon: str = __version__
    old: str
    new: str
    changes: list[FigureChange]
    unchanged: int
    """Figures that did not move and list no claim."""
    claims_changed: dict[ClaimChange, int] = Field(default_factory=dict)
    """How many distinct claims are listed with each change."""

    @property
    def fails_gate(self) -> bool:
        """What `--fail-on-change` fails on: a figure that appeared, disappeared or moved,
        or a claim that was edited, added, removed, newly withdrawn, or that entered or
        left a figure."""
        return any(c.change != "unmoved" for c in self.changes) or any(
            change in GATED for change in self.claims_changed
        )


def saved_result(path: Path, max_size: int | None = None) -> Result | None:
    """A saved `reconcile --format json` result, or None when the file is claims. A
    result is known by its content (a JSON object with `format_version` and
    `figures`), whatever the file is called. A file above `max_size` bytes is left to
    the claim readers, which refuse it."""
    if not path.is_file() or path.suffix.lower() in (".yaml", ".yml", ".csv", ".tsv", ".tab"):
        return None
    if max_size is not None and path.stat().st_size > max_size:
        return None
    from .io.json import strict_loads

    try:
        with path.open("rb") as handle:
            if handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
                return None
        # NaN or Infinity (not JSON) leave the file to the claim readers, which say so.
        data = strict_loads(path.read_text(encoding="utf-8-sig"))
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError, RecursionError, OSError):
        return None
    if not isinstance(data, dict):
        return None
    if "findings" in data and "valid" in data:
        raise UsageError(
            f"{path}: this is a `figrecon check` report, not claims or a reconcile result; "
            "diff compares claim files or saved `reconcile --format json` results"
        )
    if "changes" in data and "unchanged" in data:
        raise UsageError(
            f"{path}: this is a `figrecon diff` output; diff compares claims or results"
        )
    if not ("figures" in data and "format_version" in data):
        return None
    version = data.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        # `true`, "1", 1.5 or 0: no figrecon writes it
        raise UsageError(
            f"{path}: a result in format version {brief(version)}, which no figrecon writes "
            "(the first is 1); save it again with `figrecon reconcile --format json -o FILE`"
        )
    if version > FORMAT_VERSION:
        raise UsageError(
            f"{path}: a result in format version {brief(version)}; this figrecon "
            f"({__version__}) reads version {FORMAT_VERSION}; upgrade figrecon to compare it"
        )
    try:
        result = Result.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise UsageError(
            f"{path}: not a complete reconcile result: {where}: {error_text(err)}; "
            "save it again with `figrecon reconcile --format json -o FILE`"
        ) from None
    seen: set[tuple[str | None, ...]] = set()
    for figure in result.figures:
        if figure.key in seen:
            raise UsageError(
                f"{path}: the figure {'/'.join(k or '-' for k in figure.key)} appears twice; "
                "a result has one figure per event, metric, group, location and period"
            )
        seen.add(figure.key)
        problem = _out_of_order(figure)
        if problem:
            raise UsageError(
                f"{path}: the figure {'/'.join(k or '-' for k in figure.key)} has {problem}, "
                "which figrecon never writes; save it again with `figrecon reconcile --format "
                "json -o FILE`"
            )
    return result


def _out_of_order(f: Figure) -> str | None:
    """What makes a saved figure's numbers ones figrecon does not write: LOW ≤ BEST ≤
    HIGH, counts of 0 to 2×10^10, all three given or none."""
    numbers = {"low": f.low, "best": f.best, "high": f.high}
    given = [name for name, x in numbers.items() if x is not None]
    if given and len(given) < 3:
        missing = ", ".join(name for name in numbers if name not in given)
        return f"no {missing} beside its {' and '.join(given)}"
    for name, x in numbers.items():
        # R1 reads a figure of up to 10^10; its high may lie a fifth above it.
        if x is not None and not 0 <= x <= 2 * MAX_COUNT:
            shown = figure_text(x) if abs(x) < 1e15 else brief(x)
            return f"a {name} of {shown}, not a count of 0 to 2×10^10"
    low, best, high = f.low, f.best, f.high
    if low is not None and best is not None and high is not None and not low <= best <= high:
        return (
            f"low {figure_text(low)}, best {figure_text(best)} and high {figure_text(high)} "
            "out of order"
        )
    return None


def _side(f: Figure) -> Side:
    return Side(
        low=f.low, best=f.best, high=f.high, open_upper=f.open_upper, confidence=f.confidence
    )


def _fates(f: Figure | None) -> dict[str, str]:
    if f is None:
        return {}
    fates = dict.fromkeys(f.claims_used, "used")
    fates.update({e.id: e.reason for e in f.claims_excluded})
    # Claims without a figure (a withdrawal, an assessment) are in the explanation only.
    for trace in f.explain or []:
        fates.setdefault(trace.id, trace.status)
    return fates


def _values(f: Figure | None) -> dict[str, str]:
    """Each claim's value as written, when the figure carries its explanation."""
    return {t.id: t.value for t in (f.explain or [])} if f is not None else {}


def rebase(claim_id: str, old_root: str, new_root: str) -> str:
    """A default id (FILE:LINE, FILE:LINE#N or FILE:SHEET!ROW, for claims without an
    id) of the old dataset, written as the same place in the new one: `v1/x.csv:8` is
    `v2/x.csv:8`, so that an unchanged claim is not listed as removed and added. Other
    ids are left alone."""
    path, _, place = claim_id.rpartition(":")
    if not _PLACE.fullmatch(place):
        return claim_id
    if path == old_root:
        return f"{new_root}:{place}"
    if path.startswith(old_root + "/"):
        return f"{new_root}{path[len(old_root) :]}:{place}"
    return claim_id


_PLACE = re.compile(r"(?:[^:!]+!)?\d+(?:#\d+)?")
"""The place part of a default id: LINE, LINE#N, or SHEET!ROW (and #N)."""


def _plain(value: Any) -> Any:
    """A claim field's value, with every way of being absent (NaN, no ids) as None."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, tuple | list):
        return tuple(value) or None
    return value


def _written(value: Any) -> str | None:
    """A claim field as text: whole numbers without decimals, dates as YYYY-MM-DD,
    ids comma-separated."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


FIELDS = (*READ_FIELDS, *UNREAD_FIELDS)
RETRACTS, RETRACTED = FIELDS.index("retracts"), FIELDS.index("retracted")
Record = tuple[Any, ...]
"""A claim's fields in the order of `FIELDS` (a tuple: datasets hold millions)."""


def claim_records(claims: Claims) -> dict[str, Record]:
    """Each claim's fields by id: what diff compares between two datasets."""
    rows = zip(claims.columns["id"], *(claims.columns[name] for name in FIELDS), strict=True)
    return {str(cid): tuple(map(_plain, values)) for cid, *values in rows}


def _renamed(records: dict[str, Record], rename: Callable[[str], str]) -> dict[str, Record]:
    """The old side's records under the new side's ids, `retracts` included."""
    out = {}
    for cid, fields in records.items():
        if fields[RETRACTS]:
            retracts = tuple(map(rename, fields[RETRACTS]))
            fields = (*fields[:RETRACTS], retracts, *fields[RETRACTS + 1 :])
        out[rename(cid)] = fields
    return out


def _withdrawn(records: dict[str, Record]) -> set[str]:
    """The ids another claim `retracts`, and the claims marked `retracted`."""
    marked = {cid for cid, fields in records.items() if fields[RETRACTED]}
    return marked.union(*(fields[RETRACTS] or () for fields in records.values()))


def _move(
    cid: str,
    fates: tuple[str | None, str | None],
    records: tuple[Record | None, Record | None],
    datasets: bool,
    withdrawn: bool,
) -> ClaimMove | None:
    """How one claim of a figure changed, or None when it did not. `records` are its
    fields on each side: all `FIELDS` for datasets (None: not in the dataset), for saved
    results at most the value `--explain` showed. `withdrawn`: newly withdrawn."""
    before, after = records
    old, new = fates
    names = FIELDS if datasets else ("value",)
    fields = {}
    if before is not None and after is not None:
        fields = {
            name: FieldChange(old=_written(x), new=_written(y))
            for name, x, y in zip(names, before, after, strict=True)
            if x != y
        }
    change: ClaimChange | None = None
    if datasets and (before is None or after is None):
        change = "added" if before is None else "removed"
    elif not datasets and (old is None or new is None):
        change = "entered" if old is None else "left"
    elif withdrawn:
        change = "withdrawn"
    elif any(name in READ_FIELDS for name in fields):
        change = "edited"
    elif fields:
        change = "provenance"
    elif old != new:
        change = "fate"
    if change is None:
        return None
    return ClaimMove(id=cid, change=change, old=old, new=new, fields=fields)


def compare(
    old: Result,
    new: Result,
    old_name: str,
    new_name: str,
    rename: Callable[[str], str] | None = None,
    claims: tuple[dict[str, Record], dict[str, Record]] | None = None,
) -> Diff:
    """`rename` maps the old side's claim ids to the new side's (see `rebase`). With the
    `claims` of both datasets (see `claim_records`) every field of every claim is
    compared; saved results hold only ids, so for them the claims that entered or left
    each figure are listed."""
    same: Callable[[str], str] = rename or (lambda cid: cid)
    datasets = claims is not None
    records: tuple[dict[str, Record], dict[str, Record]] = ({}, {})
    newly_withdrawn: set[str] = set()
    written: dict[str, str] = {}  # the old side's ids as written, by their new-side name
    if claims is not None:
        written = {same(cid): cid for cid in claims[0]}
        records = (_renamed(claims[0], same), claims[1])
        newly_withdrawn = _withdrawn(records[1]) - _withdrawn(records[0])
    before = {f.key: f for f in old.figures}
    after = {f.key: f for f in new.figures}
    changes: list[FigureChange] = []
    unchanged = 0
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        fates_a = {same(cid): fate for cid, fate in _fates(a).items()}
        fates_b = _fates(b)
        if not datasets:
            # Saved results hold a claim's value only when saved with --explain.
            records = (
                {same(cid): (value,) for cid, value in _values(a).items()},
                {cid: (value,) for cid, value in _values(b).items()},
            )
        moves = []
        for cid in sorted(set(fates_a) | set(fates_b)):
            fate = (fates_a.get(cid), fates_b.get(cid))
            withdrawn = cid in newly_withdrawn if datasets else fate[1] == "withdrawn" != fate[0]
            record = (records[0].get(cid), records[1].get(cid))
            move = _move(cid, fate, record, datasets, withdrawn)
            if move is None:
                continue
            if move.change == "removed":
                # Named where it was: FILE:LINE of the old version, for a claim without id.
                move.id = written.get(cid, cid)
            moves.append(move)
        event, metric, group, location, period = key
        common: dict[str, Any] = {
            "event": event,
            "metric": metric,
            "group": group,
            "location": location or None,
            "period": period or None,
            "claims": moves,
        }
        if a is None and b is not None:
            changes.append(
                FigureChange(
                    change="appeared", old=None, new=_side(b), fields=list(COMPARED), **common
                )
            )
        elif b is None and a is not None:
            changes.append(
                FigureChange(
                    change="disappeared", old=_side(a), new=None, fields=list(COMPARED), **common
                )
            )
        elif a is not None and b is not None:
            fields = [name for name in COMPARED if getattr(a, name) != getattr(b, name)]
            if fields or moves:
                changes.append(
                    FigureChange(
                        change="moved" if fields else "unmoved",
                        old=_side(a),
                        new=_side(b),
                        fields=fields,
                        **common,
                    )
                )
            else:
                unchanged += 1
    return Diff(
        old=old_name,
        new=new_name,
        changes=changes,
        unchanged=unchanged,
        claims_changed=_counts(move for c in changes for move in c.claims),
    )


def _counts(moves: Iterable[ClaimMove]) -> dict[ClaimChange, int]:
    """Distinct claims by change, in the order of `ClaimChange` (a claim listed under
    two figures counts once)."""
    seen = {(move.change, move.id) for move in moves}
    counts = {change: sum(1 for c, _ in seen if c == change) for change in get_args(ClaimChange)}
    return {change: n for change, n in counts.items() if n}
