"""The `figrecon` command: the application, its edge (every error becomes one line and an
exit code) and the consoles. Each command lives in a module of its own beside this one;
each parses its invocation, calls the library, renders, and picks the exit code. Data
goes to stdout, messages for people to stderr.

Exit codes: 0 success; 1 findings (`check`, `diff --fail-on-change`); 2 bad invocation
or unusable input; 70 internal error (rerun with --debug for the traceback).
"""

from __future__ import annotations

import atexit
import contextlib
import errno
import gc
import io
import os
import signal
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from .. import __version__
from ..errors import FigreconError, InputError, UsageError
from ..text import visible

if TYPE_CHECKING:
    from rich.console import Console


EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 70


app = typer.Typer(
    name="figrecon",
    help="Reconcile conflicting casualty and detention figures into low / best / high "
    "ranges with confidence notes.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


state = {"debug": False, "quiet": False, "unwritable": False, "ending": False}

kept: list[Any] = []
"""What a command keeps to the end of the process (`keep_until_exit`)."""


def keep_until_exit(*objects: Any) -> None:
    """Keep what a large run made (a million claims, their batches and notes) to the end
    of a figrecon process, which the system takes back at once (`run`): freed when the
    command returns, one object at a time, it took 0.2 s after the output was written.
    A caller of `main` gets its memory back as usual."""
    if state["ending"]:
        kept.extend(objects)


# rich is imported when something is shown through it, not by every run: most of the
# time of a small run is its start-up.


def stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, emoji=False)


def stdout() -> Console:
    from rich.console import Console

    return Console(highlight=False, emoji=False)


def stdout_is_terminal() -> bool:
    """Whether rich would take standard output for a terminal (and colour it), asked of
    rich only when it may: stdout is a terminal, or the environment forces one."""
    forced = ("TTY_COMPATIBLE", "FORCE_COLOR")  # what rich's Console.is_terminal reads
    try:
        maybe = sys.stdout.isatty()
    except (AttributeError, ValueError):
        maybe = False
    return (maybe or any(name in os.environ for name in forced)) and stdout().is_terminal


TOLD = 10_000
"""Lines `tell` writes at a time."""


def tell(*lines: str) -> None:
    """Lines for people on stderr, always (error lines); what came from the data is
    shown, not obeyed: every control character is written as an escape (`visible`), so a
    line is plain text and goes to the stream as it is. (Through rich, 300,000 error
    lines of a file with one wrong column took 13.5 s; a line that is plain text and
    soft-wrapped comes out of rich unchanged.)"""
    err = sys.stderr
    if not lines or err is None:
        return
    for at in range(0, len(lines), TOLD):
        err.write("".join([visible(line) + "\n" for line in lines[at : at + TOLD]]))
    err.flush()


def say(*lines: str) -> None:
    """Messages for people on stderr that --quiet silences: what was written, warnings,
    hints (never an error line)."""
    if not state["quiet"]:
        tell(*lines)


def fail(lines: list[str], code: int = EXIT_USAGE) -> NoReturn:
    tell(*lines)
    raise typer.Exit(code)


@contextmanager
def edge(undone: str = "nothing was reconciled") -> Iterator[None]:
    """Turn the library's exceptions into one line each and an exit code; after
    several problems, a line that counts them and says what was not done (`undone`)."""
    try:
        yield
    except InputError as exc:
        lines = [str(f) for f in exc.findings]
        if len(lines) > 1:
            lines.append(f"{len(exc.findings)} problems; {undone}.")
        fail(lines)
    except UsageError as exc:
        fail(exc.problems or [str(exc)])
    except FigreconError as exc:
        fail([str(exc)])


def _version(value: bool) -> None:
    if value:
        typer.echo(f"figrecon {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show the traceback of an internal error.")
    ] = False,
) -> None:
    """figrecon: where do the figures stand, and why."""
    state["debug"] = debug or bool(os.environ.get("FIGRECON_DEBUG"))
    from .. import forked

    forked.tracebacks = state["debug"]  # of a child that fails, in a large run


def one_blas_thread() -> None:
    """Keep numpy's linear-algebra library (OpenBLAS) to one thread. figrecon does no
    linear algebra, but OpenBLAS starts a thread per core when numpy is imported, and
    they spin on the processor for a while: a run over a small file took about 0.5 s of
    processor time for 0.4 s of wall time, and 0.38 s of each with one thread. A user's
    own OPENBLAS_NUM_THREADS or OMP_NUM_THREADS is left as it is."""
    if "OPENBLAS_NUM_THREADS" not in os.environ and "OMP_NUM_THREADS" not in os.environ:
        os.environ["OPENBLAS_NUM_THREADS"] = "1"


def keep_freed_memory() -> bool:
    """Ask glibc's allocator to keep memory the process frees for its next arrays.

    By default glibc gives freed memory back to the system: blocks above its mmap
    threshold (128 KiB at first, adapting to what is freed) at once, and free memory at
    the top of its heap beyond a trim threshold. The next array then comes back as fresh
    pages, each zeroed by the kernel on first touch. A run over a million claims makes
    and frees thousands of arrays of megabytes: on a 2-core machine that was 550,000 page
    faults and 5.5 s of system time in a 21 s `reconcile`. With arrays up to 32 MiB taken
    from the heap, up to 512 MiB of free heap kept and 16 MiB added at each growth, it
    was 430,000 faults and 3-4 s. Settings the user made (MALLOC_*_ or GLIBC_TUNABLES in
    the environment) are left as they are; on other C libraries and systems this does
    nothing. Returns whether the allocator took all three settings."""
    if not sys.platform.startswith("linux"):
        return False
    if "glibc.malloc" in os.environ.get("GLIBC_TUNABLES", "") or any(
        name.startswith("MALLOC_") for name in os.environ
    ):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    # Each is tried (32 MiB is above 32-bit glibc's largest mmap threshold; the other two
    # still apply there). The values fit a C int.
    taken = [
        mallopt(option, value) == 1
        for option, value in (
            (m_mmap_threshold, 32 * 1024 * 1024),
            (m_trim_threshold, 512 * 1024 * 1024),
            (m_top_pad, 16 * 1024 * 1024),
        )
    ]
    return all(taken)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    # A run is short and builds millions of small objects on big inputs: the cyclic
    # collector would scan them again and again (several seconds for a million claims)
    # while finding almost nothing to free. Pause it for the run; restore it after.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _command(argv)
    finally:
        if collecting:
            gc.enable()


def run() -> NoReturn:
    """The `figrecon` program (its console script and `python -m figrecon`): the command,
    as `main` runs it, then the end of the process without taking the interpreter apart.

    Python's own exit frees every object and module one by one, and collects cycles
    again once the collector is back on: without it a run over the Kazakhstan file took
    269 ms against 297 ms, and one over a million claims ends 0.2-0.4 s sooner, for
    memory the system takes back at once. The output is complete by then: `-o` files
    are written and closed inside the command, and the standard streams are flushed
    here (a stdout that cannot take the rest is one line and exit 2). The exit handlers
    that libraries registered still run (matplotlib removes its temporary folder so);
    under a profiler or tracer (cProfile, trace, coverage), which write their results
    on the way out, the process leaves the usual way."""
    gc.disable()  # stays off: the process ends here
    state["ending"] = True  # only here does os._exit follow (`keep_until_exit`)
    try:
        code = _command(None)
    finally:
        state["ending"] = False
    leave(code)


def leave(code: int) -> NoReturn:
    """Flush the standard streams, run the exit handlers, and end the process with
    `code` (the usual way under a profiler or tracer, or where Python offers no way to
    run the handlers alone)."""
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        if not state["unwritable"]:  # else the command's own write failed, and said so
            code = max(code, _unwritable(exc))
    with contextlib.suppress(OSError):  # nowhere left to say so
        if sys.stderr is not None:
            sys.stderr.flush()
    handlers = getattr(atexit, "_run_exitfuncs", None)  # CPython's, as its own tests use
    if handlers is None or sys.getprofile() is not None or sys.gettrace() is not None:
        kept.clear()  # the usual way out frees them anyway; a caller that goes on keeps nothing
        sys.exit(code)
    handlers()
    os._exit(code)


def _command(argv: list[str] | None) -> int:
    """Parse and run one command line (sys.argv when `argv` is None); the exit code.
    A large run may fork for the command's time (`forked.allowed`)."""
    from .. import forked

    state["unwritable"] = False
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    if argv is None:  # the process is figrecon (not a caller of `main`)
        keep_freed_memory()
        one_blas_thread()
    forked.allowed = True
    try:
        with closed_stdout_refused(), only_the_command(sys.argv[1:] if argv is None else argv):
            app(args=argv, prog_name="figrecon", standalone_mode=True)
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else EXIT_USAGE)
    except KeyboardInterrupt:
        return 130
    except MemoryError:
        # Most often the input's size against the memory the process may take (an
        # endless pipe under a memory limit ran out before --max-input-size stopped it);
        # --debug shows where, for the rest.
        if _debugging(argv):
            return _internal(MemoryError(), argv)
        _tell_anyway(
            "figrecon: out of memory; the input is larger than this machine (or its "
            "memory limit) can hold: split it (--max-input-size stops a larger input "
            "early); rerun with --debug for where it ran out"
        )
        return EXIT_USAGE
    except UnicodeEncodeError as exc:
        if exc.encoding.replace("-", "").lower() in ("utf8", "utf16", "utf32"):
            return _internal(exc, argv)  # not the output's encoding: a fault of figrecon
        tell(
            f"figrecon: the output has characters that {exc.encoding} cannot hold, the "
            "encoding Python gave the standard output; write to a file with -o (UTF-8), "
            "or set PYTHONIOENCODING=utf-8"
        )
        return EXIT_USAGE
    except OSError as exc:
        if isinstance(exc, ClosedOutput) or (exc.errno in _FULL and exc.filename is None):
            return _unwritable(exc)
        return _internal(exc, argv)
    except Exception as exc:
        return _internal(exc, argv)
    finally:
        forked.allowed = forked.tracebacks = False
    return EXIT_OK


class ClosedOutput(OSError):
    """A write to a standard output the process was started without (`>&-`)."""

    def __init__(self) -> None:
        super().__init__(errno.EBADF, "standard output is closed")


class _Closed(io.RawIOBase):
    """What `sys.stdout` is while a command runs without one: Python leaves it None,
    and each writer went its own way (an internal error from some, the output silently
    lost by rich and typer in others). Every write now fails alike, with one line and
    exit 2 (`ClosedOutput`); a command writing only to `-o` files runs as usual."""

    encoding = "utf-8"
    errors = "strict"

    @property
    def buffer(self) -> _Closed:
        return self

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        raise ClosedOutput()


@contextmanager
def closed_stdout_refused() -> Iterator[None]:
    """`_Closed` as sys.stdout for the command's time, if there is none."""
    if sys.stdout is not None:
        yield
        return
    sys.stdout = _Closed()
    try:
        yield
    finally:
        sys.stdout = None


_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})
"""Errors of a write that no retry of the same command mends: the disk or quota is full.
An `-o` file says so with its path (`cli.options.output_stream`); the standard output
and figrecon's temporary files have none."""


def _unwritable(exc: OSError) -> int:
    """One line for an output that could not be written to its end; the exit code."""
    state["unwritable"] = True
    if isinstance(exc, ClosedOutput):
        what = "run it with a standard output (not >&-), or write a file with -o if it has one"
    elif exc.errno in _FULL:
        what = (
            "check the free space where it goes (and of the temporary folder), or write a "
            "file elsewhere with -o"
        )
    else:
        what = "check where it goes, or write a file with -o"
    _tell_anyway(f"figrecon: cannot write the output ({exc.strerror or exc}); {what}")
    return EXIT_USAGE


def _tell_anyway(*lines: str) -> None:
    """`tell`, unless stderr cannot take it either: the exit code must still be given."""
    with contextlib.suppress(OSError):
        tell(*lines)


_GLOBAL_FLAGS = frozenset({"--debug", "--version"})
"""The options that may come before a command without changing what it does (flags:
neither takes a value). Help and completion before a command list every command."""


@contextmanager
def only_the_command(args: list[str]) -> Iterator[None]:
    """Register only the command a run names while it runs. Before it dispatches, typer
    builds a click command of every registered command, reading each one's signature
    and the type of each option: about 14 ms for figrecon's ten, a tenth of the
    start-up of a run over a small file. The command is the first argument after
    global flags, when it names one exactly; any other command line (help, no command,
    a misspelt name that typer suggests a command for) sees every command."""
    from typer.main import get_command_name

    at = next((i for i, arg in enumerate(args) if arg not in _GLOBAL_FLAGS), None)
    every = app.registered_commands
    named = [
        info
        for info in every
        if at is not None
        and (info.name or get_command_name(getattr(info.callback, "__name__", ""))) == args[at]
    ]
    if len(named) != 1:
        yield
        return
    app.registered_commands = named
    try:
        yield
    finally:
        app.registered_commands = every


def _debugging(argv: list[str] | None) -> bool:
    return bool(state["debug"]) or "--debug" in (argv or sys.argv)


def _internal(exc: Exception, argv: list[str] | None) -> int:
    """An error figrecon did not expect: one line, or the traceback with --debug."""
    if _debugging(argv):
        with contextlib.suppress(OSError):
            sys.stderr.write(visible(traceback.format_exc(), keep="\n"))
    else:
        _tell_anyway(
            f"figrecon: internal error: {type(exc).__name__}: {exc}; "
            "rerun with --debug for the traceback"
        )
    return EXIT_INTERNAL
