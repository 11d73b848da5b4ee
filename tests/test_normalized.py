"""The normalized claim is declared once (model.NormalizedClaim): `figrecon normalize`
writes its rows, `figrecon schema --normalized` prints its schema, and the library's
`normalize` gives the same table."""

from __future__ import annotations

import json
from pathlib import Path

import figrecon
from figrecon.model import NORMALIZED_COLUMNS, NormalizedClaim

FIXTURES = Path(__file__).parent / "fixtures"


def test_every_row_normalize_writes_is_a_normalized_claim(run) -> None:
    rows = json.loads(run("normalize", FIXTURES / "worked-example.yaml", "-f", "json").stdout)
    assert [list(r) for r in rows] == [list(NORMALIZED_COLUMNS)] * len(rows)
    claims = [NormalizedClaim.model_validate(r) for r in rows]
    assert [c.id for c in claims] == ["w1", "w2", "w3", "w4", "w5", "w6", "w7"]
    assert (claims[6].kind, claims[6].hard_low, claims[6].hard_high) == ("lower_bound", 230, None)


def test_the_library_gives_the_table_the_command_writes(run) -> None:
    frame = figrecon.normalize(figrecon.load(FIXTURES / "worked-example.yaml"))
    assert list(frame.columns) == list(NORMALIZED_COLUMNS)
    written = json.loads(run("normalize", FIXTURES / "worked-example.yaml", "-f", "json").stdout)
    assert frame["point"].tolist() == [r["point"] for r in written]


def test_a_change_keeps_its_earlier_figure(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "event: e\nclaims:\n  - {id: a, metric: killed, value: rose from 164 to 225, "
        "source: s, source_type: ngo, stated_on: 2022-01-01}\n",
        encoding="utf-8",
    )
    row = figrecon.normalize(figrecon.load(path)).iloc[0]
    assert (row["point"], row["changed_from"]) == (225, 164)


def test_schema_prints_the_normalized_claim(run) -> None:
    schema = json.loads(run("schema", "--normalized").stdout)
    assert list(schema["properties"]) == list(NORMALIZED_COLUMNS)


def test_normalize_writes_null_not_nan_for_a_date_some_claims_leave_out(
    run, tmp_path: Path
) -> None:
    """A date some claims leave out (here `as_of`) is null in JSON, never NaN, which is
    not JSON at all (pandas 3 made a column of days and None a column of text and NaN)."""
    path = tmp_path / "c.yaml"
    path.write_text(
        "event: e\nclaims:\n  - {id: a, metric: killed, value: '225', "
        "source: s, source_type: ngo, stated_on: 2022-01-01}\n"
        "  - {id: b, metric: killed, value: '230', "
        "source: t, source_type: ngo, stated_on: 2022-01-03, as_of: 2022-01-02}\n",
        encoding="utf-8",
    )

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON")

    for fmt in ("json", "ndjson"):
        out = run("normalize", path, "-f", fmt).stdout
        if fmt == "json":
            rows = json.loads(out, parse_constant=refuse)
        else:
            rows = [json.loads(line, parse_constant=refuse) for line in out.splitlines()]
        assert rows
        assert [r["as_of"] for r in rows] == [None, "2022-01-02"]


def test_numbers_are_written_as_counts() -> None:
    from figrecon.loading.export import numbers

    written = numbers([164.0, 232.5, float("nan"), float("inf"), 1e20, -0.0]).tolist()
    assert written == [164, 232.5, None, None, 10**20, 0]
    assert [type(x) for x in written] == [int, float, type(None), type(None), int, int]
