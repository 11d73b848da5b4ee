"""The conventions people bring from other command lines: a worked example in every
command's help, shell completion, format names in any case, -q/--quiet, and check
lines that start FILE:LINE:. The claims here are synthetic."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from figrecon.cli import app

FIGRECON = Path(sys.executable).parent / "figrecon"
NAMES = [c.name or c.callback.__name__ for c in app.registered_commands if c.callback]


@pytest.mark.parametrize("command", NAMES)
def test_every_command_help_shows_a_worked_example(run, command: str) -> None:
    lines = [line.strip() for line in run(command, "--help").stdout.splitlines()]
    examples = lines[lines.index("Examples:") :]
    assert any(line.startswith(f"figrecon {command}") for line in examples)


def test_shell_completion_is_offered() -> None:
    # typer finds the shell among the process's parents, as when a person types it: a
    # test run whose parents hold no shell (one started in the background, whose shell
    # has gone) got "Shell not supported". Run from bash (`; exit $?` keeps bash as the
    # parent: it would replace itself by a lone command).
    out = subprocess.run(
        ["bash", "-c", f"{shlex.quote(str(FIGRECON))} --show-completion; exit $?"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "_figrecon_completion" in out.stdout
    assert "complete -o default -F _figrecon_completion figrecon" in out.stdout


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["reconcile", "{small}", "-f", "JSON"], "{"),
        (["reconcile", "{small}", "-f", "Markdown"], "**figrecon"),
        (["check", "{small}", "-f", "JSON"], "{"),
        (["normalize", "{small}", "-f", "CSV"], "id,"),
        (["parse", "12", "-f", "JSON"], "{"),
        (["reconcile", "-", "--input-format", "YAML", "-f", "json"], "{"),
    ],
    ids=["reconcile", "markdown", "check", "normalize", "parse", "input-format"],
)
def test_format_names_are_accepted_in_any_case(
    run, fixtures: Path, args: list[str], first: str
) -> None:
    small = fixtures / "small.yaml"
    result = run(
        *[a.replace("{small}", str(small)) for a in args], input=small.read_text(encoding="utf-8")
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(first)


def test_an_unknown_format_is_refused_naming_the_formats(run, fixtures: Path) -> None:
    result = run("reconcile", fixtures / "small.yaml", "-f", "XML")
    assert result.exit_code == 2
    assert result.stderr == "--format 'XML': use table, json, ndjson, csv, markdown\n"


@pytest.fixture
def warned(write) -> Path:
    """Synthetic claims whose source is missing from the registry: a warning."""
    return write(
        "warned.yaml",
        "event: e\nclaims:\n"
        "  - {id: a, metric: killed, value: '5', source: stray, stated_on: 2022-01-01}\n",
    )


@pytest.mark.parametrize("command", ["reconcile", "normalize", "check", "timeline", "report"])
def test_quiet_silences_what_was_written(run, fixtures: Path, tmp_path: Path, command: str) -> None:
    target = tmp_path / ("out.html" if command == "report" else "out.svg")
    args = [command, fixtures / "small.yaml", "-o", target]
    if command == "timeline":
        args += ["--metric", "killed"]
    loud, quiet = run(*args), run(*args, "-q")
    assert loud.stderr.endswith(f"Wrote {target}\n")
    assert (quiet.exit_code, quiet.stderr) == (0, "")
    assert target.exists()


@pytest.mark.parametrize("command", ["reconcile", "normalize", "diff"])
def test_quiet_silences_the_warnings(run, warned: Path, command: str) -> None:
    args = [command, warned] + ([warned] if command == "diff" else [])
    assert run(*args).stderr.startswith(f"warning: {warned}:3: source: `stray`")
    assert run(*args, "--quiet").stderr == ""


def test_quiet_reconcile_looks_for_no_warnings_it_would_not_show(
    run, warned: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The possible typos are looked for only to be shown (a million claims: 0.35 s)."""
    from figrecon.checks import report

    looked: list[int] = []
    real = report.reconcile_warnings
    monkeypatch.setattr(report, "reconcile_warnings", lambda c: looked.append(1) or real(c))
    quiet, loud = run("reconcile", warned, "-q"), run("reconcile", warned)
    assert quiet.stdout == loud.stdout
    assert looked == [1]


def test_quiet_silences_that_nothing_matched(run, fixtures: Path) -> None:
    assert run("reconcile", fixtures / "small.yaml", "--metric", "x").stderr.startswith(
        "No figures"
    )
    assert run("reconcile", fixtures / "small.yaml", "--metric", "x", "-q").stderr == ""


@pytest.mark.parametrize("command", ["reconcile", "check", "normalize"])
def test_quiet_keeps_the_error_lines(run, write, command: str) -> None:
    broken = write(
        "broken.yaml",
        "event: e\nclaims:\n  - {id: a, metric: killed, value: '5', stated_on: 2022-01-01}\n",
    )
    result = run(command, broken, "-q")
    assert result.exit_code == (1 if command == "check" else 2)
    output = result.stdout if command == "check" else result.stderr
    assert f"{broken}:3: " in output
    assert "missing `source`; name the originator, or write `unknown`" in output


def test_check_lines_start_with_the_file_and_line(run, fixtures: Path, write) -> None:
    text = (fixtures / "small.yaml").read_text(encoding="utf-8")
    other = write("other.yaml", text.replace("id: s", "id: t"))
    out = run("check", fixtures / "small.yaml", other, "--select", "missing-provenance").stdout
    findings = [line for line in out.splitlines() if " warning " in line]
    assert [line.split(": ", 1)[0] for line in findings] == [
        f"{fixtures / 'small.yaml'}:22",
        f"{other}:22",
    ]


def test_claims_on_one_line_without_ids_get_distinct_ids(run, write) -> None:
    claims = [
        {"event": "e", "metric": "killed", "value": v, "source": s, "source_type": "ngo"}
        | {"stated_on": "2022-01-01"}
        for v, s in (("5", "a"), ("7", "b"), ("9", "c"))
    ]
    claims[1]["id"] = "given"
    path = write("one-line.json", json.dumps(claims))
    result = run("reconcile", path, "-f", "json")
    assert result.exit_code == 0, result.stderr
    (figure,) = json.loads(result.stdout)["figures"]
    assert sorted(figure["claims_used"]) == [f"{path}:1#1", f"{path}:1#3", "given"]


def test_every_command_that_reads_claims_takes_the_same_input_options() -> None:
    import dataclasses

    import typer.main

    from figrecon.cli.bundles import Inputs

    bundle = [f.name for f in dataclasses.fields(Inputs)]
    group = typer.main.get_command(app)
    for name in ("reconcile", "check", "diff", "normalize", "timeline", "report"):
        params = [p.name for p in group.commands[name].params]  # type: ignore[attr-defined]
        start = params.index(bundle[0])
        assert params[start : start + len(bundle)] == bundle, name
