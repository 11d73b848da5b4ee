"""The normalized claim is declared once (model.NormalizedClaim): `figrecon normalize`
writes its rows, `figrecon schema --normalized` prints its schema, and the library's
`normalize` gives the same table."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import figrecon
from figrecon.loading.export import NUMBERS
from figrecon.model import NORMALIZED_COLUMNS, NormalizedClaim

FIXTURES = Path(__file__).parent / "fixtures"


def _claims(tmp: Path, *claims: str) -> Path:
    """A claim file of event `e` with these claims (YAML flow mappings)."""
    path = tmp / "c.yaml"
    path.write_text(
        "event: e\nclaims:\n" + "".join(f"  - {claim}\n" for claim in claims), encoding="utf-8"
    )
    return path


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
    path = _claims(
        tmp_path,
        "{id: a, metric: killed, value: rose from 164 to 225, "
        "source: s, source_type: ngo, stated_on: 2022-01-01}",
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
    path = _claims(
        tmp_path,
        "{id: a, metric: killed, value: '225', source: s, source_type: ngo, stated_on: 2022-01-01}",
        "{id: b, metric: killed, value: '230', source: t, source_type: ngo, "
        "stated_on: 2022-01-03, as_of: 2022-01-02}",
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


# The streamed writers against the way the table was written before them: pandas'
# `to_csv` of the DataFrame (text made formula-safe cell by cell) and `json.dumps` of
# its records.

_TEXT = st.one_of(
    st.none(),
    st.sampled_from(["", "a", "-5", "=1+1", "'=x", "''+y", "@a", "a,b", 'say "x"', "a\nb"]),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=8),
    # Not text, which loading never leaves in a text column, but the writer must write
    # as pandas did: 1, 1.0 and True are equal in Python, 0.0 and -0.0 too.
    st.sampled_from([0, 1, -5, True, False, 0.0, -0.0, 1.0, 1.5]),
)
_NUMBER = st.one_of(
    st.none(),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not x.is_integer()),
    st.sampled_from([1.0, 0.0, -0.0, True]),
)


def _table(rows: list[dict]) -> dict:
    from figrecon.columns import object_array

    columns = {name: object_array([r[name] for r in rows]) for name in NORMALIZED_COLUMNS}
    columns["line"] = np.array([r["line"] for r in rows], dtype=np.int64)
    return columns


@st.composite
def _rows(draw) -> list[dict]:
    n = draw(st.integers(0, 6))
    days = st.one_of(st.none(), st.dates(), st.just("undated"))
    rows = []
    for i in range(n):
        row = {name: draw(_TEXT) for name in NORMALIZED_COLUMNS}
        row.update({name: draw(_NUMBER) for name in NUMBERS})
        row.update(
            stated_on=draw(days),
            as_of=draw(days),
            retracts=draw(st.lists(st.sampled_from(["a", "=b", "c d"]), max_size=2)),
            retracted=draw(st.booleans()),
            line=i + 1,
        )
        rows.append(row)
    return rows


@settings(max_examples=300, deadline=None)
@given(_rows())
def test_the_streamed_writers_write_what_pandas_and_json_wrote(rows: list[dict]) -> None:
    import pandas as pd

    from figrecon.render.normalized import CHUNK, normalized_text
    from figrecon.text import formulas_safe

    columns = _table(rows)
    frame = pd.DataFrame({k: pd.Series(v, dtype=v.dtype) for k, v in columns.items()})
    for col in ("stated_on", "as_of"):
        days = [d.isoformat() if isinstance(d, dt.date) else d for d in frame[col]]
        frame[col] = pd.Series(days, dtype=object)
    records = frame.to_dict("records")
    frame["retracts"] = pd.Series([" ".join(r) for r in frame["retracts"]], dtype=object)
    for col in frame.columns:
        if col not in (*NUMBERS, "line", "retracted", "stated_on", "as_of"):
            frame[col] = pd.Series(formulas_safe(frame[col].tolist()), dtype=object)
    expected = {
        "csv": frame.to_csv(index=False, lineterminator="\n"),
        "json": json.dumps(records, indent=2, ensure_ascii=False, default=str) + "\n",
        "ndjson": "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records),
    }
    for fmt, text in expected.items():
        assert "".join(normalized_text(columns, fmt)) == text, fmt
    assert CHUNK > 1  # (chunks: see the next test)


def test_the_streamed_writers_join_their_chunks(monkeypatch) -> None:
    from figrecon.render import normalized

    rows = [
        {
            **dict.fromkeys(NORMALIZED_COLUMNS, "x"),
            **dict.fromkeys(NUMBERS, i),
            "retracts": [],
            "retracted": False,
            "stated_on": dt.date(2022, 1, 1),
            "as_of": None,
            "line": i,
        }
        for i in range(5)
    ]
    whole = {fmt: list(normalized.normalized_text(_table(rows), fmt)) for fmt in FORMATS}
    monkeypatch.setattr(normalized, "CHUNK", 2)
    for fmt in FORMATS:
        pieces = list(normalized.normalized_text(_table(rows), fmt))
        assert len(pieces) > len(whole[fmt])
        assert "".join(pieces) == "".join(whole[fmt]), fmt
    assert json.loads("".join(whole["json"]))[4]["point"] == 4


FORMATS = ("csv", "json", "ndjson")


def test_normalize_writes_stdout_in_its_encoding_and_a_file_in_utf8(tmp_path: Path) -> None:
    """As every command's text: stdout in the encoding Python gives it, -o files in UTF-8."""
    import os
    import subprocess
    import sys

    path = _claims(
        tmp_path,
        "{id: é1, metric: killed, value: '225', source: s, source_type: ngo, "
        "stated_on: 2022-01-01}",
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-16"}
    for fmt in FORMATS:
        command = [sys.executable, "-m", "figrecon", "normalize", str(path), "-f", fmt]
        shown = subprocess.run(command, capture_output=True, env=env, check=True).stdout
        written = tmp_path / f"out.{fmt}"
        subprocess.run([*command, "-o", str(written)], capture_output=True, env=env, check=True)
        assert shown.decode("utf-16") == written.read_text(encoding="utf-8")
        assert "é1" in written.read_text(encoding="utf-8")


# The CSV of a large table joined by Arrow (`render.normalized_csv`) against the Python
# writer above: the same bytes for any span of any columns, whether a column comes as
# `export_columns` makes it (object arrays), as the claims hold it (numbers as floats)
# or with its codes known (`columns.factored`).


def _python_csv(columns: dict, start: int, stop: int) -> bytes:
    from figrecon.render.normalized import normalized_text

    span = {name: values[start:stop] for name, values in columns.items()}
    text = "".join(normalized_text(span, "csv"))
    return text[text.index("\n") + 1 :].encode("utf-8")  # less the header


def _arrow_csv(columns: dict, start: int, stop: int) -> bytes:
    from figrecon.render.normalized_csv import csv_rows

    return b"".join(csv_rows(columns, start, stop))


_FLOAT = st.one_of(
    st.floats(allow_subnormal=True),
    st.sampled_from([0.0, -0.0, 1e20, 2.0**53 + 2, -(2.0**60), 232.5, float("nan")]),
)


@settings(max_examples=300, deadline=None)
@given(_rows(), st.data())
def test_arrow_writes_the_csv_the_python_writer_writes(rows: list[dict], data) -> None:
    from figrecon.loading.export import numbers

    columns = _table(rows)
    start = data.draw(st.integers(0, len(rows)))
    stop = data.draw(st.integers(start, len(rows)))
    assert _arrow_csv(columns, start, stop) == _python_csv(columns, start, stop)
    # Numbers as the claims hold them: floats, NaN and ±inf among them.
    floats = {
        name: np.array(
            data.draw(st.lists(_FLOAT, min_size=len(rows), max_size=len(rows))), dtype=float
        )
        for name in NUMBERS
    }
    exported = {**columns, **{name: numbers(values) for name, values in floats.items()}}
    assert _arrow_csv({**columns, **floats}, start, stop) == _python_csv(exported, start, stop)


_KNOWN_TEXT = st.one_of(st.none(), st.sampled_from(["a", "=1", "a,b", 'say "x"', "a\nb", ""]))


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 40), st.data())
def test_arrow_writes_columns_with_known_codes_as_the_python_writer(n: int, data) -> None:
    """Columns read by Arrow with few distinct texts carry their codes (`io.arrow`): the
    writer takes a span of them, and its missing cells, from the codes."""
    import pyarrow as pa

    from figrecon.columns import known_factors, object_array
    from figrecon.io.arrow import arrow_texts

    texts = data.draw(st.lists(_KNOWN_TEXT, min_size=n, max_size=n))
    coded = arrow_texts(pa.array(texts, pa.string()))
    columns = {name: np.full(n, None, dtype=object) for name in NORMALIZED_COLUMNS}
    columns.update(event=coded, location=coded, line=np.arange(1, n + 1, dtype=np.int64))
    columns["retracts"] = object_array([[] for _ in range(n)])
    start = data.draw(st.integers(0, n))
    stop = data.draw(st.integers(start, n))
    assert known_factors(coded) is not None or len(set(texts)) * 2 > n
    assert _arrow_csv(columns, start, stop) == _python_csv(columns, start, stop)


def test_normalize_writes_the_same_csv_through_arrow_in_one_process_and_two(
    tmp_path_factory, monkeypatch
) -> None:
    """`normalize -o` of synthetic claims: the bytes of the Python writer, whether Arrow
    joins the rows and whether a second process writes half of them."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from figrecon.cli.app import main
    from figrecon.render import normalized
    from forks import synthetic_claims

    path = synthetic_claims(tmp_path_factory, seed=5)
    written = {}
    for arrow in (10**9, 1):
        for halves in (10**9, 1):
            monkeypatch.setattr(normalized, "ARROW_ROWS", arrow)
            monkeypatch.setattr(normalized, "HALVES", halves)
            out = tmp_path_factory.mktemp("out") / "n.csv"
            assert main(["normalize", str(path), "-o", str(out), "-q"]) == 0
            written[arrow, halves] = out.read_bytes()
    assert len(set(written.values())) == 1
    assert written[1, 1].count(b"\n") == 3001


def test_a_text_arrow_cannot_hold_leaves_the_rows_to_python() -> None:
    """A lone surrogate (which loading refuses, but the writer does not rely on it): Arrow
    raises ArrowCannot before any row, and `write_normalized` writes nothing by Arrow."""
    import io

    import pytest

    from figrecon.render.normalized_csv import ArrowCannot, csv_rows

    columns = {name: np.array(["x", "y\ud800"], dtype=object) for name in NORMALIZED_COLUMNS}
    columns["line"] = np.array([1, 2], dtype=np.int64)
    with pytest.raises(ArrowCannot, match="surrogate"):
        next(csv_rows(columns, 0, 2))

    class Claims:
        pass

    claims = Claims()
    claims.columns = columns  # type: ignore[attr-defined]
    out = io.BytesIO()
    from figrecon.render.normalized import _write_arrow

    assert not _write_arrow(claims, (0, 2), out, b"head\n")  # type: ignore[arg-type]
    assert out.getvalue() == b""


def test_normalize_to_a_utf8_stdout_writes_what_it_writes_to_a_file(
    tmp_path_factory, monkeypatch, capsys
) -> None:
    """Stdout in UTF-8 gets the file's bytes, made the file's way (in halves, the CSV
    joined by Arrow); in another encoding, the text in it (the test above)."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent.parent / "bench"))
    from figrecon.cli import normalize as command
    from figrecon.cli.app import main
    from figrecon.render import normalized
    from forks import synthetic_claims

    path = synthetic_claims(tmp_path_factory, seed=6)
    monkeypatch.setattr(normalized, "ARROW_ROWS", 1)
    monkeypatch.setattr(normalized, "HALVES", 1)
    made = []
    real = normalized.write_normalized
    monkeypatch.setattr(normalized, "write_normalized", lambda *a: made.append(1) or real(*a))
    for fmt in FORMATS:
        out = tmp_path_factory.mktemp("out") / f"n.{fmt}"
        assert main(["normalize", str(path), "-f", fmt, "-o", str(out), "-q"]) == 0
        capsys.readouterr()
        assert main(["normalize", str(path), "-f", fmt]) == 0
        assert capsys.readouterr().out == out.read_text(encoding="utf-8")
    assert len(made) == 2 * len(FORMATS)
    assert command._utf8(sys.stdout)
    for stream in (
        {"encoding": "utf-16", "buffer": None},
        {"encoding": "utf-8-sig", "buffer": None},
        {"encoding": "utf-8"},  # text only: written as text
    ):
        assert not command._utf8(type("Stream", (), stream)())
    assert command._utf8(type("Stream", (), {"encoding": "UTF8", "buffer": None})())


def test_arrow_writes_what_the_python_writer_writes_of_unusual_columns() -> None:
    """Columns the loader never makes, written alike all the same: a part of a column
    whose codes are known and whose values are equal but of two types (1 and True),
    numbers kept as integers or truth values (written as `export_columns` makes them),
    and bytes (which the csv module writes as b'...')."""
    from figrecon.columns import factored, object_array
    from figrecon.loading.export import numbers

    n = 6
    columns = {name: np.full(n, None, dtype=object) for name in NORMALIZED_COLUMNS}
    columns["retracts"] = object_array([[] for _ in range(n)])
    columns["line"] = np.arange(1, n + 1, dtype=np.int64)
    mixed = object_array([1, "a", True, True, 1, None])
    factored(mixed, np.array([0, 1, 0, 0, 0, -1]), object_array([1, "a"]))
    columns["event"] = mixed
    columns["group"] = object_array([b"x", b"y", "z", b"x", None, b"y"])
    columns["point"] = np.array([2**53 + 1, 3, -5, 0, 7, 3], dtype=np.int64)
    columns["hard_low"] = np.array([True, False, True, True, False, True])
    exported = {**columns, **{k: numbers(columns[k]) for k in ("point", "hard_low")}}
    for start, stop in ((0, n), (2, 4), (3, 6)):
        assert _arrow_csv(columns, start, stop) == _python_csv(exported, start, stop)
