"""pandas reads a large CSV file's text into Arrow and figrecon makes Python strings of it
(`io.csv._columns_of`): every cell must come out exactly as pandas' plain text reading
(`dtype=object`) gives it, whatever pandas would guess the column holds."""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figrecon.columns import factorize
from figrecon.io import csv as figcsv


def _as_text(data: bytes, delimiter: str = ",") -> list[np.ndarray]:
    """The columns as pandas reads them when told that every column is text."""
    frame = pd.read_csv(
        io.BytesIO(data),
        encoding="utf-8",
        sep=delimiter,
        dtype=object,
        keep_default_na=False,
        na_filter=False,
        skip_blank_lines=False,
        index_col=False,
        engine="c",
    )
    return [frame.iloc[:, j].to_numpy(dtype=object) for j in range(frame.shape[1])]


def _read(data: bytes, delimiter: str = ",") -> list[np.ndarray]:
    return figcsv._columns_of(figcsv._taken(figcsv._read_frame(data, delimiter)), data, delimiter)


def _same(got: list[np.ndarray], want: list[np.ndarray]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert g.dtype == object
        assert [type(v) for v in g] == [str] * len(g)
        assert g.tolist() == w.tolist()


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


CELLS = st.one_of(
    st.sampled_from(
        [
            "0012",
            "1.50",
            "1e3",
            "-0",
            "+7",
            "TRUE",
            "false",
            "True",
            "nan",
            "NaN",
            "NA",
            "null",
            "inf",
            "-inf",
            "",
            " 5 ",
            "1,000",
            "9900",
            "some 9,900",
            'say "ten"',
            "Алматы",
            "2022-01-05",
            "0x10",
            "1_000",
        ]
    ),
    st.text(max_size=8),
    st.integers(-(10**20), 10**20).map(str),
    st.floats(allow_nan=True).map(repr),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), min_size=1, max_size=30))
def test_every_cell_keeps_its_text(rows: list[list[str]]) -> None:
    # One header, rows of three cells: pandas guesses numbers, truth values or text
    # per column; figrecon must read the text as written in every case.
    rows = [r for r in rows if any(r)] or [["x", "y", "z"]]
    data = _csv([["a", "b", "c"], *rows])
    try:
        want = _as_text(data)
    except pd.errors.ParserError:
        return  # not a file the reader's callers give it (checked first)
    _same(_read(data), want)


@pytest.mark.parametrize(
    ("first", "later"),
    [("17", "about 17"), ("TRUE", "yes"), ("1.50", "1.5"), ("0012", "x")],
)
def test_blocks_guessed_differently_keep_their_text(first: str, later: str) -> None:
    # pandas guesses types per block of rows (about 2**20 cells): numbers in the first
    # block, text in a later one (a mixed column), and the cells of each must keep
    # their text. Sixteen columns make the blocks 65,536 rows long.
    width = 16
    n = 2**20 // width + 5_000
    rows = [[f"c{i}", first if i < n - 10 else later] + ["x"] * (width - 2) for i in range(n)]
    data = _csv([["id", "value"] + [f"f{k}" for k in range(width - 2)], *rows])
    del rows
    mixed = figcsv._read_frame(data, ",").iloc[:, 1]
    assert not isinstance(mixed.dtype, pd.StringDtype)  # the case this test is about
    got = _read(data)
    _same(got, _as_text(data))
    assert got[1][0] == first
    assert got[1][-1] == later


def test_columns_of_few_and_of_many_texts() -> None:
    # The ids are all different, the metric takes two values: the first is converted
    # cell by cell, the second through its distinct values; both read as written.
    n = 50_000
    rows = [[f"c{i}", "killed" if i % 3 else "injured", "0012"] for i in range(n)]
    data = _csv([["id", "metric", "value"], *rows])
    got = _read(data)
    _same(got, _as_text(data))
    assert got[1][1] is got[1][2]  # one string per distinct text
    assert got[2][0] == "0012"


def test_the_codes_a_column_is_read_with_are_its_factorization() -> None:
    # The dictionary pandas' Arrow text comes with numbers a column's texts: every later
    # `factorize` of that column returns it, and it must equal a fresh factorization.
    rows = [[f"c{i}", ["killed", "injured", "", "detained"][i * 7 % 4]] for i in range(30_000)]
    data = _csv([["id", "metric"], *rows])
    metric = _read(data)[1]
    codes, uniques = factorize(metric)
    want_codes, want_uniques = pd.factorize(np.asarray(metric.tolist(), dtype=object))
    assert codes.tolist() == want_codes.tolist()
    assert uniques.tolist() == want_uniques.tolist()
    # None of the three can change without the others.
    for array in (metric, codes, uniques):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = "x"


def test_each_column_of_the_frame_is_let_go_once_read() -> None:
    """The frame's columns are given up one by one as they are read, so that its Arrow
    text and the Python strings made of it are never all in memory at once."""
    import weakref

    data = _csv([["id", "metric"], *([f"c{i}", "killed"] for i in range(5000))])
    taken = figcsv._taken(figcsv._read_frame(data, ","))
    arrays = [weakref.ref(column) for column in taken]
    got = figcsv._columns_of(taken, data, ",")
    assert list(taken) == [None, None]
    assert [ref() for ref in arrays] == [None, None]  # freed, not only forgotten
    assert got[1][0] == "killed"
