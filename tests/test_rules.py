"""R2-R12 of RECONCILIATION.md: each rule with a case where it fires and one where it
does not. All bodies and figures here are synthetic."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from rules_helpers import claim, codes, day, excluded, figure, note, result, triple, write

# --- R2 supersession -------------------------------------------------------------------


def test_r2_an_originators_latest_statement_supersedes_its_earlier_ones(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 101, "prosecutor", 1), claim("b", 151, "prosecutor", 5)])
    assert triple(f) == (151, 151, 151)
    assert excluded(f) == {"a": "superseded"}
    assert note(f, "superseded").rule == "R2"


def test_names_that_look_the_same_are_one_originator(tmp_path: Path) -> None:
    # Composed and decomposed accents, a no-break space, a zero-width space and a double
    # space do not make another source (nor another carrier).
    spellings = [
        "Procureur Général",
        "Procureur Ge\u0301ne\u0301ral",
        "Procureur\xa0Général",
        "Procureur Gé\u200bnéral",
        "Procureur  Général",
    ]
    claims = [
        claim(f"p{k}", 100, name, 5, source_type="judiciary", via=f"Wire{chr(0xA0) * (k % 2)}")
        for k, name in enumerate(spellings)
    ]
    f = figure(tmp_path, claims)
    assert (f.sources, f.independent_sources) == (["Procureur Général"], 1)
    # So three of them do not outweigh two other sources.
    f = figure(tmp_path, [*claims, claim("a", 300, "ngo", 5), claim("h", 310, "un", 5)])
    assert f.best >= 300
    assert f.independent_sources == 2


def test_r2_different_originators_do_not_supersede_each_other(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 150, "prosecutor", 1), claim("b", 152, "ngo", 2)])
    assert "superseded" not in codes(f)
    assert f.claims_used == ["a", "b"]


def test_r2_same_day_same_number_is_one_statement_worded_as_most_word_it(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", "more than 200", "ngo", 3, via="Wire"),
            claim("b", "more than 200", "ngo", 3, via="Paper"),
            claim("c", "200", "ngo", 3, via="Radio"),
        ],
    )
    assert (f.best, f.open_upper) == (201, True)
    assert f.claims_used == ["a", "b", "c"]
    assert f.independent_sources == 1


def test_r2_same_day_tie_takes_the_direct_statements_wording(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "more than 200", "ngo", 3, via="Paper"), claim("b", "200", "ngo", 3)]
    )
    assert (f.low, f.best, f.open_upper) == (180, 200, False)


def test_r2_same_day_different_numbers_direct_beats_relayed(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", 230, "prosecutor", 3, via="Wire"), claim("b", 225, "prosecutor", 3)]
    )
    assert f.best == 225
    assert excluded(f) == {"a": "superseded"}


def test_r2_same_day_different_numbers_then_precise_then_larger(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "about 230", "prosecutor", 3), claim("b", 225, "prosecutor", 3)]
    )
    assert f.best == 225
    g = figure(tmp_path, [claim("a", 231, "prosecutor", 3), claim("b", 225, "prosecutor", 3)])
    assert g.best == 231


def test_r2_a_current_claim_reads_from_its_own_earlier_floor(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", "at least 9,223", "ngo", 1), claim("b", "10,000", "ngo", 30)])
    assert triple(f) == (9223, 10000, 11000)


def test_r2_downward_revision_is_noted_for_cumulative_metrics(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 241, "prosecutor", 1), claim("b", 238, "prosecutor", 9)])
    assert f.best == 238
    assert note(f, "downward-revision").claims == ["a", "b"]


def test_r2_stock_metrics_may_fall_without_a_note(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 802, "prosecutor", 1, metric="held"),
            claim("b", 711, "prosecutor", 9, metric="held"),
        ],
    )
    assert f.best == 711
    assert "downward-revision" not in codes(f)


# --- R3 retraction ----------------------------------------------------------------------


def test_r3_a_retracted_claim_and_its_repeats_count_nowhere(tmp_path: Path) -> None:
    claims = [
        claim("a", 164, "health", 2),
        claim("b", 164, "health", 2, via="Wire"),
        claim("c", 164, "health", 5, via="Paper"),
        claim("w", None, "health", 3, retracts="a"),
        claim("d", 225, "prosecutor", 20),
    ]
    f = figure(tmp_path, claims)
    assert triple(f) == (225, 225, 225)
    assert excluded(f) == {"a": "withdrawn", "b": "withdrawn", "c": "withdrawn"}
    assert note(f, "retracted").claims == ["a", "w"]  # the withdrawn and the withdrawing
    assert note(f, "repeat-of-retracted").claims == ["b", "c"]
    # The table counts the withdrawn figure and its repeats each on its own line.
    from figrecon.render.words import short_note

    shown = f.model_dump(mode="json")
    assert short_note(shown, "retracted", "") == "1 withdrawn figure left out"
    assert short_note(shown, "repeat-of-retracted", "") == (
        "2 repeats of a withdrawn figure left out too"
    )


def test_r3_a_late_repeat_of_a_withdrawn_figure_does_not_supersede_the_replacement(
    tmp_path: Path,
) -> None:
    claims = [
        claim("h1", 164, "health", 2),
        claim("h2", None, "health", 3, retracts="h1"),
        claim("h3", 180, "health", 5),
        claim("n1", 185, "ngo", 5),
    ]
    without = figure(tmp_path, claims)
    with_repeat = figure(tmp_path, [*claims, claim("h4", 164, "health", 12, via="Paper")])
    assert triple(with_repeat) == triple(without) == (175, 183, 185)
    assert "h3" in with_repeat.claims_used
    assert excluded(with_repeat)["h4"] == "withdrawn"


def test_r3_the_same_figure_from_another_originator_is_not_withdrawn(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 164, "health", 2),
            claim("w", None, "health", 3, retracts="a"),
            claim("b", 164, "ngo", 4),
        ],
    )
    assert f.claims_used == ["b"]


def test_r3_as_of_before_the_withdrawal_still_shows_the_figure(tmp_path: Path) -> None:
    claims = [claim("a", 164, "health", 2), claim("w", None, "health", 3, retracts="a")]
    assert figure(tmp_path, claims, as_of="2022-01-02").best == 164
    f = figure(tmp_path, claims, as_of="2022-01-03")
    assert f.best is None
    assert codes(f) == ["retracted"]


def test_r3_retracted_true_withdraws_at_every_date(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("a", 164, "health", 2, retracted=True), claim("b", 30, "ngo", 1)],
        as_of="2022-01-02",
    )
    assert f.claims_used == ["b"]


# --- R4 attribution ---------------------------------------------------------------------


def test_r4_a_late_relay_of_an_old_figure_does_not_supersede_a_newer_one(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("jan", 225, "prosecutor", 15),
            claim("jan2", 227, "prosecutor", 18),
            claim("feb", 225, "prosecutor", 40, via="Magazine"),
        ],
    )
    assert f.best == 227
    assert excluded(f) == {"jan": "superseded", "feb": "superseded"}
    assert "feb (225) = jan" in note(f, "relayed").message


def test_r4_an_old_lower_figure_relayed_late_is_history(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 225, "prosecutor", 15),
            claim("b", "fewer than 50", "prosecutor", 20, via="Paper"),
        ],
    )
    assert f.best == 225
    assert excluded(f) == {"b": "superseded"}
    assert "old figures relayed late" in note(f, "relayed").message


def test_r4_an_unmatched_relay_is_the_originators_statement_on_the_relay_date(
    tmp_path: Path,
) -> None:
    f = figure(
        tmp_path,
        [claim("a", 225, "prosecutor", 15), claim("b", 241, "prosecutor", 40, via="NGO statement")],
    )
    assert f.best == 241
    assert excluded(f) == {"a": "superseded"}


def test_r4_relays_count_under_their_originator_and_unknowns_count_half(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 225, "prosecutor", 15, via="Wire"),
            claim("b", 225, "prosecutor", 15, via="Paper"),
            claim("c", 225, "prosecutor", 15, via="Radio"),
        ],
    )
    assert f.independent_sources == 1
    g = figure(
        tmp_path,
        [claim("a", 225, "unknown", 15, via="Paper"), claim("b", 226, "unknown", 15, via="Radio")],
    )
    assert g.independent_sources == 1.0  # two unattributed figures: half a source each


# --- R5 staleness -----------------------------------------------------------------------


def test_r5_an_early_count_far_below_a_much_newer_one_is_stale(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", "dozens", "gov", 1), claim("b", 225, "prosecutor", 20)])
    assert excluded(f) == {"a": "stale"}
    assert "outlier" not in codes(f)


def test_r5_a_claim_only_a_few_days_older_is_not_stale(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", "dozens", "gov", 18), claim("b", 225, "prosecutor", 20)])
    assert excluded(f) == {"a": "outlier"}


def test_r5_an_open_floor_counts_as_its_point_times_1_25(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "at least 149", "ngo", 60), claim("b", "at least 701", "ngo2", 100)]
    )
    assert excluded(f) == {"a": "stale"}
    g = figure(
        tmp_path, [claim("a", "at least 600", "ngo", 60), claim("b", "at least 701", "ngo2", 100)]
    )
    assert excluded(g) == {}


def test_r5_a_newer_count_wholly_above_that_does_not_agree_makes_the_old_one_stale(
    tmp_path: Path,
) -> None:
    f = figure(tmp_path, [claim("a", 100, "gov", 1), claim("b", 140, "ngo", 10)])
    assert excluded(f) == {"a": "stale"}
    g = figure(tmp_path, [claim("a", 100, "gov", 1), claim("b", 104, "ngo", 10)])  # they agree
    assert excluded(g) == {}


def test_r5_stock_counts_go_stale_when_a_newer_one_disagrees(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("a", 900, "gov", 1, metric="held"), claim("b", 300, "ngo", 30, metric="held")],
    )
    assert excluded(f) == {"a": "stale"}
    assert f.best == 300


def test_r5_a_weak_bound_makes_nothing_stale(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 100, "gov", 1), claim("b", "at least 500", "blog", 30)])
    assert "a" in f.claims_used


def test_r5_a_later_count_far_below_an_older_one_reads_as_a_floor(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "about 10,000", "gov", 1), claim("b", 1237, "prosecutor", 100)]
    )
    assert note(f, "read-as-floor").claims == ["a", "b"]
    assert f.claims_used == ["a", "b"]
    assert f.best == 10000


# --- R6 weight and R7 agreement -------------------------------------------------------------


def test_r6_a_party_weighs_half(tmp_path: Path) -> None:
    # Same day, disjoint: without the party halving the government (0.7) outweighs the paper (0.6).
    f = figure(tmp_path, [claim("a", 100, "gov", 5), claim("b", 300, "media", 5)])
    assert excluded(f) == {"b": "outlier"}
    g = figure(tmp_path, [claim("a", 100, "interior", 5), claim("b", 300, "media", 5)])
    assert excluded(g) == {"a": "outlier"}


def test_r7_the_heaviest_region_is_the_agreement_set(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 230, "prosecutor", 5),
            claim("b", 232, "ngo", 6),
            claim("c", 164, "media", 6),
        ],
    )
    assert f.claims_used == ["a", "b"]
    assert excluded(f) == {"c": "outlier"}
    assert "c (164) lies" in note(f, "outlier").message


def test_r7_bounds_agree_with_everything_on_their_side(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "at least 149", "ngo", 5), claim("b", "at least 701", "ngo2", 6)]
    )
    assert excluded(f) == {}


def test_r7_a_tie_goes_to_the_region_whose_latest_member_is_newest(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 100, "ngo", 5), claim("b", 300, "ngo2", 6)])
    assert f.claims_used == ["b"]


def test_r7_then_to_the_region_with_more_independent_originators(tmp_path: Path) -> None:
    # Both regions weigh 1.2 and end on the same day; two papers (2 sources) beat a
    # government figure and an unattributed one (1.5 sources).
    f = figure(
        tmp_path,
        [
            claim("a", 101, "media", 5),
            claim("b", 102, "media2", 5),
            claim("c", 301, "gov", 5),
            claim("d", 302, "unknown", 5, via="Radio"),
        ],
    )
    assert f.claims_used == ["a", "b"]
    assert "unresolved-conflict" not in codes(f)


def test_r7_an_unresolvable_tie_uses_all(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 100, "ngo", 5), claim("b", 300, "ngo2", 5)])
    assert "unresolved-conflict" in codes(f)
    assert f.claims_used == ["a", "b"]


def test_r7_a_weightless_bound_is_a_member_when_ties_are_broken(tmp_path: Path) -> None:
    # Two rights groups' figures weigh the same. An unattributed ceiling weighs nothing
    # in choosing the region but "is a member where it reaches it" (R7), so the region
    # it reaches has the most recent member and wins the tie.
    tied = [claim("a", 100, "ngo", 5), claim("b", 300, "ngo2", 5)]
    f = figure(tmp_path, [*tied, claim("u", "up to 150", "unknown", 6, via="Paper")])
    assert "unresolved-conflict" not in codes(f)
    assert (f.claims_used, excluded(f)) == (["a", "u"], {"b": "outlier"})
    # A floor above both reaches neither: the tie stays.
    g = figure(tmp_path, [*tied, claim("u", "at least 700", "unknown", 6, via="Paper")])
    assert "unresolved-conflict" in codes(g)
    assert (g.claims_used, excluded(g)) == (["a", "b"], {"u": "outlier"})


# --- R8 low, best, high -----------------------------------------------------------------


def test_r8_worked_example(fixtures: Path) -> None:
    import figrecon

    f = figrecon.reconcile(figrecon.load(fixtures / "worked-example.yaml")).figures[0]
    assert triple(f) == (225, 230, 240)
    assert f.open_upper is True
    assert f.ratio == pytest.approx(1.022, abs=0.001)
    assert f.confidence == "moderate"
    assert f.independent_sources == 2
    assert note(f, "bounds-conflict").message.startswith(
        "w5 (225) and w7 (at least 230) exclude each other: a gap of 5 (2%)"
    )
    assert excluded(f) == {"w1": "stale", "w2": "withdrawn", "w3": "withdrawn"}


def test_r8_a_bound_never_lowers_low(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 225, "prosecutor", 5), claim("b", "at least 20", "ngo", 5)])
    assert triple(f) == (225, 225, 225)


def test_r8_a_weak_floor_does_not_set_best(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", 20000, "prosecutor", 5), claim("b", "at least 21,000", "blog", 5)]
    )
    assert f.claims_used == ["a", "b"]
    assert f.best == 20000
    assert f.open_upper is True


def test_r8_an_exact_tie_averages_the_two_middle_points(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 101, "ngo", 5), claim("b", 104, "ngo2", 5)])
    assert f.best == 103  # (101 + 104) / 2 = 102.5, halves round up


def test_r8_when_a_floor_exceeds_a_ceiling_the_floor_wins(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "at least 105", "ngo", 5), claim("b", "at most 100", "prosecutor", 5)]
    )
    assert f.best == 105
    assert "bounds-conflict" in codes(f)


def test_r8_with_only_bounds_best_is_the_greatest_floor(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "at least 188", "media", 5), claim("b", "at least 221", "ngo", 5)]
    )
    assert (f.low, f.best) == (221, 221)
    g = figure(
        tmp_path, [claim("a", "up to 50", "media", 5), claim("b", "fewer than 45", "ngo", 5)]
    )
    assert g.best == 44


def test_r8_a_vague_member_beside_a_value_sets_neither_low_nor_high(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "22,628", "prosecutor", 5), claim("b", "tens of thousands", "ngo", 5)]
    )
    assert triple(f) == (22628, 22628, 22628)


# --- R9 disagreement and history --------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        ((100, 105), "agree"),
        ((100, 140), "minor"),
        ((100, 250), "substantial"),
        ((100, 400), "major"),
    ],
)
def test_r9_ratio_classes(tmp_path: Path, values: tuple[int, int], kind: str) -> None:
    f = figure(tmp_path, [claim("a", values[0], "prosecutor", 5), claim("b", values[1], "ngo", 5)])
    assert f.disagreement == kind


def test_r9_consistent_floors_far_below_are_not_disagreement(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 530, "prosecutor", 5), claim("b", "at least 300", "ngo", 5)])
    assert f.ratio == 1.0


def test_r9_history_spans_every_figure_ever_stated_except_withdrawn_ones(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", "dozens", "gov", 1),
            claim("b", 164, "health", 2),
            claim("w", None, "health", 3, retracts="b"),
            claim("c", 225, "prosecutor", 20),
            claim("d", 238, "prosecutor", 200),
        ],
    )
    assert f.history is not None
    assert (f.history.least.value, str(f.history.least.stated_on), f.history.least.claims) == (
        24,
        "2022-01-01",
        ["a"],
    )
    assert (f.history.greatest.value, f.history.greatest.claims) == (238, ["d"])


# --- R10 confidence ---------------------------------------------------------------------


def test_r10_one_source_is_low(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 225, "prosecutor", 5)])
    assert f.confidence == "low"
    assert "single-source" in codes(f)


def test_r10_two_sources_are_moderate_three_of_two_types_high(tmp_path: Path) -> None:
    assert (
        figure(tmp_path, [claim("a", 225, "prosecutor", 5), claim("b", 226, "ngo", 5)]).confidence
        == "moderate"
    )
    f = figure(
        tmp_path,
        [claim("a", 225, "prosecutor", 5), claim("b", 226, "ngo", 5), claim("c", 224, "ngo2", 5)],
    )
    assert f.confidence == "high"
    g = figure(
        tmp_path,
        [
            claim("a", 225, "ngo", 5),
            claim("b", 226, "ngo2", 5),
            claim("c", 224, "blog", 5, source_type="ngo"),
        ],
    )
    assert g.confidence == "moderate"  # three originators, one type


def test_r10_a_floor_far_below_does_not_corroborate(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 41, "prosecutor", 5), claim("b", "at least 11", "ngo", 5)])
    assert f.independent_sources == 1
    g = figure(tmp_path, [claim("a", 41, "prosecutor", 5), claim("b", "at least 38", "ngo", 5)])
    assert g.independent_sources == 2


def test_r10_organs_of_one_side_count_once(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 225, "interior", 5), claim("b", 226, "state-prosecutor", 5)])
    assert f.independent_sources == 1
    assert "official-only" in codes(f)


def test_r10_official_only_caps_at_moderate(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("a", 225, "prosecutor", 5), claim("b", 226, "health", 5), claim("c", 224, "gov", 5)],
    )
    assert f.confidence == "moderate"
    assert "official-only" in codes(f)


def test_r10_vague_only_caps_at_low(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", "dozens", "ngo", 5),
            claim("b", "dozens", "ngo2", 5),
            claim("c", "dozens", "media", 5),
        ],
    )
    assert f.confidence == "low"
    assert "vague-only" in codes(f)


def test_r10_heavy_outliers_lower_the_confidence(tmp_path: Path) -> None:
    base = [claim("a", 225, "prosecutor", 5), claim("b", 226, "ngo", 5), claim("c", 224, "ngo2", 5)]
    assert figure(tmp_path, base).confidence == "high"
    f = figure(tmp_path, [*base, claim("d", 400, "un", 5), claim("e", 401, "health", 5)])
    assert f.confidence == "moderate"


def test_r10_lagging_lower_outliers_do_not_lower_the_confidence(tmp_path: Path) -> None:
    base = [
        claim("a", 225, "prosecutor", 20),
        claim("b", 226, "ngo", 20),
        claim("c", 224, "ngo2", 20),
    ]
    f = figure(tmp_path, [*base, claim("d", 201, "un", 18), claim("e", 202, "health", 18)])
    assert set(excluded(f)) == {"d", "e"}
    assert f.confidence == "high"


def test_r10_an_unverified_assessment_alone_gives_no_figure(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", None, "un", 5, assessment="unverified")])
    assert (f.best, f.confidence) == (None, None)
    assert codes(f) == ["unverified"]


def test_r11_assessments_become_notes_of_their_group(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("a", 225, "prosecutor", 5), claim("b", None, "un", 4, assessment="unverified")],
    )
    assert f.best == 225
    assert note(f, "unverified").message == "UN office (2022-01-04): could not verify the figure."


# --- R10a parts and wholes ----------------------------------------------------------------


def test_r10a_a_total_is_raised_to_its_largest_part(tmp_path: Path) -> None:
    r = result(
        tmp_path,
        [claim("a", 15, "prosecutor", 5), claim("b", 19, "prosecutor", 5, group="security_forces")],
    )
    total = next(f for f in r.figures if f.group == "total")
    assert triple(total) == (19, 19, 19)
    assert note(total, "part-whole").rule == "R10a"


def test_r10a_parts_are_not_summed(tmp_path: Path) -> None:
    r = result(
        tmp_path,
        [
            claim("a", 230, "prosecutor", 5),
            claim("b", 19, "prosecutor", 5, group="security_forces"),
            claim("c", 149, "prosecutor", 5, group="assailants"),
        ],
    )
    total = next(f for f in r.figures if f.group == "total")
    assert total.best == 230


def test_r10a_an_older_part_does_not_raise_a_newer_stock_total(tmp_path: Path) -> None:
    r = result(
        tmp_path,
        [
            claim("a", 292, "prosecutor", 200, metric="held"),
            claim("b", 802, "prosecutor", 25, metric="held", group="criminal_suspects"),
        ],
    )
    total = next(f for f in r.figures if f.group == "total")
    assert total.best == 292


@pytest.mark.parametrize(("part_day", "raised"), [(9, True), (7, True), (6, False)])
def test_r10a_a_stock_part_raises_its_total_within_the_stale_window(
    tmp_path: Path, part_day: int, raised: bool
) -> None:
    # A stock is what it is on its latest date (R5): a part up to stale_days (3) older
    # than the total counts the same stock and raises it; one older than that counts
    # people who may have been released since.
    r = result(
        tmp_path,
        [
            claim("a", 300, "un", 10, metric="held"),
            claim("b", 350, "ngo", part_day, metric="held", group="civilians"),
        ],
    )
    total = next(f for f in r.figures if f.group == "total")
    assert (total.best, "part-whole" in codes(total)) == ((350, True) if raised else (300, False))


# --- methods, as-of, explain ----------------------------------------------------------------


def test_range_method_keeps_every_current_claim(tmp_path: Path) -> None:
    claims = [
        claim("a", 231, "prosecutor", 5),
        claim("b", 233, "ngo", 6),
        claim("c", 164, "media", 6),
    ]
    f = figure(tmp_path, claims, method="range")
    assert (f.low, f.high) == (164, 233)
    assert "outlier" not in codes(f)


def test_conservative_method_gives_the_least_the_agreement_supports(tmp_path: Path) -> None:
    claims = [
        claim("a", 231, "prosecutor", 5),
        claim("b", 241, "ngo", 6),
        claim("c", 237, "ngo2", 6),
    ]
    assert figure(tmp_path, claims).best == 237
    assert figure(tmp_path, claims, method="conservative").best == 231
    # A floor in the agreement set still clamps: the least it supports is 234.
    with_floor = [*claims, claim("d", "at least 234", "un", 6)]
    assert figure(tmp_path, with_floor, method="conservative").best == 234


def test_hierarchy_method_uses_the_best_ranked_type_present(tmp_path: Path) -> None:
    claims = [
        claim("a", 230, "prosecutor", 5),
        claim("b", 400, "ngo", 6),
        claim("c", 410, "ngo2", 6),
    ]
    f = figure(tmp_path, claims, method="hierarchy", rank=["judiciary", "ngo"])
    assert f.best == 230
    assert excluded(f) == {"b": "lower-ranked", "c": "lower-ranked"}
    assert note(f, "lower-ranked").rule == "hierarchy"
    assert note(f, "lower-ranked").claims == ["b", "c"]
    g = figure(tmp_path, claims, method="hierarchy", rank=["ngo", "judiciary"])
    assert g.best == 405
    assert "lower-ranked" not in codes(figure(tmp_path, claims))


def test_as_of_keeps_only_what_was_stated_by_then(tmp_path: Path) -> None:
    claims = [
        claim("a", 100, "prosecutor", 5),
        claim("b", 150, "prosecutor", 10),
        claim("u", 500, "blog", 1, stated_on="undated"),
    ]
    f = figure(tmp_path, claims, as_of="2022-01-07")
    assert f.best == 100
    assert excluded(f) == {"u": "undated"}
    # R2 leaves it out ("`--as-of` leaves it out"), and every note and exclusion names
    # the rule that set the claim aside.
    assert [(e.rule) for e in f.claims_excluded] == ["R2"]
    assert [(n.code, n.rule) for n in f.notes if n.code == "undated"] == [("undated", "R2")]


def test_explain_gives_every_claim_its_fate_and_rule(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 100, "prosecutor", 5),
            claim("b", 150, "prosecutor", 10),
            claim("c", 151, "ngo", 10),
        ],
        explain=True,
    )
    assert f.explain is not None
    fates = {t.id: (t.status, t.rule) for t in f.explain}
    assert fates == {"a": ("superseded", "R2"), "b": ("used", "R7"), "c": ("used", "R7")}


def test_parameters_are_written_into_the_output(tmp_path: Path) -> None:
    r = result(tmp_path, [claim("a", 100, "prosecutor", 5)], tolerance=0.1, stale_days=7)
    assert r.method.parameters["tolerance"] == 0.1
    assert r.method.parameters["stale_days"] == 7
    assert r.method.parameters["type_weights"]["ngo"] == 0.9


def test_r2_a_lone_floor_raised_to_its_originators_earlier_floor_sets_best_there(
    tmp_path: Path,
) -> None:
    f = figure(
        tmp_path, [claim("a", "225-240", "health", 5), claim("b", "more than 200", "health", 9)]
    )
    assert (f.low, f.best) == (225, 225)
    assert f.independent_sources == 1


def test_r3_a_withdrawal_without_replacement_leaves_the_originator_without_a_current_claim(
    tmp_path: Path,
) -> None:
    f = figure(
        tmp_path,
        [
            claim("a1", 100, "health", 1),
            claim("a2", 164, "health", 2),
            claim("w", None, "health", 3, retracts="a2"),
            claim("h", 160, "ngo", 3),
        ],
        explain=True,
    )
    assert triple(f) == (155, 160, 165)
    assert f.claims_used == ["h"]
    assert excluded(f) == {"a1": "superseded", "a2": "withdrawn"}
    reasons = {t.id: t.reason for t in f.explain or []}
    assert "withdrawn without a replacement" in reasons["a1"]


def test_r2_a_figure_below_the_originators_earlier_one_is_a_downward_revision(
    tmp_path: Path,
) -> None:
    # The round 9,000 admits 9,223: it is noted as lower and reads from 9,223.
    f = figure(tmp_path, [claim("a", "9,223", "ngo", 1), claim("b", "9,000", "ngo", 10)])
    assert note(f, "downward-revision").claims == ["a", "b"]
    assert triple(f) == (9223, 9223, 9900)


def test_r2_a_correction_that_excludes_the_earlier_floor_is_read_as_stated(
    tmp_path: Path,
) -> None:
    f = figure(tmp_path, [claim("a", "at least 238", "ngo", 1), claim("b", 230, "ngo", 10)])
    assert note(f, "downward-revision").claims == ["a", "b"]
    assert triple(f) == (225, 230, 235)  # 230 is round: [225, 235], below 238


@pytest.mark.parametrize(
    ("earlier", "floor_value", "expected"),
    [
        ("18", "at least 16", (18, 18, 18)),
        ("205", "at least 200", (205, 205, 240)),
        # A higher earlier count never gives a lower figure: 250 is round, hard low 245.
        ("250", "at least 200", (245, 245, 245)),
        ("253", "at least 200", (253, 253, 253)),
    ],
)
def test_r2_a_later_floor_reads_from_the_originators_earlier_count(
    tmp_path: Path, earlier: str, floor_value: str, expected: tuple[int, int, int]
) -> None:
    f = figure(tmp_path, [claim("a", earlier, "ngo", 1), claim("b", floor_value, "ngo", 10)])
    assert triple(f) == expected
    assert "downward-revision" not in codes(f)


def test_r2_a_value_that_admits_the_earlier_floor_reads_from_it(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", "more than 200", "ngo", 1), claim("b", "about 200", "ngo", 10)]
    )
    assert (f.low, f.best) == (201, 201)
    g = figure(tmp_path, [claim("a", "at least 230", "ngo", 1), claim("b", "hundreds", "ngo", 10)])
    assert (g.low, g.best) == (230, 230)
    # History keeps the figures as stated: "hundreds" is 200 there, not its raised 230.
    assert g.history is not None
    assert g.history.least.value == 200


@pytest.mark.parametrize(("earlier", "later"), [("up to 500", "312"), ("at least 230", "hundreds")])
def test_r2_no_downward_revision_below_a_ceiling_or_for_a_vague_word_that_admits_it(
    tmp_path: Path, earlier: str, later: str
) -> None:
    f = figure(tmp_path, [claim("a", earlier, "ngo", 1), claim("b", later, "ngo", 10)])
    assert "downward-revision" not in codes(f)


def test_r2_a_vague_word_wholly_below_an_earlier_count_is_a_downward_revision(
    tmp_path: Path,
) -> None:
    f = figure(tmp_path, [claim("a", "250", "ngo", 1), claim("b", "dozens", "ngo", 10)])
    assert note(f, "downward-revision").claims == ["a", "b"]
    assert (f.low, f.best, f.high) == (24, 24, 99)


def test_r10_a_consistent_floor_in_the_set_does_not_hide_lagging_outliers(tmp_path: Path) -> None:
    base = [
        claim("a", 225, "prosecutor", 20),
        claim("b", 226, "un", 20),
        claim("d", 103, "health", 10),
        claim("e", 104, "media", 10),
    ]
    assert figure(tmp_path, base).confidence == "moderate"
    f = figure(tmp_path, [*base, claim("f", "at least 20", "ngo", 20)])
    assert f.confidence == "moderate"


def test_explain_says_why_a_raised_claim_is_an_outlier(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a1", "at least 9,223", "ngo", 1),
            claim("a2", "10,000", "ngo", 10),
            claim("x", "30,001", "prosecutor", 10),
            claim("y", "30,002", "un", 10),
        ],
        explain=True,
    )
    reason = next(t.reason for t in f.explain or [] if t.id == "a2")
    assert reason.startswith("outside the agreement region")
    assert "soft low raised to 9,223" in reason


def test_r4_a_vague_word_relayed_again_is_the_same_statement(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 164, "gov", 1, via="Wire", metric="held"),
            claim("b", 164, "interior", 1, metric="held"),
            claim("c", "dozens", "gov", 1, via="Wire", metric="held"),
            claim("d", "dozens", "gov", 2, via="Radio < Wire", metric="held"),
        ],
    )
    assert f.independent_sources == 2
    assert f.best == 164


def test_r2_a_downward_revision_names_the_as_of_date_that_ordered_it(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("m1", "2,500", "gov", 10),
            claim("m2", "3,012", "gov", 20, as_of=day(5)),
        ],
    )
    assert note(f, "downward-revision").message == (
        "Government now says 2,500 (2022-01-10), below its earlier 3,012 "
        "(2022-01-20, as of 2022-01-05)."
    )


def test_r10_copies_of_one_unattributed_figure_count_as_one_half_source(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("u1", "about 50", "unknown", 6, via="Reuters"),
            claim("u2", "about 50", "Unknown", 6, via="AFP"),
            claim("u3", "about 50", "UNKNOWN", 6),
            claim("n", 48, "ngo", 6),
        ],
    )
    assert f.independent_sources == 1.5
    assert "unattributed figures count half" in note(f, "single-source").message
    g = figure(
        tmp_path,
        [claim("u1", "about 50", "unknown", 6, via="Reuters"), claim("u2", 52, "unknown", 6)],
    )
    assert g.independent_sources == 1  # two different unattributed figures: half each


def test_r10_unattributed_copies_are_the_same_figure_by_their_reading(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("u1", "dozens", "unknown", 6, via="P1"),
            claim("u2", "Dozens of people", "unknown", 6, via="P2"),
            claim("n", 30, "ngo", 6),
        ],
    )
    assert f.independent_sources == 1.5


def test_r4_a_withdrawn_relay_is_dated_at_the_statement_it_repeats(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("h1", 164, "health", 2),
            claim("h3", 180, "health", 5),
            claim("h2", 164, "health", 8, via="Weekly", retracted=True),
            claim("n1", 185, "ngo", 5),
        ],
    )
    assert "h3" in f.claims_used
    assert triple(f) == (175, 183, 185)


@pytest.mark.parametrize(
    ("earlier", "later", "noted"),
    [
        ("238", "200-250", False),  # the range reaches 238
        ("238", "nearly 240", False),
        ("9,900", "nearly 10000", False),
        ("250", "200-240", True),  # all of it below 245
        ("at least 238", "fewer than 200", True),
    ],
)
def test_r2_a_range_or_nearly_is_lower_only_when_all_of_it_is(
    tmp_path: Path, earlier: str, later: str, noted: bool
) -> None:
    f = figure(tmp_path, [claim("a", earlier, "ngo", 1), claim("b", later, "ngo", 10)])
    assert ("downward-revision" in codes(f)) is noted


def test_r2_the_downward_note_cites_the_original_statement_not_a_redated_relay(
    tmp_path: Path,
) -> None:
    f = figure(
        tmp_path,
        [
            claim("a1", "at least 300", "ngo", 5),
            claim("a2", 280, "ngo", 10),
            claim("a3", "300", "ngo", 20, via="Paper"),
        ],
    )
    assert note(f, "downward-revision").claims == ["a1", "a2"]


def test_conservative_method_keeps_the_confidence_of_the_agreement_set(tmp_path: Path) -> None:
    claims = [claim("a", "up to 50", "ngo", 5), claim("b", "fewer than 45", "un", 5)]
    agreement = figure(tmp_path, claims)
    conservative = figure(tmp_path, claims, method="conservative")
    assert conservative.best is not None
    assert agreement.best is not None
    assert conservative.best <= agreement.best
    assert (conservative.confidence, conservative.independent_sources) == (
        agreement.confidence,
        agreement.independent_sources,
    )


def test_r2_a_correction_resets_the_originators_floor(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("c1", "at least 300", "ngo", 5),
            claim("c2", 250, "ngo", 10),  # below 300: a correction
            claim("c3", "at least 255", "ngo", 15),
        ],
    )
    assert (f.low, f.best) == (255, 255)
    assert "downward-revision" not in codes(f)


def test_r2_an_undated_statement_sets_no_floor(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("u", "at least 500", "ngo", 1, stated_on="undated"),
            claim("d", "about 300", "ngo", 10),
        ],
    )
    assert "downward-revision" not in codes(f)


def test_r7_a_weak_bound_agrees_but_never_chooses_the_region(tmp_path: Path) -> None:
    # The NGO's floor and the blog's "at least 5,000" together outweigh the count of
    # 1,250, but the blog's bound may not decide the set (R5, R8 and R10 set it aside).
    f = figure(
        tmp_path,
        [
            claim("police", "about 1,250", "interior", 6),
            claim("ngo", "at least 1,130", "ngo", 6),
            claim("blog", "at least 5,000", "blog", 6),
        ],
    )
    assert f.claims_used == ["ngo", "police"]
    assert f.best == 1250
    assert excluded(f) == {"blog": "outlier"}


def test_r4_a_relay_of_an_unrecorded_statement_is_noted(tmp_path: Path) -> None:
    f = figure(tmp_path, [claim("a", 120, "health", 5, via="Wire"), claim("b", 118, "ngo", 5)])
    relayed = note(f, "relayed")
    assert relayed.claims == ["a"]
    assert "a (120) for Health Ministry (2022-01-05)" in relayed.message
    direct = figure(tmp_path, [claim("a", 120, "health", 5), claim("b", 118, "ngo", 5)])
    assert "relayed" not in codes(direct)


# --- revised rules: R1 changes, R2 same day, dates and confirmed statements ----------------


def test_r2_same_day_a_change_from_the_others_figure_wins(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("a", 230, "prosecutor", 3),
            claim("b", "revised down from 230 to 225", "prosecutor", 3),
        ],
    )
    assert triple(f) == (225, 225, 225)
    assert excluded(f) == {"a": "superseded"}


def test_r2_same_day_a_withdrawal_wins_over_the_greater_figure(tmp_path: Path) -> None:
    f = figure(
        tmp_path, [claim("a", 230, "prosecutor", 3), claim("b", 225, "prosecutor", 3, retracts="a")]
    )
    assert f.best == 225
    assert excluded(f) == {"a": "withdrawn"}


def test_r2_same_day_a_tally_does_not_fall_within_a_day(tmp_path: Path) -> None:
    # An agency's morning sum of 1,870 and its evening "more than 3,000".
    f = figure(
        tmp_path,
        [
            claim("m", "1,870", "gov", 3, metric="detained"),
            claim("e", "more than 3,000", "gov", 3, metric="detained"),
        ],
    )
    assert (f.best, f.open_upper) == (3001, True)
    assert excluded(f) == {"m": "superseded"}


def test_r2_same_day_a_stock_keeps_the_more_precise_wording(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("m", 900, "gov", 3, metric="held"),
            claim("e", "more than 1,000", "gov", 3, metric="held"),
        ],
    )
    assert f.best == 900


def test_r2_a_downward_change_excludes_the_floor_it_comes_from(tmp_path: Path) -> None:
    # "revised down from 300 to at least 250" is a correction: its words exclude 300.
    f = figure(
        tmp_path,
        [
            claim("a", "at least 300", "ngo", 5),
            claim("b", "revised down from 300 to at least 250", "ngo", 10),
        ],
    )
    assert (f.low, f.best) == (250, 250)
    assert note(f, "downward-revision").claims == ["a", "b"]


def test_r7_ties_compare_when_members_were_stated_not_their_as_of(tmp_path: Path) -> None:
    # By as-of date the second region is newer; by the day it was stated the first is.
    f = figure(
        tmp_path,
        [claim("a", 100, "ngo", 6, as_of=day(2)), claim("b", 300, "ngo2", 5)],
    )
    assert f.claims_used == ["a"]


TYPO = [
    claim("p1", 225, "prosecutor", 10),
    claim("p2", "2,250", "prosecutor", 10, via="Outlet A"),
    claim("p3", "at least 227", "prosecutor", 12, via="Outlet B"),
    claim("p4", 238, "prosecutor", 20, via="Outlet B"),
]


def test_r2_a_lone_relayed_typo_sets_no_floor(tmp_path: Path) -> None:
    f = figure(tmp_path, TYPO)
    assert triple(f) == (238, 238, 238)
    assert "downward-revision" not in codes(f)
    assert excluded(f) == {"p1": "superseded", "p2": "superseded", "p3": "superseded"}


def test_r2_a_lone_relayed_typo_the_next_day_is_history_too(tmp_path: Path) -> None:
    f = figure(tmp_path, [TYPO[0], {**TYPO[1], "stated_on": day(11)}, *TYPO[2:]])
    assert triple(f) == (238, 238, 238)
    assert "downward-revision" not in codes(f)


def test_r4_an_unconfirmed_relay_makes_no_later_relay_old(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("p1", 225, "prosecutor", 10),
            claim("p2", "2,250", "prosecutor", 11, via="Outlet A"),
            claim("p3", 238, "prosecutor", 20, via="Outlet B"),
        ],
    )
    assert f.best == 238
    assert f.claims_used == ["p3"]


def test_r2_a_figure_carried_by_two_carriers_is_confirmed(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("p1", "2,250", "prosecutor", 11, via="Outlet A"),
            claim("p2", "2,250", "prosecutor", 11, via="Outlet C"),
            claim("p3", 238, "prosecutor", 20),
        ],
    )
    assert f.best == 238  # read as stated: a correction below the confirmed floor
    assert note(f, "downward-revision").claims == ["p1", "p3"]
    # Relayed by a third outlet, the lower figure is an old one relayed late (R4).
    late = figure(
        tmp_path,
        [
            claim("p1", "2,250", "prosecutor", 11, via="Outlet A"),
            claim("p2", "2,250", "prosecutor", 11, via="Outlet C"),
            claim("p3", 238, "prosecutor", 20, via="Outlet B"),
        ],
    )
    assert (late.best, excluded(late)) == (2250, {"p3": "superseded"})


def test_r2_two_papers_copying_one_wire_are_one_carrier(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [
            claim("p1", "2,250", "prosecutor", 11, via="Paper X < Wire"),
            claim("p2", "2,250", "prosecutor", 11, via="Paper Y < Wire"),
            claim("p3", 238, "prosecutor", 20, via="Outlet B"),
        ],
    )
    assert "downward-revision" not in codes(f)


def test_r2_a_relay_is_confirmed_by_a_later_figure_of_its_originator(tmp_path: Path) -> None:
    # 250 is at least 300 / 1.5 and direct: the relayed "at least 300" is confirmed, so 250
    # is a correction below it.
    confirmed = figure(
        tmp_path,
        [claim("a", "at least 300", "ngo", 5, via="Paper"), claim("b", 250, "ngo", 10)],
    )
    assert note(confirmed, "downward-revision").claims == ["a", "b"]
    # 150 is below 300 / 1.5: the relayed floor stays unconfirmed and sets nothing.
    unconfirmed = figure(
        tmp_path,
        [claim("a", "at least 300", "ngo", 5, via="Paper"), claim("b", 150, "ngo", 10)],
    )
    assert "downward-revision" not in codes(unconfirmed)
    # The later figure must come from another carrier than the relay itself.
    same_carrier = figure(
        tmp_path,
        [
            claim("a", "at least 300", "ngo", 5, via="Paper"),
            claim("b", 250, "ngo", 10, via="Paper"),
        ],
    )
    assert "downward-revision" not in codes(same_carrier)


# --- revised rules: R5 --------------------------------------------------------------------


def test_r5_an_unattributed_range_makes_no_named_count_stale(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("n", "1,100", "ngo", 10), claim("u", "1,800-2,500", "unknown", 100, via="Paper")],
    )
    assert "n" in f.claims_used
    assert excluded(f).get("n") != "stale"


@pytest.mark.parametrize(
    ("earlier", "later"),
    [
        (("about 10,000", "gov"), ("hundreds", "prosecutor")),  # a vague word
        (("about 10,000", "gov"), ("as many as 2,600", "prosecutor")),  # an upper bound
        (("10,000", "blog"), ("1,237", "prosecutor")),  # an earlier originator of type other
        (("about 10,000", "gov"), ("1,237", "blog")),  # a later one of type other
        (("about 10,000", "interior"), ("1,237", "prosecutor")),  # only the earlier is a party
        (("about 10,000", "ngo"), ("1,237", "interior")),  # only the later is a party
    ],
)
def test_r5_read_as_floor_does_not_apply(
    tmp_path: Path, earlier: tuple[str, str], later: tuple[str, str]
) -> None:
    f = figure(
        tmp_path, [claim("a", earlier[0], earlier[1], 1), claim("b", later[0], later[1], 100)]
    )
    assert "read-as-floor" not in codes(f)


def test_r5_read_as_floor_applies_between_organs_of_one_side(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("a", "about 10,000", "interior", 1), claim("b", "1,237", "state-prosecutor", 100)],
    )
    assert note(f, "read-as-floor").claims == ["a", "b"]


def test_r5_a_newer_stock_count_makes_an_older_one_stale_even_when_they_agree(
    tmp_path: Path,
) -> None:
    f = figure(
        tmp_path,
        [claim("a", 300, "gov", 1, metric="held"), claim("b", 305, "ngo", 30, metric="held")],
    )
    assert excluded(f) == {"a": "stale"}
    assert f.best == 305


def test_r5_a_stock_count_of_type_other_makes_nothing_stale(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("a", 300, "gov", 1, metric="held"), claim("b", 305, "blog", 30, metric="held")],
    )
    assert "stale" not in codes(f)


# --- revised rules: R8 -----------------------------------------------------------------------


def test_r8_an_unattributed_range_does_not_set_the_best_beside_an_igo_ceiling(
    tmp_path: Path,
) -> None:
    f = figure(
        tmp_path,
        [
            claim("u", "1,800-2,500", "unknown", 10, via="Paper"),
            claim("un", "as many as 2,600", "un", 100),
        ],
    )
    assert f.claims_used == ["u", "un"]
    assert triple(f) == (2500, 2600, 2600)


def test_r8_a_vague_word_of_a_named_source_beats_an_unattributed_value(tmp_path: Path) -> None:
    f = figure(
        tmp_path,
        [claim("n", "hundreds", "ngo", 10), claim("u", "about 900", "unknown", 10, via="Paper")],
    )
    assert f.claims_used == ["n", "u"]
    assert triple(f) == (200, 200, 999)


def test_r8_with_only_bounds_best_comes_from_named_sources_bounds(tmp_path: Path) -> None:
    # A named ceiling beside a floor of type other: the ceiling sets the best.
    f = figure(
        tmp_path, [claim("n", "up to 500", "ngo", 10), claim("b", "at least 450", "blog", 10)]
    )
    assert f.best == 500


# --- revised rules: R10a parts by group, location and period ---------------------------------


def test_r10a_a_period_inside_the_event_raises_the_whole(tmp_path: Path) -> None:
    r = result(
        tmp_path,
        [
            claim("list", "4,950", "ngo", 40, metric="injured"),
            claim(
                "march",
                "more than 7,400",
                "health",
                25,
                metric="injured",
                period="2022-03-03/2022-03-21",
            ),
        ],
    )
    whole = next(f for f in r.figures if f.period is None)
    assert whole.best == 7401
    assert note(whole, "part-whole").message == (
        "Raised to 7,401: the 2022-03-03/2022-03-21 figure (7,401–7,500, open above, low "
        "confidence) is a part of this one, and a part cannot exceed its whole. The sources "
        "and confidence given here are this figure's own."
    )


def test_a_period_counted_back_from_its_statement_is_placed_by_its_date(tmp_path: Path) -> None:
    # Two daily counts "in the past 24 hours", stated on different days, are two
    # windows: neither is a floor under the other. Worded alike, one day's are one.
    r = result(
        tmp_path,
        [
            claim("a", "1,000", "gov", 12, period="in the past 24 hours"),
            claim("b", "120", "un", 20, period="In the last 24 hours."),
            claim("c", "130", "ngo", 20, period="over the past day", as_of=day(20)),
            claim("y", "40", "ngo", 21, period="yesterday"),
        ],
    )
    by_period = {f.period: (f.low, f.high, f.claims_used) for f in r.figures}
    assert by_period == {
        f"24 hours to {day(12)}": (900, 1100, ["a"]),
        f"24 hours to {day(20)}": (115, 135, ["b", "c"]),
        day(20): (36, 44, ["y"]),
    }
    assert not any({"stale", "read-as-floor"} & set(codes(f)) for f in r.figures)
    # A span of hours is no calendar period: the day's count does not raise it (R10a).
    assert not any("part-whole" in codes(f) for f in r.figures)
    # An undated claim's period cannot be placed: it stays as written.
    undated = result(
        tmp_path, [claim("u", "10", "gov", 5, period="yesterday", stated_on="undated")]
    )
    assert [f.period for f in undated.figures] == ["yesterday"]


@pytest.mark.parametrize(
    ("period", "placed"),
    [
        ("in the past 24 hours", "24 hours to 2023-09-20"),
        ("in the past 24 hrs", "24 hours to 2023-09-20"),
        ("over the last 48 hours", "48 hours to 2023-09-20"),
        ("the past day", "24 hours to 2023-09-20"),
        ("the past two weeks", "14 days to 2023-09-20"),
        ("during the previous 7 days", "7 days to 2023-09-20"),
        ("overnight", "overnight to 2023-09-20"),
        ("Yesterday", "2023-09-19"),
        ("today", "2023-09-20"),
        ("during the siege", None),
        ("the past 0 days", None),
        ("2023-09", None),
    ],
)
def test_which_periods_are_counted_back_from_their_statement(period: str, placed: str) -> None:
    from figrecon.dates import dated_period

    assert dated_period(period, dt.date(2023, 9, 20).toordinal()) == placed


@pytest.mark.parametrize(
    "written",
    [
        "2022-01-04/2022-01-06",
        "2022-01-04 / 2022-01-06",
        "2022-01-04 – 2022-01-06",
        "2022-01-04—2022-01-06",
        "2022-01-04 - 2022-01-06",
        "2022-01-04-2022-01-06",
        "2022-01-04 to 2022-01-06",
    ],
)
def test_r10a_a_period_written_in_dates_is_placed_however_it_is_joined(
    tmp_path: Path, written: str
) -> None:
    # With an en dash the window was no calendar period: it did not raise the month
    # (164), and three spellings of one window were three figures.
    r = result(
        tmp_path,
        [
            claim("m", 164, "ngo", 9, period="2022-01"),
            claim("w", "at least 230", "health", 7, period=written),
        ],
    )
    month = next(f for f in r.figures if f.period == "2022-01")
    window = next(f for f in r.figures if f.period != "2022-01")
    assert window.period == "2022-01-04/2022-01-06"
    assert month.best >= 230


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("2021-2022", "2021/2022"), ("2022-01-2022-03", "2022-01/2022-03"), ("2022-01", "2022-01")],
)
def test_periods_of_years_and_months_joined_by_a_hyphen(written: str, canonical: str) -> None:
    from figrecon.model.fields import period_text

    assert period_text(written) == canonical


def test_the_period_option_selects_a_window_however_it_is_joined(run, tmp_path: Path) -> None:
    # The claims' window became 2022-01-04/2022-01-06 while --period stayed as written:
    # a script got a CSV of no figures.
    path = write(tmp_path, [claim("w", 230, "health", 7, period="2022-01-04 - 2022-01-06")])
    out = run("reconcile", path, "-f", "csv", "--period", "2022-01-04 - 2022-01-06").stdout
    assert len(out.splitlines()) == 2
    refused = run("reconcile", path, "--period", "2022-01-06/2022-01-04")
    assert refused.exit_code == 2
    assert "ends before it starts" in refused.output


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("2022-01-06/2022-01-04", "period: '2022-01-06/2022-01-04' ends before it starts"),
        ("2022-02-30/2022-03-01", "2022-02-30 is no date of the calendar"),
        ("2022-13", "2022-13 is no date of the calendar"),
    ],
)
def test_a_period_in_dates_that_are_not_is_refused(
    tmp_path: Path, written: str, message: str
) -> None:
    import figrecon

    with pytest.raises(figrecon.InputError, match=message):
        result(tmp_path, [claim("w", 230, "health", 7, period=written)])


def test_r10a_a_sub_location_raises_its_location(tmp_path: Path) -> None:
    r = result(
        tmp_path,
        [claim("a", 120, "ngo", 5), claim("b", 130, "health", 5, location="Land/City")],
    )
    whole = next(f for f in r.figures if f.location == "Land")
    assert whole.best == 130


def test_r10a_a_period_inside_another_period_raises_it(tmp_path: Path) -> None:
    r = result(
        tmp_path,
        [
            claim("may", 50, "ngo", 40, period="2022-05-01/2022-05-31"),
            claim("week", 61, "health", 20, period="2022-05-01/2022-05-10"),
        ],
    )
    may = next(f for f in r.figures if f.period == "2022-05-01/2022-05-31")
    assert may.best == 61


def test_r10a_raising_is_transitive_and_never_sums(tmp_path: Path) -> None:
    # A group in a city in a week raises the national total of the whole event.
    r = result(
        tmp_path,
        [
            claim("nat", 100, "ngo", 30),
            claim("city", 90, "health", 30, location="Land/City"),
            claim(
                "part",
                140,
                "un",
                20,
                group="civilians",
                location="Land/City",
                period="2022-01-03/2022-01-09",
            ),
            claim("other", 80, "un", 20, group="security_forces"),
        ],
    )
    national = next(f for f in r.figures if f.key == ("e", "killed", "total", "Land", ""))
    assert national.best == 140


def test_r10a_a_part_its_originators_later_restated_as_the_whole_does_not_raise_it(
    tmp_path: Path,
) -> None:
    # The prosecutor's "241 between 4 and 6 January", then its own 238 for the whole event.
    r = result(
        tmp_path,
        [
            claim("part", 241, "prosecutor", 10, period="2022-01-04/2022-01-06"),
            claim("whole", 238, "prosecutor", 40),
        ],
    )
    whole = next(f for f in r.figures if f.period is None)
    assert whole.best == 238
    assert "part-whole" not in codes(whole)
    # Stated before the part, the whole is raised by it.
    earlier = result(
        tmp_path,
        [
            claim("part", 241, "prosecutor", 10, period="2022-01-04/2022-01-06"),
            claim("whole", 238, "prosecutor", 5),
        ],
    )
    assert next(f for f in earlier.figures if f.period is None).best == 241


def test_r10a_a_part_exempt_from_a_whole_does_not_reach_it_through_a_figure_between(
    tmp_path: Path,
) -> None:
    r = result(
        tmp_path,
        [
            claim("week", 241, "prosecutor", 10, period="2022-01-04/2022-01-06"),
            claim("month", 200, "ngo", 12, period="2022-01-01/2022-01-31"),
            claim("whole", 238, "prosecutor", 40),
        ],
    )
    month = next(f for f in r.figures if f.period == "2022-01-01/2022-01-31")
    whole = next(f for f in r.figures if f.period is None)
    assert month.best == 241  # the ngo never stated the whole: the week raises the month
    assert whole.best == 238  # but not, through the month, the whole


def test_r10a_stock_parts_are_only_groups_and_locations_of_the_same_period(
    tmp_path: Path,
) -> None:
    r = result(
        tmp_path,
        [
            claim("a", 100, "ngo", 30, metric="held"),
            claim("b", 150, "health", 30, metric="held", period="2022-01-01/2022-01-31"),
            claim("c", 120, "un", 30, metric="held", location="Land/City"),
        ],
    )
    whole = next(f for f in r.figures if f.key == ("e", "held", "total", "Land", ""))
    assert whole.best == 120


def test_r10_independent_sources_list_a_sides_organs_together_and_unknowns_as_shares(
    write,
) -> None:
    import figrecon

    path = write(
        "claims.yaml",
        "sources:\n"
        "  moi: {name: Interior Ministry, type: government, party: state}\n"
        "  pgo: {name: Prosecutor, type: government, party: state}\n"
        "  rebels: {name: Rebel Command, type: other, party: true}\n"
        "  hrw: {name: Rights Watch, type: ngo}\n"
        "event: e1\nclaims:\n"
        "  - {id: a1, metric: killed, value: '120', source: moi, stated_on: 2022-01-05}\n"
        "  - {id: a2, metric: killed, value: about 130, source: pgo, stated_on: 2022-01-06}\n"
        "  - {id: a3, metric: killed, value: at least 100, source: unknown, "
        "stated_on: 2022-01-06}\n"
        "  - {id: a4, metric: killed, value: '140', source: unknown, stated_on: 2022-01-07}\n"
        "  - {id: a5, metric: killed, value: '125', source: hrw, stated_on: 2022-01-07}\n"
        "  - {id: a6, metric: killed, value: '128', source: rebels, stated_on: 2022-01-07}\n",
    )
    (f,) = figrecon.reconcile(figrecon.load(path)).figures
    shown = [(u.names, u.side, u.share) for u in f.independent or []]
    assert shown == [
        (["Interior Ministry", "Prosecutor"], "state", 1),
        (["Rebel Command"], True, 1),
        (["Rights Watch"], None, 1),
        (["unknown"], None, 0.5),
        (["unknown"], None, 0.5),
    ]
    assert f.independent_sources == 4


def test_r2_same_day_tie_without_a_direct_statement_takes_the_more_precise_wording(
    tmp_path: Path,
) -> None:
    # Two outlets relay one statement of the same day, one with "more than", one
    # without, and the originator's own words are not recorded: RECONCILIATION.md R2
    # breaks the tie by "the direct one's wording, then the more precise" (a round
    # 3,000 is more precise than a bound), in whichever order the claims come.
    for order in (1, -1):
        claims = [
            claim("a", "more than 3,000", "ministry", 3, via="Wire"),
            claim("b", "3,000", "ministry", 3, via="Radio"),
        ][::order]
        f = figure(tmp_path, claims)
        assert (f.low, f.best, f.high, f.open_upper) == (2700, 3000, 3300, False)
        assert f.claims_used == ["a", "b"]


def test_r7_an_outliers_note_speaks_of_whole_people(tmp_path: Path) -> None:
    # 4,352 widened by 5 % is 4,134.4-4,569.6: the note gives 4,134-4,570, and the
    # 5,300 (5,250-5,350) lies 680 above that, not 680.4.
    f = figure(
        tmp_path,
        [
            claim("a", "4,352", "un", 5),
            claim("b", "4,352", "ngo", 5),
            claim("c", "5,300", "gov", 5),
        ],
    )
    assert note(f, "outlier").message == (
        "Outside the agreement region 4,134–4,570: c (5,300) lies 680 above."
    )


def test_r7_an_outlier_is_measured_from_the_region_the_weighing_members_share(
    tmp_path: Path,
) -> None:
    # An unattributed ceiling and a blog's floor are members where they reach the
    # region, but exclude each other: their overlap made the region "1,073.5-924".
    f = figure(
        tmp_path,
        [
            claim("n", "1,000", "ngo", 5),
            claim("u", "at most 880", "unknown", 5, via="Paper"),
            claim("b", "at least 1,130", "blog", 5),
            claim("m", "4,000", "media", 5),
        ],
    )
    assert note(f, "outlier").message == (
        "Outside the agreement region 850–1,150: m (4,000) lies 2,450 above."
    )


def test_r2_an_earlier_days_statement_sets_its_floor_as_it_is_worded(tmp_path: Path) -> None:
    # Two outlets relay one statement of day 3, one with "more than", one without: R2
    # reads it as 3,000 (the more precise wording), on that day as on the latest, so
    # it sets no floor of 3,001 for what the originator says later.
    day3 = [
        claim("a", "more than 3,000", "un", 3, via="Wire"),
        claim("b", "3,000", "un", 3, via="Radio"),
    ]
    f = figure(tmp_path, [*day3, claim("c", "at least 2,900", "un", 8)])
    assert (f.low, f.best, f.open_upper) == (2900, 2900, True)
    g = figure(tmp_path, [*day3, claim("c", "2,870", "un", 8)])
    assert (g.low, g.best, g.high) == (2865, 2870, 2875)
    assert "downward-revision" not in codes(g)
    # Worded "more than 3,000" by most of them, it does.
    h = figure(
        tmp_path,
        [
            *day3,
            claim("d", "over 3,000", "un", 3, via="Paper"),
            claim("c", "at least 2,900", "un", 8),
        ],
    )
    assert (h.low, h.best) == (3001, 3001)


def test_r2_a_tied_days_wording_is_the_same_on_its_day_and_after_whatever_the_ids(
    tmp_path: Path,
) -> None:
    # "more than 3,000" and "at least 3,000" tie on votes, directness and precision:
    # the day's statement is read one way as of that day and as the floor of a later
    # figure, whichever claim has which id.
    for first, second in (("a", "b"), ("b", "a")):
        day3 = [
            claim(first, "more than 3,000", "un", 3, via="Wire"),
            claim(second, "at least 3,000", "un", 3, via="Radio"),
        ]
        then = figure(tmp_path, day3, as_of=day(3))
        later = figure(tmp_path, [*day3, claim("c", "at least 2,900", "un", 8)])
        assert then.low == later.low


def test_r2_an_earlier_day_of_several_numbers_sets_its_greatest_confirmed_floor_whatever_the_ids(
    tmp_path: Path,
) -> None:
    # Day 3 holds a direct "2,500" and a "3,000" relayed by two outlets (confirmed).
    # The floor is the greatest hard low the originator confirmably stated before: the
    # 3,000's 2,700. The day's statements are not before one another, so the 2,500 is
    # no correction of the 3,000, in whichever order their ids put them. A later "2,600"
    # lies below that floor: read as stated, a downward revision.
    for a, b, c in itertools.permutations("abc"):
        day3 = [
            claim(a, "2,500", "un", 3),
            claim(b, "3,000", "un", 3, via="Wire"),
            claim(c, "3,000", "un", 3, via="Radio"),
        ]
        f = figure(tmp_path, [*day3, claim("d", "at least 2,600", "un", 8)])
        assert (f.low, f.best) == (2700, 2700)
        g = figure(tmp_path, [*day3, claim("d", "2,600", "un", 8)])
        assert (g.low, g.best, g.high) == (2550, 2600, 2650)
        assert "downward-revision" in codes(g)
        direct = [claim(a, "2,500", "un", 3), claim(b, "3,000", "un", 3)]
        h = figure(tmp_path, [*direct, claim("d", "at least 2,600", "un", 8)])
        assert (h.low, h.best) == (2700, 2700)


def test_r2_a_change_on_the_same_day_corrects_the_figure_it_changes(tmp_path: Path) -> None:
    # "revised down from 3,000 to 2,500" corrects the 3,000 of its own day (R2: a
    # correction), so the day leaves a floor of 2,450, not 2,700, whatever the ids.
    for a, b in (("a", "b"), ("b", "a")):
        day3 = [
            claim(a, "3,000", "un", 3),
            claim(b, "revised down from 3,000 to 2,500", "un", 3),
        ]
        f = figure(tmp_path, [*day3, claim("d", "at least 2,000", "un", 8)])
        assert (f.low, f.best) == (2450, 2450)


def test_r2_a_change_only_relayed_does_not_correct_the_originators_direct_figure(
    tmp_path: Path,
) -> None:
    # R2's order of one day puts a direct statement before a relayed change, so the
    # direct 3,000 stands beside "revised down from 3,000 to 2,500" carried by two
    # outlets: it is the day's current figure, and later it sets a floor of 2,700.
    day3 = [
        claim("a", "3,000", "un", 3),
        claim("b", "revised down from 3,000 to 2,500", "un", 3, via="Wire"),
        claim("c", "revised down from 3,000 to 2,500", "un", 3, via="Radio"),
    ]
    assert figure(tmp_path, day3).best == 3000
    f = figure(tmp_path, [*day3, claim("d", "at least 2,000", "un", 8)])
    assert (f.low, f.best) == (2700, 2700)
    # Stated directly, the change corrects the 3,000 (the test above).
    direct = [claim("a", "3,000", "un", 3), claim("b", "revised down from 3,000 to 2,500", "un", 3)]
    assert figure(tmp_path, [*direct, claim("d", "at least 2,000", "un", 8)]).low == 2450


def test_r2_a_change_of_the_day_is_corrected_by_a_later_change_of_that_day(
    tmp_path: Path,
) -> None:
    # "rose from 2,000 to 3,000", then "revised down from 3,000 to 2,500", on one day:
    # the second corrects the first, so the day's floor is 2,450 and a later 2,600 is
    # no downward revision, whatever the ids.
    for a, b in (("a", "b"), ("b", "a")):
        day3 = [
            claim(a, "rose from 2,000 to 3,000", "un", 3),
            claim(b, "revised down from 3,000 to 2,500", "un", 3),
        ]
        f = figure(tmp_path, [*day3, claim("d", "2,600", "un", 8)])
        assert (f.low, f.best, f.high) == (2550, 2600, 2650)
        assert "downward-revision" not in codes(f)


def test_r2_two_changes_of_one_day_that_undo_each_other_correct_neither(
    tmp_path: Path,
) -> None:
    # "revised down from 3,000 to 2,500" and "rose from 2,500 to 3,000" on one day: R2
    # orders neither as the other's correction, so both count toward the floor (2,700).
    day3 = [
        claim("a", "revised down from 3,000 to 2,500", "un", 3),
        claim("b", "rose from 2,500 to 3,000", "un", 3),
    ]
    assert figure(tmp_path, [*day3, claim("d", "at least 2,000", "un", 8)]).low == 2700


def test_r4_a_figure_changed_on_its_day_makes_no_later_relay_old(tmp_path: Path) -> None:
    # The 3,000 of day 3 is corrected that day ("revised down from 3,000 to 2,500"), so a
    # relayed 2,600 of day 5 is the originator's newer figure, not an old one relayed
    # late below a floor of 2,700.
    day3 = [claim("a", "3,000", "un", 3), claim("b", "revised down from 3,000 to 2,500", "un", 3)]
    f = figure(tmp_path, [*day3, claim("d", "2,600", "un", 5, via="Wire")])
    assert f.best == 2600
    assert "d" in f.claims_used


def test_r2_an_earlier_days_wording_is_voted_by_all_its_claims_and_sets_a_floor_if_confirmed(
    tmp_path: Path,
) -> None:
    # One outlet relays day 3's statement twice as "more than 3,000" and once as
    # "3,000": the statement is "more than 3,000", which only that outlet carried and
    # the originator's own later 1,900 does not bear out (1,900 < 3,001 / 1.5). It sets
    # no floor, so the 1,900 is no downward revision; the "3,000" alone, which the 1,900
    # would bear out, is not the statement.
    day3 = [
        claim("a", "more than 3,000", "un", 3, via="Wire"),
        claim("b", "more than 3,000", "un", 3, via="Wire"),
        claim("c", "3,000", "un", 3, via="Wire"),
    ]
    f = figure(tmp_path, [*day3, claim("d", "1,900", "un", 8)])
    assert (f.low, f.best, f.high) == (1850, 1900, 1950)
    assert "downward-revision" not in codes(f)
    assert figure(tmp_path, day3, as_of=day(4)).low == 3001


def test_r4_an_old_figure_relayed_late_is_measured_against_the_statement_as_worded(
    tmp_path: Path,
) -> None:
    # Day 3's statement, relayed as "more than 3,000" and as "3,000", is "3,000" (the
    # more precise wording): 2,700-3,300. A later relayed 2,990 lies inside it, not
    # below it, so it is no old figure relayed late but the originator's newer figure.
    for first, second in (("a", "b"), ("b", "a")):
        day3 = [
            claim(first, "more than 3,000", "un", 3, via="Wire"),
            claim(second, "3,000", "un", 3, via="Radio"),
        ]
        f = figure(tmp_path, [*day3, claim("c", "2,990", "un", 8, via="Paper")])
        assert (f.low, f.best, f.high) == (2985, 2990, 2995)
        assert excluded(f) == {first: "superseded", second: "superseded"}


def test_r7_an_outlier_of_an_unresolved_conflict_is_measured_from_the_tied_regions(
    tmp_path: Path,
) -> None:
    # Two rights groups' 1,000 and 2,000 tie (same weight, day and independence): R7
    # uses both regions, 850-1,150 and 1,700-2,300, which share no point. An outlier
    # is measured from the nearest, not from their empty overlap ("1,700–1,150"), and
    # may lie between them.
    f = figure(
        tmp_path,
        [
            claim("a", "1,000", "ngo", 5),
            claim("b", "2,000", "ngo2", 5),
            claim("c", "10,000", "media", 5),
            claim("d", "1,400", "media2", 5),
        ],
        explain=True,
    )
    assert "unresolved-conflict" in codes(f)
    assert note(f, "outlier").message == (
        "Outside the tied agreement regions 850–1,150 and 1,700–2,300: c (10,000) lies "
        "6,700 above; d (1,400) lies between them, 200 from the nearest."
    )
    assert note(f, "unresolved-conflict").message.endswith(
        "the claims of every tied region are used: a (1,000), b (2,000)."
    )


def test_r7_an_open_agreement_region_reads_or_more(tmp_path: Path) -> None:
    # Two floors agree with everything above them: the region has no upper end.
    f = figure(
        tmp_path,
        [
            claim("a", "at least 1,000", "ngo", 5),
            claim("b", "at least 1,100", "un", 5),
            claim("c", "500", "media", 5),
        ],
    )
    assert note(f, "outlier").message == (
        "Outside the agreement region 1,045 or more: c (500) lies 495 below."
    )
