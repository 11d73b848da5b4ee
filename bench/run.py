"""End-to-end speed and memory of `figrecon reconcile` on synthetic claims (not real
data), against pandas reading the same CSV, measured in the same run.

    python bench/run.py [--sizes 125000,250000,500000,1000000] [--format json]

For each size N (in N/10 groups) it prints: pandas' read time, figrecon's time in a
fresh process (import, load, reconcile, write), the ratio of the two, and figrecon's
peak memory, with memory per claim so linear growth shows as a flat column. Timings are
the best of --repeat runs; the machine is shared and noisy, so read the ratios.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PANDAS = "import sys, pandas; pandas.read_csv(sys.argv[1])"


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of a child process: its own peak, from
    wait4 (RUSAGE_CHILDREN would give the largest of all children so far)."""
    with tempfile.TemporaryFile() as messages:
        t = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=messages)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - t
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            messages.seek(0)
            raise subprocess.CalledProcessError(child.returncode, cmd, stderr=messages.read())
    return elapsed, usage.ru_maxrss / 1024


def best(cmd: list[str], repeat: int) -> tuple[float, float]:
    runs = [run(cmd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="125000,250000,500000,1000000")
    parser.add_argument("--format", default="json", choices=["json", "csv", "ndjson"])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "figrecon")
    print(
        f"{'claims':>9} {'groups':>7} {'pandas s':>9} {'figrecon s':>11} {'ratio':>6} "
        f"{'peak MiB':>9} {'KiB/claim':>10}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        path = args.out / f"claims-{size}.csv"
        if not path.exists():
            generate(path, size, max(1, size // 10), 10_000)
        baseline, _ = best([sys.executable, "-c", PANDAS, str(path)], args.repeat)
        # Each figrecon run is a fresh process: its peak memory is its own.
        elapsed, peak = best(
            [exe, "reconcile", str(path), "-f", args.format, "-o", os.devnull], args.repeat
        )
        print(
            f"{size:>9,} {size // 10:>7,} {baseline:>9.2f} {elapsed:>11.2f} "
            f"{elapsed / baseline:>6.1f} {peak:>9.0f} {peak * 1024 / size:>10.2f}"
        )


if __name__ == "__main__":
    main()
