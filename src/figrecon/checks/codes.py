"""The catalogue of `figrecon check` codes: a stable kebab-case code, its severity and
what it finds. Kept apart from the checks so the CLI can list the codes in its help
without loading the engine."""

from __future__ import annotations

from typing import Literal, NamedTuple

from ..model.vocab import Severity

E, W = Severity.error, Severity.warning


class Code(NamedTuple):
    """A check code: how bad its findings are, at which stage they are found, and what
    the code finds."""

    severity: Severity
    stage: Literal["read", "schema", "semantic", "import"]
    """`read`: the input could not be read at all (`check` exits 2); `schema`: a claim
    that cannot be validated (`reconcile` refuses it, so --select and --ignore cannot
    drop its errors); `semantic`: a finding that compares claims; `import`: what
    importing an event dataset did (`figrecon import` and the commands print it)."""
    what: str


CODES: dict[str, Code] = {
    # Input that cannot be read at all (exit 2).
    "missing-file": Code(E, "read", "a path that does not exist or cannot be read"),
    "no-claim-files": Code(E, "read", "a folder without claim files"),
    "duplicate-file": Code(
        E, "read", "a file given twice (by two names, or by its name and a folder that holds it)"
    ),
    "decode-error": Code(
        E, "read", "a file that is not text in the given encoding (a NUL character, ...)"
    ),
    "over-limit": Code(
        E, "read", "input beyond a limit: its size, a line, the fields, the nesting"
    ),
    "bad-encoding": Code(E, "read", "an unknown encoding name"),
    "yaml-syntax": Code(E, "read", "a YAML file that does not parse"),
    "json-syntax": Code(E, "read", "a JSON or NDJSON file that does not parse"),
    "csv-syntax": Code(E, "read", "a CSV file that does not parse"),
    "spreadsheet-error": Code(
        E, "read", "a spreadsheet (.xlsx, .ods) that cannot be read, or without the --sheet"
    ),
    "not-claims": Code(
        E, "read", "a file that is not a list of claims (a table whose header names no claim field)"
    ),
    "no-claims": Code(E, "read", "a YAML or JSON mapping without `claims:`"),
    "not-a-claim": Code(E, "read", "a list item that is not a claim"),
    "empty-column-name": Code(E, "read", "a CSV or sheet column without a name that holds values"),
    "duplicate-column": Code(E, "read", "a CSV or sheet column given twice"),
    "bad-profile": Code(E, "read", "a phrase profile or table that cannot be used"),
    "invalid-sources": Code(E, "read", "a sources file that cannot be used"),
    "invalid-dataset": Code(
        E,
        "read",
        "an event dataset (UCDP GED, ACLED, HXL) that cannot be imported: a missing column, "
        "a bad date or count, no release date",
    ),
    # Schema errors in claims.
    "invalid-header": Code(E, "schema", "a file header field that is wrong"),
    "repeated-header": Code(
        E, "schema", "a CSV or sheet row that repeats the header (files joined with their headers)"
    ),
    "duplicate-key": Code(E, "schema", "a YAML key given twice in one mapping"),
    "unknown-field": Code(E, "schema", "a field figrecon does not know (own fields start with x_)"),
    "invalid-field": Code(E, "schema", "a field whose value has the wrong form"),
    "missing-field": Code(E, "schema", "a required field that is missing"),
    "invalid-claim": Code(E, "schema", "fields that do not go together (value and low/high, ...)"),
    "unknown-metric": Code(E, "schema", "a metric neither built in nor declared"),
    "conflicting-source": Code(E, "schema", "a source defined differently in two places"),
    "conflicting-metric": Code(E, "schema", "a metric declared with two measures"),
    "unparseable-value": Code(E, "schema", "a value that does not state exactly one figure"),
    "duplicate-id": Code(E, "schema", "an id used twice"),
    "unknown-reference": Code(
        E,
        "schema",
        "retracts or parts naming no claim (a source naming nothing is a warning)",
    ),
    "retraction-cycle": Code(E, "schema", "claims that withdraw each other"),
    # Semantic findings.
    "future-date": Code(E, "semantic", "a date after today"),
    "duplicate-claim": Code(
        W,
        "semantic",
        "the same claim entered twice (same originator, figure, date and carrier)",
    ),
    "cumulative-decrease": Code(
        W, "semantic", "an originator's cumulative figure falls without a withdrawal"
    ),
    "part-exceeds-whole": Code(
        W,
        "semantic",
        "a group's or a sub-location's figure above the originator's total of that day",
    ),
    "breakdown-mismatch": Code(W, "semantic", "declared parts that do not add up to their total"),
    "repeats-withdrawn": Code(
        W, "semantic", "a claim repeating a withdrawn figure without being marked"
    ),
    "possible-mislabel": Code(
        W,
        "semantic",
        "the same originator's same figure on the same day under another metric or group",
    ),
    "possible-typo": Code(
        W,
        "semantic",
        "a figure 10, 100 or 1,000 times (or a tenth, ...) the same originator's statements "
        "just before and after it, or one of them with two adjacent digits swapped",
    ),
    "as-of-after-stated": Code(
        W, "semantic", "a count said to refer to a date after it was stated"
    ),
    "missing-provenance": Code(W, "semantic", "a claim with neither url nor quote"),
    "source-variants": Code(
        W,
        "semantic",
        "sources whose names differ only in case, spaces, punctuation or look-alike letters, "
        "counted as "
        "different originators",
    ),
    "location-variants": Code(
        W,
        "semantic",
        "locations that differ only in case, spaces, punctuation or look-alike letters, "
        "which are different places to R10a",
    ),
    "hedged-figure": Code(
        W,
        "semantic",
        "a value worded as a projection or a guess (could reach, may have, feared, "
        "possibly), which R1 reads as a count",
    ),
    "unlikely-retraction": Code(
        W,
        "semantic",
        "a claim that withdraws one stated after it, or one of another event, metric or "
        "originator that it does not carry: most often a wrong id",
    ),
    "empty-file": Code(
        W,
        "semantic",
        "a claim file that holds no claims (empty, a header alone, `claims: []`)",
    ),
    "misspelt-qualifier": Code(
        W,
        "semantic",
        "words one letter from a qualifier just before a value's figure (at lest, "
        "aproximately), which R1 does not read: the figure reads bare",
    ),
    # What importing an event dataset did (figrecon import, --input-format).
    "estimates-out-of-order": Code(
        W,
        "import",
        "an imported key whose summed low, best and high are out of order, as some of its "
        "events' own figures are: low and high widened to take in best",
    ),
    "event-crosses-period": Code(
        Severity.info,
        "import",
        "an imported event whose dates run past the end of its key's period: counted in the "
        "period where it began",
    ),
    "event-without-area": Code(
        Severity.info,
        "import",
        "imported events without a first-level area, under --by adm1: counted under "
        "`COUNTRY/(no adm1)`",
    ),
}

UNUSABLE = frozenset(code for code, c in CODES.items() if c.stage == "read")
"""Codes that mean the input could not be read: `check` exits 2 on them."""
ALWAYS = frozenset(code for code, c in CODES.items() if c.stage in ("read", "schema"))
"""Codes whose errors --select and --ignore cannot drop: `reconcile` refuses input that
has them, so a check that hid them would pass files that cannot be reconciled. (Their
warnings, e.g. unknown-reference for a source missing from the registry, can be.)"""
ALSO_WARNINGS = frozenset({"unknown-reference"})
"""Codes of ALWAYS that are also given as warnings, so --ignore names them legitimately."""


def help_text() -> str:
    """The codes, one per line, for `figrecon check --help`."""
    always = ", ".join(sorted(ALWAYS))
    lines = [f"{code} ({c.severity.value}): {c.what}" for code, c in CODES.items()]
    return (
        "Codes:\n\n"
        + "\n\n".join(lines)
        + f"\n\nErrors always reported (--select and --ignore do not drop them): {always}."
    )
