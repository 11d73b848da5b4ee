"""The data of figrecon, defined once: the vocabulary (`vocab`), the types of claim
fields (`fields`), the claim format (`claim`), a phrase read as numbers (`quantity`),
findings (`finding`) and the reconciled output (`result`). The JSON Schema printed by
`figrecon schema` is generated from these models."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_HOME = {
    "NORMALIZED_COLUMNS": "normalized",
    "NormalizedClaim": "normalized",
    "Assessment": "vocab",
    "BOUND_KINDS": "vocab",
    "BUILTIN_METRICS": "vocab",
    "Bound": "fields",
    "CLAIM_FIELDS": "claim",
    "CONFIDENCE_LEVELS": "result",
    "Claim": "claim",
    "ClaimFile": "claim",
    "ClaimFileHeader": "claim",
    "ClaimTrace": "result",
    "Confidence": "result",
    "Count": "fields",
    "Date": "fields",
    "Exclusion": "result",
    "FORMAT_VERSION": "result",
    "Figure": "result",
    "Finding": "finding",
    "History": "result",
    "HistoryPoint": "result",
    "IndependentSource": "result",
    "Kind": "vocab",
    "MAX_COUNT": "vocab",
    "Measure": "vocab",
    "MethodBlock": "result",
    "MetricDef": "claim",
    "Note": "result",
    "Number": "fields",
    "Quantity": "quantity",
    "REQUIRED_FIELDS": "claim",
    "Result": "result",
    "STATE_TYPES": "vocab",
    "Severity": "vocab",
    "Slug": "fields",
    "Source": "claim",
    "SourceType": "vocab",
    "Text": "fields",
    "UNDATED": "vocab",
    "UNKNOWN_SOURCE": "vocab",
    "VALUE_KINDS": "vocab",
    "WEAK_TYPES": "vocab",
    "claim_file_schema": "claim",
    "claim_shape_problem": "claim",
    "error_text": "fields",
    "file_of": "finding",
    "located": "finding",
    "sheet_name": "finding",
}
"""Where each name lives. Loaded on first use, so that the vocabulary (`vocab`, free of
pydantic) is there for the command line's help without the models behind it."""

__all__ = [
    "BOUND_KINDS",
    "BUILTIN_METRICS",
    "CLAIM_FIELDS",
    "CONFIDENCE_LEVELS",
    "FORMAT_VERSION",
    "MAX_COUNT",
    "NORMALIZED_COLUMNS",
    "REQUIRED_FIELDS",
    "STATE_TYPES",
    "UNDATED",
    "UNKNOWN_SOURCE",
    "VALUE_KINDS",
    "WEAK_TYPES",
    "Assessment",
    "Bound",
    "Claim",
    "ClaimFile",
    "ClaimFileHeader",
    "ClaimTrace",
    "Confidence",
    "Count",
    "Date",
    "Exclusion",
    "Figure",
    "Finding",
    "History",
    "HistoryPoint",
    "IndependentSource",
    "Kind",
    "Measure",
    "MethodBlock",
    "MetricDef",
    "NormalizedClaim",
    "Note",
    "Number",
    "Quantity",
    "Result",
    "Severity",
    "Slug",
    "Source",
    "SourceType",
    "Text",
    "claim_file_schema",
    "claim_shape_problem",
    "error_text",
    "file_of",
    "located",
    "sheet_name",
]

if TYPE_CHECKING:
    from .claim import (
        CLAIM_FIELDS,
        REQUIRED_FIELDS,
        Claim,
        ClaimFile,
        ClaimFileHeader,
        MetricDef,
        Source,
        claim_file_schema,
        claim_shape_problem,
    )
    from .fields import Bound, Count, Date, Number, Slug, Text, error_text
    from .finding import Finding, file_of, located, sheet_name
    from .normalized import NORMALIZED_COLUMNS, NormalizedClaim
    from .quantity import Quantity
    from .result import (
        CONFIDENCE_LEVELS,
        FORMAT_VERSION,
        ClaimTrace,
        Confidence,
        Exclusion,
        Figure,
        History,
        HistoryPoint,
        IndependentSource,
        MethodBlock,
        Note,
        Result,
    )
    from .vocab import (
        BOUND_KINDS,
        BUILTIN_METRICS,
        MAX_COUNT,
        STATE_TYPES,
        UNDATED,
        UNKNOWN_SOURCE,
        VALUE_KINDS,
        WEAK_TYPES,
        Assessment,
        Kind,
        Measure,
        Severity,
        SourceType,
    )


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'figrecon.model' has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{module}"), name)
