"""figrecon run in a process of its own with a bound on its memory and time: for the
inputs that once read until the memory ran out, or waited for ever."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def figrecon_bounded(
    *args: str | Path, memory: int = 3 * 2**29
) -> subprocess.CompletedProcess[str]:
    """figrecon in a process of its own, within `memory` bytes (1.5 GiB) and a minute."""

    def bound() -> None:
        import resource  # not on Windows, like the named pipes and sockets some tests use

        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run(
        [sys.executable, "-m", "figrecon", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=bound,
    )
