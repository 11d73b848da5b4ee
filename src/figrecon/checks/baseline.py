"""Findings a team has accepted, kept in a baseline file (as pip-audit's --ignore-vuln
accepts a known vulnerability): each by its code and claim id, so that `check
--strict` passes in CI until something new appears. Errors that `reconcile` refuses
cannot be accepted, nor findings without a claim.

The file is JSON: `{"figrecon_baseline": 1, "accepted": [{"code", "claim", "message"}]}`
(the message is for people; only the code and the claim are matched). Inside a data
folder it is known by its first key and read as no claims.
"""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from .. import __version__
from ..errors import UsageError
from ..io.files import decode, file_kind, read_bytes
from ..io.json import strict_loads
from ..io.limits import MAX_INPUT_SIZE
from ..io.records import BASELINE_KEY, TOO_DEEP
from ..model import Finding, Severity
from .codes import ALWAYS

VERSION = 1
"""The version of the baseline format, its `figrecon_baseline`; bumped on any
incompatible change."""


class Accepted(BaseModel):
    """A finding accepted by its code and claim."""

    model_config = ConfigDict(defer_build=True)  # built when a baseline is read

    code: str
    claim: str
    message: str = ""


class Baseline(BaseModel):
    """The findings a team accepted."""

    model_config = ConfigDict(defer_build=True)

    figrecon_baseline: int = VERSION
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


def _contents(path: Path, max_size: int) -> tuple[Any, str | None, str]:
    """The JSON in a baseline file, or why there is none and what to do. The file is
    read as the claim readers read theirs: a file or a pipe (`--baseline <(git show
    main:figrecon-baseline.json)`), not a device, a socket or a folder; no more than
    `max_size` bytes, up to a NUL character; JSON nested too deep for the parser is
    refused in their words."""
    rewrite = "write one with --write-baseline FILE"
    try:
        mode = path.stat().st_mode
    except (OSError, ValueError):
        mode = None  # reading it says why
    if mode is not None and not stat.S_ISFIFO(mode) and (what := file_kind(mode)):
        return None, f"not a regular file or a pipe ({what})", rewrite
    text = None
    raw, problem = read_bytes(str(path), path, "utf-8", max_size)
    if raw is not None:
        text, problem = decode(str(path), raw.data, "utf-8")
    if problem is not None:  # too large: the limit is what to change, not the baseline
        hint = "raise --max-input-size" if problem.code == "over-limit" else rewrite
        return None, problem.message, hint
    assert text is not None
    try:
        return strict_loads(text), None, rewrite
    except RecursionError:
        return None, f"not a figrecon baseline ({TOO_DEEP})", rewrite
    except ValueError as exc:
        return None, f"not a figrecon baseline ({str(exc).splitlines()[0]})", rewrite


def is_baseline(path: Path, max_size: int = MAX_INPUT_SIZE) -> bool:
    """Whether a file holds a baseline (and may be written over by a new one), read as
    `read_baseline` reads one within `max_size` bytes: a file too large or nested too
    deep holds none."""
    data, problem, _ = _contents(path, max_size)
    return problem is None and isinstance(data, dict) and BASELINE_KEY in data


def read_baseline(path: str | Path, max_size: int = MAX_INPUT_SIZE) -> Baseline:
    """The baseline a file written by --write-baseline holds, read within the limit on
    one input (`max_size`); anything else is refused in one line. A baseline of
    another version is refused before it is validated, as `diff` refuses a result:
    its fields may mean something else."""
    data, problem, hint = _contents(Path(path), max_size)
    if problem is None and (not isinstance(data, dict) or BASELINE_KEY not in data):
        problem = f"not a figrecon baseline (no `{BASELINE_KEY}` key)"
    if problem is not None:
        raise UsageError(f"--baseline {path}: {problem}; {hint}")
    if (version := data[BASELINE_KEY]) != VERSION:
        raise UsageError(
            f"--baseline {path}: a baseline in format version {version!r}; this figrecon "
            f"({__version__}) reads version {VERSION}; upgrade figrecon, or write a new "
            f"one: --write-baseline {path} without --baseline"
        )
    try:
        return Baseline.model_validate(data)
    except ValidationError as exc:
        reason = str(exc).splitlines()[0]
        raise UsageError(
            f"--baseline {path}: not a figrecon baseline ({reason}); write one with "
            "--write-baseline FILE"
        ) from None


def baseline_text(baseline: Baseline) -> str:
    return baseline.model_dump_json(indent=2) + "\n"
