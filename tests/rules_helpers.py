"""Build small claim files (synthetic bodies and dates) and reconcile them."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import yaml

import figrecon
from figrecon.config import build_parameters
from figrecon.model import Figure, Result

SOURCES: dict[str, dict[str, Any]] = {
    "gov": {"name": "Government", "type": "government"},
    "interior": {"name": "Interior Ministry", "type": "government", "party": "state"},
    "prosecutor": {"name": "Prosecutor", "type": "judiciary"},
    "state-prosecutor": {"name": "State Prosecutor", "type": "judiciary", "party": "state"},
    "health": {"name": "Health Ministry", "type": "health"},
    "un": {"name": "UN office", "type": "igo"},
    "ngo": {"name": "Rights Group", "type": "ngo"},
    "ngo2": {"name": "Second NGO", "type": "ngo"},
    "media": {"name": "Newspaper", "type": "media"},
    "media2": {"name": "Second Paper", "type": "media"},
    "blog": {"name": "Blog", "type": "other"},
}

_counter = itertools.count()


def day(n: int) -> str:
    return (dt.date(2022, 1, 1) + dt.timedelta(days=n - 1)).isoformat()


def claim(id: str, value: Any, source: str, on: int, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": id,
        "metric": fields.pop("metric", "killed"),
        "source": source,
        "stated_on": day(on),
    }
    if value is not None:
        data["value"] = str(value)
    data.update(fields)
    return data


def write(tmp: Path, claims: list[dict[str, Any]], metrics: dict[str, Any] | None = None) -> Path:
    path = tmp / f"claims-{next(_counter)}.yaml"
    doc: dict[str, Any] = {"event": "e", "location": "Land", "sources": SOURCES, "claims": claims}
    if metrics:
        doc["metrics"] = metrics
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def result(
    tmp: Path,
    claims: list[dict[str, Any]],
    *,
    as_of: str | None = None,
    explain: bool = False,
    metrics: dict[str, Any] | None = None,
    **params: Any,
) -> Result:
    loaded = figrecon.load(write(tmp, claims, metrics))
    when = dt.date.fromisoformat(as_of) if as_of else None
    return figrecon.reconcile(loaded, build_parameters(params), as_of=when, explain=explain)


def figure(tmp: Path, claims: list[dict[str, Any]], group: str = "total", **kwargs: Any) -> Figure:
    found = [f for f in result(tmp, claims, **kwargs).figures if f.group == group]
    assert len(found) == 1, found
    return found[0]


def codes(f: Figure) -> list[str]:
    return [n.code for n in f.notes]


def note(f: Figure, code: str) -> Any:
    return next(n for n in f.notes if n.code == code)


def excluded(f: Figure) -> dict[str, str]:
    return {e.id: e.reason for e in f.claims_excluded}


def triple(f: Figure) -> tuple[Any, Any, Any]:
    return f.low, f.best, f.high
