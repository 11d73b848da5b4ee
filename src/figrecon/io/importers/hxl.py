"""Files tagged with HXL hashtags (the Humanitarian Exchange Language), as HDX publishes
them: a row of hashtags (`#affected+killed`, `#date+start`, ...) under the column names.
Columns are found by hashtag, whatever their names or order:

- `#affected+killed`: deaths (best); `+min` low, `+max` high; any other attribute names
  a group (`#affected+killed+civilians`: the group `civilians`, best only);
- `#event+id`, else `#event+code` (HDX's tag of ACLED's event_id_cnty): the event id
  (else the event is known by its line);
- `#date+start` and `#date+end`, or one `#date` (or `#date+occurred`, HDX's tag of
  ACLED's event_date): the event's dates; without them, `#date+year` and
  `#date+month` (a month's name or number) of rows that each count a month, as HDX
  gives ACLED's figures by month (or `#date+year` alone: a year);
- `#country+name`, `#adm1+name` (else the place's code, `#country+code`): where;
- `#meta+source`: the dataset that states the figures when it is one value throughout;
  otherwise each event's provenance, with `#meta+source+original`, the originator of
  each event's figure, when there is one.
"""

from __future__ import annotations

import re

from ...model import Finding
from ..records import error
from .events import HEADER_SCAN, Format, Layout, hashtags, repeated

_TAG = re.compile(r"\s*#([a-z][a-z0-9_]*)((?:\s*\+\s*[a-z][a-z0-9_]*)*)\s*", re.IGNORECASE)
BOUNDS = {"min": "low", "max": "high"}


def parse_tag(cell: str) -> tuple[str, tuple[str, ...]] | None:
    """A hashtag as its tag and attributes, in lower case: `#affected +killed` is
    ("affected", ("killed",)); None for a cell that is no hashtag."""
    match = _TAG.fullmatch(cell)
    if match is None:
        return None
    attributes = tuple(a.strip().lower() for a in match.group(2).split("+")[1:])
    return match.group(1).lower(), attributes


def tag_text(tag: tuple[str, tuple[str, ...]]) -> str:
    return "#" + "+".join((tag[0], *tag[1]))


def hashtag_row(rows: list[list[str]]) -> int | None:
    """The row of hashtags: the first whose cells are all hashtags (or empty)."""
    for at, row in enumerate(rows[:HEADER_SCAN]):
        if hashtags(row):
            return at
    return None


def _killed(tag: tuple[str, tuple[str, ...]] | None) -> bool:
    return tag is not None and tag[0] == "affected" and "killed" in tag[1]


def detect(rows: list[list[str]]) -> bool:
    """HDX's layout: hashtags in the first or second row, with deaths among them."""
    at = hashtag_row(rows[:2])
    return at is not None and any(_killed(parse_tag(cell)) for cell in rows[at])


def layout(file: str, rows: list[list[str]]) -> Layout | Finding:
    at = hashtag_row(rows)
    if at is None:
        return error(
            "invalid-dataset",
            file,
            1,
            f"no row of HXL hashtags (#affected+killed, #date, ...) in the first {HEADER_SCAN} "
            "rows",
            "check that this is the file you meant, and its --input-format",
        )
    tags = [parse_tag(cell) for cell in rows[at]]
    names = [cell.strip() for cell in rows[at - 1]] if at else [""] * len(tags)
    names += [""] * (len(tags) - len(names))
    shown = tuple(tag_text(t) if t else names[i] or f"column {i + 1}" for i, t in enumerate(tags))

    ambiguous: list[tuple[str, list[int]]] = []

    def find(tag: str, *wanted: str, exact: bool = False) -> int | None:
        """The column tagged `tag` with the `wanted` attributes: the one tagged with them
        alone, else the one whose attributes include them (not `exact`). Two of those
        and none alone (#date+start+utc, #date+start+local) leave the column to chance:
        an error (`ambiguous`)."""
        matches = [i for i, t in enumerate(tags) if t and t[0] == tag and set(wanted) <= set(t[1])]
        alone = [i for i in matches if set(tags[i][1]) == set(wanted)]  # type: ignore[index]
        if alone or exact:
            return alone[0] if alone else None
        if len(matches) > 1:
            ambiguous.append(("#" + "+".join((tag, *wanted)), matches))
        return matches[0] if matches else None

    roles: dict[str, int | None] = {}
    groups: dict[str, int] = {}
    for i, t in enumerate(tags):
        if not _killed(t):
            continue
        assert t is not None
        rest = [a for a in t[1] if a != "killed"]
        bound = [BOUNDS[a] for a in rest if a in BOUNDS]
        group = [a for a in rest if a not in BOUNDS]
        if group and not bound:
            groups.setdefault("_".join(group), i)
        elif not group:
            roles.setdefault(bound[0] if bound else "best", i)
    # One date for the event when there is no #date+start: #date, or #date+occurred, as
    # HDX tags ACLED's event_date.
    date = None
    if find("date", "start") is None:
        date = find("date", exact=True)
        date = find("date", "occurred") if date is None else date
    # Without a day: rows that count a month (#date+year and #date+month, as HDX gives
    # ACLED's figures by month) or a year; each is read as a span of those days.
    year = (
        find("date", "year", exact=True) if date is None and find("date", "start") is None else None
    )
    if year is not None:
        date = year
        roles.update(year=year, month=find("date", "month", exact=True))
    event_id = find("event", "id")
    roles.update(
        # HDX tags ACLED's event_id_cnty #event+code.
        id=find("event", "code") if event_id is None else event_id,
        start=find("date", "start") if date is None else date,
        end=find("date", "end") if date is None else date,
        country=_name(tags, "country"),
        adm1=_name(tags, "adm1"),
        origin=find("meta", "source", "original") or find("meta", "source", exact=True),
        source=find("meta", "source", exact=True),
    )
    needed = {
        "best": "#affected+killed",
        "start": "#date+start (or #date, #date+occurred, #date+year)",
        "end": "#date+end (or #date, #date+occurred, #date+year)",
        "country": "#country+name (or #country+code)",
    }
    # HXL lets a hashtag tag several columns (#org, #sector); one the import reads must
    # tag one column, or which holds the figures would be left to chance.
    read = {*(pos for pos in roles.values() if pos is not None), *groups.values()}
    same = [(t[0], frozenset(t[1])) if t else None for t in tags]
    twice = repeated(file, at + 1, shown, same, read)
    if twice is not None:
        return twice
    for wanted, columns in ambiguous[:1]:
        return error(
            "invalid-dataset",
            file,
            at + 1,
            " and ".join(f"{shown[i]} (column {i + 1})" for i in columns)
            + f" each match {wanted}: which one the import reads would be left to chance",
            f"tag one of them {wanted} alone, or keep one",
        )
    missing = [text for role, text in needed.items() if roles.get(role) is None]
    if missing:
        return error(
            "invalid-dataset",
            file,
            at + 1,
            "no column tagged " + ", ".join(missing),
            "tag the columns, or check that this is the file you meant",
        )
    keys = {_key(name): i for i, name in reversed(list(enumerate(names))) if name}
    keys.update({tag_text(t): i for i, t in reversed(list(enumerate(tags))) if t})
    found = {role: pos for role, pos in roles.items() if pos is not None}
    return Layout(header_rows=at + 1, names=shown, keys=keys, groups=groups, **found)


def _name(tags: list[tuple[str, tuple[str, ...]] | None], tag: str) -> int | None:
    """The column of a place: `#country+name` (before a name with more attributes, such
    as HDX HAPI's `#adm1+name+provider`), else a `#country` that is no code, else its code
    (`#country+code`, HAPI's one column of the country)."""
    ranked: dict[int, int] = {}
    for i, t in enumerate(tags):
        if not t or t[0] != tag:
            continue
        if t[1] == ("name",):
            rank = 0
        elif "name" in t[1]:
            rank = 1
        elif "code" not in t[1]:
            rank = 2
        else:
            rank = 3
        ranked.setdefault(rank, i)
    return ranked[min(ranked)] if ranked else None


def _key(name: str) -> str:
    from .events import normalized

    return normalized(name)


FORMAT = Format(
    name="hxl",
    title="HXL",
    source=None,
    url=None,
    layout=layout,
    detect=detect,
)
