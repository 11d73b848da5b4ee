"""Two synthetic events coded from RECONCILIATION.md alone, each figure worked out by
hand from the rules before the event was first reconciled (the fixtures' comments say
which rules each one exercises)."""

from __future__ import annotations

from pathlib import Path

import pytest

import figrecon
from figrecon.model import Figure

EVENTS = Path(__file__).parent / "fixtures" / "events"


def figures(name: str) -> dict[tuple[str, str, str, str, str], Figure]:
    result = figrecon.reconcile(figrecon.load(EVENTS / name))
    return {f.key: f for f in result.figures}


@pytest.fixture(scope="module")
def port() -> Figure:
    return figures("port-clashes.yaml")[("port-clashes", "killed", "total", "Portland", "")]


@pytest.fixture(scope="module")
def river() -> dict[tuple[str, str, str, str, str], Figure]:
    return figures("river-detentions.yaml")


def test_port_clashes_a_lone_relayed_typo_does_not_move_the_toll(port: Figure) -> None:
    # p5 (870), relayed by one paper only, is not confirmed: it sets the health
    # ministry no floor, so its later "at least 90" reads as stated.
    assert (port.low, port.best, port.high, port.open_upper) == (24, 95, 110, True)
    assert "downward-revision" not in [n.code for n in port.notes]


def test_port_clashes_members_and_set_aside(port: Figure) -> None:
    assert port.claims_used == ["p1", "p6", "p7", "p9"]
    assert {e.id: e.reason for e in port.claims_excluded} == {
        "p2": "superseded",
        "p3": "superseded",
        "p4": "superseded",
        "p5": "superseded",
        "p8": "outlier",
    }


def test_port_clashes_confidence_counts_the_state_once(port: Figure) -> None:
    # Interior and health ministries are one side; the rights floor and the UN ceiling
    # both reach the best of 95.
    assert (port.independent_sources, port.confidence) == (3, "high")
    assert (port.ratio, port.disagreement) == (3.333, "major")


def test_river_detentions_the_whole_is_raised_to_a_city_week(river: dict) -> None:
    whole = river[("river-detentions", "detained", "total", "Riverland", "")]
    assert (whole.low, whole.best, whole.high, whole.open_upper) == (11000, 11000, 11000, True)
    assert (whole.confidence, whole.independent_sources) == ("moderate", 2)
    assert {e.id: e.reason for e in whole.claims_excluded} == {
        "r1": "superseded",
        "r2": "stale",
    }
    notes = {n.code: n.message for n in whole.notes}
    assert notes["part-whole"] == (
        "Raised to 11,000: the Riverland/Capital · 2023-06-05/2023-06-07 figure "
        "(10,500–11,500, low confidence) is a part of this one, and a part cannot exceed "
        "its whole. The sources and confidence given here are this figure's own."
    )
    assert notes["bounds-conflict"].startswith(
        "r3 (some 9,900) and r4 (at least 10,200) exclude each other: a gap of 250 (3%)"
    )


def test_river_detentions_the_latest_stock_count_stands(river: dict) -> None:
    held = river[("river-detentions", "held", "total", "Riverland", "")]
    assert (held.low, held.best, held.high) == (785, 790, 795)
    assert {e.id: e.reason for e in held.claims_excluded} == {"r6": "stale"}
