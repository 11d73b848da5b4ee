"""A figure in words for people: its title, its range, its notes made short, the sources
it rests on as R10 counts them, and the summary of a run. A figure is the JSON-shaped
mapping the engine streams (`engine.assemble`; a model's `model_dump()` is one too).
Lines made of styled pieces are lists of (text, style), which rich's `Text.assemble`
takes as they are and a plain text output joins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..model import UNKNOWN_SOURCE
from ..text import figure_text

Figure = Mapping[str, Any]
"""A figure as a JSON-shaped mapping."""

Line = list[tuple[str, str]]
"""A line of (text, style) pieces."""

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
    metric, group = f["metric"], f["group"]
    head = metric if group == "total" else f"{metric} · {group.replace('_', ' ')}"
    return sep.join(x for x in (head, f["location"], f["period"]) if x)


def range_text(f: Figure) -> str:
    if f["best"] is None:
        return "no figure"
    low, high = f["low"], f["high"]
    text = num(low) if low == high else f"{num(low)}–{num(high)}"
    return text + (" (open above)" if f["open_upper"] else "")


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def short_note(f: Figure, code: str, message: str) -> str:
    """A note as a short sentence for the table (the JSON keeps the full message)."""
    counts: dict[str, int] = {}
    for e in f["claims_excluded"]:
        counts[e["reason"]] = counts.get(e["reason"], 0) + 1
    if code == "superseded":
        return plural(counts.get("superseded", 0), "earlier statement") + " superseded"
    if code in ("retracted", "repeat-of-retracted"):
        # The withdrawn claims are the figures withdrawn and their repeats, each counted
        # on its own line.
        repeats = {i for n in f["notes"] if n["code"] == "repeat-of-retracted" for i in n["claims"]}
        withdrawn = {e["id"] for e in f["claims_excluded"] if e["reason"] == "withdrawn"}
        if code == "retracted":
            return plural(len(withdrawn - repeats), "withdrawn figure") + " left out"
        return plural(len(withdrawn & repeats), "repeat") + " of a withdrawn figure left out too"
    if code == "relayed":
        return "relayed figures counted under their originator"
    if code == "stale":
        return plural(counts.get("stale", 0), "early count") + " set aside as history"
    if code == "outlier":
        ids = [e["id"] for e in f["claims_excluded"] if e["reason"] == "outlier"]
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


def based_on(f: Figure) -> list[tuple[int, Line]]:
    """The sources a figure rests on, as (indent level, line). When the figure says how
    R10 counted them: one line per independent source, so that the lines add up to the
    Sources column (the organs of one side on one line, an unattributed figure as a
    share), then the members that were not counted and why."""
    sources = f["sources"]
    if not sources:
        return []
    independent = f["independent"]
    if independent is None:
        return [(1, [("Based on: ", "dim"), ("; ".join(sources), "")])]
    n = f["independent_sources"]
    lines: list[tuple[int, Line]] = [
        (1, [(f"Based on {num(n)} independent source{'' if n == 1 else 's'}:", "dim")])
    ]
    unattributed: list[float] = []
    for unit in independent:
        names, side = unit["names"], unit["side"]
        if names == [UNKNOWN_SOURCE]:
            unattributed.append(unit["share"])
        elif side is not None and len(names) > 1:
            lines.append(
                (2, [(f"{side_text(side)} ({len(names)} bodies): " + "; ".join(names), "")])
            )
        else:
            lines.append((2, [("; ".join(names), "")]))
    if unattributed:
        # One share for every unattributed figure (the parameter unknown_source_share).
        share = share_text(unattributed[0])
        many = len(unattributed)
        text = f"unattributed, {many} different figures ({share} each)" if many > 1 else ""
        lines.append((2, [(text or f"unattributed ({share})", "")]))
    counted = {name for unit in independent for name in unit["names"]}
    left = [source_label(s) for s in sources if s not in counted]
    if left:
        lines.append(
            (
                2,
                [
                    ("Not counted: ", "dim"),
                    ("; ".join(left), ""),
                    (" (a floor or ceiling that does not reach the best; R10)", "dim"),
                ],
            )
        )
    return lines


def line_text(line: Line) -> str:
    """A line's text without its styles."""
    return "".join(text for text, _ in line)


def note_line(f: Figure, note: Mapping[str, Any], short: bool) -> Line:
    """A note as a line: its code, its rule, and its sentence (made short for the table)."""
    message = short_note(f, note["code"], note["message"]) if short else note["message"]
    return [("• ", ""), (note["code"], "bold"), (f" ({note['rule']}) ", "dim"), (message, "")]


class Tally:
    """What a run shows, counted as its figures go by, for its summary line."""

    def __init__(self) -> None:
        self.figures = 0
        self.claims = 0
        self.sources: set[str] = set()
        self.figureless: set[str] = set()
        """Claims that state no figure (a withdrawal, an assessment) named in notes."""

    def add(self, f: Figure) -> None:
        self.figures += 1
        self.claims += len(f["claims_used"]) + len(f["claims_excluded"])
        self.sources.update(f["sources"])
        named = [n["claims"] for n in f["notes"] if n["code"] in FIGURELESS]
        if named:
            counted = {*f["claims_used"], *(e["id"] for e in f["claims_excluded"])}
            self.figureless.update(i for ids in named for i in ids if i not in counted)

    def merge(self, other: Tally) -> None:
        """Count `other`'s figures too."""
        self.figures += other.figures
        self.claims += other.claims
        self.sources |= other.sources
        self.figureless |= other.figureless

    def line(self) -> str:
        """ "36 figures from 153 claims and 4 that state no figure, resting on 20
        sources": the claims behind the figures (used or set aside), the withdrawals
        and assessments their notes name (so that the count is the file's), and the
        named originators the figures rest on."""
        named = len(self.sources - {UNKNOWN_SOURCE})
        others = f" and {len(self.figureless)} that state no figure" if self.figureless else ""
        return (
            f"{plural(self.figures, 'figure')} from {plural(self.claims, 'claim')}{others}, "
            f"resting on {plural(named, 'source')}"
        )


FIGURELESS = frozenset({"retracted", "unverified", "disputed", "confirmed"})
"""Notes that may name claims stating no figure: a withdrawal (beside the claims it
withdrew, which the figure counts already) and an assessment."""
