"""`figrecon diff`: figures that appeared, disappeared or moved between two versions of a
dataset, with the claims that moved them. Synthetic claims."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

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


def test_diff_pins_the_moved_appeared_and_disappeared_figures(run, tmp_path: Path) -> None:
    old, new = version(tmp_path, "old.yaml", OLD), version(tmp_path, "new.yaml", NEW)
    data = json.loads(run("diff", old, new, "-f", "json").stdout)
    changes = {(c["metric"], c["change"]): c for c in data["changes"]}
    assert set(changes) == {("killed", "moved"), ("held", "appeared"), ("detained", "disappeared")}
    moved = changes[("killed", "moved")]
    assert (moved["old"]["best"], moved["new"]["best"]) == (225, 238)
    assert moved["fields"] == ["low", "best", "high"]
    assert moved["claims"] == [
        {"id": "a", "old": "used", "new": "superseded", "old_value": None, "new_value": None},
        {"id": "a2", "old": None, "new": "used", "old_value": None, "new_value": None},
    ]
    assert data["unchanged"] == 1


def test_diff_reads_saved_results_and_gates_on_change(run, tmp_path: Path) -> None:
    old, new = version(tmp_path, "old.yaml", OLD), version(tmp_path, "new.yaml", NEW)
    saved_old, saved_new = tmp_path / "old.json", tmp_path / "new.json"
    run("reconcile", old, "-f", "json", "-o", saved_old)
    run("reconcile", new, "-f", "json", "-o", saved_new)
    from_files = json.loads(run("diff", saved_old, saved_new, "-f", "json").stdout)
    from_data = json.loads(run("diff", old, new, "-f", "json").stdout)
    assert from_files["changes"] == from_data["changes"]
    assert run("diff", old, new, "--fail-on-change").exit_code == 1
    assert run("diff", old, old, "--fail-on-change").exit_code == 0


def test_diff_markdown_is_ready_for_a_pull_request(run, tmp_path: Path) -> None:
    old, new = version(tmp_path, "old.yaml", OLD), version(tmp_path, "new.yaml", NEW)
    out = run("diff", old, new, "-f", "markdown").stdout
    assert out.startswith("### figrecon diff: 3 figure(s) changed, 1 unchanged\n")
    assert (
        "| moved | killed · Land | 225, best 225, low | 238, best 238, low | a: used → superseded; +a2 (used) |"
        in out
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
        {
            "id": f"{tmp_path / 'v2' / 'claims.csv'}:2",
            "old": "used",
            "new": "used",
            "old_value": "6",
            "new_value": "9",
        }
    ]
    assert data["unchanged"] == 1
