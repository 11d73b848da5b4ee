"""The one way figrecon reads a day: YYYY-MM-DD. Python's `date.fromisoformat` also
takes 20220106 and 2022-W01-4, which nobody coding claims means as a date. Kept free of
heavy imports: the command line checks --as-of before it loads anything."""

from __future__ import annotations

import datetime as dt
import math
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


_COUNT = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fourteen": 14,
    "twenty-four": 24,
    "forty-eight": 48,
    "seventy-two": 72,
}
_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7}
_RELATIVE = re.compile(
    r"(?:(?:in|over|during|within|for)\s+)?(?:the\s+)?(?:past|last|previous|preceding)\s+"
    r"(?:(\d{1,4}|" + "|".join(_COUNT) + r")\s+)?(hour|day|week)s?"
)
_NAMED = {"today": (0, 0), "yesterday": (1, 1), "overnight": (1, 0)}


def relative_period(text: str) -> tuple[int, int] | None:
    """A period counted back from the day of its statement, as (days before that day
    it starts, days before that day it ends): "in the past 24 hours" (1, 0), "over the
    last 7 days" (7, 0), "the past two weeks" (14, 0), "yesterday" (1, 1), "today"
    (0, 0), "overnight" (1, 0); None for any other period. Hours round up to whole days
    (48 hours: 2 days back)."""
    words = " ".join(text.strip().lower().rstrip(".").split())
    if words in _NAMED:
        return _NAMED[words]
    match = _RELATIVE.fullmatch(words)
    if match is None:
        return None
    count, unit = match.groups()
    n = 1 if count is None else int(count) if count.isdigit() else _COUNT[count]
    if n == 0:
        return None
    days = n * _UNIT_DAYS[unit]
    return max(1, math.ceil(days - 1e-9)), 0


def dated_period(text: str, day: int) -> str | None:
    """`text`, a period counted back from its statement (`relative_period`), as the
    days it covers for a statement dated `day` (an ordinal): "in the past 24 hours"
    stated on 2023-09-20 is 2023-09-19/2023-09-20; None for any other period."""
    back = relative_period(text)
    if back is None:
        return None
    if day - back[0] < 1:
        return None
    start, end = (dt.date.fromordinal(day - b).isoformat() for b in back)
    return start if start == end else f"{start}/{end}"
