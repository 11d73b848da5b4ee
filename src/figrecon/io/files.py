"""Input files: expanding paths and folders, reading bytes within the limits on input
(size, NUL bytes, line length), decoding them, and the encodings that are refused.
"""

from __future__ import annotations

import codecs
import io
import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from ..model import Finding
from .limits import MAX_INPUT_SIZE, MAX_LINE, size_text
from .records import error

if TYPE_CHECKING:
    pass


CLAIM_SUFFIXES = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".xlsx": "xlsx",
    ".ods": "ods",
}


STDIN = "-"


STDIN_NAME = "<stdin>"


_CHUNK = 2**20


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
    return _once(out, findings), findings


def _once(
    files: list[tuple[str, Path | None]], findings: list[Finding]
) -> list[tuple[str, Path | None]]:
    """The files, each once: a file given twice (by two names, or by its name and a
    folder that holds it) would read as every claim twice, each id "already used" at
    its own line. An error names both."""
    seen: dict[tuple[int, int], str] = {}
    out = []
    for name, path in files:
        try:
            st = os.stat(path) if path is not None else None
        except OSError:
            st = None
        if st is None or not stat.S_ISREG(st.st_mode):
            out.append((name, path))
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen:
            findings.append(
                error(
                    "duplicate-file",
                    name,
                    None,
                    f"the file is given twice (also as {seen[key]})",
                    "give each file once",
                )
            )
            continue
        seen[key] = name
        out.append((name, path))
    return out


def _claim_files(folder: Path) -> tuple[list[Path], list[Finding]]:
    """The claim files below a folder, sorted, and a finding for each entry that cannot
    be read (a subfolder without permission, a broken link; a named pipe, a socket or a
    link to a device named as a claim file): claims must not vanish in silence. Hidden
    entries (.git) are left out, and links to folders are not followed (a `latest` link
    would read a folder twice, a link upwards forever). Only the kind of an entry is
    looked at, never its content: opening a named pipe waits for a writer."""
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
            if path.suffix.lower() not in CLAIM_SUFFIXES or stat.S_ISDIR(mode):
                continue
            if (what := file_kind(mode)) is not None:
                link = "a link to " if entry.is_symlink() else ""
                problems.append((str(path), f"not a regular file ({link}{what})"))
            else:
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


def file_kind(mode: int) -> str | None:
    """What a file of this mode is when it is no regular file, as people call it (None
    for a regular file): the one line that refuses it says what was found."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def irregular(path: Path) -> str | None:
    """What the file at `path` (through a link) is, when it is there but no regular
    file (`file_kind`): a file named by an option is read only if its end is known, not
    from a device such as /dev/zero, which never ends, or a named pipe, which waits for
    a writer. None for a regular file, or a path that cannot be looked at, which
    reading it reports."""
    try:
        return file_kind(path.stat().st_mode)
    except (OSError, ValueError):
        return None


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
    hint = (
        "a binary file (an archive, an image) holds no claims: they are text (YAML, CSV, "
        "JSON) or spreadsheets (.xlsx, .ods)"
    )
    if data.startswith(b"PK\x03\x04"):
        # A workbook is a ZIP archive, and so is a dataset as it is downloaded (UCDP's
        # GED comes as a .zip of its CSV).
        hint = (
            "a ZIP archive: a workbook is read when it is named FILE.xlsx or FILE.ods (or "
            "given --input-format); any other archive holds no claims: unzip it and give the "
            "files inside"
        )
    elif width == 1 and data.startswith((b"\xff\xfe", b"\xfe\xff")):
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
    name: str,
    path: Path | None,
    encoding: str,
    max_size: int = MAX_INPUT_SIZE,
    *,
    text: bool = True,
) -> tuple[Raw | None, Finding | None]:
    """The bytes of a file or of standard input, read a chunk at a time so that input
    that is no claim file stops early: beyond `max_size` bytes (an endless pipe), or,
    for `text`, at a NUL character (a binary file, /dev/zero). Lines are measured on
    the way, at a cost per chunk, not per line."""
    width = _nul_width(encoding) if text else 0
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
