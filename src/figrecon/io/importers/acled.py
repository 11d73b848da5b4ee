"""ACLED's events, as its data export writes them: one `fatalities` figure per event
(`event_id_cnty`), and the Unix time of the event's last update (`timestamp`), whose
latest value dates the export."""

from __future__ import annotations

from ...model import Finding
from .events import Format, Layout, named_layout, normalized

ROLES = {
    "id": "event_id_cnty",
    "start": "event_date",
    "end": "event_date",
    "country": "country",
    "best": "fatalities",
}
OPTIONAL = {"adm1": "admin1", "released": "timestamp"}
"""The notes list the event ids alone: ACLED's `source` names every outlet of every event,
which would make a note of a country-year as long as the export itself."""


def layout(file: str, rows: list[list[str]]) -> Layout | Finding:
    return named_layout("ACLED", file, rows, ROLES, OPTIONAL, {})


def detect(rows: list[list[str]]) -> bool:
    names = {normalized(name) for name in rows[0]} if rows else set()
    return set(ROLES.values()) <= names


FORMAT = Format(
    name="acled",
    title="ACLED",
    source="ACLED",
    url="https://acleddata.com/",
    layout=layout,
    detect=detect,
    # The API writes ISO dates; the export tool writes "12 January 2023".
    date_formats=("%Y-%m-%d", "%d %B %Y"),
)
