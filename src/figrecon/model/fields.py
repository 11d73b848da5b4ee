"""The types of claim fields, each with the validation the loaders apply (a slug, a
day written YYYY-MM-DD, a count of people, ...) and the messages it gives.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    PlainSerializer,
)
from pydantic_core import PydanticCustomError

from ..dates import PERIOD_END, is_day
from ..text import brief
from .vocab import MAX_COUNT, UNDATED

_SLUG = re.compile(r"[a-z0-9][a-z0-9_\-.]*")


def _slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise PydanticCustomError(
            "slug",
            "'{value}' is not a slug (lowercase letters, digits, '_', '-' or '.')",
            {"value": value},
        )
    return value


def _text(value: Any) -> Any:
    """Numbers given where text is expected (ids, values) are read as written."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return repr(value)
    return value


def _nonblank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "is empty", {})
    return value.strip()


_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
"""Characters that show nothing: a zero-width space or joiner, a word joiner, a byte
order mark, a soft hyphen."""


_SPACES = re.compile(r"[ \u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
"""Runs of space characters (Unicode's category Zs: no-break, thin, ideographic)."""


def _name(value: str) -> str:
    """A name that says who (a source, a carrier) as one spelling: names that look the
    same are the same originator. Composed characters (NFC: an accented letter typed as
    a letter and an accent is that letter), any space (no-break, thin) as one space, and
    nothing invisible; case and wording are kept ("AP" is not "Associated Press")."""
    text = _nonblank(value)
    if not text.isascii():
        import unicodedata

        text = _nonblank(unicodedata.normalize("NFC", text).translate(_INVISIBLE))
    # Spaces only: a control character (a tab, a line break) stays as given, for the
    # outputs to show it as it is.
    return _SPACES.sub(" ", text)


def _via(value: str) -> str:
    """A carrier, or a chain of carriers from the outlet that printed the figure to the
    one nearest its originator ("The Week < Reuters"), each a name (`_name`), written
    with " < " between them."""
    if ">" in value:
        # "Reuters > Daily Mail" was one carrier of that name, unlike "Reuters": a relay
        # it carried counted as carried by a second outlet (R2's confirmation).
        raise PydanticCustomError(
            "via",
            "{chain} has a '>'; a chain runs from the outlet that printed the figure to "
            "the one nearest its originator, joined by '<'",
            {"chain": repr(value)},
        )
    links = [_name(link) if link.strip() else "" for link in _name(value).split("<")]
    if not all(links):
        raise PydanticCustomError(
            "via", "an empty link in the chain {chain}", {"chain": repr(value)}
        )
    seen: set[str] = set()
    twice = []
    for link in links:  # in one pass: a chain may have 100,000 links
        if link in seen:
            twice.append(link)
        seen.add(link)
    if twice:
        raise PydanticCustomError(
            "via", "the chain {chain} names {name} twice", {"chain": repr(value), "name": twice[0]}
        )
    return " < ".join(links)


def name_key(value: str) -> str:
    """A name as `Name` validates it (`_name`): for looking names up."""
    return _name(value)


_CALENDAR_PERIOD = re.compile(
    rf"({PERIOD_END})\s*(?:/|–|—|−|\s-\s|\s+to\s+)\s*({PERIOD_END})"
    rf"|({PERIOD_END})-({PERIOD_END})"
    rf"|({PERIOD_END})",
    re.IGNORECASE,
)


def period_text(value: str) -> str:
    """A period as a claim's `period` is written (`_period`), for options that name one."""
    return _period(value.strip())


def _period(value: str) -> str:
    """A counting window. One written in dates is written one way, START/END
    ("2022-01-04 – 2022-01-06" and "2022-01-04 / 2022-01-06" are 2022-01-04/2022-01-06):
    R10a places only such periods in time, and two spellings were two groups. Its dates
    must be days of the calendar, the end not before the start. Any other period
    ("in the past 24 hours") is kept as written."""
    from ..dates import period_span

    match = _CALENDAR_PERIOD.fullmatch(value.strip())
    if match is None:
        return value
    one = match.group(5)
    start, end = (
        (one, one) if one else (match.group(1) or match.group(3), match.group(2) or match.group(4))
    )
    for end_ in (start, end):
        if period_span(end_) is None:
            raise PydanticCustomError(
                "period",
                "'{value}': {end} is no date of the calendar",
                {"value": value, "end": end_},
            )
    canonical = start if one else f"{start}/{end}"
    if period_span(canonical) is None:
        raise PydanticCustomError("period", "'{value}' ends before it starts", {"value": value})
    return canonical


def _location(value: str) -> str:
    parts = [p.strip() for p in value.split("/")]
    if not all(parts):
        raise PydanticCustomError(
            "location",
            "'{value}' has an empty part (write e.g. Kazakhstan/Almaty)",
            {"value": value},
        )
    return "/".join(parts)


def error_text(err: Mapping[str, Any]) -> str:
    """The message of one pydantic error, in figrecon's voice: without pydantic's
    "Value error, " prefix and starting lower case."""
    msg = str(err.get("msg", ""))
    for prefix in ("Value error, ", "Assertion failed, "):
        if msg.startswith(prefix):
            msg = msg[len(prefix) :]
    return msg[:1].lower() + msg[1:]


def _id_list(value: Any) -> Any:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (int, float)):
        return [_text(value)]
    if isinstance(value, (list, tuple)):
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
            raise ValueError("must be a list of claim ids")
        return [_text(v) for v in value]
    return value


def _bool(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"", "false", "no", "0", "n", "f"}:
            return False
        if low in {"true", "yes", "1", "y", "t"}:
            return True
    return value


def party_side(value: Any) -> Any:
    if isinstance(value, str):
        low = value.strip().lower()
        if low in {"", "false", "no"}:
            return None
        if low in {"true", "yes"}:
            return True
    if value is None or isinstance(value, bool | str):
        return value or None
    raise ValueError("must be true, false or the name of a side, e.g. party: government")


_MONTH = re.compile(r"\d{4}-\d{1,2}")
_YEAR = re.compile(r"\d{4}")


def _stated_on(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str) and value.strip().lower() == UNDATED:
        return UNDATED
    if isinstance(value, str):
        try:
            # Only YYYY-MM-DD: Python also reads 20220106 and 2022-W01-4, which nobody
            # coding claims means as a date.
            if not is_day(value):
                raise ValueError(value)
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            text = value.strip()
            if _MONTH.fullmatch(text) or _YEAR.fullmatch(text):
                # A date is a day: R2 orders statements by it. Which day of the month is
                # not to be guessed (it may put a statement before another it followed).
                raise PydanticCustomError(
                    "date",
                    "'{value}' gives a {part}, not a day (a count for that whole {part} "
                    "goes in period)",
                    {"value": value, "part": "month" if "-" in text else "year"},
                ) from None
            raise PydanticCustomError(
                "date",
                "'{value}' is not a date",
                {"value": value},
            ) from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        # Not read as days or seconds since an epoch: 20220115 or 1642204800 would
        # become a date nobody wrote.
        raise PydanticCustomError("date", "{value} is a number, not a date", {"value": value})
    return value


def _date(value: Any) -> Any:
    out = _stated_on(value)
    if out == UNDATED:
        raise PydanticCustomError("date", "'undated' is not allowed here", {})
    return out


_EXPONENT = re.compile(r"\d[eE][+-]?\d")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([,_])\d{3})?(?:\1\d{3})*(?:\.\d+)?")
"""A number whose thousands are grouped by one separator, or not grouped at all."""


def _count(value: Any) -> Any:
    written = value.strip() if isinstance(value, str) else None
    if isinstance(value, bool):
        raise PydanticCustomError("number", "'{value}' is not a number", {"value": value})
    if isinstance(value, str):
        written = value.strip()
        if _EXPONENT.search(written):
            # "1e3", "1.2E+04": a spreadsheet shows a long number so, its last digits
            # gone; a phrase's value refuses it as well (R1).
            raise PydanticCustomError(
                "number",
                "'{value}' is written with an exponent; write the count in plain digits",
                {"value": written},
            )
        if ("," in written or "_" in written) and not _GROUPED.fullmatch(written):
            # "1,0000" or "12,34": a slipped separator, not a count to guess at.
            raise PydanticCustomError(
                "number",
                "'{value}' is not a well-formed number; write it as 1,234 or 1234",
                {"value": written},
            )
        text = written.replace(",", "").replace("_", "")
        if text.isdigit() and len(text) > 11:
            raise PydanticCustomError(
                "number",
                "a number of {digits} digits is more than 10^10 people",
                {"digits": len(text)},
            )
        if len(text) > 20:
            raise PydanticCustomError(
                "number", "'{value}' is not a count of people", {"value": value[:20] + "..."}
            )
        try:
            value = float(text)
        except ValueError:
            raise PydanticCustomError(
                "number", "'{value}' is not a number", {"value": value}
            ) from None
    if isinstance(value, int) and not -MAX_COUNT <= value <= MAX_COUNT:
        raise PydanticCustomError(
            "number",
            "a number of {digits} digits is more than 10^10 people",
            {"digits": len(str(abs(value)))},
        )
    if isinstance(value, (int, float)):
        if math.isnan(value) or math.isinf(value) or value < 0:
            raise PydanticCustomError(
                "number",
                "'{value}' is not a count (a number 0 or more)",
                {"value": written or value},
            )
        if value > MAX_COUNT:
            raise PydanticCustomError(
                "number",
                "{value} is more than 10^10 people",
                {"value": written or f"{value:,.0f}"},
            )
        if value != int(value):
            # Coders round nothing: a fraction of a person is a misplaced separator
            # or a rate, and would be silently truncated downstream.
            if written and re.fullmatch(r"\d{1,3}(\.\d{3})+", written):
                raise PydanticCustomError(
                    "number",
                    "'{value}' is not a whole number of people (if the dot groups "
                    "thousands, write {grouped})",
                    {"value": written, "grouped": written.replace(".", "")},
                )
            raise PydanticCustomError(
                "number", "'{value}' is not a whole number of people", {"value": value}
            )
        return float(value)
    return value


def _one_word(value: Any) -> Any:
    """A list or mapping given for a field of one word (source_type, assessment): refused
    here, as the enum's own refusal writes its whole repr (an alias bomb's, a list of a
    billion items, fills the memory)."""
    if isinstance(value, list | tuple | dict | set):
        raise PydanticCustomError("one_word", "{value} is not one word", {"value": brief(value)})
    return value


Slug = Annotated[str, BeforeValidator(_text), AfterValidator(_slug)]


Text = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank)]


Name = Annotated[str, BeforeValidator(_text), AfterValidator(_name)]
"""A source's name (`_name`)."""


Via = Annotated[str, BeforeValidator(_text), AfterValidator(_via)]
"""A carrier, or a chain of them (`_via`)."""


Count = Annotated[float, BeforeValidator(_count)]


Date = Annotated[dt.date, BeforeValidator(_date)]


StatedOn = Annotated[dt.date | Literal["undated"], BeforeValidator(_stated_on)]


Location = Annotated[str, BeforeValidator(_text), AfterValidator(_location)]


Period = Annotated[str, BeforeValidator(_text), AfterValidator(_nonblank), AfterValidator(_period)]
"""A counting window (`_period`)."""


IdList = Annotated[list[Text], BeforeValidator(_id_list)]


Flag = Annotated[bool, BeforeValidator(_bool)]

OneWord = BeforeValidator(_one_word)
"""For an enum's field: `Annotated[SourceType, OneWord]`."""


def _number(value: float | None) -> int | float | None:
    """Whole numbers print as integers in JSON ("225", not "225.0")."""
    if value is None or math.isinf(value):
        return None
    return int(value) if float(value).is_integer() else value


Number = Annotated[float, PlainSerializer(_number, return_type=int | float | None)]


Bound = Annotated[float | None, PlainSerializer(_number, return_type=int | float | None)]


"""An interval end; `null` in JSON means open (no upper bound)."""
