"""Each input format loads the same claims; folders, stdin and --sources work."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import figrecon
from figrecon.errors import UsageError
from figrecon.loading import load
from figrecon.model import Claim

SAME = {"some 9,900": ("approx", 9850, 9950), "at least 9,950": ("lower_bound", 9950, None)}


@pytest.mark.parametrize("name", ["small.csv", "small.tsv", "small.json", "small.yaml"])
def test_each_format_loads_the_same_two_killed_claims(fixtures: Path, name: str) -> None:
    claims = load(fixtures / name)
    killed = claims.frame[claims.frame["metric"] == "killed"]
    readings = {
        row.value_text: (
            row.kind,
            row.hard_low,
            None if row.hard_high == float("inf") else row.hard_high,
        )
        for row in killed.itertuples()
    }
    assert readings == SAME
    assert set(killed["event"]) == {"test-event"}
    assert set(killed["location"]) == {"Testland"}
    assert set(killed["group"]) == {"total"}


def test_ndjson_skips_blank_lines_and_reads_numbers_as_written(fixtures: Path) -> None:
    claims = load(fixtures / "small.ndjson")
    assert claims.ids == ["n1", "n2"]
    assert claims.frame["line"].tolist() == [1, 3]
    q = claims.quantity("n2")
    assert (q.kind, q.hard_low, q.hard_high) == ("round", 9945, 9955)


def test_csv_header_names_are_case_insensitive(fixtures: Path) -> None:
    claims = load(fixtures / "small.csv")
    assert claims.ids == ["c1", "c2"]
    assert claims.frame["source_type"].tolist() == ["government", "ngo"]


def test_yaml_header_sets_event_location_sources_and_custom_metrics(fixtures: Path) -> None:
    claims = load(fixtures / "small.yaml")
    frame = claims.frame.set_index("id")
    assert frame.loc["s1", "source_name"] == "Interior Ministry"
    assert frame.loc["s1", "party"] == "<party>"
    assert frame.loc["s2", "type"] == "ngo"
    assert frame.loc["s3", "measure"] == "stock"
    assert frame.loc["s2", "line"] == 16


def test_yaml_keeps_values_as_written(write) -> None:
    path = write(
        "v.yaml",
        "event: e\nclaims:\n  - {id: 007, metric: killed, value: 9.900, source: x, source_type: media, stated_on: 2022-01-01}\n",
    )
    claims = load(path)
    assert claims.ids == ["007"]
    assert claims.quantity("007").point == 9900


def test_folder_loads_every_claim_file_below_it_in_sorted_order(fixtures: Path) -> None:
    claims = load(fixtures / "folder")
    assert claims.ids == ["f1", "f2"]
    assert claims.files == [
        str(fixtures / "folder" / "a.yaml"),
        str(fixtures / "folder" / "sub" / "b.csv"),
    ]


def test_stdin_is_sniffed(monkeypatch: pytest.MonkeyPatch, fixtures: Path) -> None:
    data = (fixtures / "small.csv").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    claims = load("-")
    assert claims.ids == ["c1", "c2"]
    assert set(claims.frame["file"]) == {"<stdin>"}


@pytest.mark.parametrize("registry", ["sources.yaml", "sources.csv"])
def test_sources_file_supplies_the_registry(fixtures: Path, registry: str) -> None:
    claims = load(fixtures / "uses-registry.csv", sources=fixtures / registry)
    frame = claims.frame.set_index("id")
    assert frame.loc["r1", "type"] == "government"
    assert frame.loc["r1", "party"] == "<party>"
    assert frame.loc["r2", "source_name"] == "Watch Group"


def test_encoding_option_reads_a_cp1251_file(fixtures: Path) -> None:
    claims = load(fixtures / "bad" / "latin1.csv", encoding="cp1251")
    assert claims.quantity("l1").kind == "approx"


def test_csv_without_ids_uses_file_and_line(write) -> None:
    path = write(
        "noid.csv",
        'event,metric,value,source,source_type,stated_on\ne,killed,"1,500",x,media,2022-01-01\n\ne,killed,7,y,media,2022-01-01\n',
    )
    claims = load(path)
    assert claims.ids == [f"{path}:2", f"{path}:4"]


def test_csv_rows_may_give_low_high_where_the_value_column_is_empty(write) -> None:
    path = write(
        "mixed.csv",
        "id,event,metric,value,low,high,best,source,source_type,stated_on\n"
        'a,e,killed,"at least 413",,,,x,health,2023-04-24\n'
        "b,e,killed,,300,500,,y,ngo,2023-04-26\n"
        "c,e,killed,,,,410,z,ngo,2023-04-26\n",
    )
    claims = load(path)
    assert (claims.quantity("b").hard_low, claims.quantity("b").hard_high) == (300, 500)
    assert claims.quantity("c").point == 410
    figure = figrecon.reconcile(claims).figures[0]
    assert figure.claims_used == ["a", "b", "c"]


def test_csv_line_numbers_count_quoted_line_breaks(write) -> None:
    path = write(
        "multi.csv",
        'id,event,metric,value,source,source_type,stated_on,quote\na,e,killed,5,x,media,2022-01-01,"one\ntwo"\nb,e,killed,oops,x,media,2022-01-01,q\n',
    )
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [f.line for f in info.value.findings] == [4]


def test_claims_iterate_as_claim_models(fixtures: Path) -> None:
    claims = load(fixtures / "small.yaml")
    first = next(iter(claims))
    assert isinstance(first, Claim)
    assert first.value == "some 9,900"
    assert str(first.stated_on) == "2022-01-11"


HEADER = "id,event,metric,value,source,source_type,stated_on,quote\n"


def test_a_semicolon_csv_is_read_by_its_header(write) -> None:
    path = write(
        "semi.csv",
        "id;event;metric;value;source;source_type;stated_on\n"
        "a;e;killed;some 9,900;x;ngo;2022-01-01\n",
    )
    assert load(path).quantity("a").hard_low == 9850


@pytest.mark.parametrize("quote", ['"police said; ""ten""; dead"', '"a\t""b""\tc"'])
def test_punctuation_inside_values_never_decides_the_delimiter(write, quote: str) -> None:
    path = write("quoted.csv", HEADER + f"a,e,killed,10,x,ngo,2022-01-01,{quote}\n")
    claims = load(path)
    assert claims.ids == ["a"]
    assert claims.quantity("a").point == 10


def test_an_unclosed_quote_is_located(write) -> None:
    path = write(
        "open.csv",
        HEADER
        + 'a,e,killed,10,x,ngo,2022-01-01,"two\nlines"\n'
        + 'b,e,killed,12,x,ngo,2022-01-02,"never closed\n'
        + "c,e,killed,12,x,ngo,2022-01-02,q\n",
    )
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    (finding,) = info.value.findings
    assert (finding.line, finding.message) == (
        4,
        "a quoted value opened on this line is never closed",
    )


def test_an_unclosed_quote_in_a_middle_column_is_located_as_one(write) -> None:
    """The quote runs its row to the end of the file, which then has too few fields:
    the quote is what to fix, not the delimiters (it said "this row has 5 fields")."""
    path = write(
        "open.csv",
        HEADER + 'a,e,killed,"10,x,ngo,2022-01-01,q\n' + "b,e,killed,12,x,ngo,2022-01-02,q\n",
    )
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [(f.line, f.message) for f in info.value.findings] == [
        (2, "a quoted value opened on this line is never closed")
    ]


def test_a_quote_inside_an_unquoted_value_opens_nothing(write) -> None:
    """`5" tall` is text: a short last row below it is a row of too few fields."""
    path = write(
        "tall.csv",
        HEADER + 'a,e,killed,10,x,ngo,2022-01-01,5" tall\n' + "b,e,killed,12,x,ngo\n",
    )
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [(f.line, f.message) for f in info.value.findings] == [
        (3, "this row has 6 fields, the header has 8")
    ]


@pytest.mark.parametrize(
    "empty_row",
    [",,,,,,,\n", ",,,,,,,", '"","","","","","","",""\n', "\n"],
    ids=["commas", "commas-at-eof", "quoted-empties", "blank-line"],
)
def test_rows_of_empty_fields_are_skipped_wherever_they_are(write, empty_row: str) -> None:
    path = write("gaps.csv", HEADER + "a,e,killed,10,x,ngo,2022-01-01,q\n" + empty_row)
    assert load(path).ids == ["a"]
    middle = write(
        "middle.csv", HEADER + empty_row.rstrip("\n") + "\nb,e,killed,10,x,ngo,2022-01-01,q\n"
    )
    claims = load(middle)
    assert claims.ids == ["b"]
    assert list(claims.columns["line"]) == [3]


def test_a_blank_first_line_is_named_as_the_problem(write) -> None:
    path = write("blank-first.csv", "\n" + HEADER + "a,e,killed,10,x,ngo,2022-01-01,q\n")
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [(f.line, f.message) for f in info.value.findings] == [(1, "the first row is empty")]


def test_an_encoding_that_makes_characters_of_escapes_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes((HEADER + "a,e,killed,10,x,ngo,2022-01-01,\\ud800\n").encode("ascii"))
    with pytest.raises(UsageError) as info:
        load(path, encoding="unicode_escape")
    assert str(info.value).startswith("-e unicode_escape: this codec turns backslash escapes")


def test_empty_unnamed_columns_of_a_spreadsheet_export_are_dropped(write) -> None:
    path = write(
        "export.csv",
        "\ufeffID;Event;Metric;Value;Source;Source_Type;Stated_On;;\r\n"
        "x1;e;killed;at least 413;Police;government;2023-05-01;;\r\n"
        ";;;;;;;;\r\n",
    )
    claims = load(path)
    assert claims.ids == ["x1"]
    assert not any(name.startswith("<unnamed") for name in claims.columns)


def test_an_unnamed_column_with_values_is_located(write) -> None:
    path = write(
        "unnamed.csv", HEADER.replace(",quote", ",") + "a,e,killed,10,x,ngo,2022-01-01,oops\n"
    )
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    assert [(f.code, f.line) for f in info.value.findings] == [("empty-column-name", 2)]


REGISTRY = """\
# A synthetic registry, in a file of its own.
sources:
  hrw: {name: Watch Group, type: ngo}
  gov: {name: Interior Ministry, type: government, party: true}
"""


def test_a_sources_only_yaml_file_in_a_folder_is_the_registry(write) -> None:
    write("data/sources.yaml", REGISTRY)
    claims = write(
        "data/claims.yaml",
        "event: e\nclaims:\n"
        "  - {id: a, metric: killed, value: '5', source: hrw, stated_on: 2022-01-01}\n",
    )
    loaded = load(claims.parent)
    assert loaded.frame.loc[0, ["source_name", "type"]].tolist() == ["Watch Group", "ngo"]
    assert loaded.findings == []


def test_a_mapping_with_an_event_but_no_claims_is_still_refused(write) -> None:
    path = write("data/claims.yaml", "event: e\n" + REGISTRY)
    with pytest.raises(figrecon.FigreconError) as caught:
        load(path)
    assert str(caught.value) == (
        f"{path}:1: the file has no `claims:` list; put the claims under `claims:` or "
        "make the YAML file a list of claims"
    )


@pytest.mark.parametrize("written", ["Watch Group", "watch group", "hrw"])
def test_a_source_may_name_its_registry_entry_by_name_or_id(write, written: str) -> None:
    path = write(
        "claims.yaml",
        REGISTRY + f"event: e\nclaims:\n  - {{id: a, metric: killed, value: '5', "
        f"source: {written}, stated_on: 2022-01-01}}\n",
    )
    loaded = load(path)
    assert loaded.frame.loc[0, ["source", "source_name", "party"]].tolist() == [
        "hrw",
        "Watch Group",
        "",
    ]
    assert loaded.findings == []


def test_a_name_two_entries_share_is_not_taken_for_either(write) -> None:
    path = write(
        "claims.yaml",
        "sources:\n  a: {name: Same, type: ngo}\n  b: {name: Same, type: media}\n"
        "event: e\nclaims:\n"
        "  - {id: c, metric: killed, value: '5', source: Same, stated_on: 2022-01-01}\n",
    )
    loaded = load(path)
    assert loaded.frame.loc[0, "source"] == "Same"
    assert [f.code for f in loaded.findings] == ["unknown-reference"]


@pytest.mark.parametrize(
    ("body", "quick"),
    [
        ('a,b,c\n1,2,3\n4,"5,5",6\n', True),  # quoted delimiter
        ('a,b,c\n1,2,3\n4,"say ""x""",6', True),  # doubled quotes, no final line break
        ("a\n1\n2\n", True),
        ("a,b,c\n1,2,3,4\n5,6\n", False),  # a long first row and a short row: same total
        ("a,b,c\n1,2\n5,6,7,8\n", False),
        ('a,b,c\n1,"x\ny",3\n4,5,6\n', False),  # a quoted line break
        ("a,b,c\n1,2,3\n\n4,5,6\n", False),  # a blank line
        ('a,b,c\n1,2"x,3\n', False),  # a quote inside an unquoted field
        ("a,b,c\n1,2,3,\n4,5\n", False),  # an empty extra field pandas takes silently
        ("a,b\n1,2,\n3\n", False),
    ],
)
def test_the_quick_table_reader_agrees_with_the_checked_one_or_declines(
    body: str, quick: bool
) -> None:
    """A file every line of which is one record of the header's width is read without
    a layout of every byte (by pandas, or by the csv module when it is small); any other
    file falls to the reader that locates each bad row. Where the quick ones answer, all
    give the same rows and lines."""
    from figrecon.io.csv import _checked_table, _plain_table, _regular_records, _small_table
    from figrecon.io.records import FileRecords

    data = body.encode()
    width = body.split("\n")[0].count(",") + 1
    records = _regular_records(data, ",", width)
    regular = records is not None
    cells, quick_lines = _plain_table(data, ",", records) if regular else (None, None)
    small, small_lines = _small_table(body, ",", width) if regular else (None, None)
    assert (cells is not None) == quick
    assert (small is not None) == quick
    if cells is None or small is None:
        return
    out = FileRecords("t.csv")
    checked, lines = _checked_table("t.csv", data, body, ",", width, out)
    assert checked is not None
    assert not out.findings
    as_lists = [[c.tolist() for c in columns] for columns in (cells, small, checked)]
    assert as_lists[0] == as_lists[1] == as_lists[2]
    assert quick_lines is not None
    assert small_lines is not None
    assert quick_lines.tolist() == small_lines.tolist() == lines.tolist()


def test_the_quick_table_reader_reads_quoted_delimiters() -> None:
    from figrecon.io.csv import _plain_table

    cells, lines = _plain_table(b'a,b\n1,"2,3"\n4,5\n', ",", 3)
    assert cells is not None
    assert cells[1].tolist() == ["2,3", "5"]
    assert lines.tolist() == [1, 2, 3]


JSON_FILES = [
    '[{"id": "a", "value": "some 9,900", "stated_on": "2022-01-10"},\n {"id": "b", "low": 3}]',
    '[\n  {"id": "a", "value": "5"},\n\n  {"id": "b", "value": 6, "x_tags": ["p"]}\n]\n',
    '[{"id": "a", "value": "5", "id": "b"}]',  # a key given twice
    '[{"id": "a", "value": {"low": 1}}]',  # a mapping as a value
    '{"claims": [{"id": "a", "value": "5"}]}',
    '[{"id": "a", "value": "5"}, 3]',
    '[{"id": "a", "value": "5"}] x',
    '[{"id": "a", "value": "5"},]',  # a trailing comma is no JSON
    "[]",
    '[{"id": "a", "note": "a { brace"}, {"id": "b", "note": "} and ["}]',  # in texts
    '[{"id": "a"}, [], {"id": "b"}]',  # an array among the claims
    '[{}, {"id": "b"}, {}]',
    '[{"id": "a", "value": "5"}, {"id": "b", "value": "6"]',  # not closed
]


def _read(read, text: str) -> tuple:
    """What a JSON reader gives: the claims as mappings, their lines, and findings."""
    found = read("f.json", text)
    rows = found.columns.rows() if found.columns is not None else found.rows
    return ([dict(r) for r in rows], found.lines, [f.message for f in found.findings])


@pytest.mark.parametrize("text", JSON_FILES)
def test_the_quick_json_reader_gives_what_the_checked_one_gives(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flat claims are read in one pass into columns, without marking every mapping;
    anything else falls to the reader that checks each one. Both give the same claims,
    lines and findings, for JSON and for the same claims as NDJSON."""
    from figrecon.io import json as json_io

    quick = _read(json_io.read_json, text)
    lines = [line for line in text.splitlines() if line.strip().startswith("{")]
    ndjson = "\n".join(line.strip().strip("[],") for line in lines)
    quick_nd = _read(json_io.read_ndjson, ndjson)
    monkeypatch.setattr(json_io, "_flat_array", lambda name, text: None)
    quick_claim_by_claim = _read(json_io.read_json, text)
    assert quick == quick_claim_by_claim
    monkeypatch.setattr(json_io, "_flat_claims", lambda name, text: None)
    monkeypatch.setattr(json_io, "_flat", lambda pairs, columns: False)
    assert quick == _read(json_io.read_json, text)
    assert quick_nd == _read(json_io.read_ndjson, ndjson)


def test_the_quick_json_readers_take_flat_claims_and_only_those() -> None:
    from figrecon.io.json import _flat, _flat_claims
    from figrecon.io.records import Columns

    quick = _flat_claims("f.json", JSON_FILES[0])
    assert quick is not None
    assert quick.columns is not None
    assert quick.columns.rows()[1] == {"id": "b", "low": 3}
    assert quick.lines == [1, 2]
    assert [_flat_claims("f.json", text) for text in JSON_FILES[1:8]] == [None] * 7
    columns = Columns()
    assert _flat([("id", "a"), ("low", 3)], columns)
    assert not _flat([("id", "a"), ("id", "b")], columns)
    assert not _flat([("id", "a"), ("parts", ["b"])], columns)
    assert columns.rows() == [{"id": "a", "low": 3}]


def test_a_first_row_with_an_empty_extra_field_is_located(write) -> None:
    """pandas takes `...,2022-01-01,` below the header without a word, dropping the
    empty field; figrecon names the row, and the short row after it."""
    path = write(
        "c.csv",
        "id,metric,value,source,stated_on\na,killed,12,s,2022-01-01,\nb,killed,13,s\n",
    )
    from figrecon.loading import load_with_findings

    _, findings = load_with_findings(path)
    assert [(f.code, f.line) for f in findings] == [("csv-syntax", 2), ("csv-syntax", 3)]
    assert "this row has 6 fields, the header has 5" in findings[0].message


def test_a_byte_order_mark_saved_twice_is_no_part_of_the_header() -> None:
    """An editor that adds a byte order mark to a file that has one leaves the second in
    the text: it is not part of the first column's name, and a header of nothing else
    is an empty first row, located, not an internal error."""
    from figrecon.io.csv import read_csv

    twice = read_csv("t.csv", "\ufeffid,value\na,5\n", None)
    assert twice.table is not None
    assert list(twice.table) == ["id", "value"]
    alone = read_csv("t.csv", "\ufeff\naa\n", None)
    assert [str(f) for f in alone.findings] == [
        "t.csv:1: the first row is empty; put the column names (the header) in the first row"
    ]


JSON_VALUES = st.one_of(
    st.sampled_from(["{", "}", "[", "]", '"', ",", "\\", "{}", "[1]", "", "\n", "é", "\u2028"]),
    st.text(max_size=6),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["low", "high"]), st.integers(), max_size=2),
)


@settings(max_examples=300, deadline=None)
@given(
    claims=st.lists(
        st.one_of(
            st.dictionaries(st.sampled_from(["id", "value", "note", "x_a"]), JSON_VALUES),
            st.just([]),
        ),
        max_size=8,
    ),
    indent=st.sampled_from([None, 0, 2]),
    separator=st.sampled_from([", ", ",", ",\n", " ,  "]),
    chunk=st.sampled_from([1, 2, 3, 20_000]),
)
def test_the_json_array_read_by_chunks_gives_what_it_gives_claim_by_claim(
    claims: list, indent: int | None, separator: str, chunk: int
) -> None:
    # The chunked reader may refuse a file (the claim-by-claim one reads it then), but
    # what it reads must be what the claim-by-claim reader reads: claims, order, lines.
    from unittest import mock

    from figrecon.io import json as json_io

    items = [json.dumps(c, indent=indent) for c in claims]
    text = "[" + separator.join(items) + "]\n"
    with mock.patch.object(json_io, "_ARRAY_CHUNK", chunk):
        chunked = json_io._flat_array("f.json", text)
    one_by_one = json_io._flat_claims("f.json", text)
    if chunked is None:
        return
    assert one_by_one is not None
    assert chunked.columns is not None
    assert one_by_one.columns is not None
    assert chunked.columns.rows() == one_by_one.columns.rows()
    assert chunked.lines == one_by_one.lines
    assert chunked.field_lines == one_by_one.field_lines
