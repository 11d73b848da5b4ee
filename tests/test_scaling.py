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

from figrecon.engine import supersede


def _replacing_pairwise(b, statements):  # the way `supersede._replacing` was written
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
        retracts=[
            data.draw(st.lists(st.sampled_from([*ids, "zz"]), max_size=2)) for _ in range(n)
        ],
    )
    # Statements: the rows split into runs, the first row of each run chosen.
    cuts = sorted(set(data.draw(st.lists(st.integers(1, n), max_size=n))) | {n})
    statements, start = [], 0
    for cut in cuts:
        if cut > start:
            statements.append((start, list(range(start, cut))))
            start = cut
    assert supersede._replacing(b, statements) == _replacing_pairwise(b, statements)
