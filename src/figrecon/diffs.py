"""`figrecon diff`: what changed in the reconciled figures between two versions of a
dataset (or two saved `reconcile --format json` results), and which claims moved them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from . import __version__
from .errors import UsageError
from .models import FORMAT_VERSION, Figure, Number, Result, error_text

Change = Literal["appeared", "disappeared", "moved"]
COMPARED = ("low", "best", "high", "open_upper", "confidence")


class Side(BaseModel):
    """A figure's headline on one side of the diff."""

    low: Number | None
    best: Number | None
    high: Number | None
    open_upper: bool
    confidence: str | None


class ClaimMove(BaseModel):
    """A claim whose fate in the figure changed: used, or excluded and why."""

    id: str
    old: str | None
    """Its status before (`used`, a reason such as `stale`, or null when it was absent)."""
    new: str | None
    old_value: str | None = None
    """The claim's value as written before, when it changed (datasets only)."""
    new_value: str | None = None


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
    """The claims that caused the change: added, removed, or whose fate changed."""


class Diff(BaseModel):
    """The output of `figrecon diff`."""

    format_version: int = FORMAT_VERSION
    figrecon: str = __version__
    old: str
    new: str
    changes: list[FigureChange]
    unchanged: int


def saved_result(path: Path, max_size: int | None = None) -> Result | None:
    """A saved `reconcile --format json` result, or None when the file is claims. A
    result is known by its content (a JSON object with `format_version` and
    `figures`), whatever the file is called. A file above `max_size` bytes is left to
    the claim readers, which refuse it."""
    if not path.is_file() or path.suffix.lower() in (".yaml", ".yml", ".csv", ".tsv", ".tab"):
        return None
    if max_size is not None and path.stat().st_size > max_size:
        return None
    try:
        with path.open("rb") as handle:
            if handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1] != b"{":
                return None
        data = json.loads(path.read_text(encoding="utf-8-sig"))
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
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise UsageError(
            f"{path}: a result in format version {version!r}; this figrecon "
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
    return result


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
    """A default id (FILE:LINE, for claims without an id) of the old dataset, written
    as the same place in the new one: `v1/x.csv:8` is `v2/x.csv:8`, so that an
    unchanged claim is not listed as removed and added. Other ids are left alone."""
    path, _, line = claim_id.rpartition(":")
    if not line.isdigit():
        return claim_id
    if path == old_root:
        return f"{new_root}:{line}"
    if path.startswith(old_root + "/"):
        return f"{new_root}{path[len(old_root) :]}:{line}"
    return claim_id


def compare(
    old: Result,
    new: Result,
    old_name: str,
    new_name: str,
    rename: Callable[[str], str] | None = None,
) -> Diff:
    """`rename` maps the old side's claim ids to the new side's (see `rebase`)."""
    before = {f.key: f for f in old.figures}
    after = {f.key: f for f in new.figures}
    changes: list[FigureChange] = []
    unchanged = 0
    for key in sorted(set(before) | set(after)):
        a, b = before.get(key), after.get(key)
        fates_a, fates_b = _fates(a), _fates(b)
        values_a, values_b = _values(a), _values(b)
        if rename is not None:
            fates_a = {rename(cid): fate for cid, fate in fates_a.items()}
            values_a = {rename(cid): value for cid, value in values_a.items()}
        moves = []
        for cid in sorted(set(fates_a) | set(fates_b)):
            before_value, after_value = values_a.get(cid), values_b.get(cid)
            edited = None not in (before_value, after_value) and before_value != after_value
            if fates_a.get(cid) != fates_b.get(cid) or edited:
                moves.append(
                    ClaimMove(
                        id=cid,
                        old=fates_a.get(cid),
                        new=fates_b.get(cid),
                        old_value=before_value if edited else None,
                        new_value=after_value if edited else None,
                    )
                )
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
            if fields:
                changes.append(
                    FigureChange(
                        change="moved", old=_side(a), new=_side(b), fields=fields, **common
                    )
                )
            else:
                unchanged += 1
    return Diff(old=old_name, new=new_name, changes=changes, unchanged=unchanged)
