"""The catalogue of `figrecon check` codes: a stable kebab-case code, its severity and
what it finds. Kept apart from the checks so the CLI can list the codes in its help
without loading the engine."""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    """How bad a finding is. Defined here, without pydantic, so that `figrecon --help`
    and `--version` stay quick."""

    error = "error"
    warning = "warning"
    info = "info"


E, W = Severity.error, Severity.warning

CODES: dict[str, tuple[Severity, str]] = {
    # Input that cannot be read at all (exit 2).
    "missing-file": (E, "a path that does not exist or cannot be read"),
    "no-claim-files": (E, "a folder without claim files"),
    "decode-error": (E, "a file that is not text in the given encoding (a NUL character, ...)"),
    "over-limit": (E, "input beyond a limit: its size, a line, the fields, the nesting"),
    "bad-encoding": (E, "an unknown encoding name"),
    "yaml-syntax": (E, "a YAML file that does not parse"),
    "json-syntax": (E, "a JSON or NDJSON file that does not parse"),
    "csv-syntax": (E, "a CSV file that does not parse"),
    "not-claims": (E, "a file that is not a list of claims"),
    "no-claims": (E, "a YAML or JSON mapping without `claims:`"),
    "not-a-claim": (E, "a list item that is not a claim"),
    "empty-column-name": (E, "a CSV column without a name that holds values"),
    "duplicate-column": (E, "a CSV column given twice"),
    "bad-profile": (E, "a phrase profile or table that cannot be used"),
    "invalid-sources": (E, "a sources file that cannot be used"),
    "invalid-dataset": (
        E,
        "an event dataset (UCDP GED, ACLED, HXL) that cannot be imported: a missing column, "
        "a bad date or count, no release date",
    ),
    # Schema errors in claims.
    "invalid-header": (E, "a file header field that is wrong"),
    "duplicate-key": (E, "a YAML key given twice in one mapping"),
    "unknown-field": (E, "a field figrecon does not know (own fields start with x_)"),
    "invalid-field": (E, "a field whose value has the wrong form"),
    "missing-field": (E, "a required field that is missing"),
    "invalid-claim": (E, "fields that do not go together (value and low/high, ...)"),
    "unknown-metric": (E, "a metric neither built in nor declared"),
    "conflicting-source": (E, "a source defined differently in two places"),
    "conflicting-metric": (E, "a metric declared with two measures"),
    "unparseable-value": (E, "a value that does not state exactly one figure"),
    "duplicate-id": (E, "an id used twice"),
    "unknown-reference": (
        E,
        "retracts or parts naming no claim (a source naming nothing is a warning)",
    ),
    "retraction-cycle": (E, "claims that withdraw each other"),
    # Semantic findings.
    "future-date": (E, "a date after today"),
    "duplicate-claim": (
        W,
        "the same claim entered twice (same originator, figure, date and carrier)",
    ),
    "cumulative-decrease": (W, "an originator's cumulative figure falls without a withdrawal"),
    "part-exceeds-whole": (
        W,
        "a group's or a sub-location's figure above the originator's total of that day",
    ),
    "breakdown-mismatch": (W, "declared parts that do not add up to their total"),
    "repeats-withdrawn": (W, "a claim repeating a withdrawn figure without being marked"),
    "possible-mislabel": (
        W,
        "the same originator's same figure on the same day under another metric or group",
    ),
    "possible-typo": (
        W,
        "a figure 10, 100 or 1,000 times (or a tenth, ...) the same originator's statements "
        "just before and after it, or one of them with two adjacent digits swapped",
    ),
    "as-of-after-stated": (W, "a count said to refer to a date after it was stated"),
    "missing-provenance": (W, "a claim with neither url nor quote"),
    # What importing an event dataset did (figrecon import, --input-format).
    "estimates-out-of-order": (
        W,
        "an imported key whose summed low, best and high are out of order, as some of its "
        "events' own figures are: low and high widened to take in best",
    ),
    "event-crosses-period": (
        Severity.info,
        "an imported event whose dates run past the end of its key's period: counted in the "
        "period where it began",
    ),
    "event-without-area": (
        Severity.info,
        "imported events without a first-level area, under --by adm1: counted under "
        "`COUNTRY/(no adm1)`",
    ),
}

UNUSABLE = frozenset(list(CODES)[: list(CODES).index("invalid-header")])
"""Codes that mean the input could not be read: `check` exits 2 on them."""
ALWAYS = frozenset(list(CODES)[: list(CODES).index("future-date")])
"""Codes whose errors --select and --ignore cannot drop: `reconcile` refuses input that
has them, so a check that hid them would pass files that cannot be reconciled. (Their
warnings, e.g. unknown-reference for a source missing from the registry, can be.)"""
ALSO_WARNINGS = frozenset({"unknown-reference"})
"""Codes of ALWAYS that are also given as warnings, so --ignore names them legitimately."""


def help_text() -> str:
    """The codes, one per line, for `figrecon check --help`."""
    always = ", ".join(sorted(ALWAYS))
    lines = [f"{code} ({severity.value}): {what}" for code, (severity, what) in CODES.items()]
    return (
        "Codes:\n\n"
        + "\n\n".join(lines)
        + f"\n\nErrors always reported (--select and --ignore do not drop them): {always}."
    )
