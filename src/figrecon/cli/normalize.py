"""`figrecon normalize`: the normalized claims table, for other tools."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import app, edge
from .options import (
    MAX_INPUT_SIZE,
    EncodingOpt,
    InputFormatOpt,
    LangOpt,
    MaxInputSizeOpt,
    OutputOpt,
    PathsArg,
    ProfileOpt,
    QuietOpt,
    SheetOpt,
    SourcesOpt,
    input_paths,
    load_claims,
    output_target,
    parameters_of,
    size_bytes,
    write_output,
)

if TYPE_CHECKING:
    from ..loading import Claims


NORMALIZED_COLUMNS = (
    "id",
    "event",
    "metric",
    "group",
    "location",
    "period",
    "measure",
    "value_text",
    "kind",
    "hard_low",
    "hard_high",
    "soft_low",
    "soft_high",
    "point",
    "source",
    "source_name",
    "type",
    "party",
    "originator",
    "via",
    "stated_on",
    "as_of",
    "retracts",
    "retracted",
    "assessment",
    "file",
    "line",
)


NORMALIZE_EXAMPLES = """Examples:

\b
  figrecon normalize data/ -o claims.csv
      one row per claim, with how its value reads (kind, hard and soft bounds, point)
  figrecon normalize data/ -f ndjson
      the same as a JSON object per line, for other tools"""


@app.command(epilog=NORMALIZE_EXAMPLES)
def normalize(
    paths: PathsArg = None,
    format: Annotated[str, typer.Option("-f", "--format", help="csv, json or ndjson.")] = "csv",
    output: OutputOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    sources: SourcesOpt = None,
    sheet: SheetOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    input_format: InputFormatOpt = None,
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
    quiet: QuietOpt = False,
) -> None:
    """The normalized claims table (one row per claim), for other tools."""
    with edge():
        format = format.lower()
        if format not in ("csv", "json", "ndjson"):
            raise UsageError(f"--format {format!r}: use csv, json or ndjson")
        params = parameters_of({"profile": profile, "lang": lang})
        limit = size_bytes(max_input_size)
        inputs = input_paths(paths)
        target = output_target(output, inputs, sources, params)
        claims = load_claims(inputs, sources, encoding, input_format, params, limit, sheet=sheet)
        write_output(_normalized(claims, format), target)


def _normalized(claims: Claims, format: str) -> str:
    import math

    import pandas as pd

    frame = claims.frame[list(NORMALIZED_COLUMNS)].copy()
    for col in ("hard_high", "soft_high"):
        frame[col] = frame[col].map(lambda x: None if math.isinf(x) or math.isnan(x) else x)
    frame["retracts"] = frame["retracts"].map(lambda r: " ".join(r) if format == "csv" else list(r))
    for col in ("stated_on", "as_of"):
        frame[col] = frame[col].map(lambda d: d.isoformat() if isinstance(d, dt.date) else d)
    frame = frame.astype(object).where(frame.notna(), None)
    for col in ("hard_low", "hard_high", "soft_low", "soft_high", "point"):
        # Counts print as counts (164, not 164.0); a midpoint may keep its half.
        values = [int(x) if isinstance(x, float) and x.is_integer() else x for x in frame[col]]
        frame[col] = pd.Series(values, index=frame.index, dtype=object)
    if format == "csv":
        from ..text import formulas_safe

        for col in frame.columns:
            cells = frame[col].tolist()
            safe = formulas_safe(cells)
            if safe is not cells:
                frame[col] = pd.Series(safe, index=frame.index, dtype=object)
        return str(frame.to_csv(index=False, lineterminator="\n"))
    records = frame.to_dict("records")
    for r in records:
        for k, v in r.items():
            if isinstance(v, float) and v.is_integer():
                r[k] = int(v)
    from ..render.json import dumps

    if format == "json":
        return dumps(records)
    import json

    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
