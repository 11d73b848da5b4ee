"""`figrecon check`'s report in its formats: text for people, JSON, GitHub annotations,
JUnit XML and SARIF 2.1.0 for CI.
"""

from __future__ import annotations

import io
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
from ..text import visible_copy

STYLE = {Severity.error: "bold red", Severity.warning: "yellow", Severity.info: "cyan"}


def to_text(report: Report, strict: bool = False) -> Iterator[Text]:
    """A line for each finding, starting FILE:LINE: as a compiler's do (so that grep
    keeps the file and an editor jumps to the line), then a one-line summary: Texts of
    CHUNK findings each, to print one after the other (one Text of 300,000 findings
    took 1.4 GB to lay out), each holding its own line ends."""
    # Texts, not a rich Table: a table measures every cell, which takes seconds for
    # thousands of findings.
    for start in range(0, len(report.findings), CHUNK):
        body = Text()
        for f in visible_copy(report.findings[start : start + CHUNK]):
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
    report = visible_copy(report)
    lines = [
        _where(f)
        + f"{f.severity.value} {f.code} "
        + (f"{f.claim}: " if f.claim else "")
        + (f"{f.field}: " if f.field else "")
        + f.message
        + (f"; {f.hint}" if f.hint else "")
        + "\n"
        for f in report.findings
    ]
    if lines:
        lines.append("\n")
    return "".join(lines) + summary(report, strict).plain + "\n"


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
    made a third of a GB of bytes at once)."""
    from .json import write_listed

    head = report.model_copy(update={"findings": []})
    write_listed(head.model_dump(mode="json", exclude={"files"}), "findings", report.findings, out)


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
    report = visible_copy(report, keep="\n")
    lines = []
    for f in report.findings:
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
        lines.append(f"::{level} {','.join(props)}::{_escape_data(text)}")
    return "".join(line + "\n" for line in lines)


def to_junit(report: Report, strict: bool = False) -> str:
    """JUnit XML: a test suite per file, a test case per finding (or one passing case
    for a clean file). Errors fail; warnings fail only with --strict."""
    # Imported here: every command that reports findings loads this module, and only
    # JUnit needs XML (3 ms of each start-up).
    import xml.etree.ElementTree as ET

    report = visible_copy(report)  # XML cannot hold most control characters at all
    suites = ET.Element("testsuites", name="figrecon check", tests="0", failures="0")
    by_file: dict[str, list[Finding]] = {name: [] for name in report.files}
    for f in report.findings:
        by_file.setdefault(f.file or "<input>", []).append(f)
    total = failed = 0
    for name, findings in by_file.items():
        suite = ET.SubElement(suites, "testsuite", name=name)
        cases = failures = 0
        if not findings:
            ET.SubElement(suite, "testcase", classname=name, name="claims are valid")
            cases = 1
        for f in findings:
            cases += 1
            case = ET.SubElement(
                suite,
                "testcase",
                classname=name,
                name=f"{f.code} {f.claim or ''} line {f.line or '?'}".replace("  ", " "),
            )
            text = f.said()
            if f.severity.fails(strict):
                failures += 1
                failure = ET.SubElement(case, "failure", message=text, type=f.code)
                failure.text = _where(f) + text
            else:
                out = ET.SubElement(case, "system-out")
                out.text = f"{f.severity.value}: {_where(f)}" + text
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        total += cases
        failed += failures
    suites.set("tests", str(total))
    suites.set("failures", str(failed))
    ET.indent(suites)
    buffer = io.BytesIO()
    ET.ElementTree(suites).write(buffer, encoding="utf-8", xml_declaration=True)
    return buffer.getvalue().decode("utf-8") + "\n"


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def to_sarif(report: Report, strict: bool = False) -> str:
    """SARIF 2.1.0: one run, a rule per code, a result per finding located at its line.
    Its messages are for people (code-scanning views, terminals), so they are shown
    like the text report; that also keeps lone surrogates out of the JSON."""
    report = visible_copy(report)
    used = sorted({f.code for f in report.findings})
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": CODES[code].what},
            "defaultConfiguration": {"level": _sarif_level(CODES[code].severity, strict)},
        }
        for code in used
    ]
    results = []
    for f in report.findings:
        location: dict[str, object] = {"artifactLocation": {"uri": _uri(f.file)}}
        if f.line:
            location["region"] = {"startLine": f.line}
        result: dict[str, object] = {
            "ruleId": f.code,
            "ruleIndex": used.index(f.code),
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
        results.append(result)
    doc = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "figrecon", "version": __version__, "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


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
