"""The README stays true: its two set-up commands (CI runs the test command), its
examples and their output, and its pre-commit and GitHub Actions configurations, which
run as written on the shipped data."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

ROOT = Path(__file__).parent.parent


def setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", section)


def test_readme_starts_with_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert commands[0].endswith("figrecon reconcile data/kazakhstan-2022.yaml")
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert setup_commands()[1] in ci


def _block(after: str, lang: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index(after)
    return re.search(rf"```{lang}\n(.+?)\n```", text[start:], re.S).group(1)  # type: ignore[union-attr]


def test_the_readme_language_table_reads_german(tmp_path) -> None:
    from figrecon.phrases import Reader

    table = tmp_path / "de.yaml"
    table.write_text(_block("To read another language", "yaml"))
    reader = Reader(lang=str(table))
    assert (reader.read("mindestens 230").kind.value, reader.read("mindestens 230").hard_low) == (
        "lower_bound",
        230,
    )
    assert (reader.read("etwa 9.900").hard_low, reader.read("etwa 9.900").hard_high) == (9850, 9950)
    assert reader.read("Dutzende").point == 24


def test_the_readme_profile_file_works(tmp_path) -> None:
    from figrecon.phrases import Reader

    profile = tmp_path / "mine.yaml"
    profile.write_text(_block("A profile file can change any term", "yaml"))
    reader = Reader(str(profile))
    assert reader.read("dozens").point == 36
    assert reader.read("a bunch of").hard_low == 3


def test_the_readme_check_output_is_the_real_one(run) -> None:
    shown = _block("On the shipped dataset it finds what is really there", "console")
    report = run("check", str(ROOT / "data" / "kazakhstan-2022.yaml"))
    assert report.exit_code == 0
    # The README shows the whole report as printed, after the command line.
    printed = shown.split("\n", 1)[1]
    assert printed.split() == report.stdout.replace(str(ROOT) + "/", "").split()


def test_the_readme_timeline_chart_is_the_real_one(run) -> None:
    command = _block("draws a chart in text for each figure", "console")
    args = command.removeprefix("$ figrecon ").split()
    shown = _block("draws a chart in text for each figure", "text").splitlines()
    printed = run(*[str(ROOT / a) if a.startswith("data/") else a for a in args]).stdout
    assert [line.rstrip() for line in printed.splitlines()[: len(shown)]] == shown


def test_the_readme_picture_is_made_by_its_documented_command(run, tmp_path) -> None:
    import xml.etree.ElementTree as ET

    command = _block("The picture above is made by", "console")
    args = command.removeprefix("$ figrecon ").split()
    committed = ROOT / args[-1]
    assert f"]({args[-1]})" in (ROOT / "README.md").read_text(encoding="utf-8")
    remade = tmp_path / committed.name
    args = [str(ROOT / a) if a.startswith("data/") else a for a in args[:-1]] + [str(remade)]
    assert run(*args).exit_code == 0

    def parts(path):
        svg = ET.parse(path).getroot()
        texts = ["".join(t.itertext()) for t in svg.iter("{http://www.w3.org/2000/svg}text")]
        ours = re.compile(r"band|best|band-open|legend|series-\d+|assessment-\d+")
        ids = sorted(str(e.get("id")) for e in svg.iter() if ours.fullmatch(e.get("id", "")))
        return texts, ids

    assert parts(remade) == parts(committed)


def _example_folder(tmp_path: Path, monkeypatch) -> None:
    """A working folder where the README's paths (data/import/...) lead to the real data."""
    (tmp_path / "data").symlink_to(ROOT / "data")
    monkeypatch.chdir(tmp_path)


def test_the_readme_import_example_prints_what_it_shows(run, tmp_path, monkeypatch) -> None:
    _example_folder(tmp_path, monkeypatch)
    command, *printed = _block("**Example.**", "console").splitlines()
    result = run(*shlex.split(command)[2:])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == printed


def test_the_readme_reconciles_the_import_with_its_press_claims(run, tmp_path, monkeypatch) -> None:
    _example_folder(tmp_path, monkeypatch)
    (tmp_path / "press.yaml").write_text(_block("Add claims of your own", "yaml"))
    imported = _block("**Example.**", "console").splitlines()[0]
    assert run(*shlex.split(imported)[2:]).exit_code == 0
    command, shown = _block("and reconcile them", "console").split("\n", 1)
    result = run(*shlex.split(command)[2:])
    assert result.exit_code == 0
    assert result.stdout.split() == shown.split()


def test_the_readme_month_findings_are_real(run, tmp_path, monkeypatch) -> None:
    _example_folder(tmp_path, monkeypatch)
    command, *printed = _block("By month, the import reports", "console").splitlines()
    result = run(*shlex.split(command)[2:])
    assert result.exit_code == 0
    lines = result.stderr.splitlines()
    assert set(printed) <= set(lines)
    assert lines[-2:] == printed[-2:]


def test_the_readme_table_is_the_real_one(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    command = _block("## What you get", "console")
    args = command.removeprefix("$ figrecon ").split()
    shown = _block("## What you get", "text")
    printed = run(*[str(ROOT / a) if a.startswith("data/") else a for a in args]).stdout
    assert printed == shown + "\n"


def _yaml_after(marker: str) -> Any:
    import yaml

    return yaml.safe_load(_block(marker, "yaml"))


def _exists_in_this_repository(rev: str) -> bool:
    """The commit is in this repository's history (a shallow clone, as some CI makes,
    may lack it: there the rev must at least be a full commit id)."""
    import re
    import subprocess

    shallow = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--is-shallow-repository"],
        capture_output=True,
        text=True,
    )
    if shallow.stdout.strip() == "true":
        return re.fullmatch(r"[0-9a-f]{40}", rev) is not None
    found = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{rev}^{{commit}}"], capture_output=True
    )
    return found.returncode == 0


def _data_repository(tmp_path: Path) -> Path:
    """A data repository as the README's CI examples expect one: its claims (the shipped
    dataset) and the accepted findings in data/. (This repository's own data/ also
    holds raw event datasets, which need --released to be read.)"""
    (tmp_path / "data").mkdir()
    for name in ("kazakhstan-2022.yaml", "figrecon-baseline.json"):
        (tmp_path / "data" / name).write_bytes((ROOT / "data" / name).read_bytes())
    return tmp_path


def _figrecon(args: list[str], cwd: Path = ROOT) -> Any:
    import subprocess
    import sys

    exe = Path(sys.executable).parent / "figrecon"
    return subprocess.run([str(exe), *args], cwd=cwd, capture_output=True, text=True)


def test_the_readme_baseline_commands_run_as_written() -> None:
    lines = _block("**Accepted findings.**", "console").splitlines()
    commands = [line.removeprefix("$ figrecon ").split() for line in lines if line[:2] == "$ "]
    printed = [line for line in lines if line[:2] != "$ "]
    write, strict = commands
    assert write[-2:] == ["--write-baseline", "data/figrecon-baseline.json"]
    assert _figrecon(strict).stdout.splitlines() == printed


def test_the_readme_pre_commit_example_runs_as_written(tmp_path: Path) -> None:
    import re
    import shlex

    import yaml

    (repo,) = _yaml_after("**pre-commit.**")["repos"]
    assert _exists_in_this_repository(str(repo["rev"]))
    (hook,) = repo["hooks"]
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (defined,) = [h for h in manifest if h["id"] == hook["id"]]
    for pattern in (hook["files"], defined["files"]):
        assert re.search(pattern, "data/kazakhstan-2022.yaml")
    entry = shlex.split(defined["entry"])
    assert entry[0] == "figrecon"
    ran = _figrecon(entry[1:] + hook["args"], _data_repository(tmp_path))
    assert (ran.returncode, ran.stderr) == (0, "")


def test_the_readme_github_workflow_runs_as_written(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    import yaml

    steps = _yaml_after("**GitHub Actions.**")["jobs"]["check"]["steps"]
    (ours,) = [s for s in steps if "/figrecon@" in s.get("uses", "")]
    assert _exists_in_this_repository(ours["uses"].split("@")[1])
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert set(ours["with"]) <= set(action["inputs"])
    inputs = {name: str(i.get("default", "")) for name, i in action["inputs"].items()}
    inputs.update(ours["with"])
    (step,) = [s for s in action["runs"]["steps"] if s.get("name") == "figrecon check"]
    given = {
        name: inputs[value.removeprefix("${{ inputs.").removesuffix(" }}")]
        for name, value in step["env"].items()
    }
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    env = {**os.environ, "PATH": path, **given}
    ran = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        cwd=_data_repository(tmp_path),
        env=env,
        capture_output=True,
        text=True,
    )
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "", "")
