"""Every member of each registry is wired through: the output formats of each command
render, every input format reads its file, every check code has a stage and a severity
and every code the code base emits is in the catalogue, and every command is
registered."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import figrecon
from figrecon.checks.codes import ALWAYS, CODES, UNUSABLE
from figrecon.checks.report import check
from figrecon.cli import COMMANDS, app
from figrecon.diffs import compare
from figrecon.io.files import CLAIM_SUFFIXES
from figrecon.io.formats import FORMATS, READERS
from figrecon.render.formats import CheckFormat, DiffFormat, OutputFormat

SRC = Path(__file__).parent.parent / "src" / "figrecon"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def result() -> figrecon.model.Result:
    return figrecon.reconcile(figrecon.load(FIXTURES / "worked-example.yaml"))


@pytest.mark.parametrize("fmt", list(OutputFormat))
def test_every_output_format_renders(fmt: OutputFormat, result) -> None:
    assert "225" in fmt.render(result)


@pytest.mark.parametrize("fmt", list(DiffFormat))
def test_every_diff_format_renders(fmt: DiffFormat, result) -> None:
    assert fmt.render(compare(result, result, "a", "b"))


@pytest.mark.parametrize("fmt", list(CheckFormat))
def test_every_check_format_renders(fmt: CheckFormat) -> None:
    assert "missing-provenance" in fmt.render(check(FIXTURES / "worked-example.yaml"))


def test_every_input_format_has_a_reader_and_a_suffix() -> None:
    assert set(FORMATS) == set(READERS) == set(CLAIM_SUFFIXES.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_input_format_reads_its_file_whether_named_or_told(fmt: str) -> None:
    path = FIXTURES / f"small.{fmt}"
    by_name = figrecon.load(path)
    told = figrecon.load(path, input_format=fmt)
    assert len(by_name) >= 2
    assert told.ids == by_name.ids


def test_every_check_code_has_a_stage_and_a_severity() -> None:
    for code, c in CODES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code)
        assert c.stage in ("read", "schema", "semantic", "import")
        assert c.severity.value in ("error", "warning", "info")
        assert c.what
    assert UNUSABLE < ALWAYS
    assert all(CODES[code].stage in ("read", "schema") for code in ALWAYS)


def emitted_codes() -> set[str]:
    """The codes the source passes to the functions that make findings."""
    makers = {"error": 0, "report": 0, "finding": 0, "Finding": None}
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in makers:
                continue
            args = [k.value for k in node.keywords if k.arg == "code"]
            place = makers[name]
            if place is not None and len(node.args) > place:
                args.append(node.args[place])
            found |= {
                a.value
                for a in args
                if isinstance(a, ast.Constant) and isinstance(a.value, str) and "-" in a.value
            }
    return found


def test_every_code_the_code_emits_is_in_the_catalogue() -> None:
    emitted = emitted_codes()
    assert len(emitted) > 20  # the scan finds the makers of findings
    assert emitted <= set(CODES)


def test_every_command_module_registers_its_command() -> None:
    modules = [c.callback.__module__.rsplit(".", 1)[-1] for c in app.registered_commands]
    assert modules == list(COMMANDS)
