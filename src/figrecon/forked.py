"""Work done by a forked copy of this process meanwhile, where one can be had: Linux
(where `os.fork` is safe to use) with two processors free to this process. The child
only reads what the parent computed before the fork (and, in `in_turn`, the numbers of
the parts it takes from a pipe) and writes a temporary file; anything that goes wrong in
it (an error, a full disk, a signal) leaves the work to the parent, so the result is the
same either way. A child that fails prints its traceback when
`tracebacks` is set (the command line's --debug).

Used for a large output (`render.halves`, and the rows of the table in
`render.table`), for `check`'s attribution of a large file (`checks.rules.semantic`) and
for reading the distinct phrases of a large input (`loading.normalize`), only while a
command of the command line runs (`allowed`).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, BinaryIO, TypeVar

Done = TypeVar("Done")
Value = TypeVar("Value")

allowed = False
"""Whether this process may fork for work: only while a command of the command line
runs (`cli.app`). A library caller's process is its own: it may hold threads (a fork
copies their locks, held or not) or use every core already."""

tracebacks = False
"""Whether a child that fails prints its traceback on stderr (set by --debug)."""


def two_processors() -> bool:
    """Whether this process may fork and has two processors to run on: two it may be
    scheduled on, and no CPU quota of its control group below two (a container run
    with `--cpus=1` sees every core of its host)."""
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    try:
        if len(os.sched_getaffinity(0)) < 2:
            return False
    except OSError:
        return False
    quota = cpu_quota()
    return quota is None or quota >= 2


def cpu_quota(root: str = "/sys/fs/cgroup") -> float | None:
    """The processors' worth of time this process's control group may take (cgroup v2's
    `cpu.max`, or v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us`); None without a quota
    (or where none can be read)."""
    try:
        with open(os.path.join(root, "cpu.max"), encoding="ascii") as f:
            quota, _, period = f.read().strip().partition(" ")
    except OSError:
        try:
            with open(os.path.join(root, "cpu", "cpu.cfs_quota_us"), encoding="ascii") as f:
                quota = f.read().strip()
            with open(os.path.join(root, "cpu", "cpu.cfs_period_us"), encoding="ascii") as f:
                period = f.read().strip()
        except OSError:
            return None
    try:
        limit, every = float(quota), float(period)
    except ValueError:  # "max": no quota
        return None
    return limit / every if limit > 0 and every > 0 else None


def meanwhile(
    here: Callable[[], Done], there: Callable[[BinaryIO], Any]
) -> tuple[Done, BinaryIO | None]:
    """`here()` in this process while a forked child does `there` into a temporary
    file; what `here` gave, and the child's file from its start, or None when no child
    did the work (none could be had, or it failed): the caller then does it. An error
    in `here` ends the child."""
    child = Forked(there)
    try:
        done = here()
    except BaseException:
        child.stop()
        raise
    return done, child.result()


def alongside(here: Callable[[], Done], there: Callable[[], Value]) -> tuple[Done, Value]:
    """`here()` in this process while a forked child computes `there()`, a value that
    pickles: what each gave. When no child did it, `there()` is computed here after
    `here()`, so the result is the same."""
    import pickle

    done, theirs = meanwhile(
        here, lambda out: pickle.dump(there(), out, protocol=pickle.HIGHEST_PROTOCOL)
    )
    if theirs is None:
        return done, there()
    with theirs:
        value: Value = pickle.load(theirs)
    return done, value


def in_turn(
    first: Callable[[], Done], count: int, part: Callable[[int], Value]
) -> tuple[Done, list[Value]]:
    """`first()` in this process while a forked child starts on the parts
    `part(0)` ... `part(count - 1)`; then both take the parts left, each the next one
    free (from a pipe that holds their numbers), so that neither waits long for the
    other however long `first` takes. What `first` gave, and the parts in order (each
    value pickles); the parts the child did not hand back are done here."""
    import pickle

    if not 0 < count <= 256:
        raise ValueError(f"in_turn takes 1 to 256 parts, not {count}")
    try:
        free, fill = os.pipe()
    except OSError:  # no file descriptor to be had: all of it here
        did = first()
        return did, [part(k) for k in range(count)]
    try:
        try:
            os.write(fill, bytes(range(count)))  # a pipe holds far more: no wait
        finally:
            os.close(fill)  # once read to its end, the pipe says so (b"")

        def taken() -> dict[int, Value]:
            done = {}
            while number := os.read(free, 1):
                done[number[0]] = part(number[0])
            return done

        def here() -> tuple[Done, dict[int, Value]]:
            did = first()
            return did, taken()

        (did, mine), theirs = meanwhile(
            here, lambda out: pickle.dump(taken(), out, protocol=pickle.HIGHEST_PROTOCOL)
        )
    finally:
        os.close(free)
    if theirs is not None:
        with theirs:
            mine.update(pickle.load(theirs))
    return did, [mine[k] if k in mine else part(k) for k in range(count)]


class Forked:
    """`work` done by a forked child into a temporary file (`result`), where a child
    can be had (`two_processors`); `stop` ends it.
    Whatever else the work writes to must be flushed by it: the child leaves without
    flushing anything."""

    def __init__(self, work: Callable[[BinaryIO], Any]) -> None:
        self.file: BinaryIO | None = None
        self.pid = -1
        if not (allowed and two_processors()):
            return  # no child: `result` is None, and the caller does the work
        import tempfile

        try:
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - result() hands it on
            parent = os.getpid()
            pid = os.fork()
        except OSError:  # no file or no process to be had
            if self.file is not None:
                self.file.close()
            self.file = None
            return
        if pid == 0:  # pragma: no cover - the child's coverage is not collected
            code = 1
            try:
                _die_with(parent)
                with open(self.file.fileno(), "wb", buffering=2**20, closefd=False) as f:
                    work(f)
                code = 0
            except BaseException:
                if tracebacks:
                    import traceback

                    sys.stderr.write(
                        "figrecon: a forked process failed; its parent does its work "
                        "instead:\n" + traceback.format_exc()
                    )
                    sys.stderr.flush()
            finally:
                # Straight out: no handler, buffer or clean-up of the parent's may run.
                os._exit(code)
        self.pid = pid

    def stop(self) -> None:
        """End the child, its work no longer wanted."""
        if self.file is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self.file.close()
        self.file = None

    def result(self) -> BinaryIO | None:
        """The child's file from its start, or None if it did not finish its work."""
        if self.file is None:
            return None
        try:
            _, status = os.waitpid(self.pid, 0)
        except BaseException:  # interrupted while waiting: the child goes too
            self.stop()
            raise
        if os.waitstatus_to_exitcode(status) != 0:
            self.file.close()
            return None
        self.file.seek(0)
        return self.file


def _die_with(parent: int) -> None:  # pragma: no cover - runs in the child
    """End this child when its parent ends (killed, or out through a broken pipe), not
    run on alone: Linux sends it SIGKILL then; and if the parent is gone already, go."""
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
