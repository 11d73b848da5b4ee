"""R11: the notes, lists and history of every figure, and `--explain`.

Each kind of note is written for all groups in one pass over the claims it concerns,
taken in (group, id) order; the figures are then assembled from these parts. A note
names the rule that fired and the claims involved, in a sentence a person reads.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .batch import (
    ASSESSMENT,
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
    WITHDRAWN,
    Batch,
    gmax,
    gmin,
    gpick,
    neg,
)
from .models import ClaimTrace, figure_text

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


def _date(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else "undated"


class Notes:
    """Lists, notes and history of every group, built kind by kind."""

    def __init__(self, b: Batch, nums: Any) -> None:
        self.b, self.nums = b, nums
        self.ids: list[str] = [str(x) for x in b.id.tolist()]
        self.text: list[Any] = b.text.tolist()
        self.names: list[str] = [str(x) for x in b.name.tolist()]
        self.g: list[int] = b.g.tolist()
        # Rows in (group, id) order, and each row's place in it.
        self.order = (
            np.lexsort((np.array(self.ids, dtype=str), b.g)) if b.n else np.empty(0, dtype=np.int64)
        )
        self.place = np.empty(b.n, dtype=np.int64)
        self.place[self.order] = np.arange(b.n)
        self.labels = [f"{i} ({t})" for i, t in zip(self.ids, self.text, strict=True)]
        self.notes: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)

    # - helpers

    def label(self, i: int) -> str:
        return self.labels[i]

    def rows(self, mask: np.ndarray) -> np.ndarray:
        """The rows of mask in (group, id) order."""
        return self.order[np.sort(self.place[np.flatnonzero(mask)])]

    def collect(
        self,
        mask: np.ndarray,
        make: Callable[[int], Any] | None = None,
        values: list[Any] | None = None,
    ) -> dict[int, list[Any]]:
        """group -> [make(row) (or values[row]) for its rows in mask, in id order]."""
        rows = self.rows(mask)
        if not len(rows):
            return {}
        listed = rows.tolist()
        items = (
            [values[i] for i in listed]
            if values is not None
            else (listed if make is None else [make(i) for i in listed])
        )
        g = self.b.g[rows]
        cut = np.flatnonzero(g[1:] != g[:-1]) + 1
        starts = np.concatenate(([0], cut)).tolist()
        ends = np.concatenate((cut, [len(rows)])).tolist()
        return {grp: items[a:z] for grp, a, z in zip(g[starts].tolist(), starts, ends, strict=True)}

    def note(
        self,
        grp: int,
        code: str,
        rule: str,
        message: str,
        claims: Iterable[str],
        ordered: bool = False,
    ) -> None:
        """`ordered`: the claim ids are already sorted and distinct."""
        ids = claims if ordered and isinstance(claims, list) else sorted(set(claims))
        self.notes[grp][code] = {"code": code, "rule": rule, "message": message, "claims": ids}

    def listed(
        self,
        code: str,
        rule: str,
        mask: np.ndarray,
        head: Callable[[int, list[int]], str],
        piece: Callable[[int], str] | None = None,
        claims: Callable[[int], Iterable[str]] | None = None,
        sep: str = ", ",
        tail: str = ".",
    ) -> None:
        """A note per group that lists its rows of `mask`: head(group, rows), the pieces
        (the claims' labels by default), tail."""
        labels, ids = self.labels, self.ids
        for grp, rows in self.collect(mask).items():
            pieces = [labels[i] for i in rows] if piece is None else [piece(i) for i in rows]
            if claims is None:
                self.note(
                    grp,
                    code,
                    rule,
                    head(grp, rows) + sep.join(pieces) + tail,
                    [ids[i] for i in rows],
                    True,
                )
            else:
                self.note(
                    grp,
                    code,
                    rule,
                    head(grp, rows) + sep.join(pieces) + tail,
                    [c for i in rows for c in claims(i)],
                )

    # - the parts

    def build(self) -> None:
        b = self.b
        status = b.status
        self.used = self.collect(status == USED, values=self.ids)
        excluded = (b.kind >= 0) & np.isin(status, list(EXCLUDED))
        self.excluded = self.collect(
            excluded,
            lambda i: {"id": self.ids[i], "reason": EXCLUDED[int(b.status[i])], "rule": b.rule[i]},
        )
        members = b.members & (b.mate_of < 0)
        self.sources = self.collect(members, values=self.names)
        self.independent = self._independent(members & self.nums.counted)
        self._withdrawn()
        self._relayed()
        self.listed(
            "superseded",
            "R2",
            status == SUPERSEDED,
            lambda g, rows: (
                f"{len(rows)} earlier or same-day statement(s) superseded by their "
                "originator's current one: "
            ),
        )
        self._downward()
        related = b.related.tolist()
        self.listed(
            "stale",
            "R5",
            (status == STALE) & (b.mate_of < 0),
            lambda g, rows: "Earlier counts set aside as history: ",
            lambda c: f"{self.label(c)} against {self.label(related[c])}",
            lambda c: (self.ids[c], self.ids[related[c]]),
        )
        floored = np.zeros(b.n, dtype=bool)
        floored[list(b.floored)] = True
        self.listed(
            "read-as-floor",
            "R5",
            floored,
            lambda g, rows: "Later counts far below an earlier one read as floors: ",
            lambda c: (
                f"{self.ids[c]} as at least {num(b.hl[c])} (below {self.label(b.floored[c])})"
            ),
            lambda c: (self.ids[c], self.ids[b.floored[c]]),
        )
        self.listed(
            "lower-ranked",
            "hierarchy",
            (status == LOWER_RANKED) & (b.mate_of < 0),
            lambda g, rows: "Set aside by the hierarchy method for a better-ranked source type: ",
        )
        self._outliers(members)
        for grp, tied in b.unresolved.items():
            tied = sorted(tied, key=self.ids.__getitem__)
            self.note(
                grp,
                "unresolved-conflict",
                "R7",
                "Claims disagree and no region of agreement stands out; "
                "all are used: " + ", ".join(self.label(i) for i in tied) + ".",
                [self.ids[i] for i in tied],
            )
        self._bounds()
        self.listed(
            "open-upper",
            "R8",
            members & np.isinf(b.hh),
            lambda g, rows: "Open above: ",
            tail=" set no upper limit.",
        )
        self._confidence(members)
        self._assessments()
        self.listed(
            "undated",
            "R12",
            status == UNDATED,
            lambda g, rows: "Undated claims are set aside when reconciling as of a date: ",
        )
        self._history()

    def _independent(self, counted: np.ndarray) -> dict[int, list[dict[str, Any]]]:
        """R10's independent sources of each figure, so that the names shown add up to
        the count: the organs of one side together, each unattributed figure as a
        share, every other originator alone."""
        b = self.b
        out: dict[int, list[dict[str, Any]]] = {}
        for grp, rows in self.collect(counted).items():
            units: dict[int, dict[str, Any]] = {}
            for i in rows:
                unit = units.setdefault(
                    int(b.unit[i]),
                    {
                        "names": set(),
                        "side": _side(str(b.side[i])),
                        "share": self.nums.share if b.unknown[i] else 1.0,
                    },
                )
                unit["names"].add(self.names[i])
            listed = [{**u, "names": sorted(u["names"])} for u in units.values()]
            out[grp] = sorted(listed, key=lambda u: (u["share"] < 1, u["names"]))
        return out

    def _withdrawn(self) -> None:
        b = self.b
        gone = (b.status == WITHDRAWN) & ~b.repeat
        for grp, rows in self.collect(gone).items():
            by: dict[str, list[int]] = defaultdict(list)
            for i in rows:
                who, when = b.withdrawn_by.get(i, (None, ""))
                by[f"withdrawn by {who} ({when})" if who else "marked retracted"].append(i)
            parts = [
                ", ".join(self.label(i) for i in items) + f" {reason}"
                for reason, items in sorted(by.items())
            ]
            self.note(
                grp,
                "retracted",
                "R3",
                "Withdrawn: " + "; ".join(parts) + ".",
                # The withdrawn claims and the claims that withdrew them.
                [self.ids[i] for i in rows]
                + [who for i in rows if (who := b.withdrawn_by.get(i, (None, ""))[0])],
            )
        self.listed(
            "repeat-of-retracted",
            "R3",
            b.repeat,
            lambda g, rows: "Repeats of a withdrawn figure, withdrawn too: ",
        )

    def _relayed(self) -> None:
        b = self.b
        redated = self.collect(b.repeat_of >= 0)
        late = self.collect(b.status == HISTORY)
        # A relay that repeats no recorded statement stands for an unrecorded one.
        unrecorded = self.collect(b.current & b.relayed & (b.repeat_of < 0) & (b.mate_of < 0))
        for grp in sorted(set(redated) | set(late) | set(unrecorded)):
            parts = []
            alone = unrecorded.get(grp, [])
            if alone:
                parts.append(
                    "standing for a statement of the originator not otherwise recorded: "
                    + ", ".join(
                        f"{self.label(i)} for {self.names[i]} ({_date(b.stated_on[i])})"
                        for i in alone
                    )
                )
            moved = sorted(redated.get(grp, []), key=lambda i: (b.orig_stated[i], self.ids[i]))
            if moved:
                parts.append(
                    "repeats of an earlier statement, dated at the original: "
                    + ", ".join(f"{self.label(i)} = {self.ids[b.repeat_of[i]]}" for i in moved)
                )
            old = late.get(grp, [])
            if old:
                parts.append(
                    "old figures relayed late, kept as history: "
                    + ", ".join(self.label(i) for i in old)
                )
            self.note(
                grp,
                "relayed",
                "R4",
                "Relayed figures count under their originator; " + "; ".join(parts) + ".",
                [self.ids[i] for i in (*alone, *moved, *old)],
            )

    def _when(self, i: int) -> str:
        """The statement's date, and the date its count is as of when that differs
        (R2 orders an originator's statements by as-of date)."""
        b = self.b
        said = _date(b.stated_on[i])
        day = b.date[i]
        if math.isnan(day) or day == b.stated[i]:
            return said
        return f"{said}, as of {dt.date.fromordinal(int(day)).isoformat()}"

    def _downward(self) -> None:
        b = self.b
        by: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for cur, top in b.downward.items():
            by[self.g[cur]].append((cur, top))
        for grp, pairs in by.items():
            pairs.sort(key=lambda x: self.ids[x[0]])
            self.note(
                grp,
                "downward-revision",
                "R2",
                "; ".join(
                    f"{self.names[c]} now says {self.text[c]} ({self._when(c)}), "
                    f"below its earlier {self.text[t]} ({self._when(t)})"
                    for c, t in pairs
                )
                + ".",
                [self.ids[x] for pair in pairs for x in pair],
            )

    def _outliers(self, members: np.ndarray) -> None:
        b = self.b
        lo = gmax(b, b.wlo, members)
        hi = gmin(b, b.whi, members)

        def where(c: int) -> str:
            grp = self.g[c]
            if b.sh[c] < lo[grp]:
                return f"{num(lo[grp] - b.sh[c])} below"
            if b.sl[c] > hi[grp]:
                return f"{num(b.sl[c] - hi[grp])} above"
            return "apart from"

        self.where = where
        self.region = (lo, hi)
        out = (b.status == OUTLIER) & (b.mate_of < 0)
        self.listed(
            "outlier",
            "R7",
            out,
            lambda g, rows: f"Outside the agreement region {num(lo[g])}–{num(hi[g])}: ",
            lambda c: f"{self.label(c)} lies {where(c)}",
            sep="; ",
        )

    def _bounds(self) -> None:
        b = self.b
        for grp in np.flatnonzero(self.nums.conflict[:, 0] >= 0).tolist():
            first, second = (int(x) for x in self.nums.conflict[grp])
            gap = b.hl[first] - b.hh[second]
            share = gap / b.hh[second] * 100 if b.hh[second] > 0 else math.inf
            self.note(
                grp,
                "bounds-conflict",
                "R8",
                f"{self.label(second)} and {self.label(first)} exclude each "
                f"other: a gap of {num(gap)}"
                + (f" ({share:.0f}%)" if not math.isinf(share) else "")
                + "; usually a difference of scope or timing.",
                [self.ids[first], self.ids[second]],
            )

    def _confidence(self, members: np.ndarray) -> None:
        nums = self.nums
        member_ids = self.collect(members, values=self.ids)
        counted = self.collect(members & nums.counted)
        for grp in np.flatnonzero(nums.vague_only).tolist():
            self.note(
                grp,
                "vague-only",
                "R10",
                "Only vague words (such as 'dozens') say so: at most low confidence.",
                member_ids.get(grp, []),
            )
        for grp in np.flatnonzero(nums.official_only).tolist():
            self.note(
                grp,
                "official-only",
                "R10",
                "Only state bodies or parties to the event say so: at most moderate confidence.",
                member_ids.get(grp, []),
            )
        for grp in np.flatnonzero((nums.n < 2) & (nums.confidence >= 0)).tolist():
            rows = counted.get(grp, [])
            n = nums.n[grp]
            names = sorted({self.names[i] for i in rows}) or sorted(set(self.sources.get(grp, [])))
            self.note(
                grp,
                "single-source",
                "R10",
                f"Rests on {num(n) if n else 'no'} independent source"
                + ("s" if n != 1 else "")
                + ": "
                + ", ".join(names)
                + self._why_fewer(rows, len(names))
                + ".",
                [self.ids[i] for i in rows] or member_ids.get(grp, []),
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

    def _assessments(self) -> None:
        b = self.b
        for grp, rows in self.collect(b.status == ASSESSMENT).items():
            kinds: dict[str, list[int]] = defaultdict(list)
            for i in rows:
                kinds[str(b.assessment[i])].append(i)
            for kind, items in kinds.items():
                items.sort(key=lambda i: (neg(b.stated[[i]])[0], self.ids[i]))
                said = "; ".join(f"{self.names[i]} ({_date(b.stated_on[i])})" for i in items)
                self.note(
                    grp, kind, "R11", f"{said}: {ASSESSED[kind]}.", [self.ids[i] for i in items]
                )

    def _history(self) -> None:
        """R9: the least and greatest figures ever stated (withdrawn ones aside), each
        with the date it was first stated and every claim that stated it."""
        b = self.b
        stated = (b.kind >= 0) & ~np.isin(b.status, [WITHDRAWN, ASSESSMENT, RETRACTION, UNDATED])
        point = b.pt
        if b.point_as_stated:  # R2 raised some readings: history keeps what was said
            point = point.copy()
            point[list(b.point_as_stated)] = list(b.point_as_stated.values())
        lo = np.where(np.isnan(b.fig), point, b.fig)
        hi = np.where(np.isnan(b.figh), lo, b.figh)
        least = gmin(b, lo, stated)
        greatest = gmax(b, hi, stated)
        when = neg(b.orig_stated)
        self.history: dict[int, dict[str, Any]] = {}
        for side, values, target in (("least", lo, least), ("greatest", hi, greatest)):
            at = stated & (values == target[b.g])
            first = gpick(b, at, -self.place.astype(float), -when)
            claims = self.collect(at, values=self.ids)
            for grp, ids in claims.items():
                row = int(first[grp])
                day = b.stated_on[row]
                self.history.setdefault(grp, {})[side] = {
                    "value": float(target[grp]),
                    "stated_on": day if isinstance(day, dt.date) else None,
                    "claims": ids,
                }

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
                return f"repeats the withdrawn {self.label(rel)}"
            who, when = b.withdrawn_by.get(i, (None, ""))
            return f"withdrawn by {who} ({when})" if who else "marked retracted"
        if s == UNDATED:
            return "undated: cannot tell whether it was stated by the as-of date"
        if s == HISTORY:
            return f"an old figure relayed late: below {self.label(rel)} stated earlier"
        if s == SUPERSEDED:
            if i in b.same_day:
                return (
                    f"same-day statement of {self.names[rel]}; {self.label(rel)} counts "
                    "(direct, then more precise, then larger)"
                )
            if rel in b.withdrawn_latest:
                return (
                    f"superseded by {self.names[rel]}'s later {self.label(rel)}, "
                    "which was withdrawn without a replacement (R3)"
                )
            return f"superseded by {self.names[rel]}'s later {self.label(rel)}"
        if s == STALE:
            return f"an early count: {self.label(rel)} is {num(b.date[rel] - b.date[i])} days newer"
        if s == LOWER_RANKED:
            return f"source type {TYPES[b.type[i]]} ranks below the best present"
        reading = ""
        if i in b.floored:
            reading = (
                f"read as a floor of {num(b.hl[i])}: "
                f"it lies below the older {self.label(b.floored[i])}"
            )
        elif b.raised[i]:
            reading = f"soft low raised to {num(b.sl[i])}, {self.names[i]}'s own earlier floor (R2)"
        if s == OUTLIER:
            grp = self.g[i]
            lo, hi = self.region
            where = (
                f"outside the agreement region {num(lo[grp])}–{num(hi[grp])}: {self.where(i)} it"
            )
            return where + (f" ({reading})" if reading else "")
        return reading or "the latest statement of its originator, in the agreement set"

    def explain(self, grp: int) -> list[ClaimTrace]:
        b = self.b
        a, z = int(b.starts[grp]), int(b.starts[grp + 1])
        out = []
        for i in sorted(range(a, z), key=lambda i: (neg(b.orig_stated[[i]])[0], self.ids[i])):
            value = (
                self.text[i]
                if self.text[i] is not None
                else (b.assessment[i] or "retracts " + ", ".join(b.retracts[i]))
            )
            out.append(
                ClaimTrace(
                    id=self.ids[i],
                    source=self.names[i],
                    value=str(value),
                    stated_on=b.stated_on[i] if isinstance(b.stated_on[i], dt.date) else None,
                    status=STATUS[int(b.status[i])],
                    rule=b.rule[i] or None,
                    reason=self.reason(i),
                    note=b.note[i],
                )
            )
        return out


__all__ = ["ASSESSED", "EPS", "EXCLUDED", "NOTE_ORDER", "Notes", "num"]
