"""Rules and checks that once looked at every pair of claims of an originator's group
(or of its day) now look at each claim once: each is held here to the pairwise way it
replaced, on generated cases. All claims here are synthetic. (One source with thousands
of statements in one group made these take minutes: `same_day`'s replacements,
`_late_relays`' earlier floors, `check`'s parts above wholes.)"""

from __future__ import annotations

import math
from types import SimpleNamespace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from figrecon.engine import statements as day_statements


def _replacing_pairwise(b, statements):  # the way `statements._replacing` was written
    said = {s: (b.figure[s] if not math.isnan(b.figure[s]) else b.point[s]) for s, _ in statements}
    ids = {s: {str(b.id[m]) for m in members} for s, members in statements}
    out = {}
    for s, members in statements:
        others = [o for o, _ in statements if o != s]
        came_from = {b.changed_from[m] for m in members if not math.isnan(b.changed_from[m])}
        withdrawn = {str(t) for m in members for t in b.retracts[m]}
        out[s] = any(said[o] in came_from or withdrawn & ids[o] for o in others)
    return out


figures = st.sampled_from([math.nan, 0.0, -0.0, 1.0, 2.0, 3.5, 100.0])


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_same_day_replacements_as_pairwise(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 12))
    ids = [f"c{i}" for i in range(n)]
    b = SimpleNamespace(
        id=np.array(ids, dtype=object),
        figure=np.array(data.draw(st.lists(figures, min_size=n, max_size=n))),
        point=np.array(data.draw(st.lists(figures, min_size=n, max_size=n))),
        changed_from=np.array(data.draw(st.lists(figures, min_size=n, max_size=n))),
        retracts=[data.draw(st.lists(st.sampled_from([*ids, "zz"]), max_size=2)) for _ in range(n)],
    )
    # Statements: the rows split into runs, the first row of each run chosen.
    cuts = sorted(set(data.draw(st.lists(st.integers(1, n), max_size=n))) | {n})
    statements, start = [], 0
    for cut in cuts:
        if cut > start:
            statements.append((start, list(range(start, cut))))
            start = cut
    assert day_statements._replacing(b, statements) == _replacing_pairwise(b, statements)


def _changed_on_the_day_pairwise(b, r, mask, block_of):  # R2 as RECONCILIATION.md orders a day
    out = mask.copy()
    at = [k for k in range(len(r)) if mask[k]]

    def day(k):
        return (block_of[k], b.date[r[k]], b.stated[r[k]])

    def direct(k):  # whether k's statement (its number on its day) has a direct claim
        return any(
            day(j) == day(k) and b.figure[r[j]] == b.figure[r[k]] and not b.relayed[r[j]]
            for j in at
        )

    for k in at:
        f = b.figure[r[k]]
        for j in at:
            c = b.changed_from[r[j]]
            if j == k or day(j) != day(k) or math.isnan(c) or c != f:
                continue
            undone = b.changed_from[r[k]] == b.figure[r[j]]
            if not undone and (direct(j) or not direct(k)):
                out[k] = False
    return out


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_changes_of_the_day_as_pairwise(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 10))
    numbers = st.sampled_from([2000.0, 2500.0, 3000.0])

    def column(strategy):
        return np.array(data.draw(st.lists(strategy, min_size=n, max_size=n)))

    figure = column(numbers)
    b = SimpleNamespace(
        figure=figure,
        figure_high=np.full(n, math.nan),  # no ranges: the figure alone is the statement
        hard_low=figure * 0.9,
        hard_high=figure * 1.1,
        changed_from=column(st.sampled_from([math.nan, math.nan, 2000.0, 2500.0, 3000.0])),
        date=column(st.sampled_from([1.0, 2.0])),
        stated=column(st.sampled_from([1.0, 2.0])),
        relayed=column(st.booleans()),
    )
    # A change from a figure to itself reads as no change (R1 gives none).
    b.changed_from[b.changed_from == figure] = math.nan
    r = np.array(data.draw(st.permutations(range(n))))
    mask = column(st.booleans())
    block_of = column(st.integers(0, 1))
    got = day_statements.changed_on_the_day(b, r, mask, block_of)
    assert got.tolist() == _changed_on_the_day_pairwise(b, r, mask, block_of).tolist()


def _late_relays_pairwise(b, live):  # the way `attribution._late_relays` was written
    from figrecon.columns import running_max
    from figrecon.engine.attribution import HISTORY, LIVE, blocks, moment
    from figrecon.engine.statements import as_worded, changed_on_the_day

    candidates = live & b.cumulative[b.g] & b.relayed & (b.repeat_of < 0)
    if not candidates.any():
        return
    rows = np.flatnonzero(live & b.cumulative[b.g])
    go = blocks(b.g[rows], b.orig[rows])
    when = moment(b.orig_date, b.orig_stated)[rows]
    order = np.lexsort((when, go))
    r, go_s, st = rows[order], go[order], when[order]
    # R2's statements of each day (`statements`), read for every originator at once.
    worded = as_worded(b, r, np.ones(len(r), dtype=bool), go_s) & b.confirmed[r]
    setter = changed_on_the_day(b, r, worded, go_s)
    floors = np.where(setter, b.hard_low[r], -math.inf)
    cummax = running_max(go_s, floors)
    new_day = np.ones(len(r), dtype=bool)
    new_day[1:] = (go_s[1:] != go_s[:-1]) | (st[1:] != st[:-1])
    day_start = np.maximum.accumulate(np.where(new_day, np.arange(len(r)), 0))
    before = day_start - 1
    valid = (before >= 0) & (go_s[np.maximum(before, 0)] == go_s)
    prior = np.where(valid, cummax[np.maximum(before, 0)], -math.inf)
    late = candidates[r] & (prior > b.hard_high[r])
    for i in np.flatnonzero(late):
        k = int(day_start[i]) - 1
        earlier = []
        while k >= 0 and go_s[k] == go_s[i]:
            if setter[k]:
                earlier.append(int(r[k]))
            k -= 1
        top = max(earlier, key=lambda e: (b.hard_low[e], b.id[e]))
        b.set(np.array([r[i]]), HISTORY, "R4", top)
    repeats = np.flatnonzero((b.repeat_of >= 0) & (b.status == LIVE))
    of_history = repeats[b.status[b.repeat_of[repeats]] == HISTORY]
    b.set(of_history, HISTORY, "R4", b.related[b.repeat_of[of_history]])


_relays = st.lists(
    st.tuples(
        st.sampled_from(["gov", "ngo", "health"]),  # the originator
        st.sampled_from([None, "Paper A", "Paper B", "Wire"]),  # its carrier
        st.integers(1, 6),  # the day
        st.sampled_from(["100", "120", "about 90", "at least 150", "80", "200", "150"]),
        st.sampled_from(["killed", "detained"]),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=150, deadline=None)
@given(_relays)
def test_late_relays_as_pairwise(tmp_path_factory, relays) -> None:
    import importlib

    import pytest

    from rules_helpers import claim, result

    # The module (the package's `attribution` is a function of the same name).
    attribution = importlib.import_module("figrecon.engine.attribution")

    tmp = tmp_path_factory.mktemp("late")
    claims = [
        claim(f"c{k:02d}", value, source, on, metric=metric, **({"via": via} if via else {}))
        for k, (source, via, on, value, metric) in enumerate(relays)
    ]
    got = result(tmp, claims, explain=True).model_dump_json()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(attribution, "_late_relays", _late_relays_pairwise)
        expected = result(tmp, claims, explain=True).model_dump_json()
    assert got == expected


def _parts_and_wholes_pairwise(v, withdrawn):  # the way `checks.rules` was written
    from collections import defaultdict

    from figrecon.checks.rules import _rows

    wholes = defaultdict(list)
    eligible = v.figured() & ~_rows(v, withdrawn) & v.dated()
    keyed = v.shared(eligible, "event", "metric", "period", "originator", "stated_on")
    for i in keyed:
        key = (v.event[i], v.metric[i], v.period[i], v.originator[i], v.stated_on[i])
        wholes[(*key, v.location[i] or "")].append(i)
    out = []
    for i in keyed:
        here = v.location[i] or ""
        places = [here] + [here[:k] for k in range(len(here)) if here[k] == "/"]
        for place in places:
            key = (v.event[i], v.metric[i], v.period[i], v.originator[i], v.stated_on[i])
            for t in wholes.get((*key, place), ()):
                if t == i or v.hard_low[i] <= v.hard_high[t]:
                    continue
                contains = (place == here and v.group[t] == "total" and v.group[i] != "total") or (
                    place != here and v.group[t] in ("total", v.group[i])
                )
                if contains:
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


_parts = st.lists(
    st.tuples(
        st.sampled_from(["gov", "ngo"]),
        st.integers(1, 2),  # the day
        st.sampled_from(["total", "women", "children"]),
        st.sampled_from(["Land", "Land/North", "Land/North/Town", "Land/South"]),
        st.sampled_from(["100", "120", "about 90", "at least 150", "80", "fewer than 200", "9"]),
    ),
    min_size=1,
    max_size=16,
)


@settings(max_examples=150, deadline=None)
@given(_parts)
def test_parts_above_wholes_as_pairwise(tmp_path_factory, parts) -> None:
    import pytest

    from figrecon.checks import rules
    from figrecon.checks.report import check
    from rules_helpers import claim, write

    path = write(
        tmp_path_factory.mktemp("parts"),
        [
            claim(f"c{k:02d}", value, source, on, group=group, location=location)
            for k, (source, on, group, location, value) in enumerate(parts)
        ],
    )
    got = check(path).model_dump_json()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(rules, "_parts_and_wholes", _parts_and_wholes_pairwise)
        expected = check(path).model_dump_json()
    assert got == expected
