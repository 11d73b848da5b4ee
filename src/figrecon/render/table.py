"""The figures as a table for people: a compact table, then for each figure the sources it
rests on and its notes (with --explain, every claim's fate). Untrusted text is printed
as text, never as markup, and with its control characters shown.
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from ..model import Result
from ..text import visible_copy
from .words import CONFIDENCE_STYLE, based_on, figure_title, note_line, num, range_text


def figures_table(result: Result, explain: bool = False) -> Group:
    """The figures as a compact table, then for each figure the sources it rests on and
    its notes as short sentences (with explain: full notes and every claim's fate)."""
    result = visible_copy(result)
    table = Table(
        title=Text(
            f"figrecon · {result.method.name} · profile {result.method.profile}"
            + (f" · as of {result.method.as_of}" if result.method.as_of else "")
        ),
        show_lines=False,
    )
    table.add_column("Figure", overflow="fold", min_width=14)
    table.add_column("Range", overflow="fold")
    table.add_column("Best", justify="right", no_wrap=True)
    table.add_column("Confidence", overflow="fold")
    table.add_column("Sources", justify="right", no_wrap=True)
    blocks: list[Any] = [table]
    for f in result.figures:
        conf = Text(f.confidence or "—", style=CONFIDENCE_STYLE.get(f.confidence or "", ""))
        if f.ratio is not None and f.disagreement and f.disagreement != "agree":
            conf.append(f"\n{f.disagreement} disagreement", style="dim")
        table.add_row(
            Text(figure_title(f)),
            Text(range_text(f)),
            Text(num(f.best), style="bold"),
            conf,
            Text(num(f.independent_sources) if f.best is not None else "—"),
        )
        head = Text("\n")
        head.append(figure_title(f, " · "), style="bold")
        head.append(f"  {range_text(f)}" + (f", best {num(f.best)}" if f.best is not None else ""))
        if f.confidence:
            head.append(", ")
            head.append(f"{f.confidence} confidence", style=CONFIDENCE_STYLE.get(f.confidence, ""))
        blocks.append(head)
        for depth, line in based_on(f):
            blocks.append(Padding(line, (0, 0, 0, 2 * depth), expand=False))
        for n in f.notes:
            blocks.append(
                Padding(
                    note_line(f, n.code, n.rule, n.message, short=not explain),
                    (0, 0, 0, 2),
                    expand=False,
                )
            )
        if explain and f.explain:
            for t in f.explain:
                line = Text(f"{t.id} ", style="cyan")
                line.append(t.value)
                line.append(f" — {t.source}, {t.stated_on or 'undated'}: ", style="dim")
                line.append(t.status, style="bold")
                if t.rule:
                    line.append(f" ({t.rule})", style="dim")
                line.append(f" {t.reason}")
                if t.note:
                    line.append(f"\nnote: {t.note}", style="dim")
                blocks.append(Padding(line, (0, 0, 0, 4), expand=False))
    return Group(*blocks)


def plain(renderable: Any, width: int | None = None) -> str:
    """A rich renderable as plain text (no colour, no terminal codes), for -o files."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or 100,
        force_terminal=False,
        no_color=True,
        highlight=False,
        emoji=False,
    )
    console.print(renderable)
    return buffer.getvalue()
