"""R11: the notes, lists and history of every figure, and `--explain`.

A figure's notes are written when the figure is: one pass over the group's claims (in
id order) sorts them by what happened to them, and each note is a sentence made from
those lists. Nothing is kept for the groups already written, so the notes of a million
claims never sit in memory at once. A note names the rule that fired and the claims
involved, in a sentence a person reads.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..text import day_text, figure_text
from .batch import (
    ASSESSMENT,
    BOUND,
    EPS,
    HISTORY,
    LOWER_RANKED,
    OUTLIER,
    RETRACTION,
    STALE,
    STATUS,
    SUPERSEDED,
    TYPES,
    UNDATED,
    USED,
    WEAK,
    WITHDRAWN,
    Batch,
    gany,
    gmax,
    gmin,
    gpick,
    neg,
    number,
)

NOTE_ORDER = (
    "retracted",
    "repeat-of-retracted",
    "relayed",
    "superseded",
    "downward-revision",
    "stale",
    "read-as-floor",
    "lower-ranked",
    "outlier",
    "unresolved-conflict",
    "bounds-conflict",
    "open-upper",
    "part-whole",
    "single-source",
    "vague-only",
    "official-only",
    "unverified",
    "disputed",
    "confirmed",
    "undated",
)
EXCLUDED = {
    SUPERSEDED: "superseded",
    HISTORY: "superseded",
    WITHDRAWN: "withdrawn",
    STALE: "stale",
    OUTLIER: "outlier",
    UNDATED: "undated",
    LOWER_RANKED: "lower-ranked",
}
LISTED = (
    ("repeats", "repeat-of-retracted", "R3", "Repeats of a withdrawn figure, withdrawn too: ", "."),
    (
        "superseded",
        "superseded",
        "R2",
        "{n} earlier or same-day statement(s) superseded by their originator's current one: ",
        ".",
    ),
    (
        "lower-ranked",
        "lower-ranked",
        "hierarchy",
        "Set aside by the hierarchy method for a better-ranked source type: ",
        ".",
    ),
    ("open", "open-upper", "R8", "Open above: ", " set no upper limit."),
    (
        "undated",
        "undated",
        "R2",
        "Undated claims are set aside when reconciling as of a date: ",
        ".",
    ),
)
"""The notes that list the claims of a kind: (kind, code, rule, the words before the
claims ({n}: how many), after them). Their place among the notes is `NOTE_ORDER`'s."""
ASSESSED = {
    "unverified": "could not verify the figure",
    "disputed": "disputes the figures",
    "confirmed": "confirms the figure",
}

num = figure_text


def _side(party: str) -> bool | str | None:
    """A registry `party` value as the batch keeps it ("", "<party>" or a side's name)."""
    if not party:
        return None
    return True if party == "<party>" else party


_RANK = {code: i for i, code in enumerate(NOTE_ORDER)}


def _by_order(note: dict[str, Any]) -> int:
    return _RANK[note["code"]]


def _note(code: str, rule: str, message: str, claims: Iterable[str]) -> dict[str, Any]:
    return {"code": code, "rule": rule, "message": message, "claims": sorted(set(claims))}


def _span(low: float, high: float) -> str:
    """A region as a note gives it, in whole people (`_whole`): "850–1,150", or "1,900
    or more" when it is open."""
    low, high = _whole(low, high)
    return f"{num(low)} or more" if math.isinf(high) else f"{num(low)}–{num(high)}"


def _whole(low: float, high: float) -> tuple[float, float]:
    """A region widened to whole people (R7's tolerance of 5 % makes fractions of
    them: 4,134.4–4,569.6 is given as 4,134–4,570)."""
    return float(math.floor(low)), high if math.isinf(high) else float(math.ceil(high))


def _people(distance: float) -> str:
    """A distance from a region in whole people: at least 1 when there is one."""
    return num(max(1.0, math.floor(distance + 0.5)) if distance > 0 else 0.0)


class Labels:
    """A claim in a note, "id (text)": made when a note names it, as most claims are
    never named (a million of them as strings would take a tenth of a GiB)."""

    def __init__(self, ids: list[str], text: list[Any]) -> None:
        self.ids, self.text = ids, text

    def __getitem__(self, i: int) -> str:
        return self.many([i])[0]

    def many(self, rows: list[int]) -> list[str]:
        """The labels of several claims, made in one pass (the notes of most figures)."""
        ids, text = self.ids, self.text
        return [f"{ids[i]} ({text[i]})" for i in rows]


@dataclass
class Parts:
    """What a figure shows besides its numbers: its lists, notes and history."""

    used: list[str]
    excluded: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    """In `NOTE_ORDER`."""
    history: dict[str, dict[str, Any]] | None
    """As `model.History` prints it."""
    sources: list[str]
    independent: list[dict[str, Any]] | None
    """As `model.IndependentSource` prints each."""


class Notes:
    """The notes of every group, written a chunk of groups at a time (`chunk`)."""

    def __init__(self, b: Batch, nums: Any) -> None:
        self.b, self.nums = b, nums
        self.ids: list[str] = [str(x) for x in b.id.tolist()]
        self.text: list[Any] = b.text.tolist()
        self.names: list[str] = [str(x) for x in b.name.tolist()]
        self.g: np.ndarray = b.g
        # Rows in (group, id) order: a group's slice of it is its rows sorted by id.
        self.order: np.ndarray = (
            np.lexsort((b.id_rank, b.g)) if b.n else np.empty(0, dtype=np.int64)
        )
        self.order_g: np.ndarray = b.g[self.order]
        """Each row's group, in that order."""
        self.extra: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
        """Notes that come from outside a group (R10a's part-whole)."""
        self._rows()
        self._groups()

    def _rows(self) -> None:
        """Each claim's facts as Python lists, read when a note names the claim; and, for
        every group, its rows of each kind (`_kinds`)."""
        b = self.b
        self.status: list[int] = b.status.tolist()
        self.rule: list[str] = b.rule.tolist()
        self.related: list[int] = b.related.tolist()
        self.repeat_of: list[int] = b.repeat_of.tolist()
        # Sort keys of the few claims a note or --explain orders: arrays, not a Python
        # float per claim.
        self.orig_stated: np.ndarray = b.orig_stated
        self.when: np.ndarray = neg(b.orig_stated)
        self.stated: np.ndarray = neg(b.stated)
        self.labels = Labels(self.ids, self.text)
        # R10's units, for `_independent`: each row's unit, side and whether its source
        # is unknown (the side as the figure shows it: one per distinct registry value).
        self.unit: list[int] = b.unit.tolist()
        sides = {s: _side(str(s)) for s in set(b.side.tolist())}
        self.side: list[bool | str | None] = [sides[s] for s in b.side.tolist()]
        self.unknown: list[bool] = b.unknown.tolist()
        self.share: float = self.nums.share
        self.shown_share = number(self.share)
        # Each claim's day as text (None when undated): each distinct day is written once.
        stated_on = b.stated_on.tolist()
        iso = {d: d.isoformat() for d in set(stated_on) if isinstance(d, dt.date)}
        self.iso: list[str | None] = [iso.get(d) for d in stated_on]
        self._kinds()

    def _kinds(self) -> None:
        """The rows of each kind that `parts` lists, in (group, id) order, with where
        each group's begin: a group's rows of a kind are then one slice, and no group's
        rows are looked at one by one."""
        b, order, g = self.b, self.order, self.order_g
        status = b.status[order]
        single = b.mate_of[order] < 0  # a claim, not a second record of its statement
        members = single & b.members[order]
        floored = np.zeros(b.n, dtype=bool)
        floored[list(b.floored)] = True
        masks = {
            "used": status == USED,
            "excluded": (b.kind[order] >= 0) & np.isin(status, list(EXCLUDED)),
            "withdrawn": (status == WITHDRAWN) & ~b.repeat[order],
            "repeats": b.repeat[order],
            "moved": b.repeat_of[order] >= 0,
            "history": status == HISTORY,
            "superseded": status == SUPERSEDED,
            "stale": single & (status == STALE),
            "floored": floored[order],
            "lower-ranked": single & (status == LOWER_RANKED),
            "outlier": single & (status == OUTLIER),
            "members": members,
            "counted": members & self.nums.counted[order],
            "open": members & np.isinf(b.hard_high[order]),
            "unrecorded": single & (b.current & b.relayed & (b.repeat_of < 0))[order],
            "assessment": status == ASSESSMENT,
            "undated": status == UNDATED,
        }
        self.kinds: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for kind, mask in masks.items():
            self._kind(kind, order[mask], g[mask])

    def _kind(self, kind: str, rows: np.ndarray, groups: np.ndarray) -> None:
        """Keep the rows of a kind (in group order) with where each group's begin."""
        starts = np.searchsorted(groups, np.arange(self.b.groups + 1))
        self.kinds[kind] = (rows, starts)

    def rows(self, kind: str, grp: int) -> list[int]:
        """A group's rows of a kind (`_kinds`), in id order."""
        rows, starts = self.kinds[kind]
        out: list[int] = rows[starts[grp] : starts[grp + 1]].tolist()
        return out

    def _spans(self, kind: str, first: int, stop: int) -> dict[int, list[int]]:
        """The rows of a kind of the groups `first`..`stop - 1` that have any, by group:
        one list for all of them, sliced (a group without any costs nothing)."""
        rows, starts = self.kinds[kind]
        a, z = int(starts[first]), int(starts[stop])
        if a == z:
            return {}
        every: list[int] = rows[a:z].tolist()
        edges = (starts[first : stop + 1] - a).tolist()
        return {
            first + k: every[edges[k] : edges[k + 1]]
            for k in np.flatnonzero(np.diff(starts[first : stop + 1])).tolist()
        }

    def _groups(self) -> None:
        """What the notes need per group, computed for all groups at once."""
        b, nums = self.b, self.nums
        members = b.members & (b.mate_of < 0)
        # The region the members that weigh share (R7): a bound of type other or unknown
        # is a member where it reaches it, but two such bounds may exclude each other
        # ("at most 880", "at least 1,130"), and their overlap would be no region.
        weighing = members & ~(WEAK[b.type] & BOUND[b.kind])
        shared = np.where(gany(b, weighing)[b.g], weighing, members)
        self.region = (gmax(b, b.wide_low, shared), gmin(b, b.wide_high, shared))
        self.tied = b.tied
        """Where no region stood out, the tied ones (R7 uses all): their members need
        share no point, so an outlier is measured from the nearest."""
        self.downward: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for cur, top in b.downward.items():
            self.downward[int(self.g[cur])].append((cur, top))
        self.conflict: list[list[int]] = nums.conflict.tolist()
        self.single: list[bool] = ((nums.n < 2) & (nums.confidence >= 0)).tolist()
        self.vague_only: list[bool] = nums.vague_only.tolist()
        self.official_only: list[bool] = nums.official_only.tolist()
        self.confidence_noted: list[bool] = (
            ((nums.n < 2) & (nums.confidence >= 0)) | nums.vague_only | nums.official_only
        ).tolist()
        """Whether a group has any of `_confidence`'s notes."""
        self.n: list[float] = nums.n.tolist()
        self._history_numbers()

    def _history_numbers(self) -> None:
        """R9: per group, the least and greatest figures ever stated (withdrawn ones
        aside) and the row that first stated each; `parts` lists the claims."""
        b = self.b
        stated = (b.kind >= 0) & ~np.isin(b.status, [WITHDRAWN, ASSESSMENT, RETRACTION, UNDATED])
        point = b.point
        if b.point_as_stated:  # R2 raised some readings: history keeps what was said
            point = point.copy()
            point[list(b.point_as_stated)] = list(b.point_as_stated.values())
        lo = np.where(np.isnan(b.figure), point, b.figure)
        hi = np.where(np.isnan(b.figure_high), lo, b.figure_high)
        place = np.empty(b.n, dtype=float)
        place[self.order] = np.arange(b.n)
        when = neg(b.orig_stated)
        self.history_at: dict[str, tuple[list[float], list[int]]] = {}
        order, g = self.order, self.order_g
        for side, values, target in (
            ("least", lo, gmin(b, lo, stated)),
            ("greatest", hi, gmax(b, hi, stated)),
        ):
            at = stated & (values == target[b.g])
            self.history_at[side] = (target.tolist(), gpick(b, at, -place, -when).tolist())
            mask = at[order]
            self._kind(side, order[mask], g[mask])

    # - from outside a group

    def note(self, grp: int, code: str, rule: str, message: str, claims: list[str]) -> None:
        """A note on a group from outside it (R10a)."""
        self.extra[grp][code] = _note(code, rule, message, claims)

    def used_ids(self, grp: int) -> list[str]:
        """The ids of the claims a group's figure uses, in id order."""
        ids = self.ids
        return [ids[i] for i in self.rows("used", grp)]

    # - one group

    def chunk(self, first: int, stop: int, groups: Iterable[int] | None = None) -> list[Parts]:
        """The lists, notes and history of `groups` (all of `first`..`stop - 1` when not
        given), from their rows of each kind: each kind's rows are read for all of these
        groups at once, and a note's code runs only for the groups that have it."""
        b = self.b
        ids, names = self.ids, self.names
        spans = {kind: self._spans(kind, first, stop) for kind in self.kinds}
        withdrawn, members, counted = spans["withdrawn"], spans["members"], spans["counted"]
        unrecorded, moved, history = spans["unrecorded"], spans["moved"], spans["history"]
        stale, floored, outlier = spans["stale"], spans["floored"], spans["outlier"]
        assessment = spans["assessment"]
        used, excluded = spans["used"], spans["excluded"]
        least, greatest = spans["least"], spans["greatest"]
        none: list[int] = []
        out = []
        for grp in range(first, stop) if groups is None else groups:
            notes: dict[str, dict[str, Any]] = {}
            if grp in withdrawn:
                self._withdrawn(notes, withdrawn[grp])
            if grp in unrecorded or grp in moved or grp in history:
                self._relayed(
                    notes,
                    unrecorded.get(grp, none),
                    moved.get(grp, none),
                    history.get(grp, none),
                )
            if grp in self.downward:
                self._downward(notes, grp)
            if grp in stale:
                self._stale(notes, stale[grp])
            if grp in floored:
                self._floored(notes, floored[grp])
            if grp in outlier:
                self._outliers(notes, grp, outlier[grp])
            if grp in b.unresolved:
                self._unresolved(notes, b.unresolved[grp])
            if self.conflict[grp][0] >= 0:
                self._bounds(notes, grp)
            if grp in self.extra:
                notes.update(self.extra[grp])
            sources = [names[i] for i in members.get(grp, none)]
            mine = counted.get(grp, none)
            if self.confidence_noted[grp]:
                self._confidence(notes, grp, members.get(grp, none), mine, sources)
            if grp in assessment:
                self._assessments(notes, assessment[grp])
            for kind, code, rule, head, tail in LISTED:
                if grp in spans[kind]:
                    rows = spans[kind][grp]
                    self._listed(notes, code, rule, rows, head.format(n=len(rows)), tail)
            out.append(
                Parts(
                    used=[ids[i] for i in used.get(grp, none)],
                    excluded=self._excluded(excluded.get(grp, none)),
                    notes=sorted(notes.values(), key=_by_order),
                    history=self._history(grp, least.get(grp), greatest.get(grp)),
                    sources=sorted(set(sources)),
                    independent=self._independent(mine) if mine else None,
                )
            )
        return out

    def _excluded(self, rows: list[int]) -> list[dict[str, Any]]:
        ids, status, rules = self.ids, self.status, self.rule
        return [{"id": ids[i], "reason": EXCLUDED[status[i]], "rule": rules[i]} for i in rows]

    def _listed(
        self,
        notes: dict[str, Any],
        code: str,
        rule: str,
        rows: list[int],
        head: str,
        tail: str,
    ) -> None:
        """A note that lists claims: `head`, the claims, `tail`."""
        message = head + ", ".join(self.labels.many(rows)) + tail
        notes[code] = _note(code, rule, message, [self.ids[i] for i in rows])

    def _unresolved(self, notes: dict[str, Any], tied: list[int]) -> None:
        ids = self.ids
        tied = sorted(tied, key=ids.__getitem__)
        notes["unresolved-conflict"] = _note(
            "unresolved-conflict",
            "R7",
            "Claims disagree and no region of agreement stands out; "
            "the claims of every tied region are used: "
            + ", ".join(self.labels[i] for i in tied)
            + ".",
            (ids[i] for i in tied),
        )

    def _independent(self, rows: list[int]) -> list[dict[str, Any]]:
        """R10's independent sources of a figure, so that the names shown add up to the
        count: the organs of one side together, each unattributed figure as a share,
        every other originator alone."""
        names, unit_of, side_of, unknown = self.names, self.unit, self.side, self.unknown
        units: dict[int, tuple[set[str], int]] = {}
        for i in rows:
            unit = units.get(unit_of[i])
            if unit is None:
                units[unit_of[i]] = ({names[i]}, i)
            else:
                unit[0].add(names[i])
        # The whole sources first (an unknown one's share is below 1), then by name.
        share, shown = self.share < 1, self.shown_share
        listed = sorted(
            ((unknown[i] and share, sorted(members), i) for members, i in units.values()),
            key=lambda u: u[:2],
        )
        return [
            {"names": members, "side": side_of[i], "share": shown if unknown[i] else 1}
            for _, members, i in listed
        ]

    def _withdrawn(self, notes: dict[str, Any], rows: list[int]) -> None:
        if not rows:
            return
        by: dict[str, list[int]] = defaultdict(list)
        withdrawers = []
        for i in rows:
            who, when = self.b.withdrawn_by.get(i, (None, ""))
            by[f"withdrawn by {who} ({when})" if who else "marked retracted"].append(i)
            if who:
                withdrawers.append(who)
        parts = [
            ", ".join(self.labels[i] for i in items) + f" {reason}"
            for reason, items in sorted(by.items())
        ]
        notes["retracted"] = _note(
            "retracted",
            "R3",
            "Withdrawn: " + "; ".join(parts) + ".",
            # The withdrawn claims and the claims that withdrew them.
            [*(self.ids[i] for i in rows), *withdrawers],
        )

    def _relayed(
        self, notes: dict[str, Any], alone: list[int], moved: list[int], old: list[int]
    ) -> None:
        if not (alone or moved or old):
            return
        parts = []
        ids, names, iso, labels = self.ids, self.names, self.iso, self.labels
        if alone:
            parts.append(
                "standing for a statement of the originator not otherwise recorded: "
                + ", ".join(
                    [
                        f"{label} for {names[i]} ({iso[i] or 'undated'})"
                        for i, label in zip(alone, labels.many(alone), strict=True)
                    ]
                )
            )
        moved = sorted(moved, key=lambda i: (self.orig_stated[i], self.ids[i]))
        if moved:
            parts.append(
                "repeats of an earlier statement, dated at the original: "
                + ", ".join(
                    [
                        f"{label} = {ids[self.repeat_of[i]]}"
                        for i, label in zip(moved, labels.many(moved), strict=True)
                    ]
                )
            )
        if old:
            parts.append(
                "old figures relayed late, kept as history: " + ", ".join(labels.many(old))
            )
        notes["relayed"] = _note(
            "relayed",
            "R4",
            "Relayed figures count under their originator; " + "; ".join(parts) + ".",
            [ids[i] for i in (*alone, *moved, *old)],
        )

    def _when(self, i: int) -> str:
        """The statement's date, and the date its count is as of when that differs
        (R2 orders an originator's statements by as-of date)."""
        b = self.b
        said = day_text(b.stated_on[i])
        day = b.date[i]
        if math.isnan(day) or day == b.stated[i]:
            return said
        return f"{said}, as of {dt.date.fromordinal(int(day)).isoformat()}"

    def _downward(self, notes: dict[str, Any], grp: int) -> None:
        pairs = self.downward.get(grp)
        if not pairs:
            return
        pairs = sorted(pairs, key=lambda x: self.ids[x[0]])
        notes["downward-revision"] = _note(
            "downward-revision",
            "R2",
            "; ".join(
                f"{self.names[c]} now says {self.text[c]} ({self._when(c)}), "
                f"below its earlier {self.text[t]} ({self._when(t)})"
                for c, t in pairs
            )
            + ".",
            (self.ids[x] for pair in pairs for x in pair),
        )

    def _stale(self, notes: dict[str, Any], rows: list[int]) -> None:
        if rows:
            related, ids, labels = self.related, self.ids, self.labels
            newer = [related[c] for c in rows]
            notes["stale"] = _note(
                "stale",
                "R5",
                "Earlier counts set aside as history: "
                + ", ".join(
                    [
                        f"{old} against {new}"
                        for old, new in zip(labels.many(rows), labels.many(newer), strict=True)
                    ]
                )
                + ".",
                [x for c in rows for x in (ids[c], ids[related[c]])],
            )

    def _floored(self, notes: dict[str, Any], rows: list[int]) -> None:
        if rows:
            b = self.b
            notes["read-as-floor"] = _note(
                "read-as-floor",
                "R5",
                "Later counts far below an earlier one read as floors: "
                + ", ".join(
                    f"{self.ids[c]} as at least {num(b.hard_low[c])} "
                    f"(below {self.labels[b.floored[c]]})"
                    for c in rows
                )
                + ".",
                (x for c in rows for x in (self.ids[c], self.ids[b.floored[c]])),
            )

    def region_text(self, grp: int) -> str:
        """The agreement region of a group, or its tied regions."""
        spans = self.tied.get(grp)
        if spans:
            return "tied agreement regions " + " and ".join(_span(lo, hi) for lo, hi in spans)
        lo, hi = self.region
        return f"agreement region {_span(lo[grp], hi[grp])}"

    def where(self, c: int) -> str:
        """Where an outlier lies against its group's agreement region (or regions)."""
        b = self.b
        grp = int(self.g[c])
        spans = self.tied.get(grp)
        # The distances are from the regions as the note gives them (`_span`).
        if spans:
            spans = [_whole(low, high) for low, high in spans]
            lo, hi = spans[0][0], max(high for _, high in spans)
        else:
            lo, hi = _whole(self.region[0][grp], self.region[1][grp])
        if b.soft_high[c] < lo:
            return f"{_people(lo - b.soft_high[c])} below"
        if b.soft_low[c] > hi:
            return f"{_people(b.soft_low[c] - hi)} above"
        if not spans:
            return "apart from"
        # Between tied regions: how far from the nearest.
        gap = min(max(low - b.soft_high[c], b.soft_low[c] - high, 0.0) for low, high in spans)
        return f"between them, {_people(gap)} from the nearest"

    def _outliers(self, notes: dict[str, Any], grp: int, rows: list[int]) -> None:
        if rows:
            notes["outlier"] = _note(
                "outlier",
                "R7",
                f"Outside the {self.region_text(grp)}: "
                + "; ".join(
                    [
                        f"{label} lies {self.where(c)}"
                        for c, label in zip(rows, self.labels.many(rows), strict=True)
                    ]
                )
                + ".",
                [self.ids[c] for c in rows],
            )

    def _bounds(self, notes: dict[str, Any], grp: int) -> None:
        first, second = self.conflict[grp]
        if first < 0:
            return
        b = self.b
        gap = b.hard_low[first] - b.hard_high[second]
        share = gap / b.hard_high[second] * 100 if b.hard_high[second] > 0 else math.inf
        notes["bounds-conflict"] = _note(
            "bounds-conflict",
            "R8",
            f"{self.labels[second]} and {self.labels[first]} exclude each "
            f"other: a gap of {num(gap)}"
            + (f" ({share:.0f}%)" if not math.isinf(share) else "")
            + "; usually a difference of scope or timing.",
            [self.ids[first], self.ids[second]],
        )

    def _confidence(
        self,
        notes: dict[str, Any],
        grp: int,
        members: list[int],
        counted: list[int],
        sources: list[str],
    ) -> None:
        member_ids = [self.ids[i] for i in members]
        if self.single[grp]:
            n = self.n[grp]
            names = sorted({self.names[i] for i in counted}) or sorted(set(sources))
            notes["single-source"] = _note(
                "single-source",
                "R10",
                f"Rests on {num(n) if n else 'no'} independent source"
                + ("s" if n != 1 else "")
                + ": "
                + ", ".join(names)
                + self._why_fewer(counted, len(names))
                + ".",
                [self.ids[i] for i in counted] or member_ids,
            )
        if self.vague_only[grp]:
            notes["vague-only"] = _note(
                "vague-only",
                "R10",
                "Only vague words (such as 'dozens') say so: at most low confidence.",
                member_ids,
            )
        if self.official_only[grp]:
            notes["official-only"] = _note(
                "official-only",
                "R10",
                "Only state bodies or parties to the event say so: at most moderate confidence.",
                member_ids,
            )

    def _why_fewer(self, rows: list[int], names: int) -> str:
        """Why several names make fewer independent sources, when they do."""
        if names < 2:
            return ""
        reasons = []
        if any(self.b.party[i] for i in rows):
            reasons.append("organs of one side count once")
        if any(self.b.unknown[i] for i in rows):
            reasons.append("unattributed figures count half")
        return f" ({'; '.join(reasons)})" if reasons else ""

    def _assessments(self, notes: dict[str, Any], rows: list[int]) -> None:
        b = self.b
        kinds: dict[str, list[int]] = defaultdict(list)
        for i in rows:
            kinds[str(b.assessment[i])].append(i)
        for kind, items in kinds.items():
            items.sort(key=lambda i: (self.stated[i], self.ids[i]))
            said = "; ".join(f"{self.names[i]} ({day_text(b.stated_on[i])})" for i in items)
            notes[kind] = _note(
                kind, "R11", f"{said}: {ASSESSED[kind]}.", (self.ids[i] for i in items)
            )

    def _history(
        self, grp: int, least: list[int] | None, greatest: list[int] | None
    ) -> dict[str, dict[str, Any]] | None:
        """R9: the least and greatest figures ever stated (withdrawn ones aside), each
        with the date it was first stated and every claim that stated it (`least`,
        `greatest`: the group's rows of each)."""
        out: dict[str, dict[str, Any]] = {}
        for side, rows in (("least", least), ("greatest", greatest)):
            targets, firsts = self.history_at[side]
            target, first = targets[grp], firsts[grp]
            if first < 0:
                continue
            out[side] = {
                "value": number(target),
                "stated_on": self.iso[first],
                "claims": [self.ids[i] for i in rows or ()],
            }
        return out if len(out) == 2 else None

    # - explain

    def reason(self, i: int) -> str:
        b = self.b
        s, rel = int(b.status[i]), int(b.related[i])
        if b.mate_of[i] >= 0:
            rep = int(b.mate_of[i])
            return f"the same statement as {self.ids[rep]}: {self.reason(rep)}"
        if s == ASSESSMENT:
            return f"{b.assessment[i]}: a statement about the figure, not a figure"
        if s == RETRACTION:
            return "withdraws " + ", ".join(b.retracts[i])
        if s == WITHDRAWN:
            if b.repeat[i]:
                return f"repeats the withdrawn {self.labels[rel]}"
            who, when = b.withdrawn_by.get(i, (None, ""))
            return f"withdrawn by {who} ({when})" if who else "marked retracted"
        if s == UNDATED:
            return "undated: cannot tell whether it was stated by the as-of date"
        if s == HISTORY:
            return f"an old figure relayed late: below {self.labels[rel]} stated earlier"
        if s == SUPERSEDED:
            if i in b.same_day:
                return (
                    f"same-day statement of {self.names[rel]}; {self.labels[rel]} counts "
                    "(direct, then a change from or withdrawal of the other, then the "
                    "greater floor of a count that only grows, then more precise, then larger)"
                )
            if rel in b.withdrawn_latest:
                return (
                    f"superseded by {self.names[rel]}'s later {self.labels[rel]}, "
                    "which was withdrawn without a replacement (R3)"
                )
            return f"superseded by {self.names[rel]}'s later {self.labels[rel]}"
        if s == STALE:
            return (
                f"an early count: {self.labels[rel]} is {num(b.date[rel] - b.date[i])} days newer"
            )
        if s == LOWER_RANKED:
            return f"source type {TYPES[b.type[i]]} ranks below the best present"
        reading = ""
        if i in b.floored:
            reading = (
                f"read as a floor of {num(b.hard_low[i])}: "
                f"it lies below the older {self.labels[b.floored[i]]}"
            )
        elif b.raised[i]:
            reading = (
                f"soft low raised to {num(b.soft_low[i])}, {self.names[i]}'s own earlier floor (R2)"
            )
        if s == OUTLIER:
            grp = int(self.g[i])
            where = self.where(i)
            if not where.startswith("between"):
                where += " them" if grp in self.tied else " it"
            where = f"outside the {self.region_text(grp)}: {where}"
            return where + (f" ({reading})" if reading else "")
        return reading or "the latest statement of its originator, in the agreement set"

    def explain(self, grp: int) -> list[dict[str, Any]]:
        """What happened to each claim of the group (`model.ClaimTrace`'s fields), in the
        order they were stated."""
        b = self.b
        a, z = int(b.starts[grp]), int(b.starts[grp + 1])
        out = []
        for i in sorted(range(a, z), key=lambda i: (self.when[i], self.ids[i])):
            value = (
                self.text[i]
                if self.text[i] is not None
                else (b.assessment[i] or "retracts " + ", ".join(b.retracts[i]))
            )
            out.append(
                {
                    "id": self.ids[i],
                    "source": self.names[i],
                    "value": str(value),
                    "stated_on": b.stated_on[i] if isinstance(b.stated_on[i], dt.date) else None,
                    "status": STATUS[int(b.status[i])],
                    "rule": b.rule[i] or None,
                    "reason": self.reason(i),
                    "note": b.note[i],
                }
            )
        return out


__all__ = ["ASSESSED", "EPS", "EXCLUDED", "NOTE_ORDER", "Notes", "Parts", "num"]
