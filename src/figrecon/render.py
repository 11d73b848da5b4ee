"""Turning results into text: a rich table for people, JSON / NDJSON / CSV / Markdown
for scripts and reports. Every string that came from the data (source names, values,
notes) is printed as `rich.text.Text`, never as markup; in the formats for people its
control characters are shown, not obeyed (`text.visible`), and CSV cells never start a
spreadsheet formula (`text.formula_safe`)."""

from __future__ import annotations

import csv
import io
import json
import re
from enum import StrEnum
from typing import Any

from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from .models import UNKNOWN_SOURCE, Figure, Result, figure_text
from .text import formula_safe, visible_copy

CONFIDENCE_STYLE = {
    "high": "bold green",
    "moderate": "yellow",
    "low": "red",
    "very low": "bold red",
}


def num(x: float | None) -> str:
    return "—" if x is None else figure_text(x)


def figure_title(f: Figure, sep: str = "\n") -> str:
    """metric (and group), location, period: one per line for the table."""
    head = f.metric if f.group == "total" else f"{f.metric} · {f.group.replace('_', ' ')}"
    return sep.join(x for x in (head, f.location, f.period) if x)


def range_text(f: Figure) -> str:
    if f.best is None:
        return "no figure"
    text = num(f.low) if f.low == f.high else f"{num(f.low)}–{num(f.high)}"
    return text + (" (open above)" if f.open_upper else "")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def short_note(f: Figure, code: str, message: str) -> str:
    """A note as a short sentence for the table (the JSON keeps the full message)."""
    counts: dict[str, int] = {}
    for e in f.claims_excluded:
        counts[e.reason] = counts.get(e.reason, 0) + 1
    if code == "superseded":
        return _plural(counts.get("superseded", 0), "earlier statement") + " superseded"
    if code == "retracted":
        return _plural(counts.get("withdrawn", 0), "withdrawn figure") + " left out"
    if code == "repeat-of-retracted":
        return "repeats of a withdrawn figure left out too"
    if code == "relayed":
        return "relayed figures counted under their originator"
    if code == "stale":
        return _plural(counts.get("stale", 0), "early count") + " set aside as history"
    if code == "outlier":
        ids = [e.id for e in f.claims_excluded if e.reason == "outlier"]
        return "outside the agreement: " + ", ".join(ids)
    return message


def _share(x: float) -> str:
    return "½" if x == 0.5 else f"{x:g}"


def _side(side: bool | str) -> str:
    """A registry's `party` value as a reader says it: kazakh-state is "Kazakh state"."""
    if side is True:
        return "party to the event"
    words = str(side).replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def _name(name: str) -> str:
    return "unattributed" if name == UNKNOWN_SOURCE else name


def based_on(f: Figure) -> list[tuple[int, Text]]:
    """The sources a figure rests on, as (indent level, line). When the figure says how
    R10 counted them: one line per independent source, so that the lines add up to the
    Sources column (the organs of one side on one line, an unattributed figure as a
    share), then the members that were not counted and why."""
    if not f.sources:
        return []
    if f.independent is None:
        return [(1, Text("Based on: ", style="dim") + Text("; ".join(f.sources)))]
    n = f.independent_sources
    lines = [(1, Text(f"Based on {num(n)} independent source{'' if n == 1 else 's'}:", "dim"))]
    unattributed: list[float] = []
    for unit in f.independent:
        if unit.names == [UNKNOWN_SOURCE]:
            unattributed.append(unit.share)
        elif unit.side is not None and len(unit.names) > 1:
            line = Text(f"{_side(unit.side)} ({len(unit.names)} bodies): ")
            lines.append((2, line + Text("; ".join(unit.names))))
        else:
            lines.append((2, Text("; ".join(unit.names))))
    if unattributed:
        # One share for every unattributed figure (the parameter unknown_source_share).
        share = _share(unattributed[0])
        many = len(unattributed)
        text = f"unattributed, {many} different figures ({share} each)" if many > 1 else ""
        lines.append((2, Text(text or f"unattributed ({share})")))
    counted = {name for unit in f.independent for name in unit.names}
    left = [_name(s) for s in f.sources if s not in counted]
    if left:
        lines.append(
            (
                2,
                Text("Not counted: ", style="dim")
                + Text("; ".join(left))
                + Text(" (a floor or ceiling that does not reach the best; R10)", style="dim"),
            )
        )
    return lines


def note_line(f: Figure, code: str, rule: str, message: str, short: bool) -> Text:
    text = Text("• ")
    text.append(code, style="bold")
    text.append(f" ({rule}) ", style="dim")
    text.append(short_note(f, code, message) if short else message)
    return text


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


def to_json(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"


def to_ndjson(result: Result) -> str:
    return "".join(f.model_dump_json() + "\n" for f in result.figures)


CSV_COLUMNS = (
    "event",
    "metric",
    "group",
    "location",
    "period",
    "measure",
    "low",
    "best",
    "high",
    "open_upper",
    "confidence",
    "independent_sources",
    "ratio",
    "disagreement",
    "sources",
    "claims_used",
    "claims_excluded",
    "notes",
)


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(result: Result) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in result.figures:
        data = f.model_dump(mode="json")
        data["sources"] = "; ".join(f.sources)
        data["claims_used"] = " ".join(f.claims_used)
        data["claims_excluded"] = " ".join(f"{e.id}:{e.reason}" for e in f.claims_excluded)
        data["notes"] = " ".join(n.code for n in f.notes)
        writer.writerow([formula_safe(_cell(data.get(c))) for c in CSV_COLUMNS])
    return out.getvalue()


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#!~])")


def _md(text: str) -> str:
    """Untrusted text in a Markdown table cell, as text: every character that could
    start markup is escaped, and line breaks (CR or LF) become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"[\r\n]+", " ", text))


def _code(text: str) -> str:
    """Text inside a `code span`, where escapes do not work: no backticks, no breaks."""
    return re.sub(r"[\r\n]+", " ", text).replace("`", "'")


def to_markdown(result: Result) -> str:
    result = visible_copy(result)
    lines = [
        f"**figrecon {result.figrecon}** · method `{result.method.name}` · profile "
        f"`{_code(result.method.profile)}`"
        + (f" · as of {result.method.as_of}" if result.method.as_of else ""),
        "",
        "| Figure | Low | Best | High | Confidence | Based on | Notes |",
        "|---|---:|---:|---:|---|---|---|",
    ]
    for f in result.figures:
        title = _md(figure_title(f).replace("\n", " · "))
        high = num(f.high) + (" +" if f.open_upper else "")
        notes = "; ".join(f"{n.code} ({n.rule})" for n in f.notes)
        lines.append(
            f"| {title} | {num(f.low)} | **{num(f.best)}** | {high} | {f.confidence or '—'} "
            f"| {_md('; '.join(f.sources))} | {_md(notes)} |"
        )
    lines.append("")
    lines.append("`+`: open above (a source gives only a floor).")
    return "\n".join(lines) + "\n"


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


class OutputFormat(StrEnum):
    """Formats of `figrecon reconcile`; each member builds its own text."""

    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    markdown = "markdown"

    def render(self, result: Result, *, explain: bool = False, width: int | None = None) -> str:
        if self is OutputFormat.table:
            return plain(figures_table(result, explain), width)
        return {
            OutputFormat.json: to_json,
            OutputFormat.ndjson: to_ndjson,
            OutputFormat.csv: to_csv,
            OutputFormat.markdown: to_markdown,
        }[self](result)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"


# --- diff -----------------------------------------------------------------------------------


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
                f"| {c.change} | {_md(_diff_title(c))} | {_md(_side_text(c.old))} | "
                f"{_md(_after_text(c))} | "
                + ("<br>".join(_md(claim_line(move)) for move in c.claims) or "—")
                + " |"
            )
    lines += ["", f"`{_code(diff.old)}` → `{_code(diff.new)}`"]
    return "\n".join(lines) + "\n"


class DiffFormat(StrEnum):
    """Formats of `figrecon diff`."""

    table = "table"
    markdown = "markdown"
    json = "json"

    def render(self, diff: Any, width: int | None = None) -> str:
        if self is DiffFormat.table:
            return plain(diff_table(diff), width)
        if self is DiffFormat.markdown:
            return diff_markdown(diff)
        return str(diff.model_dump_json(indent=2)) + "\n"
