"""R1 for many phrases at once: reading each template (digits masked) once gives what
reading each phrase gives."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figrecon.phrases import PhraseError, Reader
from figrecon.phrases.templates import COLUMNS, quantity_row, read_phrases

FORMS = [
    "{n}",
    "{n:,}",
    "some {n}",
    "about {n:,}",
    "around {n}",
    "approximately {n:,}",
    "nearly {n}",
    "almost {n:,}",
    "more than {n}",
    "over {n:,}",
    "at least {n}",
    "{n}+",
    "{n} or more",
    "up to {n}",
    "as many as {n:,}",
    "at most {n}",
    "fewer than {n}",
    "exactly {n}",
    "precisely {n:,}",
    "{n} exactly",
    "ровно {n}",
    "{n}-{m}",
    "{n} to {m}",
    "between {n} and {m}",
    "from {n:,} to {m:,}",
    "{n:,} people",
    "около {n}",
    "более {n}",
    "не менее {n}",
    "от {n} до {m}",
]


def one_by_one(phrases: list[str]) -> list[object]:
    reader = Reader()
    out: list[object] = []
    for p in phrases:
        try:
            out.append(quantity_row(reader.read(p)))
        except PhraseError as exc:
            out.append(str(exc))
    return out


def batch(phrases: list[str]) -> list[object]:
    columns, errors = read_phrases(Reader(), phrases)
    return [
        str(errors[i]) if i in errors else tuple(columns[name][i] for name in COLUMNS)
        for i in range(len(phrases))
    ]


def same(a: object, b: object) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    assert isinstance(a, tuple)
    assert isinstance(b, tuple)
    return a[0] == b[0] and all(
        (math.isnan(x) and math.isnan(y)) or x == y for x, y in zip(a[1:], b[1:], strict=True)
    )


@given(
    st.lists(
        st.tuples(
            st.sampled_from(FORMS),
            st.integers(0, 30_000_000_000),
            st.integers(0, 3_000_000),
        ),
        min_size=1,
        max_size=40,
    )
)
@settings(max_examples=150, deadline=None)
def test_reading_a_template_once_equals_reading_each_phrase(rows: list) -> None:
    phrases = sorted({form.format(n=n, m=n + m) for form, n, m in rows})
    for got, want in zip(batch(phrases), one_by_one(phrases), strict=True):
        assert same(got, want)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["{n}-{m}", "{n:,}-{m:,}", "{n}–{m:,}", "between {n} and {m}"]),
            st.integers(1, 999),
            st.integers(1, 999),
            st.sampled_from([1, 100, 1000, 1_000_000]),
        ),
        min_size=2,
        max_size=30,
    )
)
@settings(max_examples=150, deadline=None)
def test_a_range_that_may_borrow_its_unit_reads_alike_wherever_it_stands(rows: list) -> None:
    # "2-300" among "5-100"s: the template's first and last phrase read as ranges, and a
    # middle one was read as 2-300 column-wise where one by one it is refused.
    phrases = [form.format(n=n, m=m * unit) for form, n, m, unit in rows]
    for got, want in zip(batch(phrases), one_by_one(phrases), strict=True):
        assert same(got, want)


@pytest.mark.parametrize(
    "phrases",
    [
        ["5-100", "2-300", "6-100"],  # the middle one is refused, as one by one
        ["200", "225", "10,000", "9,900", "0", "1"],  # round and exact in one template
        ["5-6 January", "7-8 January"],  # dates: read one by one
        ["in 2021", "in 2022"],  # years: no figure, the same error as one by one
        ["1,0000", "2,0000"],  # malformed numbers
        ["9.900", "8.800", "9 900", "9\u00a0900"],
        ["12,345,678,901", "99,999,999,999"],  # more than 10^10
        ["rose from 164 to 225", "rose from 165 to 226"],  # changes keep their earlier figure
    ],
)
def test_templates_that_need_one_by_one_reading_get_it(phrases: list[str]) -> None:
    for got, want in zip(batch(phrases), one_by_one(phrases), strict=True):
        assert same(got, want)


def test_a_template_is_read_once_however_many_phrases_share_it() -> None:
    reader = Reader()
    phrases = [f"about {n:,}" for n in range(1000, 10_000, 7)]
    read_phrases(reader, phrases)
    # The template's first and last phrase are checked against the reader: no others.
    assert len(reader._cache) == 2
    columns, _ = read_phrases(Reader(), phrases)
    assert np.array_equal(columns["point"], [float(n) for n in range(1000, 10_000, 7)])
