"""The shipped dataset: real, sourced claims about January 2022 in Kazakhstan."""

from __future__ import annotations

from pathlib import Path

import pytest

import figrecon
from figrecon.model import Figure

KZ = Path(__file__).parent.parent / "data" / "kazakhstan-2022.yaml"


@pytest.fixture(scope="module")
def claims() -> figrecon.Claims:
    return figrecon.load(KZ)


@pytest.fixture(scope="module")
def figures(claims: figrecon.Claims) -> dict[tuple[str, str, str, str], Figure]:
    result = figrecon.reconcile(claims)
    return {(f.metric, f.group, f.location or "", f.period or ""): f for f in result.figures}


def test_loads_every_researched_claim_without_findings(claims: figrecon.Claims) -> None:
    ids = set(claims.ids)
    assert {f"kz-{i:03d}" for i in range(1, 154)} <= ids
    assert claims.findings == []


def test_every_claim_keeps_wording_date_originator_and_address(claims: figrecon.Claims) -> None:
    frame = claims.frame
    researched = frame[frame["id"].str.match(r"kz-\d{3}$")]
    assert researched["quote"].map(bool).all()
    assert researched["url"].map(bool).all() or researched["note"].str.contains("Page title").any()
    assert researched["stated_on"].notna().all()
    assert researched["source"].notna().all()


def test_the_withdrawn_164_is_in_no_range(figures: dict) -> None:
    killed = figures[("killed", "total", "Kazakhstan", "")]
    assert killed.best == 238
    assert not killed.low <= 164 <= killed.high
    withdrawn = {e.id for e in killed.claims_excluded if e.reason == "withdrawn"}
    assert {"kz-033", "kz-035", "kz-047", "kz-055", "kz-062"} <= withdrawn
    assert not withdrawn & set(killed.claims_used)
    assert killed.history is not None
    assert killed.history.least.value != 164
    assert killed.history.greatest.value != 164


def test_security_forces_killed_is_19_with_partial_counts_as_history(figures: dict) -> None:
    f = figures[("killed", "security_forces", "Kazakhstan", "")]
    assert f.best == 19
    assert "outlier" not in [n.code for n in f.notes]
    reasons = {e.id: e.reason for e in f.claims_excluded}
    # The partial counts 8, 18 and 16 are history; the floors "at least 12" and
    # "at least 16" agree with 19 and are not in conflict with it.
    assert {reasons[i] for i in ("kz-004", "kz-009", "kz-036")} <= {"superseded", "stale"}
    assert {"kz-006", "kz-032", "kz-068"} <= set(f.claims_used)


def test_injured_is_the_prosecutors_4353_not_the_4578_victims(figures: dict) -> None:
    f = figures[("injured", "total", "Kazakhstan", "")]
    assert f.best == 4353
    assert "kz-073" in f.claims_used
    assert not {"kz-075", "kz-143"} & set(f.claims_used + [e.id for e in f.claims_excluded])
    assert figures[("victims", "total", "Kazakhstan", "")].best == 4578


def test_the_agency_sum_of_12000_counts_once_and_not_as_an_official_figure(
    claims: figrecon.Claims, figures: dict
) -> None:
    frame = claims.frame.set_index("id")
    echoes = ["kz-059", "kz-061", "kz-063", "kz-085", "kz-135"]
    assert set(frame.loc[echoes, "originator"]) == {"ap"}
    assert set(frame.loc[echoes, "type"]) == {"media"}
    detained = figures[("detained", "total", "Kazakhstan", "")]
    used_ap = [i for i in detained.claims_used if i in echoes]
    assert detained.sources.count("Associated Press") <= 1
    assert all(frame.loc[i, "originator"] == "ap" for i in used_ap)


def test_held_is_reconciled_apart_from_detained(figures: dict) -> None:
    held = figures[("held", "total", "Kazakhstan", "")]
    detained = figures[("detained", "total", "Kazakhstan", "")]
    assert held.best == 292
    assert not set(held.claims_used) & set(detained.claims_used)
    assert held.measure == "stock"


def test_the_un_could_not_verify_the_toll_note_sits_with_the_death_toll(figures: dict) -> None:
    killed = figures[("killed", "total", "Kazakhstan", "")]
    unverified = next(n for n in killed.notes if n.code == "unverified")
    assert unverified.claims == ["kz-a01"]
    assert "UN Human Rights Office" in unverified.message


def test_the_sources_listed_add_up_to_the_sources_counted(
    figures: dict[tuple[str, str, str, str], Figure],
) -> None:
    for f in figures.values():
        if f.best is not None:
            assert f.independent is not None
            assert sum(u.share for u in f.independent) == f.independent_sources, f.key


def test_the_organs_of_the_kazakh_state_are_one_source(
    figures: dict[tuple[str, str, str, str], Figure],
) -> None:
    killed = figures[("killed", "total", "Kazakhstan", "")]
    state = [u for u in killed.independent or [] if u.side == "kazakh-state"]
    assert [len(u.names) for u in state] == [2]
