"""Generators of synthetic claim sets for the fuzz tests (tests/test_fuzz.py) and the
longer fuzz run (bench/fuzz.py): every field the rules read, drawn from values that
make the rules interact (changes, relays of relays, parties, periods inside periods,
withdrawals, assessments, undated statements). Nothing here is real data."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

SOURCES: dict[str, dict[str, Any]] = {
    "gov": {"name": "Government", "type": "government", "party": "state"},
    "police": {"name": "Police", "type": "government", "party": "state"},
    "rebels": {"name": "Rebel command", "type": "other", "party": "rebels"},
    "court": {"name": "Court", "type": "judiciary"},
    "health": {"name": "Health Ministry", "type": "health", "party": True},
    "un": {"name": "UN office", "type": "igo"},
    "ngo": {"name": "Rights Group", "type": "ngo"},
    "ngo2": {"name": "Second Rights Group", "type": "ngo"},
    "ged": {"name": "Event dataset", "type": "research"},
    "paper": {"name": "Newspaper", "type": "media"},
    "blog": {"name": "Blog", "type": "other"},
}
PHRASES = [
    "0",
    "7",
    "164",
    "200",
    "225",
    "238",
    "241",
    "2,250",
    "9,900",
    "10,000",
    "about 230",
    "some 9,900",
    "nearly 240",
    "almost 10,000",
    "at least 230",
    "more than 200",
    "over 3,000",
    "230+",
    "up to 250",
    "as many as 2,600",
    "at most 300",
    "fewer than 50",
    "225-240",
    "between 1,800 and 2,500",
    "from 30 to 40",
    "dozens",
    "hundreds",
    "thousands",
    "several",
    "a few",
    "many",
    "tens of thousands",
    "rose from 164 to 225",
    "revised down from 300 to 250",
    "rose from dozens to at least 225",
    "225, up from 164",
    "не менее 230",
    "около 9 900",
    "более 10 тысяч",
    "no one",
]
PERIODS = [None, None, None, "2022-01-01/2022-01-31", "2022-01-05/2022-01-10", "2022-01", "2022"]
LOCATIONS = [None, None, "Land", "Land/City", "Land/City/Quarter", "Elsewhere"]


def day(n: int) -> str:
    return (dt.date(2022, 1, 1) + dt.timedelta(days=n - 1)).isoformat()


VALUES: list[Any] = [*PHRASES, (0, 40), (120, 135), (900, 2500), None]
"""A claim's figure: a phrase, explicit (low, high), or none (an assessment or a bare
withdrawal)."""
POOLS: dict[str, list[Any]] = {
    "metric": ["killed", "killed", "injured", "held", "missing"],
    "group": ["total", "total", "civilians", "security_forces"],
    "location": LOCATIONS,
    "period": PERIODS,
    "value": VALUES,
    "source": [*SOURCES, "unknown", "Unlisted Body"],
    "via": [None, None, "Wire", "Paper < Wire", "Radio", "Radio < Paper < Wire"],
    "day": [None, *range(1, 91)],
    "as_of": [None, None, None, *range(1, 91)],
    "retracts": [None] * 6 + list(range(30)),
    "retracted": [False] * 9 + [True],
    "assessment": [None] * 12 + ["unverified", "disputed", "confirmed"],
}
"""Every field's values, shared by the hypothesis strategy and the seeded generator."""

claim_strategy = st.fixed_dictionaries({k: st.sampled_from(v) for k, v in POOLS.items()})
claims_strategy = st.lists(claim_strategy, min_size=1, max_size=30)


def random_claims(rnd: random.Random) -> list[dict[str, Any]]:
    """A draw like `claims_strategy`'s, from a seeded generator (for bench/fuzz.py)."""
    return [{k: rnd.choice(v) for k, v in POOLS.items()} for _ in range(rnd.randint(1, 30))]


def to_claims(drawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Claims as a claim file holds them, from drawn values: ids c00, c01, ...; a
    `retracts` names an earlier claim (so no cycles: check's retraction-cycle has its own
    tests); a claim with neither a figure nor an assessment withdraws one."""
    out: list[dict[str, Any]] = []
    for i, d in enumerate(drawn):
        c: dict[str, Any] = {"id": f"c{i:02d}", "metric": d["metric"], "group": d["group"]}
        for name in ("location", "period"):
            if d[name]:
                c[name] = d[name]
        if d["assessment"]:
            c["assessment"] = d["assessment"]
        elif isinstance(d["value"], tuple):
            low, high = sorted(d["value"])
            c["low"], c["high"] = low, high
        elif d["value"] is not None:
            c["value"] = d["value"]
        c["source"] = d["source"]
        if d["source"] == "Unlisted Body":
            c["source_type"] = "ngo"
        if d["via"] or d["source"] == "unknown":
            c["via"] = d["via"] or "Paper"
        c["stated_on"] = day(d["day"]) if d["day"] else "undated"
        if d["as_of"] and d["day"] and d["as_of"] <= d["day"]:
            c["as_of"] = day(d["as_of"])
        if d["retracts"] is not None and i and d["retracts"] < i:
            c["retracts"] = f"c{d['retracts']:02d}"
        elif "value" not in c and "low" not in c and "assessment" not in c:
            c["value"] = "dozens"
        if d["retracted"] and "assessment" not in c:
            c["retracted"] = True
        out.append(c)
    return out


def write(folder: Path, name: str, claims: list[dict[str, Any]], form: str = "yaml") -> Path:
    """The claims as a YAML file with the registry, or as JSON/NDJSON beside a registry
    (`sources.yaml`)."""
    path = folder / f"{name}.{form}"
    if form == "yaml":
        doc = {"event": "e", "sources": SOURCES, "claims": claims}
        path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path
    full = [{"event": "e", **c} for c in claims]
    if form == "json":
        path.write_text(json.dumps(full, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        path.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in full), "utf-8")
    return path


def registry(folder: Path) -> Path:
    path = folder / "registry.yaml"
    path.write_text(yaml.safe_dump({"sources": SOURCES}, sort_keys=False), encoding="utf-8")
    return path


def ordered(json_text: str) -> None:
    """Every figure of a reconcile result (its JSON) has LOW <= BEST <= HIGH, or no
    figure at all."""
    from figrecon.model import Result

    for f in Result.model_validate_json(json_text).figures:
        if f.best is None:
            assert f.low is None
            assert f.high is None
            continue
        assert f.low is not None
        assert f.high is not None
        assert f.low <= f.best <= f.high, f.key


def shuffled(claims: list[dict[str, Any]], rnd: random.Random) -> list[dict[str, Any]]:
    out = list(claims)
    rnd.shuffle(out)
    return out
