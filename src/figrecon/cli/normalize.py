"""`figrecon normalize`: the normalized claims table, for other tools."""

from __future__ import annotations

import codecs
import os
import sys
from typing import Annotated, Any

import typer

from ..errors import UsageError
from .app import app, edge, keep_until_exit
from .bundles import Inputs, bundled
from .options import (
    LangOpt,
    OutputOpt,
    PathsArg,
    ProfileOpt,
    input_paths,
    output_stream,
    parameters_of,
    write_pieces,
)

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
    with edge("nothing was written"):
        format = format.lower()
        if format not in ("csv", "json", "ndjson"):
            raise UsageError(f"--format {format!r}: use csv, json or ndjson")
        params = parameters_of({"profile": profile, "lang": lang})
        read = input_paths(paths)
        target = inputs.target(output, read, params)
        claims = inputs.load(read, params)
        from ..loading.export import export_columns
        from ..render.normalized import normalized_text, write_normalized

        if target is None and not _utf8(sys.stdout):
            columns = export_columns(claims)
            del claims  # the columns hold what is written
            write_pieces(normalized_text(columns, format), target)
            return
        keep_until_exit(claims)
        with output_stream(target) as out:
            write_normalized(claims, format, out)


def _utf8(stream: Any) -> bool:
    """Whether text written to `stream` goes out as the UTF-8 bytes an -o file gets
    (UTF-8, line ends as they are, bytes beneath to write to): then a large table goes
    out as the file does (in two processes, its CSV joined by Arrow)."""
    encoding = getattr(stream, "encoding", None)
    if encoding is None or not hasattr(stream, "buffer") or os.linesep != "\n":
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False
