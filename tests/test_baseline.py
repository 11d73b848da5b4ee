"""A team accepts known findings in a baseline file, by code and claim id, so that
`check --strict` passes in CI until something new appears. The claims here are
synthetic, but for the shipped dataset's own baseline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import figrecon
from figrecon.checks.baseline import baseline_of

ROOT = Path(__file__).parent.parent
DATA = ROOT / "data" / "kazakhstan-2022.yaml"
SHIPPED = ROOT / "data" / "figrecon-baseline.json"

CLAIM = (
    "  - {{id: {id}, metric: killed, value: '{value}', source: s, source_type: ngo, "
    "stated_on: 2022-01-0{day}}}\n"
)


def claims(*ids: str) -> str:
    """Synthetic claims without provenance: a missing-provenance warning each."""
    body = "".join(CLAIM.format(id=i, value=10 + n, day=n + 1) for n, i in enumerate(ids))
    return "event: e\nclaims:\n" + body


def test_a_written_baseline_lets_strict_pass(run, write, tmp_path: Path) -> None:
    path = write("claims.yaml", claims("a", "b"))
    baseline = tmp_path / "accepted.json"
    assert run("check", path, "--strict").exit_code == 1
    written = run("check", path, "--strict", "--write-baseline", baseline)
    assert written.exit_code == 0
    assert written.stderr == f"Wrote {baseline} (2 accepted findings)\n"
    assert json.loads(baseline.read_text(encoding="utf-8")) == {
        "figrecon_baseline": 1,
        "accepted": [
            {"code": "missing-provenance", "claim": c, "message": "has neither url nor quote"}
            for c in ("a", "b")
        ],
    }
    again = run("check", path, "--strict", "--baseline", baseline)
    assert again.exit_code == 0
    assert again.stdout == (
        "1 file checked: 0 errors, 0 warnings (2 accepted by the baseline) — valid\n"
    )


def test_a_new_finding_still_fails(run, write, tmp_path: Path) -> None:
    path = write("claims.yaml", claims("a"))
    baseline = tmp_path / "accepted.json"
    run("check", path, "--write-baseline", baseline)
    path.write_text(claims("a", "b"), encoding="utf-8")
    result = run("check", path, "--strict", "--baseline", baseline)
    assert result.exit_code == 1
    assert [
        line.split(" ")[3] for line in result.stdout.splitlines() if line.startswith(str(path))
    ] == ["b:"]


def test_a_finding_is_accepted_by_its_code_and_claim(tmp_path: Path, write) -> None:
    path = write("claims.yaml", claims("a"))
    baseline = tmp_path / "accepted.json"
    baseline.write_text(
        json.dumps({"figrecon_baseline": 1, "accepted": [{"code": "possible-typo", "claim": "a"}]}),
        encoding="utf-8",
    )
    report = figrecon.check(path, baseline=baseline, strict=True)
    assert [(f.code, f.claim) for f in report.findings] == [("missing-provenance", "a")]
    assert (report.accepted, report.valid) == (0, False)


def test_what_the_baseline_accepts_and_is_gone_is_named(run, write, tmp_path: Path) -> None:
    baseline = tmp_path / "accepted.json"
    run("check", write("old.yaml", claims("a", "z")), "--write-baseline", baseline)
    result = run("check", write("new.yaml", claims("a")), "--baseline", baseline)
    assert result.exit_code == 0
    assert result.stderr == (
        f"--baseline {baseline}: 1 accepted finding is no longer found (missing-provenance "
        f"z); rewrite it with --write-baseline {baseline}\n"
    )


def test_errors_that_reconcile_refuses_are_never_accepted(write) -> None:
    path = write(
        "claims.yaml",
        claims("a", "b") + "  - {id: a, metric: killed, value: '5', source: s, source_type: ngo, "
        "stated_on: 2022-01-09}\n",
    )
    report = figrecon.check(path)
    assert "duplicate-id" in {f.code for f in report.findings}
    assert {a.code for a in baseline_of(report.findings).accepted} == {"missing-provenance"}


def test_the_shipped_baseline_makes_strict_ci_pass_and_is_current(run, tmp_path: Path) -> None:
    assert run("check", DATA, "--strict").exit_code == 1
    result = run("check", DATA, "--strict", "--baseline", SHIPPED)
    assert (result.exit_code, result.stderr) == (0, "")
    rewritten = tmp_path / "rewritten.json"
    run("check", DATA, "--write-baseline", rewritten)
    assert rewritten.read_text(encoding="utf-8") == SHIPPED.read_text(encoding="utf-8")


def test_a_baseline_in_the_data_folder_is_read_as_no_claims(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / DATA.name).write_bytes(DATA.read_bytes())
    (folder / SHIPPED.name).write_bytes(SHIPPED.read_bytes())
    assert len(figrecon.load(folder)) == len(figrecon.load(DATA))


@pytest.mark.parametrize(
    ("text", "reason"),
    [("[]", "no `figrecon_baseline` key"), ("{", "Expecting property name enclosed")],
)
def test_a_file_that_is_no_baseline_is_refused(run, write, text: str, reason: str) -> None:
    path = write("claims.yaml", claims("a"))
    bad = write("bad.json", text)
    result = run("check", path, "--baseline", bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"--baseline {bad}: not a figrecon baseline ({reason}")


def test_a_baseline_is_never_written_over_a_claim_file(run, write) -> None:
    path = write("claims.yaml", claims("a"))
    result = run("check", path, "--write-baseline", path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"--write-baseline {path}: that file holds something else than a figrecon baseline; "
        "give a new file, or the baseline to rewrite\n"
    )
    assert path.read_text(encoding="utf-8") == claims("a")
