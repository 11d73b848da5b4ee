"""The output formats of each command, as enums whose members render their format; a
test checks that every member of each is wired to a renderer."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any, BinaryIO

from . import csv, diff, findings, json, markdown, table

if TYPE_CHECKING:
    from ..checks.report import Report
    from ..diffs import Diff
    from ..engine.assemble import Reconciled
    from ..model import Result


class OutputFormat(StrEnum):
    """Formats of `figrecon reconcile`; each member builds its own text."""

    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    markdown = "markdown"

    def write(self, run: Reconciled, out: BinaryIO, *, width: int | None = None) -> None:
        """The figures of a run, written to `out` as they are made."""
        if self is OutputFormat.json:
            json.write_json(run.method, run.figures(), out)
        elif self is OutputFormat.ndjson:
            json.write_ndjson(run.figures(), out)
        else:
            out.write(self.render(run.result(), explain=run.explain, width=width).encode())

    def render(self, result: Result, *, explain: bool = False, width: int | None = None) -> str:
        if self is OutputFormat.table:
            return table.plain(table.figures_table(result, explain), width)
        writers: dict[OutputFormat, Any] = {
            OutputFormat.json: json.to_json,
            OutputFormat.ndjson: json.to_ndjson,
            OutputFormat.csv: csv.to_csv,
            OutputFormat.markdown: markdown.to_markdown,
        }
        return str(writers[self](result))


class DiffFormat(StrEnum):
    """Formats of `figrecon diff`."""

    table = "table"
    markdown = "markdown"
    json = "json"

    def render(self, changes: Diff, width: int | None = None) -> str:
        if self is DiffFormat.table:
            return table.plain(diff.diff_table(changes), width)
        if self is DiffFormat.markdown:
            return diff.diff_markdown(changes)
        return str(changes.model_dump_json(indent=2)) + "\n"


class CheckFormat(StrEnum):
    """Formats of `figrecon check`; each member builds its own text."""

    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"

    def render(self, report: Report, strict: bool = False, width: int | None = None) -> str:
        if self is CheckFormat.text:
            return table.plain(findings.to_text(report, strict), width)
        if self is CheckFormat.json:
            return findings.to_json(report)
        writers: dict[CheckFormat, Any] = {
            CheckFormat.github: findings.to_github,
            CheckFormat.junit: findings.to_junit,
            CheckFormat.sarif: findings.to_sarif,
        }
        return str(writers[self](report, strict))
