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
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PANDAS = "import sys, pandas; pandas.read_csv(sys.argv[1])"


def run(cmd: list[str]) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of a child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


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
