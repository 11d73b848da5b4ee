"""Text from the data made safe where it is shown: in a terminal or a CI log, where a
control character would act instead of print (`visible`), and in a spreadsheet, where a
cell starting with `=` would run as a formula (`formula_safe`, undone by `restore_formulas`).

The data itself is never changed: these apply as an output is written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import reprlib
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    import numpy as np

_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
"""C0 and C1 controls and DEL (escape sequences: colour, cursor, window title, OSC 8
links, OSC 52 clipboard writes), the bidi embeddings, overrides and isolates that make
text read other than it is stored, lone surrogates (no terminal can print them) and
U+FFFE, U+FFFF (which XML cannot hold)."""


ENCODABLE = (
    "".join(
        chr(c)
        for c in [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    )
    + "\ufffe\uffff"
)
"""For `visible(text, keep=ENCODABLE)`: every character of `_HIDDEN` kept but the lone
surrogates, which UTF-8 cannot encode (a file name whose bytes are not UTF-8 holds
them): what a JSON or CSV output, which writes the rest as it is, must show instead."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with every character of `_HIDDEN` (but those in `keep`) written as an
    escape, `\\x1b` or `\\u202e`, so that it prints as itself and does nothing."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: m.group() if m.group() in keep else _escaped(m), text)


class _Brief(reprlib.Repr):
    """reprlib's bounded repr, for lists and mappings of any kind (a YAML reader's
    marked ones too, which reprlib would otherwise hand to the full `repr`)."""

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, dict):
            return self.repr_dict(x, level)
        if isinstance(x, list):
            return self.repr_list(x, level)
        return super().repr1(x, level)


_BRIEF = _Brief()
_BRIEF.maxlevel, _BRIEF.maxlist, _BRIEF.maxdict = 3, 4, 4
_BRIEF.maxstring = _BRIEF.maxother = 60


def brief(value: Any, width: int = 40) -> str:
    """A value from a file as a message quotes it (`repr`), at most `width` characters.
    Made in bounded time and memory: a YAML alias bomb (`[*a, *a, ...]` nine times
    nested) is a list of a billion items, whose full repr would fill the memory."""
    text = repr(value[:width]) if isinstance(value, str) else _BRIEF.repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


T = TypeVar("T")


def visible_copy(value: T, keep: str = "") -> T:
    """A copy of a result, report or diff (any pydantic model, list, dict or string) in
    which every string is `visible`: what the human formats print from."""
    from pydantic import BaseModel

    if isinstance(value, str):
        return visible(value, keep)  # type: ignore[return-value]
    if isinstance(value, BaseModel):
        changed = {}
        for name in type(value).model_fields:
            old = getattr(value, name)
            new = visible_copy(old, keep)
            if new is not old:
                changed[name] = new
        return value.model_copy(update=changed) if changed else value
    if isinstance(value, list | tuple):
        items = type(value)(visible_copy(item, keep) for item in value)
        return value if items == value else items
    if isinstance(value, dict):
        pairs = {visible_copy(k, keep): visible_copy(v, keep) for k, v in value.items()}
        return value if pairs == value else pairs  # type: ignore[return-value]
    return value


_FORMULA = "'*[=+\\-@\t\r]"
"""The start of a cell a spreadsheet would run as a formula (OWASP's list: =, +, -, @,
tab, carriage return), after any apostrophes already there: those get one more, so that
taking one off always gives the cell back."""
_FORMULA_START = re.compile(_FORMULA)
FORMULA_START = "^" + _FORMULA
"""The same start as a regular expression of its own (for column-wise matching)."""
_MARKED = re.compile("'" + _FORMULA)
FORMULA_FIRST = frozenset("'=+-@\t\r")
"""The characters a cell that `formula_safe` changes can start with."""


def formula_safe(cell: Any) -> Any:
    """A CSV cell that a spreadsheet shows but never runs: text starting with a formula
    character gets a leading `'`, as OWASP advises. Numbers are left as they are."""
    if isinstance(cell, str) and _FORMULA_START.match(cell):
        return "'" + cell
    return cell


def formulas_safe(cells: list[Any]) -> list[Any]:
    """`formula_safe` on a column; a quick look first, as almost no column needs it: the
    cells joined by NUL, searched for NUL and each formula character, which finds every
    cell that needs it (and now and then one that does not, such as the number -5, then
    looked at one by one), about 20 times faster than a look at each cell."""
    joined = "\x00" + "\x00".join(map(str, cells))
    if not any("\x00" + first in joined for first in FORMULA_FIRST):
        return cells
    return [formula_safe(cell) for cell in cells]


def restore_formulas(table: dict[str, np.ndarray], text: str) -> None:
    """Undo `formula_safe` in the cells of a CSV file (`table`, an object array of text
    per column, read from `text`), so that figrecon reads its own CSV back unchanged."""
    if _MARKED.search(text) is None:
        return
    from .columns import object_array

    for col, column in table.items():
        cells = column.tolist()
        if "'" in {cell[:1] for cell in cells}:
            table[col] = object_array([cell[1:] if _MARKED.match(cell) else cell for cell in cells])


def day_text(day: object) -> str:
    """A day as figrecon writes it: YYYY-MM-DD, or `undated`."""
    return day.isoformat() if isinstance(day, dt.date) else "undated"


def figure_text(x: float | None) -> str:
    """A figure for a sentence: 9,900, 232.5, open (infinite), ? (unknown)."""
    if x is None or math.isnan(x):
        return "?"
    if math.isinf(x):
        return "open"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:,.1f}"
