"""The figures as a table for people: a row for each figure (title, range, best,
confidence, sources), then for each figure the sources it rests on and its notes
(with --explain, every claim's fate), then a summary line.

At any width a figure is never split across lines and no column is left out: the
columns of figures (range, best, sources) keep the width of their widest value, the
text columns fold at spaces, and when even that does not fit, the figures are stacked:
each one's details alone, headed by a line (wrapped at spaces) with every value of its
row. The same lines are written
as plain text to files and pipes, straight from the figures the engine streams (no
rich table and no model per figure, so that a large run writes as fast as its JSON),
and shown with colour in a terminal. Untrusted text is shown with its control
characters escaped, and never read as markup.
"""

from __future__ import annotations

import io
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO, TYPE_CHECKING, Any, BinaryIO

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

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

GAP = "  "
"""Between two columns."""

HEADERS = ("Figure", "Range", "Best", "Confidence", "Sources")

MIN_TITLE = 14
"""The narrowest Figure column worth folding titles into; narrower, figures are stacked."""

SPOOL = 8 * 2**20
"""How much of the figures' details is kept in memory before it goes to a temporary
file (the table must be written before them, and is known only when every figure is)."""


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


def spans(text: str, first: int, rest: int | None = None) -> list[tuple[int, int]]:
    """Where to break `text` into lines of at most `first` characters, then `rest`: at
    the last space that fits; a word longer than a line after a `/` where it can be (a
    period breaks between its two dates), else anywhere. Callers make lines wide enough
    for every figure. Returns the (start, end) of each line in `text`."""
    room = max(first, 1)
    out: list[tuple[int, int]] = []
    at, end = 0, len(text)
    while end - at > room:
        space = text.rfind(" ", at, at + room + 1)
        if space > at:
            stop = space
            while stop > at and text[stop - 1] == " ":
                stop -= 1
            out.append((at, stop))
            at = space + 1
            while at < end and text[at] == " ":
                at += 1
        else:
            cut = text.rfind("/", at, at + room) + 1
            out.append((at, cut if cut > at else at + room))
            at = out[-1][1]
        room = max(rest if rest is not None else first, 1)
    out.append((at, end))
    return out


def wrap(text: str, width: int) -> list[str]:
    """Text in lines of at most `width` characters (see `spans`)."""
    return [text[a:b] for a, b in spans(text, width)]


Block = list[tuple[int, Line]]
"""Lines of a figure's details, each with its indent, before they are wrapped (a
wrapped line's later lines are indented two more)."""

HANG = 2


def plain_block(block: Block, width: int) -> list[str]:
    """A block wrapped within `width`, as plain text."""
    out = []
    for indent, line in block:
        text = "".join(piece for piece, _ in line)
        if len(text) + indent <= width:
            out.append(" " * indent + text)
            continue
        for n, (a, b) in enumerate(spans(text, width - indent, width - indent - HANG)):
            out.append(" " * (indent + (HANG if n else 0)) + text[a:b])
    return out


def styled_block(block: Block, width: int) -> list[Text]:
    """A block wrapped within `width` as `plain_block` wraps it, with its styles."""
    from rich.text import Text

    out = []
    for indent, line in block:
        styled = Text.assemble(*line)
        text = styled.plain
        for n, (a, b) in enumerate(spans(text, width - indent, width - indent - HANG)):
            out.append(Text(" " * (indent + (HANG if n else 0))) + styled[a:b])
    return out


def details(f: Figure, explain: bool) -> Block:
    """A figure's block: a blank line, its headline (every value of its row, so that
    stacked figures lose nothing of the table), the sources it rests on, its notes
    (short sentences; full ones and every claim's fate with `explain`)."""
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
    block: Block = [(0, []), (0, head)]
    block += [(2 * depth, _shown(line)) for depth, line in based_on(f)]
    block += [(2, _shown(note_line(f, note, short=not explain))) for note in f["notes"]]
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
            block.append((4, trace))
            if t.get("note"):
                # An imported claim's note: the events it sums.
                block.append((6, [(visible(f"note: {t['note']}"), "dim")]))
    return block


def _shown(line: Line) -> Line:
    return [(visible(text), style) for text, style in line]


def _style(confidence: str | None) -> str:
    return CONFIDENCE_STYLE.get(confidence or "", "")


def table_lines(rows: list[Row], cols: Columns) -> Iterator[Line]:
    """The table: the header, a rule, and each figure's row (as many lines as its
    tallest cell)."""
    widths = (cols.title, cols.range, cols.best, cols.confidence, cols.sources)
    right = (False, False, True, False, True)

    def cells(values: list[Line]) -> Iterator[Line]:
        """Lines of a row: each cell a list of (line, style), padded to its column."""
        for i in range(max(map(len, values))):
            line: Line = []
            for n, (cell, w) in enumerate(zip(values, widths, strict=True)):
                text, style = cell[i] if i < len(cell) else ("", "")
                pad = " " * (w - len(text))
                line += [(pad, ""), (text, style)] if right[n] else [(text, style), (pad, "")]
                line.append((GAP, ""))
            yield _trimmed(line)

    def lines(texts: list[str], style: str = "") -> Line:
        return [(text, style) for text in texts]

    yield from cells([[(h, "bold")] for h in HEADERS])
    yield [(GAP.join("─" * w for w in widths), "dim")]
    for r in rows:
        title = [line for part in r.title for line in wrap(part, cols.title)]
        span = r.range + (" (open above)" if r.open_upper else "")
        confidence = lines(wrap(r.confidence, cols.confidence), _style(r.confidence))
        if r.disagreement:
            confidence += lines(wrap(r.disagreement, cols.confidence), "dim")
        yield from cells(
            [
                lines(title),
                lines(wrap(span, cols.range)),
                [(r.best, "bold")],
                confidence,
                [(r.sources, "")],
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


def _layout(
    method: MethodBlock,
    figures: Iterable[Figure],
    width: int,
    explain: bool,
    styled: bool,
    then: Iterable[Figure] | None = None,
) -> Iterator[Any]:
    """Every line of the table for a terminal or a page `width` characters wide: the
    method, the table (or, too narrow for it, the figures stacked), each figure's
    details, and the summary; as plain text, or (`styled`) as rich Text. The details
    wait aside while the table is made (plain text in a temporary file, so that memory
    holds only the rows). Plain text only: `then`, the figures after `figures`, made
    meanwhile by a second process (`forked.meanwhile`)."""
    if styled:
        # rich is imported for a terminal only: files and pipes get plain text.
        from rich.text import Text

        make: Any = lambda line: Text.assemble(*line)  # noqa: E731
    else:
        make = _text

    def wrapped(line: Line) -> list[Any]:
        return styled_block([(0, line)], width) if styled else plain_block([(0, line)], width)

    tally = Tally()
    rows: list[Row] = []
    shown: list[Text] = []
    rest: BinaryIO | None = None
    with tempfile.SpooledTemporaryFile(max_size=SPOOL, mode="w+", encoding="utf-8") as spool:
        if styled:
            for f in figures:
                tally.add(f)
                rows.append(Row.of(f))
                shown += styled_block(details(f, explain), width)
        else:
            rest = _collected(figures, then, width, explain, rows, tally, spool)
        yield from wrapped([(method_title(method), "")])
        cols = Columns.fit(rows, width)
        if cols is not None:
            yield make([])
            yield from map(make, table_lines(rows, cols))
        # Too narrow for the table, the figures are stacked: their details alone.
        if styled:
            yield from shown
        else:
            spool.seek(0)
            yield from (line[:-1] for line in spool)
            if rest is not None:
                with io.TextIOWrapper(rest, encoding="utf-8") as more:
                    yield from (line[:-1] for line in more)
        yield make([])
        yield from wrapped([(tally.line(), "dim")])


def _collect(
    figures: Iterable[Figure],
    width: int,
    explain: bool,
    rows: list[Row],
    tally: Tally,
    spool: IO[str],
) -> None:
    """Each figure's row and count, and its details as plain text into `spool`."""
    for f in figures:
        tally.add(f)
        rows.append(Row.of(f))
        spool.write("".join(line + "\n" for line in plain_block(details(f, explain), width)))


def _collected(
    figures: Iterable[Figure],
    then: Iterable[Figure] | None,
    width: int,
    explain: bool,
    rows: list[Row],
    tally: Tally,
    spool: IO[str],
) -> BinaryIO | None:
    """`_collect` of `figures`, then of `then`: by a forked child meanwhile, whose
    details come back as a file (returned, at its start) and its rows and counts
    pickled in another; None when there are no details aside from `spool`."""
    if then is None:
        _collect(figures, width, explain, rows, tally, spool)
        return None
    from ..forked import meanwhile

    with tempfile.TemporaryFile() as state:

        def work(out: BinaryIO) -> None:
            mine: list[Row] = []
            counted = Tally()
            text = io.TextIOWrapper(out, encoding="utf-8")
            _collect(then, width, explain, mine, counted, text)
            text.flush()
            text.detach()
            pickle.dump((mine, counted), state)
            state.flush()

        _, more = meanwhile(lambda: _collect(figures, width, explain, rows, tally, spool), work)
        if more is None:  # no child, or it failed: the rest is collected here
            _collect(then, width, explain, rows, tally, spool)
            return None
        state.seek(0)
        their_rows, their_tally = pickle.load(state)
    rows += their_rows
    tally.merge(their_tally)
    return more


def _text(line: Line) -> str:
    return "".join(text for text, _ in line)


def write_table(
    method: MethodBlock,
    figures: Iterable[Figure],
    out: BinaryIO,
    width: int | None = None,
    explain: bool = False,
    then: Iterable[Figure] | None = None,
) -> None:
    """The table as plain text, written in pieces; `then` as in `_layout`."""
    lines = _layout(method, figures, width or page_width(), explain, styled=False, then=then)
    while batch := list(islice(lines, 4096)):
        out.write(("\n".join(batch) + "\n").encode("utf-8"))


def page_width() -> int:
    """The width to lay out plain text for: $COLUMNS, else 80 (a pipe's), whatever
    terminal the command runs in, so that a file is the same wherever it is written."""
    try:
        return max(int(os.environ.get("COLUMNS", "")), 1)
    except ValueError:
        return 80


def show(method: MethodBlock, figures: Iterable[Figure], console: Console, explain: bool) -> None:
    """The table in a terminal, with colour."""
    for line in _layout(method, figures, console.width, explain, styled=True):
        console.print(line, soft_wrap=True)


def plain(renderable: Any, width: int | None = None) -> str:
    """A rich renderable as plain text (no colour, no terminal codes), for -o files."""
    from rich.console import Console

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
