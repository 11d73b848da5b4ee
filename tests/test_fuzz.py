"""Fuzzing the loaders, the phrase reader and the engine with generated claims
(hypothesis), bounded in time: nothing but figrecon's own input error escapes, LOW <=
BEST <= HIGH, and the JSON is byte-identical for any order of the claims and any split
across files and formats. bench/fuzz.py runs the same properties for longer."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import figrecon
from figrecon.errors import FigreconError
from figrecon.phrases import PhraseError, parse_quantity
from fuzzing import claims_strategy, ordered, registry, shuffled, to_claims, write

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reconciled(paths: list[Path], sources: Path | None = None) -> str:
    return figrecon.reconcile(figrecon.load(paths, sources=sources)).model_dump_json()


@FUZZ
@given(claims_strategy, st.randoms(use_true_random=False))
def test_any_claims_give_ordered_figures_whatever_their_order_split_or_format(
    drawn: list[dict[str, Any]], rnd: random.Random
) -> None:
    claims = to_claims(drawn)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        try:
            reference = reconciled([write(folder, "all", claims)])
        except FigreconError:
            return  # a located input error (exit 2) is a documented outcome
        ordered(reference)
        mixed = shuffled(claims, rnd)
        cut = rnd.randint(0, len(mixed))
        parts = [
            write(folder, "one", mixed[:cut], "json"),
            write(folder, "two", mixed[cut:], "ndjson"),
        ]
        assert reconciled(parts, registry(folder)) == reference


@FUZZ
@given(st.text(max_size=60))
def test_any_text_is_a_reading_or_a_phrase_error(text: str) -> None:
    try:
        q = parse_quantity(text)
    except PhraseError as exc:
        problem = str(exc)
    else:
        assert q.hard_low <= q.soft_low <= q.point
        assert q.hard_high is None or q.point <= q.hard_high
        return
    assert problem


@pytest.mark.parametrize("form", ["yaml", "json", "ndjson", "csv"])
@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_are_claims_or_a_located_input_error(form: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"claims.{form}"
        path.write_bytes(data)
        try:
            claims = figrecon.load(path)
        except FigreconError:
            return
        ordered(figrecon.reconcile(claims).model_dump_json())
