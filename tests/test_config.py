"""Parameters come from defaults, then figrecon.toml or [tool.figrecon], then flags."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from figrecon.config import Parameters, build_parameters, find_config
from figrecon.errors import UsageError


def test_defaults_are_the_documented_ones() -> None:
    p = Parameters()
    assert (p.method, p.profile, p.tolerance, p.stale_days) == ("agreement", "default", 0.05, 3)
    assert p.type_weights["judiciary"] == 1.0
    assert p.type_weights["media"] == 0.6
    assert p.kind_factors["vague"] == 0.4
    assert p.kind_factors["lower_bound"] == 0.7


def test_figrecon_toml_is_found_in_a_parent_folder(tmp_path: Path) -> None:
    (tmp_path / "figrecon.toml").write_text(
        'tolerance = 0.1\nmethod = "range"\n[type_weights]\nngo = 0.8\n'
    )
    (tmp_path / "deep" / "er").mkdir(parents=True)
    config = find_config(tmp_path / "deep" / "er")
    assert config is not None
    p = build_parameters({}, config)
    assert (p.tolerance, p.method, p.type_weights["ngo"], p.type_weights["igo"]) == (
        0.1,
        "range",
        0.8,
        1.0,
    )


def test_pyproject_tool_table_is_read(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.figrecon]\nstale_days = 7\n[tool.figrecon.kind_factors]\nbound = 0.5\n"
    )
    p = build_parameters({}, find_config(tmp_path))
    assert p.stale_days == 7
    assert p.kind_factors["lower_bound"] == p.kind_factors["upper_bound"] == 0.5


def test_flags_override_the_file(tmp_path: Path) -> None:
    (tmp_path / "figrecon.toml").write_text("tolerance = 0.1\n")
    assert build_parameters({"tolerance": 0.2}, find_config(tmp_path)).tolerance == 0.2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("tolerence = 0.1\n", "unknown setting 'tolerence'"),
        ("tolerance = 2\n", "tolerance: 2: input should be less than or equal to 1"),
        ("tolerance = \n", "not valid TOML"),
    ],
)
def test_bad_settings_are_named(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "figrecon.toml").write_text(text)
    with pytest.raises(UsageError, match=message):
        build_parameters({}, find_config(tmp_path))


def test_every_bad_setting_of_a_file_is_named_at_once(run, tmp_path: Path, monkeypatch) -> None:
    # Only the first was named: a file with three slips took three runs to mend.
    (tmp_path / "figrecon.toml").write_text(
        'metod = "range"\nstale_dayz = 3\ntolerance = 2\n[check]\nselect = 5\n'
    )
    (tmp_path / "c.yaml").write_text(
        "- {id: a, event: e, metric: killed, value: '5', source: s, stated_on: 2022-01-05}\n"
    )
    monkeypatch.chdir(tmp_path)
    lines = run("reconcile", "c.yaml").output.splitlines()
    path = tmp_path / "figrecon.toml"
    assert [line.split(";")[0] for line in lines] == [
        f"{path}: unknown setting 'metod' (did you mean 'method'?)",
        f"{path}: unknown setting 'stale_dayz' (did you mean 'stale_days'?)",
        f"{path}: tolerance: 2: input should be less than or equal to 1",
    ]
    assert run("reconcile", "c.yaml").exit_code == 2


def test_hierarchy_needs_a_rank() -> None:
    with pytest.raises(UsageError, match="--method hierarchy needs --rank"):
        build_parameters({"method": "hierarchy"})


def test_cli_reads_the_config_of_the_working_folder(
    run, fixtures: Path, tmp_path: Path, monkeypatch
) -> None:
    (tmp_path / "figrecon.toml").write_text("stale_days = 9\n")
    monkeypatch.chdir(tmp_path)
    data = json.loads(run("reconcile", fixtures / "worked-example.yaml", "-f", "json").stdout)
    assert data["method"]["parameters"]["stale_days"] == 9
    data = json.loads(
        run("reconcile", fixtures / "worked-example.yaml", "-f", "json", "--stale-days", "2").stdout
    )
    assert data["method"]["parameters"]["stale_days"] == 2


def test_a_source_type_ranked_twice_is_refused() -> None:
    """`ngo,igo,ngo` leaves ngo's place in the order in doubt."""
    with pytest.raises(UsageError) as info:
        build_parameters({"method": "hierarchy", "rank": ["ngo", "igo", "ngo"]})
    assert str(info.value) == (
        "--rank: ngo is ranked twice; give each source type once, from the most to the "
        "least trusted"
    )
    assert build_parameters({"method": "hierarchy", "rank": ["ngo", "igo"]}).rank is not None
