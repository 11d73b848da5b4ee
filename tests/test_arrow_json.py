"""Large NDJSON files and JSON arrays of flat claims are read by Arrow's JSON reader
(`io.arrow`). What it reads must be what the Python reader (`io.json`) reads: the same
claims, values and lines; and any file it cannot read exactly so, it leaves to that
reader. The claims here are synthetic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figrecon.io import arrow
from figrecon.io import json as json_io
from figrecon.io.records import FileRecords


@pytest.fixture
def every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Arrow reads files of any size (not only from `ARROW_JSON` characters)."""
    monkeypatch.setattr(arrow, "ARROW_JSON", 0)


def _claims(found: FileRecords) -> tuple[list[dict[str, Any]], list[int], list[str]]:
    """The claims a reader gives, as mappings without their missing values (a field
    given as null is a field left out, to the loader), their lines, and findings."""
    if found.table is not None:
        n = len(found.row_lines)
        rows = [
            {k: column[i] for k, column in found.table.items() if column[i] is not None}
            for i in range(n)
        ]
        lines = [int(line) for line in found.row_lines]
    else:
        every = found.columns.rows() if found.columns is not None else found.rows
        rows = [{k: v for k, v in dict(r).items() if v is not None} for r in every]
        lines = list(found.lines)
    return rows, lines, [str(f) for f in found.findings]


def _python(read: Any, text: str) -> tuple:
    saved = arrow.ARROW_JSON
    arrow.ARROW_JSON = 10**18
    try:
        return _claims(read("f.json", text))
    finally:
        arrow.ARROW_JSON = saved


NDJSON = (
    '{"id": "a", "value": "some 9,900", "stated_on": "2022-01-10", "x_at": "2022-01-10"}\n'
    '{"id": "b", "value": "at least 3", "note": null, "url": "https://e.org/b, c"}\n'
    '{"id": "c", "value": "12", "quote": "\\u00e9\\ud83d\\ude00 \\"q\\" \\\\ \\u2028"}\n'
    "{}\r\n"
    '{"id": "e", "value": ""}'
)


def test_arrow_reads_plain_ndjson_as_the_python_reader_does(every_size: None) -> None:
    found = arrow.arrow_json("f.ndjson", NDJSON, array=False)
    assert found is not None
    assert found.table is not None
    assert _claims(found) == _python(json_io.read_ndjson, NDJSON)
    assert _claims(found)[1] == [1, 2, 3, 4, 5]
    # A field no claim gives is left out; texts of few distinct values share strings.
    assert "period" not in found.table
    assert found.table["quote"][2] == 'é😀 "q" \\ \u2028'


@pytest.mark.parametrize("indent", [None, 0, 2])
@pytest.mark.parametrize("separator", [", ", ",", ",\n", " ,  "])
def test_arrow_reads_json_arrays_with_the_line_of_each_claim(
    every_size: None, indent: int | None, separator: str
) -> None:
    claims = [json.loads(line) for line in NDJSON.splitlines()]
    text = "\n [" + separator.join(json.dumps(c, indent=indent) for c in claims) + "]\n\n"
    found = arrow.arrow_json("f.json", text, array=True)
    # Arrow reads one claim to a line: an indented file is left to the Python reader.
    assert (found is not None) == (indent is None)
    assert _claims(json_io.read_json("f.json", text)) == _python(json_io.read_json, text)


REFUSED_NDJSON = {
    "a number in a text field": '{"id": 5}\n',
    "a fraction": '{"id": "a", "low": 1.5}\n',
    "a number after a text": '{"id": "a", "value": "5"}\n{"id": "b", "value": 5}\n',
    "a number before a text": '{"id": "a", "low": 5}\n{"id": "b", "low": "5"}\n',
    "an integer beyond 64 bits": '{"id": "a", "low": 99999999999999999999}\n',
    "a key given twice, once escaped": '{"id": "a", "i\\u0064": "b"}\n',
    "a truth value": '{"id": "a", "low": true}\n',
    "an unknown field": '{"id": "a", "valeu": "5"}\n',
    "an unknown field left empty": '{"id": "a", "valeu": null}\n',
    "a field of figrecon's own": '{"id": "a", "line": "5"}\n',
    "a key given twice": '{"id": "a", "id": "b"}\n',
    "a blank line": '{"id": "a"}\n\n{"id": "b"}\n',
    "a line of spaces": '{"id": "a"}\n  \n{"id": "b"}\n',
    "a claim over two lines": '{"id": "a",\n "value": "5"}\n',
    "two claims on a line": '{"id": "a"} {"id": "b"}\n',
    "a mapping as a value": '{"id": "a", "value": {"low": 1}}\n',
    "a list as a value": '{"id": "a", "parts": ["b"]}\n',
    "a user number": '{"id": "a", "x_n": 1}\n',
    "NaN": '{"id": "a", "x_n": NaN}\n',
    "a trailing comma": '{"id": "a",}\n',
    "an array": '[{"id": "a"}]\n',
    "a text on its own": '"a"\n',
    "a second byte order mark": '\ufeff{"id": "a"}\n',
    "bad JSON": '{"id": "a"\n',
}


REFUSED_ARRAYS = {
    "a brace in a text": '[{"id": "a", "note": "a { brace"}, {"id": "b"}]',
    "balanced braces in a text": '[{"id": "a", "note": "{b}"}, {"id": "b"}]',
    "a text that looks like two claims": '[{"id": "a", "note": "x}, {y"}, {"id": "b"}]',
    "a nested claim": '[{"id": "a", "x_m": {"b": "c"}}]',
    "claims in a list": '[{"id": "a", "x_l": [{"b": "c"}, {"d": "e"}]}]',
    "a trailing comma": '[{"id": "a"},]',
    "two commas": '[{"id": "a"},, {"id": "b"}]',
    "no comma": '[{"id": "a"} {"id": "b"}]',
    "an array among the claims": '[{"id": "a"}, [], {"id": "b"}]',
    "a text after the array": '[{"id": "a"}] x',
    "not closed": '[{"id": "a"}, {"id": "b"}',
    "a header": '{"claims": [{"id": "a"}]}',
    "no claims": "[]",
    "a number": '[{"id": 3}]',
}


REFUSED = [
    *((f"NDJSON, {why}", text, False) for why, text in REFUSED_NDJSON.items()),
    *((f"JSON, {why}", text, True) for why, text in REFUSED_ARRAYS.items()),
]


@pytest.mark.parametrize(("text", "array"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_arrow_leaves_every_other_file_to_the_python_reader(
    every_size: None, text: str, array: bool
) -> None:
    assert arrow.arrow_json("f.json", text, array=array) is None
    read = json_io.read_json if array else json_io.read_ndjson
    assert _claims(read("f.json", text)) == _python(read, text)


def test_a_claim_longer_than_arrows_block_is_left_to_the_python_reader(
    every_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(arrow, "_BLOCK", 64)
    text = '{"id": "a", "note": "' + "x" * 200 + '"}\n{"id": "b"}\n'
    assert arrow.arrow_json("f.ndjson", text, array=False) is None
    array = "[" + text.replace("\n{", ",\n{").rstrip() + "]"
    assert arrow.arrow_json("f.json", array, array=True) is None
    assert _claims(json_io.read_ndjson("f.json", text))[0][0]["note"] == "x" * 200


def test_small_files_are_read_without_arrow() -> None:
    assert arrow.arrow_json("f.ndjson", NDJSON, array=False) is None


TEXTS = st.one_of(
    st.sampled_from(["{", "}", "}, {", "[", "]", '"', ",", "\\", "", "\n", "é", "\u2028"]),
    st.text(max_size=6),
    st.sampled_from(["2022-01-10", "2022-01-10T10:00:00", "some 9,900"]),
)
VALUES = st.one_of(
    TEXTS,
    TEXTS,
    st.none(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["low", "high"]), TEXTS, max_size=2),
)
CLAIMS = st.one_of(
    st.lists(
        st.dictionaries(st.sampled_from(["id", "value", "note", "x_a", "x_b", "nope"]), VALUES),
        max_size=8,
    ),
    # Files Arrow may read: texts and nulls in known fields.
    st.lists(
        st.dictionaries(
            st.sampled_from(["id", "value", "note", "x_a", "x_b"]), st.one_of(TEXTS, st.none())
        ),
        min_size=1,
        max_size=8,
    ),
    # ... and integers (of any size) in the number fields.
    st.lists(
        st.fixed_dictionaries(
            {"id": TEXTS},
            optional={"low": st.one_of(st.integers(-(10**20), 10**20), st.none(), TEXTS)},
        ),
        min_size=1,
        max_size=8,
    ),
)


@settings(max_examples=300, deadline=None)
@given(
    claims=CLAIMS,
    indent=st.sampled_from([None, 0, 2]),
    separator=st.sampled_from([", ", ",", ",\n", " ,  "]),
    end=st.sampled_from(["", "\n", "\r\n"]),
)
def test_arrow_reads_what_the_python_reader_reads_or_leaves_the_file_to_it(
    claims: list[dict[str, Any]], indent: int | None, separator: str, end: str
) -> None:
    saved = arrow.ARROW_JSON
    arrow.ARROW_JSON = 0
    try:
        items = [json.dumps(c, indent=indent) for c in claims]
        text = "[" + separator.join(items) + "]" + end
        ndjson = "".join(json.dumps(c) + "\n" for c in claims).replace("\n", end or "\n")
        for read, given_text, array in (
            (json_io.read_json, text, True),
            (json_io.read_ndjson, ndjson, False),
        ):
            found = arrow.arrow_json("f.json", given_text, array=array)
            if found is not None:
                assert found.table is not None
                assert not found.findings
            assert _claims(read("f.json", given_text)) == _python(read, given_text)
    finally:
        arrow.ARROW_JSON = saved


def test_a_million_character_file_loads_the_same_claims_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end: the claims loaded (every normalized column) and the findings are the
    same whether Arrow or Python reads the file."""
    from figrecon.loading import load_with_findings

    phrases = ["some 9,900", "at least 12", "dozens", "fewer than 300", "between 4 and 9"]
    rows = [
        {
            "id": f"c{i}",
            "event": f"ev-{i % 7}",
            "metric": ["killed", "injured", "detained"][i % 3],
            "value": phrases[i % len(phrases)],
            "source": f"src-{i % 11}",
            "stated_on": f"2022-01-{1 + i % 28:02d}",
            **({"retracts": f"c{i - 1}"} if i % 97 == 5 else {}),
            **({"note": None} if i % 5 == 0 else {}),
        }
        for i in range(8_000)
    ]
    ndjson = tmp_path / "claims.ndjson"
    ndjson.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    array = tmp_path / "claims.json"
    array.write_text("[\n" + ",\n".join(json.dumps(r) for r in rows) + "\n]\n", encoding="utf-8")
    monkeypatch.setattr(arrow, "ARROW_JSON", 100_000)
    for path, array_file in ((ndjson, False), (array, True)):
        text = path.read_text(encoding="utf-8")
        assert arrow.arrow_json(path.name, text, array=array_file) is not None
        quick, quick_findings = load_with_findings(path)
        monkeypatch.setattr(arrow, "ARROW_JSON", 10**18)
        slow, slow_findings = load_with_findings(path)
        monkeypatch.setattr(arrow, "ARROW_JSON", 100_000)
        assert quick is not None
        assert slow is not None
        assert [str(f) for f in quick_findings] == [str(f) for f in slow_findings]
        assert quick_findings  # the retractions of claims about other events are found
        assert set(quick.columns) == set(slow.columns)
        for name, column in quick.columns.items():
            other = slow.columns[name]
            if column.dtype.kind == "f":
                assert np.array_equal(column, other, equal_nan=True), name
            else:
                assert column.tolist() == other.tolist(), name


def test_integers_in_number_fields_are_read_as_the_json_decoder_gives_them(
    every_size: None,
) -> None:
    text = '{"id": "a", "low": 3, "value": "some 9,900"}\n{"id": "b", "low": -0, "high": 12}\n'
    found = arrow.arrow_json("f.json", text, array=False)
    assert found is not None
    assert found.table is not None
    assert found.table["low"].tolist() == [3, 0]
    assert [type(v) for v in found.table["high"]] == [type(None), int]
    assert _claims(found) == _python(json_io.read_ndjson, text)


def test_user_fields_that_look_like_times_are_read_as_the_texts_they_are(
    every_size: None,
) -> None:
    text = '{"id": "a", "x_at": "2022-01-10T10:00:00"}\n{"id": "b", "x_at": "soon"}\n'
    found = arrow.arrow_json("f.json", text, array=False)
    assert found is not None
    assert found.table is not None
    assert found.table["x_at"].tolist() == ["2022-01-10T10:00:00", "soon"]


def test_a_user_field_first_given_after_the_first_block_leaves_the_file_to_python(
    every_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(arrow, "_BLOCK", 256)
    text = "".join(f'{{"id": "c{i}"}}\n' for i in range(100)) + '{"id": "z", "x_late": "q"}\n'
    assert arrow.arrow_json("f.json", text, array=False) is None
    rows = _claims(json_io.read_ndjson("f.json", text))[0]
    assert rows[-1] == {"id": "z", "x_late": "q"}


def test_more_field_names_than_the_limit_leave_the_file_to_python_before_arrow_reads_it(
    every_size: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Arrow builds a column per field name (megabytes each, for thousands): the names
    are held to the limit after the first block, and the Python reader reports them."""
    monkeypatch.setattr(arrow, "USER_FIELDS", 5)
    text = json.dumps({f"x_{i}": "v" for i in range(6)}) + "\n"
    assert arrow.arrow_json("f.json", text, array=False) is None
    text = json.dumps({f"x_{i}": "v" for i in range(5)}) + "\n"
    assert arrow.arrow_json("f.json", text, array=False) is not None


@pytest.mark.parametrize(
    ("text", "array"),
    [
        ('{"id": "a", "x_d": ' + "[" * 30_000 + "]" * 30_000 + "}\n", False),
        ('{"id": "a", "x_d": ' + '{"a": ' * 30_000 + '"b"' + "}" * 30_000 + "}\n", False),
        ('[{"id": "a", "x_d": ' + "[" * 30_000 + "]" * 30_000 + "}]", True),
        ('[{"id": "a", "x_d": ' + '{"a": ' * 30_000 + '"b"' + "}" * 30_000 + "}]", True),
    ],
    ids=["NDJSON list", "NDJSON mapping", "JSON list", "JSON mapping"],
)
def test_arrow_is_never_shown_a_nested_value(every_size: None, text: str, array: bool) -> None:
    """Nesting thousands deep takes Arrow time that grows with the square of the depth,
    then crashes the process; the files are left to the Python reader, which refuses
    them in one line."""
    assert arrow.arrow_json("f.json", text, array=array) is None
    read = json_io.read_json if array else json_io.read_ndjson
    assert [f.code for f in read("f.json", text).findings] == ["over-limit"]


def test_bad_json_at_the_edge_of_a_block_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    """Arrow's reader of values over several lines ended the process (an uncaught C++
    exception) on some bad JSON at the edge of a block; Arrow now reads one claim to a
    line. Run apart, so that a crash is a failure of this test alone."""
    probe = (
        "from figrecon.io import arrow, json as j\n"
        "arrow.ARROW_JSON = 0\n"
        "arrow._BLOCK = 64\n"
        'for text in (\'[{"id": "\' + \'a\' * 29 + \'"},\\n{"id": "b" "note": "c"}]\',\n'
        '             \'[{"id": "\' + \'a\' * 29 + \'"},\\n{"id": 0 "c"}]\'):\n'
        "    assert arrow.arrow_json('f.json', text, array=True) is None\n"
        "    print([f.code for f in j.read_json('f.json', text).findings])\n"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["['json-syntax']"] * 2


def test_integers_in_all_four_number_fields_are_read(every_size: None) -> None:
    text = '{"id": "a", "value": 1, "low": 2, "high": 3, "best": 4}\n'
    found = arrow.arrow_json("f.json", text, array=False)
    assert found is not None
    assert _claims(found) == _python(json_io.read_ndjson, text)
