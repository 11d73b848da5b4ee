"""The command line writes the figures as they are made, without a model per figure;
what it writes equals the library's Result serialized by pydantic, byte for byte, and
validates against the Result model (DESIGN section 5: the JSON equals the library
result serialized)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import figrecon
from figrecon.config import Parameters
from figrecon.engine.assemble import Reconciled
from figrecon.engine.rules import reconciled
from figrecon.model import Result
from figrecon.render import csv as csv_format
from figrecon.render.formats import OutputFormat
from figrecon.render.json import CHUNK, write_json, write_ndjson

ROOT = Path(__file__).parent.parent
DATASETS = [
    ROOT / "data" / "kazakhstan-2022.yaml",
    ROOT / "tests" / "fixtures" / "worked-example.yaml",
    ROOT / "tests" / "fixtures" / "events" / "river-detentions.yaml",
]


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
@pytest.mark.parametrize("explain", [False, True])
def test_streamed_json_is_the_library_result_byte_for_byte(path: Path, explain: bool) -> None:
    run = reconciled(figrecon.load(path), Parameters(), explain=explain)
    streamed = io.BytesIO()
    write_json(run.method, run.figures(), streamed)
    expected = run.result().model_dump_json(indent=2) + "\n"
    assert streamed.getvalue().decode() == expected
    assert Result.model_validate_json(streamed.getvalue()).figures


def test_streamed_ndjson_is_each_figure_serialized() -> None:
    run = reconciled(figrecon.load(DATASETS[0]), Parameters())
    streamed = io.BytesIO()
    write_ndjson(run.figures(), streamed)
    expected = "".join(f.model_dump_json() + "\n" for f in run.result().figures)
    assert streamed.getvalue().decode() == expected


def test_no_figures_is_an_empty_list(tmp_path: Path) -> None:
    path = tmp_path / "none.yaml"
    path.write_text("event: e\nclaims: []\n", encoding="utf-8")
    run = reconciled(figrecon.load(path), Parameters())
    streamed = io.BytesIO()
    write_json(run.method, run.figures(), streamed)
    assert streamed.getvalue().decode() == run.result().model_dump_json(indent=2) + "\n"


def _many(tmp_path: Path, n: int) -> Path:
    """Synthetic claims, one per figure."""
    lines = ["event: e", "claims:"] + [
        f"  - {{id: c{i}, metric: killed, group: g{i}, value: '{i + 1}', source: s, "
        "source_type: ngo, stated_on: 2022-01-01}"
        for i in range(n)
    ]
    path = tmp_path / "many.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_figures_over_several_chunks_join_into_one_document(tmp_path: Path) -> None:
    # More figures than one chunk holds.
    path = _many(tmp_path, CHUNK + 5)
    run = reconciled(figrecon.load(path), Parameters())
    streamed = io.BytesIO()
    write_json(run.method, run.figures(), streamed)
    assert streamed.getvalue().decode() == run.result().model_dump_json(indent=2) + "\n"


@pytest.mark.parametrize("fmt", ["json", "ndjson"])
def test_the_command_writes_what_the_library_gives(run, fmt: str) -> None:
    out = run("reconcile", DATASETS[0], "--format", fmt, "--metric", "killed").stdout
    result = figrecon.reconcile(figrecon.load(DATASETS[0]), metric="killed")
    if fmt == "json":
        assert out == result.model_dump_json(indent=2) + "\n"
    else:
        assert out == "".join(f.model_dump_json() + "\n" for f in result.figures)


class Writes(io.BytesIO):
    """A file that counts its writes."""

    writes = 0

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.writes += 1
        return super().write(data)


@pytest.mark.parametrize("path", DATASETS, ids=lambda p: p.name)
def test_streamed_csv_is_the_library_results_csv(path: Path) -> None:
    run = reconciled(figrecon.load(path), Parameters())
    streamed = io.BytesIO()
    csv_format.write_csv(run.figures(), streamed)
    assert streamed.getvalue().decode() == csv_format.to_csv(run.result())


def test_csv_is_written_as_the_figures_are_made(tmp_path: Path, monkeypatch) -> None:
    # Over two chunks of rows, and never through a Result of every figure at once.
    run = reconciled(figrecon.load(_many(tmp_path, csv_format.CHUNK + 5)), Parameters())
    expected = csv_format.to_csv(run.result())

    def refused(self: Reconciled) -> Result:
        raise AssertionError("the CSV format built a Result of every figure")

    monkeypatch.setattr(Reconciled, "result", refused)
    out = Writes()
    OutputFormat.csv.write(run, out)
    assert out.getvalue().decode() == expected
    assert out.writes == 2
    assert expected.count("\n") == csv_format.CHUNK + 5 + 1


@pytest.mark.parametrize("chunk", [1, 7, CHUNK])
def test_the_check_report_is_written_a_chunk_of_findings_at_a_time(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """`check -f json` streams its findings: the bytes are the report's own
    serialization, with many findings, one, and none (with a baseline's fields too)."""
    from figrecon.checks.report import Report, check
    from figrecon.render import findings, json

    monkeypatch.setattr(json, "CHUNK", chunk)
    corpus = check([ROOT / "tests" / "fixtures" / "corpus"])
    assert len(corpus.findings) > 50
    reports = [
        corpus,
        check([ROOT / "data" / "kazakhstan-2022.yaml"]),
        Report(valid=True, errors=0, warnings=0, accepted=3),
    ]
    for report in reports:
        streamed = io.BytesIO()
        findings.write_json(report, streamed)
        assert streamed.getvalue() == findings.json_bytes(report)
    assert b'"findings": []' in streamed.getvalue()


def test_the_command_writes_the_check_report_the_library_gives(tmp_path: Path) -> None:
    from figrecon.checks.report import check
    from figrecon.cli import main
    from figrecon.render.findings import json_bytes

    corpus = ROOT / "tests" / "fixtures" / "corpus"
    out = tmp_path / "report.json"
    assert main(["check", "--quiet", str(corpus), "-f", "json", "-o", str(out)]) == 2
    assert out.read_bytes() == json_bytes(check([corpus]))
