"""`figrecon import`: claims from an event dataset (UCDP GED, ACLED, HXL), summed per
figure key, as a CSV of claims to review, edit and commit."""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import UsageError
from .app import app, edge, tell
from .options import (
    MAX_INPUT_SIZE,
    ByOpt,
    DatasetOpt,
    EncodingOpt,
    MaxInputSizeOpt,
    OutputOpt,
    ReleasedOpt,
    WhereOpt,
    events_of,
    output_target,
    parameters_of,
    size_bytes,
    write_output,
)

IMPORT_EXAMPLES = """Examples:

\b
  figrecon import ucdp-ged GEDEvent_v23_1.csv --released 2023-06-30 -o ucdp.csv
  figrecon import acled acled-export.csv --by adm1,month -o acled.csv
  figrecon import hxl hdx-file.csv --dataset 'UCDP GED' --released 2023-06-30 --by event"""


@app.command("import", epilog=IMPORT_EXAMPLES)
def import_(
    format: Annotated[str, typer.Argument(metavar="FORMAT", help="ucdp-ged, acled or hxl.")],
    file: Annotated[
        str,
        typer.Argument(metavar="FILE", help="The dataset's CSV file or workbook; - reads stdin."),
    ],
    output: OutputOpt = None,
    by: ByOpt = None,
    where: WhereOpt = None,
    released: ReleasedOpt = None,
    dataset: DatasetOpt = None,
    encoding: EncodingOpt = "utf-8-sig",
    max_input_size: MaxInputSizeOpt = MAX_INPUT_SIZE,
) -> None:
    """Claims from an event dataset (UCDP GED, ACLED, HXL), summed per figure key, as a
    CSV of claims to review, edit and commit; what the import found goes to stderr."""
    from ..io.importers import FORMATS, import_csv

    with edge("nothing was imported"):
        if format not in FORMATS:
            raise UsageError(f"FORMAT {format!r}: use " + ", ".join(FORMATS))
        options = events_of(by, where, released, dataset)
        limit = size_bytes(max_input_size)
        target = output_target(output, [file], None, parameters_of({}))
        if target is not None and target.suffix.lower() not in ("", ".csv"):
            raise UsageError(f"-o {target}: import writes CSV; give a file name ending in .csv")
        text, findings, count = import_csv(file, format, options, encoding, limit)
        tell(*(f"{f.severity.value}: {f}" for f in findings))
        tell(f"{count:,} claims from {file} ({FORMATS[format].title}, by {','.join(options.by)})")
        write_output(text, target)
