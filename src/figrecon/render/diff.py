"""What `figrecon diff` found, for people: a table and Markdown."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..text import visible_copy
from .markdown import md_code, md_text
from .words import num


def _side_text(side: Any) -> str:
    """A figure's headline on one side of the diff."""
    if side is None:
        return "—"
    if side.best is None:
        return "no figure"
    span = num(side.low) if side.low == side.high else f"{num(side.low)}–{num(side.high)}"
    return f"{span}{'+' if side.open_upper else ''}, best {num(side.best)}, {side.confidence}"


def _after_text(change: Any) -> str:
    """The figure after: `same` when it did not move (only its claims changed)."""
    return "same" if change.change == "unmoved" else _side_text(change.new)


def _fate_text(old: str | None, new: str | None) -> str:
    """A claim's fate in the figure: `used`, `used → stale`, or where it came or went."""
    if old is None:
        return f"entered, {new}"
    if new is None:
        return f"left, was {old}"
    return new if old == new else f"{old} → {new}"


CLAIM_CHANGE_TEXT = {
    "added": "added",
    "removed": "removed",
    "withdrawn": "newly withdrawn",
    "edited": "edited",
    "provenance": "provenance only",
    "entered": "entered",
    "left": "left",
    "fate": "fate changed",
}


"""How a person reads each kind of claim change."""


def claim_line(move: Any) -> str:
    """One claim under a figure: what changed (old → new for each field) and its fate."""
    if move.change == "added":
        return f"+{move.id} ({move.new})"
    if move.change == "removed":
        return f"-{move.id} ({move.old})"
    if move.change == "fate":
        return f"{move.id}: {move.old} → {move.new}"
    if move.change == "entered":
        return f"{move.id}: entered ({move.new})"
    if move.change == "left":
        return f"{move.id}: left (was {move.old})"
    parts = [f"{name} {d.old or '—'} → {d.new or '—'}" for name, d in move.fields.items()]
    if move.change != "edited":
        parts.insert(0, CLAIM_CHANGE_TEXT[move.change])
    return f"{move.id}: {'; '.join(parts)} ({_fate_text(move.old, move.new)})"


def diff_summary(diff: Any) -> str:
    """The figures that changed, then the claims that did, counted: one line."""
    unmoved = sum(1 for c in diff.changes if c.change == "unmoved")
    text = f"{len(diff.changes) - unmoved} figure(s) changed"
    if unmoved:
        text += f", {unmoved} with changed claims only"
    text += f", {diff.unchanged} unchanged"
    if diff.claims_changed:
        text += "; claims: " + ", ".join(
            f"{n} {CLAIM_CHANGE_TEXT[change]}" for change, n in diff.claims_changed.items()
        )
    return text


def _diff_title(c: Any) -> str:
    head = c.metric if c.group == "total" else f"{c.metric} · {c.group.replace('_', ' ')}"
    return " · ".join(x for x in (head, c.location, c.period) if x)


def diff_table(diff: Any) -> Group:
    diff = visible_copy(diff)
    table = Table(title=Text(f"figrecon diff · {diff.old} → {diff.new}"), show_lines=True)
    for name in ("Change", "Figure", "Before", "After", "Claims"):
        table.add_column(name, overflow="fold")
    for c in diff.changes:
        table.add_row(
            Text(c.change),
            Text(_diff_title(c)),
            Text(_side_text(c.old)),
            Text(_after_text(c)),
            Text("\n".join(claim_line(move) for move in c.claims) or "—"),
        )
    tail = Text(diff_summary(diff) + ".")
    return Group(table, tail) if diff.changes else Group(tail)


def diff_markdown(diff: Any) -> str:
    diff = visible_copy(diff)
    lines = [f"### figrecon diff: {diff_summary(diff)}", ""]
    if diff.changes:
        lines += ["| Change | Figure | Before | After | Claims |", "|---|---|---|---|---|"]
        for c in diff.changes:
            lines.append(
                f"| {c.change} | {md_text(_diff_title(c))} | {md_text(_side_text(c.old))} | "
                f"{md_text(_after_text(c))} | "
                + ("<br>".join(md_text(claim_line(move)) for move in c.claims) or "—")
                + " |"
            )
    lines += ["", f"`{md_code(diff.old)}` → `{md_code(diff.new)}`"]
    return "\n".join(lines) + "\n"
