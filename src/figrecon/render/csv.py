"""The figures as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from ..text import formula_safe
from .halves import write_halves

if TYPE_CHECKING:
    from ..model import Result

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


def write_csv(
    figures: Iterable[dict[str, Any]],
    out: BinaryIO,
    then: Iterable[dict[str, Any]] | None = None,
) -> None:
    """The figures (JSON-shaped dicts, as `Figure.model_dump(mode="json")` gives them)
    as CSV, written a few thousand rows at a time as they are made: no figure is kept
    once written. `then`, the figures that follow `figures`, made meanwhile by a second
    process (`halves`)."""
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow(CSV_COLUMNS)
    if then is None:
        _rows(figures, out, False, header.getvalue())  # a small output is one write
    else:
        out.write(header.getvalue().encode("utf-8"))
        write_halves(figures, then, _rows, out)


def _rows(figures: Iterable[dict[str, Any]], out: BinaryIO, after: bool, head: str = "") -> bool:
    """The rows of `figures`, after `head`; whether there were any (`halves.Part`: rows
    need no separator, so `after` changes nothing)."""
    text = io.StringIO(head)
    text.seek(len(head))
    writer = csv.writer(text, lineterminator="\n")
    wrote = False
    for k, f in enumerate(figures, 1):
        writer.writerow([formula_safe(_cell(value)) for value in _row(f)])
        wrote = True
        if k % CHUNK == 0:
            out.write(text.getvalue().encode("utf-8"))
            text.seek(0)
            text.truncate()
    out.write(text.getvalue().encode("utf-8"))
    return wrote


CHUNK = 4096
"""Rows written to the file at once."""


def _row(f: dict[str, Any]) -> list[Any]:
    """A figure's cells, in `CSV_COLUMNS` order: the lists joined, each exclusion as
    id:reason and each note as its code."""
    return [
        *(f[c] for c in CSV_COLUMNS[:-4]),
        "; ".join(f["sources"]),
        " ".join(f["claims_used"]),
        " ".join(f"{e['id']}:{e['reason']}" for e in f["claims_excluded"]),
        " ".join(n["code"] for n in f["notes"]),
    ]


def to_csv(result: Result) -> str:
    out = io.BytesIO()
    write_csv((f.model_dump(mode="json") for f in result.figures), out)
    return out.getvalue().decode("utf-8")
