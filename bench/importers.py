"""Import speed: `figrecon import` of synthetic event datasets (NOT real data: random
events laid out in UCDP GED's and ACLED's column order), against pandas.read_csv of the
same file, measured in the same run.

    python bench/importers.py [--events 1000000] [--formats ucdp-ged,acled] [--repeat 1]

For each format it writes N synthetic events once (under bench/out), then prints the
time of pandas.read_csv in a fresh process, the time of a fresh `figrecon import FORMAT
FILE` (by country,year and by adm1,month), and each ratio to pandas' time. The target
is a ratio of at most 2. The machine is shared and noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))

from run import PANDAS, best  # noqa: E402

GED_COLUMNS = [
    "id",
    "relid",
    "year",
    "active_year",
    "code_status",
    "type_of_violence",
    "conflict_dset_id",
    "conflict_new_id",
    "conflict_name",
    "dyad_dset_id",
    "dyad_new_id",
    "dyad_name",
    "side_a_dset_id",
    "side_a_new_id",
    "side_a",
    "side_b_dset_id",
    "side_b_new_id",
    "side_b",
    "number_of_sources",
    "source_article",
    "source_office",
    "source_date",
    "source_headline",
    "source_original",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "geom_wkt",
    "priogrid_gid",
    "country",
    "country_id",
    "region",
    "event_clarity",
    "date_prec",
    "date_start",
    "date_end",
    "deaths_a",
    "deaths_b",
    "deaths_civilians",
    "deaths_unknown",
    "best",
    "high",
    "low",
    "gwnoa",
    "gwnob",
]
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]


def _places(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Synthetic country and first-level area names: 60 countries of 12 areas each."""
    country = rng.integers(0, 60, n)
    area = rng.integers(0, 12, n)
    countries = np.array([f"Synthetic Country {i}" for i in range(60)], dtype=object)
    areas = np.array([f"Synthetic Area {i} province" for i in range(12)], dtype=object)
    return countries[country], areas[area]


def _days(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Event spans in 1989-2022: most one day long, some up to a month (crossing months)."""
    start = np.datetime64("1989-01-01") + rng.integers(0, 12_400, n).astype("timedelta64[D]")
    length = np.where(rng.random(n) < 0.8, 0, rng.integers(1, 31, n)).astype("timedelta64[D]")
    end = start + length
    # Events do not run into the next year (as in GED, which splits them there).
    year_end = (start.astype("datetime64[Y]") + 1).astype("datetime64[D]") - 1
    return start, np.minimum(end, year_end)


def synthetic_ged(path: Path, n: int, seed: int = 1) -> None:
    """N synthetic events (not real) in GED's 49 columns; best = the four deaths columns."""
    rng = np.random.default_rng(seed)
    country, area = _places(rng, n)
    start, end = _days(rng, n)
    deaths = rng.poisson([1.5, 1.0, 2.0, 0.5], (n, 4))
    best_ = deaths.sum(axis=1)
    low = best_ - rng.integers(0, 2, n) * (best_ > 0)
    high = best_ + rng.poisson(2, n)
    side = np.array(["Government of Synthetic Country", "Synthetic Rebels"], dtype=object)
    text = np.array(["Synthetic source, 2020-01-01", "Synthetic wire, 2020-02-02"], dtype=object)
    frame = pd.DataFrame(
        {
            "id": np.arange(1, n + 1),
            "relid": [f"SYN-{i}" for i in range(n)],
            "year": start.astype("datetime64[Y]").astype(int) + 1970,
            "active_year": rng.integers(0, 2, n),
            "code_status": "Clear",
            "type_of_violence": rng.integers(1, 4, n),
            "conflict_dset_id": rng.integers(1, 500, n),
            "conflict_new_id": rng.integers(1, 500, n),
            "conflict_name": "Synthetic conflict",
            "dyad_dset_id": rng.integers(1, 900, n),
            "dyad_new_id": rng.integers(1, 900, n),
            "dyad_name": "Synthetic dyad",
            "side_a_dset_id": 1,
            "side_a_new_id": 1,
            "side_a": side[0],
            "side_b_dset_id": 2,
            "side_b_new_id": 2,
            "side_b": side[1],
            "number_of_sources": rng.integers(1, 5, n),
            "source_article": text[rng.integers(0, 2, n)],
            "source_office": "Synthetic office",
            "source_date": "2020-01-01",
            "source_headline": "Synthetic headline, not a real report",
            "source_original": np.where(rng.random(n) < 0.3, "", "synthetic witnesses"),
            "where_prec": rng.integers(1, 7, n),
            "where_coordinates": "Synthetic town",
            "where_description": "Synthetic town (near)",
            "adm_1": np.where(rng.random(n) < 0.02, "", area),
            "adm_2": "Synthetic district",
            "latitude": rng.uniform(-10, 10, n).round(6),
            "longitude": rng.uniform(10, 40, n).round(6),
            "geom_wkt": "POINT (20.0 0.0)",
            "priogrid_gid": rng.integers(1, 259_200, n),
            "country": country,
            "country_id": 999,
            "region": "Synthetic region",
            "event_clarity": rng.integers(1, 3, n),
            "date_prec": rng.integers(1, 6, n),
            "date_start": np.datetime_as_string(start) + " 00:00:00.000",
            "date_end": np.datetime_as_string(end) + " 00:00:00.000",
            "deaths_a": deaths[:, 0],
            "deaths_b": deaths[:, 1],
            "deaths_civilians": deaths[:, 2],
            "deaths_unknown": deaths[:, 3],
            "best": best_,
            "high": high,
            "low": low,
            "gwnoa": 999,
            "gwnob": "",
        },
        columns=GED_COLUMNS,
    )
    frame.to_csv(path, index=False)


def synthetic_acled(path: Path, n: int, seed: int = 2) -> None:
    """N synthetic events (not real) in ACLED's export columns."""
    rng = np.random.default_rng(seed)
    country, area = _places(rng, n)
    start, _ = _days(rng, n)
    frame = pd.DataFrame(
        {
            "event_id_cnty": [f"SYN{i}" for i in range(n)],
            "event_date": np.datetime_as_string(start),
            "year": start.astype("datetime64[Y]").astype(int) + 1970,
            "time_precision": rng.integers(1, 4, n),
            "disorder_type": "Political violence",
            "event_type": "Battles",
            "sub_event_type": "Armed clash",
            "actor1": "Synthetic forces",
            "assoc_actor_1": "",
            "inter1": 1,
            "actor2": "Synthetic rebels",
            "assoc_actor_2": "",
            "inter2": 2,
            "interaction": 12,
            "civilian_targeting": "",
            "iso": 999,
            "region": "Synthetic region",
            "country": country,
            "admin1": area,
            "admin2": "Synthetic district",
            "admin3": "",
            "location": "Synthetic town",
            "latitude": rng.uniform(-10, 10, n).round(4),
            "longitude": rng.uniform(10, 40, n).round(4),
            "geo_precision": rng.integers(1, 4, n),
            "source": "Synthetic wire; Synthetic radio",
            "source_scale": "National",
            "notes": "Synthetic event, not a real report: forces clashed with rebels.",
            "fatalities": rng.poisson(2, n),
            "tags": "",
            "timestamp": 1_700_000_000 + rng.integers(0, 1_000_000, n),
        },
        columns=ACLED_COLUMNS,
    )
    frame.to_csv(path, index=False)


GENERATORS = {"ucdp-ged": synthetic_ged, "acled": synthetic_acled}


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--formats", default="ucdp-ged,acled")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "out")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    exe = str(Path(sys.executable).parent / "figrecon")
    print("Synthetic events (not real data), in each dataset's column order.")
    print(
        f"{'format':>9} {'events':>10} {'MiB':>6} {'pandas s':>9} {'--by':>14} "
        f"{'import s':>9} {'ratio':>6}"
    )
    for fmt in args.formats.split(","):
        path = args.out / f"synthetic-{fmt}-{args.events}.csv"
        if not path.exists():
            GENERATORS[fmt](path, args.events)
        size = path.stat().st_size / 2**20
        baseline, _ = best([sys.executable, "-c", PANDAS, str(path)], args.repeat)
        for by in ("country,year", "adm1,month"):
            cmd = [exe, "import", fmt, str(path), "--by", by, "--released", "2023-06-30"]
            elapsed, _ = best([*cmd, "-o", os.devnull], args.repeat)
            print(
                f"{fmt:>9} {args.events:>10,} {size:>6.0f} {baseline:>9.2f} {by:>14} "
                f"{elapsed:>9.2f} {elapsed / baseline:>6.2f}"
            )


if __name__ == "__main__":
    main()
