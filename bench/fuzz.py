"""A longer fuzz run of the properties in tests/test_fuzz.py (synthetic claims only).

    python bench/fuzz.py [--minutes 10] [--seed 1]

Draws claim sets from tests/fuzzing.py's generators and, for each: reconciles it; checks
that nothing but figrecon's own input error escapes and that LOW <= BEST <= HIGH; then
reconciles it shuffled and split across a JSON and an NDJSON file and checks the JSON is
byte-identical. It also mutates the bytes of valid claim files (flips, cuts, repeats,
hostile characters) and checks that loading gives claims or a located input error. It
prints what it ran and every failure (with the seed to replay it), and exits 1 on one.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "tests"))

import figrecon  # noqa: E402
from figrecon.errors import FigreconError  # noqa: E402
from fuzzing import ordered, random_claims, registry, shuffled, to_claims, write  # noqa: E402

HOSTILE = [
    b"\x00",
    b"\x1b[2J",
    b"\xff\xfe",
    b"\xed\xa0\x80",
    b"\\ud800",
    b"&a",
    b"*a",
    b"<<",
    b'"',
    b"\n",
]


def mutate(data: bytes, rnd: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rnd.randint(1, 4)):
        at = rnd.randrange(len(out) + 1)
        move = rnd.randrange(4)
        if move == 0 and out:
            out[min(at, len(out) - 1)] = rnd.randrange(256)
        elif move == 1:
            del out[at : at + rnd.randint(1, 20)]
        elif move == 2:
            out[at:at] = rnd.choice(HOSTILE)
        else:
            out[at:at] = out[max(0, at - 30) : at]
    return bytes(out)


def one(seed: int, counts: Counter[str]) -> None:
    rnd = random.Random(seed)
    claims = to_claims(random_claims(rnd))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = write(folder, "all", claims, rnd.choice(["yaml", "json", "ndjson"]))
        sources = registry(folder)
        try:
            reference = figrecon.reconcile(figrecon.load(path, sources=sources)).model_dump_json()
        except FigreconError:
            counts["input error"] += 1
            return
        ordered(reference)
        mixed = shuffled(claims, rnd)
        cut = rnd.randint(0, len(mixed))
        parts = [write(folder, "a", mixed[:cut], "json"), write(folder, "b", mixed[cut:], "ndjson")]
        again = figrecon.reconcile(figrecon.load(parts, sources=sources)).model_dump_json()
        assert again == reference, "the JSON changed with the order of the claims"
        counts["claim sets"] += 1
        counts["claims"] += len(claims)
        bad = folder / ("bad" + path.suffix)
        bad.write_bytes(mutate(path.read_bytes(), rnd))
        try:
            ordered(figrecon.reconcile(figrecon.load([bad], sources=sources)).model_dump_json())
            counts["mutated, still claims"] += 1
        except FigreconError:
            counts["mutated, input error"] += 1


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    counts: Counter[str] = Counter()
    failures = 0
    end = time.monotonic() + args.minutes * 60
    seed = args.seed * 1_000_000
    while time.monotonic() < end:
        try:
            one(seed, counts)
        except Exception:  # every escape is a finding: report it and go on
            failures += 1
            print(f"FAIL seed {seed}:\n{traceback.format_exc()}", flush=True)
        seed += 1
    print(f"{args.minutes:g} min: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()))
    print(f"failures: {failures}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
