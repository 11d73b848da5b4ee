"""Text from the data made safe where it is shown: in a terminal or a CI log, where a
control character would act instead of print (`visible`).

The data itself is never changed: this applies as an output is written.
"""

from __future__ import annotations

import re
from typing import TypeVar

_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]")
"""C0 and C1 controls and DEL (escape sequences: colour, cursor, window title, OSC 8
links, OSC 52 clipboard writes), the bidi embeddings, overrides and isolates that make
text read other than it is stored, lone surrogates (no terminal can print them) and
U+FFFE, U+FFFF (which XML cannot hold)."""


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str, keep: str = "") -> str:
    """`text` with every character of `_HIDDEN` (but those in `keep`) written as an
    escape, `\\x1b` or `\\u202e`, so that it prints as itself and does nothing."""
    if _HIDDEN.search(text) is None:
        return text
    return _HIDDEN.sub(lambda m: m.group() if m.group() in keep else _escaped(m), text)


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
