"""`figrecon check`: a dataset lint for CI. Schema errors come from loading; the
semantic findings (`rules`, `typos`) look across claims. The report says whether the
dataset is valid, with every finding located.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from ..errors import UsageError, closest
from ..io.limits import MAX_INPUT_SIZE
from ..loading import Claims, load_with_findings
from ..model import Finding, Severity
from .baseline import Accepted, Baseline, acceptable, read_baseline
from .codes import ALSO_WARNINGS, ALWAYS, CODES, UNUSABLE
from .rules import empty_files, future_dates, semantic
from .typos import possible_typos
from .wording import hedged_figures, misspelt_qualifiers

if TYPE_CHECKING:
    from ..io.importers import ImportOptions


class Report(BaseModel):
    """The result of `figrecon check` (its `--format json`)."""

    model_config = ConfigDict(defer_build=True)  # built when a command makes one

    valid: bool
    """No errors (and, with --strict, no warnings)."""
    errors: int
    warnings: int
    findings: list[Finding] = Field(default_factory=list)
    files: list[str] = Field(default_factory=list)
    """The files that were checked."""
    accepted: int = 0
    """Findings left out because a baseline accepts them."""
    outdated: list[Accepted] = Field(default_factory=list)
    """What a baseline accepts that was not found: fixed since (rewrite the baseline)."""

    @property
    def unusable(self) -> bool:
        return any(f.code in UNUSABLE for f in self.findings)


def resolve_codes(codes: Iterable[str] | None, flag: str) -> set[str] | None:
    if codes is None:
        return None
    if isinstance(codes, str):  # the library called with "a,b" rather than ["a", "b"]
        codes = codes.split(",")
    out = {c.strip() for c in codes if c.strip()}
    unknown = sorted(out - set(CODES))
    if unknown:
        close = closest(unknown[0], CODES)
        maybe = f" (did you mean {close!r}?)" if close else ""
        raise UsageError(
            f"{flag}: unknown code {unknown[0]!r}{maybe}; codes are listed by "
            "`figrecon check --help`"
        )
    fixed = sorted(out & ALWAYS - ALSO_WARNINGS)
    if fixed and flag.endswith("ignore"):
        raise UsageError(
            f"{flag}: {fixed[0]} cannot be ignored: reconcile refuses claims that have it; "
            "fix the input"
        )
    return out


def check(
    paths: str | Path | Sequence[str | Path],
    *,
    sources: str | Path | None = None,
    encoding: str = "utf-8-sig",
    input_format: str | None = None,
    profile: str = "default",
    lang: str | None = None,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    strict: bool = False,
    today: dt.date | None = None,
    max_input_size: int = MAX_INPUT_SIZE,
    events: ImportOptions | None = None,
    sheet: str | None = None,
    baseline: Baseline | str | Path | None = None,
) -> Report:
    """Check claim files: every schema error and semantic finding, located (event
    datasets as the claims `events` asks for); what the `baseline` (or the baseline
    file it names) accepts is left out."""
    chosen = resolve_codes(select, "--select")
    dropped = resolve_codes(ignore, "--ignore") or set()
    claims, findings = load_with_findings(
        paths,
        sources=sources,
        encoding=encoding,
        input_format=input_format,
        profile=profile,
        lang=lang,
        max_input_size=max_input_size,
        events=events,
        sheet=sheet,
    )
    files = claims.files if claims is not None else []
    if claims is not None and not any(f.code in UNUSABLE for f in findings):
        findings = [
            *findings,
            *semantic(_sound(claims, findings), today or dt.date.today()),
            *empty_files(claims),
        ]
    findings = [
        f
        for f in findings
        if (f.code in ALWAYS and f.severity == Severity.error)
        or ((chosen is None or f.code in chosen) and f.code not in dropped)
    ]
    report = _report(_in_order(findings, files), files, strict)
    if baseline is None:
        return report
    if not isinstance(baseline, Baseline):
        baseline = read_baseline(baseline, max_input_size)
    return apply_baseline(report, baseline, strict)


def _report(findings: list[Finding], files: list[str], strict: bool, **more: Any) -> Report:
    errors = sum(f.severity == Severity.error for f in findings)
    warnings = sum(f.severity == Severity.warning for f in findings)
    return Report(
        valid=errors == 0 and (not strict or warnings == 0),
        errors=errors,
        warnings=warnings,
        findings=findings,
        files=files,
        **more,
    )


def apply_baseline(report: Report, baseline: Baseline, strict: bool = False) -> Report:
    """The report without the findings the baseline accepts, counting them, and naming
    what it accepts that is no longer found."""
    keys = baseline.keys
    kept = [f for f in report.findings if not (acceptable(f) and (f.code, f.claim) in keys)]
    found = {(f.code, f.claim) for f in report.findings}
    outdated = [a for a in baseline.accepted if (a.code, a.claim) not in found]
    accepted = len(report.findings) - len(kept)
    return _report(kept, report.files, strict, accepted=accepted, outdated=outdated)


def reconcile_warnings(claims: Claims, today: dt.date | None = None) -> list[Finding]:
    """What `reconcile` prints on stderr: the input's warnings, its possible typos and
    the values whose words change what the figure means but are not read (a projection,
    a misspelt qualifier): each changes the figures, so it is worth a look before they
    are used; and dates after today. `check` calls a future date an error; `reconcile`
    only warns, so that no figure changes with the day it is computed."""
    future = [
        f.model_copy(update={"severity": Severity.warning})
        for f in future_dates(claims, today or dt.date.today())
    ]
    return _in_order(
        [
            *claims.findings,
            *possible_typos(claims),
            *hedged_figures(claims),
            *misspelt_qualifiers(claims),
            *future,
        ],
        claims.files,
    )


def _in_order(findings: list[Finding], files: list[str]) -> list[Finding]:
    """Findings file by file in the order the files were given, then by line."""
    order = {name: i for i, name in enumerate(files)}
    return sorted(
        findings,
        key=lambda f: (
            order.get(f.file or "", -1),
            f.file or "",
            f.line or 0,
            f.code,
            f.claim or "",
        ),
    )


def _sound(claims: Claims, findings: list[Finding]) -> Claims:
    """The claims without schema errors: the semantic checks read only those (a claim
    with an unknown metric has no measure to compare)."""
    broken = {f.claim for f in findings if f.severity == Severity.error and f.claim}
    cols = claims.columns
    keep = np.array(
        [
            cid not in broken and m is not None
            for cid, m in zip(cols["id"], cols["measure"], strict=True)
        ],
        dtype=bool,
    )
    return claims if keep.all() else claims.take(keep)
