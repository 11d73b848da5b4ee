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
