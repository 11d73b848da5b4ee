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
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import yaml

from .errors import UsageError
from .models import Finding, Severity
from .text import restore_formulas

if TYPE_CHECKING:
    import pandas as pd

    from .importers import Format, ImportOptions, Summed

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

# Limits far above any real dataset: input beyond them is not claims (a binary file, a
# log, a generated blob, an endless pipe) and is refused before it fills the memory.
MAX_INPUT_SIZE = 4 * 2**30
"""The default limit on one input, a file or standard input, in bytes (--max-input-size)."""
MAX_LINE = 32 * 2**20
"""The longest line, in bytes; in JSON, where a whole file is often one line, the
longest claim (or header value)."""
MAX_FIELDS = 10_000
"""The most columns of a CSV file, or field names in the claims (or header) of a file."""
MAX_DEPTH = 100
"""The deepest nesting of lists and mappings (claims are flat; parsers recurse)."""
_CHUNK = 2**20

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
            found, unreadable = _claim_files(path)
            findings.extend(unreadable)
            if not found and not unreadable:
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


_LEADING_SPACE = re.compile(r"\s*")


def _claim_files(folder: Path) -> tuple[list[Path], list[Finding]]:
    """The claim files below a folder, sorted, and a finding for each entry that cannot
    be read (a subfolder without permission, a broken link): claims must not vanish in
    silence. Hidden entries (.git) are left out, and links to folders are not followed
    (a `latest` link would read a folder twice, a link upwards forever)."""
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    pending = [folder]
    while pending:
        here = pending.pop()
        try:
            with os.scandir(here) as listing:
                entries = [entry for entry in listing if not entry.name.startswith(".")]
        except OSError as exc:
            problems.append((str(here), f"cannot be read ({exc.strerror})"))
            continue
        for entry in entries:
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                mode = entry.stat().st_mode  # through a link, to what it points to
            except FileNotFoundError:
                problems.append((str(path), "a broken link: what it points to does not exist"))
                continue
            except OSError as exc:
                problems.append((str(path), f"cannot be read ({exc.strerror})"))
                continue
            if stat.S_ISREG(mode) and path.suffix.lower() in CLAIM_SUFFIXES:
                files.append(path)
    findings = [
        error(
            "missing-file",
            name,
            None,
            what,
            "fix its permissions or the link, or move it out of the folder",
        )
        for name, what in sorted(problems)
    ]
    return sorted(files), findings


def sniff(name: str, path: Path | None, text: str, forced: str | None) -> str:
    """The format of a file: forced, from its extension, or from its first bytes."""
    if forced:
        return forced
    if path is not None and path.suffix.lower() in CLAIM_SUFFIXES:
        return CLAIM_SUFFIXES[path.suffix.lower()]
    start = _LEADING_SPACE.match(text).end()  # type: ignore[union-attr]
    head = text[start : start + 4096]
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


def size_text(size: int) -> str:
    """A number of bytes as people write it: 4 GiB, 32 MiB, 1.5 KiB, 700 bytes."""
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= scale:
            return f"{size / scale:.3g} {unit}"
    return f"{size} bytes"


@dataclass
class Raw:
    """The bytes of one input, and where its first line longer than MAX_LINE starts."""

    data: bytearray
    long_line: int | None = None


def line_at(data: bytes | bytearray, offset: int) -> int:
    """The line that a byte offset is on; a line ends at LF, CRLF or a lone CR."""
    crlf = data.count(b"\r\n", 0, offset)
    return data.count(b"\n", 0, offset) + data.count(b"\r", 0, offset) - crlf + 1


def _nul_width(encoding: str) -> int:
    """How many zero bytes make the NUL character in this encoding: 1 in UTF-8 and the
    8-bit encodings, 2 in UTF-16, 4 in UTF-32 (whose text is full of single zero
    bytes); 0 for a name that is no text encoding (reported when decoding)."""
    for width in (1, 2, 4):
        try:
            if bytes(width).decode(encoding) == "\0":
                return width
        except (UnicodeError, LookupError):
            continue
    return 0


def _find_nul(chunk: bytes, width: int) -> int:
    """The offset of the first NUL character in a chunk that starts on a character
    boundary of a fixed-width encoding (zero bytes across two characters are not one)."""
    zero = bytes(width)
    at = chunk.find(zero)
    while at > 0 and at % width:
        at = chunk.find(zero, at + 1)
    return at


_BOM_HINT = "the file starts with a UTF-16 byte-order mark: use -e utf-16, or save it as UTF-8"


def _nul_finding(name: str, data: bytearray, encoding: str, width: int) -> Finding:
    """A NUL character, the last one of `data`: binary data, or text in another encoding."""
    offset = len(data) - width
    if width == 1:
        line = line_at(data, offset)
    else:
        line = data[:offset].decode(encoding, errors="replace").count("\n") + 1
    hint = "a binary file (a spreadsheet, an archive) must first be saved as CSV, YAML or JSON"
    if width == 1 and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        hint = _BOM_HINT
    elif width == 1:
        hint = "if it is UTF-16 text, give -e utf-16; " + hint
    return error(
        "decode-error",
        name,
        line,
        f"a NUL character at byte {offset:,}: this is not {encoding} text",
        hint,
    )


@contextmanager
def _opened(path: Path | None) -> Iterator[Any]:
    """A binary stream of the file, or of standard input (left open: it is not ours).
    A closed standard input (`<&-`) reads as empty."""
    if path is not None:
        with path.open("rb") as stream:
            yield stream
    elif sys.stdin is None:
        yield io.BytesIO()
    else:
        yield sys.stdin.buffer


def read_bytes(
    name: str, path: Path | None, encoding: str, max_size: int = MAX_INPUT_SIZE
) -> tuple[Raw | None, Finding | None]:
    """The bytes of a file or of standard input, read a chunk at a time so that input
    that is no claim file stops early: beyond `max_size` bytes (an endless pipe), or
    at a NUL character (a binary file, /dev/zero). Lines are measured on the way, at a
    cost per chunk, not per line."""
    width = _nul_width(encoding)
    raw = Raw(bytearray())
    data = raw.data
    line_start = 0
    try:
        with _opened(path) as stream:
            if path is not None:
                info = os.fstat(stream.fileno())
                if stat.S_ISREG(info.st_mode) and info.st_size > max_size:
                    return None, _too_large(name, max_size)
            while chunk := stream.read(_CHUNK):
                if len(data) + len(chunk) > max_size:
                    return None, _too_large(name, max_size)
                # Chunks are read whole (a multiple of 4 bytes) up to the last: each
                # starts on a character boundary of UTF-16 and UTF-32.
                if width and (at := _find_nul(chunk, width)) >= 0:
                    data += chunk[: at + width]
                    return None, _nul_finding(name, data, encoding, width)
                if raw.long_line is None:
                    last = max(chunk.rfind(b"\n"), chunk.rfind(b"\r"))
                    # Lines that start and end inside a chunk are shorter than MAX_LINE:
                    # only the line running across chunks needs measuring.
                    end = len(data) + (len(chunk) if last < 0 else _first_break(chunk))
                    if end - line_start > MAX_LINE:
                        raw.long_line = line_start
                    if last >= 0:
                        line_start = len(data) + last + 1
                data += chunk
    except OSError as exc:
        return None, error(
            "missing-file",
            name,
            None,
            f"cannot be read ({exc.strerror})",
            "check the path and its permissions",
        )
    return raw, None


def _first_break(chunk: bytes) -> int:
    breaks = [at for at in (chunk.find(b"\n"), chunk.find(b"\r")) if at >= 0]
    return min(breaks)


def _too_large(name: str, max_size: int) -> Finding:
    return error(
        "over-limit",
        name,
        None,
        f"more than {size_text(max_size)}, the limit on one input",
        "split the data into several files, or raise --max-input-size",
    )


def long_line(name: str, raw: Raw) -> Finding | None:
    """The finding for a line longer than MAX_LINE: no claim file has one."""
    if raw.long_line is None:
        return None
    return error(
        "over-limit",
        name,
        line_at(raw.data, raw.long_line),
        f"a line longer than {size_text(MAX_LINE)}: this is not a claim file",
        "check that this is the file you meant; claims are short lines",
    )


def decode(name: str, data: bytearray, encoding: str) -> tuple[str | None, Finding | None]:
    try:
        text = data.decode(encoding)
        if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
            # Some codecs (utf-7, unicode_escape) can yield lone surrogates, which no
            # later step can encode: refuse them here, located.
            text.encode("utf-8")
        return text, None
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        return None, error(
            "decode-error",
            name,
            line,
            f"decoding as {encoding} gives an invalid character (U+{ord(text[exc.start]):04X})",
            "give the file's real encoding, e.g. -e utf-8",
        )
    except UnicodeDecodeError as exc:
        hint = "give the file's encoding with -e/--encoding, e.g. -e cp1251 or -e latin-1"
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            hint = _BOM_HINT
        return None, error(
            "decode-error",
            name,
            line_at(data, exc.start),
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


ESCAPE_CODECS = ("unicode-escape", "raw-unicode-escape")


def check_encoding(name: str) -> None:
    """Refuse an -e that is no character encoding: a codec of bytes (base64, rot13,
    zlib) or one that turns backslash escapes into characters, which makes control
    characters out of plain text. An unknown name is reported with each file."""
    import codecs

    try:
        codec = codecs.lookup(name)
    except LookupError:
        return
    if not codec._is_text_encoding:
        raise UsageError(
            f"-e {name}: not a character encoding but a codec of bytes; "
            "give the files' encoding, e.g. -e utf-8 or -e cp1251"
        )
    if codec.name in ESCAPE_CODECS:
        raise UsageError(
            f"-e {name}: this codec turns backslash escapes such as \\x1b into "
            "characters; give the files' encoding, e.g. -e utf-8 or -e latin-1"
        )


def read_text(
    name: str, path: Path | None, encoding: str, max_size: int = MAX_INPUT_SIZE
) -> tuple[str | None, Finding | None]:
    """A file of a line-based format (YAML, CSV), read and decoded."""
    raw, problem = read_bytes(name, path, encoding, max_size)
    if raw is None:
        return None, problem
    if (problem := long_line(name, raw)) is not None:
        return None, problem
    return decode(name, raw.data, encoding)


def read_file(
    name: str,
    path: Path | None,
    *,
    encoding: str = "utf-8-sig",
    forced: str | None = None,
    max_size: int = MAX_INPUT_SIZE,
    events: ImportOptions | None = None,
) -> FileRecords:
    """One input's records. A CSV file that is an event dataset (UCDP GED, ACLED, HXL),
    by its header or by `forced`, gives the claims `events` asks for."""
    raw, problem = read_bytes(name, path, encoding, max_size)
    if raw is None:
        return FileRecords(name, findings=[problem] if problem else [])
    dataset = _dataset(name, path, raw.data, encoding, forced)
    if dataset is not None:
        return _read_dataset(name, raw, encoding, dataset, events)
    text, problem = decode(name, raw.data, encoding)
    if text is None:
        return FileRecords(name, findings=[problem] if problem else [])
    if text.startswith("\ufeff"):
        text = text[1:]
    fmt = sniff(name, path, text, forced)
    if fmt != "json" and (problem := long_line(name, raw)) is not None:
        return FileRecords(name, findings=[problem])
    del raw  # the bytes are no longer needed: free them before parsing
    reader = {"yaml": read_yaml, "json": read_json, "ndjson": read_ndjson}.get(fmt)
    if reader is not None:
        return reader(name, text)
    return read_csv(name, text, "\t" if fmt == "tsv" else None)


_HEAD = 2**20
"""The bytes whose text tells an event dataset by its header: far more than its first rows."""


def _head(data: bytearray, encoding: str) -> str:
    """The text of the first bytes of a file, for its header (a character cut in two at
    the end, or an undecodable byte, is left to the reading of the whole)."""
    head = bytes(data[:_HEAD]).decode(encoding, errors="ignore")
    return head[1:] if head.startswith("\ufeff") else head


def _dataset(
    name: str, path: Path | None, data: bytearray, encoding: str, forced: str | None
) -> str | None:
    """The event dataset a file is (UCDP GED, ACLED, HXL): forced, or a CSV file whose
    header can only be that dataset's; None for claims."""
    from .importers import FORMATS as DATASETS

    if forced is not None:
        return forced if forced in DATASETS else None
    suffix = CLAIM_SUFFIXES.get(path.suffix.lower()) if path is not None else None
    if suffix not in (None, "csv", "tsv"):
        return None
    try:
        head = _head(data, encoding)
    except (LookupError, UnicodeError):  # reported when the whole file is decoded
        return None
    fmt = sniff(name, path, head, None)
    if fmt not in ("csv", "tsv"):
        return None
    from .importers import detect
    from .importers.events import first_rows

    return detect(first_rows(head, "\t" if fmt == "tsv" else _delimiter_of(head)))


def _read_dataset(
    name: str, raw: Raw, encoding: str, fmt: str, events: ImportOptions | None
) -> FileRecords:
    """The claims of an event dataset, as the records of a file."""
    from .importers import FORMATS as DATASETS
    from .importers import ImportOptions, records_of

    summed = dataset_claims(name, raw, encoding, DATASETS[fmt], events or ImportOptions())
    return records_of(name, summed)


def dataset_claims(
    name: str, raw: Raw, encoding: str, fmt: Format, events: ImportOptions
) -> Summed:
    """The claims of an event dataset's bytes. UTF-8 bytes go to pyarrow as they are (it
    checks the columns it reads); other encodings, or bytes it finds are not UTF-8, are
    decoded first (which locates a bad byte)."""
    from .importers import Summed, claims_of

    if (problem := long_line(name, raw)) is not None:
        return Summed(None, [problem])
    if codecs.lookup(encoding).name in ("utf-8", "utf-8-sig"):
        summed = claims_of(name, _head(raw.data, encoding), raw.data, fmt, events)
        if not any(f.code == "decode-error" for f in summed.findings):
            return summed
    text, problem = decode(name, raw.data, encoding)
    if text is None:
        return Summed(None, [problem] if problem else [])
    text = text[1:] if text.startswith("\ufeff") else text
    return claims_of(name, text[:_HEAD], text.encode("utf-8"), fmt, events)


# --- YAML --------------------------------------------------------------------------

_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Marked(dict):  # type: ignore[type-arg]
    """A mapping as read from a file, with where it was written: `line` of the mapping,
    `lines` of each key, and `dupes`, keys given twice (with the line of the repeat);
    `height`, the levels of mappings and lists it holds, itself included.

    Keeping these as attributes, not as extra keys, means no field name a user writes
    can collide with them."""

    line: int | None = None
    lines: dict[str, int]
    dupes: list[tuple[str, int | None]]
    height: int = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = {}
        self.dupes = []


class MarkedList(list):  # type: ignore[type-arg]
    """A sequence as read from a file, with the line of each item (and `height`, as
    for `Marked`)."""

    lines: list[int]
    height: int = 1


_TOO_DEEP = f"nested more than {MAX_DEPTH} levels deep"
_TOO_WIDE = f"a mapping of more than {MAX_FIELDS:,} fields"
_HINTS = {
    _TOO_DEEP: "claims are flat: `field: value` pairs, with a list of ids at most",
    _TOO_WIDE: "check that this is the file you meant; claims have a few fields each",
}


class OverLimit(ValueError):
    """A parsed structure beyond a limit: nested too deep, or a mapping too wide (at
    `line`, when known). Raised while parsing, to stop early."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = line


def _over_limit(name: str, problem: str, line: int | None) -> Finding:
    return error("over-limit", name, line, problem, _HINTS[problem])


def height(value: Any) -> int:
    """How many levels of lists and mappings a value read from a file holds. Mappings
    (and YAML lists) record their own as they are built, so no level is walked twice
    and no walk recurses; a JSON list is walked here, with a stack."""
    if isinstance(value, Marked | MarkedList):
        return value.height
    if not isinstance(value, list):
        return 0
    found, stack = 1, [(value, 1)]
    while stack and found <= MAX_DEPTH:
        items, level = stack.pop()
        for item in items:
            if isinstance(item, Marked | MarkedList):
                found = max(found, level + item.height)
            elif isinstance(item, list):
                found = max(found, level + 1)
                stack.append((item, level + 1))
    return found


class _LineLoader(_Base):  # type: ignore[misc, valid-type]
    """A safe loader that records the line of every mapping, key and list item, keeps
    text fields as written, and notes duplicate keys instead of silently keeping the
    last. Nesting deeper than MAX_DEPTH is refused where it starts, before the
    constructor's recursion (or a structure built of aliases) can go that deep."""

    _depth = 0

    def _enter(self, node: yaml.Node) -> None:
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise OverLimit(_TOO_DEEP, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode) and len(node.value) > MAX_FIELDS:
            raise OverLimit(_TOO_WIDE, node.start_mark.line + 1)

    def _built(self, node: yaml.Node, value: Marked | MarkedList, items: Iterable[Any]) -> None:
        self._depth -= 1
        value.height = 1 + max(map(height, items), default=0)
        if value.height > MAX_DEPTH:  # through aliases to structures built before
            raise OverLimit(_TOO_DEEP, node.start_mark.line + 1)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> Marked:
        self._enter(node)
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
        self._built(node, mapping, mapping.values())
        return mapping

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> MarkedList:
        self._enter(node)
        items = MarkedList(self.construct_object(child, deep=True) for child in node.value)
        items.lines = [child.start_mark.line + 1 for child in node.value]
        self._built(node, items, items)
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
    except OverLimit as exc:
        out.findings.append(_over_limit(name, exc.problem, exc.line))
        return out
    except RecursionError:  # the pure-Python parser, without libyaml, recurses first
        out.findings.append(_over_limit(name, _TOO_DEEP, None))
        return out
    except (yaml.YAMLError, ValueError) as exc:  # ValueError: an integer of 4,300 digits
        out.findings.append(
            error("yaml-syntax", name, None, f"not valid YAML: {exc}", "fix the YAML")
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
    """JSON objects keep duplicate keys as findings, not silently the last value, and
    their height, so that nesting is measured as it is read."""
    if len(pairs) > MAX_FIELDS:
        raise OverLimit(_TOO_WIDE)
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
            raise OverLimit(_TOO_DEEP)
    return mapping


_DECODER = json.JSONDecoder(object_pairs_hook=_json_object)


def _json_load(name: str, text: str, line: int | None = None) -> tuple[Any, Finding | None]:
    """One JSON document; `line` is where it starts in an NDJSON file (None: a JSON
    file, where a problem without a position is not put on any line)."""
    offset = line - 1 if line else 0
    try:
        data = _DECODER.decode(text)
    except json.JSONDecodeError as exc:
        return None, _json_syntax(name, exc, offset)
    except OverLimit as exc:
        return None, _over_limit(name, exc.problem, line)
    except RecursionError:
        return None, _over_limit(name, _TOO_DEEP, line)
    except ValueError as exc:  # an integer of more than 4,300 digits
        return None, error(
            "json-syntax",
            name,
            1 + offset,
            f"not valid JSON: {str(exc).split(';')[0]}",
            "claims are flat objects of short values",
        )
    if height(data) > MAX_DEPTH:
        return None, _over_limit(name, _TOO_DEEP, line)
    return data, None


_SURROGATE = re.compile(r"\\u[dD][89a-fA-F][0-9a-fA-F]{2}")
_LOW_HALF = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _lone_surrogate(name: str, text: str) -> Finding | None:
    """A `\\ud800`-style escape of half a UTF-16 surrogate pair without its other half:
    it decodes to no character, and nothing could write it out again."""
    if "\\ud" not in text and "\\uD" not in text:
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


def _skip_ws(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\r\n":
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


def read_json(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    if not text or text.isspace():
        return out
    problem = _lone_surrogate(name, text)
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
    return _records_from(name, data, "JSON", out, item_lines=item_lines)


def read_ndjson(name: str, text: str) -> FileRecords:
    out = FileRecords(name)
    problem = _lone_surrogate(name, text)
    if problem is not None:
        out.findings.append(problem)
        return out
    # Records end at "\n" only: U+2028 and other Unicode line breaks may appear inside
    # a JSON string and do not end a record.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
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
            header_row = next(csv.reader(_lines(text), delimiter=delimiter), [])
        except csv.Error as exc:
            out.findings.append(
                error("csv-syntax", name, 1, f"not valid CSV: {exc}", "fix the header")
            )
            return out
    if len(header_row) > MAX_FIELDS:
        out.findings.append(
            error(
                "over-limit",
                name,
                1,
                f"{len(header_row):,} columns, more than the {MAX_FIELDS:,} figrecon reads",
                "check the delimiter and that this is the file you meant",
            )
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
    header = next(_lines(text), "")
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


def _lines(text: str) -> Iterator[str]:
    """The lines of a text, each with its line break, one at a time: the csv module
    reads what it needs, where io.StringIO would first copy the whole text (at four
    bytes a character)."""
    start = 0
    while start < len(text):
        end = text.find("\n", start) + 1 or len(text)
        yield text[start:end]
        start = end


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
        reader = csv.reader(_lines(text), delimiter=delimiter)
        previous_end = 0
        for row in reader:
            widths.append(len(row))
            lines.append(previous_end + 1)
            previous_end = reader.line_num
    return np.asarray(widths, dtype=np.int64), np.asarray(lines, dtype=np.int64)
