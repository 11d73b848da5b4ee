"""The semantic findings: duplicates, decreases, parts above wholes, breakdowns that do
not add up, unmarked repeats of withdrawn figures, mislabels, dates and provenance.
Each is a value with a stable code (`codes`), a severity and a location.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..columns import factorize
from ..loading import Claims
from ..model import UNKNOWN_SOURCE, Finding, located
from ..text import figure_text
from .codes import CODES
from .typos import possible_typos
from .view import ClaimView
from .wording import hedged_figures, misspelt_qualifiers

MISLABEL_MIN = 10


"""possible-mislabel looks at figures of at least this size."""


def future_dates(claims: Claims, today: dt.date) -> list[Finding]:
    """`future-date`: a stated_on or as_of after today."""
    cols = claims.columns
    # A day after today is in stated_on or in as_of (then in date_key): only those rows
    # are looked at field by field.
    latest = np.fmax(cols["stated_key"], cols["date_key"])
    out = []
    for i in np.flatnonzero(np.nan_to_num(latest, nan=0) > today.toordinal()).tolist():
        for name in ("stated_on", "as_of"):
            if not (isinstance(cols[name][i], dt.date) and cols[name][i] > today):
                continue
            out.append(
                Finding(
                    code="future-date",
                    severity=CODES["future-date"].severity,
                    file=str(cols["file"][i]),
                    line=int(cols["line"][i]),
                    claim=str(cols["id"][i]),
                    field=name,
                    message=f"{cols[name][i].isoformat()} is after today ({today.isoformat()})",
                    hint="check the year and the order of day and month",
                )
            )
    return out


MEANWHILE = 200_000
"""Claims from which `semantic` has R3 and R4 applied (the engine's batch and its
attribution, about 60% of the checks' time), and the decreases and parts above their
wholes found, part by part (`PARTS`) by a forked process, and by this one too once it
has run the checks that need only the claims (`forked.in_turn`)."""


@dataclass
class Marks:
    """What R3 and R4 make of each claim (by its place among the claims), from the
    engine itself: `check` reads its findings from these statuses rather than restating
    the rules."""

    withdrawn: set[int]
    late: set[int]
    """Old figures relayed late (HISTORY)."""
    repeats: set[int]
    """Relays re-dated to the statement they repeat."""
    unmarked: dict[int, int]
    """Unmarked repeats of a withdrawn figure, with the claim each repeats."""
    unconfirmed: set[int]


def marks(claims: Claims, only: np.ndarray | None = None) -> Marks:
    """R3 and R4 applied to `claims` (`engine.attribution`), or to those `only` marks,
    which must hold every (event, metric) that a withdrawal links to theirs
    (`partition.parts`); each claim by its place among `claims`."""
    from ..engine import attribution
    from ..engine.batch import HISTORY, WITHDRAWN

    b = attribution(claims, only)
    place = b.claim_row

    def where(mask: np.ndarray) -> set[int]:
        """The claims for which the batch's `mask` holds."""
        return set(place[mask].tolist())

    repeat = np.flatnonzero(b.repeat)
    return Marks(
        withdrawn=where(b.status == WITHDRAWN),
        late=where(b.status == HISTORY),
        repeats=where(b.repeat_of >= 0),
        unmarked=dict(
            sorted(zip(place[repeat].tolist(), place[b.related[repeat]].tolist(), strict=True))
        ),
        unconfirmed=where(~b.confirmed),
    )


def merged(parts: Iterable[Marks]) -> Marks:
    """The marks of several parts of the claims (`marks(claims, only)`) as one."""
    out = Marks(set(), set(), set(), {}, set())
    for m in parts:
        out.withdrawn |= m.withdrawn
        out.late |= m.late
        out.repeats |= m.repeats
        out.unmarked.update(m.unmarked)
        out.unconfirmed |= m.unconfirmed
    out.unmarked = dict(sorted(out.unmarked.items()))
    return out


PARTS = 8
"""Parts of a large input's claims whose marks (and the findings that need only them and
the part's claims: `_Part`) a forked process and this one take in turn
(`forked.in_turn`), this one once its checks that need only the claims are done."""


@dataclass
class _Part:
    """What a part of the claims gives: its marks, and the findings that need only them
    and the part's own claims (a decrease and a part above its whole compare claims of
    one event and metric; the checks sort the findings afterwards)."""

    marks: Marks
    decreases: list[Finding]
    above_wholes: list[Finding]


def _part(claims: Claims, only: np.ndarray, v: ClaimView) -> _Part:
    m = marks(claims, only)
    return _Part(
        m,
        _decreases(v, m.withdrawn | m.late | m.repeats, m.unconfirmed, only),
        _parts_and_wholes(v, m.withdrawn, only),
    )


def semantic(claims: Claims, today: dt.date) -> list[Finding]:
    @functools.cache
    def view() -> ClaimView:
        """The claims' view, made by the first check that reads it in each process (a
        forked child makes its own)."""
        return ClaimView(claims)

    def by_view() -> tuple[ClaimView, dict[str, list[Finding]]]:
        """The view, and the findings that need nothing else."""
        v = view()
        return v, {
            "duplicates": _duplicates(v),
            "breakdowns": _breakdowns(v),
            "typos": possible_typos(claims),
            "future": future_dates(claims, today),
            "as_of": _as_of_after_stated(v),
            "provenance": _provenance(v),
            "retractions": _unlikely_retractions(claims, v),
            "hedged": hedged_figures(claims),
            "misspelt": misspelt_qualifiers(claims),
            "variants": _source_variants(claims, v),
            "places": _location_variants(claims, v),
        }

    from .. import forked

    # Parts only where a child may take some: in one process, R3 and R4 in one pass.
    if len(claims) >= MEANWHILE and forked.allowed and forked.two_processors():
        from ..engine.partition import parts

        @functools.cache
        def cut() -> np.ndarray:
            """Each claim's part, found by each process when it takes its first part (the
            child at once, while this one makes its view); all in part 0 when the claims
            cannot be cut, and fewer parts than `PARTS` leave the others empty."""
            part = parts(claims, PARTS)
            return np.zeros(len(claims), dtype=np.int64) if part is None else part

        (v, found), done = forked.in_turn(
            by_view, PARTS, lambda k: _part(claims, cut() == k, view())
        )
        m = merged(p.marks for p in done)
        decreases = [f for p in done for f in p.decreases]
        above_wholes = [f for p in done for f in p.above_wholes]
    else:
        v, found = by_view()
        m = marks(claims)
        decreases = _decreases(v, m.withdrawn | m.late | m.repeats, m.unconfirmed)
        above_wholes = _parts_and_wholes(v, m.withdrawn)
    return [
        *found["duplicates"],
        *decreases,
        *above_wholes,
        *found["breakdowns"],
        *_repeats(v, m.unmarked),
        *_mislabels(v, m.withdrawn),
        *found["typos"],
        *found["future"],
        *found["as_of"],
        *found["provenance"],
        *found["retractions"],
        *found["hedged"],
        *found["misspelt"],
        *found["variants"],
        *found["places"],
    ]


def empty_files(claims: Claims) -> list[Finding]:
    """`empty-file`: a file read without a claim in it. It is valid (a dataset may hold
    a file whose claims are still to come), but a file emptied by a failed export or a
    wrong `--encoding` would otherwise pass a CI check unseen."""
    holding = set(claims.columns["file"].tolist()) if len(claims) else set()
    return [
        Finding(
            code="empty-file",
            severity=CODES["empty-file"].severity,
            file=name,
            line=1,
            claim=None,
            field=None,
            message="the file holds no claims",
            hint="add its claims, or leave it out of the paths checked",
        )
        for name in dict.fromkeys(claims.files)
        if name not in holding and name not in claims.other_files
    ]


def _duplicates(v: ClaimView) -> list[Finding]:
    """The same claim entered twice. Relays of one statement by different outlets are
    how the format records a figure's spread (R4), so the carrier is part of the key."""
    seen: dict[tuple[Any, ...], int] = {}
    out = []
    keyed = v.shared(v.figured(), *_GROUP, "originator", "value_text", "stated_on", "as_of", "via")
    for i in sorted(keyed, key=lambda i: (v.file[i], v.line[i])):
        key = (
            *v.group_key(i),
            v.originator[i],
            v.value_text[i],
            v.stated_on[i],
            v.as_of[i],
            v.via[i],
        )
        if key in seen:
            first = seen[key]
            out.append(
                v.finding(
                    "duplicate-claim",
                    i,
                    f"the same claim as {v.id[first]} ({located(v.file[first], v.line[first])}): "
                    "same originator, figure, date and carrier",
                    "delete one of them, or tell them apart (via, url)",
                )
            )
        else:
            seen[key] = i
    return out


def _decreases(
    v: ClaimView, aside: set[int], unconfirmed: set[int], only: np.ndarray | None = None
) -> list[Finding]:
    """One originator's cumulative figure falls below its own earlier figure. Withdrawn
    claims, old figures relayed late and relays repeating an earlier statement (R3, R4)
    are left aside: only the originator's own statements are compared. As in R2, only a
    confirmed earlier statement counts as the figure it fell from: a lone relayed typo
    is `possible-typo`'s finding, not a decrease."""
    series: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    eligible = (
        v.figured()
        & v.where("measure", lambda measure: measure == "cumulative")
        & ~_rows(v, aside)
        & ~np.isnan(v.array("date_key"))
    )
    if only is not None:  # of these claims (whole events and metrics)
        eligible &= only
    for i in v.shared(eligible, *_GROUP, "originator"):
        series[(*v.group_key(i), v.originator[i])].append(i)
    out = []
    for rows in series.values():
        rows.sort(key=lambda i: (v.date_key[i], v.stated_key[i], v.id[i]))
        top = -1
        for i in rows:
            if top >= 0 and v.hard_high[i] < v.hard_low[top] and v.date_key[i] > v.date_key[top]:
                out.append(
                    v.finding(
                        "cumulative-decrease",
                        i,
                        f"{v.source_name[i]} says {v.value_text[i]} on {v.day(i)}, "
                        f"below its earlier {v.label(top)}, "
                        f"for a {v.metric[i]} count that only grows",
                        "if the earlier figure was withdrawn, record that "
                        "(retracts or retracted: true); if the "
                        "scope differs, set group, location or period",
                    )
                )
            if i not in unconfirmed and (top < 0 or v.hard_low[i] > v.hard_low[top]):
                top = i
    return out


def _parts_and_wholes(
    v: ClaimView, withdrawn: set[int], only: np.ndarray | None = None
) -> list[Finding]:
    """A figure above the same originator's total of the same day: a group's figure
    above the total of its place, or a sub-location's figure above the total (or the
    same group) of a place that contains it."""
    # A part and its whole share all but the place: only claims that share those with
    # another can be either. The wholes are kept by their place and group, sorted by
    # their upper end, so that a part meets only the wholes it lies above (one source's
    # thousands of figures of one day once made this look at every pair of them).
    eligible = v.figured() & ~_rows(v, withdrawn) & v.dated()
    if only is not None:  # of these claims (whole events and metrics)
        eligible &= only
    keyed = v.shared(eligible, "event", "metric", "period", "originator", "stated_on")
    met = {i: k for k, i in enumerate(keyed)}
    wholes: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i in keyed:
        wholes[(*_day_key(v, i), v.location[i] or "", v.group[i])].append(i)
    below = _Below(v, wholes)
    out = []
    for i in keyed:
        here = v.location[i] or ""
        day = _day_key(v, i)
        places = [here] + [here[:k] for k in range(len(here)) if here[k] == "/"]
        for place in places:
            if place == here:  # the total of the same place, for a group's figure
                groups = () if v.group[i] == "total" else ("total",)
            else:  # the total or the same group of a place that contains it
                groups = tuple(dict.fromkeys(("total", v.group[i])))
            found = [t for g in groups for t in below(i, (*day, place, g))]
            for t in sorted(found, key=met.__getitem__):
                what = f"the {v.group[i]} figure" if place == here else f"the figure for {here}"
                out.append(
                    v.finding(
                        "part-exceeds-whole",
                        i,
                        f"{what} {v.value_text[i]} is above "
                        f"{v.source_name[i]}'s {v.group[t]} figure "
                        f"{v.label(t)} for {place or 'the same place'} of the same day",
                        "check the group, the location or the figures",
                    )
                )
    return out


def _day_key(v: ClaimView, i: int) -> tuple[Any, ...]:
    return (v.event[i], v.metric[i], v.period[i], v.originator[i], v.stated_on[i])


class _Below:
    """The wholes of a key that a part lies above (its hard low above their hard high,
    or beside a whole with no upper end known), each key's sorted when first asked."""

    def __init__(self, v: ClaimView, wholes: dict[tuple[Any, ...], list[int]]) -> None:
        self.v, self.wholes = v, wholes
        self.ready: dict[tuple[Any, ...], tuple[list[int], np.ndarray, list[int]]] = {}

    def __call__(self, i: int, key: tuple[Any, ...]) -> list[int]:
        rows = self.wholes.get(key)
        if not rows:
            return []
        if key not in self.ready:
            high = np.array([self.v.hard_high[t] for t in rows], dtype=float)
            known = ~np.isnan(high)
            order = np.argsort(high[known], kind="stable")
            self.ready[key] = (
                [rows[k] for k in np.flatnonzero(known)[order].tolist()],
                high[known][order],
                [rows[k] for k in np.flatnonzero(~known).tolist()],
            )
        by_high, highs, unknown = self.ready[key]
        low = self.v.hard_low[i]
        if math.isnan(low):  # compares as above nothing and below nothing: every whole
            return [t for t in self.wholes[key] if t != i]
        # `low <= high` keeps a whole out; a NaN high never does.
        return [t for t in by_high[: int(np.searchsorted(highs, low, side="left"))] if t != i] + [
            t for t in unknown if t != i
        ]


_GROUP = ("event", "metric", "group", "location", "period")
"""`ClaimView.group_key`'s columns."""


def _rows(v: ClaimView, rows: set[int]) -> np.ndarray:
    """A set of claims as a mask."""
    out = np.zeros(v.n, dtype=bool)
    out[list(rows)] = True
    return out


def _breakdowns(v: ClaimView) -> list[Finding]:
    """Declared parts (`parts`) must add up to their total (their intervals, summed)."""
    out = []
    for i in range(v.n):
        parts = [v.index[p] for p in (v.parts[i] or ()) if p in v.index]
        if not parts or not v.has_figure(i) or not all(v.has_figure(p) for p in parts):
            continue
        low = sum(v.hard_low[p] for p in parts)
        high = sum(v.hard_high[p] for p in parts)
        if low > v.hard_high[i] or high < v.hard_low[i]:
            listed = " + ".join(f"{v.value_text[p]} ({v.id[p]})" for p in parts)
            stated = [v.figure[p] for p in parts]
            total = (
                figure_text(sum(stated))
                if not any(math.isnan(x) for x in stated)
                else f"{figure_text(low)}–{figure_text(high)}"
            )
            out.append(
                v.finding(
                    "breakdown-mismatch",
                    i,
                    f"its parts add up to {total}, not {v.value_text[i]}: {listed}",
                    "parts may overlap or leave some out; note which, or correct the figures",
                    "parts",
                )
            )
    return out


def _repeats(v: ClaimView, unmarked: dict[int, int]) -> list[Finding]:
    """A repeat of a withdrawn figure (same originator, same number) that is not marked:
    reconcile withdraws it anyway (R3), but the dataset should say so."""
    return [
        v.finding(
            "repeats-withdrawn",
            i,
            f"repeats the withdrawn figure of {v.label(original)}",
            "mark it `retracted: true` (reconcile already leaves it out)",
            "retracted",
        )
        for i, original in sorted(unmarked.items())
    ]


def _mislabels(v: ClaimView, withdrawn: set[int]) -> list[Finding]:
    """The same originator's same figure on the same day under another metric or group."""
    seen: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    # Small figures coincide too often to suggest anything ("2 killed, 2 injured").
    figure = np.asarray(v.figure)
    eligible = (np.nan_to_num(figure, nan=-math.inf) >= MISLABEL_MIN) & ~_rows(v, withdrawn)
    eligible &= v.dated()
    for i in v.shared(
        eligible, "event", "location", "period", "originator", "stated_on", "figure", "figure_high"
    ):
        key = v.figure_key(i)
        assert key is not None
        seen[(v.event[i], v.location[i], v.period[i], v.originator[i], v.stated_on[i], key)].append(
            i
        )
    out = []
    for rows in seen.values():
        labels = {(v.metric[i], v.group[i]) for i in rows}
        if len(labels) < 2:
            continue
        rows.sort(key=lambda i: v.id[i])
        first = rows[0]
        for i in rows[1:]:
            if (v.metric[i], v.group[i]) != (v.metric[first], v.group[first]):
                out.append(
                    v.finding(
                        "possible-mislabel",
                        i,
                        f"{v.source_name[i]} gives the same figure ({v.value_text[i]}) "
                        f"on {v.day(i)} as "
                        f"{v.metric[first]}/{v.group[first]} in {v.id[first]}, "
                        f"here as {v.metric[i]}/{v.group[i]}",
                        "check which count the figure is; if both are right, ignore this finding",
                    )
                )
    return out


def _as_of_after_stated(v: ClaimView) -> list[Finding]:
    out = []
    for i in range(v.n):
        stated, as_of = v.stated_on[i], v.as_of[i]
        if isinstance(stated, dt.date) and isinstance(as_of, dt.date) and as_of > stated:
            out.append(
                v.finding(
                    "as-of-after-stated",
                    i,
                    f"as_of {as_of.isoformat()} is after stated_on {stated.isoformat()}",
                    "as_of is the date the count refers to, on or before the statement; "
                    "swap them if reversed",
                    "as_of",
                )
            )
    return out


def _unlikely_retractions(claims: Claims, v: ClaimView) -> list[Finding]:
    """`unlikely-retraction`: a withdrawal (R3) that withdraws a claim stated after it,
    or a claim of another event or metric, or of another originator that it does not
    carry (an outlet may withdraw a figure it relayed): each withdraws a figure, so a
    wrong id silently drops a claim of someone else. Reads only the withdrawals and the
    claims they name (a million claims hold some thousands)."""
    cols = claims.columns
    retracts = cols["retracts"]
    withdrawing = [i for i, named in enumerate(retracts.tolist()) if named]
    if not withdrawing:
        return []
    wanted = {target for i in withdrawing for target in retracts[i]}
    row = {cid: j for j, cid in enumerate(cols["id"].tolist()) if cid in wanted}
    out = []
    for i in withdrawing:
        for target in retracts[i]:
            j = row.get(target)
            if j is None or j == i:
                continue  # unknown-reference and retraction-cycle say so
            why = []
            later, own = cols["stated_on"][j], cols["stated_on"][i]
            if isinstance(later, dt.date) and isinstance(own, dt.date) and later > own:
                why.append(f"was stated after it ({later.isoformat()})")
            for field in ("event", "metric"):
                if cols[field][j] != cols[field][i]:
                    why.append(f"is of another {field} ({cols[field][j]})")
            carriers = {c.strip().casefold() for c in str(cols["via"][j] or "").split("<")}
            mine = {str(cols["originator"][i]).casefold(), str(cols["source_name"][i]).casefold()}
            if cols["originator"][j] != cols["originator"][i] and not carriers & mine:
                why.append(f"is {cols['source_name'][j]}'s, which this claim does not carry")
            if why:
                out.append(
                    v.finding(
                        "unlikely-retraction",
                        i,
                        f"withdraws {target}, which " + " and ".join(why),
                        "check the id in retracts: the claim it names is left out of the figures",
                        "retracts",
                    )
                )
    return out


def _source_variants(claims: Claims, v: ClaimView) -> list[Finding]:
    """`source-variants`: originators whose names are one name but for case, spaces,
    punctuation and letters that look alike ("Prosecutor General", "prosecutor-general",
    "Аmnesty" with a Cyrillic А): counted apart, they are independent sources to R10 and
    never supersede each other (R2)."""
    return _variants(
        claims,
        v,
        "originator",
        "source-variants",
        lambda name, kept: (
            f"source `{name}` is {kept} but for case, spaces, punctuation or "
            "letters that look alike; they count as two originators"
        ),
        "if they are one body, write one spelling, or give the body an entry in the sources "
        "registry (a source naming it matches in any case)",
        "source",
    )


def _location_variants(claims: Claims, v: ClaimView) -> list[Finding]:
    """`location-variants`: locations that are one place but for case, spaces,
    punctuation and letters that look alike ("kazakhstan/Almaty", "Kazakhstan/Almatу"
    with a Cyrillic у): R10a relates a place only to the places written within it, so
    a figure for one spelling raises no total of the other."""
    return _variants(
        claims,
        v,
        "location",
        "location-variants",
        lambda name, kept: (
            f"location `{name}` is {kept} but for case, spaces, punctuation "
            "or letters that look alike; they are two places"
        ),
        "if they are one place, write one spelling",
        "location",
    )


def _variants(
    claims: Claims,
    v: ClaimView,
    column: str,
    code: str,
    message: Callable[[str, str], str],
    hint: str,
    field: str,
) -> list[Finding]:
    """Values of `column` that are one but for case, spaces, punctuation and look-alike
    letters (`spelling_key`), found on the distinct values: a finding at the first claim
    of each spelling but the first. A location is compared with each place it lies
    within too ("kazakhstan/Almaty" holds "kazakhstan", a variant of "Kazakhstan")."""
    codes, values = factorize(claims.columns[column])
    first_rows = np.full(len(values), -1, dtype=np.int64)
    seen_at = np.unique(codes, return_index=True)
    for code_, row in zip(*seen_at, strict=True):
        if code_ >= 0:
            first_rows[code_] = row
    # Each name (or place, and the places it lies within) with its first claim.
    first: dict[str, int] = {}
    for k, value in enumerate(values.tolist()):
        text = str(value)
        if value is None or text == UNKNOWN_SOURCE or text.startswith(UNKNOWN_SOURCE + "<"):
            continue
        parts = text.split("/") if column == "location" else [text]
        for end in range(1, len(parts) + 1):
            name = "/".join(parts[:end])
            row = int(first_rows[k])
            if name not in first or row < first[name]:
                first[name] = row
    spellings: dict[str, list[str]] = defaultdict(list)
    for name in first:
        key = spelling_key(name)
        if key:
            spellings[key].append(name)
    out: list[Finding] = []
    said: set[int] = set()  # one finding a claim: the widest place that differs
    for names in sorted(spellings.values(), key=lambda names: len(names[0])):
        if len(names) < 2:
            continue
        names = sorted(names, key=lambda name: first[name])
        j = first[names[0]]
        kept = f"`{names[0]}` ({located(v.file[j], v.line[j])})"
        for name in names[1:]:
            if first[name] not in said:
                said.add(first[name])
                out.append(v.finding(code, first[name], message(name, kept), hint, field))
    return out


_LOOK_ALIKE = str.maketrans(
    {
        **dict(zip("асеорхуіјѕкмтвнԁ", "aceopxyijskmtbhd", strict=True)),  # Cyrillic
        **dict(zip("αοερτυνικχ", "aoeptuvikx", strict=True)),  # Greek
        "l": "i",  # "InternationaI": a capital I for an l
        "1": "i",
        "0": "o",
    }
)
"""Letters of other alphabets (and digits) that look like Latin ones, after case folding."""


def spelling_key(text: str) -> str:
    """A name or place as compared for variants: case folded, letters that look alike
    made one, only letters and digits kept (and a place's "/" between its parts)."""
    return "".join(ch for ch in text.casefold().translate(_LOOK_ALIKE) if ch.isalnum() or ch == "/")


def _provenance(v: ClaimView) -> list[Finding]:
    return [
        v.finding(
            "missing-provenance",
            i,
            "has neither url nor quote",
            "add the address (url) or the words of the source (quote)",
        )
        for i in range(v.n)
        if not v.url[i] and not v.quote[i]
    ]
