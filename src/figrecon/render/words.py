"""A figure in words for people: its title, its range, its notes made short, the sources
it rests on as R10 counts them.
"""

from __future__ import annotations

from rich.text import Text

from ..model import UNKNOWN_SOURCE, Figure
from ..text import figure_text

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


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def short_note(f: Figure, code: str, message: str) -> str:
    """A note as a short sentence for the table (the JSON keeps the full message)."""
    counts: dict[str, int] = {}
    for e in f.claims_excluded:
        counts[e.reason] = counts.get(e.reason, 0) + 1
    if code == "superseded":
        return plural(counts.get("superseded", 0), "earlier statement") + " superseded"
    if code == "retracted":
        return plural(counts.get("withdrawn", 0), "withdrawn figure") + " left out"
    if code == "repeat-of-retracted":
        return "repeats of a withdrawn figure left out too"
    if code == "relayed":
        return "relayed figures counted under their originator"
    if code == "stale":
        return plural(counts.get("stale", 0), "early count") + " set aside as history"
    if code == "outlier":
        ids = [e.id for e in f.claims_excluded if e.reason == "outlier"]
        return "outside the agreement: " + ", ".join(ids)
    return message


def share_text(x: float) -> str:
    return "½" if x == 0.5 else f"{x:g}"


def side_text(side: bool | str) -> str:
    """A registry's `party` value as a reader says it: kazakh-state is "Kazakh state"."""
    if side is True:
        return "party to the event"
    words = str(side).replace("-", " ").replace("_", " ")
    return words[:1].upper() + words[1:]


def source_label(name: str) -> str:
    """An originator's name as a reader sees it."""
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
            line = Text(f"{side_text(unit.side)} ({len(unit.names)} bodies): ")
            lines.append((2, line + Text("; ".join(unit.names))))
        else:
            lines.append((2, Text("; ".join(unit.names))))
    if unattributed:
        # One share for every unattributed figure (the parameter unknown_source_share).
        share = share_text(unattributed[0])
        many = len(unattributed)
        text = f"unattributed, {many} different figures ({share} each)" if many > 1 else ""
        lines.append((2, Text(text or f"unattributed ({share})")))
    counted = {name for unit in f.independent for name in unit.names}
    left = [source_label(s) for s in f.sources if s not in counted]
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
