"""R1: how a phrase becomes an interval. One case per row and example of the table in
RECONCILIATION.md, every number form, figures inside text, Russian, and profiles."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from figrecon.phrases import PhraseError, PhraseTableError, Reader, parse_quantity
from figrecon.phrases.intervals import QUALIFIER_KIND, number_quantity
from figrecon.phrases.tables import load_language

OPEN = None


def reading(text: str, **kwargs: str) -> tuple[str, list[float | None], list[float | None], float]:
    q = parse_quantity(text, **kwargs)
    return q.kind.value, [q.hard_low, q.hard_high], [q.soft_low, q.soft_high], q.point


# (phrase, kind, hard, soft, point): the R1 table row by row, then its examples.
TABLE = [
    # exact and round numbers
    ("164", "exact", [164, 164], [164, 164], 164),
    ("225", "exact", [225, 225], [225, 225], 225),
    ("200", "round", [180, 220], [180, 220], 200),
    ("9,900", "round", [9850, 9950], [9850, 9950], 9900),
    ("10,000", "round", [9000, 11000], [9000, 11000], 10000),
    # about / around / approximately / roughly / some / an estimated / circa / ~
    ("about 164", "approx", [156, 172], [156, 172], 164),
    ("around 230", "approx", [225, 235], [225, 235], 230),
    ("approximately 50", "approx", [45, 55], [45, 55], 50),
    ("roughly 7", "approx", [6, 8], [6, 8], 7),
    ("some 9,900", "approx", [9850, 9950], [9850, 9950], 9900),
    ("an estimated 1,200", "approx", [1150, 1250], [1150, 1250], 1200),
    ("circa 300", "approx", [270, 330], [270, 330], 300),
    ("~40", "approx", [36, 44], [36, 44], 40),
    # nearly / almost / close to / just under
    ("nearly 10,000", "approx_below", [9500, 9999], [9500, 9999], 9749.5),
    ("almost 400", "approx_below", [380, 399], [380, 399], 389.5),
    ("close to 164", "approx_below", [156, 163], [156, 163], 159.5),
    ("just under 50", "approx_below", [48, 49], [48, 49], 48.5),
    # more than / over / in excess of / upwards of
    ("more than 10,000", "lower_bound", [10001, OPEN], [10001, 12000], 10001),
    ("more than 200", "lower_bound", [201, OPEN], [201, 240], 201),
    ("over 164", "lower_bound", [165, OPEN], [165, OPEN], 165),
    ("in excess of 5,000", "lower_bound", [5001, OPEN], [5001, 6000], 5001),
    ("upwards of 300", "lower_bound", [301, OPEN], [301, 360], 301),
    # at least / no fewer than / a minimum of / n+
    ("at least 164", "lower_bound", [164, OPEN], [164, OPEN], 164),
    ("no fewer than 230", "lower_bound", [230, OPEN], [230, 240], 230),
    ("a minimum of 50", "lower_bound", [50, OPEN], [50, 60], 50),
    ("230+", "lower_bound", [230, OPEN], [230, 240], 230),
    # up to / as many as
    ("up to 50", "upper_bound", [0, 50], [40, 50], 50),
    ("as many as 9,900", "upper_bound", [0, 9900], [9800, 9900], 9900),
    ("as high as 20,000", "upper_bound", [0, 20000], [16000, 20000], 20000),
    ("up to 51", "upper_bound", [0, 51], [26, 51], 51),
    # at most / no more than
    ("at most 200", "upper_bound", [0, 200], [160, 200], 200),
    ("no more than 164", "upper_bound", [0, 164], [82, 164], 164),
    # fewer than / less than / under
    ("fewer than 50", "upper_bound", [0, 49], [40, 49], 49),
    ("less than 1,000", "upper_bound", [0, 999], [800, 999], 999),
    ("under 30", "upper_bound", [0, 29], [24, 29], 29),
    # between a and b, a-b, a to b
    ("between 225 and 240", "range", [225, 240], [225, 240], 232.5),
    ("225-240", "range", [225, 240], [225, 240], 232.5),
    ("225–240", "range", [225, 240], [225, 240], 232.5),
    ("225 to 240", "range", [225, 240], [225, 240], 232.5),
    # vague words
    ("a couple", "vague", [2, 3], [2, 3], 2),
    ("a couple of", "vague", [2, 3], [2, 3], 2),
    ("a few", "vague", [2, 5], [2, 5], 2),
    ("a handful", "vague", [2, 9], [2, 9], 2),
    ("several", "vague", [3, 9], [3, 9], 3),
    ("a dozen", "approx", [10, 14], [10, 14], 12),
    ("about a dozen", "approx", [10, 14], [10, 14], 12),
    ("over a dozen", "lower_bound", [13, OPEN], [13, 23], 13),
    ("more than a dozen", "lower_bound", [13, OPEN], [13, 23], 13),
    ("dozens", "vague", [24, 99], [24, 99], 24),
    ("scores", "vague", [40, 199], [40, 199], 40),
    ("tens", "vague", [20, 99], [20, 99], 20),
    ("hundreds", "vague", [200, 999], [200, 999], 200),
    ("thousands", "vague", [2000, 9999], [2000, 9999], 2000),
    ("tens of thousands", "vague", [20000, 99999], [20000, 99999], 20000),
    ("hundreds of thousands", "vague", [200000, 999999], [200000, 999999], 200000),
    ("many", "vague", [10, OPEN], [10, 99], 10),
    ("numerous", "vague", [10, OPEN], [10, 99], 10),
    ("a large number", "vague", [10, OPEN], [10, 99], 10),
]


@pytest.mark.parametrize(
    ("phrase", "kind", "hard", "soft", "point"), TABLE, ids=[row[0] for row in TABLE]
)
def test_r1_table(phrase: str, kind: str, hard: list, soft: list, point: float) -> None:
    assert reading(phrase) == (kind, hard, soft, point)


NUMBER_FORMS = [
    ("9,900", 9900),
    ("9 900", 9900),
    ("9\u2009900", 9900),
    ("9\u00a0900", 9900),
    ("9\u202f900", 9900),
    ("9.900", 9900),
    ("9'900", 9900),
    ("9’900", 9900),
    ("1,234,567", 1234567),
    ("1.234.567", 1234567),
    ("10k", 10000),
    ("10K", 10000),
    ("2.5 thousand", 2500),
    ("9.5 thousand", 9500),
    ("1.2 million", 1200000),
    ("1.2m", 1200000),
    ("2,500 thousand", 2500000),
    ("twelve", 12),
    ("twenty-five", 25),
    ("two hundred and five", 205),
    ("a hundred", 100),
    ("a thousand", 1000),
    ("three thousand", 3000),
    ("eight", 8),
    ("۲۲۵", 225),
]


@pytest.mark.parametrize(("phrase", "value"), NUMBER_FORMS, ids=[p for p, _ in NUMBER_FORMS])
def test_number_forms(phrase: str, value: int) -> None:
    assert parse_quantity(phrase).figure == value


@pytest.mark.parametrize(
    ("phrase", "kind", "hard"),
    [
        ("some 9,900 protesters have been arrested and are in detention", "approx", [9850, 9950]),
        ("On January 11, 2022, officials said 225 people died", "exact", [225, 225]),
        ("in 2022, 225 people died", "exact", [225, 225]),
        ("Kazakhstan has detained 1,678 more people in the past 24 hours", "exact", [1678, 1678]),
        (
            "More than 10,000 people have been detained during the past two weeks",
            "lower_bound",
            [10001, None],
        ),
        ("There were about 3,500 law enforcers, or 80% of the total", "approx", [3450, 3550]),
        ("as of 11.01.2022, 9 900 were detained", "round", [9850, 9950]),
        ("updated 2022-01-15 10:40: 225 dead", "exact", [225, 225]),
        ("2022 people were detained", "exact", [2022, 2022]),
        ("Dozens of assailants have been eliminated", "vague", [24, 99]),
        ("several hundred", "vague", [300, 900]),
        ("a few thousand", "vague", [2000, 5000]),
        ("2-3 thousand", "range", [2000, 3000]),
        ("between 2 and 3 million", "range", [2000000, 3000000]),
        ("at least eight members of the security forces", "lower_bound", [8, None]),
        ("the Covid-19 ward took 40 patients", "round", [36, 44]),
    ],
)
def test_figures_inside_text(phrase: str, kind: str, hard: list) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, [q.hard_low, q.hard_high]) == (kind, hard)


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("no figure here", "no figure in 'no figure here'"),
        ("on January 11, 2022", "no figure in 'on January 11, 2022'"),
        (
            "26 demonstrators and 18 policemen",
            "several figures in '26 demonstrators and 18 policemen' (26, 18)",
        ),
        (
            "dozens killed and 225 injured",
            "several figures in 'dozens killed and 225 injured' (dozens, 225)",
        ),
        ("9.5", "'9.5' is not a whole number of people"),
        ("", "the value is empty"),
    ],
)
def test_phrases_that_do_not_state_one_figure_are_errors_quoting_them(
    phrase: str, message: str
) -> None:
    with pytest.raises(PhraseError) as info:
        parse_quantity(phrase)
    assert info.value.message == message


RUSSIAN = [
    ("более 10 тысяч", "lower_bound", [10001, OPEN], [10001, 12000], 10001),
    ("свыше 200", "lower_bound", [201, OPEN], [201, 240], 201),
    ("больше 164", "lower_bound", [165, OPEN], [165, OPEN], 165),
    ("не менее 164", "lower_bound", [164, OPEN], [164, OPEN], 164),
    ("около 9 900", "approx", [9850, 9950], [9850, 9950], 9900),
    ("примерно 230", "approx", [225, 235], [225, 235], 230),
    ("порядка 5 тысяч", "approx", [4500, 5500], [4500, 5500], 5000),
    ("почти 12 000", "approx_below", [11400, 11999], [11400, 11999], 11699.5),
    ("почти что 400", "approx_below", [380, 399], [380, 399], 389.5),
    ("до 50", "upper_bound", [0, 50], [40, 50], 50),
    ("9,9 тыс.", "round", [9850, 9950], [9850, 9950], 9900),
    ("2,5 тыс.", "round", [2450, 2550], [2450, 2550], 2500),
    ("десятки", "vague", [20, 99], [20, 99], 20),
    ("сотни", "vague", [200, 999], [200, 999], 200),
    ("тысячи", "vague", [2000, 9999], [2000, 9999], 2000),
    ("десятки тысяч", "vague", [20000, 99999], [20000, 99999], 20000),
    # "several hundred" in either language is several x 100 (an R1 multiple).
    ("несколько сотен", "vague", [300, 900], [300, 900], 300),
    # Halves made whole by a multiplier, collective numerals, units as words.
    ("полторы тысячи", "round", [1450, 1550], [1450, 1550], 1500),
    ("более полутора тысяч", "lower_bound", [1501, OPEN], [1501, 1600], 1501),
    ("около полутора тысяч", "approx", [1450, 1550], [1450, 1550], 1500),
    ("пятеро погибших", "exact", [5, 5], [5, 5], 5),
    ("более полусотни", "lower_bound", [51, OPEN], [51, 60], 51),
    ("полмиллиона", "round", [450000, 550000], [450000, 550000], 500000),
    ("сотня", "round", [90, 110], [90, 110], 100),
    ("несколько десятков", "vague", [30, 90], [30, 90], 30),
    ("пару сотен", "vague", [200, 300], [200, 300], 200),
    ("сотен", "vague", [200, 999], [200, 999], 200),
    ("две сотни", "round", [180, 220], [180, 220], 200),
    ("двести пять", "exact", [205, 205], [205, 205], 205),
    ("сорок два", "exact", [42, 42], [42, 42], 42),
    ("две тысячи", "round", [1800, 2200], [1800, 2200], 2000),
    ("тысяча", "round", [900, 1100], [900, 1100], 1000),
    ("три тысячи двести", "round", [3150, 3250], [3150, 3250], 3200),
    ("от 10 до 20", "range", [10, 20], [10, 20], 15),
    ("9 900 человек задержано правоохранителями", "round", [9850, 9950], [9850, 9950], 9900),
    ("11 января 2022 года задержаны 4 404 человека", "exact", [4404, 4404], [4404, 4404], 4404),
]


@pytest.mark.parametrize(
    ("phrase", "kind", "hard", "soft", "point"), RUSSIAN, ids=[r[0] for r in RUSSIAN]
)
def test_russian_table(phrase: str, kind: str, hard: list, soft: list, point: float) -> None:
    assert reading(phrase) == (kind, hard, soft, point)


def test_language_is_detected_from_the_script_or_set() -> None:
    reader = Reader()
    assert reader.detect("более 10 тысяч").code == "ru"
    assert reader.detect("more than 10,000").code == "en"
    with pytest.raises(PhraseError):
        parse_quantity("9,9", lang="ru")  # a decimal in Russian: not a whole count
    assert parse_quantity("2,265", lang="ru").figure == 2265


ACLED = [
    ("dozens", 12, [12, 99]),
    ("tens", 10, [10, 99]),
    ("hundreds", 100, [100, 999]),
    ("thousands", 1000, [1000, 9999]),
    ("several", 3, [3, 9]),
    ("a few", 3, [3, 5]),
    ("many", 10, [10, None]),
]


@pytest.mark.parametrize(("phrase", "point", "hard"), ACLED)
def test_acled_profile_uses_fixed_points_as_low_and_point(
    phrase: str, point: int, hard: list
) -> None:
    q = parse_quantity(phrase, profile="acled")
    assert (q.point, q.hard_low, [q.hard_low, q.hard_high]) == (point, point, hard)


def test_user_profile_file_overrides_and_adds_words(tmp_path: Path) -> None:
    profile = tmp_path / "mine.yaml"
    profile.write_text(
        "name: mine\nvague:\n  dozens: {kind: vague, hard: [24, 99], point: 36}\n"
        "words:\n  en:\n    vague: {a bunch of: several}\n    qualifiers: {approx: [give or take]}\n"
    )
    reader = Reader(str(profile))
    assert reader.read("dozens").point == 36
    assert reader.read("hundreds").point == 200  # extends the default profile
    assert reader.read("a bunch of").hard_low == 3
    assert reader.read("give or take 50").kind.value == "approx"


def test_bad_profile_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("vague:\n  dozens: {kind: vague, hard: [24, 99], point: 500}\n")
    with pytest.raises(PhraseTableError, match="point <= hard high"):
        Reader(str(bad))
    with pytest.raises(PhraseTableError, match="no profile 'nope'"):
        Reader("nope")


def test_a_new_language_is_a_table_file(tmp_path: Path) -> None:
    table = tmp_path / "de.yaml"
    table.write_text(
        "language: de\nscript: LATIN\ndecimal_mark: ','\n"
        "qualifiers:\n  approx: [etwa, rund]\n  at_least: [mindestens]\n  more_than: [mehr als]\n"
        "vague:\n  dutzende: dozens\n  hunderte: hundreds\n"
        "numbers: {zwei: 2, drei: 3}\nmultipliers: {tausend: 1000, hundert: 100}\n"
        "range_joiners: ['-', bis]\nrange_prefixes: [zwischen]\nprefixed_joiners: [und]\n"
    )
    reader = Reader(lang=str(table))
    assert reader.read("mindestens 230").kind.value == "lower_bound"
    assert reader.read("etwa 9.900").hard_low == 9850
    assert reader.read("Dutzende").point == 24
    assert reader.read("zwischen 2 und 3 tausend").hard_high == 3000
    assert load_language(str(table)).code == "de"


def test_each_distinct_phrase_is_read_once() -> None:
    reader = Reader()
    first = reader.read("some 9,900")
    assert reader.read("some 9,900") is first
    assert len(reader._cache) == 1


def test_parse_does_not_import_pandas() -> None:
    code = (
        "import sys; from figrecon.cli import main; "
        "main(['parse', 'some 9,900', '--format', 'json']); print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_parse_command_json(run) -> None:
    import json

    out = run("parse", "some 9,900", "more than 10,000", "dozens", "--format", "json").stdout
    data = json.loads(out)
    assert [d["hard"] for d in data] == [[9850, 9950], [10001, None], [24, 99]]
    assert data[1]["soft"] == [10001, 12000]
    assert {d["profile"] for d in data} == {"default"}


def test_parse_command_exits_2_on_an_unreadable_phrase(run) -> None:
    result = run("parse", "no figure")
    assert result.exit_code == 2


# --- properties ------------------------------------------------------------------------


def _consistent(q) -> None:  # type: ignore[no-untyped-def]
    hard_high = math.inf if q.hard_high is None else q.hard_high
    soft_high = math.inf if q.soft_high is None else q.soft_high
    assert q.hard_low <= q.soft_low <= soft_high <= hard_high
    assert q.hard_low <= q.point <= hard_high
    assert q.soft_low <= q.point or q.kind.value == "upper_bound"


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([None, *QUALIFIER_KIND]))
def test_soft_lies_within_hard_and_point_within_hard(n: int, qualifier: str | None) -> None:
    if n == 0 and qualifier in ("fewer_than", "approx_below"):  # no count lies below 0
        with pytest.raises(PhraseError):
            number_quantity(str(n), n, qualifier)
        return
    _consistent(number_quantity(str(n), n, qualifier))


EN = load_language("en")
RU = load_language("ru")
EN_QUALIFIERS = sorted((" ".join(k), v) for k, v in EN.qualifiers.items() if k[0].isalpha())
RU_QUALIFIERS = sorted((" ".join(k), v) for k, v in RU.qualifiers.items() if k[0].isalpha())


@given(st.integers(min_value=1, max_value=10**8), st.sampled_from(EN_QUALIFIERS))
def test_any_english_qualifier_and_figure_reads_consistently(
    n: int, qualifier: tuple[str, str]
) -> None:
    phrase, name = qualifier
    q = parse_quantity(f"{phrase} {n:,}")
    assert q.figure == n
    assert q.kind == QUALIFIER_KIND[name]
    _consistent(q)


@given(st.integers(min_value=1, max_value=10**8), st.sampled_from(RU_QUALIFIERS))
def test_any_russian_qualifier_and_figure_reads_consistently(
    n: int, qualifier: tuple[str, str]
) -> None:
    phrase, name = qualifier
    q = parse_quantity(f"{phrase} {n:,}".replace(",", " "))
    assert q.figure == n
    assert q.kind == QUALIFIER_KIND[name]
    _consistent(q)


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_arbitrary_text_gives_a_reading_or_a_clear_error(text: str) -> None:
    error: PhraseError | None = None
    try:
        q = parse_quantity(text)
    except PhraseError as exc:
        error = exc
    else:
        _consistent(q)
    if error is not None:
        assert error.message


REVIEWED = [
    # A qualifier's words are never the figure, and a figure it introduces is no year.
    ("as many as 2000 in Almaty", "upper_bound", [0, 2000]),
    ("as many as 200 may have died", "upper_bound", [0, 200]),
    ("in excess of 2000", "lower_bound", [2001, None]),
    ("upwards of 2000", "lower_bound", [2001, None]),
    ("a total of 2000 people", "round", [1800, 2200]),
    ("2000 in Almaty", "round", [1800, 2200]),
    ("over 2000 since January", "lower_bound", [2001, None]),
    ("from 2000 to 3000", "range", [2000, 3000]),
    ("200 may have died", "round", [180, 220]),
    ("Jan. 7, 200 killed", "round", [180, 220]),
    ("at least dozens", "lower_bound", [24, None]),
    ("200-plus", "lower_bound", [200, None]),
    ("half a dozen", "approx", [5, 7]),
    # Russian: a singular unit after a qualifier is one unit, not a vague plural.
    ("более тысячи", "lower_bound", [1001, None]),
    ("около тысячи", "approx", [900, 1100]),
    ("до тысячи", "upper_bound", [0, 1000]),
    ("около сотни", "approx", [90, 110]),
    ("более десятка", "lower_bound", [11, None]),
    ("около миллиона", "approx", [900000, 1100000]),
    ("5-го января задержаны 200 человек", "round", [180, 220]),
]


@pytest.mark.parametrize(("phrase", "kind", "hard"), REVIEWED, ids=[r[0] for r in REVIEWED])
def test_phrases_that_were_once_misread(phrase: str, kind: str, hard: list) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, [q.hard_low, q.hard_high]) == (kind, hard)


def test_units_of_length_are_not_counts() -> None:
    with pytest.raises(PhraseError, match="no figure"):
        parse_quantity("200 km from the capital")


@pytest.mark.parametrize(
    ("phrase", "kind", "hard", "soft", "point"),
    [
        # A qualifier before "a dozen" bounds the unit, 12 (R1's at least / up to rows).
        ("at least a dozen", "lower_bound", [12, OPEN], [12, OPEN], 12),
        ("up to a dozen", "upper_bound", [0, 12], [6, 12], 12),
        ("fewer than a dozen", "upper_bound", [0, 11], [6, 11], 11),
        ("over a dozen", "lower_bound", [13, OPEN], [13, 23], 13),
        # "or so" is about.
        ("9,900 or so", "approx", [9850, 9950], [9850, 9950], 9900),
        ("164 or so", "approx", [156, 172], [156, 172], 164),
    ],
)
def test_qualified_units_and_or_so(
    phrase: str, kind: str, hard: list[float], soft: list[float], point: float
) -> None:
    q = parse_quantity(phrase)
    assert (q.kind, [q.hard_low, q.hard_high], [q.soft_low, q.soft_high], q.point) == (
        kind,
        hard,
        soft,
        point,
    )


def test_a_half_alone_is_not_a_count() -> None:
    with pytest.raises(PhraseError, match="not a whole number"):
        parse_quantity("полтора")


@pytest.mark.parametrize("phrase", ["1,0000", "5,00", "1,234,56", "some 12,34 people"])
def test_a_malformed_number_is_an_error_not_a_guess(phrase: str) -> None:
    with pytest.raises(PhraseError, match="is not a well-formed number"):
        parse_quantity(phrase)


@pytest.mark.parametrize("phrase", ["at le\u0430st 230", "oколо 200", "s\u043eme 9,900"])
def test_a_word_of_two_alphabets_is_an_error(phrase: str) -> None:
    # A Cyrillic а in "least" matched no qualifier: the floor read as a bare 230.
    with pytest.raises(PhraseError, match="mixes Cyrillic and Latin letters"):
        parse_quantity(phrase)


@pytest.mark.parametrize("phrase", ["fewer than 0", "nearly 0", "under 0 people"])
def test_a_count_below_zero_is_an_error(phrase: str) -> None:
    with pytest.raises(PhraseError, match="puts the count below 0"):
        parse_quantity(phrase)


def test_a_count_below_zero_is_an_error_on_the_columnar_path_too(tmp_path: Path) -> None:
    import figrecon

    path = tmp_path / "claims.csv"
    values = ["fewer than 5", "fewer than 7", "fewer than 0", "fewer than 9"]
    rows = "".join(f"c{i},e,killed,{v},s,2022-01-0{i + 1}\n" for i, v in enumerate(values))
    path.write_text("id,event,metric,value,source,stated_on\n" + rows, encoding="utf-8")
    with pytest.raises(figrecon.InputError) as info:
        figrecon.load(path)
    (finding,) = info.value.findings
    assert finding.line == 4
    assert "puts the count below 0" in finding.message


@pytest.mark.parametrize("phrase", ["225¹", "at least 230³", "225 ²", "₁₂₀ killed"])
def test_a_superscript_digit_is_an_error_not_a_digit_of_the_figure(phrase: str) -> None:
    # NFKC would make "225¹" (a footnote mark pasted with the figure) 2251.
    with pytest.raises(PhraseError, match="superscript or subscript digit"):
        parse_quantity(phrase)


def test_a_superscript_digit_is_an_error_on_the_columnar_path_too(tmp_path: Path) -> None:
    import figrecon

    path = tmp_path / "claims.csv"
    rows = "".join(f"c{i},e,killed,{v},s,2022-01-05\n" for i, v in enumerate(["225¹", "226¹"] * 3))
    path.write_text("id,event,metric,value,source,stated_on\n" + rows, encoding="utf-8")
    with pytest.raises(figrecon.InputError) as info:
        figrecon.load(path)
    assert len(info.value.findings) == 6
    assert all("superscript" in f.message for f in info.value.findings)


@pytest.mark.parametrize(
    ("phrase", "denial"),
    [
        ("not at least 200", "'not at least 200'"),  # was read as at least 200
        ("never fewer than 20", "'never fewer than 20'"),  # was read as at most 19
        ("not 300", "'not 300'"),  # was read as 300
        ("not many", "'not many'"),  # was read as many: 10 or more
        ("not between 5 and 10", "'not between 5 and 10'"),
        ("there weren't more than 50 dead", '"weren\'t more than 50"'),
        ("не около 200", "'не около 200'"),
        # A weak vague word beside it is no second figure ("many of them children").
        ("not at least 200, many of them children", "'not at least 200'"),
        ("never fewer than 20, several of them children", "'never fewer than 20'"),
    ],
)
def test_a_denied_figure_is_an_error_not_the_figure_it_denies(phrase: str, denial: str) -> None:
    with pytest.raises(PhraseError, match="denies its figure") as info:
        parse_quantity(phrase)
    assert str(info.value).startswith(denial)


@pytest.mark.parametrize(
    ("phrase", "kind", "point"),
    [
        ("no more than 200", "upper_bound", 200),
        ("not more than 200", "upper_bound", 200),
        ("not fewer than 30", "lower_bound", 30),
        ("no fewer than 30", "lower_bound", 30),
        ("not quite 300", "approx_below", 292),
        ("not one", "exact", 0),
        ("at least 200, not counting soldiers", "lower_bound", 200),
        ("не менее 200", "lower_bound", 200),
        ("не свыше 200", "upper_bound", 200),
    ],
)
def test_qualifiers_that_begin_with_a_denial_are_read(phrase: str, kind: str, point: float) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, q.point) == (kind, point)


def test_a_table_without_negations_reads_as_before(tmp_path: Path) -> None:
    # `negations` is optional: a user's table written before it reads "not 300" as 300.
    import yaml

    table = yaml.safe_load(
        (Path(__file__).parent.parent / "src/figrecon/phrases/en.yaml").read_text("utf-8")
    )
    del table["negations"]
    table["language"] = "xx"
    path = tmp_path / "xx.yaml"
    path.write_text(yaml.safe_dump(table), encoding="utf-8")
    assert Reader(lang=str(path)).read("not 300").point == 300


@pytest.mark.parametrize(
    ("phrase", "point"), [("1,234,567", 1234567), ("10 000 000", 10000000), ("9'900", 9900)]
)
def test_well_grouped_numbers_still_read(phrase: str, point: int) -> None:
    assert parse_quantity(phrase).point == point


@pytest.mark.parametrize(
    ("phrase", "point"),
    [
        ("half a million", 500000),
        ("about half a million", 500000),
        ("one and a half thousand", 1500),
        ("half a dozen", 6),  # still the R1-style vague row
    ],
)
def test_halves_with_a_unit(phrase: str, point: int) -> None:
    assert parse_quantity(phrase).point == point


@pytest.mark.parametrize(
    ("phrase", "point"),
    [("225 killed on 5-6 January", 225), ("5–6 января погибли 225", 225)],
)
def test_a_range_of_days_next_to_a_month_is_a_date(phrase: str, point: int) -> None:
    assert parse_quantity(phrase).point == point


@pytest.mark.parametrize("phrase", ["Jan 5-6", "5-6 January 2022"])
def test_a_date_range_alone_is_no_figure(phrase: str) -> None:
    with pytest.raises(PhraseError, match="no figure"):
        parse_quantity(phrase)


@pytest.mark.parametrize("phrase", ["1.5-2 thousand", "between 1.5 and 2 thousand"])
def test_a_decimal_range_end_made_whole_by_the_multiplier(phrase: str) -> None:
    q = parse_quantity(phrase)
    assert (q.kind, q.hard_low, q.hard_high) == ("range", 1500, 2000)


def test_a_decimal_range_without_a_multiplier_is_refused() -> None:
    with pytest.raises(PhraseError, match="not a whole number"):
        parse_quantity("1.5-2")


@pytest.mark.parametrize(
    ("phrase", "hard"), [("100s", [200, 999]), ("1000s of people", [2000, 9999]), ("10s", [20, 99])]
)
def test_headline_plurals_are_the_vague_words(phrase: str, hard: list[int]) -> None:
    q = parse_quantity(phrase)
    assert (q.kind, [q.hard_low, q.hard_high]) == ("vague", hard)


# R1 changes: the later figure with its own qualifier; the earlier one is not part of it.
CHANGES = [
    ("rose from 164 to 225", "exact", [225, 225], 164),
    ("up from 164 to 225", "exact", [225, 225], 164),
    ("climbed to 225 from 164", "exact", [225, 225], 164),
    ("revised down from 230 to 225", "exact", [225, 225], 230),
    ("выросло с 164 до 225", "exact", [225, 225], 164),
    ("rose from dozens to at least 225", "lower_bound", [225, OPEN], 24),
    ("the toll rose sharply from 164 to about 230 on Monday", "approx", [225, 235], 164),
    ("225, up from 164", "exact", [225, 225], 164),
    ("fell to nearly 200 from 230", "approx_below", [190, 199], 230),
    ("increased by 20 to 225", "exact", [225, 225], None),
    ("выросло на 20 до 225", "exact", [225, 225], None),
]


@pytest.mark.parametrize(("phrase", "kind", "hard", "earlier"), CHANGES)
def test_r1_a_change_states_the_later_figure(
    phrase: str, kind: str, hard: list, earlier: float | None
) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, [q.hard_low, q.hard_high], q.changed_from) == (kind, hard, earlier)


@pytest.mark.parametrize(
    ("phrase", "hard"),
    [("from 30 to 40 people", [30, 40]), ("от 30 до 40 человек", [30, 40])],
)
def test_r1_a_bare_from_to_is_still_a_range(phrase: str, hard: list) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, [q.hard_low, q.hard_high], q.changed_from) == ("range", hard, None)


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("rose from 164", "'rose from 164' gives only the earlier figure of a change"),
        ("rose by 20", "'rose by 20' gives only the size of a change"),
    ],
)
def test_r1_a_change_without_its_later_figure_is_an_error(phrase: str, message: str) -> None:
    with pytest.raises(PhraseError) as err:
        parse_quantity(phrase)
    assert err.value.message == message


@pytest.mark.parametrize("phrase", ["updated to 225", "rose to 225", "up to 50", "changed: 225"])
def test_r1_a_change_verb_without_from_reads_as_usual(phrase: str) -> None:
    assert parse_quantity(phrase).changed_from is None


@pytest.mark.parametrize(
    ("phrase", "kind", "point"),
    [
        # The word before the figure picks the table: the Russian qualifier was lost
        # (read by the English table, as a bare 200) when English words stood beside it.
        ("около 200 people", "approx", 200),
        ("Reuters: более 200", "lower_bound", 201),
        ("более 200 killed", "lower_bound", 201),
        ("ТАСС: more than 200", "lower_bound", 201),
        ("more than 200 человек", "lower_bound", 201),
        ("Reuters: 200 человек", "round", 200),
        # A date before the figure picked the table by its digits: qualifiers were lost.
        ("МВД, 2022-01-05: more than 200", "lower_bound", 201),
        ("ТАСС 05.01.2022: at least 200", "lower_bound", 200),
        ("Алматы, 5 Jan: over 200", "lower_bound", 201),
    ],
)
def test_a_phrase_of_two_alphabets_is_read_by_the_table_that_reads_its_words(
    phrase: str, kind: str, point: float
) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, q.point) == (kind, point)


@pytest.mark.parametrize(
    "phrase", ["exactly 10", "precisely 200", "10 exactly", "ровно 10", "exactly a dozen"]
)
def test_exactly_reads_an_exact_number_not_a_round_one(phrase: str) -> None:
    # "exactly 10" (ten named firefighters) read as a round 10, 9-11.
    q = parse_quantity(phrase)
    assert (q.kind.value, q.hard_low, q.hard_high) == ("exact", q.point, q.point)


@pytest.mark.parametrize(
    ("phrase", "low", "high"),
    [
        # The second end was dropped ("15k" read alone), or multiplied the first again.
        ("15k-20k", 15_000, 20_000),
        ("1m-2m", 1_000_000, 2_000_000),
        ("15 thousand-20 thousand", 15_000, 20_000),
        ("15,000-20k", 15_000, 20_000),
        ("2-3 thousand", 2_000, 3_000),
        # Number words joined by a dash were added together (500, 12,000, 50).
        ("двести-триста", 200, 300),
        ("пять-семь тысяч", 5_000, 7_000),
        ("два-три десятка", 20, 30),
        ("two-three hundred", 200, 300),
        # Ranges as written, where the first end cannot take the second's zeros.
        ("5-100", 5, 100),
        ("1-20", 1, 20),
        ("10-2,000", 10, 2_000),
        ("1831-2114", 1_831, 2_114),
        ("between 2 and 300", 2, 300),
        ("about 200-300", 200, 300),
    ],
)
def test_ranges_with_multipliers_and_number_words(phrase: str, low: int, high: int) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, q.hard_low, q.hard_high) == ("range", low, high)


@pytest.mark.parametrize(
    ("phrase", "message"),
    [
        ("20-30,000", "may run from 20 or from 20,000 to 30,000"),
        ("2-300", "may run from 2 or from 200 to 300"),
        ("9-10,000", "may run from 9 or from 9,000 to 10,000"),
        ("50-100,000", "may run from 50 or from 50,000 to 100,000"),
        ("at least 200-300", "puts a bound on a range"),
        ("200-300 or more", "puts a bound on a range"),
        ("свыше 200-300", "puts a bound on a range"),
        ("fewer than 10-20", "puts a bound on a range"),
        ("over 300 at most", "has two qualifiers that contradict each other (more than, at most)"),
        ("almost 300 or more", "contradict each other (approx below, at least)"),
        ("seven eight", "several figures"),
        # Beside another figure, a denial is no reason of its own: several figures.
        ("hundreds, if not thousands", "several figures in 'hundreds, if not thousands'"),
        ("thirty forty", "several figures"),
        ("1e+05", "is scientific notation"),  # R's write.csv writes 100000 so: read as 5
        ("1.2e+04 people", "is scientific notation"),
    ],
)
def test_readings_that_would_be_guesses_are_errors(phrase: str, message: str) -> None:
    with pytest.raises(PhraseError, match=re.escape(message)):
        parse_quantity(phrase)


@pytest.mark.parametrize(
    ("phrase", "kind", "point"),
    [
        ("двадцать одна тысяча", "round", 21_000),  # was 1,021
        ("тысяча двести", "round", 1_200),
        ("twenty-five", "exact", 25),
        ("3 mio", "round", 3_000_000),  # multipliers that were ignored (read as 3)
        ("200 mil personnel", "round", 200),  # military, not millions
        ("2 bln", "round", 2_000_000_000),
        ("2 lakh people", "round", 200_000),
        ("1 crore", "round", 10_000_000),
        ("2 млрд", "round", 2_000_000_000),
        ("max. 300", "upper_bound", 300),  # qualifiers that were dropped
        ("300 max", "upper_bound", 300),
        ("minimum 300", "lower_bound", 300),
        ("min. 300", "lower_bound", 300),
        ("c. 164", "approx", 164),  # was exact
        ("ca 164", "approx", 164),
        ("est. 164", "approx", 164),
        ("300-odd", "lower_bound", 301),  # was a round 270-330
        # A softening word beside a bound leaves the bound; two floors are one.
        ("some 300-odd", "lower_bound", 301),
        ("about 200+", "lower_bound", 200),
        ("roughly 300 or more", "lower_bound", 300),
        ("over 200+", "lower_bound", 201),
        ("almost 300 or so", "approx_below", 292),
        ("thirty-odd", "lower_bound", 31),
    ],
)
def test_words_the_tables_lacked(phrase: str, kind: str, point: float) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, q.point) == (kind, point)


def test_a_number_cut_short_in_an_error_says_so() -> None:
    with pytest.raises(PhraseError, match=re.escape("'3" + "0" * 39 + "...' is more than")):
        parse_quantity("3" + "0" * 50)


def test_a_phrase_error_quotes_the_words_as_written() -> None:
    with pytest.raises(PhraseError) as info:
        parse_quantity("there weren't more than 50")
    assert str(info.value).startswith('"weren\'t more than 50" denies')


@pytest.mark.parametrize(
    ("phrase", "kind", "point"),
    [
        # A change to a figure, without its earlier one: "до" is no "up to" here.
        ("число погибших возросло до 225", "exact", 225),
        ("увеличилось до 225 человек", "exact", 225),
        ("выросло до более чем 225", "lower_bound", 226),
        # The reversed reading: "no greater than 50" was more than 50.
        ("no greater than 50", "upper_bound", 50),
        ("not to exceed 50", "upper_bound", 50),
        ("no lower than 50", "lower_bound", 50),
        # Verbs of passing a mark.
        ("The number of detainees exceeded 10,000", "lower_bound", 10_001),
        ("Death toll tops 200", "lower_bound", 201),
        ("число задержанных превысило 10 тысяч", "lower_bound", 10_001),
        ("200, if not more", "lower_bound", 200),
        ("Погибших нет", "exact", 0),
        # "maximum-security" is no ceiling.
        ("Authorities moved 300 maximum-security prisoners", "round", 300),
        # A date in the other alphabet: each table knows the other's months.
        ("Reuters, January 6: более 160 погибших", "lower_bound", 161),
        ("ТАСС, 6 января: more than 160 dead", "lower_bound", 161),
        # A range of a unit, or of days, is no second figure.
        ("within 24-48 hours, 200 died", "round", 200),
        ("200 задержанных получили 10-15 суток ареста", "round", 200),
        ("300 detained 10-15 km from the capital", "round", 300),
        ("241 people died between 4 and 6 January", "exact", 241),
    ],
)
def test_realistic_phrases_a_probe_found_misread_or_refused(
    phrase: str, kind: str, point: float
) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, q.point) == (kind, point)


def test_no_denies_a_qualifier_it_stands_before() -> None:
    # "no" before a number is as often "number" ("No 10"): only before a qualifier of
    # the table does it deny ("no" then "fewer than" the table does not list together).
    with pytest.raises(PhraseError, match="denies its figure"):
        parse_quantity("no about 300")


def test_a_day_after_a_month_is_not_the_head_of_a_grouped_number() -> None:
    # "January 10 225" read as 10,225.
    with pytest.raises(PhraseError, match="after a month may be a day and a figure"):
        parse_quantity("As of January 10 225 people had died")
    assert parse_quantity("January 10, 225 dead").point == 225
    assert parse_quantity("some 9 900 detained").point == 9_900


@pytest.mark.parametrize(
    ("phrase", "kind", "point"),
    [
        # The change word inside a qualifier is the qualifier's.
        ("rose close to 200", "approx_below", 194.5),
        ("rose up to 225", "upper_bound", 225),
        ("возросло вплоть до 225", "upper_bound", 225),
        # Ten thousand after a month, written as Russian writes it: no day.
        ("с начала января 10 000 беженцев", "round", 10_000),
        ("in January 10 000 people died", "round", 10_000),
        # "No 10": a number's abbreviation, no denial.
        ("No 10 killed", "round", 10),
        ("50 maximum", "upper_bound", 50),
        ("200 minimum-wage workers", "round", 200),
        ("did not exceed 200", "upper_bound", 200),
        ("не превышает 200", "upper_bound", 200),
        ("no bigger than 50", "upper_bound", 50),
    ],
)
def test_readings_a_second_review_kept(phrase: str, kind: str, point: float) -> None:
    q = parse_quantity(phrase)
    assert (q.kind.value, q.point) == (kind, point)
