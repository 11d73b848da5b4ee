"""Reading JSON and NDJSON claim files, in time linear in the file, with the line of every
claim and field, and located errors for syntax and lone surrogates.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, cast

from ..model import Finding
from .arrow import arrow_json
from .limits import MAX_DEPTH, MAX_FIELDS, MAX_LINE, size_text
from .records import (
    TOO_DEEP,
    TOO_WIDE,
    Columns,
    FileRecords,
    Marked,
    OverLimit,
    duplicate_keys,
    error,
    height,
    over_limit,
    records_from,
)


def _json_syntax(name: str, exc: json.JSONDecodeError, line_offset: int = 0) -> Finding:
    return error(
        "json-syntax",
        name,
        exc.lineno + line_offset,
        f"not valid JSON: {exc.msg} (column {exc.colno})",
        "fix the JSON near this line",
    )


class NotANumber(ValueError):
    """A number JSON cannot give: the `NaN` and `Infinity` that Python's decoder takes
    by default (they are not JSON, and a NaN figure would read as a missing one), or a
    number too large for a float (`1e309`, which would read as `inf`)."""

    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _no_constant(literal: str) -> Any:
    raise NotANumber(literal)


def _finite(literal: str) -> float:
    number = float(literal)
    if number in (math.inf, -math.inf):
        raise NotANumber(literal)
    return number


STRICT: dict[str, Any] = {"parse_constant": _no_constant, "parse_float": _finite}
"""What every decoder of figrecon's is given: it refuses what JSON has not."""


def strict_loads(text: str) -> Any:
    """`json.loads` of a JSON text that refuses what JSON has not (`NotANumber`)."""
    return json.loads(text, **STRICT)


_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN|-?[0-9][0-9.eE+-]*)')
"""A JSON text's strings (skipped) and its literals that are no string."""


def _not_a_number(name: str, text: str, exc: NotANumber, offset: int) -> Finding:
    """The line of the first literal `exc` names (outside every string), and what to
    write instead."""
    at = next(
        (m.start() for m in _TOKENS.finditer(text) if m.group(1) == exc.literal),
        0,
    )
    what = (
        "is not JSON"
        if exc.literal.lstrip("-") in ("NaN", "Infinity")
        else "is too large for any number"
    )
    return error(
        "json-syntax",
        name,
        text.count("\n", 0, at) + 1 + offset,
        f"not valid JSON: `{exc.literal}` {what}",
        "write a number or a text in quotes, or leave the field out when it is not known",
    )


def _json_object(pairs: list[tuple[str, Any]]) -> Marked:
    """JSON objects keep duplicate keys as findings, not silently the last value, and
    their height, so that nesting is measured as it is read."""
    if len(pairs) > MAX_FIELDS:
        raise OverLimit(TOO_WIDE)
    mapping = Marked(pairs)
    if len(mapping) < len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                mapping.dupes.append((key, None))
            seen.add(key)
    kinds = set(map(type, mapping.values()))
    if list in kinds or Marked in kinds:
        mapping.height = 1 + max(map(height, mapping.values()))
        if mapping.height > MAX_DEPTH:
            raise OverLimit(TOO_DEEP)
    return mapping


_DECODER = json.JSONDecoder(object_pairs_hook=_json_object, **STRICT)


def _json_load(name: str, text: str, line: int | None = None) -> tuple[Any, Finding | None]:
    """One JSON document; `line` is where it starts in an NDJSON file (None: a JSON
    file, where a problem without a position is not put on any line)."""
    offset = line - 1 if line else 0
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        return None, _json_syntax(name, exc, offset)
    except OverLimit as exc:
        return None, over_limit(name, exc.problem, line)
    except RecursionError:
        return None, over_limit(name, TOO_DEEP, line)
    except NotANumber as exc:
        return None, _not_a_number(name, text, exc, offset)
    except ValueError as exc:  # an integer of more than 4,300 digits
        return None, error(
            "json-syntax",
            name,
            1 + offset,
            f"not valid JSON: {str(exc).split(';')[0]}",
            "claims are flat objects of short values",
        )
    if height(data) > MAX_DEPTH:
        return None, over_limit(name, TOO_DEEP, line)
    return data, None


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")


_LOW_HALF = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _lone_surrogate(name: str, text: str) -> Finding | None:
    """A `\\ud800`-style escape of half a UTF-16 surrogate pair without its other half:
    it decodes to no character, and nothing could write it out again."""
    # One character is found by memchr, 8 times faster than three (a file of 260 MB:
    # 0.03 s against 0.37 s); most files have no backslash at all.
    if "\\" not in text or ("\\ud" not in text and "\\uD" not in text):
        return None
    paired = -1
    for match in _SURROGATE.finditer(text):
        at = match.start()
        before = at
        while before > 0 and text[before - 1] == "\\":
            before -= 1
        if (at - before) % 2 or at == paired:
            continue  # `\\ud800` is a backslash and text; or the low half of a pair
        if text[at + 3] in "89abAB" and _LOW_HALF.match(text, match.end()):
            paired = match.end()
            continue
        return error(
            "json-syntax",
            name,
            text.count("\n", 0, at) + 1,
            f"`{match.group()}` escapes half of a UTF-16 surrogate pair, which is no character",
            "write the character itself (or both halves of its pair)",
        )
    return None


def line_numbers(text: str, offsets: Iterable[int]) -> list[int]:
    """The line of each offset in `text`, given in increasing order. Each count of line
    breaks starts where the previous one ended, so the text is scanned once however
    many offsets there are (counting from the start for each claim made reading a
    file quadratic)."""
    lines: list[int] = []
    line, previous = 1, 0
    for offset in offsets:
        if offset < previous:
            raise ValueError("offsets must be in increasing order")
        line += text.count("\n", previous, offset)
        previous = offset
        lines.append(line)
    return lines


_WHITESPACE = " \t\r\n"
"""What JSON allows between its tokens."""


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in _WHITESPACE:
        i += 1
    return i


def _json_items(text: str, start: int) -> Iterator[tuple[int, int]]:
    """Where each element of the JSON array starting at `start` begins and ends (the
    text is known to be valid JSON)."""
    i = _skip_ws(text, start + 1)
    if i < len(text) and text[i] == "]":
        return
    while True:
        _, end = _DECODER.raw_decode(text, i)
        yield i, end
        i = _skip_ws(text, end)
        if i < len(text) and text[i] == ",":
            i = _skip_ws(text, i + 1)
            continue
        return


def _json_keys(text: str) -> dict[str, tuple[int, int]]:
    """Where the value of each key of a top-level JSON object begins and ends (the
    last of repeats)."""
    i = _skip_ws(text, 0)
    found: dict[str, tuple[int, int]] = {}
    if text[i] != "{":
        return found
    i = _skip_ws(text, i + 1)
    while i < len(text) and text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        start = _skip_ws(text, i + 1)  # after the colon
        _, i = _DECODER.raw_decode(text, start)
        found[key] = (start, i)
        i = _skip_ws(text, i)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    return found


def _oversized(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] takes more than MAX_LINE bytes in UTF-8 (encoded only
    when its length in characters leaves it in doubt)."""
    span = end - start
    return span > MAX_LINE or (
        span > MAX_LINE // 4 and len(text[start:end].encode("utf-8")) > MAX_LINE
    )


def _too_long(name: str, line: int, what: str) -> Finding:
    return error(
        "over-limit",
        name,
        line,
        f"{what} takes more than {size_text(MAX_LINE)}: this is not a claim file",
        "check that this is the file you meant; claims are short records",
    )


_PAIRS = json.JSONDecoder(object_pairs_hook=list, **STRICT)
"""Decodes an object as its list of (key, value) pairs, in C: a flat claim is then a
dict of scalars at once, and a key given twice shows as fewer keys than pairs."""

_NO_FIELD_LINES: dict[str, int] = {}
"""One line holds every field of an NDJSON claim: shared by all of them, never written."""


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _flat(pairs: Any, columns: Columns) -> bool:
    """Add a JSON object read by `_PAIRS` (a list of pairs) to `columns`, if it is a
    flat claim (`_flat_all`); False, and nothing added, otherwise."""
    return _flat_all((pairs,), list, columns, nested=True)


def _flat_all(objects: Iterable[Any], kind: type, columns: Columns, nested: bool) -> bool:
    """Add JSON objects (each decoded as its pairs, a `kind`) to `columns` while each is a
    flat claim: no more than MAX_FIELDS fields, no key given twice, no list or mapping
    among its values (looked for only if the text may hold one: `nested`). False at the
    first that is not (the ones before it are added): `_json_load` reads the file then,
    with every check. The hook that marks every mapping as it is built costs about 8 µs
    a claim; this path about 1."""
    for item in objects:
        if type(item) is not kind:
            return False
        pairs: Any = item
        if len(pairs) > MAX_FIELDS:
            return False
        keys, values = zip(*pairs, strict=True) if pairs else ((), ())
        if nested and not _SCALARS.issuperset(map(type, values)):
            return False  # a list, or a mapping read as its pairs
        if keys not in columns.buckets and len(set(keys)) != len(keys):
            return False
        columns.add(keys, values)
    return True


_OBJECTS = json.JSONDecoder(object_pairs_hook=tuple, **STRICT)
"""Decodes an object as the tuple of its (key, value) pairs, and an array as a list."""

_BRACE = re.compile("{")

_ARRAY_CHUNK = 20_000
"""Claims of a JSON array decoded in one call by `_flat_array`."""


def _flat_array(name: str, text: str) -> FileRecords | None:
    """A JSON file that is an array of flat claims, decoded a chunk of claims at a time
    (one call of the C decoder for 20,000 claims takes half the time of one call per
    claim); None when it is not one or when the claims cannot be found that way, and
    `_flat_claims` reads it claim by claim.

    Every claim opens with a brace, and a flat claim holds no other; so the braces are
    where the claims begin unless a text value holds one. Each chunk of the text cut at
    a brace is decoded as an array, which must give exactly as many claims as the chunk
    has braces: a brace inside a text is one too many for its chunk, or cuts that text
    in two where a chunk ends, and the chunk then cannot be decoded."""
    starts = [brace.start() for brace in _BRACE.finditer(text)]
    if not starts or text[: starts[0]].strip(_WHITESPACE) != "[":
        return None
    ends = [*starts[1:], len(text)]
    if max(end - start for start, end in zip(starts, ends, strict=True)) > MAX_LINE // 4:
        return None  # a claim may be over the limit: `_flat_claims` tells
    out = FileRecords(name, columns=Columns())
    columns = out.columns
    assert columns is not None
    # Only an array (the claims' one aside) can hide a list or a mapping among values.
    nested = text.count("[") > 1
    for first in range(0, len(starts), _ARRAY_CHUNK):
        stop = min(first + _ARRAY_CHUNK, len(starts))
        if stop < len(starts):
            piece = text[starts[first] : starts[stop]].rstrip(_WHITESPACE)
            if not piece.endswith(","):
                return None
            piece = "[" + piece[:-1] + "]"
        else:
            piece = "[" + text[starts[first] :]
        try:
            claims = _OBJECTS.decode(piece)
        except (ValueError, RecursionError):  # bad JSON, too deep, a 4,300-digit integer
            return None
        if len(claims) != stop - first or not _flat_all(claims, tuple, columns, nested):
            return None
    out.lines = line_numbers(text, starts)
    out.field_lines = [_NO_FIELD_LINES] * len(starts)
    return out


def _flat_claims(name: str, text: str) -> FileRecords | None:
    """A JSON file that is a list of flat claims, read in one pass into columns, with
    the line of each; None for any other file, which `read_json` reads with every
    check."""
    out = FileRecords(name, columns=Columns())
    assert out.columns is not None
    i = _skip_ws(text, 0)
    if not text.startswith("[", i):
        return None
    i = _skip_ws(text, i + 1)
    starts: list[int] = []
    try:
        while not text.startswith("]", i):
            if not text.startswith("{", i):
                return None
            pairs, end = _PAIRS.raw_decode(text, i)
            if end - i > MAX_LINE // 4 or not _flat(pairs, out.columns):
                return None
            starts.append(i)
            i = _skip_ws(text, end)
            if text.startswith(",", i):
                i = _skip_ws(text, i + 1)
                if not text.startswith("{", i):
                    return None  # `[{...},]`: JSON has no trailing comma
            elif not text.startswith("]", i):
                return None
    except (ValueError, RecursionError):  # bad JSON, too deep, or a 4,300-digit integer
        return None
    if _skip_ws(text, i + 1) != len(text):
        return None
    out.lines = line_numbers(text, starts)
    out.field_lines = [_NO_FIELD_LINES] * len(starts)
    return out


def read_json(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    if not text or text.isspace():
        return out
    problem = _lone_surrogate(name, text)
    if problem is None:
        quick = (
            arrow_json(name, text, array=True)
            or _flat_array(name, text)
            or _flat_claims(name, text)
        )
        if quick is not None:
            return quick
    data = None
    if problem is None:
        data, problem = _json_load(name, text)
    if problem is not None:
        out.findings.append(problem)
        return out
    start: int | None = None
    if isinstance(data, list):
        start = _skip_ws(text, 0)
    elif isinstance(data, dict):
        keys = sorted(_json_keys(text).items(), key=lambda item: item[1])
        lines = line_numbers(text, [begin for _, (begin, _) in keys])
        cast(Marked, data).lines = {key: line for (key, _), line in zip(keys, lines, strict=True)}
        if isinstance(data.get("claims"), list):
            start = dict(keys)["claims"][0]
        for (key, (begin, end)), line in zip(keys, lines, strict=True):
            if key != "claims" and _oversized(text, begin, end):
                out.findings.append(_too_long(name, line, f"`{key}`"))
    item_lines = None
    if start is not None:
        spans = list(_json_items(text, start))
        item_lines = line_numbers(text, [begin for begin, _ in spans])
        for index, ((begin, end), line) in enumerate(zip(spans, item_lines, strict=True)):
            if _oversized(text, begin, end):
                out.findings.append(_too_long(name, line, f"claim {index + 1}"))
    if out.findings:
        return out
    return records_from(name, data, "JSON", out, item_lines=item_lines)


def read_ndjson(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    problem = _lone_surrogate(name, text)
    if problem is not None:
        out.findings.append(problem)
        return out
    quick = arrow_json(name, text, array=False)
    if quick is not None:
        return quick
    # Records end at "\n" only: U+2028 and other Unicode line breaks may appear inside
    # a JSON string and do not end a record.
    columns = out.columns = Columns()
    for number, line in enumerate(text.split("\n"), start=1):
        if line.startswith("{"):
            try:
                if _flat(_PAIRS.decode(line), columns):
                    out.lines.append(number)
                    continue
            except (ValueError, RecursionError):
                pass  # located by `_json_load`
        elif not line.strip():
            continue
        item, problem = _json_load(name, line, number)
        if problem is not None:
            out.findings.append(problem)
            continue
        if not isinstance(item, dict):
            out.findings.append(
                error(
                    "not-a-claim",
                    name,
                    number,
                    "each line must be a JSON object (one claim)",
                    "write one {...} per line",
                )
            )
            continue
        duplicate_keys(name, item, out, number)
        columns.add(tuple(item), tuple(item.values()))
        out.lines.append(number)
    out.field_lines = [_NO_FIELD_LINES] * columns.n
    return out
