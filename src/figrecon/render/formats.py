"""The output formats of each command, as enums whose members render their format; a
test checks that every member of each is wired to a renderer."""

from __future__ import annotations

import io
from collections.abc import Iterator
from enum import StrEnum
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:
    from ..checks.report import Report
    from ..diffs import Diff
    from ..model import MethodBlock, Result


class Run(Protocol):
    """What a format writes: the method, and the figures as JSON-shaped dicts made as
    they are read (`engine.assemble.Reconciled`, or the figures a command shows)."""

    @property
    def method(self) -> MethodBlock: ...

    @property
    def explain(self) -> bool: ...

    def figures(self) -> Iterator[dict[str, Any]]: ...

    def halves(self) -> tuple[Iterator[dict[str, Any]], Iterator[dict[str, Any]]] | None:
        """The figures in two runs, for two processes to write (`halves`), or None."""
        ...

    def result(self) -> Result: ...


class Saved:
    """A `Result` as a run, for the formats that write figures as they come."""

    def __init__(self, result: Result, explain: bool) -> None:
        self.method = result.method
        self.explain = explain
        self._result = result

    def figures(self) -> Iterator[dict[str, Any]]:
        return (f.model_dump(mode="json") for f in self._result.figures)

    def halves(self) -> None:
        return None  # made already: nothing to share out

    def result(self) -> Result:
        return self._result


class OutputFormat(StrEnum):
    """Formats of `figrecon reconcile`; each member builds its own text."""

    table = "table"
    json = "json"
    ndjson = "ndjson"
    csv = "csv"
    markdown = "markdown"

    def write(self, run: Run, out: BinaryIO, *, width: int | None = None) -> None:
        """The figures of a run, written to `out` as they are made (the table at
        `width` columns: $COLUMNS, or 80, when not given)."""
        # Each format's module is imported when it is written: a run imports only the
        # renderer it uses (start-up is most of the time of a small run).
        if self is OutputFormat.json or self is OutputFormat.ndjson:
            from . import json

            # A large run is written by two processes, a half each (`halves`).
            halves = run.halves()
            figures, then = halves if halves is not None else (run.figures(), None)
            if self is OutputFormat.json:
                json.write_json(run.method, figures, out, then)
            else:
                json.write_ndjson(figures, out, then)
        elif self is OutputFormat.table:
            from . import table

            halves = run.halves()
            figures, then = halves if halves is not None else (run.figures(), None)
            table.write_table(run.method, figures, out, width, run.explain, then)
        elif self is OutputFormat.markdown:
            from . import markdown

            markdown.write_markdown(run.method, run.figures(), out)
        else:
            from . import csv

            halves = run.halves()
            figures, then = halves if halves is not None else (run.figures(), None)
            csv.write_csv(figures, out, then)

    def render(self, result: Result, *, explain: bool = False, width: int | None = None) -> str:
        from . import json

        if self is OutputFormat.json:
            return json.to_json(result)
        if self is OutputFormat.ndjson:
            return json.to_ndjson(result)
        out = io.BytesIO()
        self.write(Saved(result, explain), out, width=width)
        return out.getvalue().decode("utf-8")


class DiffFormat(StrEnum):
    """Formats of `figrecon diff`."""

    table = "table"
    markdown = "markdown"
    json = "json"

    def render(self, changes: Diff, width: int | None = None) -> str:
        from . import diff, table

        if self is DiffFormat.table:
            return table.plain(diff.diff_table(changes), width)
        if self is DiffFormat.markdown:
            return diff.diff_markdown(changes)
        # A file name that is not UTF-8 holds lone surrogates, which JSON's UTF-8 cannot:
        # shown as escapes (`\\udcff`).
        from ..text import ENCODABLE, visible_copy

        return str(visible_copy(changes, keep=ENCODABLE).model_dump_json(indent=2)) + "\n"


class CheckFormat(StrEnum):
    """Formats of `figrecon check`; each member builds its own text."""

    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"

    def render(self, report: Report, strict: bool = False, width: int | None = None) -> str:
        from . import findings

        if self is CheckFormat.json:
            return findings.to_json(report)
        return "".join(self.pieces(report, strict))

    def pieces(self, report: Report, strict: bool = False) -> Iterator[str]:
        """`render`'s text, a chunk of findings at a time (JSON: whole)."""
        from . import findings

        if self is CheckFormat.json:
            return iter((findings.to_json(report),))
        writers: dict[CheckFormat, Any] = {
            CheckFormat.text: findings.plain_pieces,
            CheckFormat.github: findings.github_pieces,
            CheckFormat.junit: findings.junit_pieces,
            CheckFormat.sarif: findings.sarif_pieces,
        }
        pieces: Iterator[str] = writers[self](report, strict)
        return pieces
