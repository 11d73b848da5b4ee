#!/usr/bin/env python3
"""Make variants of a generated claims CSV (synthetic data, not real), each wrong or
unusual in one way across many of its rows, to find work that grows faster than the
input (README: Speed and scale).

usage: python bench/bad_inputs.py SRC.csv OUTDIR [--n N] [--only NAME,NAME]
Each variant has ONE kind of defect spread over many rows.  Writes OUTDIR/NAME.csv
(plus OUTDIR/NAME.sources.yaml for variants that need a registry)."""

import argparse
import csv
import datetime as dt
import os
import random

H = [
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
    "retracts",
    "url",
]


def one_place(r, group="total"):
    """The claim in one event, metric, group and place."""
    r["event"], r["metric"], r["group"], r["location"] = "ev-1", "killed", group, "Country-0"


def one_day_source(r):
    """The claim by one source, directly, on one day, retracting nothing."""
    r["source"], r["source_type"], r["via"] = "src-1", "government", ""
    r["stated_on"], r["retracts"] = "2023-01-01", ""


def load(src, n):
    with open(src, newline="") as f:
        r = csv.reader(f)
        head = next(r)
        rows = [dict(zip(head, row, strict=False)) for _, row in zip(range(n), r, strict=False)]
    return rows


def every(rows, frac, rnd):
    return [i for i in range(len(rows)) if rnd.random() < frac]


def V(rows, rnd):
    """name -> (rows, extra columns, description). rows are copies."""
    out = {}

    def new():
        return [dict(r) for r in rows]

    def add(name, desc, fn, cols=(), frac=0.5):
        rs = new()
        fn(rs, every(rs, frac, rnd))
        out[name] = (rs, list(cols), desc)

    def set_(col, f):
        def g(rs, idx):
            for i in idx:
                rs[i][col] = f(i, rs[i])

        return g

    add(
        "unknown_metric_one",
        "50% rows metric=`kiled` (one misspelling)",
        set_("metric", lambda i, r: "kiled"),
    )
    add(
        "unknown_metric_distinct",
        "50% rows metric=`metric-<i>` (all distinct)",
        set_("metric", lambda i, r: f"metric-{i}"),
    )
    add(
        "bad_source_type",
        "50% rows source_type=`goverment`/`NGO-x<i%50>`",
        set_("source_type", lambda i, r: "goverment" if i % 2 else f"ngo-x{i % 50}"),
    )
    add(
        "bad_dates",
        "50% rows stated_on malformed (2023-13-45, 15/03/2023, `yesterday`)",
        set_(
            "stated_on", lambda i, r: ["2023-13-45", "15/03/2023", "yesterday", "20230315"][i % 4]
        ),
    )
    add(
        "future_dates",
        "50% rows stated_on in 2099",
        set_("stated_on", lambda i, r: "2099" + r["stated_on"][4:]),
    )

    def asof(after):
        def g(rs, idx):
            s = set(idx)
            for i, r in enumerate(rs):
                d = dt.date.fromisoformat(r["stated_on"])
                r["as_of"] = (
                    (d + dt.timedelta(days=(30 if after else -30))).isoformat() if i in s else ""
                )

        return g

    add("as_of_after_stated", "50% rows as_of = stated_on + 30 days", asof(True), ["as_of"])
    add("as_of_before_stated", "50% rows as_of = stated_on - 30 days", asof(False), ["as_of"])
    add(
        "unreadable_values",
        "50% rows value unreadable (`many many`, `lots <i>`, `n/a`)",
        set_(
            "value",
            lambda i, r: ["many many", f"lots {i} and {i + 1} and {i + 7}", "n/a", "roughly a few"][
                i % 4
            ],
        ),
    )
    add("huge_numbers", "50% rows value 10^15+i", set_("value", lambda i, r: str(10**15 + i)))
    add("negative_numbers", "50% rows value -<n>", set_("value", lambda i, r: f"-{i % 5000 + 1}"))
    add("dup_id_one", "50% rows id=`dup`", set_("id", lambda i, r: "dup"))

    def pairs(rs, idx):
        for i, r in enumerate(rs):
            r["id"] = f"c{i // 2:08d}"
            r["retracts"] = ""

    add("dup_id_pairs", "every id used twice (retracts cleared)", pairs, frac=1)

    ids = [r["id"] for r in rows]
    add(
        "retracts_unknown_far",
        "50% rows retracts `zz<i>qq` (no near id)",
        set_("retracts", lambda i, r: f"zz{i}qq"),
    )
    add(
        "retracts_unknown_near",
        "50% rows retracts an id one edit away (c0000012X)",
        set_("retracts", lambda i, r: ids[i][:-1] + "X"),
    )
    add(
        "retracts_unknown_long",
        "50% rows retracts a distinct 190-char unknown id",
        set_("retracts", lambda i, r: (f"u{i}-" + "abcdefghij" * 19)[:190]),
    )

    def two_cycles(rs, idx):
        for i in range(0, len(rs) - 1, 2):
            rs[i]["retracts"], rs[i + 1]["retracts"] = rs[i + 1]["id"], rs[i]["id"]

    add("cycles_2", "every claim in a 2-cycle (a retracts b, b retracts a)", two_cycles, frac=0)

    def long_cycle(rs, idx):
        for i in range(len(rs)):
            rs[i]["retracts"] = rs[(i + 1) % len(rs)]["id"]

    add("cycle_long", "one retraction cycle through all claims", long_cycle, frac=0)

    def chain(rs, idx):
        for i in range(1, len(rs)):
            rs[i]["retracts"] = rs[i - 1]["id"]

    add("retract_chain", "chain: every claim retracts the previous one (no cycle)", chain, frac=0)

    def many_targets(rs, idx):
        for i in range(0, len(rs), 100):
            rs[i]["retracts"] = ",".join(f"q{i}-{k}" for k in range(100))

    add(
        "retracts_many_targets",
        "every 100th row retracts 100 unknown ids in one cell",
        many_targets,
        frac=0,
    )

    def parts_unknown(rs, idx):
        s = set(idx)
        for i, r in enumerate(rs):
            r["parts"] = f"p{i}x,p{i}y" if i in s else ""

    add("parts_unknown", "50% rows parts = 2 unknown ids", parts_unknown, ["parts"])

    def parts_following(every):
        """Every `every`-th row lists the claims after it, up to the next such row."""

        def mutate(rs, idx):
            for i, r in enumerate(rs):
                later = range(i + 1, min(i + every, len(rs)))
                r["parts"] = ",".join(rs[j]["id"] for j in later) if i % every == 0 else ""

        return mutate

    add(
        "parts_other",
        "every 5th row lists the next 4 claims as its parts",
        parts_following(5),
        ["parts"],
        frac=0,
    )

    add(
        "parts_big",
        "every 1000th row lists the next 999 claims as parts",
        parts_following(1000),
        ["parts"],
        frac=0,
    )
    add(
        "via_long",
        "50% rows via = chain of 50 carriers",
        set_("via", lambda i, r: " < ".join(f"Out{(i + k) % 997}" for k in range(50))),
    )
    add(
        "via_distinct",
        "50% rows via = distinct carrier chain",
        set_("via", lambda i, r: f"Outlet {i} < Agency {i % 1000}"),
    )

    def one_group(rs, idx):
        for r in rs:
            one_place(r)
            r["retracts"] = ""

    add(
        "one_group",
        "every claim in one event/metric/group/location (retracts cleared)",
        one_group,
        frac=0,
    )

    def one_group_one_source(rs, idx):
        for r in rs:
            one_place(r)
            r["retracts"] = ""
            r["source"] = "src-1"
            r["source_type"] = "government"

    add(
        "one_group_one_source",
        "one group and one source for all claims",
        one_group_one_source,
        frac=0,
    )

    def own_group(rs, idx):
        for i, r in enumerate(rs):
            r["event"] = f"ev-x{i}"
            r["retracts"] = ""

    add("own_group", "every claim its own event (retracts cleared)", own_group, frac=0)

    add(
        "long_values",
        "10% rows value = 10 KB text with quotes",
        set_("value", lambda i, r: 'about "' + ("word 12 " * 1400) + '"'),
        frac=0.1,
    )

    def long_quote(rs, idx):
        s = set(idx)
        for i, r in enumerate(rs):
            r["quote"] = ('he said "' + "x" * 10000 + '"') if i in s else ""

    add("long_quotes", "20% rows quote = 10 KB", long_quote, ["quote"], frac=0.2)
    add(
        "sources_distinct",
        "every row a distinct unregistered source",
        set_("source", lambda i, r: f"Unregistered Body {i}"),
        frac=1,
    )
    add(
        "unknown_column",
        "extra column `colour` filled in 50% rows",
        lambda rs, idx: [r.__setitem__("colour", "red" if i % 2 else "") for i, r in enumerate(rs)],
        ["colour"],
        frac=0,
    )

    def xcols(rs, idx):
        for i, r in enumerate(rs):
            for k in range(50):
                r[f"x_c{k}"] = f"v{i}-{k}"

    add("x_columns", "50 x_ columns, all filled", xcols, [f"x_c{k}" for k in range(50)], frac=0)

    def unknown_cols_many(rs, idx):
        for i, r in enumerate(rs):
            for k in range(200):
                r[f"colx{k}"] = "1" if (i + k) % 7 == 0 else ""

    add(
        "unknown_columns_200",
        "200 unknown columns (colx0..199), 1/7 filled",
        unknown_cols_many,
        [f"colx{k}" for k in range(200)],
        frac=0,
    )

    def deep_loc(rs, idx):
        for i, r in enumerate(rs):
            r["location"] = "Country-0/" + "/".join(f"a{(i >> k) & 3}" for k in range(0, 16, 2))
            r["event"] = "ev-1"
            r["retracts"] = ""

    add("deep_locations", "one event, locations nested 8 deep (65k sub-places)", deep_loc, frac=0)

    def dup_claims(rs, idx):
        for r in rs:
            one_place(r)
            r["value"], r["source"], r["via"], r["stated_on"], r["retracts"] = (
                "100",
                "src-1",
                "",
                "2023-01-01",
                "",
            )

    add("duplicate_claims", "every claim identical but for its id", dup_claims, frac=0)

    def mislabel(rs, idx):
        ms = ["killed", "injured", "detained", "held", "released", "charged", "missing"]
        for i, r in enumerate(rs):
            r["event"], r["location"], r["group"] = "ev-1", "Country-0", "total"
            r["metric"] = ms[i % 7]
            r["value"], r["source"], r["stated_on"], r["retracts"] = (
                "1234",
                f"src-{i % 7 // 7}",
                "2023-01-01",
                "",
            )

    add("mislabels", "one event, same source/figure/day across all metrics", mislabel, frac=0)

    def decrease(rs, idx):
        for i, r in enumerate(rs):
            one_place(r)
            r["source"], r["via"], r["retracts"] = "src-1", "", ""
            r["value"] = str(200000 - i if i % 2 else 100000 + i)
            r["stated_on"] = (dt.date(2000, 1, 1) + dt.timedelta(days=i // 3)).isoformat()

    add("cumulative_decrease", "one source, one group, zig-zag figures over time", decrease, frac=0)

    def periods(rs, idx):
        for i, r in enumerate(rs):
            d = dt.date(2020, 1, 1) + dt.timedelta(days=i % 3000)
            r["period"] = f"{d}/{d + dt.timedelta(days=1 + i % 30)}"

    add("periods_distinct", "every claim a distinct period", periods, ["period"], frac=0)

    def assess(rs, idx):
        s = set(idx)
        for i, r in enumerate(rs):
            r["assessment"] = (
                ["unverified", "disputed", "confirmed", "maybe"][i % 4] if i in s else ""
            )
            if i in s:
                r["value"] = ""

    add(
        "assessment_only",
        "50% rows no value, assessment (1/4 invalid `maybe`)",
        assess,
        ["assessment"],
    )

    def lowhigh(rs, idx):
        s = set(idx)
        for i, r in enumerate(rs):
            r["low"], r["high"], r["best"] = ("", "", "")
            if i in s:
                r["value"] = ""
                r["low"], r["high"], r["best"] = str(1000 + i), str(10 + i % 7), str(500)

    add("low_high_inverted", "50% rows low > high, best outside", lowhigh, ["low", "high", "best"])

    def empty_ids(rs, idx):
        for i in idx:
            rs[i]["id"] = ""

    add("missing_ids", "50% rows no id (FILE:LINE ids)", empty_ids)

    def same_key(rs, idx):
        for i, r in enumerate(rs):
            one_place(r, f"g{i}")
            one_day_source(r)
            r["value"] = str(1000 + i)

    add(
        "same_source_day_place",
        "one originator, one day, one place, every claim its own group (no duplicates)",
        same_key,
        frac=0,
    )

    wide = [chr(c) for c in range(0x3B1, 0x3B1 + 25)] + [chr(c) for c in range(0x430, 0x430 + 32)]

    def long_wide(rs, idx):
        s = set(idx)
        for i, r in enumerate(rs):
            if i < 2000:  # 2,000 known ids written in a wide alphabet (about 120 characters in all)
                r["id"] = r["id"] + "-" + "".join(wide[(i + k) % len(wide)] for k in range(6))
            r["retracts"] = (f"u{i}-" + "abcdefghij" * 20)[:199] if i in s else ""

    add(
        "retracts_unknown_long_wide",
        "ids use ~120 characters; 50% rows retract a distinct 199-char unknown id",
        long_wide,
    )

    def same_day_distinct(rs, idx):
        for i, r in enumerate(rs):
            one_place(r)
            one_day_source(r)
            r["value"] = str(1000 + i)

    add(
        "same_day_distinct",
        "one group, one originator, one day, every claim a distinct figure",
        same_day_distinct,
        frac=0,
    )

    def late_relays(rs, idx):
        for i, r in enumerate(rs):
            one_place(r)
            r["source"], r["source_type"], r["retracts"] = "src-1", "government", ""
            r["stated_on"] = (dt.date(2010, 1, 1) + dt.timedelta(days=i // 30)).isoformat()
            if i == 0:
                r["value"], r["via"] = "1000000", ""
            else:
                r["value"], r["via"] = str(1000 + i), "AP"

    add(
        "late_relays",
        "one group and originator: a direct 1,000,000, then smaller relayed figures later",
        late_relays,
        frac=0,
    )

    # The extra field of these rows is added as the file is written.
    out["ragged_rows"] = (new(), ["__ragged"], "20% rows with an extra field")
    return out


def write(path, rows, extra, rnd):
    cols = H + [c for c in extra if c != "__ragged"]
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for i, r in enumerate(rows):
            row = [r.get(c, "") for c in cols]
            if "__ragged" in extra and i % 5 == 0:
                row.append("extra")
            w.writerow(row)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("outdir")
    ap.add_argument("--n", type=int, default=100000)
    ap.add_argument("--only", default="")
    a = ap.parse_args()
    rnd = random.Random(7)
    rows = load(a.src, a.n)
    os.makedirs(a.outdir, exist_ok=True)
    only = set(filter(None, a.only.split(",")))
    for name, (rs, extra, desc) in V(rows, rnd).items():
        if only and name not in only:
            continue
        write(os.path.join(a.outdir, name + ".csv"), rs, extra, rnd)
        print(f"{name}\t{desc}")


if __name__ == "__main__":
    main()
