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
    if not is_day(text):
        raise UsageError(f"{what} {text!r}: write the date as YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"{what} {text!r}: that day is not in the calendar") from None


PERIOD_END = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
"""An end of a period as written: YYYY, YYYY-MM or YYYY-MM-DD."""
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
            if month == 12:  # December of 9999 has no month after it
                return start.toordinal(), dt.date(year, 12, 31).toordinal()
            following = dt.date(year, month + 1, 1)
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
_UNIT_HOURS = {"hour": 1, "hr": 1, "day": 24, "week": 168}
_RELATIVE = re.compile(
    r"(?:(?:in|over|during|within|for)\s+)?(?:the\s+)?(?:past|last|previous|preceding)\s+"
    r"(?:(\d{1,4}|" + "|".join(_COUNT) + r")\s+)?(hour|hr|day|week)s?"
)
_DAYS = {"today": 0, "yesterday": 1}


def relative_period(text: str) -> str | int | None:
    """A period counted back from the day of its statement: "yesterday" and "today" as
    the days before that day they are (1, 0); a span of hours, days or weeks ("in the
    past 24 hours", "over the last 7 days", "the past two weeks", "overnight") as its
    length in words of one form ("24 hours", "7 days", "14 days", "overnight"): up to 72
    hours in hours, longer spans of whole days in days. None for any other period."""
    words = " ".join(text.strip().lower().rstrip(".").split())
    if words in _DAYS:
        return _DAYS[words]
    if words == "overnight":
        return "overnight"
    match = _RELATIVE.fullmatch(words)
    if match is None:
        return None
    count, unit = match.groups()
    n = 1 if count is None else int(count) if count.isdigit() else _COUNT[count]
    hours = n * _UNIT_HOURS[unit]
    if not hours:
        return None
    return f"{hours} hours" if hours <= 72 or hours % 24 else f"{hours // 24} days"


def dated_period(text: str, day: int) -> str | None:
    """`text`, a period counted back from its statement (`relative_period`), placed by
    the day of the statement (an ordinal): "yesterday" and "today" are that day
    ("2023-09-19", "2023-09-20" for a statement of 2023-09-20); a span keeps its length
    and the day it ends: "24 hours to 2023-09-20" for "in the past 24 hours". Such a
    span is no calendar period (24 hours to a morning statement cover parts of two
    dates), so R10a makes it a part only of the figure without a period. None for any
    other period."""
    back = relative_period(text)
    if back is None:
        return None
    if isinstance(back, int):
        return dt.date.fromordinal(day - back).isoformat() if day - back >= 1 else None
    return f"{back} to {dt.date.fromordinal(day).isoformat()}"
