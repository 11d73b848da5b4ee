"""Speed and memory of figrecon against its targets, each a ratio to a baseline measured
in the same run (the machine is shared and noisy: read the ratios).

    python bench/run.py [--sizes 100000,1000000,3000000] [--repeat 3]
                        [--generator ../shared/bench/gen_claims.py | own]

Claims are synthetic: made by the shared generator (`gen_claims.py N OUT.csv`, realistic
phrase variety) or by this folder's own (`--generator own`, bench/generate.py). The
baseline is `pandas.read_csv(path)` with default arguments on the same file. Every time
is the median of --repeat runs, each taken in turn with a baseline run, in fresh
processes; memory is each process's own peak. It prints every target with its measure:

| measure | target |
|---|---|
| `reconcile --format json -o FILE` at 1M | <= 5x pandas |
| peak memory at 1M | <= 1.5 GiB |
| growth from 1M to 3M, time and memory | <= 3.3x |
| table format to a file | <= 1.5x the JSON time |
| NDJSON and JSON input | <= 1.5x the CSV time for the same claims |
| `check --format json` and `normalize` at 1M | <= 5x pandas |
| `--version` and `parse` | import neither pandas nor numpy |
| `reconcile data/kazakhstan-2022.yaml` | <= 3x `python -c "import pydantic, rich, typer, yaml"` |
"""

from __future__ import annotations

import argparse
import compileall
import csv
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PANDAS = "import sys, pandas; pandas.read_csv(sys.argv[1])"
IMPORTS = "import pydantic, rich, typer, yaml"
GiB = 1024.0


def run(cmd: list[str], ok: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall time and peak resident memory (MiB) of a child process: its own peak, from
    wait4 (RUSAGE_CHILDREN would give the largest of all children so far). An exit code
    outside `ok` raises CalledProcessError."""
    with tempfile.TemporaryFile() as messages:
        t = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=messages)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - t
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            messages.seek(0)
            raise subprocess.CalledProcessError(code, cmd, stderr=messages.read())
    return elapsed, usage.ru_maxrss / 1024


def best(cmd: list[str], repeat: int) -> tuple[float, float]:
    """The least wall time of `repeat` runs, and the greatest peak memory (MiB); `check`
    exits 1 when it has findings, and is timed all the same."""
    runs = [run(cmd, ok=(0, 1)) for _ in range(repeat)]
    return min(t for t, _ in runs), max(m for _, m in runs)


def against(cmd: list[str], base: list[str], repeat: int) -> tuple[float, float, float]:
    """Median time of `cmd`, median time of `base` (run in turn with it), and the
    greatest peak memory of `cmd`."""
    times, bases, peaks = [], [], []
    for _ in range(repeat):
        elapsed, peak = run(cmd)
        times.append(elapsed)
        peaks.append(peak)
        bases.append(run(base)[0])
    return statistics.median(times), statistics.median(bases), max(peaks)


def claims_file(size: int, generator: str, out: Path) -> Path:
    path = out / f"claims-{Path(generator).stem}-{size}.csv"
    if not path.exists():
        out.mkdir(parents=True, exist_ok=True)
        if generator == "own":
            generate(path, size, max(1, size // 10), 10_000)
        else:
            subprocess.run([sys.executable, generator, str(size), str(path)], check=True)
    return path


def json_twins(path: Path) -> tuple[Path, Path]:
    """The same claims as a JSON array and as NDJSON (empty fields left out)."""
    as_json, as_ndjson = path.with_suffix(".json"), path.with_suffix(".ndjson")
    if not as_json.exists() or not as_ndjson.exists():
        with open(path, newline="", encoding="utf-8") as f:
            rows = [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(f)]
        as_json.write_text(json.dumps(rows), encoding="utf-8")
        as_ndjson.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return as_json, as_ndjson


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def compiled() -> None:
    """Compile figrecon's modules, as installing a package does: start-up is measured as
    a user meets it, not with every module compiled again in every run (an editable
    install under PYTHONDONTWRITEBYTECODE=1 never keeps its bytecode). The baseline's
    libraries are compiled in site-packages already."""
    spec = importlib.util.find_spec("figrecon")
    if spec is not None and spec.origin is not None:
        compileall.compile_dir(Path(spec.origin).parent, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000,3000000")
    parser.add_argument("--repeat", type=int, default=3)
    shared = ROOT.parent / "shared" / "bench" / "gen_claims.py"
    parser.add_argument(
        "--generator",
        default=str(shared) if shared.exists() else "own",
        help="a generator script (gen_claims.py N OUT.csv), or own (bench/generate.py); "
        "default: ../shared/bench/gen_claims.py beside this repository, else own",
    )
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "figrecon")
    sizes = [int(s) for s in args.sizes.split(",")]
    compiled()
    with tempfile.TemporaryDirectory() as tmp:
        sink = str(Path(tmp) / "out")
        print(f"generator: {args.generator}; median of {args.repeat} runs; times in s\n")
        print(f"{'claims':>10} {'pandas':>7} {'json':>7} {'ratio':>6} {'peak MiB':>9}")
        measured: dict[int, tuple[float, float, float]] = {}
        for size in sizes:
            path = claims_file(size, args.generator, args.out)
            cmd = [exe, "reconcile", str(path), "-f", "json", "-o", sink + ".json"]
            elapsed, base, peak = against(
                cmd, [sys.executable, "-c", PANDAS, str(path)], args.repeat
            )
            measured[size] = (elapsed, base, peak)
            print(f"{size:>10,} {base:>7.2f} {elapsed:>7.2f} {elapsed / base:>6.1f} {peak:>9.0f}")
        print()
        million = 1_000_000 if 1_000_000 in measured else sizes[-1]
        elapsed, base, peak = measured[million]
        print(
            f"reconcile -f json at {million:,}: {elapsed / base:.1f}x pandas (target <= 5x) "
            f"{verdict(elapsed / base <= 5)}"
        )
        print(
            f"peak memory at {million:,}: {peak / GiB:.2f} GiB (target <= 1.5) "
            f"{verdict(peak <= 1.5 * GiB)}"
        )
        if 3_000_000 in measured and 1_000_000 in measured:
            t3, _, m3 = measured[3_000_000]
            t1, _, m1 = measured[1_000_000]
            print(
                f"growth 1M -> 3M: time {t3 / t1:.2f}x, memory {m3 / m1:.2f}x (target <= 3.3x) "
                f"{verdict(t3 / t1 <= 3.3 and m3 / m1 <= 3.3)}"
            )
        path = claims_file(million, args.generator, args.out)
        table = [exe, "reconcile", str(path), "-f", "table", "-o", sink + ".txt"]
        json_cmd = [exe, "reconcile", str(path), "-f", "json", "-o", sink + ".json"]
        t_table, t_json, _ = against(table, json_cmd, args.repeat)
        print(
            f"table to a file: {t_table / t_json:.2f}x the JSON time (target <= 1.5x) "
            f"{verdict(t_table / t_json <= 1.5)}"
        )
        as_json, as_ndjson = json_twins(path)
        csv_cmd = [exe, "reconcile", str(path), "-f", "json", "-o", sink + ".json"]
        for name, twin in (("JSON", as_json), ("NDJSON", as_ndjson)):
            cmd = [exe, "reconcile", str(twin), "-f", "json", "-o", sink + ".json"]
            t_twin, t_csv, _ = against(cmd, csv_cmd, args.repeat)
            print(
                f"{name} input: {t_twin / t_csv:.2f}x the CSV time (target <= 1.5x) "
                f"{verdict(t_twin / t_csv <= 1.5)}"
            )
        base_cmd = [sys.executable, "-c", PANDAS, str(path)]
        for name, cmd in (
            ("check --format json", [exe, "check", str(path), "-f", "json", "-o", sink + ".c"]),
            ("normalize", [exe, "normalize", str(path), "-o", sink + ".csv"]),
        ):
            try:
                elapsed, base, _ = against(cmd, base_cmd, args.repeat)
            except subprocess.CalledProcessError as exc:
                if exc.returncode != 1:  # check exits 1 on findings: still measured
                    raise
                elapsed, base = float("nan"), float("nan")
            print(
                f"{name} at {million:,}: {elapsed / base:.1f}x pandas (target <= 5x) "
                f"{verdict(elapsed / base <= 5)}"
            )
        for argv in (["--version"], ["parse", "some 9,900"]):
            probe = (
                "import sys; from figrecon.cli import main; "
                f"sys.argv = ['figrecon', *{argv!r}]; main({argv!r}); "
                "heavy = [m for m in ('pandas', 'numpy') if m in sys.modules]; "
                "sys.stderr.write(','.join(heavy))"
            )
            out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
            heavy = out.stderr.strip().splitlines()[-1] if out.stderr.strip() else ""
            print(
                f"{' '.join(argv)} imports: {heavy or 'neither pandas nor numpy'} "
                f"{verdict(not heavy)}"
            )
        kz = [exe, "reconcile", str(ROOT / "data" / "kazakhstan-2022.yaml")]
        elapsed, base, _ = against(kz, [sys.executable, "-c", IMPORTS], args.repeat)
        print(
            f"reconcile data/kazakhstan-2022.yaml: {elapsed / base:.1f}x the imports "
            f"(target <= 3x) {verdict(elapsed / base <= 3)}"
        )


if __name__ == "__main__":
    main()
