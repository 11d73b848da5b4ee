"""CSV that a spreadsheet opens safely: a cell of text that starts with =, +, -, @, tab
or carriage return gets a leading apostrophe (OWASP's advice against formula
injection); numbers stay numbers; figrecon's own reader takes the apostrophe off again,
so its CSV reads back unchanged. All claims here are synthetic."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import figrecon
from figrecon.io.csv import read_csv
from figrecon.text import formula_safe, restore_formulas

Run = Callable[..., Any]

# Synthetic claims whose free-text fields start like formulas. Slugs (event, group)
# cannot: they start with a letter or a digit.
FORMULAS = """\
# Synthetic claims for tests.
event: e
sources:
  gov: {name: '=HYPERLINK("http://example.org","see")', type: government}
  ngo: {name: "@SUM(1+1)", type: ngo}
claims:
  - {id: "=1+2", metric: killed, value: "50", source: gov, via: "-2+3",
     location: "+Testland", period: "-1", stated_on: 2022-01-11, url: u}
  - {id: "@a", metric: killed, value: "52", source: ngo, location: "+Testland",
     period: "-1", stated_on: 2022-01-12, url: u}
  - {id: "'=x", metric: killed, value: "51", source: "+unregistered", source_type: igo,
     location: "+Testland", period: "-1", stated_on: 2022-01-12, url: u}
"""


@pytest.fixture
def formulas(write: Callable[[str, str], Path]) -> Path:
    return write("formulas.yaml", FORMULAS)


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_reconcile_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(
    run: Run, formulas: Path
) -> None:
    (row,) = rows(run("reconcile", formulas, "-f", "csv").stdout)
    assert row["location"] == "'+Testland"
    assert row["period"] == "'-1"
    assert row["sources"] == '\'+unregistered; =HYPERLINK("http://example.org","see"); @SUM(1+1)'
    assert row["claims_used"] == "''=x =1+2 @a"
    # Numbers are numbers, never text with an apostrophe.
    assert [row[c] for c in ("low", "best", "high", "independent_sources", "ratio")] == [
        "45",
        "51",
        "55",
        "3",
        "1.04",
    ]


def test_normalize_csv_cells_that_would_run_as_formulas_start_with_an_apostrophe(
    run: Run, formulas: Path
) -> None:
    table = rows(run("normalize", formulas).stdout)
    assert [r["id"] for r in table] == ["'=1+2", "'@a", "''=x"]
    assert [r["source_name"] for r in table] == [
        '\'=HYPERLINK("http://example.org","see")',
        "'@SUM(1+1)",
        "'+unregistered",
    ]
    assert [r["via"] for r in table] == ["'-2+3", "", ""]
    assert {r["location"] for r in table} == {"'+Testland"}
    assert [(r["hard_low"], r["hard_high"], r["point"]) for r in table] == [
        ("45", "55", "50"),
        ("52", "52", "52"),
        ("51", "51", "51"),
    ]


def as_csv_text(value: Any) -> str:
    """A JSON value as normalize writes it in a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    return str(value)


def test_normalize_csv_reads_back_as_the_claims_it_was_made_from(run: Run, formulas: Path) -> None:
    written = run("normalize", formulas).stdout
    table = read_csv("normalized.csv", written, None).table
    assert table is not None
    rows = [dict(zip(table, values, strict=True)) for values in zip(*table.values(), strict=True)]
    records = json.loads(run("normalize", formulas, "-f", "json").stdout)
    assert rows == [{k: as_csv_text(v) for k, v in r.items()} for r in records]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("'=1+2", "=1+2"),
        ("'+x", "+x"),
        ("'-x", "-x"),
        ("'@x", "@x"),
        ("''=x", "'=x"),
        ("'''@x", "''@x"),
        ("'x", "'x"),
        ("''x", "''x"),
        ("x'=y", "x'=y"),
    ],
)
def test_the_csv_reader_takes_off_the_apostrophe_its_writers_add(
    write: Callable[[str, str], Path], written: str, read: str
) -> None:
    path = write(
        "claims.csv",
        "id,event,metric,value,source,source_type,stated_on,url\n"
        f"{written},e,killed,5,s,ngo,2022-01-01,u\n",
    )
    assert figrecon.load(path).ids == [read]


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("a=b", "a=b"),
        ("'a", "'a"),
        ("", ""),
        (-5, -5),
        (-2.5, -2.5),
        (None, None),
    ],
)
def test_formula_safe_marks_text_and_leaves_numbers(cell: Any, safe: Any) -> None:
    assert formula_safe(cell) == safe


@given(st.text())
def test_taking_the_apostrophe_off_gives_back_any_cell(cell: str) -> None:
    safe = formula_safe(cell)
    table = {"c": np.array([safe], dtype=object)}
    restore_formulas(table, safe)
    assert table["c"].tolist() == [cell]


def test_the_quick_look_finds_every_cell_that_needs_a_guard() -> None:
    from figrecon.text import formula_safe, formulas_safe

    plain = ["a", None, 5, "b=c"]
    assert formulas_safe(plain) is plain
    for first in "=+-@\t\r'":
        for cells in ([first + "x"], ["a", f"b {first}", first + "1"], [None, -5, first]):
            assert formulas_safe(cells) == [formula_safe(c) for c in cells]
    assert formulas_safe(["a", "b", "=1+1"]) == ["a", "b", "'=1+1"]
    assert formulas_safe(["a", "'=1"]) == ["a", "''=1"]
