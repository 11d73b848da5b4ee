"""`figrecon parse`: how figrecon reads a phrase."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ..errors import UsageError
from ..text import visible
from .app import EXIT_USAGE, app, edge, stdout, tell
from .options import LangOpt, ProfileOpt

if TYPE_CHECKING:
    pass


PARSE_EXAMPLES = """Examples:

\b
  figrecon parse "some 9,900" "more than 10,000" dozens
      how each phrase reads: kind, hard and soft intervals, the point for BEST
  figrecon parse "более 10 тысяч" -f json
      the same for scripts (the language is known by its script)
  figrecon parse dozens --profile acled
      a vague word as ACLED's fixed points read it"""


@app.command(epilog=PARSE_EXAMPLES)
def parse(
    phrases: Annotated[
        list[str], typer.Argument(help="Phrases such as 'some 9,900' or 'более 10 тысяч'.")
    ],
    format: Annotated[str, typer.Option("-f", "--format", help="table or json.")] = "table",
    profile: ProfileOpt = None,
    lang: LangOpt = None,
) -> None:
    """How figrecon reads a phrase: kind, hard and soft intervals, point."""
    from ..model import Quantity
    from ..phrases import PhraseError, PhraseTableError, Reader

    with edge():
        format = format.lower()
        if format not in ("table", "json"):
            raise UsageError(f"--format {format!r}: use table or json")
        try:
            reader = Reader(profile or "default", lang)
        except PhraseTableError as exc:
            raise UsageError(str(exc)) from None
        rows: list[tuple[str, Quantity | PhraseError]] = []
        for phrase in phrases:
            try:
                rows.append((phrase, reader.read(phrase)))
            except PhraseError as exc:
                rows.append((phrase, exc))
            except PhraseTableError as exc:
                raise UsageError(str(exc)) from None
        failed = [(p, e) for p, e in rows if isinstance(e, PhraseError)]
        if format == "json":
            from ..render.json import dumps

            data = [
                {"text": p, "error": str(q)}
                if isinstance(q, PhraseError)
                else _quantity_json(q, reader)
                for p, q in rows
            ]
            sys.stdout.write(dumps(data if len(data) > 1 else data[0]))
        else:
            _parse_table(rows)
        if failed:
            # Also on stderr, so a script reading stdout still sees why it failed.
            tell(*(f"figrecon parse: {problem}" for _, problem in failed))
            raise typer.Exit(EXIT_USAGE)


def _quantity_json(q: Any, reader: Any) -> dict[str, Any]:
    data = q.model_dump(mode="json")
    return {
        "text": data["text"],
        "kind": data["kind"],
        "hard": [data["hard_low"], data["hard_high"]],
        "soft": [data["soft_low"], data["soft_high"]],
        "point": data["point"],
        "figure": data["figure"]
        if data["figure_high"] is None
        else [data["figure"], data["figure_high"]],
        "changed_from": data["changed_from"],
        "profile": reader.profile.name,
    }


def _parse_table(rows: list[tuple[str, Any]]) -> None:
    from rich.table import Table
    from rich.text import Text

    from ..phrases import PhraseError
    from ..render.words import num

    def interval(low: float, high: float | None) -> str:
        return f"[{num(low)}, {num(high)}]" if high is not None else f"[{num(low)}, open)"

    table = Table(show_lines=False)
    for col in ("phrase", "kind", "hard", "soft", "point"):
        table.add_column(col, overflow="fold")
    for phrase, q in rows:
        if isinstance(q, PhraseError):
            table.add_row(
                Text(visible(phrase)),
                Text("error", style="red"),
                Text(visible(str(q))),
                Text(""),
                Text(""),
            )
        else:
            table.add_row(
                Text(visible(phrase)),
                Text(q.kind.value),
                Text(interval(q.hard_low, q.hard_high)),
                Text(interval(q.soft_low, q.soft_high)),
                Text(num(q.point)),
            )
    stdout().print(table)
