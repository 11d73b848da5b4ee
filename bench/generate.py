"""Synthetic claims for benchmarks (not real data): N claims in G groups, with D
distinct value phrases, written as CSV.

    python bench/generate.py --claims 1000000 --groups 100000 --phrases 10000 -o bench/out/claims.csv
"""  # noqa: E501

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

QUALIFIERS = [
    "",
    "",
    "",
    "about ",
    "some ",
    "at least ",
    "more than ",
    "nearly ",
    "up to ",
    "fewer than ",
    "around ",
    "over ",
    "более ",
    "около ",
    "не менее ",
]
VAGUE = ["dozens", "hundreds", "several", "a few", "scores", "thousands", "десятки", "сотни"]
METRICS = ["killed", "injured", "detained", "held"]
GROUPS = ["total", "civilians", "security_forces", "children"]
TYPES = ["government", "judiciary", "health", "igo", "ngo", "media", "other"]
COLUMNS = [
    "id",
    "event",
    "metric",
    "group",
    "location",
    "value",
    "source",
    "source_type",
    "via",
    "stated_on",
    "retracted",
]


def phrases(count: int, rng: random.Random) -> list[str]:
    """`count` distinct value phrases: qualified numbers, ranges and vague words."""
    out: list[str] = list(VAGUE)
    seen = set(out)
    while len(out) < count:
        n = rng.choice([rng.randint(1, 99), rng.randint(100, 9999), rng.randint(1, 999) * 100])
        roll = rng.random()
        if roll < 0.05:
            text = f"{n}-{n + rng.randint(1, 50)}"
        else:
            qualifier = rng.choice(QUALIFIERS)
            number = f"{n:,}".replace(",", " ") if qualifier and qualifier[0] > "z" else f"{n:,}"
            text = qualifier + number
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out[:count]


def generate(path: Path, claims: int, groups: int, distinct: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    pool = phrases(distinct, rng)
    sources = [(f"src{i}", TYPES[i % len(TYPES)]) for i in range(500)]
    start = dt.date(2022, 1, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    per_group = max(1, claims // groups)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for i in range(claims):
            g = min(i // per_group, groups - 1)
            event = f"event-{g // 16}"
            metric = METRICS[g % 4]
            group = GROUPS[(g // 4) % 4]
            source, kind = sources[rng.randrange(len(sources))]
            writer.writerow(
                [
                    f"c{i}",
                    event,
                    metric,
                    group,
                    f"Country{g // 1000}",
                    rng.choice(pool),
                    source,
                    kind,
                    "Wire" if rng.random() < 0.3 else "",
                    (start + dt.timedelta(days=rng.randint(0, 60))).isoformat(),
                    "true" if rng.random() < 0.01 else "",
                ]
            )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--groups", type=int, default=100_000)
    parser.add_argument("--phrases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, default=Path("bench/out/claims.csv"))
    args = parser.parse_args()
    generate(args.output, args.claims, args.groups, args.phrases, args.seed)
    print(
        f"wrote {args.output}: {args.claims:,} claims in {args.groups:,} groups, "
        f"{args.phrases:,} distinct phrases"
    )


if __name__ == "__main__":
    main()
