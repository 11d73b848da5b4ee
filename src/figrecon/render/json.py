"""The figures as JSON (indented, for diffs in git) and NDJSON (a figure per line),
written as they are made: the figures come as JSON-shaped dicts (`engine.assemble`) and
go out in chunks, each serialized by pydantic-core, so that a million claims never make
one string of hundreds of megabytes. The bytes equal pydantic's own serialization of the
`Result` (a test holds them to it)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any, BinaryIO

from pydantic_core import to_json as _to_json

from .. import __version__
from ..model import FORMAT_VERSION, MethodBlock, Result

CHUNK = 2000
"""Figures serialized together: large enough that pydantic-core does the work, small
enough that memory stays flat."""


_OPEN = b'{\n  "figures": ['
_CLOSE = b"\n  ]\n}"


def write_json(method: MethodBlock, figures: Iterable[dict[str, Any]], out: BinaryIO) -> None:
    """The document `Result.model_dump_json(indent=2)` gives, and a line break."""
    head = {
        "format_version": FORMAT_VERSION,
        "figrecon": __version__,
        "method": method.model_dump(mode="json"),
    }
    text = _to_json(head, indent=2)
    out.write(text[: text.rindex(b"\n}")] + b',\n  "figures": [')
    first = True
    for chunk in _chunks(figures):
        # Serialized where the document has them, so that the items are indented as
        # they are in it: '{\n  "figures": [\n    {...},\n    {...}\n  ]\n}'.
        body = _to_json({"figures": chunk}, indent=2)
        items = memoryview(body)[len(_OPEN) : len(body) - len(_CLOSE)]
        if not first:
            out.write(b",")
        out.write(items)
        first = False
    out.write(b"]\n}\n" if first else b"\n  ]\n}\n")


def write_ndjson(figures: Iterable[dict[str, Any]], out: BinaryIO) -> None:
    """One figure per line, as `Figure.model_dump_json()` gives it."""
    for chunk in _chunks(figures):
        out.write(b"".join(_to_json(f) + b"\n" for f in chunk))


def _chunks(figures: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    it = iter(figures)
    while chunk := list(islice(it, CHUNK)):
        yield chunk


def to_json(result: Result) -> str:
    return result.model_dump_json(indent=2) + "\n"


def to_ndjson(result: Result) -> str:
    return "".join(f.model_dump_json() + "\n" for f in result.figures)


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n"
