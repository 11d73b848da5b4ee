"""UCDP's Georeferenced Event Dataset (GED): per event, UCDP's low, best and high
estimates of deaths, the deaths of each side, of civilians and of unknown status, and
the originator of the figure (`source_original`). Columns as GED's CSV names them."""

from __future__ import annotations

from ...model import Finding
from .events import Format, Layout, named_layout, normalized

ROLES = {
    "id": "id",
    "start": "date_start",
    "end": "date_end",
    "country": "country",
    "best": "best",
    "low": "low",
    "high": "high",
}
OPTIONAL = {"adm1": "adm_1", "origin": "source_original"}
GROUPS = {
    "side_a": "deaths_a",
    "side_b": "deaths_b",
    "civilians": "deaths_civilians",
    "unknown_status": "deaths_unknown",
}
"""Deaths of side A and side B of the event's dyad, of civilians and of persons of unknown
status: the four add up to `best`, UCDP's best estimate of the event's deaths."""


def layout(file: str, rows: list[list[str]]) -> Layout | Finding:
    return named_layout("UCDP GED", file, rows, ROLES, OPTIONAL, GROUPS)


def detect(rows: list[list[str]]) -> bool:
    names = {normalized(name) for name in rows[0]} if rows else set()
    return {*ROLES.values(), *GROUPS.values()} <= names


FORMAT = Format(
    name="ucdp-ged",
    title="UCDP GED",
    source="UCDP GED",
    url="https://ucdp.uu.se/downloads/",
    layout=layout,
    detect=detect,
)
