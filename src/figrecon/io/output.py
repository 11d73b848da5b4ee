"""Writing an `-o` file: whole or not at all, and never over a file the run reads.

The text goes to a temporary file beside the target, is flushed to disk, and is then
renamed over the target in one step. A full disk, an error, Ctrl-C or SIGTERM at any
moment leaves the old file as it was and removes the temporary file; even SIGKILL leaves
the target whole, at worst with a hidden `.NAME.<16 hex digits>.figrecon-tmp` beside it.
"""

from __future__ import annotations

import os
import secrets
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from ..errors import UsageError

TEMP_SUFFIX = ".figrecon-tmp"


def refuse_inputs(output: Path, reads: Iterable[tuple[str, Path]]) -> None:
    """Refuse `output` when it is one of the files the run reads (`reads` pairs what a
    file is, e.g. "the --sources registry (reg.yaml)", with its path). The same file
    under any name counts: a symlink, a hard link, another spelling of the path."""
    try:
        target = os.stat(output)
    except OSError:
        return  # a file that does not exist yet is no input
    for what, path in reads:
        try:
            same = os.path.samestat(target, os.stat(path))
        except OSError:
            continue
        if same:
            raise UsageError(f"-o {output}: that is {what}; choose another output path")


def same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same file under any name when both exist,
    else the same path once resolved (a file about to be written)."""
    try:
        return os.path.samestat(os.stat(a), os.stat(b))
    except OSError:
        return a.resolve() == b.resolve()


def write_file(path: Path, text: str | bytes) -> None:
    """Write `text` (as UTF-8), or bytes, to `path`, replacing the file in one step; an
    existing file keeps its permission bits, and a symlink keeps pointing at the new file."""
    with open_output(path) as handle:
        handle.write(text.encode("utf-8") if isinstance(text, str) else text)


@contextmanager
def open_output(path: Path) -> Iterator[BinaryIO]:
    """A file to write `path` in pieces, as an output is made: the pieces go to a
    temporary file beside it, which replaces `path` in one step when the block ends
    without an error (see `write_file`). An error, Ctrl-C or SIGTERM inside the block
    leaves the old file as it was."""
    try:
        old = os.stat(path)  # through links
    except OSError:
        old = None  # a new file (or one that cannot be written, which opening will say)
    if old is not None and not stat.S_ISREG(old.st_mode):
        # /dev/null, a named pipe: nothing to replace, and no folder to write beside it.
        # Opened by the name given: /dev/stdout on a pipe resolves to no path at all.
        with open(path, "wb") as handle:
            yield handle
        return
    target = Path(os.path.realpath(path))
    # Named before it is made, with 64 random bits so that the name is free: a signal
    # that comes just as the file is made still leaves the cleanup its name.
    temp = target.with_name(f".{target.name[:100]}.{secrets.token_hex(8)}{TEMP_SUFFIX}")
    with _terminable():
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with open(fd, "wb", buffering=1 << 20) as handle:
                yield handle
                handle.flush()
                os.fsync(fd)
            if old is not None:
                os.chmod(temp, stat.S_IMODE(old.st_mode))
            os.replace(temp, target)
        except BaseException as exc:
            if not isinstance(exc, FileExistsError):  # only O_EXCL says that: not ours
                with suppress(OSError):
                    os.unlink(temp)
            raise
    _sync(target.parent)


def _sync(folder: Path) -> None:
    """Make the rename itself durable (where a folder can be opened and synced)."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _Terminated(BaseException):
    """SIGTERM arrived during a write."""


@contextmanager
def _terminable() -> Iterator[None]:
    """SIGTERM during the block raises, so that the block cleans up; then the process
    ends by the signal, as it would have. Only where SIGTERM has its default action
    (a handler someone installed is theirs to keep) and in the main thread."""
    if (
        threading.current_thread() is not threading.main_thread()
        or signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL
    ):
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _Terminated

    signal.signal(signal.SIGTERM, stop)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
        raise SystemExit(128 + signal.SIGTERM) from None  # where the signal did not end it
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
