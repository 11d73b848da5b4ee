"""The pydantic models: the single definition of the claim format and the outputs."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from figrecon.model import Claim, ClaimFile, Figure, Finding, Quantity, Result, Severity


def test_a_claim_validates_and_normalizes_its_fields() -> None:
    claim = Claim(
        id=7,
        metric="killed",
        value=225,
        source="court",
        stated_on="2022-01-15",
        retracts="a, b",
        retracted="yes",
        location=" Kazakhstan / Almaty ",
    )
    assert (claim.id, claim.value, claim.group) == ("7", "225", "total")
    assert claim.stated_on == dt.date(2022, 1, 15)
    assert claim.retracts == ["a", "b"]
    assert claim.retracted is True
    assert claim.location == "Kazakhstan/Almaty"
    assert Claim(metric="killed", value="5", source="x", stated_on="undated").stated_on == "undated"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "5", "stated_on": "2022-02-30"}, "'2022-02-30' is not a date"),
        ({"value": "5", "stated_on": "2022-01-01", "metric": "Killed"}, "is not a slug"),
        ({"stated_on": "2022-01-01"}, "states nothing"),
        (
            {"value": "5", "low": 3, "stated_on": "2022-01-01"},
            "either as value or as low/high/best",
        ),
        ({"value": "5", "stated_on": "2022-01-01", "vale": 3}, "Extra inputs are not permitted"),
        ({"low": 5, "high": 3, "stated_on": "2022-01-01"}, "low 5 is above high 3"),
    ],
)
def test_invalid_claims_say_why(fields: dict, message: str) -> None:
    data = {"metric": "killed", "source": "x", **fields}
    with pytest.raises(ValidationError, match=message):
        Claim(**data)


def test_a_claim_file_schema_lists_every_field() -> None:
    schema = ClaimFile.model_json_schema()
    fields = set(schema["$defs"]["Claim"]["properties"])
    assert fields == set(Claim.model_fields)
    assert schema["$defs"]["Claim"]["required"] == ["metric", "source", "stated_on"]


def test_quantities_and_figures_serialize_whole_numbers_as_integers() -> None:
    q = Quantity(
        text="at least 230",
        kind="lower_bound",
        hard_low=230.0,
        hard_high=None,
        soft_low=230.0,
        soft_high=240.0,
        point=230.0,
        figure=230.0,
    )
    assert q.model_dump(mode="json")["hard_low"] == 230
    assert q.model_dump(mode="json")["hard_high"] is None
    assert q.hard == (230.0, float("inf"))


def test_a_finding_prints_as_one_located_line() -> None:
    f = Finding(
        code="invalid-field",
        severity=Severity.error,
        file="a.yaml",
        line=9,
        field="stated_on",
        message="'2022-13-01' is not a date",
        hint="write YYYY-MM-DD",
    )
    assert str(f) == "a.yaml:9: stated_on: '2022-13-01' is not a date; write YYYY-MM-DD"


def test_the_output_schema_describes_figures() -> None:
    schema = Result.model_json_schema(mode="serialization")
    figure = schema["$defs"]["Figure"]["properties"]
    for key in (
        "low",
        "best",
        "high",
        "open_upper",
        "confidence",
        "independent_sources",
        "ratio",
        "claims_used",
        "claims_excluded",
        "notes",
        "history",
    ):
        assert key in figure
    assert set(Figure.model_fields) >= {"event", "metric", "group", "location", "period"}
