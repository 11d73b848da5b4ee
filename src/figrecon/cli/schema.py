"""`figrecon schema`: the JSON Schema of the claim format and of reconcile's JSON."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from .app import app

SCHEMA_EXAMPLES = """Examples:

\b
  figrecon schema > claims.schema.json
      the JSON Schema of claim files, for an editor or a validator
  figrecon schema --output > result.schema.json
      the schema of reconcile -f json"""


@app.command(epilog=SCHEMA_EXAMPLES)
def schema(
    output_schema: Annotated[
        bool,
        typer.Option(
            "--output", help="The schema of reconcile's JSON output instead of the claim format."
        ),
    ] = False,
    normalized: Annotated[
        bool,
        typer.Option("--normalized", help="The schema of a row of `figrecon normalize`."),
    ] = False,
) -> None:
    """JSON Schema of the claim format (or, with --output, of reconcile's JSON; with
    --normalized, of a normalized claim)."""
    from ..model import NormalizedClaim, Result, claim_file_schema
    from ..render.json import dumps

    if output_schema:
        sys.stdout.write(dumps(Result.model_json_schema(mode="serialization")))
    elif normalized:
        sys.stdout.write(dumps(NormalizedClaim.model_json_schema(mode="serialization")))
    else:
        sys.stdout.write(dumps(claim_file_schema()))
