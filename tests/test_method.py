"""`figrecon method` and docs/method.md: every rule and every note the engine can give
has a section, found by its id or code in any case; the package ships the same text."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from figrecon.engine.notes import NOTE_ORDER
from figrecon.method_doc import _name, contents, document, find, sections, split

ROOT = Path(__file__).parent.parent
ENGINE = sorted((ROOT / "src" / "figrecon" / "engine").glob("*.py"))
RULES = [*(f"R{i}" for i in range(1, 13)), "R10a"]


def emitted_rule_ids() -> set[str]:
    """Every rule id the engine's modules write: the `rule` of Note(...), of the Notes'
    note(grp, code, rule, ...) and listed(code, rule, ...), of Batch.set(rows, status,
    rule, ...), and any string constant spelled like a rule id."""
    found: set[str] = set()
    for name in ENGINE:
        tree = ast.parse(name.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            constant = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if constant and re.fullmatch(r"R\d+a?", node.value):
                found.add(node.value)
            if not isinstance(node, ast.Call):
                continue
            args: list[ast.expr] = [k.value for k in node.keywords if k.arg == "rule"]
            called = node.func.attr if isinstance(node.func, ast.Attribute) else None
            place = {"note": 2, "listed": 1, "set": 2}.get(called or "")
            if place is not None and len(node.args) > place:
                args.append(node.args[place])
            found |= {
                a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
            }
    return found - {""}


def test_the_scan_finds_rule_ids_in_every_way_the_engine_writes_them() -> None:
    # listed(..., "hierarchy"), set(..., "R5") and Note(rule="R10a").
    assert {"hierarchy", "R5", "R10a"} <= emitted_rule_ids()


@pytest.mark.parametrize("rule", sorted(emitted_rule_ids()))
def test_every_rule_id_the_engine_emits_has_a_section(rule: str) -> None:
    assert find(rule).name == rule


@pytest.mark.parametrize("code", NOTE_ORDER)
def test_every_note_code_has_a_section(code: str) -> None:
    assert find(code).name == code


def test_the_notes_chapter_lists_the_codes_in_the_order_figures_show_them() -> None:
    notes = [s.name for s in split(find("notes").text)[1] if s.level == 3]
    assert notes == list(NOTE_ORDER)


@pytest.mark.parametrize("rule", RULES)
def test_each_rule_says_what_it_does_why_and_gives_an_example(rule: str) -> None:
    text = find(rule).text
    assert text.startswith(f"### {rule}. ")
    parts = [text.index(p) for p in ("**What it does.**", "**Why.**", "**Example.**")]
    assert parts == sorted(parts)


@pytest.mark.parametrize(
    "name",
    ["low-best-high", "open-above", "confidence", "disagreement", "counting-sources"],
)
def test_what_a_figure_says_has_a_section_for_each_part(name: str) -> None:
    assert find(name).level == 3


@pytest.mark.parametrize("level", ["high", "moderate", "low", "very low"])
def test_the_confidence_section_defines_each_level(level: str) -> None:
    assert f"- **{level}**: " in find("confidence").text


@pytest.mark.parametrize("level", ["agree", "minor", "substantial", "major"])
def test_the_disagreement_section_defines_each_level(level: str) -> None:
    assert f"**{level}**" in find("disagreement").text


@pytest.mark.parametrize(
    ("asked", "name"),
    [
        ("r5", "R5"),
        ("R10A", "R10a"),
        ("READ-AS-FLOOR", "read-as-floor"),
        (" Hierarchy ", "hierarchy"),
    ],
)
def test_sections_are_found_in_any_case(asked: str, name: str) -> None:
    assert find(asked).name == name


@pytest.mark.parametrize(
    ("heading", "name", "title"),
    [
        ("R10a. Parts and wholes", "R10a", "Parts and wholes"),
        ("`read-as-floor`", "read-as-floor", ""),
        ("`range`: every claim", "range", "every claim"),
        ("Low, best, high", "low-best-high", "Low, best, high"),
    ],
)
def test_a_heading_is_named_by_its_rule_id_its_code_or_its_slug(
    heading: str, name: str, title: str
) -> None:
    assert _name(heading) == (name, title)


def test_a_chapter_holds_its_sections_and_a_fenced_hash_is_no_heading() -> None:
    # Synthetic text.
    text = "# T\n\nIntro.\n\n## A\n\na\n\n### B\n\n```sh\n## not a heading\n```\n\n## C\n\nc\n"
    intro, found = split(text)
    assert intro == "# T\n\nIntro.\n"
    assert [(s.name, s.level) for s in found] == [("a", 2), ("b", 3), ("c", 2)]
    assert found[0].text == "## A\n\na\n\n### B\n\n```sh\n## not a heading\n```\n"
    assert found[1].text == "### B\n\n```sh\n## not a heading\n```\n"


def test_the_package_ships_docs_method_md() -> None:
    assert document() == (ROOT / "docs" / "method.md").read_text(encoding="utf-8")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "method.md" in config["tool"]["setuptools"]["package-data"]["figrecon"]


def test_method_without_a_name_lists_every_section(run) -> None:
    result = run("method")
    assert result.exit_code == 0
    assert result.stdout == contents()
    assert "  - `R5` — Early counts and later, lower counts\n" in result.stdout
    for name in sections()[1].values():
        assert f"- `{name.name}`" in result.stdout


def test_method_piped_prints_the_section_as_markdown(run) -> None:
    result = run("method", "R5")
    assert result.exit_code == 0
    assert result.stdout == find("R5").text
    assert result.stdout.startswith("### R5. Early counts and later, lower counts\n\n")


def test_method_in_a_terminal_renders_the_markdown() -> None:
    from typer.testing import CliRunner

    from figrecon.cli import app

    result = CliRunner().invoke(app, ["method", "read-as-floor"], env={"FORCE_COLOR": "1"})
    assert result.exit_code == 0
    assert "\x1b[" in result.stdout
    assert "###" not in result.stdout
    assert "read-as-floor" in result.stdout


@pytest.mark.parametrize(
    ("asked", "line"),
    [
        (
            "R55",
            "no section `R55` in the method (did you mean `R5`?); `figrecon method` lists them",
        ),
        (
            "read-as-flor",
            "no section `read-as-flor` in the method (did you mean `read-as-floor`?); "
            "`figrecon method` lists them",
        ),
        ("zzz", "no section `zzz` in the method; `figrecon method` lists them"),
    ],
)
def test_an_unknown_name_exits_2_with_one_line_suggesting_the_close_one(
    run, asked: str, line: str
) -> None:
    result = run("method", asked)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == line + "\n"


def test_method_help_gives_examples(run) -> None:
    out = run("method", "--help").stdout
    assert "figrecon method read-as-floor" in out
    assert "figrecon method R5" in out


def test_method_imports_neither_pandas_nor_numpy() -> None:
    code = (
        "import sys; from figrecon.cli import main; main(['method', 'R5']); "
        "print('pandas' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False False"


def test_the_readme_points_to_the_method() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/method.md" in readme
    assert "figrecon method" in readme
