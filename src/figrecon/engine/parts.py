"""R10a: parts and wholes. A figure is raised to the largest BEST among its parts: the
figures of the same event and metric narrower in group, location or period.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING

from ..dates import period_span
from ..model import CONFIDENCE_LEVELS
from .batch import (
    EPS,
    WITHDRAWN,
    Batch,
    moment,
)
from .notes import Notes, num

if TYPE_CHECKING:
    from .figures import Numbers


def parts_and_wholes(b: Batch, nums: Numbers, written: Notes, stale_days: float) -> None:
    """R10a: a figure is raised to the largest BEST among its parts, never to their sum
    (breakdowns overlap). A part is a figure of the same event and metric that is
    narrower in group (any group is a part of `total`), location (`Land/City` is a part
    of `Land`, and every location of the figure without one) or period (a period inside
    another, and every period of the figure without one); for stock metrics only groups
    and locations of the same period, and only parts not more than `stale_days` older
    than the whole (R5's window for stocks: people released since are no longer held).
    Containment is transitive, so each whole is
    compared with all its parts directly, each with its own BEST: a part that may not
    raise a whole does not reach it through a figure between them either.

    A part does not raise a whole when every current, non-stale claim of the part comes
    from originators that later stated a figure for the whole themselves: their own
    later whole-event figure says what their part meant."""
    best, keys = nums.best, b.keys
    pairs = _raising_pairs(b, nums, stale_days)
    if not pairs:
        return
    later = _whole_statements(b, {w for _, w in pairs})
    raised: dict[int, int] = {}
    for part, whole in pairs:
        if _explained_by_whole(b, part, later[whole]):
            continue
        top = raised.get(whole)
        if top is None or (best[part], keys[part]) > (best[top], keys[top]):
            raised[whole] = part
    for whole, part in raised.items():
        value = best[part]
        nums.best[whole] = value
        nums.low[whole] = max(nums.low[whole], value)
        nums.high[whole] = max(nums.high[whole], value)
        written.note(
            whole,
            "part-whole",
            "R10a",
            f"Raised to {num(value)}: the {_narrower(keys[part], keys[whole])} figure "
            f"({_described(nums, part)}) is a part of this one, and a part cannot exceed "
            "its whole. The sources and confidence given here are this figure's own.",
            written.used_ids(part),
        )


def _described(nums: Numbers, part: int) -> str:
    """A part as the note that raises its whole describes it, so that a reader sees
    what the raised figure rests on: "18,000–20,000, open above, low confidence"."""
    low, high = nums.low[part], nums.high[part]
    span = num(low) if low == high else f"{num(low)}–{num(high)}"
    open_above = ", open above" if nums.open_upper[part] else ""
    return f"{span}{open_above}, {CONFIDENCE_LEVELS[int(nums.confidence[part])]} confidence"


def _raising_pairs(b: Batch, nums: Numbers, stale_days: float) -> list[tuple[int, int]]:
    """(part, whole) for every part whose BEST exceeds its whole's. A part of a stock
    whose newest member is more than `stale_days` older than the whole's is, as R5 has
    it for a stock's claims, a count of an earlier date: it raises nothing (R10a's text
    sets no such limit; a snapshot months old of people held since released must not
    raise today's count, while one a day older is the same count)."""
    best, keys = nums.best, b.keys
    index = {k: i for i, k in enumerate(keys)}
    by_figure: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, k in enumerate(keys):
        if not math.isnan(best[i]):
            by_figure[(k[0], k[1])].append(i)
    pairs = []
    for (event, metric), members in by_figure.items():
        if len(members) < 2:
            continue
        stock = not b.cumulative[members[0]]
        inside = {} if stock else _periods_inside({keys[m][4] for m in members if keys[m][4]})
        for part in members:
            _, _, group, location, period = keys[part]
            periods = {period} if stock else {period, "", *inside.get(period, ())}
            for g in {group, "total"}:
                for loc in _wider_locations(location):
                    for per in periods:
                        whole = index.get((event, metric, g, loc, per))
                        if (
                            whole is not None
                            and whole != part
                            and best[part] > best[whole] + EPS
                            and not (stock and nums.newest[part] + stale_days < nums.newest[whole])
                        ):
                            pairs.append((part, whole))
    return pairs


def _wider_locations(location: str) -> list[str]:
    """The location and every location it lies within, down to none at all."""
    parts = location.split("/") if location else []
    return ["/".join(parts[:k]) for k in range(len(parts), -1, -1)]


def _periods_inside(periods: set[str]) -> dict[str, list[str]]:
    """For each period, the other periods it lies inside (a period shares its end days
    with a period inside it). Periods not written as dates lie inside none. Sorted by
    start, each period is checked only against those starting within it."""
    spans = sorted(
        (span, period) for period in periods if (span := period_span(period)) is not None
    )
    starts = [span[0] for span, _ in spans]
    out: dict[str, list[str]] = defaultdict(list)
    for (first, last), whole in spans:
        lo, hi = bisect_left(starts, first), bisect_right(starts, last)
        for (_, end), part in spans[lo:hi]:
            if end <= last and part != whole:
                out[part].append(whole)
    return out


def _whole_statements(b: Batch, wholes: set[int]) -> dict[int, dict[int, float]]:
    """For each whole, each originator's latest statement of a figure for it (not
    withdrawn), as R2's moment (date, then stated_on)."""
    when = moment(b.date, b.stated)
    out: dict[int, dict[int, float]] = {}
    for whole in wholes:
        latest: dict[int, float] = {}
        for i in range(int(b.starts[whole]), int(b.starts[whole + 1])):
            if b.kind[i] >= 0 and b.status[i] != WITHDRAWN and not math.isnan(when[i]):
                o = int(b.orig[i])
                latest[o] = max(latest.get(o, -math.inf), float(when[i]))
        out[whole] = latest
    return out


def _explained_by_whole(b: Batch, part: int, later: dict[int, float]) -> bool:
    """Whether every current, non-stale claim of the part comes from an originator that
    later stated a figure for the whole."""
    start, stop = int(b.starts[part]), int(b.starts[part + 1])
    when = moment(b.date[start:stop], b.stated[start:stop])  # the part's rows only
    rows = [i for i in range(start, stop) if b.current[i]]
    return bool(rows) and all(later.get(int(b.orig[i]), -math.inf) > when[i - start] for i in rows)


def _narrower(part: tuple[str, ...], whole: tuple[str, ...]) -> str:
    """What makes the part narrower than the whole: its group, location or period."""
    return " · ".join(p for p, w in zip(part[2:], whole[2:], strict=True) if p != w)
