"""`figrecon.columns` gives what pandas gives: the plain-Python way for small inputs
against pandas' hash tables, and the numpy group passes against pandas' group-bys."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from figrecon import columns
from figrecon.cli import app

FIXTURES = Path(__file__).parent / "fixtures"
DATA = Path(__file__).parent.parent / "data"

scalars = st.one_of(
    st.none(),
    st.just(math.nan),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, math.inf, -math.inf]),
    st.text(max_size=4),
    st.dates(dt.date(2021, 12, 30), dt.date(2022, 1, 2)),
)


def objects(values: list) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


@contextmanager
def small() -> Iterator[None]:
    """`figrecon.columns` as for a small input, without pandas (the tests import it)."""
    original = columns._pandas
    columns._pandas = lambda n: None  # type: ignore[assignment]
    try:
        yield
    finally:
        columns._pandas = original  # type: ignore[assignment]


@pytest.fixture
def without_pandas() -> Iterator[None]:
    with small():
        yield


@settings(max_examples=300, deadline=None)
@given(st.lists(scalars, max_size=30))
def test_factorize_and_isna_as_pandas(values: list) -> None:
    arr = objects(values)
    want_codes, want_uniques = pd.factorize(arr, use_na_sentinel=True)
    want_na = pd.isna(arr)
    with small():
        codes, uniques = columns.factorize(arr)
        na = columns.isna(arr)
    assert codes.tolist() == want_codes.tolist()
    assert [(type(u), repr(u)) for u in uniques] == [(type(u), repr(u)) for u in want_uniques]
    assert na.tolist() == want_na.tolist()


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([0.0, -0.0, 1.5, math.nan, 7.0, math.inf]), max_size=20))
def test_factorize_numbers_as_pandas(values: list) -> None:
    arr = np.array(values, dtype=float)
    want_codes, want_uniques = pd.factorize(arr, use_na_sentinel=True)
    with small():
        codes, uniques = columns.factorize(arr)
    assert codes.tolist() == want_codes.tolist()
    assert uniques.dtype == want_uniques.dtype
    assert [repr(u) for u in uniques.tolist()] == [repr(u) for u in want_uniques.tolist()]


def test_factorize_refuses_unhashable_values_either_way(without_pandas: None) -> None:
    with pytest.raises(TypeError):
        columns.factorize(objects([["a"], "b"]))
    with pytest.raises(TypeError):
        pd.factorize(objects([["a"], "b"]))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40)), max_size=12))
def test_hash_texts_is_pandas_hash_array(values: list) -> None:
    arr = objects(values)
    want = pd.util.hash_array(arr, categorize=False)
    with small():
        got = columns.hash_texts(arr)
    assert got.dtype == np.uint64
    assert got.tolist() == want.tolist()


groups = st.lists(st.integers(0, 3), min_size=0, max_size=25)
numbers = st.sampled_from([math.nan, -math.inf, -1.0, 0.0, 2.0, 2.5, 9.0, math.inf])


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_group_passes_as_pandas_group_bys(data: st.DataObject) -> None:
    g = np.array(data.draw(groups), dtype=np.int64)
    v = np.array(data.draw(st.lists(numbers, min_size=len(g), max_size=len(g))), dtype=float)
    flags = ~np.isnan(v) & (v > 1)
    ints = np.array(data.draw(st.lists(st.integers(-1, 9), min_size=len(g), max_size=len(g))))
    by = pd.Series(v).groupby(g, sort=False)
    position = pd.Series(np.where(flags, np.arange(len(v)), np.nan))
    want = {
        "running_max": by.cummax().to_numpy(),
        "running_min": by.cummin().to_numpy(),
        "previous": by.shift(1).to_numpy(),
        "last_where": position.groupby(g, sort=False).ffill().fillna(-1).to_numpy(),
        "group_max": pd.Series(ints, dtype=np.int64).groupby(g, sort=False).transform("max"),
    }
    for way in (small(), nullcontext()):  # plain numpy, then pandas
        with way:
            got = {
                "running_max": columns.running_max(g, v),
                "running_min": columns.running_min(g, v),
                "previous": columns.previous(g, v),
                "last_where": columns.last_where(g, flags),
                "group_max": columns.group_max(g, ints),
            }
        for name, values in want.items():
            np.testing.assert_array_equal(got[name], np.asarray(values), err_msg=name)
            if name == "last_where":
                assert got[name].dtype == np.int64


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_row_codes_group_as_pandas(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 20))
    a = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n)))
    b = np.array(data.draw(st.lists(numbers, min_size=n, max_size=n)), dtype=float)
    with small():
        codes = columns.row_codes(a, b)
    assert columns.row_codes(a, b).tolist() == codes.tolist()
    frame = pd.DataFrame({"a": a, "b": b})
    want = frame.groupby(["a", "b"], sort=False, dropna=False).ngroup().to_numpy()
    # The same partition of the rows, whatever the numbering.
    assert len(set(zip(codes.tolist(), want.tolist(), strict=True))) == len(set(want.tolist()))
    assert len(set(codes.tolist())) == len(set(want.tolist()))
    firsts = columns.first_rows(codes)
    assert firsts.tolist() == np.flatnonzero(~frame.duplicated()).tolist()


def test_small_reconcile_imports_no_pandas() -> None:
    """A file of a hundred claims is reconciled without importing pandas (its import
    takes longer than the work)."""
    code = (
        "import sys\n"
        "from figrecon.cli import main\n"
        "try:\n"
        "    main(['reconcile', 'data/kazakhstan-2022.yaml', '-f', 'json', '-o', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pandas' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, "/dev/null"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


CLAIM_FILES = sorted(
    p
    for p in [*FIXTURES.rglob("*"), DATA / "kazakhstan-2022.yaml"]
    if p.suffix in (".csv", ".tsv", ".yaml", ".json", ".ndjson", ".jsonl")
)


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: str(p.relative_to(p.parents[1])))
def test_a_small_input_reads_and_reconciles_alike_without_pandas(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every claim file of the tests, reconciled and checked as a small input is (the
    csv module reads it; no pandas) and as a large one is (pandas): the same output,
    messages and exit code."""
    from figrecon.io import csv as csv_reader

    runner = CliRunner()
    commands = (["reconcile", "-f", "json", "--explain"], ["check", "-f", "json"], ["normalize"])

    def outputs() -> list[tuple[int, str, str]]:
        results = []
        for command in commands:
            got = runner.invoke(app, [*command, str(path)], catch_exceptions=False)
            results.append((got.exit_code, got.stdout, got.stderr))
        return results

    large = outputs()
    monkeypatch.setattr(columns, "_pandas", lambda n: None)
    monkeypatch.setattr(csv_reader, "pandas_loaded", lambda: False)
    assert outputs() == large


pieces = st.sampled_from(["a", "b", ",", '"', "\n", " ", "\t", ";", "\x00", "é", "\u2028", "'="])
cell = st.lists(pieces, max_size=4).map("".join)
field = st.one_of(cell, cell.map(lambda c: '"' + c.replace('"', '""') + '"'))
rows = st.lists(st.lists(field, min_size=3, max_size=3).map(",".join), max_size=5)


headers = st.sampled_from(
    ["id,value,note", "\ufeffid,value,note", "\ufeff", "id,,note", '"id","value",note', "a;b;c"]
)
bodies = st.one_of(
    st.lists(pieces).map("".join),  # anything
    st.tuples(rows, st.sampled_from(["", "\n"])).map(lambda r: "\n".join(r[0]) + r[1]),
)


def test_the_columns_loading_maps_from_distinct_values_keep_their_factorization(
    tmp_path,
) -> None:
    """Read once per distinct phrase or source (`gathered`), the figure's kind and text,
    the originator, party and name of each claim keep codes, and they are those of
    factorizing them afresh; with an explicit number (read per claim) or an unknown
    source (keyed by its carrier), the columns they change keep none."""
    import figrecon

    rows = ["id,event,metric,value,source,via,stated_on"]
    values = ["12", "about 30", "at least 5", "12", "dozens", "nearly 40"]
    for k in range(21):
        rows.append(f"c{k},ev-{k % 3},killed,{values[k % 6]},src-{k % 4},AP,2022-01-0{1 + k % 5}")
    path = tmp_path / "claims.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    claims = figrecon.load(path)
    known_as_pandas_finds(claims, ("kind", "value_text", "originator", "party", "source_name"))
    explicit = tmp_path / "explicit.yaml"
    explicit.write_text(
        "event: e\nclaims:\n"
        "  - {id: a, metric: killed, value: '12', source: unknown, via: AP, "
        "stated_on: 2022-01-01}\n"
        "  - {id: b, metric: killed, low: 3, high: 9, source: s, source_type: ngo, "
        "stated_on: 2022-01-02}\n",
        encoding="utf-8",
    )
    claims = figrecon.load(explicit)
    assert claims.columns["value_text"].tolist() == ["12", "3–9"]
    for name in ("kind", "value_text", "originator"):
        assert columns.known_factors(claims.columns[name]) is None, name


@settings(max_examples=600, deadline=None)
@given(
    headers,
    bodies,
)
def test_a_small_csv_file_reads_as_pandas_reads_it(header: str, body: str) -> None:
    """The csv module's reading of a small file, against pandas': the same rows, lines
    and findings for any text below a few headers (a byte order mark left in the text,
    a column without a name among them)."""
    from figrecon.io import csv as csv_reader

    text = header + "\n" + body
    large = csv_reader.read_csv("t.csv", text, None)
    original = csv_reader.pandas_loaded
    csv_reader.pandas_loaded = lambda: False  # type: ignore[assignment]
    try:
        small = csv_reader.read_csv("t.csv", text, None)
    finally:
        csv_reader.pandas_loaded = original  # type: ignore[assignment]
    assert_read_alike(small, large)


def assert_read_alike(got: Any, want: Any) -> None:
    """Two readings of a file (`FileRecords`): the same findings, rows and lines."""
    assert [str(f) for f in got.findings] == [str(f) for f in want.findings]
    assert (got.table is None) == (want.table is None)
    if got.table is not None and want.table is not None:
        assert {k: v.tolist() for k, v in got.table.items()} == {
            k: v.tolist() for k, v in want.table.items()
        }
        assert np.asarray(got.row_lines).tolist() == np.asarray(want.row_lines).tolist()


# Texts Python orders by code point, as Arrow orders UTF-8 bytes; a NUL inside a text
# (which a C-string comparison would stop at), non-BMP characters, a lone surrogate
# (which UTF-8 cannot hold: the ranks are `key_codes`'s then), numbers and repeats.
_RANKED = st.one_of(
    st.text(
        alphabet=st.sampled_from(["a", "b", "A", "0", " ", "\x00", "\x7f", "é", "\uffff", "😀"])
        | st.characters(),
        max_size=5,
    ),
    st.just("\ud800x"),
    st.none(),
    st.integers(0, 2),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_RANKED, max_size=40))
def test_text_ranks_are_key_codes(values: list) -> None:
    from figrecon.engine import batch

    array = objects(values)
    expected = batch.key_codes(array).tolist()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(batch, "ARROW_SORT", 0)  # Arrow's ranks, for a column of any size
        assert batch.text_ranks(array).tolist() == expected


def test_text_ranks_rank_a_large_column_as_its_sorted_texts() -> None:
    from figrecon.engine import batch

    rng = np.random.default_rng(7)
    ids = [f"c{n:07d}" for n in rng.permutation(batch.ARROW_SORT + 10)]
    ranks = {t: r for r, t in enumerate(sorted(ids), start=1)}
    expected = [ranks[t] for t in ids] + [ranks[ids[3]]]
    assert batch.text_ranks(objects([*ids, ids[3]])).tolist() == expected


def test_distinct_gives_what_np_unique_gives_without_importing_numpy_ma() -> None:
    import subprocess
    import sys

    from figrecon.columns import distinct

    rng = np.random.default_rng(5)
    for values in (rng.integers(-3, 9, 200), np.array([], dtype=np.int64), np.array([7])):
        assert distinct(values).tolist() == np.unique(values).tolist()
    probe = (
        "import sys, numpy as np; from figrecon.columns import distinct; "
        "distinct(np.array([3, 1, 3])); print('numpy.ma' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_isna_of_an_arrow_column_reads_its_codes_and_agrees_with_pandas(monkeypatch) -> None:
    """A column read from Arrow is factorized as it is read (`columns.factored`): its
    missing cells are those coded -1, found without looking at a cell."""
    import pyarrow as pa

    from figrecon.io.arrow import arrow_texts

    texts = ["a", None, "b", "", "a", None] * 5000
    column = arrow_texts(pa.array(texts, type=pa.string()))
    with monkeypatch.context() as m:
        m.setattr(columns, "missing", None)  # neither cell by cell ...
        m.setattr(columns, "_pandas", None)  # ... nor by pandas
        found = columns.isna(column)
    assert found.tolist() == pd.isna(np.array(texts, dtype=object)).tolist()
    assert found.sum() == 10000


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.lists(st.integers(0, 2**40), min_size=6, max_size=6), min_size=1, max_size=60),
    st.integers(1, 6),
)
def test_combined_codes_number_distinct_rows_as_they_first_appear(
    rows: list[list[int]], width: int
) -> None:
    """Widening one number per column, and renumbering only to stay within 64 bits,
    gives each distinct row the code of its first appearance."""
    picked = [row[:width] for row in rows]
    codes = [np.array(column, dtype=np.int64) for column in zip(*picked, strict=True)]
    first: dict[tuple[int, ...], int] = {}
    expected = [first.setdefault(tuple(row), len(first)) for row in picked]
    assert columns.combined_codes(codes).tolist() == expected


def known_as_pandas_finds(claims, names: tuple[str, ...]) -> None:
    """Each of these columns of the claims is known factorized, as pandas factorizes it."""
    for name in names:
        column = claims.columns[name]
        known = columns.known_factors(column)
        assert known is not None, name
        expected = pd.factorize(column, use_na_sentinel=True)
        assert known[0].tolist() == expected[0].tolist(), name
        assert list(known[1]) == list(expected[1]), name


def test_a_validated_column_keeps_its_factorization_only_when_it_is_one(tmp_path) -> None:
    """A claim field validated once per distinct value is known factorized (the checks
    and the engine read its codes), and those are what factorizing it afresh gives:
    values dropped (blank) are -1, and the values left are numbered densely in the
    order they first appear. Two texts that become one value (a date with a space
    before it) leave the column unregistered."""
    import figrecon

    rows = ["id,event,metric,location,value,source,stated_on"]
    places = ["Land", "", "Land/City", "Land", "Sea", ""]
    days = ["2022-01-05", "2022-01-06", '" 2022-01-05"']
    for k in range(18):
        rows.append(f"c{k},ev-{k % 3},killed,{places[k % 6]},{k + 1},src,{days[k % 3]}")
    path = tmp_path / "claims.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    claims = figrecon.load(path)
    known_as_pandas_finds(claims, ("event", "metric", "location"))
    assert -1 in columns.known_factors(claims.columns["location"])[0].tolist()
    assert columns.known_factors(claims.columns["stated_on"]) is None


@settings(max_examples=600, deadline=None)
@given(
    headers,
    bodies,
    st.booleans(),
    st.booleans(),
)
def test_a_crlf_file_reads_as_its_lf_twin(header: str, body: str, small: bool, cr: bool) -> None:
    """A file with CRLF line ends is read without first copying it to LF ends when it is
    regular: the rows, lines and findings must be those of the same file with LF ends
    (and a lone CR, an old Mac line end, still reads as LF), by pandas and by the csv
    module alike."""
    from figrecon.io import csv as csv_reader

    lf = header + "\n" + body
    crlf = lf.replace("\n", "\r\n")
    if cr:  # one lone CR among the CRLFs
        crlf = crlf.replace("\r\n", "\r", 1)
    original = csv_reader.pandas_loaded
    if small:
        csv_reader.pandas_loaded = lambda: False  # type: ignore[assignment]
    try:
        want = csv_reader.read_csv(
            "t.csv", lf if not cr else crlf.replace("\r\n", "\n").replace("\r", "\n"), None
        )
        got = csv_reader.read_csv("t.csv", crlf, None)
    finally:
        csv_reader.pandas_loaded = original  # type: ignore[assignment]
    assert_read_alike(got, want)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(-2, 2**40), st.integers(0, 5)), max_size=40))
def test_row_codes_of_integers_number_distinct_rows_as_they_first_appear(
    rows: list[tuple[int, int]],
) -> None:
    """Small non-negative integers serve as their own codes, others are factorized:
    either way each distinct row has the code of its first appearance."""
    a = np.array([r[0] for r in rows], dtype=np.int64)
    b = np.array([r[1] for r in rows], dtype=np.int64)
    first: dict[tuple[int, int], int] = {}
    expected = [first.setdefault(row, len(first)) for row in rows]
    assert columns.row_codes(a, b).tolist() == expected
    assert columns.row_codes(b).tolist() == columns.factorize(b)[0].tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", ""])), max_size=30), st.data())
def test_picked_factors_code_the_picked_rows_alike(values: list, data: st.DataObject) -> None:
    """Of a column whose factors are known or not: the picked rows' codes are equal
    where their values are, -1 where missing, and index their values."""
    picks = (
        st.lists(st.integers(0, max(len(values) - 1, 0)), max_size=20) if values else st.just([])
    )
    rows = np.array(data.draw(picks), dtype=np.int64)
    for known in (False, True):
        column = columns.object_array(values)
        if known:
            columns.factored(column, *columns.factorize(column))
        codes, uniques = columns.picked_factors(column, rows)
        want = columns.factorize(column[rows])[0]
        assert (codes < 0).tolist() == (want < 0).tolist()
        pairs = set(zip(codes.tolist(), want.tolist(), strict=True))
        assert len(pairs) == len(set(want.tolist())) == len(set(codes.tolist()))
        given_rows = codes >= 0
        assert uniques[codes[given_rows]].tolist() == column[rows][given_rows].tolist()


@settings(max_examples=400, deadline=None)
@given(
    st.text(alphabet='ab,"\n\r', max_size=40),
    st.integers(1, 4),
    st.booleans(),
    st.integers(1, 5),
)
def test_line_ends_found_a_span_at_a_time_read_as_a_search_finds_them(
    text: str, width: int, crlf: bool, span: int
) -> None:
    """Blank lines, records and lone CRs are found alike however small the spans the
    bytes are compared in (`where_bytes`), and as byte searches find them."""
    from figrecon.io import csv as csv_io

    data = text.encode()
    b = np.frombuffer(data, dtype=np.uint8)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(csv_io, "_SPAN", span)
        assert csv_io.where_bytes(b, 10).tolist() == [i for i, c in enumerate(data) if c == 10]
        assert csv_io._crlf_only(data) == (data.count(b"\r") == data.count(b"\r\n"))
        eol = b"\r\n" if crlf else b"\n"
        records = csv_io._regular_records(data, ",", width, crlf)
        if data.startswith(eol) or b"\n" + eol in data:  # a blank line
            assert records is None
        elif records is not None:
            assert records == data.count(b"\n") + (not data.endswith(b"\n"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.none(), st.sampled_from(["", "a", "bb", "ccc"])), max_size=20))
def test_a_mapped_column_of_a_dtype_is_the_mapped_objects_converted(values: list) -> None:
    """`ColumnTable.map(..., dtype)` converts the distinct results, not every row's:
    the same array as converting the mapped objects."""
    from figrecon.loading.table import ColumnTable

    table = ColumnTable({"x": columns.object_array(values)}, len(values))
    for fn, missing, dtype in ((len, -1.0, float), (bool, False, bool), (len, 0, np.int64)):
        want = table.map("x", fn, missing).astype(dtype)
        got = table.map("x", fn, missing, dtype)
        assert got.dtype == want.dtype
        assert got.tolist() == want.tolist()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "c", "d", "e"])), max_size=40),
    st.dictionaries(
        st.sampled_from(["a", "b", "c", "d", "e"]),
        st.one_of(st.none(), st.sampled_from(["x", "y", 1, 1.0, True, (1, 2)])),
    ),
    st.sampled_from([None, math.nan, "x", "z"]),
    st.booleans(),
    st.sets(st.sampled_from(["a", "b", "c", "d", "e"])),
)
def test_a_gathered_column_records_the_factors_a_pass_over_it_finds(
    values: list, mapping: dict, missing_value: object, own_index: bool, dropped: set
) -> None:
    """A column mapped once per distinct value (`gathered`) keeps the codes and distinct
    values `factorize` finds on it, whatever the mapping (values made equal, made
    missing, numbers of several types), or keeps none; values that validation dropped
    (coded missing, their entries kept but no row's) are none of its values."""
    codes, uniques = columns.factorize(columns.object_array(values))
    table = columns.object_array([mapping.get(u, u) for u in uniques.tolist()] + [missing_value])
    gone = np.array([u in dropped for u in uniques.tolist()] + [False], dtype=bool)
    codes = np.where(gone[codes], -1, codes)
    values = [None if v in dropped else v for v in values]
    if own_index:  # a missing value coded by the table's last entry instead of -1
        codes = np.where(codes < 0, len(table) - 1, codes)
    out = columns.gathered(table, codes)
    assert out.tolist() == [table[c] for c in codes.tolist()]
    known = columns.known_factors(out)
    fresh_codes, fresh_uniques = columns.factorize(out.copy())
    if known is None:
        assert isinstance(missing_value, str)
        assert None in values
        return
    assert known[0].tolist() == fresh_codes.tolist()
    assert [(type(u), u) for u in known[1].tolist()] == [
        (type(u), u) for u in fresh_uniques.tolist()
    ]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(0, 5)), max_size=30),
    st.lists(st.one_of(st.none(), st.text(max_size=3), st.integers(0, 5)), max_size=10),
)
def test_places_and_among_find_what_a_dictionary_and_a_set_find(values: list, wanted: list) -> None:
    """The first place of each id sought (-1 if none) and which ids are sought, as
    Python's dictionaries and sets find them (a missing value is found nowhere), by
    pandas and in Python."""
    array = columns.object_array(values)
    first: dict = {}
    for i, value in enumerate(values):
        if value is not None:
            first.setdefault(value, i)
    sought = {w for w in wanted if w is not None}
    for way in (contextlib.nullcontext(), small()):
        with way:
            assert columns.places(array, wanted).tolist() == [first.get(w, -1) for w in wanted]
            assert columns.among(array, wanted).tolist() == [
                v is not None and v in sought for v in values
            ]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 60), max_size=50), st.integers(0, 5000))
def test_ranked_places_values_as_np_unique_does(values: list[int], shift: int) -> None:
    """Counted over the values' range (dense) or sorted (sparse, or not integers), the
    same places."""
    dense = np.array(values, dtype=np.int64)
    for array in (dense, dense * shift, dense.astype(np.uint32), dense > 30, dense / 2):
        assert (
            columns.ranked(array).tolist()
            == np.unique(array, return_inverse=True)[1].ravel().tolist()
        )
