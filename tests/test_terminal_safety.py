"""What the data holds is shown, never obeyed: no control character of a claim file
reaches a terminal or a CI log raw (escape sequences for colour, clearing the screen,
the window title, OSC 8 links, OSC 52 clipboard writes; C1 controls; DEL; bidi
overrides; lone surrogates). They print as escapes such as \\x1b and \\u202e. The
machine formats keep the data as it is. All claims here are synthetic."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import figrecon
from figrecon.checks.report import check
from figrecon.cli import main
from figrecon.diffs import compare
from figrecon.render.formats import CheckFormat, DiffFormat, OutputFormat
from figrecon.text import visible, visible_copy

Run = Callable[..., Any]

PAYLOAD = (
    "\x1b[2J"  # clear the screen
    "\x1b]0;title\x07"  # set the window title
    "\x1b]8;;x\x07link\x1b]8;;\x07"  # an OSC 8 link
    "\x1b]52;c;aGk=\x07"  # write the clipboard
    "\x9b31m"  # a C1 CSI: red
    "\x85"  # C1 next line
    "\u202e\u2066"  # right-to-left override, left-to-right isolate
    "\x7f\x01\t\r\n"  # DEL and other C0
)
SHOWN = (
    r"\x1b[2J\x1b]0;title\x07\x1b]8;;x\x07link\x1b]8;;\x07\x1b]52;c;aGk=\x07"
    r"\x9b31m\x85\u202e\u2066\x7f\x01\x09\x0d\x0a"
)
RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
"""What must not reach a terminal (a line break between lines is the output's own)."""


def hostile(field: str) -> str:
    return f"{field}-{PAYLOAD}-end"


def shown(field: str) -> str:
    return f"{field}-{SHOWN}-end"


def claims_doc(value: str = "50") -> dict[str, Any]:
    return {
        "event": "e",
        "location": hostile("loc"),
        "sources": {hostile("src"): {"name": hostile("name"), "type": "ngo"}},
        "claims": [
            {
                "id": hostile("id"),
                "metric": "killed",
                "value": value,
                "source": hostile("src"),
                "via": hostile("via"),
                "stated_on": "2022-01-11",
                "period": hostile("period"),
                "quote": hostile("quote"),
                "note": hostile("note"),
            },
            {
                "id": hostile("id2"),
                "metric": "killed",
                "value": "70",
                "source": hostile("stray"),
                "stated_on": "2022-01-12",
                "period": hostile("period"),
                "url": "https://example.org/synthetic",
            },
        ],
    }


@pytest.fixture
def claims(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Synthetic claims whose every text field holds escape sequences, C1 controls,
    bidi overrides, DEL and other C0 controls."""
    monkeypatch.setenv("COLUMNS", "1000")  # no folding: every field prints on one line
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(claims_doc()), encoding="utf-8")
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "hostile.json").write_text(json.dumps(claims_doc("55")))
    return path


@pytest.fixture
def broken(tmp_path: Path) -> Path:
    """Synthetic claims whose slugs and value are invalid and hostile: they reach people
    only through the error lines."""
    path = tmp_path / "broken.json"
    claim = {
        "id": "a",
        "metric": "killed",
        "group": hostile("group"),
        "value": "50 " + hostile("value"),
        "source": "s",
        "source_type": "ngo",
        "stated_on": "2022-01-11",
    }
    path.write_text(json.dumps({"event": hostile("event"), "claims": [claim]}))
    return path


def no_raw_controls(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} in the output" if found else ""


CLIPBOARD = r"\x1b]52;c;aGk=\x07"
MARKDOWN_CLIPBOARD = r"\\x1b\]52;c;aGk=\\x07"  # the escape, escaped for Markdown

# Each human output: the fields it shows in full, and how it shows the clipboard write.
OUTPUTS = [
    (["reconcile"], ["loc", "period", "name", "id2"], CLIPBOARD),
    (["reconcile", "--explain"], ["loc", "period", "name", "id", "id2", "stray"], CLIPBOARD),
    (["reconcile", "-f", "markdown"], [], MARKDOWN_CLIPBOARD),
    (["check"], ["id2", "stray"], CLIPBOARD),
    (["diff", "{new}"], ["loc", "period", "id"], CLIPBOARD),
    (["diff", "{new}", "-f", "markdown"], [], MARKDOWN_CLIPBOARD),
    (["timeline"], ["loc", "period", "name", "stray"], CLIPBOARD),
    (
        ["report"],
        ["loc", "period", "name", "stray", "id", "id2", "via", "quote", "note"],
        CLIPBOARD,
    ),
]


def with_new(claims: Path, command: list[str]) -> list[str]:
    return [str(claims.parent / "new" / claims.name) if a == "{new}" else a for a in command]


@pytest.mark.parametrize(
    ("command", "fields", "clipboard"), OUTPUTS, ids=[" ".join(c[0]) for c in OUTPUTS]
)
def test_human_outputs_show_control_characters_as_escapes(
    run: Run, claims: Path, command: list[str], fields: list[str], clipboard: str
) -> None:
    args = with_new(claims, command)
    result = run(args[0], claims, *args[1:])
    assert result.exit_code == 0
    no_raw_controls(result.stdout, result.stderr)
    for field in fields:
        assert shown(field) in result.stdout
    assert clipboard in result.stdout


@pytest.mark.parametrize("command", [["reconcile"], ["normalize"], ["diff", "{new}"]])
def test_warnings_show_control_characters_as_escapes(
    run: Run, claims: Path, command: list[str]
) -> None:
    args = with_new(claims, command)
    result = run(args[0], claims, *args[1:], "-f", "json")
    assert result.exit_code == 0
    no_raw_controls(result.stderr)
    assert result.stderr.startswith(f"warning: {claims}:1: source: `{shown('stray')}` is not")


def test_github_annotations_show_control_characters_and_keep_line_breaks(
    run: Run, claims: Path
) -> None:
    result = run("check", claims, "-f", "github")
    no_raw_controls(result.stdout)
    # A line break stays one, in the format's own escape.
    assert (
        shown("id2").replace(r"\x0a", "%0A") + ": `" + shown("stray").replace(r"\x0a", "%0A")
        in result.stdout
    )


@pytest.mark.parametrize(
    "command",
    [["reconcile"], ["reconcile", "--explain"], ["check"], ["diff", "{new}"]],
    ids=["reconcile", "explain", "check", "diff"],
)
def test_human_outputs_written_with_o_show_control_characters_as_escapes(
    run: Run, claims: Path, tmp_path: Path, command: list[str]
) -> None:
    args = with_new(claims, command)
    target = tmp_path / "report.txt"
    assert run(args[0], claims, *args[1:], "-o", target).exit_code == 0
    written = target.read_text(encoding="utf-8")
    no_raw_controls(written)
    assert r"\x1b" in written  # a file's table folds at 100 columns: long fields break


@pytest.mark.parametrize("command", [["reconcile"], ["normalize"], ["check"]])
def test_error_lines_show_control_characters_as_escapes(
    run: Run, broken: Path, command: list[str]
) -> None:
    result = run(*command, broken)
    assert result.exit_code == (1 if command == ["check"] else 2)
    output = result.stdout if command == ["check"] else result.stderr
    no_raw_controls(result.stdout, result.stderr)
    assert shown("event") in output
    assert shown("group") in output
    # The message quotes the value with Python's escapes, which show it already.
    assert repr("50 " + hostile("value")) in output


def test_check_junit_is_valid_xml_with_the_controls_shown(run: Run, claims: Path) -> None:
    result = run("check", claims, "-f", "junit")
    no_raw_controls(result.stdout)
    root = ET.fromstring(result.stdout)
    (message,) = [e.text for e in root.iter("system-out")]
    assert message is not None
    assert shown("stray") in message


def test_check_sarif_shows_the_controls_in_its_messages(run: Run, claims: Path) -> None:
    result = run("check", claims, "-f", "sarif")
    doc = json.loads(result.stdout)
    (finding,) = doc["runs"][0]["results"]
    no_raw_controls(finding["message"]["text"])
    assert shown("stray") in finding["message"]["text"]


def test_parse_shows_the_controls_of_a_phrase(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    result = run("parse", hostile("phrase"))
    assert result.exit_code == 2
    no_raw_controls(result.stdout, result.stderr)
    assert shown("phrase") in result.stdout
    assert result.stderr.startswith(f"figrecon parse: several figures in {hostile('phrase')!r}")


@pytest.mark.parametrize("format", ["json", "ndjson"])
def test_machine_formats_keep_the_data_as_it_is(run: Run, claims: Path, format: str) -> None:
    out = run("reconcile", claims, "-f", format).stdout
    figure = json.loads(out) if format == "ndjson" else json.loads(out)["figures"][0]
    assert figure["location"] == hostile("loc")
    assert figure["sources"] == [hostile("name")]


@pytest.mark.parametrize("debug", [[], ["--debug"]], ids=["plain", "debug"])
def test_an_internal_error_shows_the_controls_of_its_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], debug: list[str]
) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError(hostile("boom"))

    monkeypatch.setattr("figrecon.engine.rules.reconciled_batch", boom)
    fixture = Path(__file__).parent / "fixtures" / "small.yaml"
    assert main([*debug, "reconcile", str(fixture)]) == 70
    err = capsys.readouterr().err
    no_raw_controls(err)
    # A traceback keeps its line breaks, also those of the message.
    message = shown("boom").replace(r"\x0a", "\n") if debug else shown("boom")
    assert f"RuntimeError: {message}" in err


# --- lone surrogates: no terminal can print one -----------------------------------------


SURROGATE = "x\ud800y"


def test_a_file_name_that_is_not_utf8_is_shown_escaped(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python reads the byte 0xff of such a name as the lone surrogate U+DCFF.
    folder = tmp_path / "claims"
    folder.mkdir()
    source = Path(__file__).parent / "fixtures" / "small.yaml"
    (folder / "x\udcff.yaml").write_bytes(source.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = run("check", "claims")
    no_raw_controls(result.stdout)
    assert result.stdout.startswith("claims/x\\udcff.yaml:22: ")


def result_with(text: str) -> Any:
    """A reconcile result of synthetic claims, with `text` in each of its strings."""
    path = Path(__file__).parent / "fixtures" / "small.yaml"
    result = figrecon.reconcile(figrecon.load(path), explain=True)
    figures = [
        f.model_copy(update={"location": text, "sources": [text], "claims_used": [text]})
        for f in result.figures
    ]
    return result.model_copy(update={"figures": figures})


RENDERINGS: list[tuple[str, Callable[[str], str]]] = [
    ("table", lambda t: OutputFormat.table.render(result_with(t), explain=True, width=500)),
    ("markdown", lambda t: OutputFormat.markdown.render(result_with(t))),
    ("diff table", lambda t: DiffFormat.table.render(_diff(t), width=500)),
    ("diff markdown", lambda t: DiffFormat.markdown.render(_diff(t))),
]


def _diff(text: str) -> Any:
    old = result_with("old")
    return compare(old, result_with(text), text, text)


def _report(text: str) -> Any:
    report = check(Path(__file__).parent / "fixtures" / "small.yaml")
    finding = report.findings[0].model_copy(update={"file": text, "message": text})
    return report.model_copy(update={"findings": [finding]})


RENDERINGS += [
    (f"check {fmt.value}", lambda t, fmt=fmt: fmt.render(_report(t), width=500))
    for fmt in (CheckFormat.text, CheckFormat.github, CheckFormat.junit, CheckFormat.sarif)
]


@pytest.mark.parametrize("render", [r for _, r in RENDERINGS], ids=[n for n, _ in RENDERINGS])
def test_every_human_rendering_shows_a_lone_surrogate_as_an_escape(
    render: Callable[[str], str],
) -> None:
    out = render(SURROGATE)
    out.encode("utf-8")  # printable: no lone surrogate left
    assert "x\\ud800y" in out.replace("\\\\", "\\")


# --- the one helper -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "seen"),
    [
        ("\x1b[31mred", r"\x1b[31mred"),
        ("\x00\x07\x08\t\n\x0b\x0c\r\x1f", r"\x00\x07\x08\x09\x0a\x0b\x0c\x0d\x1f"),
        ("\x7f", r"\x7f"),
        ("\x80\x85\x9b\x9f", r"\x80\x85\x9b\x9f"),
        ("\u202a\u202b\u202c\u202d\u202e", r"\u202a\u202b\u202c\u202d\u202e"),
        ("\u2066\u2067\u2068\u2069", r"\u2066\u2067\u2068\u2069"),
        ("\ud800\udfff", r"\ud800\udfff"),
        ("\ufffe\uffff", r"\ufffe\uffff"),
        ("Kazakhstan/Алматы · 9,900 — «около»", "Kazakhstan/Алматы · 9,900 — «около»"),
        ("\u00a0\u200f\u061c\u2028", "\u00a0\u200f\u061c\u2028"),
    ],
    ids=[
        "esc",
        "c0",
        "del",
        "c1",
        "bidi-embeddings",
        "bidi-isolates",
        "surrogates",
        "xml",
        "text",
        "kept",
    ],
)
def test_visible_escapes_controls_and_keeps_text(raw: str, seen: str) -> None:
    assert visible(raw) == seen


def test_visible_keeps_what_it_is_told_to_keep() -> None:
    assert visible("a\nb\x1b", keep="\n") == "a\nb\\x1b"


def test_visible_copy_reaches_every_string_and_leaves_the_original() -> None:
    result = result_with("a\x1bb")
    copy = visible_copy(result)
    assert copy.figures[0].location == r"a\x1bb"
    assert copy.figures[0].sources == [r"a\x1bb"]
    assert result.figures[0].location == "a\x1bb"
    assert visible_copy(copy) is copy  # nothing left to change: no copy made


# --- encodings that make control characters --------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        (
            "unicode_escape",
            "-e unicode_escape: this codec turns backslash escapes such as \\x1b into "
            "characters; give the files' encoding, e.g. -e utf-8 or -e latin-1",
        ),
        (
            "raw-unicode-escape",
            "-e raw-unicode-escape: this codec turns backslash escapes such as \\x1b into "
            "characters; give the files' encoding, e.g. -e utf-8 or -e latin-1",
        ),
        (
            "base64",
            "-e base64: not a character encoding but a codec of bytes; give the files' "
            "encoding, e.g. -e utf-8 or -e cp1251",
        ),
        (
            "rot13",
            "-e rot13: not a character encoding but a codec of bytes; give the files' "
            "encoding, e.g. -e utf-8 or -e cp1251",
        ),
        (
            "zlib",
            "-e zlib: not a character encoding but a codec of bytes; give the files' "
            "encoding, e.g. -e utf-8 or -e cp1251",
        ),
    ],
)
@pytest.mark.parametrize("command", ["reconcile", "check", "normalize", "diff"])
def test_codecs_that_are_no_text_encoding_are_refused_in_one_line(
    run: Run, tmp_path: Path, encoding: str, message: str, command: str
) -> None:
    # Plain ASCII that unicode_escape would turn into a clear-screen sequence.
    path = tmp_path / "plain.yaml"
    path.write_text(
        "# Synthetic.\n- {id: a\\x1b[2J, event: e, metric: killed, value: '5', source: s, "
        "source_type: ngo, stated_on: 2022-01-01}\n",
        encoding="ascii",
    )
    paths = [path, path] if command == "diff" else [path]
    result = run(command, *paths, "-e", encoding)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == message + "\n"


@pytest.mark.parametrize("encoding", ["unicode_internal", "string_escape"])
def test_codecs_python_no_longer_has_are_unknown_encodings(
    run: Run, tmp_path: Path, encoding: str
) -> None:
    path = tmp_path / "plain.yaml"
    path.write_text("# Synthetic.\n- {id: a}\n", encoding="ascii")
    result = run("reconcile", path, "-e", encoding)
    assert result.exit_code == 2
    assert result.stderr == f"{path}: unknown encoding {encoding!r}; e.g. -e utf-8\n"


@pytest.mark.parametrize("terminal", [False, True])
def test_error_lines_are_written_as_rich_would_print_them(
    terminal: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`tell` writes its lines to stderr itself (rich took 13.5 s for 300,000 error lines);
    the bytes are those rich printed, on a terminal as in a log."""
    import io

    from rich.console import Console
    from rich.text import Text

    from figrecon.cli.app import tell

    if terminal:
        monkeypatch.setenv("TTY_COMPATIBLE", "1")
        monkeypatch.setenv("COLUMNS", "40")
    lines = [
        "plain",
        "  spaces around  ",
        "[bold]not markup[/bold]",
        "wide 中文字符 and 🎉",
        "x" * 300,
        "",
        "back\\slash ümlaut \u00a0",
        hostile("field"),
    ]
    rich = io.StringIO()
    console = Console(file=rich, highlight=False, emoji=False, force_terminal=terminal)
    for line in lines:
        console.print(Text(visible(line)), soft_wrap=True)
    capsys.readouterr()
    tell(*lines)
    assert capsys.readouterr().err == rich.getvalue()


def test_every_bad_row_of_a_large_file_gets_its_line(run: Run, tmp_path: Path) -> None:
    """Each problem is one line of its own, however many there are (the lines are
    written a chunk at a time)."""
    from figrecon.cli.app import TOLD

    rows = TOLD + 5
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,event,metric,value,source,source_type,stated_on\n"
        + "".join(f"c{i},e,killed,10,s,newspaper,2022-01-01\n" for i in range(rows)),
        encoding="utf-8",
    )
    result = run("reconcile", path)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == rows + 1
    assert [int(line.split(":")[1]) for line in lines[:-1]] == list(range(2, rows + 2))
    assert lines[-1] == f"{rows} problems; nothing was reconciled."
