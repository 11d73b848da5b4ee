"""Reading claim files: YAML, CSV/TSV, JSON and NDJSON, directories and standard input.

Each reader turns one file into a `FileRecords`: the file header (YAML/JSON), one row
per claim with its line number (and, in YAML/JSON, the line of each field), and the
findings of anything it could not read. Validation of the values is not done here
(see `claims`); this module only knows the formats.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import yaml

from .models import Finding, Severity
from .text import restore_formulas

if TYPE_CHECKING:
    import pandas as pd

CLAIM_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
}
FORMATS = ("yaml", "csv", "tsv", "json", "ndjson")
STDIN = "-"
STDIN_NAME = "<stdin>"

# Scalars of these keys are kept as written: `value: 9.900` is "9.900", not 9.9,
# `id: 007` stays "007", and a bad date such as 2022-13-01 reaches validation as text.
_RAW_KEYS = frozenset(
    {
        "id",
        "value",
        "event",
        "metric",
        "group",
        "location",
        "period",
        "source",
        "via",
        "url",
        "quote",
        "note",
        "name",
        "stated_on",
        "as_of",
        "low",
        "high",
        "best",
    }
)


# Lists of claim ids: each id kept as written, like `id` itself.
_ID_LIST_KEYS = frozenset({"retracts", "parts"})


def _written(node: yaml.Node) -> bool:
    """A scalar with a value (not null, ~ or empty), to be kept as its text."""
    return (
        isinstance(node, yaml.ScalarNode)
        and node.tag != "tag:yaml.org,2002:null"
        and not (node.style is None and node.value in ("", "~", "null", "Null", "NULL"))
    )


def error(
    code: str,
    file: str | None,
    line: int | None,
    message: str,
    hint: str | None = None,
    field: str | None = None,
    claim: str | None = None,
) -> Finding:
    return Finding(
        code=code,
        severity=Severity.error,
        file=file,
        line=line,
        field=field,
        claim=claim,
        message=message,
        hint=hint,
    )


@dataclass
class FileRecords:
    """What one claim file holds, not yet validated."""

    name: str
    header: dict[str, Any] = field(default_factory=dict)
    header_lines: dict[str, int] = field(default_factory=dict)
    rows: list[dict[str, Any]] = field(default_factory=list)
    """Claims from YAML/JSON: raw field values."""
    lines: list[int] = field(default_factory=list)
    """The line of each claim in `rows`."""
    field_lines: list[dict[str, int]] = field(default_factory=list)
    frame: pd.DataFrame | None = None
    """Claims from CSV/TSV: one string column per field, in file order."""
    frame_lines: Any = None
    """Line numbers of the frame's rows (computed only when needed)."""
    findings: list[Finding] = field(default_factory=list)


# --- finding the files --------------------------------------------------------------


def expand(paths: list[str]) -> tuple[list[tuple[str, Path | None]], list[Finding]]:
    """Claim files named by `paths`: directories give every claim file below them in
    sorted order; `-` is standard input (path None)."""
    out: list[tuple[str, Path | None]] = []
    findings: list[Finding] = []
    for raw in paths:
        if raw == STDIN:
            out.append((STDIN_NAME, None))
            continue
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in CLAIM_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
            if not found:
                findings.append(
                    error(
                        "no-claim-files",
                        raw,
                        None,
                        "the folder holds no claim files",
                        "claim files end in " + ", ".join(sorted(CLAIM_SUFFIXES)),
                    )
                )
            out.extend((str(p), p) for p in found)
        elif path.exists():
            # Files, and also pipes such as /dev/stdin or <(command).
            out.append((raw, path))
        else:
            findings.append(
                error("missing-file", raw, None, "no such file or folder", "check the path")
            )
    return out, findings


def sniff(name: str, path: Path | None, text: str, forced: str | None) -> str:
    """The format of a file: forced, from its extension, or from its first bytes."""
    if forced:
        return forced
    if path is not None and path.suffix.lower() in CLAIM_SUFFIXES:
        return CLAIM_SUFFIXES[path.suffix.lower()]
    head = text.lstrip()[:4096]
    if head.startswith("["):
        return "json"
    if head.startswith("{"):
        _, _, rest = head.partition("\n")
        return "ndjson" if rest.lstrip().startswith("{") else "json"
    # YAML starts with a document marker, a comment, a list item or `key: value`; a
    # CSV header line has no `word: ` in it.
    if head.startswith(("---", "#", "- ")) or re.match(r"[\w.-]+:(\s|$)", head):
        return "yaml"
    return "tsv" if "\t" in head.partition("\n")[0] else "csv"


def read_text(name: str, path: Path | None, encoding: str) -> tuple[str | None, Finding | None]:
    try:
        data = sys.stdin.buffer.read() if path is None else path.read_bytes()
    except OSError as exc:
        return None, error(
            "missing-file",
            name,
            None,
            f"cannot be read ({exc.strerror})",
            "check the path and its permissions",
        )
    try:
        text = data.decode(encoding)
        if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
            # Some codecs (utf-7, unicode_escape) can yield lone surrogates, which no
            # later step can encode: refuse them here, located.
            text.encode("utf-8")
        return text, None
    except UnicodeEncodeError as exc:
        line = text[: exc.start].count("\n") + 1
        return None, error(
            "decode-error",
            name,
            line,
            f"decoding as {encoding} gives an invalid character (U+{ord(text[exc.start]):04X})",
            "give the file's real encoding, e.g. -e utf-8",
        )
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        hint = "give the file's encoding with -e/--encoding, e.g. -e cp1251 or -e latin-1"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = (
                "the file starts with a UTF-16 byte-order mark: use -e utf-16, or save it as UTF-8"
            )
        return None, error(
            "decode-error",
            name,
            line,
            f"not valid {encoding} (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint,
        )
    except UnicodeError:
        return None, error(
            "decode-error",
            name,
            None,
            f"cannot be decoded as {encoding}",
            "give the file's encoding, e.g. -e utf-8",
        )
    except LookupError:
        return None, error(
            "bad-encoding", name, None, f"unknown encoding {encoding!r}", "e.g. -e utf-8"
        )


def read_file(
    name: str, path: Path | None, *, encoding: str = "utf-8-sig", forced: str | None = None
) -> FileRecords:
    text, problem = read_text(name, path, encoding)
    if problem is not None or text is None:
        return FileRecords(name, findings=[problem] if problem else [])
    if text.startswith("\ufeff"):
        text = text[1:]
    fmt = sniff(name, path, text, forced)
    reader = {"yaml": read_yaml, "json": read_json, "ndjson": read_ndjson}.get(fmt)
    if reader is not None:
        return reader(name, text)
    return read_csv(name, text, "\t" if fmt == "tsv" else None)


# --- YAML --------------------------------------------------------------------------

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Marked(dict):  # type: ignore[type-arg]
    """A mapping as read from a file, with where it was written: `line` of the mapping,
    `lines` of each key, and `dupes`, keys given twice (with the line of the repeat).

    Keeping these as attributes, not as extra keys, means no field name a user writes
    can collide with them."""

    line: int | None = None
    lines: dict[str, int]
    dupes: list[tuple[str, int | None]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}
        self.dupes = []


class MarkedList(list):  # type: ignore[type-arg]
    """A sequence as read from a file, with the line of each item."""

    lines: list[int]


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that records the line of every mapping, key and list item, keeps
    text fields as written, and notes duplicate keys instead of silently keeping the
    last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Marked:
        # `<<: *defaults` merge keys, as YAML 1.1 defines them; explicit keys win.
        own = sum(k.tag != "tag:yaml.org,2002:merge" for k, _ in node.value)
        self.flatten_mapping(node)
        merged = len(node.value) - own  # flatten puts the merged pairs first
        mapping = Marked()
        mapping.line = node.start_mark.line + 1
        own_keys: set[str] = set()
        for index, (key_node, value_node) in enumerate(node.value):
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if index >= merged:
                if key in own_keys:
                    mapping.dupes.append((key, line))
                own_keys.add(key)
            value: Any
            if key in _RAW_KEYS and _written(value_node):
                value = value_node.value
            elif (
                key in _ID_LIST_KEYS
                and isinstance(value_node, yaml.SequenceNode)
                and all(_written(child) for child in value_node.value)
            ):
                # Ids as written: `retracts: [010]` names claim "010", not 8.
                value = MarkedList(child.value for child in value_node.value)
                value.lines = [child.start_mark.line + 1 for child in value_node.value]
            elif key in _ID_LIST_KEYS and _written(value_node):
                value = value_node.value
            else:
                value = self.construct_object(value_node, deep=True)
            mapping[key] = value
            mapping.lines[key] = line
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> MarkedList:
        items = MarkedList(self.construct_object(child, deep=True) for child in node.value)
        items.lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


def _dupes(name: str, mapping: Any, out: FileRecords, line: int | None) -> None:
    for dup, dline in getattr(mapping, "dupes", ()):
        out.findings.append(
            error(
                "duplicate-key",
                name,
                dline if dline is not None else line,
                f"`{dup}` is given twice",
                "keep one",
                dup,
            )
        )


def _records_from(
    name: str,
    data: Any,
    fmt: str,
    out: FileRecords,
    top_line: int = 1,
    item_lines: list[int] | None = None,
) -> FileRecords:
    """Shared by YAML and JSON: a list of claims, a header mapping with `claims`, or
    (JSON) one claim object on its own."""
    if isinstance(data, list):
        claims: Any = data
    elif isinstance(data, dict):
        _dupes(name, data, out, top_line)
        if "claims" not in data and ("value" in data or "metric" in data) and fmt == "JSON":
            # A JSON file holding one claim object, as an API would return it.
            claims = [data]
            item_lines = [getattr(data, "line", None) or top_line]
        else:
            lines = getattr(data, "lines", {})
            claims = data.get("claims")
            out.header = {k: v for k, v in data.items() if k != "claims"}
            out.header_lines = {k: lines.get(k, top_line) for k in out.header}
            if "claims" not in data:
                out.findings.append(
                    error(
                        "no-claims",
                        name,
                        top_line,
                        "the file has no `claims:` list",
                        f"put the claims under `claims:` or make the {fmt} file a list of claims",
                    )
                )
                return out
            if claims is None:
                return out  # `claims:` with nothing under it: a file with no claims yet
            item_lines = getattr(claims, "lines", None) or item_lines
            top_line = lines.get("claims", top_line)
    elif data is None:
        return out  # an empty file holds no claims
    else:
        out.findings.append(
            error(
                "not-claims",
                name,
                top_line,
                "expected a list of claims or a mapping with `claims:`, "
                f"found {type(data).__name__}",
                "see the claim format in the README",
            )
        )
        return out
    if not isinstance(claims, list):
        out.findings.append(
            error(
                "not-claims",
                name,
                top_line,
                "`claims` must be a list",
                "write `claims:` then `- id: ...` items",
            )
        )
        return out
    if item_lines is None:
        item_lines = getattr(claims, "lines", None)
    for index, item in enumerate(claims):
        where = item_lines[index] if item_lines and index < len(item_lines) else top_line
        if not isinstance(item, dict):
            out.findings.append(
                error(
                    "not-a-claim",
                    name,
                    where,
                    f"claim {index + 1} must be a mapping of fields, found {_shown(item)}",
                    "write each claim as `field: value` pairs",
                )
            )
            continue
        line = getattr(item, "line", None) or where
        _dupes(name, item, out, line)
        out.rows.append(item)
        out.lines.append(line)
        out.field_lines.append(dict(getattr(item, "lines", {})))
    return out


def _shown(item: Any) -> str:
    text = repr(item)
    return text if len(text) <= 40 else text[:37] + "..."


def read_yaml(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        if exc.context_mark is not None and exc.problem_mark is not None:
            started = exc.context_mark.line + 1
            if started != line:
                # An unclosed quote or bracket is reported where it opened.
                problem += f" (from line {started} to line {line})"
                line = started
        out.findings.append(
            error(
                "yaml-syntax",
                name,
                line,
                f"not valid YAML: {problem}",
                "fix the YAML near this line",
            )
        )
        return out
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        # ValueError: an integer of more than 4,300 digits; RecursionError: nesting
        # deeper than Python's stack.
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        out.findings.append(
            error("yaml-syntax", name, None, f"not valid YAML: {reason}", "fix the YAML")
        )
        return out
    return _records_from(name, data, "YAML", out)


# --- JSON and NDJSON ---------------------------------------------------------------


def _json_syntax(name: str, exc: json.JSONDecodeError, line_offset: int = 0) -> Finding:
    return error(
        "json-syntax",
        name,
        exc.lineno + line_offset,
        f"not valid JSON: {exc.msg} (column {exc.colno})",
        "fix the JSON near this line",
    )


def _json_object(pairs: list[tuple[str, Any]]) -> Marked:
    """JSON objects keep duplicate keys as findings, not silently the last value."""
    mapping = Marked()
    for key, value in pairs:
        if key in mapping:
            mapping.dupes.append((key, None))
        mapping[key] = value
    return mapping


_DECODER = json.JSONDecoder(object_pairs_hook=_json_object)


def _json_load(name: str, text: str, line_offset: int = 0) -> tuple[Any, Finding | None]:
    try:
        return _DECODER.decode(text), None
    except json.JSONDecodeError as exc:
        return None, _json_syntax(name, exc, line_offset)
    except RecursionError:
        problem = "nested too deeply"
    except ValueError as exc:  # an integer of more than 4,300 digits
        problem = str(exc).split(";")[0]
    return None, error(
        "json-syntax",
        name,
        1 + line_offset,
        f"not valid JSON: {problem}",
        "claims are flat objects of short values",
    )


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
        i += 1
    return i


def _json_items(text: str, start: int) -> Iterator[int]:
    """The offset of each element of the JSON array starting at `start` (the text is
    known to be valid JSON)."""
    i = _skip_ws(text, start + 1)
    if i < len(text) and text[i] == "]":
        return
    while True:
        _, end = _DECODER.raw_decode(text, i)
        yield i
        i = _skip_ws(text, end)
        if i < len(text) and text[i] == ",":
            i = _skip_ws(text, i + 1)
            continue
        return


def _json_keys(text: str) -> dict[str, int]:
    """Offsets of the values of a top-level JSON object's keys (the last of repeats)."""
    i = _skip_ws(text, 0)
    found: dict[str, int] = {}
    if text[i] != "{":
        return found
    i = _skip_ws(text, i + 1)
    while i < len(text) and text[i] != "}":
        key, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        i = _skip_ws(text, i + 1)  # the colon
        found[key] = i
        _, i = _DECODER.raw_decode(text, i)
        i = _skip_ws(text, i)
        if text[i] == ",":
            i = _skip_ws(text, i + 1)
    return found


def read_json(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    if not text or text.isspace():
        return out
    data, problem = _json_load(name, text)
    if problem is not None:
        out.findings.append(problem)
        return out
    start: int | None = None
    keys: dict[str, int] = {}
    if isinstance(data, list):
        start = _skip_ws(text, 0)
    elif isinstance(data, dict):
        keys = _json_keys(text)
        if isinstance(data.get("claims"), list):
            start = keys.get("claims")
        cast(Marked, data).lines = {k: text.count("\n", 0, off) + 1 for k, off in keys.items()}
    item_lines = None
    if start is not None:
        item_lines = [text.count("\n", 0, off) + 1 for off in _json_items(text, start)]
    return _records_from(name, data, "JSON", out, item_lines=item_lines)


def read_ndjson(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    # Records end at "\n" only: U+2028 and other Unicode line breaks may appear inside
    # a JSON string and do not end a record.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        item, problem = _json_load(name, line, number - 1)
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
        _dupes(name, item, out, number)
        out.rows.append(item)
        out.lines.append(number)
        out.field_lines.append({})
    return out


# --- CSV and TSV -------------------------------------------------------------------


def normalize_column(name: str) -> str:
    """Header names are case-insensitive; spaces and hyphens read as underscores."""
    return "_".join(name.strip().lower().replace("-", " ").split())


def read_csv(name: str, text: str, delimiter: str | None) -> FileRecords:
    import pandas as pd

    out = FileRecords(name)
    if not text or text.isspace():
        return out
    if "\r" in text:
        # Old Mac files end lines with a lone CR; Windows files with CRLF.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if delimiter is None:
        delimiter = _delimiter_of(text)
    with _large_fields():
        try:
            header_row = next(csv.reader(io.StringIO(text), delimiter=delimiter), [])
        except csv.Error as exc:
            out.findings.append(
                error("csv-syntax", name, 1, f"not valid CSV: {exc}", "fix the header")
            )
            return out
    if not header_row:
        out.findings.append(
            error(
                "csv-syntax",
                name,
                1,
                "the first line is empty",
                "put the column names (the header) on line 1",
            )
        )
        return out
    columns = [normalize_column(c) for c in header_row]
    seen: dict[str, int] = {}
    # Columns without a name are allowed only if they hold nothing (the trailing
    # delimiters of a spreadsheet export); checked once the rows are read.
    unnamed = [i for i, col in enumerate(columns) if not col]
    for i in unnamed:
        columns[i] = f"<unnamed {i + 1}>"
    for position, col in enumerate(columns, start=1):
        if col in seen:
            out.findings.append(
                error(
                    "duplicate-column",
                    name,
                    1,
                    f"column `{col}` appears twice (columns {seen[col]} and {position})",
                    "keep one",
                    col,
                )
            )
        seen.setdefault(col, position)
    if out.findings:
        return out
    data = text.encode("utf-8")
    widths, lines = _csv_layout(data, text, delimiter)
    # Every row must have the header's fields: pandas would silently pad a short row
    # or, when the first row is long, take the first column as an index and shift
    # every value into the wrong field.
    bad = np.flatnonzero((widths[1:] != len(columns)) & (widths[1:] > 0))
    for pos in bad[:_MAX_ROW_FINDINGS]:
        out.findings.append(
            error(
                "csv-syntax",
                name,
                int(lines[pos + 1]),
                f"this row has {widths[pos + 1]} fields, the header has {len(columns)}",
                'quote values that contain the delimiter ("some 9,900"), or fix the row',
            )
        )
    if len(bad) > _MAX_ROW_FINDINGS:
        out.findings.append(
            error(
                "csv-syntax",
                name,
                int(lines[bad[_MAX_ROW_FINDINGS] + 1]),
                f"and {len(bad) - _MAX_ROW_FINDINGS} more rows with the wrong number of fields",
                "check the delimiter and the quoting",
            )
        )
    if out.findings:
        return out
    try:
        # The C parser reads bytes about twice as fast as a text stream.
        frame = pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            sep=delimiter,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        out.findings.append(_parser_error(name, str(exc), lines))
        return out
    frame.columns = columns
    if len(lines) - 1 == len(frame):
        out.frame_lines = lines[1:]
    else:  # pragma: no cover - the layout and pandas disagree on an unusual file
        out.frame_lines = range(2, len(frame) + 2)
    for i in unnamed:
        filled = np.flatnonzero(frame.iloc[:, i].to_numpy() != "")
        if len(filled):
            out.findings.append(
                error(
                    "empty-column-name",
                    name,
                    int(np.asarray(out.frame_lines)[filled[0]]),
                    f"column {i + 1} has no name but holds values",
                    "name it in the header (line 1), or delete it",
                )
            )
    if out.findings:
        return out
    if unnamed:
        frame = frame.drop(columns=[columns[i] for i in unnamed])
    # Blank lines and rows of empty fields (",,,,", '"",""', as spreadsheets export
    # them) hold nothing: skipped, whatever else the file holds. Only rows whose first
    # field is empty are examined, so a million-row file pays for one column.
    maybe: np.ndarray = (
        np.flatnonzero(frame.iloc[:, 0].to_numpy() == "") if frame.shape[1] else np.empty(0, int)
    )
    if len(maybe):
        empty = maybe[(frame.iloc[maybe] == "").all(axis=1).to_numpy()]
        if len(empty):
            keep = np.ones(len(frame), dtype=bool)
            keep[empty] = False
            frame = frame.loc[keep].reset_index(drop=True)
            out.frame_lines = np.asarray(out.frame_lines)[keep]
    restore_formulas(frame, text)
    out.frame = frame
    return out


def _parser_error(name: str, message: str, lines: np.ndarray) -> Finding:
    """pandas' tokenizer error, located: it counts records from 0 at the header, and
    `lines` holds the line each record starts on."""
    unclosed = re.search(r"EOF inside string starting at row (\d+)", message)
    if unclosed:
        row = int(unclosed.group(1))
        line = int(lines[row]) if row < len(lines) else None
        return error(
            "csv-syntax",
            name,
            line,
            "a quoted value opened on this line is never closed",
            'close the quote, and double any quote inside the value ("")',
        )
    return error("csv-syntax", name, None, f"not valid CSV: {message}", "fix the file")


def _delimiter_of(text: str) -> str:
    """The delimiter of a file whose extension does not fix one (`.csv` may be written
    with semicolons where the comma is the decimal mark): the one that splits the
    header into the most names; a comma unless another does better. Only the header is
    looked at: the values below it (quotes above all) hold every kind of punctuation,
    and csv.Sniffer, reading them, takes "police said; ten dead" for a delimiter."""
    header = text.split("\n", 1)[0]
    best, most = ",", 0
    for candidate in (",", ";", "\t", "|"):
        try:
            fields = len(next(csv.reader([header], delimiter=candidate), []))
        except csv.Error:
            continue
        if fields > most:
            best, most = candidate, fields
    return best


_MAX_ROW_FINDINGS = 50
"""Rows with the wrong number of fields reported one by one; beyond this, a count."""


@contextmanager
def _large_fields() -> Iterator[None]:
    """Lets the csv module read fields longer than its 131,072-character default (a
    long quote is a claim's right)."""
    old = csv.field_size_limit()
    csv.field_size_limit(sys.maxsize)
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _csv_layout(data: bytes, text: str, delimiter: str) -> tuple[np.ndarray, np.ndarray]:
    """The number of fields and the first line of every record (header first), from
    the bytes, vectorized. Quoted fields may hold delimiters and line breaks. A blank
    line has 0 fields. Files whose quotes do not follow the usual rules (a quote inside
    an unquoted field) are scanned with the csv module instead."""
    b = np.frombuffer(data, dtype=np.uint8)
    quotes = np.flatnonzero(b == ord('"'))
    if len(quotes) and not _regular_quotes(b, quotes, ord(delimiter)):
        return _csv_layout_slow(text, delimiter)
    newlines = np.flatnonzero(b == 10)
    ends = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    if len(b) and b[-1] != 10:
        ends = np.append(ends, len(b))
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    delims = np.flatnonzero(b == ord(delimiter))
    delims = delims[np.searchsorted(quotes, delims) % 2 == 0]
    widths = np.searchsorted(delims, ends) - np.searchsorted(delims, starts) + 1
    widths[ends == starts] = 0
    lines = np.searchsorted(newlines, starts) + 1
    return widths.astype(np.int64), lines.astype(np.int64)


def _regular_quotes(b: np.ndarray, quotes: np.ndarray, delimiter: int) -> bool:
    """Every quote opens a field, closes one, or is doubled inside one."""
    n = len(b)
    separators = np.array([delimiter, 10], dtype=np.uint8)
    opening, closing = quotes[0::2], quotes[1::2]
    if len(opening) != len(closing):
        return False
    before = np.where(opening > 0, b[np.maximum(opening - 1, 0)], 10)
    after = np.where(closing + 1 < n, b[np.minimum(closing + 1, n - 1)], 10)
    # A doubled quote "" inside a field closes and reopens: the reopening quote follows
    # a quote directly, and the closing one is followed by one.
    ok_open = np.isin(before, separators) | (before == ord('"'))
    ok_close = np.isin(after, separators) | (after == ord('"'))
    return bool(ok_open.all() and ok_close.all())


def _csv_layout_slow(text: str, delimiter: str) -> tuple[np.ndarray, np.ndarray]:
    widths: list[int] = []
    lines: list[int] = []
    with _large_fields():
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        previous_end = 0
        for row in reader:
            widths.append(len(row))
            lines.append(previous_end + 1)
            previous_end = reader.line_num
    return np.asarray(widths, dtype=np.int64), np.asarray(lines, dtype=np.int64)
