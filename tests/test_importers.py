"""Event datasets as claims: UCDP GED (the real Central African Republic extract), its HDX
HXL twin (checked against libhxl's reading), and ACLED (synthetic fixtures: ACLED's terms
forbid redistributing its data)."""

from __future__ import annotations

import datetime as dt
import warnings
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

import figrecon
from figrecon.errors import UsageError
from figrecon.io.importers import ImportOptions, claims_of
from figrecon.io.importers.options import parse_by, parse_where

ROOT = Path(__file__).parent.parent
GED = ROOT / "data" / "import" / "ucdp-ged-23.1-caf.csv"
HXL = ROOT / "data" / "import" / "ucdp-caf-2013-2014.hxl.csv"
ACLED = Path(__file__).parent / "fixtures" / "acled" / "synthetic-acled.csv"
ACLED_EXPORT = Path(__file__).parent / "fixtures" / "acled" / "synthetic-acled-export.csv"
RELEASED = dt.date(2023, 6, 30)
CAR = "Central African Republic"


def options(**kwargs: object) -> ImportOptions:
    return ImportOptions(**{"released": RELEASED, **kwargs})  # type: ignore[arg-type]


def load(path: Path, fmt: str | None = None, **kwargs: object) -> pd.DataFrame:
    """The claims figrecon loads from an event dataset, as a frame."""
    claims = figrecon.load(path, input_format=fmt, events=options(**kwargs))
    return claims.frame


def imported(path: Path, fmt: str, **kwargs: object) -> tuple[pd.DataFrame, list[str]]:
    """What `figrecon import` makes of a file: the claims, and the findings as printed."""
    text = path.read_text(encoding="utf-8")
    summed = claims_of(str(path), text, path.read_bytes(), fmt_of(fmt), options(**kwargs))
    assert summed.frame is not None, [str(f) for f in summed.findings]
    frame = summed.frame.drop(columns="row").assign(line=summed.lines())
    return frame, [f"{f.severity.value}: {f}" for f in summed.findings]


def fmt_of(name: str) -> figrecon.io.importers.Format:
    from figrecon.io.importers import FORMATS

    return FORMATS[name]


def totals(frame: pd.DataFrame) -> pd.DataFrame:
    """The total claims by period, with their figures as numbers."""
    total = frame[frame["group"] == "total"].set_index("period")
    return total[["low", "best", "high"]].astype(float).astype(int)


def note_ids(note: str) -> list[str]:
    """The event ids a total claim's note lists: `TITLE: the sum of ... | id: originator | id`."""
    return [item.split(":")[0] for item in note.split(" | ")[1:]]


@pytest.fixture(scope="module")
def ged() -> pd.DataFrame:
    """The real GED extract, read independently of figrecon."""
    return pd.read_csv(GED, dtype={"adm_1": str, "source_original": str})


# --- UCDP GED: the real extract --------------------------------------------------------


@pytest.mark.parametrize("estimate", ["best", "low", "high"])
def test_ucdp_year_sums_equal_a_pandas_group_by(ged: pd.DataFrame, estimate: str) -> None:
    expected = ged.groupby(ged["year"].astype(str))[estimate].sum()
    got = totals(load(GED))[estimate]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()


@pytest.mark.parametrize("by", ["country,year", "country,month", "adm1,month", "event"])
def test_every_ucdp_event_is_listed_in_exactly_one_total_claim(ged: pd.DataFrame, by: str) -> None:
    frame = load(GED, by=parse_by(by))
    listed = Counter(
        i for note in frame.loc[frame["group"] == "total", "note"] for i in note_ids(note)
    )
    assert set(listed.values()) == {1}
    assert sorted(listed) == sorted(ged["id"].astype(str))


@pytest.mark.parametrize(
    ("group", "column"),
    [
        ("side_a", "deaths_a"),
        ("side_b", "deaths_b"),
        ("civilians", "deaths_civilians"),
        ("unknown_status", "deaths_unknown"),
    ],
)
def test_ucdp_deaths_of_each_side_and_of_civilians_are_groups(
    ged: pd.DataFrame, group: str, column: str
) -> None:
    expected = ged.groupby(ged["year"].astype(str))[column].sum()
    frame = load(GED)
    rows = frame[frame["group"] == group].set_index("period")
    # A group whose deaths sum to 0 in a year gets no claim: the total states them.
    assert rows["best"].astype(float).astype(int).to_dict() == expected[expected > 0].to_dict()
    assert (rows["low"] == rows["best"]).all()
    assert (rows["high"] == rows["best"]).all()


def test_ucdp_groups_add_up_to_the_best_of_the_total(ged: pd.DataFrame) -> None:
    frame = load(GED)
    best = totals(frame)["best"]
    parts = frame[frame["group"] != "total"].groupby("period")["best"].sum()
    assert parts.astype(int).reindex(best.index, fill_value=0).to_dict() == best.to_dict()


def test_a_ucdp_claim_as_written(ged: pd.DataFrame) -> None:
    frame, _ = imported(GED, "ucdp-ged")
    claim = frame[frame["id"] == "ucdp-ged-2023-06-30/central-african-republic/1993"].iloc[0]
    assert claim.to_dict() == {
        "id": "ucdp-ged-2023-06-30/central-african-republic/1993",
        "event": "central-african-republic",
        "metric": "killed",
        "group": "total",
        "location": CAR,
        "period": "1993",
        "low": 4,
        "best": 4,
        "high": 4,
        "source": "UCDP GED",
        "source_type": "research",
        "stated_on": "2023-06-30",
        "as_of": "1993-12-31",
        "url": "https://ucdp.uu.se/downloads/",
        "note": "UCDP GED: the sum of 3 events (id: source_original) | 20192: hospital "
        "source/student sources | 22781: hospital sources | 22861: witnesses",
        "line": 4,
    }


def test_a_ucdp_group_claim_points_to_the_events_of_its_total() -> None:
    frame, _ = imported(GED, "ucdp-ged")
    claim = frame[frame["id"] == "ucdp-ged-2023-06-30/central-african-republic/1993/civilians"]
    assert claim["note"].tolist() == [
        "UCDP GED: deaths_civilians summed over the 3 events listed in claim "
        "ucdp-ged-2023-06-30/central-african-republic/1993"
    ]


def test_a_month_is_dated_at_its_end_and_a_year_at_its_own() -> None:
    frame = load(GED, by=("country", "month"))
    total = frame[frame["group"] == "total"].set_index("period")
    assert total.loc["2014-02", "as_of"] == dt.date(2014, 2, 28)
    assert total.loc["2014-02", "stated_on"] == RELEASED
    yearly = load(GED).set_index("id")
    assert yearly.loc["ucdp-ged-2023-06-30/central-african-republic/2022", "as_of"] == dt.date(
        2022, 12, 31
    )


def test_a_period_not_over_at_the_release_is_dated_at_the_release() -> None:
    frame = load(GED, released=dt.date(2022, 6, 30))
    total = frame[(frame["group"] == "total") & (frame["period"] == "2022")]
    assert total["as_of"].tolist() == [dt.date(2022, 6, 30)]


def test_without_a_period_the_key_is_dated_at_the_last_event(ged: pd.DataFrame) -> None:
    frame = load(GED, by=("country",))
    total = frame[frame["group"] == "total"]
    assert total["period"].isna().all()
    last = dt.date.fromisoformat(ged["date_end"].max()[:10])
    assert total["as_of"].tolist() == [last]
    assert totals(frame.fillna({"period": ""}))["best"].tolist() == [ged["best"].sum()]


def test_import_reports_events_that_run_into_the_next_month(ged: pd.DataFrame) -> None:
    _, findings = imported(GED, "ucdp-ged", by=("country", "month"))
    crossing = [f for f in findings if "past the end of month" in f]
    expected = (ged["date_start"].str[:7] != ged["date_end"].str[:7]).sum()
    assert len(crossing) == expected == 85
    assert crossing[-1] == (
        f"info: {GED}:2071: date_end: event 430948 runs from 2022-01-31 to 2022-02-04, past "
        "the end of month 2022-01; counted in 2022-01, where it began"
    )


def test_no_ucdp_event_runs_into_the_next_year() -> None:
    _, findings = imported(GED, "ucdp-ged")
    assert findings == []


def test_month_sums_out_of_order_are_widened_and_reported() -> None:
    frame, findings = imported(GED, "ucdp-ged", by=("country", "month"))
    assert [f for f in findings if f.startswith("warning")] == [
        f"warning: {GED}:240: low: UCDP GED's sums give low 68, best 68, high 64: out of "
        "order, as the events' own figures are (30272); the claim's low and high are widened "
        "to take in best; check the events' figures",
        f"warning: {GED}:1104: low: UCDP GED's sums give low 73, best 73, high 70: out of "
        "order, as the events' own figures are (197881); the claim's low and high are widened "
        "to take in best; check the events' figures",
    ]
    claim = frame[frame["id"] == "ucdp-ged-2023-06-30/central-african-republic/2011-01"].iloc[0]
    assert (claim["low"], claim["best"], claim["high"]) == (68, 68, 68)
    assert claim["note"].startswith(
        "UCDP GED: the sum of 2 events (id: source_original); UCDP GED's sums give low 68, "
        "best 68, high 64: out of order, as the events' own figures are (30272); low and high "
        "widened to take in best | "
    )


def test_adm1_keys_place_events_under_their_country(ged: pd.DataFrame) -> None:
    frame, findings = imported(GED, "ucdp-ged", by=("adm1", "year"))
    ouaka = frame[(frame["location"] == f"{CAR}/Ouaka province") & (frame["group"] == "total")]
    expected = ged[ged["adm_1"] == "Ouaka province"].groupby(ged["year"].astype(str))["best"]
    assert ouaka.set_index("period")["best"].astype(int).to_dict() == expected.sum().to_dict()
    unplaced = ged[ged["adm_1"].isna()]
    line = unplaced.index[0] + 2  # after the header, from 0
    assert [f for f in findings if "first-level area" in f] == [
        f"info: {GED}:{line}: adm_1: {len(unplaced)} events in {CAR} name no first-level area "
        f"(the first is {unplaced['id'].iloc[0]}); counted under `{CAR}/(no adm1)`"
    ]


def test_where_keeps_the_events_that_pass(ged: pd.DataFrame) -> None:
    frame = load(GED, where=parse_where(["type_of_violence=3", "where_prec<=2"]))
    kept = ged[(ged["type_of_violence"] == 3) & (ged["where_prec"] <= 2)]
    expected = kept.groupby(kept["year"].astype(str))["best"].sum()
    assert totals(frame)["best"].to_dict() == expected.to_dict()


def test_by_event_gives_each_event_its_own_event_and_period() -> None:
    frame = load(GED, by=("event",)).set_index("id")
    claim = frame.loc["ucdp-ged-2023-06-30/68644"]
    assert (claim["event"], claim["period"], claim["location"]) == (
        "ucdp-ged-68644",
        "2013-01-20/2013-01-26",
        f"{CAR}/Basse-Kotto province",
    )
    assert (
        claim["note"]
        == "UCDP GED: the sum of 1 event (id: source_original) | 68644: defence ministry"
    )


def test_a_ucdp_file_is_known_by_its_header() -> None:
    assert len(load(GED)) == len(load(GED, "ucdp-ged"))


def test_without_a_release_date_ucdp_is_refused_with_its_line() -> None:
    with pytest.raises(figrecon.InputError) as info:
        figrecon.load(GED)
    assert [str(f) for f in info.value.findings] == [
        f"{GED}:1: stated_on: UCDP GED files do not say when the dataset was released; give "
        "the release date with --released YYYY-MM-DD"
    ]


def test_a_bad_count_is_refused_with_its_line(write) -> None:
    lines = GED.read_text(encoding="utf-8").splitlines()
    lines[3] = lines[3].replace(",0,0,2,0,2,2,2,482,", ",0,0,2,0,two,2,2,482,")
    path = write("ged.csv", "\n".join(lines) + "\n")
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [str(f) for f in info.value.findings] == [
        f"{path}:4: best: `two` is not a count (a whole number, 0 or more); give the number "
        "of deaths (0 when none), or leave the event out with --where"
    ]


# --- HXL: the same events as HDX publishes them ------------------------------------------


def libhxl_rows() -> list[dict[str, str]]:
    """The HXL file as libhxl reads it (the reference reader of the standard)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import hxl

        with HXL.open("rb") as stream:
            source = hxl.data(stream)
            rows = list(source)
        tags = {
            "id": "#event+id",
            "start": "#date+start",
            "best": "#affected+killed-civilians-min-max",
            "low": "#affected+killed+min",
            "high": "#affected+killed+max",
            "civilians": "#affected+killed+civilians",
        }
        return [{k: row.get(tag) for k, tag in tags.items()} for row in rows]


@pytest.mark.parametrize("estimate", ["best", "low", "high"])
def test_hxl_year_sums_equal_libhxls_reading(estimate: str) -> None:
    rows = pd.DataFrame(libhxl_rows())
    expected = rows[estimate].astype(int).groupby(rows["start"].str[:4]).sum()
    got = totals(load(HXL, "hxl", dataset="UCDP GED"))[estimate]
    assert got.to_dict() == expected.to_dict()


def test_hxl_lists_every_event_libhxl_reads_once() -> None:
    frame = load(HXL, "hxl", dataset="UCDP GED")
    listed = Counter(
        i for note in frame.loc[frame["group"] == "total", "note"] for i in note_ids(note)
    )
    assert set(listed.values()) == {1}
    assert sorted(listed) == sorted(row["id"] for row in libhxl_rows())


def test_hxl_attributes_name_groups() -> None:
    rows = pd.DataFrame(libhxl_rows())
    expected = rows["civilians"].astype(int).groupby(rows["start"].str[:4]).sum()
    frame = load(HXL, "hxl", dataset="UCDP GED")
    civilians = frame[frame["group"] == "civilians"].set_index("period")["best"]
    assert civilians.astype(int).to_dict() == expected.to_dict()


def test_hxl_and_ged_give_the_same_claims_for_the_same_years() -> None:
    from_hxl = load(HXL, "hxl", dataset="UCDP GED")
    from_ged = load(GED)
    ged_years = from_ged[from_ged["period"].isin(["2013", "2014"])]
    columns = ["id", "group", "period", "low", "best", "high", "source", "as_of"]
    assert from_hxl[columns].equals(
        ged_years[ged_years["group"].isin(["total", "civilians"])][columns].reset_index(drop=True)
    )


def test_hxl_file_is_known_by_its_hashtag_row() -> None:
    assert len(load(HXL, dataset="UCDP GED")) == len(load(HXL, "hxl", dataset="UCDP GED"))


def test_hxl_sources_of_each_event_are_provenance_not_the_dataset() -> None:
    with pytest.raises(figrecon.InputError) as info:
        load(HXL, "hxl")
    assert [str(f) for f in info.value.findings] == [
        f"{HXL}:2: #meta+source: source: the events name 295 different sources in "
        "#meta+source, not one dataset (they are kept as each event's provenance); name the "
        "dataset that states the figures with --dataset, e.g. --dataset 'UCDP GED'"
    ]


SYNTHETIC_HXL = """Synthetic incidents (not real data)
event,when,country,killed,civilians killed,by
#event+id,#date,#country+name,#affected+killed,#affected+killed+civilians,#meta+source
e1,2020-05-01,Synthetic Republic,4,1,Synthetic Monitor
e2,2020-05-09,Synthetic Republic,6,6,Synthetic Monitor
e3,2021-01-02,Synthetic Republic,1,0,Synthetic Monitor
"""


def test_hxl_one_meta_source_names_the_dataset(write) -> None:
    path = write("incidents.csv", SYNTHETIC_HXL)
    frame, findings = imported(path, "hxl")
    assert findings == []
    assert frame[["id", "group", "best", "source", "note"]].values.tolist() == [
        ["synthetic-monitor-2023-06-30/synthetic-republic/2020", "total", 10,
         "Synthetic Monitor", "Synthetic Monitor (HXL): the sum of 2 events (#event+id) | e1 | e2"],
        ["synthetic-monitor-2023-06-30/synthetic-republic/2021", "total", 1,
         "Synthetic Monitor", "Synthetic Monitor (HXL): the sum of 1 event (#event+id) | e3"],
        ["synthetic-monitor-2023-06-30/synthetic-republic/2020/civilians", "civilians", 7,
         "Synthetic Monitor", "Synthetic Monitor (HXL): #affected+killed+civilians summed over "
         "the 2 events listed in claim synthetic-monitor-2023-06-30/synthetic-republic/2020"],
    ]  # fmt: skip


def test_where_may_name_an_hxl_column_by_its_hashtag(write) -> None:
    path = write("incidents.csv", SYNTHETIC_HXL)
    frame, _ = imported(path, "hxl", where=parse_where(["#event+id!=e2"]))
    assert frame["best"].tolist() == [4, 1, 1]


# --- ACLED: synthetic fixtures -------------------------------------------------------------


def test_acled_sums_fatalities_per_country_and_year() -> None:
    frame, findings = imported(ACLED, "acled", released=None)
    assert findings == []
    assert frame[["id", "location", "period", "best", "stated_on", "as_of"]].values.tolist() == [
        ["acled-2023-02-02/synthetic-kingdom/2023", "Synthetic Kingdom", "2023", 4,
         "2023-02-02", "2023-02-02"],
        ["acled-2023-02-02/synthetic-republic/2022", "Synthetic Republic", "2022", 12,
         "2023-02-02", "2022-12-31"],
        ["acled-2023-02-02/synthetic-republic/2023", "Synthetic Republic", "2023", 6,
         "2023-02-02", "2023-02-02"],
    ]  # fmt: skip


def test_acled_notes_list_each_event() -> None:
    frame, _ = imported(ACLED, "acled")
    assert frame["note"].tolist()[1] == (
        "ACLED: the sum of 4 events (event_id_cnty) | SYN1 | SYN2 | SYN3 | SYN4"
    )


def test_released_overrides_acleds_latest_update() -> None:
    frame, _ = imported(ACLED, "acled")
    assert set(frame["stated_on"]) == {"2023-06-30"}


def test_acled_export_dates_read_as_the_api_dates() -> None:
    assert imported(ACLED_EXPORT, "acled")[0].equals(imported(ACLED, "acled")[0].assign(
        line=imported(ACLED_EXPORT, "acled")[0]["line"]
    ))  # fmt: skip


def test_acled_file_is_known_by_its_header() -> None:
    assert len(load(ACLED)) == len(load(ACLED, "acled")) == 3


def test_acled_adm1_month_keys() -> None:
    frame, findings = imported(ACLED, "acled", by=("adm1", "month"))
    assert frame[["location", "period", "best"]].values.tolist() == [
        ["Synthetic Kingdom/Capital Province", "2023-03", 4],
        ["Synthetic Republic/(no adm1)", "2023-03", 1],
        ["Synthetic Republic/North Province", "2022-01", 3],
        ["Synthetic Republic/North Province", "2023-01", 5],
        ["Synthetic Republic/South Province", "2022-02", 7],
        ["Synthetic Republic/South Province", "2022-12", 2],
    ]
    assert findings == [
        f"info: {ACLED}:7: admin1: 1 event in Synthetic Republic names no first-level area (the "
        "first is SYN6); counted under `Synthetic Republic/(no adm1)`"
    ]


def test_bad_acled_values_are_located(write) -> None:
    text = ACLED.read_text(encoding="utf-8")
    text = text.replace(",3,,1672617600", ",many,,1672617600").replace("2022-02-11", "2022-02-31")
    path = write("acled.csv", text)
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [str(f) for f in info.value.findings] == [
        f"{path}:2: fatalities: `many` is not a count (a whole number, 0 or more); give the "
        "number of deaths (0 when none), or leave the event out with --where",
        f"{path}:4: event_date: `2022-02-31` is not a date; write the date as YYYY-MM-DD or "
        "DD Month YYYY",
    ]


def test_a_file_missing_a_column_of_its_format_is_refused(write) -> None:
    path = write("acled.csv", "event_id_cnty,event_date,country\nX1,2022-01-01,Synthetic\n")
    with pytest.raises(figrecon.InputError) as info:
        load(path, "acled")
    assert [str(f) for f in info.value.findings] == [
        f"{path}:1: no column `fatalities`, which ACLED files have; check that this is the "
        "file you meant, and its --input-format"
    ]


# --- hostile input: synthetic fixtures ---------------------------------------------------


SYNTHETIC_GED = """id,country,adm_1,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low
901,Synthetic Republic,North,2020-05-01 00:00:00.000,2020-05-01 00:00:00.000,1,0,1,0,2,3,2
902,Synthetic Republic,North,2020-05-09 00:00:00.000,2020-05-10 00:00:00.000,0,0,4,0,4,4,4
903,Synthetic Republic,,2021-01-02 00:00:00.000,2021-01-02 00:00:00.000,0,1,0,0,1,1,1
"""
"""Three made-up events in GED's columns (synthetic, not UCDP's data), for the hostile
inputs below."""


def synthetic(write, text: str, line: int, column: str, value: str) -> Path:
    """A synthetic fixture with one cell changed: `column` of the row on `line`."""
    rows = [row.split(",") for row in text.splitlines()]
    header = next(row for row in rows if column in row)  # GED's names; HXL's names or tags
    rows[line - 1][header.index(column)] = value
    return write("events.csv", "\n".join(",".join(row) for row in rows) + "\n")


@pytest.mark.parametrize("value", ["999999999999999999999999999999", "1e309", "20000000000"])
def test_a_count_above_ten_billion_is_refused_with_its_value(write, value: str) -> None:
    """The claims' own limit: above it a count wrapped around in 64 bits (a 30-digit best
    became -9,223,372,036,854,775,808, with numpy's warning on stderr)."""
    path = synthetic(write, SYNTHETIC_GED, 3, "best", value)
    with pytest.raises(figrecon.InputError) as info:
        load(path, "ucdp-ged")
    assert [str(f) for f in info.value.findings] == [
        f"{path}:3: best: `{value}` is more than 10^10 people; give the number of deaths (0 "
        "when none), or leave the event out with --where"
    ]


def test_an_hxl_count_above_ten_billion_is_refused_with_its_hashtag(write) -> None:
    path = synthetic(write, SYNTHETIC_HXL, 5, "killed", "1e309")
    with pytest.raises(figrecon.InputError) as info:
        load(path, "hxl")
    assert [str(f) for f in info.value.findings] == [
        f"{path}:5: #affected+killed: `1e309` is more than 10^10 people; give the number of "
        "deaths (0 when none), or leave the event out with --where"
    ]


def test_reconcile_names_the_count_above_ten_billion_as_written(run, write) -> None:
    path = synthetic(write, SYNTHETIC_GED, 2, "best", "999999999999999999999999999999")
    result = run("reconcile", "--input-format", "ucdp-ged", path, "--released", "2023-06-30")
    assert (result.exit_code, result.stderr.splitlines()) == (
        2,
        [
            f"{path}:2: best: `999999999999999999999999999999` is more than 10^10 people; "
            "give the number of deaths (0 when none), or leave the event out with --where",
        ],
    )


@pytest.mark.parametrize(
    ("text", "line", "column", "value", "field"),
    [
        (SYNTHETIC_GED, 3, "date_start", "0000-01-01 00:00:00.000", "date_start"),
        (SYNTHETIC_GED, 3, "date_end", "", "date_end"),
        (SYNTHETIC_GED, 3, "date_end", "2020-5-9", "date_end"),
        (SYNTHETIC_HXL, 5, "when", "0000-01-01", "#date"),
    ],
)
def test_a_day_before_the_year_1_or_no_day_is_refused_like_31_february(
    write, text: str, line: int, column: str, value: str, field: str
) -> None:
    """Arrow reads 0000-01-01, which no claim can be dated (it ended in an internal error,
    exit 70); an empty date or one that is no YYYY-MM-DD below the first event did too."""
    path = synthetic(write, text, line, column, value)
    with pytest.raises(figrecon.InputError) as info:
        load(path, "hxl" if text == SYNTHETIC_HXL else "ucdp-ged", dataset="Synthetic")
    said = f"`{value}` is not a date" if value else "no date"
    assert [str(f) for f in info.value.findings] == [
        f"{path}:{line}: {field}: {said}; write the date as YYYY-MM-DD"
    ]


@pytest.mark.parametrize("command", ["reconcile", "check"])
def test_a_day_of_the_year_0_is_an_error_of_the_input_for_every_command(
    run, write, command: str
) -> None:
    path = synthetic(write, SYNTHETIC_GED, 2, "date_start", "0000-01-01 00:00:00.000")
    result = run(command, "--input-format", "ucdp-ged", path, "--released", "2023-06-30")
    assert result.exit_code == 2
    assert "date_start: `0000-01-01 00:00:00.000` is not a date" in result.stdout + result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("by", ["country,year", "adm1,month", "country", "event"])
def test_the_first_and_last_days_of_the_calendar_are_read(write, by: str) -> None:
    text = SYNTHETIC_GED.replace("2020-05-01", "0001-01-01")
    text = text.replace("2020-05-09 00:00:00.000,2020-05-10", "9999-12-31 00:00:00.000,9999-12-31")
    frame = load(write("events.csv", text), "ucdp-ged", by=parse_by(by))
    total = frame[frame["group"] == "total"]
    assert total["best"].sum() == 7
    assert total["as_of"].max() == RELEASED


@pytest.mark.parametrize("stamp", ["99999999999999999999", "1e309", "253402300800"])
def test_an_acled_timestamp_past_the_year_9999_is_located(write, stamp: str) -> None:
    """The release is dated by the latest timestamp: one past 9999 overflowed Python's
    dates (exit 70)."""
    path = write("acled.csv", ACLED.read_text(encoding="utf-8").replace("1672617600", stamp))
    with pytest.raises(figrecon.InputError) as info:
        load(path, "acled", released=None)
    assert [str(f) for f in info.value.findings] == [
        f"{path}:2: timestamp: `{stamp}` is no time between the years 1 and 9999 (seconds "
        "since 1970-01-01); fix it, or give the release date with --released YYYY-MM-DD"
    ]


def with_column(text: str, names: str, cells: str) -> str:
    """A synthetic fixture with a column added at the end: `names` on the header rows (the
    names, and HXL's hashtags), `cells` on each event's row."""
    lines = text.splitlines()
    heads = len(names.split(","))
    top = [
        f"{line},{name}"
        for line, name in zip(lines[-3 - heads : -3], names.split(","), strict=True)
    ]
    rows = [f"{line},{cells}" for line in lines[-3:]]
    return "\n".join([*lines[: -3 - heads], *top, *rows]) + "\n"


def test_a_column_named_twice_is_refused_as_by_the_claims_reader(write) -> None:
    path = write("events.csv", with_column(SYNTHETIC_GED, "Best", "9"))
    with pytest.raises(figrecon.InputError) as info:
        load(path, "ucdp-ged")
    assert [str(f) for f in info.value.findings] == [
        f"{path}:1: Best: column `Best` appears twice (columns 10 and 13); keep one"
    ]


def test_an_hxl_hashtag_the_import_reads_on_two_columns_is_refused(write) -> None:
    path = write("events.csv", with_column(SYNTHETIC_HXL, "deaths,#affected +killed", "9"))
    with pytest.raises(figrecon.InputError) as info:
        load(path, "hxl")
    assert [str(f) for f in info.value.findings] == [
        f"{path}:3: #affected+killed: column `#affected+killed` appears twice (columns 4 and "
        "7); keep one"
    ]


def test_an_hxl_hashtag_the_import_does_not_read_may_tag_two_columns(write) -> None:
    text = with_column(with_column(SYNTHETIC_HXL, "org,#org", "A"), "other org,#org", "B")
    frame, findings = imported(write("events.csv", text), "hxl")
    assert (findings, frame["best"].tolist()) == ([], [10, 1, 7])


@pytest.mark.parametrize(
    ("text", "repeated"),
    [
        (SYNTHETIC_GED.replace("\n903,", "\n901,"), "id 901 is on lines 2 and 4"),
        (SYNTHETIC_GED + SYNTHETIC_GED.splitlines()[3] + "\n", "id 903 is on lines 4 and 5"),
    ],
)
def test_an_event_id_on_two_rows_is_refused_even_when_the_rows_are_the_same(
    write, text: str, repeated: str
) -> None:
    """Two extracts put together: each event they share would count twice in every sum,
    and --by event would make two claims of one id."""
    path = write("events.csv", text)
    with pytest.raises(figrecon.InputError) as info:
        load(path, "ucdp-ged", by=("event",))
    line = repeated.rsplit(" ", 1)[1]
    assert [str(f) for f in info.value.findings] == [
        f"{path}:{line}: id: {repeated}; keep one row per event (a file put together from two "
        "extracts repeats the events they share)"
    ]


def test_a_repeated_event_that_where_leaves_out_is_not_counted(write) -> None:
    path = write("events.csv", SYNTHETIC_GED + SYNTHETIC_GED.splitlines()[3] + "\n")
    frame = load(path, "ucdp-ged", where=parse_where(["date_start<2021-01-01"]))
    assert totals(frame)["best"].to_dict() == {"2020": 6}


# --- options --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("country,year", ("country", "year")),
        ("month,adm1", ("adm1", "month")),
        ("country", ("country",)),
        ("event", ("event",)),
    ],
)
def test_by_reads_the_parts_of_the_key(text: str, parts: tuple[str, ...]) -> None:
    assert parse_by(text) == parts


@pytest.mark.parametrize("text", ["year", "country,adm1", "country,week", "event,year", ""])
def test_by_refuses_other_keys(text: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_by(text)
    assert str(info.value) == (
        f"--by {text!r}: use country or adm1, with year or month (e.g. country,year or "
        "adm1,month), or event"
    )


def test_where_unknown_column_is_refused_with_a_suggestion() -> None:
    with pytest.raises(figrecon.InputError) as info:
        load(GED, where=parse_where(["type_of_violense=3"]))
    assert [str(f) for f in info.value.findings] == [
        f"{GED}:1: --where type_of_violense=3: the file has no column `type_of_violense` (did "
        "you mean `type_of_violence`?); name a column of its header"
    ]


_WRITE = "write COLUMN=VALUE (or !=, <, <=, >, >=), e.g. --where type_of_violence=3"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("type_of_violence", _WRITE),
        # `best=>5` read as best equal to `>5`: it matched no event, and said nothing.
        ("best=>5", "`=>` is no operator; " + _WRITE),
        ("best==5", "`==` is no operator; " + _WRITE),
        ("best<>5", "`<>` is no operator; " + _WRITE),
        ("best>=", "nothing to compare with after `>=`; " + _WRITE),
        (
            "date_start>=2013-02-30",
            "`2013-02-30` is no date; write the day as YYYY-MM-DD, e.g. --where "
            "date_start>=2013-12-01",
        ),
    ],
)
def test_a_where_that_is_no_comparison_is_a_usage_error(text: str, message: str) -> None:
    with pytest.raises(UsageError) as info:
        parse_where([text])
    assert str(info.value) == f"--where {text!r}: {message}"


@pytest.mark.parametrize(
    ("text", "example", "why"),
    [
        ("best>=abc", "best>=10", "`abc` is no number"),
        ("best<NaN", "best<10", "`NaN` is no number"),
        ("best>=1e309", "best>=10", "`1e309` is no number"),
    ],
)
def test_where_comparing_a_column_of_numbers_with_no_number_is_refused(
    text: str, example: str, why: str
) -> None:
    """Compared as text, these matched all events or none, and said nothing."""
    with pytest.raises(figrecon.InputError) as info:
        load(GED, where=parse_where([text]))
    column = example.rstrip("10!=<>")
    assert [str(f) for f in info.value.findings] == [
        f"{GED}:1: --where {text}: `{column}` holds numbers, and {why}; compare it with a "
        f"number, e.g. --where {example}"
    ]


def test_where_on_text_keeps_comparing_text_and_empty_values(ged: pd.DataFrame) -> None:
    def events(*where: str) -> int:
        frame = load(GED, by=("event",), where=parse_where(list(where)))
        return int((frame["group"] == "total").sum())

    assert events("adm_1=") == ged["adm_1"].isna().sum()
    assert events("adm_1!=") == ged["adm_1"].notna().sum()
    assert events("country>=M") == 0
    assert events("date_start>=2013-12-01") == (ged["date_start"] >= "2013-12-01").sum()


# --- the command line ------------------------------------------------------------------------

PRESS = """event: central-african-republic
location: Central African Republic
sources:
  newspaper: {name: A newspaper (illustrative), type: media}
  ministry: {name: A ministry (illustrative), type: government, party: true}
claims:
  - {id: paper-2014, metric: killed, period: "2014", value: "some 3,500", source: newspaper,
     stated_on: 2015-01-10, note: ILLUSTRATIVE}
  - {id: ministry-2014, metric: killed, period: "2014", value: about 1200, source: ministry,
     stated_on: 2015-01-15, note: ILLUSTRATIVE}
"""


def test_import_then_reconcile_beside_press_claims(run, write, tmp_path: Path) -> None:
    claims = tmp_path / "ucdp.csv"
    imported = run(
        "import", "ucdp-ged", GED, "--released", "2023-06-30", "--where", "year=2014", "-o", claims
    )
    assert imported.exit_code == 0
    assert imported.stderr.splitlines() == [
        f"5 claims from {GED} (UCDP GED, by country,year)",
        f"Wrote {claims}",
    ]
    result = run("reconcile", claims, write("press.yaml", PRESS), "--group", "total",
                 "--explain", "-f", "json")  # fmt: skip
    (figure,) = __import__("json").loads(result.stdout)["figures"]
    ucdp = "ucdp-ged-2023-06-30/central-african-republic/2014"
    assert (figure["period"], figure["low"], figure["best"], figure["high"]) == (
        "2014", 3160, 3493, 4073,
    )  # fmt: skip
    assert (figure["confidence"], figure["disagreement"]) == ("moderate", "substantial")
    assert sorted(figure["claims_used"]) == ["paper-2014", ucdp]
    assert figure["claims_excluded"] == [{"id": "ministry-2014", "reason": "outlier", "rule": "R7"}]
    assert [n["code"] for n in figure["notes"]] == ["outlier"]
    trace = {t["id"]: t for t in figure["explain"]}
    assert trace[ucdp]["note"].startswith(
        "UCDP GED: the sum of 461 events (id: source_original) | 113787: Doctors without "
        "Borders (MSF) | 157201 | "
    )


def test_explain_shows_the_events_an_imported_claim_sums(run) -> None:
    result = run("reconcile", GED, "--released", "2023-06-30", "--where", "year=1993",
                 "--group", "total", "--explain")  # fmt: skip
    assert result.exit_code == 0
    assert (
        "note: UCDP GED: the sum of 3 events (id: source_original) | 20192: hospital "
        "source/student sources | 22781: hospital sources | 22861: witnesses"
    ) in " ".join(result.stdout.split())


@pytest.mark.parametrize("command", ["reconcile", "check", "normalize"])
def test_every_command_reads_an_event_dataset_with_the_import_options(run, command: str) -> None:
    result = run(command, ACLED, "--input-format", "acled", "--by", "adm1,month")
    assert result.exit_code == 0
    assert (
        "info: " if command != "check" else ": info event-without-area "
    ) in result.stdout + result.stderr


def test_diff_reads_event_datasets_with_the_import_options(run) -> None:
    result = run("diff", ACLED, ACLED_EXPORT, "--released", "2023-06-30", "-f", "json")
    assert result.exit_code == 0
    assert __import__("json").loads(result.stdout)["changes"] == []


def test_an_unknown_input_format_lists_the_event_datasets(run) -> None:
    result = run("reconcile", ACLED, "--input-format", "ged")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "--input-format 'ged': use yaml, csv, tsv, json, ndjson, xlsx, ods, ucdp-ged, acled or hxl"
    )


def test_import_refuses_an_unknown_format_and_a_non_csv_output(run, tmp_path: Path) -> None:
    unknown = run("import", "gdelt", ACLED)
    assert (unknown.exit_code, unknown.stderr.strip()) == (
        2,
        "FORMAT 'gdelt': use ucdp-ged, acled, hxl",
    )
    yaml_out = run("import", "acled", ACLED, "-o", tmp_path / "claims.yaml")
    assert (yaml_out.exit_code, yaml_out.stderr.strip()) == (
        2,
        f"-o {tmp_path / 'claims.yaml'}: import writes CSV; give a file name ending in .csv",
    )


def test_imported_claims_load_back_as_they_were_summed(run, tmp_path: Path) -> None:
    out = tmp_path / "claims.csv"
    assert run("import", "ucdp-ged", GED, "--released", "2023-06-30", "-o", out).exit_code == 0
    assert totals(figrecon.load(out).frame).equals(totals(load(GED)))


def test_a_place_that_reads_as_a_formula_is_written_safely(run, write, tmp_path: Path) -> None:
    path = write("incidents.csv", SYNTHETIC_HXL.replace("Synthetic Republic", "=Synthetic"))
    out = tmp_path / "claims.csv"
    result = run("import", "hxl", path, "--released", "2023-06-30", "-o", out)
    assert result.exit_code == 0
    assert ',"\'=Synthetic",' in out.read_text(encoding="utf-8")
    assert set(figrecon.load(out).frame["location"]) == {"=Synthetic"}


def test_research_is_a_source_type_of_the_schema_and_the_method(run) -> None:
    schema = __import__("json").loads(run("schema").stdout)
    assert "research" in schema["$defs"]["SourceType"]["enum"]
    method = (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    assert "research (an event dataset)" in method
    assert "ngo and research 0.9" in method


def test_bytes_that_are_not_utf8_are_located(write) -> None:
    data = ACLED.read_bytes().replace(b"Capital Province", b"Capital \xff")
    path = write("acled.csv", "")
    path.write_bytes(data)
    offset = data.index(b"\xff")
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [str(f) for f in info.value.findings] == [
        f"{path}:8: not valid utf-8-sig (byte 0xff at offset {offset}); give the "
        "file's encoding with -e/--encoding, e.g. -e cp1251 or -e latin-1"
    ]


def test_a_file_in_another_encoding_is_read_as_given(write) -> None:
    text = ACLED.read_text(encoding="utf-8").replace("Capital Province", "Région Capitale")
    path = write("acled.csv", "")
    path.write_bytes(text.encode("latin-1"))
    claims = figrecon.load(path, encoding="latin-1", events=options(by=("adm1", "year")))
    assert "Synthetic Kingdom/Région Capitale" in set(claims.frame["location"])


def test_lines_are_counted_across_values_that_hold_line_breaks() -> None:
    import csv

    with HXL.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        starts = []
        for row in reader:
            starts.append((row, reader.line_num))
    # The line each record starts on: one after the line where the one before it ended.
    lines = {
        row[0]: end_of_previous + 1
        for (row, _), (_, end_of_previous) in zip(starts[1:], starts[:-1], strict=True)
    }
    assert max(end for _, end in starts) > len(starts)  # some values do hold line breaks
    _, findings = imported(HXL, "hxl", dataset="UCDP GED", by=("adm1", "year"))
    (finding,) = [f for f in findings if "first-level area" in f]
    first = finding.split("(the first is ")[1].split(")")[0]
    assert finding.startswith(f"info: {HXL}:{lines[first]}: #adm1+name: ")


def test_a_row_of_the_wrong_width_is_located(tmp_path: Path) -> None:
    """A GED row with a field too many is named at its line, and nothing is summed
    (pyarrow reads first without a handler of bad rows, then again with one)."""
    from figrecon.io.importers import claims_of

    lines = GED.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "ged.csv"
    bad.write_text("".join([*lines[:3], lines[3].rstrip("\n") + ",extra\n", *lines[4:]]))
    text = bad.read_text(encoding="utf-8")
    summed = claims_of(str(bad), text, bad.read_bytes(), fmt_of("ucdp-ged"), options())
    assert [(f.code, f.line) for f in summed.findings] == [("invalid-dataset", 4)]
    assert "does not have the header's 49 fields" in summed.findings[0].message
    assert summed.frame is None


def test_where_on_numbers_with_empty_cells_still_selects_the_empty_ones(tmp_path: Path) -> None:
    """`gwnob=` (no second government) and `gwnob!=` on a column that holds a number in
    some rows: an empty value after = or != is "has none" or "has one" (synthetic: the
    sample with one gwnob set)."""
    import csv

    with GED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index("gwnob")
    assert all(row[at] == "" for row in rows[1:])
    rows[1][at] = "625"
    edited = tmp_path / "ged.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)

    def events(*where: str) -> int:
        frame = load(edited, by=("event",), where=parse_where(list(where)))
        return int((frame["group"] == "total").sum())

    assert (events("gwnob="), events("gwnob!="), events("gwnob=625")) == (len(rows) - 2, 1, 1)
    assert events("gwnob=,625") == len(rows) - 1


def test_where_text_that_starts_like_an_operator_is_text() -> None:
    """`actor2=<unknown>` names a value; `best=>5` and `best==5` do not."""
    assert parse_where(["side_b=<unknown>"])[0].values == ("<unknown>",)
    assert parse_where(["source_article=2013-02-30-report"])[0].values == ("2013-02-30-report",)
    with pytest.raises(UsageError):
        parse_where(["best=>2013-01-01"])


def test_a_figure_summing_to_more_than_ten_billion_is_refused(tmp_path: Path) -> None:
    """Each event is within the claims' limit, their sum is not: the claim would be
    written and then refused by every command (synthetic: the sample, two of its events
    of one year set to six billion)."""
    import csv

    with GED.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    head = rows[0]
    year = head.index("year")
    (common, _), *_ = Counter(row[year] for row in rows[1:]).most_common(1)
    first, second = [i for i in range(1, len(rows)) if rows[i][year] == common][:2]
    for i in (first, second):
        for name in ("best", "low", "high"):
            rows[i][head.index(name)] = "6000000000"
    edited = tmp_path / "ged.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(figrecon.InputError) as info:
        load(edited)
    (finding,) = [f for f in info.value.findings if f.code == "invalid-dataset"]
    assert finding.line is not None
    assert 2 <= finding.line <= len(rows)  # its first event's
    assert finding.message.startswith("the ")
    assert finding.message.endswith(" people (best), more than 10^10")
    assert "sum to " in finding.message


@pytest.mark.parametrize(
    ("start", "year", "refused"),
    [
        ("#date+start+utc", "#date+start+local", True),
        ("#date+start", "#date+start+utc", False),
    ],
)
def test_hxl_columns_that_each_could_be_the_start_are_refused_unless_one_is_alone(
    tmp_path: Path, start: str, year: str, refused: bool
) -> None:
    """#date+start+utc beside #date+start+local: which is the start was left to the
    order of the columns. Beside a #date+start alone, that one is read (synthetic: the
    sample's tags changed)."""
    text = HXL.read_text(encoding="utf-8")
    edited = tmp_path / "tags.hxl.csv"
    edited.write_text(
        text.replace("#date+start,", start + ",", 1).replace("#date+year,", year + ",", 1),
        encoding="utf-8",
    )
    if not refused:
        assert totals(load(edited, "hxl", dataset="UCDP GED")).equals(
            totals(load(HXL, "hxl", dataset="UCDP GED"))
        )
        return
    with pytest.raises(figrecon.InputError) as info:
        load(edited, "hxl", dataset="UCDP GED")
    assert [str(f) for f in info.value.findings] == [
        f"{edited}:2: #date+start+local (column 2) and #date+start+utc (column 14) each "
        "match #date+start: which one the import reads would be left to chance; tag one of "
        "them #date+start alone, or keep one"
    ]


def test_acled_dates_in_both_forms_are_read_and_only_a_bad_one_is_reported(write) -> None:
    """The date form was taken from the first event: after a malformed first date, or
    an ISO one, every later `20 January 2022` was reported as "not a date"."""
    text = ACLED_EXPORT.read_text(encoding="utf-8")
    mixed = write("mixed.csv", text.replace("05 January 2022", "2022-01-05", 1))
    assert (
        imported(mixed, "acled")[0]
        .drop(columns="line")
        .equals(imported(ACLED_EXPORT, "acled")[0].drop(columns="line"))
    )
    bad = write("bad.csv", text.replace("05 January 2022", "32 January 2022", 1))
    summed = claims_of(str(bad), bad.read_text(), bad.read_bytes(), fmt_of("acled"), options())
    assert [str(f) for f in summed.findings] == [
        f"{bad}:2: event_date: `32 January 2022` is not a date; "
        "write the date as YYYY-MM-DD or DD Month YYYY"
    ]


# --- HDX's ACLED files: ACLED's columns under a row of HXL hashtags ------------------------

# Laid out as HDX's "Conflict Data for COUNTRY" files tag ACLED's export (the HDX scraper's
# tags: event_id_cnty #event+code, event_date #date+occurred, fatalities #affected+killed,
# untagged columns left empty); the events are SYNTHETIC, not ACLED data.
HDX_ACLED = """\
data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,\
sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,\
country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,\
notes,fatalities,timestamp,iso3
,,#event+code,,#date+occurred,#date+year,,#event+type,,#group+name+first,\
#group+name+first+assoc,,#group+name+second,#group+name+second+assoc,,,#region+name,\
#country+name,#adm1+name,#adm2+name,#adm3+name,#loc+name,#geo+lat,#geo+lon,,#meta+source,,\
#description,#affected+killed,,#country+code
9001,999,SYN101,101,2022-01-05,2022,1,Battles,Armed clash,Synthetic forces,,1,Synthetic \
rebels,,2,12,Synthetic region,Synthetic Republic,North Province,,,Synthetic town,1.0,20.0,1,\
Synthetic Radio,National,"SYNTHETIC, not a real report",3,1672617600,SYN
9002,999,SYN102,102,2022-01-20,2022,1,Battles,Armed clash,Synthetic forces,,1,Synthetic \
rebels,,2,12,Synthetic region,Synthetic Republic,North Province,,,Synthetic town,1.0,20.0,1,\
Synthetic Wire; Synthetic Radio,National,"SYNTHETIC, not a real report",0,1672704000,SYN
9003,999,SYN103,103,2022-02-11,2022,1,Violence against civilians,Attack,Synthetic militia,,3,\
Civilians,,7,37,Synthetic region,Synthetic Republic,South Province,,,Synthetic village,1.0,\
20.0,1,Synthetic Wire,National,"SYNTHETIC, not a real report",7,1675209600,SYN
"""


def test_hdx_acled_event_date_tagged_date_occurred_is_the_events_date(write) -> None:
    path = write("conflict_data_syn.csv", HDX_ACLED)
    frame, findings = imported(path, "hxl", dataset="ACLED", by=parse_by("country,month"))
    assert findings == []
    assert frame[["period", "best", "note"]].values.tolist() == [
        ["2022-01", 3, "ACLED (HXL): the sum of 2 events (#event+code: #meta+source) | "
         "SYN101: Synthetic Radio | SYN102: Synthetic Wire; Synthetic Radio"],
        ["2022-02", 7, "ACLED (HXL): the sum of 1 event (#event+code: #meta+source) | "
         "SYN103: Synthetic Wire"],
    ]  # fmt: skip


def test_hdx_acled_file_is_known_as_hxl_though_its_names_are_acleds(write) -> None:
    # Its names are ACLED's and its second row HXL's: read as claims, every column of it
    # was an unknown field.
    path = write("conflict_data_syn.csv", HDX_ACLED)
    assert load(path, dataset="ACLED")["best"].tolist() == [10]


def test_acled_reader_skips_the_hashtag_row_under_acleds_names(write) -> None:
    path = write("conflict_data_syn.csv", HDX_ACLED)
    frame, findings = imported(path, "acled", released=None)
    assert findings == []
    assert frame[["best", "stated_on", "note"]].values.tolist() == [
        [10, "2023-02-01", "ACLED: the sum of 3 events (event_id_cnty) | SYN101 | SYN102 | SYN103"]
    ]


# --- event datasets in a workbook -----------------------------------------------------------


def ged_workbook(target: Path, years: tuple[int, ...] = (2013, 2014)) -> Path:
    """The GED extract's events of some years as a spreadsheet program saves them: numbers
    in number cells, dates in date cells."""
    from sheets import workbook

    frame = pd.read_csv(GED, dtype=str, keep_default_na=False)
    frame = frame[frame["year"].astype(int).isin(years)]
    rows: list[list[object]] = [list(frame.columns)]
    for record in frame.itertuples(index=False):
        row: list[object] = []
        for name, cell in zip(frame.columns, record, strict=True):
            if name in ("date_start", "date_end"):
                row.append(dt.datetime.fromisoformat(cell[:10]))
            elif cell.lstrip("-").isdigit():
                row.append(int(cell))
            else:
                row.append(cell or None)
        rows.append(row)
    return workbook(target, {"ged231": rows})


@pytest.mark.parametrize("suffix", ["xlsx", "ods"])
def test_a_ged_workbook_is_read_as_its_csv(tmp_path: Path, suffix: str) -> None:
    # UCDP also publishes GED as an Excel workbook; it was read as claims, each of GED's
    # columns an unknown field, or refused for a NUL with --input-format ucdp-ged.
    book = ged_workbook(tmp_path / f"ged231.{suffix}")
    from_csv = load(GED, where=parse_where(["year=2013,2014"]))
    for fmt in (None, "ucdp-ged"):
        frame = load(book, fmt)
        assert frame["id"].tolist() == from_csv["id"].tolist()
        assert frame[["low", "best", "high"]].values.tolist() == (
            from_csv[["low", "best", "high"]].values.tolist()
        )


def test_import_reads_a_ged_workbook(run, tmp_path: Path) -> None:
    book = ged_workbook(tmp_path / "ged231.xlsx")
    result = run("import", "ucdp-ged", book, "--released", "2023-06-30")
    assert result.exit_code == 0, result.output
    csv_result = run(
        "import", "ucdp-ged", GED, "--released", "2023-06-30", "--where", "year=2013,2014"
    )
    assert result.stdout == csv_result.stdout


def test_the_dataset_names_a_workbook_may_be_forced_to_are_the_importers() -> None:
    from figrecon.io import formats
    from figrecon.io.importers import FORMATS

    assert set(formats._DATASETS) == set(FORMATS)


# HDX HAPI's conflict events (ACLED's, summed by HDX per area, month and type) name the
# country by its code alone, and the area twice: as ACLED wrote it (+provider) and as the
# humanitarian boundaries do. SYNTHETIC figures, laid out in HAPI's columns and hashtags.
HAPI = """\
location_code,has_hrp,in_gho,provider_admin1_name,provider_admin2_name,admin1_code,\
admin1_name,admin2_code,admin2_name,admin_level,event_type,events,fatalities,\
reference_period_start,reference_period_end
#country+code,#meta+has_hrp,#meta+in_gho,#adm1+name+provider,#adm2+name+provider,\
#adm1+code,#adm1+name,#adm2+code,#adm2+name,#meta+admin_level,#event+type,#event+num,\
#affected+killed,#date+start,#date+end
SYN,Y,Y,North Prov,Town A,SY01,North Province,SY0101,Town A,2,political_violence,4,9,\
2024-01-01,2024-01-31
SYN,Y,Y,North Prov,Town A,SY01,North Province,SY0101,Town A,2,civilian_targeting,2,3,\
2024-01-01,2024-01-31
SYN,Y,Y,Sud,Town B,SY02,South Province,SY0201,Town B,2,political_violence,1,1,\
2024-02-01,2024-02-29
"""


def test_hxl_country_known_by_its_code_alone_and_the_area_by_its_plain_name(write) -> None:
    path = write("hapi_conflict_event.csv", HAPI)
    frame, findings = imported(path, "hxl", dataset="ACLED", by=parse_by("adm1,year"))
    assert findings == []
    assert frame[["location", "best"]].values.tolist() == [
        ["SYN/North Province", 12],
        ["SYN/South Province", 1],
    ]


def test_an_empty_count_says_how_to_leave_out_the_events_without_one(write) -> None:
    # HAPI leaves the fatalities of demonstrations empty (SYNTHETIC row).
    demonstrations = "SYN,Y,Y,Sud,Town B,SY02,South Province,SY0201,Town B,2,demonstration,5,,"
    path = write("hapi_conflict_event.csv", HAPI + demonstrations + "2024-02-01,2024-02-29\n")
    with pytest.raises(figrecon.InputError) as info:
        load(path, dataset="ACLED")
    assert [str(f) for f in info.value.findings] == [
        f"{path}:6: #affected+killed: is empty; give the number of deaths (0 when none), or "
        "leave out the events without one with --where '#affected+killed!='"
    ]
    frame = load(path, dataset="ACLED", where=parse_where(["#affected+killed!="]))
    assert frame["best"].tolist() == [13]


# Laid out as HDX gives ACLED's figures by month and first-level area (the names and
# hashtags of its "political violence events and fatalities" tables); the figures are
# SYNTHETIC, not ACLED data.
HDX_MONTHLY = """\
Country,Admin1,ISO3,Admin1 Pcode,Month,Year,Events,Fatalities
#country+name,#adm1+name,#country+code,#adm1+code,#date+month,#date+year,#event+num,\
#affected+killed
Synthetic Republic,North Province,SYN,SY01,January,2022,4,12
Synthetic Republic,North Province,SYN,SY01,February,2022,2,3
Synthetic Republic,South Province,SYN,SY02,1,2022,1,5
Synthetic Republic,South Province,SYN,SY02,Dec,2021,3,0
"""


def test_rows_that_count_a_month_are_read_as_its_days(write) -> None:
    """Without a day, `#date+year` and `#date+month` (its name, short name or number)
    make each row count the days of its month: summed by month, by year, and as of the
    last day of each."""
    path = write("monthly.csv", HDX_MONTHLY)
    frame, findings = imported(path, "hxl", dataset="ACLED", by=parse_by("country,month"))
    assert findings == []
    assert frame[["period", "best", "as_of"]].values.tolist() == [
        ["2021-12", 0, "2021-12-31"],
        ["2022-01", 17, "2022-01-31"],
        ["2022-02", 3, "2022-02-28"],
    ]
    by_area, _ = imported(path, "hxl", dataset="ACLED", by=parse_by("adm1,year"))
    assert by_area[["location", "period", "best"]].values.tolist() == [
        ["Synthetic Republic/North Province", "2022", 15],
        ["Synthetic Republic/South Province", "2021", 0],
        ["Synthetic Republic/South Province", "2022", 5],
    ]
    # A year alone: each row counts the year, and no month of it can be told.
    yearly = write("yearly.csv", HDX_MONTHLY.replace("#date+month", ""))
    frame, findings = imported(yearly, "hxl", dataset="ACLED", by=parse_by("country,year"))
    assert findings == []
    assert frame[["period", "best", "as_of"]].values.tolist() == [
        ["2021", 0, "2021-12-31"],
        ["2022", 20, "2022-12-31"],
    ]
    opts = options(dataset="ACLED", by=parse_by("adm1,month"))
    summed = claims_of(str(yearly), yearly.read_text(), yearly.read_bytes(), fmt_of("hxl"), opts)
    assert [str(f) for f in summed.findings] == [
        f"{yearly}:2: --by adm1,month: the rows count whole years (#date+year, no "
        "#date+month); use --by adm1,year"
    ]
    for name in ("Sept", "Sep.", "sept."):
        sept = write("sept.csv", HDX_MONTHLY.replace("February", name))
        frame, findings = imported(sept, "hxl", dataset="ACLED", by=parse_by("country,month"))
        assert findings == []
        assert "2022-09" in frame["period"].tolist()
    janu = write("janu.csv", HDX_MONTHLY.replace("February", "Janu"))
    summed = claims_of(str(janu), janu.read_text(), janu.read_bytes(), fmt_of("hxl"), opts)
    assert [f.message for f in summed.findings] == ["`Janu` is not a month"]
    bad = write("bad.csv", HDX_MONTHLY.replace("February", "Febtember").replace(",2021,", ",21,"))
    opts = options(dataset="ACLED")
    summed = claims_of(str(bad), bad.read_text(), bad.read_bytes(), fmt_of("hxl"), opts)
    assert [str(f) for f in summed.findings] == [
        f"{bad}:6: #date+year: `21` is not a year; write the year as YYYY",
        f"{bad}:4: #date+month: `Febtember` is not a month; write the month as its English "
        "name (January) or its number (1 to 12)",
    ]


def test_an_import_with_several_problems_says_nothing_was_imported(run, write) -> None:
    bad = write("bad.csv", HDX_MONTHLY.replace("February", "Febtember").replace(",2021,", ",21,"))
    result = run("import", "hxl", bad, "--released", "2024-03-01", "--dataset", "ACLED")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "2 problems; nothing was imported."
