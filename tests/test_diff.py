"""`figrecon diff`: figures that appeared, disappeared or moved between two versions of a
dataset, and every claim that changed under each figure, whether or not the figure
moved. Synthetic claims."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from figrecon.diffs import ClaimMove, Diff, FigureChange
from figrecon.render.formats import DiffFormat
from rules_helpers import SOURCES, day


def version(tmp: Path, name: str, claims: list[dict]) -> Path:
    path = tmp / name
    path.write_text(
        yaml.safe_dump({"event": "e", "location": "Land", "sources": SOURCES, "claims": claims})
    )
    return path


OLD = [
    {"id": "a", "metric": "killed", "value": "225", "source": "prosecutor", "stated_on": day(15)},
    {
        "id": "b",
        "metric": "injured",
        "value": "4,353",
        "source": "prosecutor",
        "stated_on": day(15),
    },
    {"id": "c", "metric": "detained", "value": "9 900", "source": "interior", "stated_on": day(11)},
]
NEW = [
    {"id": "a", "metric": "killed", "value": "225", "source": "prosecutor", "stated_on": day(15)},
    {"id": "a2", "metric": "killed", "value": "238", "source": "prosecutor", "stated_on": day(200)},
    {
        "id": "b",
        "metric": "injured",
        "value": "4,353",
        "source": "prosecutor",
        "stated_on": day(15),
    },
    {"id": "d", "metric": "held", "value": "292", "source": "prosecutor", "stated_on": day(200)},
]
"""In NEW, the prosecutor's later 238 supersedes its 225 (claim a): an edit of claim a
moves no figure."""


def edited(claims: list[dict], claim_id: str, **fields: Any) -> list[dict]:
    """The claims with one claim's fields replaced (None: the field removed)."""
    return [
        {k: v for k, v in {**c, **fields}.items() if v is not None} if c["id"] == claim_id else c
        for c in claims
    ]


def move(claim_id: str, change: str, old: str | None, new: str | None, **fields: Any) -> dict:
    """A claim as the diff's JSON lists it; fields are (old, new) pairs."""
    return {
        "id": claim_id,
        "change": change,
        "old": old,
        "new": new,
        "fields": {name: {"old": pair[0], "new": pair[1]} for name, pair in fields.items()},
    }


def diff_json(run, tmp: Path, old: list[dict], new: list[dict]) -> dict[str, Any]:
    before, after = version(tmp, "old.yaml", old), version(tmp, "new.yaml", new)
    return json.loads(run("diff", before, after, "-f", "json").stdout)


def gate(run, tmp: Path, old: list[dict], new: list[dict]) -> int:
    before, after = version(tmp, "old.yaml", old), version(tmp, "new.yaml", new)
    return run("diff", before, after, "--fail-on-change").exit_code


def test_diff_pins_the_moved_appeared_and_disappeared_figures(run, tmp_path: Path) -> None:
    data = diff_json(run, tmp_path, OLD, NEW)
    changes = {(c["metric"], c["change"]): c for c in data["changes"]}
    assert set(changes) == {("killed", "moved"), ("held", "appeared"), ("detained", "disappeared")}
    moved = changes[("killed", "moved")]
    assert (moved["old"]["best"], moved["new"]["best"]) == (225, 238)
    assert moved["fields"] == ["low", "best", "high"]
    assert moved["claims"] == [
        move("a", "fate", "used", "superseded"),
        move("a2", "added", None, "used"),
    ]
    assert changes[("held", "appeared")]["claims"] == [move("d", "added", None, "used")]
    assert changes[("detained", "disappeared")]["claims"] == [move("c", "removed", "used", None)]
    assert data["unchanged"] == 1
    assert data["claims_changed"] == {"added": 2, "removed": 1, "fate": 1}


def test_a_value_edit_that_moves_no_figure_is_listed_and_fails_the_gate(
    run, tmp_path: Path
) -> None:
    new = edited(NEW, "a", value="2,250")
    data = diff_json(run, tmp_path, NEW, new)
    (change,) = data["changes"]
    assert (change["change"], change["metric"], change["fields"]) == ("unmoved", "killed", [])
    assert change["old"] == change["new"]
    assert change["claims"] == [
        move("a", "edited", "superseded", "superseded", value=("225", "2,250"))
    ]
    assert (data["unchanged"], data["claims_changed"]) == (2, {"edited": 1})
    assert gate(run, tmp_path, NEW, new) == 1


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("value", "225", "2,250"),
        ("source", "prosecutor", "gov"),
        ("via", None, "Newspaper"),
        ("stated_on", day(15), day(16)),
        ("as_of", None, day(14)),
        ("group", "total", "civilians"),
        ("period", None, f"{day(1)}/{day(15)}"),
    ],
)
def test_a_change_to_a_field_the_rules_read_is_an_edit(
    run, tmp_path: Path, field: str, old: str | None, new: str
) -> None:
    data = diff_json(
        run, tmp_path, edited(NEW, "a", **{field: old}), edited(NEW, "a", **{field: new})
    )
    listed = [m for c in data["changes"] for m in c["claims"] if m["id"] == "a"]
    assert {m["change"] for m in listed} == {"edited"}
    assert all(m["fields"] == {field: {"old": old, "new": new}} for m in listed)
    assert data["claims_changed"] == {"edited": 1}


@pytest.mark.parametrize(
    ("field", "old", "new"),
    [
        ("url", "https://example.org/a", "https://example.org/b"),
        ("quote", None, "the toll stands at 225"),
        ("note", "first count", None),
        ("parts", None, "a2"),
    ],
)
def test_a_provenance_only_edit_is_listed_and_passes_the_gate(
    run, tmp_path: Path, field: str, old: str | None, new: str | None
) -> None:
    before, after = edited(NEW, "a", **{field: old}), edited(NEW, "a", **{field: new})
    data = diff_json(run, tmp_path, before, after)
    (change,) = data["changes"]
    assert change["change"] == "unmoved"
    assert change["claims"] == [
        move("a", "provenance", "superseded", "superseded", **{field: (old, new)})
    ]
    assert data["claims_changed"] == {"provenance": 1}
    assert gate(run, tmp_path, before, after) == 0


EARLIER = {
    "id": "a0",
    "metric": "killed",
    "value": "200",
    "source": "prosecutor",
    "stated_on": day(10),
}
"""An earlier statement of the prosecutor: superseded by claim a, it moves no figure."""


def test_an_added_claim_that_moves_no_figure_is_listed_and_fails_the_gate(
    run, tmp_path: Path
) -> None:
    data = diff_json(run, tmp_path, OLD, [EARLIER, *OLD])
    (change,) = data["changes"]
    assert (change["change"], change["metric"]) == ("unmoved", "killed")
    assert change["claims"] == [move("a0", "added", None, "superseded")]
    assert gate(run, tmp_path, OLD, [EARLIER, *OLD]) == 1


def test_a_removed_claim_that_moves_no_figure_is_listed_and_fails_the_gate(
    run, tmp_path: Path
) -> None:
    data = diff_json(run, tmp_path, [EARLIER, *OLD], OLD)
    (change,) = data["changes"]
    assert (change["change"], change["metric"]) == ("unmoved", "killed")
    assert change["claims"] == [move("a0", "removed", "superseded", None)]
    assert gate(run, tmp_path, [EARLIER, *OLD], OLD) == 1


RETRACTION = {
    "id": "r",
    "metric": "killed",
    "retracts": "a",
    "source": "prosecutor",
    "stated_on": day(201),
}


@pytest.mark.parametrize(
    ("new", "listed"),
    [
        (
            [*NEW, RETRACTION],
            [
                move("a", "withdrawn", "superseded", "withdrawn"),
                move("r", "added", None, "retraction"),
            ],
        ),
        (
            edited(NEW, "a", retracted=True),
            [move("a", "withdrawn", "superseded", "withdrawn", retracted=("false", "true"))],
        ),
    ],
    ids=["retracted-by-a-new-claim", "marked-retracted"],
)
def test_a_newly_withdrawn_claim_is_listed_and_fails_the_gate(
    run, tmp_path: Path, new: list[dict], listed: list[dict]
) -> None:
    data = diff_json(run, tmp_path, NEW, new)
    (change,) = data["changes"]
    assert (change["change"], change["metric"]) == ("unmoved", "killed")
    assert change["claims"] == listed
    assert data["claims_changed"]["withdrawn"] == 1
    assert gate(run, tmp_path, NEW, new) == 1


def test_a_claim_moved_to_another_figure_is_listed_under_both(run, tmp_path: Path) -> None:
    data = diff_json(run, tmp_path, NEW, edited(NEW, "a", metric="injured"))
    changes = {c["metric"]: c for c in data["changes"]}
    assert {m: c["change"] for m, c in changes.items()} == {
        "killed": "unmoved",
        "injured": "unmoved",
    }
    assert changes["killed"]["claims"] == [
        move("a", "edited", "superseded", None, metric=("killed", "injured"))
    ]
    assert changes["injured"]["claims"] == [
        move("a", "edited", None, "superseded", metric=("killed", "injured"))
    ]
    assert data["claims_changed"] == {"edited": 1}


def saved(run, tmp: Path, name: str, claims: list[dict]) -> Path:
    path = tmp / f"{name}.json"
    run("reconcile", version(tmp, f"{name}.yaml", claims), "-f", "json", "-o", path)
    return path


def test_diff_of_saved_results_lists_the_claims_that_entered_or_left_each_figure(
    run, tmp_path: Path
) -> None:
    old, new = (
        saved(run, tmp_path, "old", NEW),
        saved(run, tmp_path, "new", edited(NEW, "a", metric="injured")),
    )
    data = json.loads(run("diff", old, new, "-f", "json").stdout)
    changes = {c["metric"]: c for c in data["changes"]}
    assert changes["killed"]["claims"] == [move("a", "left", "superseded", None)]
    assert changes["injured"]["claims"] == [move("a", "entered", None, "superseded")]
    assert data["claims_changed"] == {"entered": 1, "left": 1}
    assert run("diff", old, new, "--fail-on-change").exit_code == 1


def test_results_saved_with_explain_show_a_value_edit(run, tmp_path: Path) -> None:
    paths = []
    for name, claims in (("old", NEW), ("new", edited(NEW, "a", value="2,250"))):
        paths.append(tmp_path / f"{name}.json")
        source = version(tmp_path, f"{name}.yaml", claims)
        run("reconcile", source, "--explain", "-f", "json", "-o", paths[-1])
    data = json.loads(run("diff", *paths, "-f", "json").stdout)
    assert [c["claims"] for c in data["changes"]] == [
        [move("a", "edited", "superseded", "superseded", value=("225", "2,250"))]
    ]


def test_diff_of_saved_results_finds_the_figure_changes_the_datasets_show(
    run, tmp_path: Path
) -> None:
    from_files = json.loads(
        run(
            "diff", saved(run, tmp_path, "old", OLD), saved(run, tmp_path, "new", NEW), "-f", "json"
        ).stdout
    )
    from_data = diff_json(run, tmp_path, OLD, NEW)
    without_claims = [
        [{k: v for k, v in c.items() if k != "claims"} for c in d["changes"]]
        for d in (from_files, from_data)
    ]
    assert without_claims[0] == without_claims[1]
    assert {m["id"]: m["change"] for c in from_files["changes"] for m in c["claims"]} == {
        "a": "fate",
        "a2": "entered",
        "c": "left",
        "d": "entered",
    }


def test_the_gate_passes_when_nothing_changed(run, tmp_path: Path) -> None:
    assert gate(run, tmp_path, NEW, NEW) == 0


def test_the_gate_fails_when_a_figure_moved(run, tmp_path: Path) -> None:
    assert gate(run, tmp_path, OLD, NEW) == 1


def test_diff_markdown_is_ready_for_a_pull_request(run, tmp_path: Path) -> None:
    old, new = version(tmp_path, "old.yaml", OLD), version(tmp_path, "new.yaml", NEW)
    out = run("diff", old, new, "-f", "markdown").stdout
    assert out.startswith(
        "### figrecon diff: 3 figure(s) changed, 1 unchanged; claims: 2 added, 1 removed, "
        "1 fate changed\n"
    )
    assert (
        "| moved | killed · Land | 225, best 225, low | 238, best 238, low "
        "| a: used → superseded<br>+a2 (used) |"
    ) in out


EDITS = edited(edited(NEW, "a", value="2,250", url="https://example.org/a"), "b", note="synthetic")


def test_markdown_gives_one_line_per_changed_claim(run, tmp_path: Path) -> None:
    diff = Diff.model_validate(diff_json(run, tmp_path, NEW, EDITS))
    assert DiffFormat.markdown.render(diff).splitlines()[:6] == [
        "### figrecon diff: 0 figure(s) changed, 2 with changed claims only, 1 unchanged; "
        "claims: 1 edited, 1 provenance only",
        "",
        "| Change | Figure | Before | After | Claims |",
        "|---|---|---|---|---|",
        "| unmoved | injured · Land | 4,353, best 4,353, low | same "
        "| b: provenance only; note — → synthetic (used) |",
        "| unmoved | killed · Land | 238, best 238, low | same "
        "| a: value 225 → 2,250; url — → https://example.org/a (superseded) |",
    ]


def test_the_table_gives_one_line_per_changed_claim(run, tmp_path: Path) -> None:
    diff = Diff.model_validate(diff_json(run, tmp_path, NEW, EDITS))
    out = DiffFormat.table.render(diff, width=200).splitlines()
    rows = [[cell.strip() for cell in line.split("│")[1:-1]] for line in out if line[:1] == "│"]
    assert rows == [
        [
            "unmoved",
            "injured · Land",
            "4,353, best 4,353, low",
            "same",
            "b: provenance only; note — → synthetic (used)",
        ],
        [
            "unmoved",
            "killed · Land",
            "238, best 238, low",
            "same",
            "a: value 225 → 2,250; url — → https://example.org/a (superseded)",
        ],
    ]
    assert out[-1] == (
        "0 figure(s) changed, 2 with changed claims only, 1 unchanged; claims: 1 edited, "
        "1 provenance only."
    )


def test_diff_of_two_folders_matches_claims_without_ids_and_names_edited_values(
    run, tmp_path: Path
) -> None:
    header = "event,metric,value,source,source_type,stated_on\n"
    rows = ["e,missing,6,Families,ngo,2022-01-05\n", "e,killed,12,Clinic,health,2022-01-05\n"]
    for name, first in (("v1", rows[0]), ("v2", rows[0].replace(",6,", ",9,"))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "claims.csv").write_text(header + first + rows[1])
    data = json.loads(run("diff", tmp_path / "v1", tmp_path / "v2", "-f", "json").stdout)
    (change,) = data["changes"]
    assert (change["metric"], change["old"]["best"], change["new"]["best"]) == ("missing", 6, 9)
    assert change["claims"] == [
        move(f"{tmp_path / 'v2' / 'claims.csv'}:2", "edited", "used", "used", value=("6", "9"))
    ]
    assert data["unchanged"] == 1


def test_the_readme_documents_every_key_of_the_diff_json() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("`--format json` writes:", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in Diff.model_fields if f"`{name}`" not in section]
    for model, prefix in ((FigureChange, "changes[]."), (ClaimMove, "changes[].claims[].")):
        missing += [
            prefix + name
            for name in model.model_fields
            if f"`{prefix}{name}`" not in section and f"`.{name}`" not in section
        ]
    assert missing == []


def test_a_removed_claim_without_an_id_is_named_by_its_place_in_the_old_version(
    run, tmp_path: Path
) -> None:
    header = "event,metric,value,source,source_type,stated_on\n"
    rows = ["e,killed,10,Clinic,health,2022-01-04\n", "e,killed,12,Clinic,health,2022-01-05\n"]
    for name, kept in (("v1", rows), ("v2", rows[:1])):
        (tmp_path / name).mkdir()
        (tmp_path / name / "claims.csv").write_text(header + "".join(kept))
    data = json.loads(run("diff", tmp_path / "v1", tmp_path / "v2", "-f", "json").stdout)
    assert [c["claims"] for c in data["changes"]] == [
        [
            move(f"{tmp_path / 'v2' / 'claims.csv'}:2", "fate", "superseded", "used"),
            move(f"{tmp_path / 'v1' / 'claims.csv'}:3", "removed", "used", None),
        ]
    ]


@pytest.mark.parametrize("literal", ["NaN", "Infinity"])
def test_a_saved_result_with_a_number_json_has_not_is_refused(
    run, tmp_path: Path, literal: str
) -> None:
    """Python's decoder reads NaN and Infinity; a saved result holding one is not JSON,
    and is refused on its line (it was read, as an open or missing best)."""
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    saved = tmp_path / "old.json"
    assert run("reconcile", data, "-f", "json", "-o", saved).exit_code == 0
    text = saved.read_text(encoding="utf-8")
    at = text.index('"best": ') + len('"best": ')
    end = text.index(",", at)
    saved.write_text(text[:at] + literal + text[end:], encoding="utf-8")
    line = text.count("\n", 0, at) + 1
    result = run("diff", saved, data)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{saved}:{line}: not valid JSON: `{literal}` is not JSON")


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"low": 99999}, "has low 99,999, best 238 and high 240 out of order"),
        ({"best": None}, "has no best beside its low and high"),
        ({"low": 10**30}, "has a low of 1e+30, not a count of 0 to 2×10^10"),
        ({"high": -5}, "has a high of -5, not a count of 0 to 2×10^10"),
    ],
)
def test_a_saved_result_with_numbers_figrecon_never_writes_is_refused(
    run, tmp_path: Path, fields: dict[str, Any], problem: str
) -> None:
    # A hand-edited result (low above high, a negative high) was compared as it stood.
    data = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"
    saved = tmp_path / "old.json"
    assert run("reconcile", data, "-f", "json", "-o", saved).exit_code == 0
    result = json.loads(saved.read_text(encoding="utf-8"))
    first = next(f for f in result["figures"] if f["best"] == 238)
    first.update(fields)
    saved.write_text(json.dumps(result), encoding="utf-8")
    out = run("diff", saved, data)
    assert out.exit_code == 2
    assert problem in out.stderr


def test_a_saved_result_of_the_largest_figures_is_compared(run, tmp_path: Path) -> None:
    # "about 10,000,000,000" reads up to 11,000,000,000: figrecon's own output.
    big = {**OLD[0], "value": "about 10,000,000,000"}
    claims = version(tmp_path, "big.yaml", [big])
    saved = tmp_path / "big.json"
    assert run("reconcile", claims, "-f", "json", "-o", saved).exit_code == 0
    assert run("diff", saved, saved).exit_code == 0
