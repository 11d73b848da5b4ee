"""The shipped dataset: real, sourced claims about January 2022 in Kazakhstan."""

from __future__ import annotations

from pathlib import Path

import pytest

import figrecon
from figrecon.models import Figure

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
    assert killed.history.least.value != 164 and killed.history.greatest.value != 164
