"""`figrecon normalize`: the normalized claims table, for other tools."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from .app import app, edge
from .bundles import Inputs, bundled
from .options import (
    LangOpt,
    OutputOpt,
    PathsArg,
    ProfileOpt,
    input_paths,
    parameters_of,
    write_output,
)

if TYPE_CHECKING:
    from ..loading import Claims


NORMALIZE_EXAMPLES = """Examples:

\b
  figrecon normalize data/ -o claims.csv
      one row per claim, with how its value reads (kind, hard and soft bounds, point)
  figrecon normalize data/ -f ndjson
      the same as a JSON object per line, for other tools"""


@app.command(epilog=NORMALIZE_EXAMPLES)
@bundled
def normalize(
    paths: PathsArg = None,
    format: Annotated[str, typer.Option("-f", "--format", help="csv, json or ndjson.")] = "csv",
    output: OutputOpt = None,
    profile: ProfileOpt = None,
    lang: LangOpt = None,
    inputs: Inputs = Inputs(),
) -> None:
    """The normalized claims table (one row per claim), for other tools."""
    with edge():
        format = format.lower()
        if format not in ("csv", "json", "ndjson"):
            raise UsageError(f"--format {format!r}: use csv, json or ndjson")
        params = parameters_of({"profile": profile, "lang": lang})
        read = input_paths(paths)
        target = inputs.target(output, read, params)
        claims = inputs.load(read, params)
        write_output(_normalized(claims, format), target)


def _normalized(claims: Claims, format: str) -> str:
    import pandas as pd

    from ..loading.export import normalize

    frame = normalize(claims)
    for col in ("stated_on", "as_of"):
        frame[col] = frame[col].map(lambda d: d.isoformat() if isinstance(d, dt.date) else d)
    if format == "csv":
        from ..text import formulas_safe

        frame["retracts"] = frame["retracts"].map(" ".join)
        for col in frame.columns:
            cells = frame[col].tolist()
            safe = formulas_safe(cells)
            if safe is not cells:
                frame[col] = pd.Series(safe, index=frame.index, dtype=object)
        return str(frame.to_csv(index=False, lineterminator="\n"))
    records = frame.to_dict("records")
    from ..render.json import dumps

    if format == "json":
        return dumps(records)
    import json

    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records)
