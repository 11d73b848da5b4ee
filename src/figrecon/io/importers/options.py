"""What an import is asked for: the figure key (`--by`), filters (`--where`), the release
date (`--released`) and the dataset that states the figures (`--dataset`). Parsed
without pandas, so that the command line refuses a bad option before it reads a file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ...errors import UsageError

LOCATIONS = ("country", "adm1")
PERIODS = ("year", "month")
EVENT = "event"
BY_HELP = "country or adm1, with year or month (e.g. country,year or adm1,month), or event"
DEFAULT_BY = ("country", "year")


@dataclass(frozen=True)
class Condition:
    """One --where filter: a column compared with one value, or equal to one of several
    (`type_of_violence=1,2`)."""

    column: str
    op: str
    values: tuple[str, ...]
    text: str
    """The filter as written, for messages."""


@dataclass(frozen=True)
class ImportOptions:
    """How events become claims: summed per key of `by`, after the `where` filters,
    stated on `released` by `dataset` (each None: what the file says, if it says it)."""

    by: tuple[str, ...] = DEFAULT_BY
    where: tuple[Condition, ...] = ()
    released: dt.date | None = None
    dataset: str | None = None

    @property
    def location(self) -> str | None:
        """`country` or `adm1` (None for --by event)."""
        return next((part for part in self.by if part in LOCATIONS), None)

    @property
    def period(self) -> str | None:
        """`year`, `month`, or None: one claim per location, for all of its time."""
        return next((part for part in self.by if part in PERIODS), None)

    @property
    def per_event(self) -> bool:
        return self.by == (EVENT,)


def parse_by(text: str) -> tuple[str, ...]:
    """--by as the parts of the key, location first: `month,adm1` is (adm1, month)."""
    parts = [p.strip().lower() for p in text.split(",") if p.strip()]
    if parts == [EVENT]:
        return (EVENT,)
    locations = [p for p in parts if p in LOCATIONS]
    periods = [p for p in parts if p in PERIODS]
    if len(locations) != 1 or len(periods) > 1 or len(locations) + len(periods) != len(parts):
        raise UsageError(f"--by {text!r}: use {BY_HELP}")
    return (locations[0], *periods)


NUMBER = r"[+-]?\d+(\.\d*)?"
"""A number as --where reads it (and the counts, where arrow cannot): digits, with a sign
or decimals."""


def number(text: str) -> float | None:
    return float(text) if re.fullmatch(NUMBER, text.strip()) else None


_CONDITION = re.compile(r"\s*([^=!<>]+?)\s*(!=|<=|>=|=|<|>)\s*(.*?)\s*")
_MORE_OPERATOR = re.compile(r"(!=|[=<>]+)\s*(.*)")
"""A value that is the rest of an operator and a number, a day or nothing (`best=>5`,
`best==5`); other text may start so (`actor2=<unknown>`)."""
_DATE_LIKE = re.compile(r"\d{4}-\d{2}-\d{2}([ T].*)?")
"""A day, as --where and the files write it (a time may follow)."""
WHERE_FORMS = "write COLUMN=VALUE (or !=, <, <=, >, >=), e.g. --where type_of_violence=3"


def parse_where(texts: Sequence[str]) -> tuple[Condition, ...]:
    """--where filters, all of which an event must pass: `COLUMN=VALUE`, `COLUMN=A,B` (one
    of them), `COLUMN!=VALUE`, or `<`, `<=`, `>`, `>=` (numbers compare as numbers). A
    filter that would quietly match all events or none for how it is written (an
    operator that is none, nothing to order by, a day that is none) is refused here; one
    that cannot match what its column holds, when the file is read (`events.passing`)."""
    out = []
    for text in texts:
        match = _CONDITION.fullmatch(text)
        if match is None:
            raise UsageError(f"--where {text!r}: {WHERE_FORMS}")
        column, op, value = match.groups()
        values = tuple(v.strip() for v in value.split(",")) if op in ("=", "!=") else (value,)
        more = _MORE_OPERATOR.fullmatch(value)
        if more and (not more[2] or number(more[2]) is not None or _DATE_LIKE.fullmatch(more[2])):
            raise UsageError(f"--where {text!r}: `{op}{more[1]}` is no operator; {WHERE_FORMS}")
        if not value and op not in ("=", "!="):
            raise UsageError(
                f"--where {text!r}: nothing to compare with after `{op}`; {WHERE_FORMS}"
            )
        for day in (v for v in values if _DATE_LIKE.fullmatch(v)):
            try:
                dt.date.fromisoformat(day[:10])
            except ValueError:
                raise UsageError(
                    f"--where {text!r}: `{day}` is no date; write the day as YYYY-MM-DD, "
                    "e.g. --where date_start>=2013-12-01"
                ) from None
        out.append(Condition(column, op, values, text.strip()))
    return tuple(out)


def import_options(
    by: str | None, where: Sequence[str] | None, released: str | None, dataset: str | None
) -> ImportOptions:
    """The options as the command line gives them; a UsageError for a bad one."""
    from ...dates import parse_day

    if dataset is not None and not dataset.strip():
        raise UsageError("--dataset is empty: name the dataset, e.g. --dataset 'UCDP GED'")
    return ImportOptions(
        by=DEFAULT_BY if by is None else parse_by(by),
        where=parse_where(where or ()),
        released=None if released is None else parse_day(released, "--released"),
        dataset=dataset.strip() if dataset else None,
    )
