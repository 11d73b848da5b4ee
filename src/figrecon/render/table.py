"""The figures as a table for people: a row for each figure (title, range, best,
confidence, sources), then for each figure the sources it rests on and its notes
(with --explain, every claim's fate), then a summary line.

At any width a figure is never split across lines and no column is left out: the
columns of figures (range, best, sources) keep the width of their widest value, the
text columns fold at spaces, and when even that does not fit, each figure is stacked
(its title and figures on one line that wraps at spaces). The same lines are written
as plain text to files and pipes, straight from the figures the engine streams (no
rich table and no model per figure, so that a large run writes as fast as its JSON),
and shown with colour in a terminal. Untrusted text is shown with its control
characters escaped, and never read as markup.
"""

from __future__ import annotations

import io
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from rich.console import Console
from rich.text import Text

from ..model import MethodBlock
from ..text import visible
from .words import (
    CONFIDENCE_STYLE,
    Figure,
    Line,
    Tally,
    based_on,
    figure_title,
    note_line,
    num,
    range_text,
)

GAP = "  "
"""Between two columns."""

HEADERS = ("Figure", "Range", "Best", "Confidence", "Sources")

MIN_TITLE = 14
"""The narrowest Figure column worth folding titles into; narrower, figures are stacked."""

SPOOL = 8 * 2**20
"""Bytes of the figures' details kept in memory before they go to a temporary file
(the table must be written before them, and is known only when every figure is)."""


def method_title(method: MethodBlock) -> str:
    return f"figrecon · {method.name} · profile {method.profile}" + (
        f" · as of {method.as_of}" if method.as_of else ""
    )


@dataclass
class Row:
    """A figure's cells: each cell as words, which fold at spaces, in one style."""

    title: list[str]
    """metric (and group), location, period: each starts a line of its own."""
    range: str
    """The range, never split: a figure, two figures joined by a dash, or `no figure`."""
    open_upper: bool
    best: str
    confidence: str
    disagreement: str | None
    sources: str

    @classmethod
    def of(cls, f: Figure) -> Row:
        has = f["best"] is not None
        disagrees = f["ratio"] is not None and f["disagreement"] not in (None, "agree")
        return cls(
            title=[visible(part) for part in figure_title(f).split("\n")],
            range=range_text({**f, "open_upper": False}),
            open_upper=bool(f["open_upper"]),
            best=num(f["best"]),
            confidence=f["confidence"] or "—",
            disagreement=f"{f['disagreement']} disagreement" if disagrees else None,
            sources=num(f["independent_sources"]) if has else "—",
        )


@dataclass
class Columns:
    """The width of each column: the table's layout for a width of terminal or page."""

    title: int
    range: int
    best: int
    confidence: int
    sources: int

    @classmethod
    def fit(cls, rows: list[Row], width: int) -> Columns | None:
        """Columns of the table within `width`, each figure column as wide as its widest
        value; None when the table does not fit (the figures are then stacked)."""
        words = [w for r in rows if r.disagreement for w in r.disagreement.split()]
        least = [
            MIN_TITLE,
            max([len(HEADERS[1]), len("above)"), *(len(r.range) for r in rows)]),
            max([len(HEADERS[2]), *(len(r.best) for r in rows)]),
            max([len(HEADERS[3]), *(len(r.confidence) for r in rows), *map(len, words)]),
            max([len(HEADERS[4]), *(len(r.sources) for r in rows)]),
        ]
        room = width - len(GAP) * (len(HEADERS) - 1) - sum(least)
        if room < 0:
            return None
        # The room left goes to the title, then to the range's "(open above)", then to
        # the disagreement, each up to what it needs to stand on one line.
        wanted = [
            max((len(part) for r in rows for part in r.title), default=0),
            max([0, *(len(r.range) + len(" (open above)") for r in rows if r.open_upper)]),
            0,
            max([0, *(len(r.disagreement) for r in rows if r.disagreement)]),
            0,
        ]
        for i in (0, 1, 3):
            more = min(room, max(0, wanted[i] - least[i]))
            least[i] += more
            room -= more
        return cls(*least)


def wrap(text: str, width: int) -> list[str]:
    """Text in lines of at most `width` characters, broken at spaces; a word longer
    than the line is broken after a `/` where it can be (a period breaks between its
    two dates), else folded. Callers make lines wide enough for every figure."""
    if len(text) <= width:
        return [text]
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        while len(word) > width:
            cut = word.rfind("/", 0, width) + 1 or width
            if line:
                lines.append(line)
                line = ""
            lines.append(word[:cut])
            word = word[cut:]
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return lines


def wrap_line(line: Line, width: int, indent: int = 0, hang: int = 0) -> list[Line]:
    """A line of styled pieces wrapped at spaces within `width`, indented by `indent`,
    its later lines by `hang` more; each piece keeps its style."""
    room = max(width - indent, 1)
    if sum(len(text) for text, _ in line) <= room:
        return [[(" " * indent, ""), *line] if indent else line]
    # Words as runs of styled fragments: a word may span pieces ("5,350" "," ...).
    words: list[Line] = [[]]
    for text, style in line:
        for n, fragment in enumerate(text.split(" ")):
            if n:
                words.append([])
            if fragment:
                words[-1].append((fragment, style))
    out: list[Line] = []
    current: Line = [(" " * indent, "")]
    used, limit = 0, room
    for word in (w for w in words if w):
        size = sum(len(text) for text, _ in word)
        if used and used + 1 + size > limit:
            out.append(current)
            current, used = [(" " * (indent + hang), "")], 0
            limit = max(room - hang, 1)
        if used:
            current.append((" ", ""))
            used += 1
        if size > limit:  # a word longer than a line: text only, folded
            style = word[0][1]
            parts = wrap("".join(text for text, _ in word), limit)
            for part in parts[:-1]:
                current.append((part, style))
                out.append(current)
                current = [(" " * (indent + hang), "")]
                limit = max(room - hang, 1)
            word, size = [(parts[-1], style)], len(parts[-1])
        current += word
        used += size
    out.append(current)
    return out


def details(f: Figure, explain: bool, width: int) -> list[Line]:
    """A figure's block: its headline (every value of its row, so that stacked
    figures lose nothing of the table), the sources it rests on, its notes (short
    sentences; full ones and every claim's fate with `explain`)."""
    head: Line = [(visible(figure_title(f, " · ")), "bold"), ("  " + range_text(f), "")]
    if f["best"] is not None:
        head.append((f", best {num(f['best'])}", ""))
    if f["confidence"]:
        head += [(", ", ""), (f"{f['confidence']} confidence", _style(f["confidence"]))]
    if f["ratio"] is not None and f["disagreement"] not in (None, "agree"):
        head.append((f", {f['disagreement']} disagreement", ""))
    if f["independent"] is None and f["best"] is not None:
        # Without the count of each source, "Based on" names them but does not count.
        n = f["independent_sources"]
        head.append((f", {num(n)} independent source{'' if n == 1 else 's'}", ""))
    lines = [[("", "")], *wrap_line(head, width, 0, 2)]
    for depth, line in based_on(f):
        lines += wrap_line(_shown(line), width, 2 * depth, 2)
    for note in f["notes"]:
        lines += wrap_line(_shown(note_line(f, note, short=not explain)), width, 2, 2)
    if explain and f["explain"]:
        for t in f["explain"]:
            trace: Line = [
                (visible(f"{t['id']} "), "cyan"),
                (visible(t["value"]), ""),
                (visible(f" — {t['source']}, {t['stated_on'] or 'undated'}: "), "dim"),
                (t["status"], "bold"),
                (f" ({t['rule']})" if t["rule"] else "", "dim"),
                (visible(f" {t['reason']}"), ""),
            ]
            lines += wrap_line(trace, width, 4, 2)
    return lines


def _shown(line: Line) -> Line:
    return [(visible(text), style) for text, style in line]


def _style(confidence: str | None) -> str:
    return CONFIDENCE_STYLE.get(confidence or "", "")


def table_lines(rows: list[Row], cols: Columns) -> Iterator[Line]:
    """The table: the header, a rule, and each figure's row (as many lines as its
    tallest cell)."""
    widths = (cols.title, cols.range, cols.best, cols.confidence, cols.sources)
    right = (False, False, True, False, True)

    def cells(values: list[tuple[list[str], str]]) -> Iterator[Line]:
        height = max(len(lines) for lines, _ in values)
        for i in range(height):
            line: Line = []
            for n, ((lines, style), w) in enumerate(zip(values, widths, strict=True)):
                text = lines[i] if i < len(lines) else ""
                cell = text.rjust(w) if right[n] else text.ljust(w)
                line.append((cell if n < 4 else cell.rstrip(), style))
                if n < 4:
                    line.append((GAP, ""))
            yield _trimmed(line)

    yield from cells([([h], "bold") for h in HEADERS])
    yield [(GAP.join("─" * w for w in widths), "dim")]
    for r in rows:
        title = [line for part in r.title for line in wrap(part, cols.title)]
        span = r.range + (" (open above)" if r.open_upper else "")
        confidence = wrap(r.confidence, cols.confidence)
        if r.disagreement:
            confidence += wrap(r.disagreement, cols.confidence)
        yield from cells(
            [
                (title, ""),
                (wrap(span, cols.range), ""),
                ([r.best], "bold"),
                (confidence, _style(r.confidence)),
                ([r.sources], ""),
            ]
        )


def _trimmed(line: Line) -> Line:
    """A line without the spaces that pad its last cells."""
    while line and not line[-1][0].strip():
        line.pop()
    if line:
        text, style = line[-1]
        line[-1] = (text.rstrip(), style)
    return line


def lines_of(
    method: MethodBlock, figures: Iterable[Figure], width: int, explain: bool = False
) -> Iterator[Line]:
    """Every line of the table for a terminal or a page `width` characters wide: the
    method, the table (or, too narrow for it, the figures stacked), each figure's
    details, and the summary. The details wait in a temporary file while the table is
    made, so that memory holds only the rows."""
    tally = Tally()
    rows: list[Row] = []
    with tempfile.SpooledTemporaryFile(max_size=SPOOL, mode="w+", encoding="utf-8") as spool:
        pending = _Pending(spool)
        for f in figures:
            tally.add(f)
            rows.append(Row.of(f))
            pending.add(details(f, explain, width))
        yield [(method_title(method), "")]
        cols = Columns.fit(rows, width)
        if cols is not None:
            yield [("", "")]
            yield from table_lines(rows, cols)
        # Too narrow for the table, the figures are stacked: their details alone.
        yield from pending.lines()
        yield [("", "")]
        yield [(tally.line(), "dim")]


class _Pending:
    """Details kept aside, line by line, with each piece's style."""

    def __init__(self, spool: Any) -> None:
        self.spool = spool

    def add(self, lines: list[Line]) -> None:
        for line in lines:
            self.spool.write("\x00".join(f"{style}\x01{text}" for text, style in line) + "\n")

    def lines(self) -> Iterator[Line]:
        self.spool.seek(0)
        for raw in self.spool:
            yield [
                (text, style)
                for style, _, text in (p.partition("\x01") for p in raw[:-1].split("\x00"))
            ]


def write_table(
    method: MethodBlock,
    figures: Iterable[Figure],
    out: BinaryIO,
    width: int | None = None,
    explain: bool = False,
) -> None:
    """The table as plain text, written in pieces."""
    batch: list[str] = []
    for line in lines_of(method, figures, width or page_width(), explain):
        batch.append("".join(text for text, _ in line))
        if len(batch) >= 4096:
            out.write(("\n".join(batch) + "\n").encode("utf-8"))
            batch = []
    if batch:
        out.write(("\n".join(batch) + "\n").encode("utf-8"))


def page_width() -> int:
    """The width to lay out plain text for: $COLUMNS, else 80 (a pipe's)."""
    return shutil.get_terminal_size((80, 24)).columns


def show(method: MethodBlock, figures: Iterable[Figure], console: Console, explain: bool) -> None:
    """The table in a terminal, with colour."""
    for line in lines_of(method, figures, console.width, explain):
        console.print(Text.assemble(*line), soft_wrap=True)


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
