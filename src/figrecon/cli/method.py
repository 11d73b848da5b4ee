"""`figrecon method`: the method in words, for the people who sign the figures."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from .app import app, edge, stdout

if TYPE_CHECKING:
    pass


METHOD_EXAMPLES = """Examples:

\b
  figrecon method                  the sections, by name
  figrecon method R5               rule R5: early counts, and later counts read as floors
  figrecon method read-as-floor    what the note read-as-floor means
  figrecon method R8 | less        the text as Markdown, to page or save"""


@app.command(name="method", epilog=METHOD_EXAMPLES)
def method_text(
    name: Annotated[
        str | None,
        typer.Argument(
            help="A rule id (R1-R12, R10a, hierarchy), a note code (read-as-floor) or a "
            "section name; nothing lists the sections.",
            metavar="RULE-OR-NOTE-CODE",
            show_default=False,
        ),
    ] = None,
) -> None:
    """The method for people: what each rule and note means, why, and an example."""
    from ..method_doc import contents, find

    with edge():
        text = contents() if name is None else find(name).text
    out = stdout()
    if out.is_terminal:
        from rich.markdown import Markdown

        out.print(Markdown(text))
    else:
        sys.stdout.write(text)
