"""Findings a team has accepted, kept in a baseline file (as pip-audit's --ignore-vuln
accepts a known vulnerability): each by its code and claim id, so that `check
--strict` passes in CI until something new appears. Errors that `reconcile` refuses
cannot be accepted, nor findings without a claim.

The file is JSON: `{"figrecon_baseline": 1, "accepted": [{"code", "claim", "message"}]}`
(the message is for people; only the code and the claim are matched). Inside a data
folder it is known by its first key and read as no claims.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import UsageError
from ..io.records import BASELINE_KEY
from ..model import Finding, Severity
from .codes import ALWAYS


class Accepted(BaseModel):
    """A finding accepted by its code and claim."""

    model_config = ConfigDict(defer_build=True)  # built when a baseline is read

    code: str
    claim: str
    message: str = ""


class Baseline(BaseModel):
    """The findings a team accepted."""

    model_config = ConfigDict(defer_build=True)

    figrecon_baseline: int = 1
    accepted: list[Accepted]

    @property
    def keys(self) -> set[tuple[str, str]]:
        return {(a.code, a.claim) for a in self.accepted}


def acceptable(f: Finding) -> bool:
    """A finding a baseline may accept: of a claim, and not an error reconcile refuses."""
    return f.claim is not None and not (f.code in ALWAYS and f.severity == Severity.error)


def baseline_of(findings: list[Finding]) -> Baseline:
    """The baseline that accepts every acceptable finding, in a stable order."""
    accepted = {
        (f.code, f.claim): Accepted(
            code=f.code, claim=f.claim, message=(f"{f.field}: " if f.field else "") + f.message
        )
        for f in findings
        if acceptable(f) and f.claim is not None
    }
    return Baseline(accepted=[accepted[key] for key in sorted(accepted)])


def is_baseline(path: Path) -> bool:
    """Whether a file holds a baseline (and may be written over by a new one)."""
    try:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and BASELINE_KEY in data


def read_baseline(path: str | Path) -> Baseline:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(
            f"--baseline {path}: cannot be read ({exc.strerror}); write one with "
            "--write-baseline FILE"
        ) from None
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or BASELINE_KEY not in data:
            raise ValueError(f"no `{BASELINE_KEY}` key")
        return Baseline.model_validate(data)
    except (ValueError, ValidationError) as exc:
        reason = str(exc).splitlines()[0]
        raise UsageError(
            f"--baseline {path}: not a figrecon baseline ({reason}); write one with "
            "--write-baseline FILE"
        ) from None


def baseline_text(baseline: Baseline) -> str:
    return baseline.model_dump_json(indent=2) + "\n"
