"""The figures as JSON (indented, for diffs in git) and NDJSON (a figure per line),
written as they are made: the figures come as JSON-shaped dicts (`engine.assemble`) and
go out in chunks, each serialized by pydantic-core, so that a million claims never make
one string of hundreds of megabytes. The bytes equal pydantic's own serialization of the
`Result` (a test holds them to it)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

from pydantic_core import PydanticSerializationError
from pydantic_core import to_json as _to_json

from .. import __version__
from ..model import FORMAT_VERSION, MethodBlock, Result
from .halves import write_halves

CHUNK = 2000
"""Figures serialized together: large enough that pydantic-core does the work, small
enough that memory stays flat."""


_CLOSE = b"\n  ]\n}"


def write_listed(
    head: Any,
    key: str,
    items: Iterable[Any],
    out: BinaryIO,
    mend: Callable[[list[Any]], list[Any]] | None = None,
) -> None:
    """`head` (a model or dict whose `key` is an empty list) as JSON with an indent of
    two, and a line break, with `items` serialized into that list a chunk at a time: the
    bytes of the whole document made at once, without making it at once. A chunk that
    cannot be serialized (a lone surrogate, which UTF-8 cannot hold) is serialized
    again as `mend` makes it, when given."""
    text = _to_json(head, indent=2)
    empty = b'\n  "' + key.encode("utf-8") + b'": []'
    at = text.index(empty) + len(empty) - 1
    out.write(text[:at])
    if _json_items(items, out, False, key, mend):
        out.write(b"\n  ")
    out.write(text[at:] + b"\n")


def write_json(
    method: MethodBlock,
    figures: Iterable[dict[str, Any]],
    out: BinaryIO,
    then: Iterable[dict[str, Any]] | None = None,
) -> None:
    """The document `Result.model_dump_json(indent=2)` gives, and a line break; with
    `then`, the figures that follow `figures`, made meanwhile by a second process
    (`halves`)."""
    head = {
        "format_version": FORMAT_VERSION,
        "figrecon": __version__,
        "method": method.model_dump(mode="json"),
    }
    text = _to_json(head, indent=2)
    out.write(text[: text.rindex(b"\n}")] + b',\n  "figures": [')
    if then is None:
        wrote = _json_items(figures, out, False)
    else:
        wrote = write_halves(figures, then, _json_items, out, b",")
    out.write(b"\n  ]\n}\n" if wrote else b"]\n}\n")


def _json_items(
    figures: Iterable[Any],
    out: BinaryIO,
    after: bool,
    key: str = "figures",
    mend: Callable[[list[Any]], list[Any]] | None = None,
) -> bool:
    """The figures (or any items) as items of the document's list under `key`, a comma
    before each chunk but the first (and before the first too, `after` others); whether
    any was written. `mend`: as in `write_listed`."""
    first = True
    opening = len(b'{\n  "": [') + len(key.encode("utf-8"))
    for chunk in _chunks(figures):
        # Serialized where the document has them, so that the items are indented as
        # they are in it: '{\n  "figures": [\n    {...},\n    {...}\n  ]\n}'.
        try:
            body = _to_json({key: chunk}, indent=2)
        except PydanticSerializationError:
            if mend is None:
                raise
            body = _to_json({key: mend(chunk)}, indent=2)
        items = memoryview(body)[opening : len(body) - len(_CLOSE)]
        if after or not first:
            out.write(b",")
        out.write(items)
        first = False
    return not first


def write_ndjson(
    figures: Iterable[dict[str, Any]],
    out: BinaryIO,
    then: Iterable[dict[str, Any]] | None = None,
) -> None:
    """One figure per line, as `Figure.model_dump_json()` gives it; `then` as in
    `write_json`."""
    if then is None:
        _ndjson_lines(figures, out, False)
    else:
        write_halves(figures, then, _ndjson_lines, out)


def _ndjson_lines(figures: Iterable[dict[str, Any]], out: BinaryIO, after: bool) -> bool:
    wrote = False
    for chunk in _chunks(figures):
        out.write(b"".join(_to_json(f) + b"\n" for f in chunk))
        wrote = True
    return wrote


def _chunks(figures: Iterable[Any]) -> Iterator[list[Any]]:
    it = iter(figures)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def to_json(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"


def to_ndjson(result: Result) -> str:
    return "".join(f.model_dump_json() + "\n" for f in result.figures)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
