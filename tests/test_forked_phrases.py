"""The distinct phrases of a large input are read (R1) by a forked process while this one
validates and checks the other fields (`loading.normalize`, `forked.alongside`): the
claims, findings and exit codes are those of one process, whether the child read them,
failed, or could not be had. The inputs are synthetic (bench/generate.py), the real
Kazakhstan file, the hostile corpus, and a file of phrases that cannot be read beside
other problems of the same lines."""

from __future__ import annotations

import os
import pickle
import sys
from pathlib import Path

import pytest

from figrecon.cli import main
from figrecon.loading import normalize
from figrecon.phrases import PhraseError

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

UNREADABLE = """\
id,event,metric,group,value,source,stated_on,low
a1,ev,killed,total,some 12,src-1,2022-01-05,
a2,ev,killed,total,twelve-ish people,src-1,2022-01-06,
a2,ev,killed,total,,src-2,2022-13-06,
a4,ev,killed,total,at least 9 but 3,src-2,2022-01-07,
a5,ev,killed,total,dozens,src-3,2022-01-08,3
a6,ev,killed,total,12 or 13 or 14,src-3,,
a7,ev,killed,bad group!,"  ",src-3,2022-01-09,
"""
"""Phrases that cannot be read, on lines with a duplicate id, an invalid date, a value
beside an explicit number and a missing date; and an invalid group and empty value on
one line (the value's finding, made first, still comes after the group's)."""


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic_claims(tmp_path_factory, seed=13)


@pytest.fixture(scope="module")
def unreadable(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("phrases") / "unreadable.csv"
    path.write_text(UNREADABLE, encoding="utf-8")
    return path


def outputs(tmp_path: Path, path: Path) -> list[tuple[int, bytes]]:
    """`check -f json` and `normalize` of `path`: exit code and bytes of each."""
    out = []
    for args in (["check", "-f", "json"], ["normalize"]):
        target = tmp_path / "out"
        target.unlink(missing_ok=True)
        code = main([args[0], "--quiet", str(path), *args[1:], "-o", str(target)])
        out.append((code, target.read_bytes() if target.exists() else b""))
    return out


def in_one_and_two(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, path: Path
) -> tuple[list[tuple[int, bytes]], list[tuple[int, bytes]]]:
    """The outputs of one process, and of two (the child forked for a single phrase)."""
    made = lambda: outputs(tmp_path, path)  # noqa: E731
    return forks.in_one_and_two(monkeypatch, normalize, "PHRASES_MEANWHILE", made)


@two_processors
def test_two_processes_load_what_one_does(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, unreadable: Path
) -> None:
    for path in (synthetic, KZ, unreadable, *CORPUS):
        one, two = in_one_and_two(monkeypatch, tmp_path, path)
        assert two == one, path.name


@two_processors
def test_the_findings_of_unreadable_phrases_keep_their_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, unreadable: Path
) -> None:
    one, two = in_one_and_two(monkeypatch, tmp_path, unreadable)
    assert two == one
    (checked, report), (normalized, _) = one
    assert (checked, normalized) == (1, 2)  # errors found; nothing normalized
    assert report.count(b'"unparseable-value"') >= 2
    for found in (b"duplicate-id", b"invalid-field", b"invalid-claim", b"missing-field"):
        assert found in report
    assert 0 < report.index(b"is not a slug") < report.index(b"is empty")


@two_processors
def test_the_child_does_read_the_phrases(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path
) -> None:
    seen = tmp_path / "pids"
    record_callers(monkeypatch, normalize, "read_phrases", seen)
    one, two = in_one_and_two(monkeypatch, tmp_path, synthetic)
    assert two == one
    # Twice here (check and normalize) for one process; twice in a child for two.
    pids = seen.read_text().split()
    assert pids[:2] == [str(os.getpid())] * 2
    assert len(pids) == 4
    assert str(os.getpid()) not in pids[2:]


@two_processors
def test_a_failing_child_leaves_the_phrases_to_the_parent(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, synthetic: Path, unreadable: Path
) -> None:
    fail_in_children(monkeypatch, normalize, "read_phrases", MemoryError())
    for path in (synthetic, unreadable):
        one, two = in_one_and_two(monkeypatch, tmp_path, path)
        assert two == one


def test_without_a_second_processor_one_process_reads_them(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, unreadable: Path
) -> None:
    forks = no_second_processor(monkeypatch)
    one, two = in_one_and_two(monkeypatch, tmp_path, unreadable)
    assert two == one
    assert not forks


def test_a_phrase_error_pickles_whole() -> None:
    """The child hands its errors back pickled: text, message and hint survive."""
    error = PhraseError("twelve-ish", "no figure in `twelve-ish`", "write a number")
    back = pickle.loads(pickle.dumps(error))
    assert (back.text, back.message, back.hint) == (error.text, error.message, error.hint)
    assert str(back) == str(error)
    bare = pickle.loads(pickle.dumps(PhraseError("x", "no figure")))
    assert bare.hint is None
