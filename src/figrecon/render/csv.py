"""The figures as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from typing import Any

from ..model import Result
from ..text import formula_safe

CSV_COLUMNS = (
    "event",
    "metric",
    "group",
    "location",
    "period",
    "measure",
    "low",
    "best",
    "high",
    "open_upper",
    "confidence",
    "independent_sources",
    "ratio",
    "disagreement",
    "sources",
    "claims_used",
    "claims_excluded",
    "notes",
)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in result.figures:
        data = f.model_dump(mode="json")
        data["sources"] = "; ".join(f.sources)
        data["claims_used"] = " ".join(f.claims_used)
        data["claims_excluded"] = " ".join(f"{e.id}:{e.reason}" for e in f.claims_excluded)
        data["notes"] = " ".join(n.code for n in f.notes)
        writer.writerow([formula_safe(_cell(data.get(c))) for c in CSV_COLUMNS])
    return out.getvalue()
