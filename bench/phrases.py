"""Phrase-reading speed: distinct phrases per second, and a million claims carrying ten
thousand distinct phrases (each read once), against pandas reading the same column.

    python bench/phrases.py [--claims 1000000] [--phrases 10000]
"""

from __future__ import annotations

import argparse
import io
import random
import time

import numpy as np
import pandas as pd

from figrecon.phrases import Reader
from generate import phrases  # type: ignore[import-not-found]


def clock(fn, repeat: int = 3) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--phrases", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(0)
    pool = phrases(args.phrases, rng)
    values = [pool[rng.randrange(len(pool))] for _ in range(args.claims)]
    column = pd.Series(values, dtype=object)
    csv_text = "value\n" + "\n".join(f'"{v}"' for v in values) + "\n"

    def read_distinct() -> None:
        reader = Reader()
        for p in pool:
            reader.read(p)

    distinct = clock(read_distinct)
    print(
        f"distinct phrases: {len(pool):,} in {distinct:.3f} s = "
        f"{len(pool) / distinct:,.0f} phrases/s"
    )

    def read_all() -> None:
        reader = Reader()
        codes, uniques = pd.factorize(column)
        table = np.array([reader.read(u).point for u in uniques])
        table[codes]

    many = clock(read_all)
    baseline = clock(lambda: pd.read_csv(io.StringIO(csv_text), dtype=str))
    print(
        f"{args.claims:,} claims, {len(pool):,} distinct: {many:.3f} s = "
        f"{args.claims / many:,.0f} claims/s"
    )
    print(f"baseline, pandas reading the same column from CSV: {baseline:.3f} s")
    print(
        f"ratio (reading every claim's phrase / pandas reading the column): {many / baseline:.2f}"
    )


if __name__ == "__main__":
    main()
