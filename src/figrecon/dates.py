"""The one way figrecon reads a day: YYYY-MM-DD. Python's `date.fromisoformat` also
takes 20220106 and 2022-W01-4, which nobody coding claims means as a date. Kept free of
heavy imports: the command line checks --as-of before it loads anything."""

from __future__ import annotations

import datetime as dt
import re

from .errors import UsageError

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_day(text: str) -> bool:
    return ISO_DAY.fullmatch(text.strip()) is not None


def parse_day(text: str, what: str) -> dt.date:
    """The date `text` names; a UsageError naming `what` (a flag, an argument)."""
    try:
        if not is_day(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} {text!r}: write the date as YYYY-MM-DD") from None


_PERIOD_END = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def period_span(text: str) -> tuple[int, int] | None:
    """The first and last day (as ordinals) of a period written YYYY, YYYY-MM,
    YYYY-MM-DD or two of those joined by "/" (2022-01-04/2022-01-06); None for a period
    in other words ("in the past 24 hours"), which R10a cannot place in time."""
    ends = text.strip().split("/")
    if len(ends) > 2:
        return None
    start, end = _day_span(ends[0]), _day_span(ends[-1])
    if start is None or end is None or start[0] > end[1]:
        return None
    return start[0], end[1]


def _day_span(text: str) -> tuple[int, int] | None:
    match = _PERIOD_END.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(x) if x else None for x in match.groups())
    assert year is not None
    try:
        if day is not None and month is not None:
            one = dt.date(year, month, day).toordinal()
            return one, one
        if month is not None:
            start = dt.date(year, month, 1)
            following = dt.date(year + month // 12, month % 12 + 1, 1)
            return start.toordinal(), following.toordinal() - 1
        return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    except ValueError:
        return None
