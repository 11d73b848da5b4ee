"""Hostile and broken input: every case gives located findings and a documented exit
code (0, 1 or 2), never an internal error, a hang, or silently changed data.

The files in fixtures/corpus/ are synthetic; see its README."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import figrecon
from figrecon.loading import load
from figrecon.model import CLAIM_FIELDS
from figrecon.phrases import PhraseError, Reader

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
CLAIM_FILES = sorted(
    p
    for p in CORPUS.iterdir()
    if p.suffix in (".yaml", ".json", ".csv", ".ndjson", ".jsonl", ".txt")
)
TABLES = sorted(
    p for p in CORPUS.iterdir() if p.name.startswith(("crash-profile-", "crash-lang-table-"))
)
GOOD = CORPUS / "crash-lang-unknown.yaml"

Run = Callable[..., Any]


def messages(path: Path | list[Path], **kwargs: Any) -> list[str]:
    with pytest.raises(figrecon.InputError) as info:
        load(path, **kwargs)
    return [str(f) for f in info.value.findings]


@pytest.mark.parametrize("path", CLAIM_FILES, ids=lambda p: p.name)
@pytest.mark.parametrize("command", ["reconcile", "check"])
def test_corpus_never_crashes(run: Run, path: Path, command: str) -> None:
    result = run(command, path)
    assert result.exit_code in (0, 1, 2), result.output
    assert "internal error" not in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("path", TABLES, ids=lambda p: p.name)
def test_broken_profiles_and_tables_exit_2_with_one_line(run: Run, path: Path) -> None:
    flag = "--profile" if path.name.startswith("crash-profile-") else "--lang"
    result = run("reconcile", flag, path, GOOD)
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    assert path.name in result.output


def test_unknown_language_is_a_usage_error(run: Run) -> None:
    for command in ("reconcile", "check", "normalize"):
        result = run(command, "--lang", "nonsense", GOOD)
        assert result.exit_code == 2
        assert "no phrase table for 'nonsense'; use one of en, ru" in result.output


# --- nothing to reconcile -------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("empty.yaml", ""),
        ("list.yaml", "claims: []\n"),
        ("null.yaml", "event: e\nclaims:\n"),
        ("header.csv", "id,event,metric,value,source,stated_on\n"),
        ("null.json", "null"),
        ("bom.json", "\ufeff"),
    ],
)
def test_no_claims_is_no_figures_not_an_error(
    run: Run, write: Callable[[str, str], Path], name: str, text: str
) -> None:
    result = run("reconcile", write(name, text))
    assert result.exit_code == 0
    assert "No figures: the input holds no claims." in result.output
    data = json.loads(run("reconcile", "-f", "json", write(name, text)).output)
    assert data["figures"] == []


def test_as_of_before_every_claim(run: Run, fixtures: Path) -> None:
    result = run("reconcile", "--as-of", "1990-01-01", fixtures / "small.yaml")
    assert result.exit_code == 0
    assert "No figures: no claim was stated by 1990-01-01." in result.output


@pytest.mark.parametrize("command", ["reconcile", "timeline"])
def test_exact_leaving_out_every_count_over_a_period_says_so(
    run: Run, write: Callable[[str, str], Path], command: str
) -> None:
    """Every figure is a count over a period, which --exact leaves out: the reason is
    --exact, not a date (none was given)."""
    path = write(
        "periods.csv",
        "id,event,metric,value,source,stated_on,period\na,e,killed,5,un,2022-01-05,2022-01\n",
    )
    result = run(command, "--exact", path)
    assert result.exit_code == 0
    assert "No figures: --exact shows only figures that are no counts over a period" in (
        result.output
    )
    assert "None" not in result.output
    early = run(command, "--exact", "--as-of", "2021-01-01", path)
    assert "No figures: no claim was stated by 2021-01-01." in early.output
    named = run(command, "--exact", "--period", "2022-01", path)
    assert named.exit_code == 0
    assert "No figures" not in named.output  # --period names it: shown


# --- YAML and JSON structure ----------------------------------------------------------


def test_user_keys_cannot_collide_with_line_bookkeeping(write: Callable[[str, str], Path]) -> None:
    path = write(
        "d.yaml",
        "event: e\nclaims:\n- {id: a, metric: killed, value: '5', source: s, stated_on: 2022-01-05, __lines__: 1}\n",
    )
    (message,) = messages(path)
    assert message.startswith(f"{path}:3: __lines__: unknown field `__lines__`")


def test_yaml_merge_keys(write: Callable[[str, str], Path]) -> None:
    path = write(
        "m.yaml",
        "event: e\nx_base: &base {metric: killed, source: s, stated_on: 2022-01-05}\n"
        "claims:\n- {<<: *base, id: a, value: '5'}\n- {<<: *base, id: b, value: '7', source: t}\n",
    )
    claims = load(path)  # x_ header keys are the user's own, as in claims
    assert claims.ids == ["a", "b"]
    assert list(claims.columns["source"]) == ["s", "t"]  # an explicit key wins the merge
    assert list(claims.columns["metric"]) == ["killed", "killed"]
    path = write("m2.yaml", "- {<<: {id: a}, id: b, id: c}\n")
    assert any("`id` is given twice" in m for m in messages(path))


def test_json_duplicate_keys_and_lone_object(write: Callable[[str, str], Path]) -> None:
    claim = '"id": "a", "event": "e", "metric": "killed", "source": "s", "stated_on": "2022-01-05"'
    path = write("dup.json", "[{" + claim + ', "value": "5", "value": "6"}]')
    (message,) = messages(path)
    assert message == f"{path}:1: value: `value` is given twice; keep one"
    lone = write("lone.json", "{" + claim + ', "value": "5"}')
    assert load(lone).ids == ["a"]


def test_non_mapping_items_are_located(write: Callable[[str, str], Path]) -> None:
    path = write(
        "items.yaml",
        "claims:\n- {id: a, event: e, metric: killed, value: '5', source: s, stated_on: 2022-01-05}\n- 42\n- just text\n",
    )
    assert messages(path) == [
        f"{path}:3: claim 2 must be a mapping of fields, found 42; write each claim as `field: value` pairs",
        f"{path}:4: claim 3 must be a mapping of fields, found 'just text'; write each claim as `field: value` pairs",
    ]


def test_json_items_are_located_and_deep_nesting_is_refused(
    write: Callable[[str, str], Path],
) -> None:
    path = write("lines.json", '[\n  {"id": "a"},\n  7\n]')
    found = messages(path)
    assert (
        f"{path}:3: claim 2 must be a mapping of fields, found 7; write each claim as `field: value` pairs"
        in found
    )
    deep = write("deep.json", "[" * 100_000 + "]" * 100_000)
    assert messages(deep) == [
        f"{deep}: nested more than 100 levels deep; "
        "claims are flat: `field: value` pairs, with a list of ids at most"
    ]


def test_ndjson_keeps_unicode_line_separators_inside_strings(
    write: Callable[[str, str], Path],
) -> None:
    path = write(
        "u.ndjson",
        '{"id": "a", "event": "e", "metric": "killed", "value": "5", "source": "s", '
        '"stated_on": "2022-01-05", "quote": "one\u2028two"}\n',
    )
    claims = load(path)
    assert claims.columns["quote"][0] == "one\u2028two"


def test_alias_bomb_is_refused_quickly(write: Callable[[str, str], Path]) -> None:
    lines = [
        "- &c0 {id: a, event: e, metric: killed, value: '5', source: s, stated_on: 2022-01-05, x_n: &a0 [x, x, x, x, x, x, x, x, x]}"
    ]
    lines.append("- x_bomb: [" + ", ".join(["*a0"] * 9) + "]")
    text = "\n".join(lines) + "\n"
    for level in range(1, 9):
        text = text.replace(
            "x_bomb: [",
            f"x_{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]\n  x_bomb: [",
            1,
        )
    path = write("bomb.yaml", text)
    with pytest.raises(figrecon.InputError):  # the second item has no id, metric ...
        load(path)


@pytest.mark.parametrize(
    ("via", "message"),
    [
        ("A < B < A", "via: the chain 'A < B < A' names A twice"),
        (" < < ", "via: an empty link in the chain"),
        ("AP <", "via: an empty link in the chain 'AP <'"),
        # Written the other way round, the chain was one carrier named 'Reuters > Daily Mail'.
        ("Reuters > Daily Mail", "via: 'Reuters > Daily Mail' has a '>'; a chain runs from"),
    ],
)
def test_a_broken_chain_of_carriers_is_an_error(write, via: str, message: str) -> None:
    # "AP <" and "Reuters <" both ended in an empty carrier: one carrier for R2.
    path = write(
        "claims.csv",
        f"id,event,metric,value,source,stated_on,via\na,e,killed,5,s,2023-01-01,{via}\n",
    )
    with pytest.raises(figrecon.InputError) as info:
        load(path)
    (finding,) = info.value.findings
    assert message in str(finding)


def test_a_chain_of_carriers_is_one_spelling(write) -> None:
    path = write(
        "claims.csv",
        "id,event,metric,value,source,stated_on,via\n"
        "a,e,killed,5,s,2023-01-01,The Week<Reuters\nb,e,killed,5,s,2023-01-01,The  Week < Reuters\n",
    )
    assert set(load(path).columns["via"]) == {"The Week < Reuters"}


# --- values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("low", "1" + "0" * 400, "low: a number of 401 digits is more than 10^10 people"),
        ("high", "10000000001", "high: 10000000001 is more than 10^10 people"),
        ("low", "0.5", "low: '0.5' is not a whole number of people"),
        ("best", "true", "best: 'true' is not a number"),
        ("high", "-3", "high: '-3' is not a count (a number 0 or more)"),
        (
            "low",
            "1.200",
            "low: '1.200' is not a whole number of people (if the dot groups thousands, "
            "write 1200)",
        ),
        # An exponent, as a spreadsheet shows a long number (its last digits gone); a
        # value refuses it too.
        ("low", "1e3", "low: '1e3' is written with an exponent; write the count in plain digits"),
        ("high", "1.2E+04", "high: '1.2E+04' is written with an exponent; write the count"),
        # A slipped separator was read as if it were not there (1,0000 as 10,000).
        ("low", '"1,0000"', "low: '1,0000' is not a well-formed number; write it as 1,234"),
        ("best", '"12,34"', "best: '12,34' is not a well-formed number"),
    ],
)
def test_bad_numbers(
    write: Callable[[str, str], Path], field: str, value: str, message: str
) -> None:
    path = write(
        "n.yaml",
        f"- {{id: a, event: e, metric: killed, source: s, stated_on: 2022-01-05, {field}: {value}}}\n",
    )
    (found,) = messages(path)  # and no "states nothing" after it
    assert found.startswith(f"{path}:1: {message}")


def test_numeric_dates_are_not_epochs(write: Callable[[str, str], Path]) -> None:
    path = write(
        "d.json",
        '[{"id": "a", "event": "e", "metric": "killed", "value": "5", "source": "s", '
        '"stated_on": 1642204800, "as_of": 0}]',
    )
    assert messages(path) == [
        f"{path}:1: stated_on: 1642204800 is a number, not a date; write YYYY-MM-DD, or `undated` when the page gives no date",
        f"{path}:1: as_of: 0 is a number, not a date; write YYYY-MM-DD",
    ]


def test_fields_named_file_or_line_are_refused(write: Callable[[str, str], Path]) -> None:
    path = write(
        "f.csv",
        "id,event,metric,value,source,stated_on,file,line\na,e,killed,5,s,2022-01-05,notes.txt,12\n",
    )
    assert messages(path) == [
        f"{path}:1: file: `file` is not a claim field: figrecon records each claim's file and line itself; rename it x_file",
        f"{path}:1: line: `line` is not a claim field: figrecon records each claim's file and line itself; rename it x_line",
    ]


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("no one", (0, 0, 0)),
        ("nobody was killed", (0, 0, 0)),
        ("not a single person", (0, 0, 0)),
        ("ни одного", (0, 0, 0)),
        ("no more than 5", (0, 5, 5)),
        ("a thousand thousand", (900_000, 1_100_000, 1_000_000)),
    ],
)
def test_phrases_of_none_and_products(phrase: str, expected: tuple[float, float, float]) -> None:
    q = Reader().read(phrase)
    assert (q.hard_low, q.hard_high, q.point) == expected


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("-5", "'-5' is negative"),
        ("killed: -5", "'-5' is negative"),
        ("1e5", "'1e5' is scientific notation"),
        ("between 5 and", "'between 5 and' is a range without its other end"),
        ("12 billion", "is more than 10^10 people"),
    ],
)
def test_phrases_refused(phrase: str, message: str) -> None:
    with pytest.raises(PhraseError, match=re.escape(message)):
        Reader().read(phrase)


def test_ranges_and_hyphens_still_read() -> None:
    assert Reader().read("5-10").hard_high == 10
    assert Reader().read("ages 5-10").hard_low == 5


# --- CSV ------------------------------------------------------------------------------


def test_every_csv_row_with_the_wrong_width_is_reported(write: Callable[[str, str], Path]) -> None:
    path = write(
        "w.csv",
        "id,event,metric,value,source,stated_on\n"
        "a,e,killed,some 9,900,s,2022-01-05\n"  # unquoted comma: 7 fields
        "b,e,killed,5,s,2022-01-05\n"
        "c,e,killed,5,s\n"  # 5 fields
        'd,e,killed,"5,000",s,2022-01-05\n',
    )
    hint = 'quote values that contain the delimiter ("some 9,900"), or fix the row'
    assert messages(path) == [
        f"{path}:2: this row has 7 fields, the header has 6; {hint}",
        f"{path}:4: this row has 5 fields, the header has 6; {hint}",
    ]


def test_csv_lines_count_quoted_line_breaks(write: Callable[[str, str], Path]) -> None:
    path = write(
        "q.csv",
        'id,event,metric,value,source,stated_on,quote\na,e,killed,5,s,2022-01-05,"one\ntwo ""x"""\n'
        "b,e,killed,zzz,s,2022-01-05,\n",
    )
    (message,) = messages(path)
    assert message.startswith(f"{path}:4: value: no figure in 'zzz'")


def test_csv_quirks(write: Callable[[str, str], Path]) -> None:
    rows = "id,event,metric,value,source,stated_on,quote\r" + "a,e,killed,5,s,2022-01-05,x\r"
    assert load(write("cr.csv", rows)).ids == ["a"]
    long_quote = "y" * 200_000
    path = write(
        "long.csv",
        f'id,event,metric,value,source,stated_on,quote\na,e,killed,5,s,2022-01-05,"{long_quote}"\n',
    )
    assert load(path).columns["quote"][0] == long_quote
    odd = write(
        "odd.csv", 'id,event,metric,value,source,stated_on\na,e,killed,5 "dozens",s,2022-01-05\n'
    )
    (message,) = messages(odd)  # a quote inside an unquoted field: read as text, located
    assert message.startswith(f"{odd}:2: value: several figures") or message.startswith(
        f"{odd}:2: value:"
    )


# --- headers, registries, settings ------------------------------------------------------


def test_a_bad_header_field_keeps_the_others(write: Callable[[str, str], Path]) -> None:
    path = write(
        "h.yaml",
        "title: [not, text]\nevent: e\nclaims:\n- {id: a, metric: killed, value: '5', source: s, stated_on: 2022-01-05}\n",
    )
    (message,) = messages(path)  # no "missing `event`" for the claim
    assert message.startswith(f"{path}:1: title: input should be a valid string")


def test_registry_errors_name_the_entry(write: Callable[[str, str], Path]) -> None:
    path = write(
        "r.yaml",
        "event: e\nsources:\n  hrw: {typ: ngo}\n  ap:\n    party: [x]\n"
        "claims:\n- {id: a, metric: killed, value: '5', source: hrw, stated_on: 2022-01-05}\n",
    )
    assert messages(path) == [
        f"{path}:3: sources.hrw.typ: unknown field; an entry has name, type, party (did you mean `type`?)",
        f"{path}:5: sources.ap.party: must be true, false or the name of a side, e.g. party: government; "
        "see the header format in the README",
    ]


def test_sources_file_errors(write: Callable[[str, str], Path], fixtures: Path) -> None:
    claims = fixtures / "small.yaml"
    extra = write("s.csv", "id,name,type,kind\nhrw,HRW,ngo,x\n")
    (message,) = messages(claims, sources=extra)
    assert message.startswith(
        f"{extra}:1: kind: unknown column `kind`; columns: id, name, type, party"
    )
    dup = write("d.csv", "id,name,type\nhrw,HRW,ngo\nhrw,Other,media\n")
    assert messages(claims, sources=dup) == [
        f"{dup}:3: id: source `hrw` is already defined at line 2; define each source once"
    ]
    listed = write("l.json", "[1, 2]")
    (message,) = messages(claims, sources=listed)
    assert "a sources file is a mapping with `sources:`" in message


def test_settings_are_checked(
    run: Run, tmp_path: Path, fixtures: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "figrecon.toml").write_text("type_weights = {ngo = -5.0}\n")
    result = run("reconcile", fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "figrecon.toml: type_weights.ngo: -5.0: input should be greater than 0" in result.output
    (tmp_path / "figrecon.toml").write_text('[check]\nselect = ["nope"]\n')
    result = run("check", fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "figrecon.toml: check.select: unknown code 'nope'" in result.output


def test_schema_errors_cannot_be_ignored(run: Run, fixtures: Path) -> None:
    result = run("check", "--ignore", "invalid-field", fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "--ignore: invalid-field cannot be ignored" in result.output


def test_rank_needs_hierarchy(run: Run, fixtures: Path) -> None:
    result = run("reconcile", "--rank", "ngo,igo", fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "--rank orders sources for --method hierarchy only" in result.output


# --- files and outputs ----------------------------------------------------------------


def test_output_paths(run: Run, tmp_path: Path, fixtures: Path) -> None:
    result = run("reconcile", "-f", "json", "-o", tmp_path, fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "that is a folder" in result.output
    result = run(
        "reconcile",
        "-f",
        "json",
        "-o",
        tmp_path / "no" / "such" / "r.json",
        fixtures / "small.yaml",
    )
    assert result.exit_code == 2
    assert "cannot write the file (No such file or directory)" in result.output
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "c.yaml").write_text((fixtures / "small.yaml").read_text())
    result = run("normalize", "-f", "json", "-o", folder / "c.yaml", folder)
    assert result.exit_code == 2
    assert "that is an input file" in result.output
    assert (folder / "c.yaml").read_text() == (fixtures / "small.yaml").read_text()
    result = run("reconcile", "-f", "json", "-o", "-", fixtures / "small.yaml")
    assert result.exit_code == 0
    assert json.loads(result.output)["figures"]
    assert not Path("-").exists()


def test_encodings(run: Run, write: Callable[[str, str], Path], tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_text("- {id: a}\n", encoding="utf-16")
    (message,) = messages(path)
    assert "UTF-16 byte-order mark: use -e utf-16" in message
    result = run("reconcile", "-e", "punycode", write("p.yaml", "- {id: \u00e9}\n"))
    assert result.exit_code == 2
    assert "not valid punycode" in result.output


def test_diff_refuses_what_it_cannot_compare(run: Run, fixtures: Path, tmp_path: Path) -> None:
    saved = json.loads(run("reconcile", "-f", "json", fixtures / "small.yaml").output)
    as_text = tmp_path / "result.txt"
    as_text.write_text(json.dumps(saved))
    result = run("diff", as_text, fixtures / "small.yaml")
    assert result.exit_code == 0, result.output  # a result, whatever its name
    future = tmp_path / "future.json"
    future.write_text(json.dumps({**saved, "format_version": 99}))
    result = run("diff", future, fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "format version 99" in result.output
    report = tmp_path / "report.json"
    report.write_text(run("check", "-f", "json", fixtures / "small.yaml").output)
    result = run("diff", report, fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "this is a `figrecon check` report" in result.output
    twice = tmp_path / "twice.json"
    twice.write_text(json.dumps({**saved, "figures": saved["figures"] + saved["figures"][:1]}))
    result = run("diff", twice, fixtures / "small.yaml")
    assert result.exit_code == 2
    assert "appears twice" in result.output


def test_check_junit_escapes_control_characters(
    run: Run, write: Callable[[str, str], Path]
) -> None:
    import xml.dom.minidom

    path = write(
        "c.yaml",
        '- {id: "a\\x01b", event: e, metric: killed, value: "5", source: s, stated_on: 2022-01-05}\n',
    )
    result = run("check", "-f", "junit", path)
    xml.dom.minidom.parseString(result.output)
    assert "a\\x01b" in result.output


def test_check_with_schema_errors_still_runs_semantic_checks(run: Run, fixtures: Path) -> None:
    result = run("check", fixtures / "bad" / "three-broken.yaml")
    assert result.exit_code == 1
    assert "missing-provenance" in result.output
    assert "3 errors" in result.output


def test_ignore_drops_warnings_of_an_always_code_but_not_its_errors(
    run: Run, write: Callable[[str, str], Path]
) -> None:
    path = write(
        "r.yaml",
        "- {id: a, event: e, metric: killed, value: '5', source: s, stated_on: 2022-01-05, url: u}\n"
        "- {id: b, event: e, metric: killed, retracts: zz, source: s, stated_on: 2022-01-06, url: u}\n",
    )
    plain = run("check", "-f", "json", path)
    codes = [(f["code"], f["severity"]) for f in json.loads(plain.output)["findings"]]
    assert ("unknown-reference", "warning") in codes
    assert ("unknown-reference", "error") in codes
    ignored = run("check", "-f", "json", "--ignore", "unknown-reference", path)
    codes = [(f["code"], f["severity"]) for f in json.loads(ignored.output)["findings"]]
    assert codes == [("unknown-reference", "error")]


def test_a_yaml_key_without_a_value_is_still_an_unknown_field(tmp_path: Path) -> None:
    path = tmp_path / "flow.yaml"
    path.write_text(
        "event: e\nlocation: X\nclaims:\n"
        "  - {id: a, metric: killed, value: 1,200, source: s, source_type: ngo, stated_on: 2022-01-06}\n"
        "  - id: b\n    metric: killed\n    value: '5'\n    source: s\n    source_type: ngo\n"
        "    stated_on: 2022-01-07\n    asessment:\n"
    )
    assert messages(path) == [
        f"{path}:4: 200: unknown field `200`; in a one-line {{...}} claim a comma ends the value, "
        'so `value: 1,200` reads as 1 and a field `200`: quote the figure ("1,200")',
        f"{path}:11: asessment: unknown field `asessment`; fields are "
        + ", ".join(CLAIM_FIELDS)
        + " (did you mean `assessment`?); start your own fields with x_",
    ]


def test_a_number_key_with_a_value_is_told_the_fields_not_the_comma(tmp_path: Path) -> None:
    """`5: x` is no figure split by a comma (that leaves a key without a value)."""
    path = tmp_path / "flow.yaml"
    path.write_text(
        "event: e\nlocation: X\nclaims:\n"
        "  - {id: a, metric: killed, value: '1', source: s, source_type: ngo, "
        "stated_on: 2022-01-06, 5: x}\n"
    )
    assert messages(path) == [
        f"{path}:4: 5: unknown field `5`; fields are "
        + ", ".join(CLAIM_FIELDS)
        + "; start your own fields with x_",
    ]


def test_ids_in_retracts_and_parts_are_kept_as_written(tmp_path: Path) -> None:
    path = tmp_path / "octal.yaml"
    path.write_text(
        "event: e\nlocation: X\nclaims:\n"
        "  - {id: 010, metric: killed, value: '10', source: a, source_type: ngo, stated_on: 2022-01-06}\n"
        "  - {id: 8, metric: killed, value: '1', source: b, source_type: ngo, stated_on: 2022-01-06}\n"
        "  - {id: n9, metric: killed, retracts: 010, source: a, source_type: ngo, stated_on: 2022-01-07}\n"
        "  - {id: n10, metric: killed, retracts: [010], source: a, source_type: ngo, stated_on: 2022-01-08}\n"
    )
    claims = load(path)
    assert claims.columns["retracts"].tolist()[2:] == [("010",), ("010",)]


@pytest.mark.parametrize("written", ["20220106", "2022-W01-4", "2022-006"])
def test_only_yyyy_mm_dd_is_a_date(tmp_path: Path, written: str) -> None:
    path = tmp_path / "dates.yaml"
    path.write_text(
        "event: e\nlocation: X\nclaims:\n"
        f"  - {{id: a, metric: killed, value: '12', source: s, source_type: ngo, stated_on: {written}}}\n"
    )
    assert messages(path) == [
        f"{path}:4: stated_on: '{written}' is not a date; write YYYY-MM-DD, or `undated` when the page gives no date"
    ]


@pytest.mark.parametrize("suffix", [".json", ".ndjson"])
def test_a_json_key_with_null_is_still_an_unknown_field(tmp_path: Path, suffix: str) -> None:
    claim = {
        "id": "a1",
        "event": "e",
        "location": "X",
        "metric": "killed",
        "value": "300",
        "source": "s",
        "source_type": "ngo",
        "stated_on": "2022-01-05",
        "notes": None,
    }
    path = tmp_path / f"claims{suffix}"
    path.write_text(json.dumps([claim] if suffix == ".json" else claim) + "\n")
    (message,) = messages(path)
    assert "unknown field `notes`" in message
    assert "(did you mean `note`?)" in message


_CLAIM = (
    '{{"id": "c{n}", "event": "e", "metric": "killed", "source": "s", '
    '"source_type": "ngo", "stated_on": "2022-01-05", {field}}}'
)


@pytest.mark.parametrize(
    ("field", "literal", "why"),
    [
        ('"low": NaN, "high": 50', "NaN", "is not JSON"),
        ('"value": "120", "best": Infinity', "Infinity", "is not JSON"),
        ('"value": "120", "retracted": -Infinity', "-Infinity", "is not JSON"),
        ('"value": "120", "low": 1e309', "1e309", "is too large for any number"),
    ],
)
@pytest.mark.parametrize("layout", ["json", "ndjson"])
def test_json_numbers_python_takes_but_json_has_not_are_refused_where_they_are(
    write: Callable[[str, str], Path], field: str, literal: str, why: str, layout: str
) -> None:
    """Python's decoder reads NaN and Infinity, which JSON does not have, and `1e309` as
    infinity: a NaN low was then a missing one, and `low: NaN, high: 50` a ceiling
    (synthetic claims). Each is refused on its own line, a literal inside a text aside."""
    # The same words in a text on the line before are no number.
    good = _CLAIM.format(n=1, field='"value": "120", "quote": "NaN, -Infinity or 1e309"')
    bad = _CLAIM.format(n=2, field=field)
    if layout == "json":
        path = write("c.json", "[\n" + good + ",\n" + bad + "\n]\n")
        line = 3
    else:
        path = write("c.ndjson", good + "\n" + bad + "\n")
        line = 2
    assert messages(path) == [
        f"{path}:{line}: not valid JSON: `{literal}` {why}; write a number or a text in "
        "quotes, or leave the field out when it is not known"
    ]


def test_claims_sharing_a_line_are_told_apart_in_their_errors(
    write: Callable[[str, str], Path],
) -> None:
    """A one-line JSON file (as scripts write it) put every claim on line 1: each error
    now names its claim, by id or by its place on the line (synthetic claims)."""
    good = _CLAIM.format(n=1, field='"value": "120"')
    bad_date = _CLAIM.format(n=2, field='"value": "120"').replace("2022-01-05", "2022-13-05")
    no_id = '{"event": "e", "metric": "killed", "source": "s", "stated_on": "2022-01-05"}'
    path = write("c.json", "[" + ", ".join([good, bad_date, no_id]) + "]")
    assert messages(path) == [
        f"{path}:1: stated_on: claim `c2`: '2022-13-05' is not a date; write YYYY-MM-DD, or "
        "`undated` when the page gives no date",
        f"{path}:1: value: claim #3: states nothing; give a value (or low/high/best), an "
        "assessment, or retracts",
    ]
    # YAML claims in flow style on one line: their fields share it.
    flow = write(
        "flow.yaml",
        "event: e\nclaims: [{id: a, metric: killed, source: s, value: '1', stated_on: "
        "2022-13-06}, {metric: killed, source: s, value: '1', stated_on: 2022-14-06}]\n",
    )
    assert [m.split(": '")[0] for m in messages(flow)] == [
        f"{flow}:2: stated_on: claim `a`",
        f"{flow}:2: stated_on: claim #2",
    ]
    # A claim on a line of its own is named by its line, as before.
    lines = write("c.ndjson", "\n".join([good, bad_date]) + "\n")
    assert messages(lines) == [
        f"{lines}:2: stated_on: '2022-13-05' is not a date; write YYYY-MM-DD, or `undated` "
        "when the page gives no date"
    ]


@pytest.mark.parametrize(
    ("version", "message"),
    [
        (0, "format version 0, which no figrecon writes (the first is 1)"),
        (-1, "format version -1, which no figrecon writes (the first is 1)"),
        (True, "format version True, which no figrecon writes (the first is 1)"),
        ("1", "format version '1', which no figrecon writes (the first is 1)"),
        # Quoted briefly, however long (a list of a million items was quoted whole).
        (list(range(10**6)), "format version [0, 1, 2, 3, ...], which no figrecon writes"),
    ],
)
def test_diff_refuses_a_result_of_a_version_before_the_first(
    run: Run, fixtures: Path, tmp_path: Path, version: object, message: str
) -> None:
    """A result of format version 0, -1 or `true` was compared as a version 1 one."""
    saved = json.loads(run("reconcile", "-f", "json", fixtures / "small.yaml").output)
    old = tmp_path / "old.json"
    old.write_text(json.dumps({**saved, "format_version": version}))
    result = run("diff", old, fixtures / "small.yaml")
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    ("tagged", "tag"),
    [("!custom 300", "'!custom'"), ("!!python/object:os.system 300", "python/object:os.system")],
)
def test_a_value_under_an_unknown_yaml_tag_is_refused_not_read(
    write: Callable[[str, str], Path], tagged: str, tag: str
) -> None:
    # The tag was dropped and the value read as 300.
    path = write(
        "t.yaml",
        "claims:\n  - {id: a, event: e, metric: killed, source: s, stated_on: 2022-01-05, "
        f"value: {tagged}}}\n",
    )
    (found,) = messages(path)
    assert found.startswith(f"{path}:2: not valid YAML: could not determine a constructor")
    assert tag in found


def test_the_standard_tags_keep_a_value_as_written(write: Callable[[str, str], Path]) -> None:
    path = write(
        "t.yaml",
        "- {id: a, event: e, metric: killed, source: s, stated_on: 2022-01-05, value: !!str 0300}\n",
    )
    assert list(load(path).columns["value_text"]) == ["0300"]


@pytest.mark.parametrize(
    ("written", "part"), [("2022-01", "month"), ("2022-1", "month"), ("2022", "year")]
)
def test_a_month_or_a_year_for_a_date_says_so(
    write: Callable[[str, str], Path], written: str, part: str
) -> None:
    path = write(
        "m.yaml",
        f"- {{id: a, event: e, metric: killed, value: '5', source: s, stated_on: '{written}'}}\n",
    )
    (found,) = messages(path)
    assert found == (
        f"{path}:1: stated_on: '{written}' gives a {part}, not a day (a count for that whole "
        f"{part} goes in period); write YYYY-MM-DD, or `undated` when the page gives no date"
    )


@pytest.mark.parametrize("written", ["=", "<<"])
def test_plain_scalars_yaml_tags_itself_are_text(
    write: Callable[[str, str], Path], written: str
) -> None:
    # YAML's own tags for "=" and "<<" (value, merge) are no tag a user wrote.
    path = write(
        "t.yaml",
        "- {id: a, event: e, metric: killed, source: s, stated_on: 2022-01-05, value: '5', "
        f"quote: {written}}}\n",
    )
    assert list(load(path).columns["quote"]) == [written]


def test_a_row_that_repeats_the_header_is_one_finding(write: Callable[[str, str], Path]) -> None:
    # Two exports joined with their headers: the second header was a claim with an
    # error per field ("stated_on: 'stated_on' is not a date", ...).
    header = "id,event,metric,value,source,stated_on\n"
    path = write(
        "joined.csv",
        header
        + "a,e,killed,5,s,2022-01-05\n"
        + header.replace("value", "Value")
        + "b,e,killed,6,s,2022-01-06\n",
    )
    assert messages(path) == [
        f"{path}:3: this row repeats the header (files joined with their headers?); delete the row"
    ]
