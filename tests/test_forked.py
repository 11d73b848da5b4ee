"""`check` of a large file has R3 and R4 applied by a forked process (`forked.meanwhile`)
while this one runs the checks that need only the claims: its findings are those of one
process, whether the child did its work, failed, or could not be had. The claims are
synthetic (bench/generate.py), the real Kazakhstan file, and the hostile corpus."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from figrecon import forked
from figrecon.checks import rules
from figrecon.cli import main

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from forks import fail_in_children, record_callers, synthetic_claims, two_processors  # noqa: E402
from test_checks import CASES, write  # noqa: E402

KZ = ROOT / "data" / "kazakhstan-2022.yaml"
CORPUS = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.*"))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_claims(tmp_path_factory, seed=11)


def checked(tmp_path: Path, path: Path) -> tuple[int, bytes]:
    out = tmp_path / "report.json"
    out.unlink(missing_ok=True)
    code = main(["check", "--quiet", str(path), "-f", "json", "-o", str(out)])
    return code, out.read_bytes() if out.exists() else b""


def in_one_and_two(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: Path
) -> tuple[tuple[int, bytes], tuple[int, bytes]]:
    """The report of one process, and of two (the child forked for a single claim)."""
    one = checked(tmp_path, path)
    monkeypatch.setattr(rules, "MEANWHILE", 1)
    two = checked(tmp_path, path)
    monkeypatch.setattr(rules, "MEANWHILE", 10**12)
    return one, two


@two_processors
def test_two_processes_find_what_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    for path in (synthetic, KZ, *CORPUS):
        one, two = in_one_and_two(monkeypatch, tmp_path, path)
        assert two == one, path.name


@two_processors
@pytest.mark.parametrize("code", sorted(CASES))
def test_two_processes_find_each_code_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, code: str
) -> None:
    """Withdrawals, repeats, relays, decreases: each code's case of `test_checks`."""
    fires = [{k: v for k, v in claim.items() if v is not None} for claim in CASES[code][0]]
    path = write(tmp_path, fires)
    one, two = in_one_and_two(monkeypatch, tmp_path, path)
    assert two == one
    if code != "future-date":  # its case is in the future of the day test_checks sets
        assert f'"code": "{code}"'.encode() in one[1]


@two_processors
def test_the_child_does_apply_r3_and_r4(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    import figrecon.engine as engine

    seen = tmp_path / "pids"
    record_callers(monkeypatch, engine, "attribution", seen)
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one
    # Once here for one process; once in a child for two.
    pids = seen.read_text().split()
    assert len(pids) == 2
    assert pids[0] == str(os.getpid()) != pids[1]


@two_processors
def test_a_failing_child_leaves_r3_and_r4_to_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    import figrecon.engine as engine

    fail_in_children(monkeypatch, engine, "attribution", MemoryError())
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one


def test_without_a_second_processor_one_process_checks_it_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    monkeypatch.setattr(forked, "two_processors", lambda: False)
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or 0)
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one
    assert not forks
