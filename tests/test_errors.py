"""Bad input: every problem located (file, line, field) and explained, all in one run."""

from __future__ import annotations

from pathlib import Path

import pytest

import figrecon
from figrecon.loading import load


def problems(path: Path, **kwargs: object) -> list[str]:
    with pytest.raises(figrecon.InputError) as info:
        load(path, **kwargs)  # type: ignore[arg-type]
    return [str(f) for f in info.value.findings]


def test_three_broken_claims_give_three_located_messages(fixtures: Path) -> None:
    path = fixtures / "bad" / "three-broken.yaml"
    assert problems(path) == [
        f"{path}:9: stated_on: '2022-13-01' is not a date; write YYYY-MM-DD, or `undated` when the page gives no date",
        f"{path}:11: metric: unknown metric `kiled` (did you mean `killed`?); use killed, injured, detained, "
        "charged, convicted, released, pardoned, criminal_cases, held or missing, or declare it under "
        "`metrics:` in the header",
        f"{path}:18: value: several figures in '26 demonstrators and 18 policemen' (26, 18); keep one "
        "figure (or one range) in value and the whole sentence in quote",
    ]


@pytest.mark.parametrize(
    ("metric", "meant"),
    [
        ("arrested", "detained"),
        ("fatalities", "killed"),
        ("wounded", "injured"),
        ("kiled", "killed"),
    ],
)
def test_an_unknown_metric_suggests_the_metric_the_field_means_by_it(
    tmp_path: Path, metric: str, meant: str
) -> None:
    # By spelling alone `arrested` is nearest to `released`, its opposite.
    path = tmp_path / "claims.csv"
    path.write_text(f"id,event,metric,value,source,stated_on\na,e,{metric},100,s,2023-01-01\n")
    (message,) = problems(path)
    assert f"unknown metric `{metric}` (did you mean `{meant}`?)" in message


def test_a_table_whose_header_names_no_claim_field_is_no_claim_file(tmp_path: Path) -> None:
    # A UTF-8 file read as UTF-16 is one line of garbage: a header and no rows, which
    # passed as a valid file of no claims.
    path = tmp_path / "claims.csv"
    text = "id,event,metric,value,source,stated_on\na,e,killed,5,s,2023-01-01\n"
    path.write_text(text + " " * (len(text) % 2))  # an even number of bytes
    (message,) = problems(path, encoding="utf-16")
    assert message.startswith(f"{path}:1: the header names no claim field (`")
    assert "check the file, its encoding (-e) and its delimiter" in message
    path.write_text("foo,bar\n")
    assert problems(path) == [
        f"{path}:1: the header names no claim field (`foo`, `bar`); a claim file's first row "
        "names its fields (id, metric, value, source, stated_on, ...); check the file, its "
        "encoding (-e) and its delimiter"
    ]


def test_a_bad_header_entry_leaves_the_others_in_force(tmp_path: Path) -> None:
    # One bad source dropped the whole registry: every claim's source was then "not in
    # the registry", and a metric declared against its built-in measure went unseen.
    path = tmp_path / "claims.yaml"
    path.write_text(
        "event: e\nlocation: L\n"
        "metrics:\n  killed: {measure: stock}\n"
        "sources:\n  s1: {name: S one, type: ngo}\n  s2: {name: S two, type: nonsense}\n"
        "claims:\n  - {id: a, metric: injured, value: '5', source: s1, stated_on: 2023-01-01}\n",
        encoding="utf-8",
    )
    from figrecon.loading import load_with_findings

    found = [str(f) for f in load_with_findings(path)[1]]
    assert any("sources.s2.type: 'nonsense' is not one of" in p for p in found)
    assert any("metric `killed` is cumulative elsewhere" in p for p in found)
    assert not any("not in the sources registry" in p for p in found)


def test_yaml_syntax_error_names_the_line_where_the_quote_opened(fixtures: Path) -> None:
    path = fixtures / "bad" / "syntax.yaml"
    (message,) = problems(path)
    assert message.startswith(f"{path}:5: not valid YAML: while scanning a quoted scalar")


def test_json_syntax_error_has_line_and_column(fixtures: Path) -> None:
    path = fixtures / "bad" / "syntax.json"
    assert problems(path) == [
        f"{path}:2: not valid JSON: Expecting property name enclosed in double quotes (column 35); fix the JSON near this line"
    ]


def test_ragged_csv_row_is_located(fixtures: Path) -> None:
    path = fixtures / "bad" / "ragged.csv"
    assert problems(path) == [
        f'{path}:3: this row has 7 fields, the header has 6; quote values that contain the delimiter ("some 9,900"), or fix the row'
    ]


def test_undecodable_file_names_the_encoding_option(fixtures: Path) -> None:
    path = fixtures / "bad" / "latin1.csv"
    (message,) = problems(path)
    assert message.startswith(f"{path}:2: not valid utf-8-sig (byte 0xee")
    assert "-e/--encoding" in message


def test_unknown_column_suggests_the_field_and_the_x_prefix(fixtures: Path) -> None:
    path = fixtures / "bad" / "unknown-field.csv"
    first = problems(path)[0]
    assert first.startswith(f"{path}:1: vale: unknown column `vale`")
    assert "(did you mean `value`?)" in first
    assert "start your own fields with x_" in first


def test_x_prefixed_fields_are_allowed(write) -> None:
    path = write(
        "x.csv",
        "id,event,metric,value,source,source_type,stated_on,x_coder\na,e,killed,5,s,media,2022-01-01,me\n",
    )
    assert load(path).ids == ["a"]


def test_missing_file_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert problems([tmp_path / "nope.yaml", tmp_path / "empty"]) == [  # type: ignore[arg-type]
        f"{tmp_path / 'nope.yaml'}: no such file or folder; check the path",
        f"{tmp_path / 'empty'}: the folder holds no claim files; claim files end in .csv, .json, .jsonl, .ndjson, .ods, .tab, .tsv, .xlsx, .yaml, .yml",
    ]


@pytest.mark.parametrize(
    ("claim", "expected"),
    [
        (
            "{id: a, metric: killed, source: s, source_type: media, stated_on: 2022-01-01}",
            "value: states nothing; give a value (or low/high/best), an assessment, or retracts",
        ),
        (
            "{id: a, metric: killed, value: '5', low: 3, source: s, source_type: media, stated_on: 2022-01-01}",
            "value: give the figure either as value or as low/high/best, not both",
        ),
        (
            "{id: a, metric: killed, low: 9, high: 3, source: s, source_type: media, stated_on: 2022-01-01}",
            "value: low 9 is above high 3",
        ),
        (
            "{id: a, metric: killed, value: '5', assessment: unverified, source: s, source_type: media, stated_on: 2022-01-01}",
            "value: an assessment is for a claim without a figure; put the figure in its own claim",
        ),
        (
            "{id: a, metric: killed, value: '5', source: s, source_type: press, stated_on: 2022-01-01}",
            "source_type: 'press' is not one of 'government', 'judiciary', 'health', 'igo', 'ngo', 'research', 'media', 'other' or 'unknown'",
        ),
        (
            "{id: a, metric: Killed, value: '5', source: s, source_type: media, stated_on: 2022-01-01}",
            "metric: 'Killed' is not a slug (lowercase letters, digits, '_', '-' or '.')",
        ),
        (
            "{id: a, metric: killed, value: '5', source: s, source_type: media, stated_on: 2022-01-01, retracts: zz}",
            "retracts: retracts `zz`, but no claim has that id",
        ),
        (
            "{id: a, metric: killed, value: '5', source: s, source_type: media}",
            "missing `stated_on`",
        ),
        (
            "{id: a, metric: killed, value: '5', source: s, source_type: media, stated_on: 2022-01-01, vale: 3}",
            "vale: unknown field `vale`",
        ),
        (
            "{id: a, metric: killed, value: '5.5', source: s, source_type: media, stated_on: 2022-01-01}",
            "value: '5.5' is not a whole number of people",
        ),
    ],
)
def test_invalid_claims_are_explained(write, claim: str, expected: str) -> None:
    path = write("c.yaml", f"event: e\nclaims:\n  - {claim}\n")
    (message,) = problems(path)
    assert message.startswith(f"{path}:3: {expected}")


def test_duplicate_ids_point_at_the_first(write) -> None:
    path = write(
        "d.yaml",
        "event: e\nclaims:\n  - {id: a, metric: killed, value: '5', source: s, source_type: media, stated_on: 2022-01-01}\n  - {id: a, metric: killed, value: '6', source: s, source_type: media, stated_on: 2022-01-02}\n",
    )
    assert problems(path) == [
        f"{path}:4: id: id `a` is already used at {path}:3; give every claim its own id"
    ]


def test_duplicate_yaml_keys_are_errors_not_silently_overwritten(write) -> None:
    path = write(
        "k.yaml",
        "event: e\nclaims:\n  - id: a\n    metric: killed\n    value: '5'\n    value: '6'\n    source: s\n    source_type: media\n    stated_on: 2022-01-01\n",
    )
    assert problems(path) == [f"{path}:6: value: `value` is given twice; keep one"]


def test_unknown_header_field(write) -> None:
    path = write("h.yaml", "event: e\nlocaton: X\nclaims: []\n")
    (message,) = problems(path)
    assert message.startswith(f"{path}:2: locaton: unknown header field;")
    assert "did you mean `location`?" in message
    assert "(did you mean `location`?)" in message


def test_phrase_in_an_unread_script_is_refused_not_misread(write) -> None:
    path = write(
        "fa.yaml",
        "event: e\nclaims:\n  - {id: a, metric: killed, value: 'دستکم ۲۲۵', source: s, source_type: media, stated_on: 2022-01-01}\n",
    )
    (message,) = problems(path)
    assert "no phrase table reads Arabic script" in message


def test_a_standard_output_that_cannot_hold_the_text_gets_one_line_and_exit_2() -> None:
    """Output to a terminal or pipe whose encoding has no room for a claim's characters
    (here ASCII, for the Kazakh place names of the shipped data): what to do, not an
    internal error."""
    import os
    import subprocess
    import sys

    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    for command in (["normalize", str(data)], ["check", str(data)]):
        done = subprocess.run(
            [sys.executable, "-m", "figrecon", *command], capture_output=True, env=env
        )
        assert done.returncode == 2, command
        assert done.stderr.decode().splitlines()[-1] == (
            "figrecon: the output has characters that ascii cannot hold, the encoding Python "
            "gave the standard output; write to a file with -o (UTF-8), or set "
            "PYTHONIOENCODING=utf-8"
        )
        assert b"Traceback" not in done.stderr


def test_a_file_given_twice_is_named_once_as_such(tmp_path: Path) -> None:
    # Read twice, its every claim was "already used" at its own line.
    path = tmp_path / "claims.csv"
    path.write_text("id,event,metric,value,source,stated_on\na,e,killed,5,s,2023-01-01\n")
    for first, second in ((path, path), (tmp_path, path), (path, tmp_path / "." / path.name)):
        (message,) = problems([first, second])
        assert message == (
            f"{second}: the file is given twice (also as {path}); give each file once"
        )


def test_a_registry_id_is_a_name_as_a_claims_source_is(fixtures: Path) -> None:
    # Ids with a no-break space, a double space or a decomposed accent, used verbatim by
    # claims: each claim's source is its registry entry (no "not in the registry").
    from figrecon.loading import load_with_findings

    claims, findings = load_with_findings(fixtures / "registry-names.yaml")
    assert findings == []
    assert claims is not None
    assert sorted(set(claims.columns["type"])) == ["judiciary", "ngo"]
