"""Helpers for the tests of work done by a forked process (`figrecon.forked`): a function
that records which processes call it, and one that fails in any process but this."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest

from figrecon import forked

ROOT = Path(__file__).parent.parent
KZ = ROOT / "data" / "kazakhstan-2022.yaml"
CORPUS = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.*"))
"""The hostile corpus: every file of it, one by one."""

two_processors = pytest.mark.skipif(
    not forked.two_processors(), reason="needs a fork and two processors"
)
"""For the tests that a child really does its work."""


def synthetic_claims(factory: pytest.TempPathFactory, seed: int) -> Path:
    """A file of 3,000 synthetic claims (bench/generate.py, on the path of the tests)."""
    from generate import generate

    path = factory.mktemp("forked") / "claims.csv"
    generate(path, 3000, 300, 400, seed=seed)
    return path


def record_callers(monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, seen: Path) -> None:
    """`owner.name` writes the pid of each process that calls it, a line each, to `seen`."""
    real = getattr(owner, name)

    def recorded(*args: Any, **kwargs: Any) -> Any:
        with open(seen, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, recorded)


def fail_in_children(
    monkeypatch: pytest.MonkeyPatch, owner: Any, name: str, error: BaseException
) -> None:
    """`owner.name` raises `error` in any process but this one (a forked child's)."""
    parent = os.getpid()
    real = getattr(owner, name)

    def failing_in_a_child(*args: Any, **kwargs: Any) -> Any:
        if os.getpid() != parent:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing_in_a_child)


def no_second_processor(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """No second processor to be had: a list that records each fork (there should be
    none)."""
    monkeypatch.setattr(forked, "two_processors", lambda: False)
    forks: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forks.append(1) or 0)
    return forks


Done = TypeVar("Done")


def in_one_and_two(
    monkeypatch: pytest.MonkeyPatch, owner: Any, threshold: str, made: Callable[[], Done]
) -> tuple[Done, Done]:
    """What `made()` gives in one process, and in two: with `owner.threshold`, the size
    from which the work is forked, set to 1 meanwhile."""
    one = made()
    with monkeypatch.context() as patch:
        patch.setattr(owner, threshold, 1)
        two = made()
    return one, two
