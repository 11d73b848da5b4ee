"""`check` of a large file has R3 and R4 applied part by part by a forked process while
this one runs the checks that need only the claims, then by both (`forked.in_turn`): its
findings are those of one process, whether the child did its work, failed, or could not
be had. The claims are synthetic (bench/generate.py), the real Kazakhstan file, and the
hostile corpus."""

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

import forks  # noqa: E402
from forks import (  # noqa: E402
    CORPUS,
    KZ,
    fail_in_children,
    no_second_processor,
    record_callers,
    synthetic_claims,
    two_processors,
)
from test_checks import CASES, write  # noqa: E402


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
    return forks.in_one_and_two(monkeypatch, rules, "MEANWHILE", lambda: checked(tmp_path, path))


@two_processors
def test_two_processes_find_what_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    (tmp_path / "cases").mkdir()
    for path in (synthetic, KZ, cases_as_events(tmp_path / "cases"), *CORPUS):
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
def test_both_processes_take_parts_of_r3_and_r4(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    """Each part of the claims is attributed once, by whichever process is free: the
    child while this one makes its view (made slow here), then this one too (the child's
    parts are made slow)."""
    import time

    import figrecon
    import figrecon.engine as engine
    from figrecon.engine.partition import parts

    count = int(parts(figrecon.load(synthetic), rules.PARTS).max()) + 1
    assert count > 2
    parent = os.getpid()
    seen = tmp_path / "pids"
    record_callers(monkeypatch, engine, "attribution", seen)
    attributed, viewed = engine.attribution, rules.ClaimView

    def slow_in_the_child(*args: object, **kwargs: object) -> object:
        if os.getpid() != parent:
            time.sleep(0.2)
        return attributed(*args, **kwargs)

    def slow_here(*args: object, **kwargs: object) -> object:
        if os.getpid() == parent:
            time.sleep(0.3)
        return viewed(*args, **kwargs)

    monkeypatch.setattr(engine, "attribution", slow_in_the_child)
    monkeypatch.setattr(rules, "ClaimView", slow_here)
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one
    # Once here for one process; once per part, in either process, for two.
    pids = seen.read_text().split()
    assert len(pids) == 1 + rules.PARTS  # the parts beyond `count` are empty
    assert pids[0] == str(parent)
    assert str(parent) in pids[1:]
    assert len(set(pids[1:])) == 2


def test_the_parts_of_r3_and_r4_mark_what_the_whole_does(tmp_path: Path, synthetic: Path) -> None:
    """Marks made part by part and merged are the marks of all the claims at once: the
    synthetic claims, and each finding code's case of `test_checks` as an event of its
    own (withdrawals, repeats of withdrawn figures, relays)."""
    from figrecon.checks.report import _sound
    from figrecon.checks.view import ClaimView
    from figrecon.engine.partition import parts
    from figrecon.loading import load_with_findings

    for path in (synthetic, cases_as_events(tmp_path)):
        # As `check` has them: the claims without schema errors (an unreadable value).
        loaded, findings = load_with_findings(path)
        assert loaded is not None
        claims = _sound(loaded, findings)
        part = parts(claims, rules.PARTS)
        assert part is not None
        assert part.max() >= 2
        whole = rules.marks(claims)
        v = ClaimView(claims)
        done = [rules._part(claims, part == k, v) for k in range(part.max() + 1)]
        assert rules.merged(p.marks for p in done) == whole
        assert whole.withdrawn
        # The findings of each part's claims and marks are those of all at once, in
        # the order the checks sort them into.
        decreases = rules._decreases(
            v, whole.withdrawn | whole.late | whole.repeats, whole.unconfirmed
        )
        wholes = rules._parts_and_wholes(v, whole.withdrawn)
        assert decreases
        assert _in_order([f for p in done for f in p.decreases]) == _in_order(decreases)
        assert _in_order([f for p in done for f in p.above_wholes]) == _in_order(wholes)
    assert whole.unmarked
    assert wholes


def _in_order(findings: list) -> list:
    from figrecon.checks.report import _in_order as in_order

    return in_order(findings, sorted({f.file for f in findings}))


def cases_as_events(tmp_path: Path) -> Path:
    """Each finding code's case of `test_checks`, as an event of its own, in one file."""
    cases = []
    for k, (fires, _) in enumerate(CASES[code] for code in sorted(CASES)):
        for claim in fires:
            named = {
                field: [f"k{k}-{cid}" for cid in ([ids] if isinstance(ids, str) else ids)]
                for field in ("retracts", "parts")
                if (ids := claim.get(field))
            }
            given = {key: value for key, value in claim.items() if value is not None}
            cases.append({**given, "id": f"k{k}-{claim['id']}", "event": f"e{k}", **named})
    return write(tmp_path, cases)


@two_processors
def test_a_failing_child_leaves_r3_and_r4_to_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    import figrecon.engine as engine

    fail_in_children(monkeypatch, engine, "attribution", MemoryError())
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one


def test_without_a_child_r3_and_r4_are_applied_in_one_pass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    """The library never forks, nor does a machine of one processor: no parts then."""
    import figrecon
    import figrecon.engine as engine

    seen = tmp_path / "pids"
    record_callers(monkeypatch, engine, "attribution", seen)
    monkeypatch.setattr(rules, "MEANWHILE", 1)
    assert figrecon.check([synthetic]).findings
    assert len(seen.read_text().split()) == 1
    no_second_processor(monkeypatch)
    seen.unlink()
    checked(tmp_path, synthetic)
    assert len(seen.read_text().split()) == 1


def test_without_a_pipe_the_parts_are_all_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """No file descriptor left for the pipe: `in_turn` does everything in this process."""

    def no_pipe() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_pipe)
    monkeypatch.setattr(forked, "allowed", True)
    assert forked.in_turn(lambda: "first", 3, lambda k: k * 10) == ("first", [0, 10, 20])


def test_without_a_second_processor_one_process_checks_it_all(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    forks = no_second_processor(monkeypatch)
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one
    assert not forks
