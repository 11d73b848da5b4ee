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
    import numpy as np
    import pandas as pd

    from ..loading.export import NUMBERS, normalize

    frame = normalize(claims)
    for col in ("stated_on", "as_of"):
        # Once per distinct day: a million claims have a few thousand.
        codes, days = pd.factorize(frame[col].to_numpy(dtype=object))
        text = np.empty(len(days) + 1, dtype=object)
        text[:-1] = [d.isoformat() if isinstance(d, dt.date) else d for d in days]
        text[-1] = None
        frame[col] = pd.Series(text[codes], index=frame.index, dtype=object)
    if format == "csv":
        from ..text import formulas_safe

        joined = list(map(" ".join, frame["retracts"]))
        frame["retracts"] = pd.Series(joined, index=frame.index, dtype=object)
        for col in frame.columns:
            if col in NUMBERS or col in ("line", "retracted", "stated_on", "as_of"):
                continue  # numbers, booleans and days as figrecon writes them
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
