"""Reading speed by input format: `figrecon reconcile` and `figrecon check` of the same
synthetic claims (not real data) written as CSV, JSON and NDJSON, against pandas reading
the CSV, measured in the same run.

    python bench/inputs.py [--sizes 10000,40000,160000] [--repeat 1]

For each size N it prints, per format, the time of a fresh `reconcile` and `check`
process, each as a multiple of pandas' read of the CSV twin, and the microseconds per
claim: a reader that is linear in its input keeps that column flat as N grows (a
quadratic one doubles it with each fourfold N). The machine is shared and noisy: read
the ratios and the trend, not the seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402
from run import PANDAS, best  # noqa: E402

FORMATS = ("csv", "json", "ndjson")


def twins(size: int, out: Path) -> dict[str, Path]:
    """The same claims as CSV, JSON (an indented list) and NDJSON, written once."""
    paths = {fmt: out / f"inputs-{size}.{fmt}" for fmt in FORMATS}
    if all(p.exists() for p in paths.values()):
        return paths
    generate(paths["csv"], size, max(1, size // 10), 2_000)
    with paths["csv"].open(encoding="utf-8", newline="") as fh:
        rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(fh)]
    paths["json"].write_text(json.dumps(rows, indent=2, ensure_ascii=False), encoding="utf-8")
    paths["ndjson"].write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,40000,160000")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "figrecon")
    print(
        f"{'claims':>8} {'format':>6} {'MiB':>6} {'pandas s':>9} {'reconcile s':>12} "
        f"{'ratio':>6} {'us/claim':>9} {'check s':>8} {'ratio':>6} {'us/claim':>9} "
        f"{'peak MiB':>9}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        paths = twins(size, args.out)
        baseline, _ = best([sys.executable, "-c", PANDAS, str(paths["csv"])], args.repeat)
        for fmt in FORMATS:
            path = str(paths[fmt])
            mib = paths[fmt].stat().st_size / 2**20
            reconciled, peak = best(
                [exe, "reconcile", path, "-f", "json", "-o", os.devnull], args.repeat
            )
            checked, check_peak = best([exe, "check", path, "-o", os.devnull], args.repeat)
            print(
                f"{size:>8,} {fmt:>6} {mib:>6.1f} {baseline:>9.2f} {reconciled:>12.2f} "
                f"{reconciled / baseline:>6.1f} {reconciled / size * 1e6:>9.1f} "
                f"{checked:>8.2f} {checked / baseline:>6.1f} {checked / size * 1e6:>9.1f} "
                f"{max(peak, check_peak):>9.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
