"""Did-you-mean hints among many choices (`errors.Nearby`): an unknown id a claim
refers to is looked for among the one-edit variants of it, not compared with every id
of the dataset, so that a large file with many unknown references is checked in
seconds (it took over ten minutes for 2,660 of them among 100,000 ids)."""

from __future__ import annotations

import pytest

from figrecon import errors
from figrecon.errors import COMPARED, Nearby
from figrecon.loading import load_with_findings

MANY = {f"c{n:05d}" for n in range(COMPARED + 500)} | {"kz-ab", "kz-ba"}


@pytest.mark.parametrize(
    ("word", "besides", "hint"),
    [
        ("c0012", None, "c00012"),  # a character left out (the smallest of several)
        ("c00012x", None, "c00012"),  # one added
        ("c00O12", None, "c00012"),  # one changed
        ("0c0012", None, "c00012"),  # two neighbours swapped
        ("kz-bb", None, "kz-ab"),  # the smallest of two
        ("kz-bb", "kz-ab", "kz-ba"),  # a claim's own id is not offered
        ("zzzzzz", None, None),  # nothing one edit away
        ("c" + "0" * 300, None, None),  # too long to look for
    ],
)
def test_nearby_finds_the_choices_one_edit_away(
    word: str, besides: str | None, hint: str | None
) -> None:
    got = Nearby(MANY).hint(word, besides)
    assert got == (f" (did you mean `{hint}`?)" if hint else "")


def test_nearby_never_compares_a_word_with_many_choices(monkeypatch) -> None:
    def compared(word: str, choices: tuple[str, ...]) -> None:
        raise AssertionError(f"{word} compared with {len(choices)} choices")

    monkeypatch.setattr(errors, "_closest", compared)
    nearby = Nearby(MANY)
    assert nearby.hint("c0001x") == " (did you mean `c00010`?)"
    assert nearby.hint("c0001x") == " (did you mean `c00010`?)"  # found once, kept


def test_nearby_compares_a_word_with_few_choices() -> None:
    few = {"c00012", "c99999", "other"}
    # difflib's closest, which one-edit variants would miss (two characters apart)
    assert Nearby(few).hint("c0012x") == " (did you mean `c00012`?)"
    assert Nearby(few).hint("c00012", besides="c00012") == ""


def test_many_unknown_references_get_their_hints(write) -> None:
    ids = [f"c{n:05d}" for n in range(COMPARED + 1000)]
    lines = ["id,event,metric,value,source,stated_on,retracts"]
    for n, i in enumerate(ids):
        target = f"c{n - 1:05d}x" if n % 3 == 0 and n else ""  # one character too many
        lines.append(f"{i},e,killed,{n + 1},s{n % 7},2022-01-01,{target}")
    path = write("claims.csv", "\n".join(lines) + "\n")
    _, findings = load_with_findings(path)
    refs = [f for f in findings if f.code == "unknown-reference" and f.field == "retracts"]
    assert len(refs) == len(range(3, len(ids), 3))
    first = refs[0]
    assert first.message == "retracts `c00002x`, but no claim has that id"
    assert first.hint == "check the id (did you mean `c00002`?)"


def test_nearby_makes_no_variants_of_a_length_no_choice_has(monkeypatch) -> None:
    def made(word: str, alphabet: str, kinds: set[str]) -> set[str]:
        raise AssertionError(f"variants of {word!r} made")

    monkeypatch.setattr(errors, "_one_edit", made)
    assert Nearby(MANY).hint("x" * 150) == ""  # the choices have 5 or 6 characters


def test_nearby_gives_no_more_hints_once_its_budget_is_spent(monkeypatch) -> None:
    few = {f"c{n:05d}" for n in range(100)}
    # Room for two words of 7 characters among 100 choices (160 per choice and
    # character of the word, and one more).
    monkeypatch.setattr(errors, "BUDGET", 2 * 160.0 * 100 * 8)
    nearby = Nearby(few)
    hints = [nearby.hint(word) for word in ("c00012x", "c00013x", "c00014x", "c00012x")]
    assert hints == [
        " (did you mean `c00012`?)",
        " (did you mean `c00013`?)",
        "",  # the budget is spent
        " (did you mean `c00012`?)",  # a word looked for already keeps its hint
    ]
