"""`figrecon check`'s report in its formats: text for people, JSON, GitHub annotations,
JUnit XML and SARIF 2.1.0 for CI.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from pydantic_core import to_json as to_json_bytes
from rich.text import Text

from .. import __version__
from ..checks.codes import CODES
from ..checks.report import Report
from ..model import Finding, Severity, file_of, located
from ..text import ENCODABLE, visible_copy

STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


def to_text(report: Report, strict: bool = False) -> Iterator[Text]:
    """A line for each finding, starting FILE:LINE: as a compiler's do (so that grep
    keeps the file and an editor jumps to the line), then a one-line summary: Texts of
    CHUNK findings each, to print one after the other (one Text of 300,000 findings
    took 1.4 GB to lay out), each holding its own line ends."""
    # Texts, not a rich Table: a table measures every cell, which takes seconds for
    # thousands of findings.
    for chunk in _chunks(report):
        body = Text()
        for f in chunk:
            body.append(_where(f))
            body.append(f.severity.value, style=STYLE[f.severity])
            body.append(
                f" {f.code} "
                + (f"{f.claim}: " if f.claim else "")
                + (f"{f.field}: " if f.field else "")
                + f.message
            )
            if f.hint:
                body.append(f"; {f.hint}", style="dim")
            body.append("\n")
        yield body
    if report.findings:
        yield Text("\n")
    yield summary(report, strict).append("\n")


CHUNK = 2000


def to_plain(report: Report, strict: bool = False) -> str:
    """`to_text` as plain text for a file: the same lines, one per finding however long
    (as a terminal shows them, and as grep and editors read them), made as strings (a
    rich Text of 160,000 findings took 20 s to lay out)."""
    return "".join(plain_pieces(report, strict))


def plain_pieces(report: Report, strict: bool = False) -> Iterator[str]:
    """`to_plain` a chunk of `CHUNK` findings at a time."""
    for chunk in _chunks(report):
        yield "".join(
            _where(f)
            + f"{f.severity.value} {f.code} "
            + (f"{f.claim}: " if f.claim else "")
            + (f"{f.field}: " if f.field else "")
            + f.message
            + (f"; {f.hint}" if f.hint else "")
            + "\n"
            for f in chunk
        )
    if report.findings:
        yield "\n"
    yield summary(_head(report), strict).plain + "\n"


def _chunks(report: Report, keep: str = "") -> Iterator[list[Finding]]:
    """The findings `CHUNK` at a time, as the human formats print them (`visible_copy`):
    a copy of a chunk at a time, not of them all (300,000 findings took 1-2 GB made
    whole into a report)."""
    for start in range(0, len(report.findings), CHUNK):
        yield visible_copy(report.findings[start : start + CHUNK], keep)


def _head(report: Report) -> Report:
    """The report without its findings, as the human formats print it."""
    return visible_copy(report.model_copy(update={"findings": []}))


def _where(f: Finding) -> str:
    """FILE:LINE: , or FILE: when the finding has no line."""
    return located(f.file or "<input>", f.line) + ": "


def summary(report: Report, strict: bool = False) -> Text:
    files = len({file_of(name) for name in report.files})
    head = f"{files} file{'s' if files != 1 else ''} checked: "
    counts = (
        f"{report.errors} error{'s' if report.errors != 1 else ''}, "
        f"{report.warnings} warning{'s' if report.warnings != 1 else ''}"
        + (f" ({report.accepted} accepted by the baseline)" if report.accepted else "")
    )
    verdict = "valid" if report.valid else "not valid"
    if report.valid and report.warnings and not strict:
        verdict += " (warnings do not fail without --strict)"
    return Text(head + counts + " — " + verdict, style="bold green" if report.valid else "bold red")


def to_json(report: Report) -> str:
    return json_bytes(report).decode("utf-8")


def write_json(report: Report, out: BinaryIO) -> None:
    """`json_bytes(report)`, written a chunk of findings at a time (a million findings
    made a third of a GB of bytes at once); in a chunk with a lone surrogate (of a file
    name whose bytes are not UTF-8), which UTF-8 cannot hold, each is shown as its
    escape, `\\udcff` (looked for only then: a million findings took 7 s more)."""
    from .json import write_listed

    head = visible_copy(report.model_copy(update={"findings": []}), keep=ENCODABLE)
    write_listed(
        head.model_dump(mode="json", exclude={"files"}),
        "findings",
        report.findings,
        out,
        mend=lambda chunk: visible_copy(chunk, keep=ENCODABLE),
    )


def json_bytes(report: Report) -> bytes:
    """The report as JSON, encoded. pydantic-core writes what json.dumps(indent=2,
    ensure_ascii=False) writes, about ten times faster (Python's own encoder is used
    whenever there is an indent), straight from the models: no dict per finding and no
    copy as text (a million findings made 3 GB of them)."""
    return to_json_bytes(report, indent=2, exclude={"files"}) + b"\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def to_github(report: Report, strict: bool = False) -> str:
    """GitHub Actions workflow commands: one annotation per finding. A line break in
    the data stays one (escaped as the format wants, %0A); other controls are shown."""
    return "".join(github_pieces(report, strict))


def github_pieces(report: Report, strict: bool = False) -> Iterator[str]:
    """`to_github` a chunk of `CHUNK` findings at a time."""
    for chunk in _chunks(report, keep="\n"):
        lines = []
        for f in chunk:
            level = (
                "error"
                if f.severity.fails(strict)
                else ("warning" if f.severity == Severity.warning else "notice")
            )
            props = []
            if f.file:
                props.append(f"file={_escape_property(f.file)}")
            if f.line:
                props.append(f"line={f.line}")
            props.append(f"title={_escape_property('figrecon ' + f.code)}")
            text = (f"{f.claim}: " if f.claim else "") + f.said()
            lines.append(f"::{level} {','.join(props)}::{_escape_data(text)}\n")
        yield "".join(lines)


def to_junit(report: Report, strict: bool = False) -> str:
    """JUnit XML: a test suite per file, a test case per finding (or one passing case
    for a clean file). Errors fail; warnings fail only with --strict."""
    return "".join(junit_pieces(report, strict))


def junit_pieces(report: Report, strict: bool = False) -> Iterator[str]:
    """`to_junit` a chunk of `CHUNK` findings at a time, as ElementTree writes the
    document indented (`ET.indent`), without a tree of every finding (300,000 findings
    made one of 1.2 GB). Each suite's counts come first: they are counted beforehand."""
    head = _head(report)
    # The findings of each file, in the order the files were checked, then as met.
    by_file: dict[str, list[int]] = {name: [] for name in head.files}
    for i, f in enumerate(report.findings):
        by_file.setdefault(_visible_file(f), []).append(i)
    fails = [f.severity.fails(strict) for f in report.findings]
    total = sum(max(len(rows), 1) for rows in by_file.values())
    failed = sum(fails)
    yield "<?xml version='1.0' encoding='utf-8'?>\n"
    yield f'<testsuites name="figrecon check" tests="{total}" failures="{failed}"'
    if not by_file:
        yield " />\n"
        return
    yield ">\n"
    for name, rows in by_file.items():
        cases = max(len(rows), 1)
        failures = sum(fails[i] for i in rows)
        at = _attribute(name)
        yield f'  <testsuite name="{at}" tests="{cases}" failures="{failures}">\n'
        if not rows:
            yield f'    <testcase classname="{at}" name="claims are valid" />\n'
        for start in range(0, len(rows), CHUNK):
            picked = [report.findings[i] for i in rows[start : start + CHUNK]]
            yield "".join(_junit_case(at, f, strict) for f in visible_copy(picked))
        yield "  </testsuite>\n"
    yield "</testsuites>\n"


def _visible_file(f: Finding) -> str:
    return visible_copy(f.file or "<input>")


def _junit_case(suite: str, f: Finding, strict: bool) -> str:
    """A test case as ElementTree writes it, two levels in."""
    case = _attribute(f"{f.code} {f.claim or ''} line {f.line or '?'}".replace("  ", " "))
    text = f.said()
    if f.severity.fails(strict):
        inner = (
            f'<failure message="{_attribute(text)}" type="{_attribute(f.code)}">'
            f"{_cdata(_where(f) + text)}</failure>"
        )
    else:
        inner = f"<system-out>{_cdata(f'{f.severity.value}: {_where(f)}' + text)}</system-out>"
    return f'    <testcase classname="{suite}" name="{case}">\n      {inner}\n    </testcase>\n'


def _cdata(text: str) -> str:
    """Text in an XML element, escaped as ElementTree escapes it."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(text: str) -> str:
    """An XML attribute value, escaped as ElementTree escapes it (line breaks and tabs
    as character references, so that they survive a parser's normalization)."""
    return (
        _cdata(text)
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
        .replace("\n", "&#10;")
        .replace("\t", "&#09;")
    )


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def to_sarif(report: Report, strict: bool = False) -> str:
    """SARIF 2.1.0: one run, a rule per code, a result per finding located at its line.
    Its messages are for people (code-scanning views, terminals), so they are shown
    like the text report; that also keeps lone surrogates out of the JSON."""
    return "".join(sarif_pieces(report, strict))


_RESULTS = '"results": []'
_RESULT_INDENT = "\n        "
"""Where the results stand in the document: in `runs[0]`, four levels in."""


def sarif_pieces(report: Report, strict: bool = False) -> Iterator[str]:
    """`to_sarif` a chunk of `CHUNK` findings at a time: the document as
    `json.dumps(doc, indent=2, ensure_ascii=False)` writes it, each result serialized on
    its own (by pydantic-core, which writes the same) and indented to its place (a JSON
    string holds no raw line break), without a dict of every result at once (300,000
    findings took 2.4 GB). Not by `json.dumps` either: with an indent, each call makes
    closures that refer to each other, which only the cyclic collector frees, and the
    command line runs with it off (`cli.app`)."""
    used = sorted({f.code for f in report.findings})
    index = {code: i for i, code in enumerate(used)}
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": CODES[code].what},
            "defaultConfiguration": {"level": _sarif_level(CODES[code].severity, strict)},
        }
        for code in used
    ]
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "figrecon", "version": __version__, "rules": rules}},
                "results": [],
            }
        ],
    }
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    at = text.rindex(_RESULTS) + len(_RESULTS) - 1  # before the list's "]"
    yield text[:at]
    for n, chunk in enumerate(_chunks(report)):
        yield ("," if n else "") + ",".join(
            _RESULT_INDENT
            + to_json_bytes(_sarif_result(f, index, strict), indent=2)
            .decode("utf-8")
            .replace("\n", _RESULT_INDENT)
            for f in chunk
        )
    if report.findings:
        yield _RESULT_INDENT[:-2]
    yield text[at:] + "\n"


def _sarif_result(f: Finding, index: dict[str, int], strict: bool) -> dict[str, object]:
    location: dict[str, object] = {"artifactLocation": {"uri": _uri(f.file)}}
    if f.line:
        location["region"] = {"startLine": f.line}
    result: dict[str, object] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": _sarif_level(f.severity, strict),
        "message": {
            "text": (f"{f.claim}: " if f.claim else "")
            + f.message
            + (f"; {f.hint}" if f.hint else "")
        },
        "locations": [{"physicalLocation": location}],
    }
    if f.claim:
        result["partialFingerprints"] = {"claim": f.claim}
    return result


def _uri(file: str | None) -> str:
    """A SARIF artifact URI: relative paths percent-encoded, absolute ones as file://."""
    if not file:
        return "stdin"
    path = Path(file)
    if path.is_absolute():
        return path.as_uri()
    return urllib.parse.quote(path.as_posix())


def _sarif_level(severity: Severity, strict: bool) -> str:
    if severity.fails(strict):
        return "error"
    return "warning" if severity == Severity.warning else "note"
