"""Beyond one machine: R10a relates figures only within one event and metric, and only a
withdrawal (R3, a claim's `retracts` naming a claim of another event or metric) looks
across (event, metric)s; so the reconciliation is a pure function of the claims of each
(event, metric), with those a withdrawal links taken together (`keys`). Claims
hash-partitioned by that key can be reconciled partition by partition, anywhere, and
the figures merged in the usual order give the same result as one run."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from ..columns import places, ranked
from ..loading import Claims
from ..model import Result


def partition_of(event: str, metric: str, n: int) -> int:
    """The partition of an (event, metric), stable across processes and machines (not
    Python's salted hash)."""
    digest = hashlib.blake2b(f"{event}\x1f{metric}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % n


def partitions(claims: Claims, n: int) -> list[Claims]:
    """The claims split into `n` partitions by (event, metric): (event, metric)s that a
    withdrawal links go together, in the partition of the first of them (`keys`)."""
    key = keys(claims)
    part = {k: partition_of(str(k[0]), str(k[1]), n) for k in set(key)}
    where = np.array([part[k] for k in key], dtype=np.int64)
    return [claims.take(where == k) for k in range(n)]


def keys(claims: Claims) -> list[tuple[object, object]]:
    """Each claim's partition key: its (event, metric), or, where a withdrawal links
    several (`linked`), the first of them in a run's order. A distributed group-by
    groups by this key."""
    cols = claims.columns
    events, metrics = cols["event"].tolist(), cols["metric"].tolist()
    if not events:
        return []
    codes = pair_codes(claims)
    root = list(range(int(codes.max()) + 1))

    def find(x: int) -> int:
        while root[x] != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for a, b in linked(claims, codes):
        ra, rb = find(a), find(b)
        root[max(ra, rb)] = min(ra, rb)
    first: dict[int, tuple[object, object]] = {}
    for i, code in enumerate(codes.tolist()):
        first.setdefault(code, (events[i], metrics[i]))
    return [first[find(code)] for code in codes.tolist()]


def first_half(claims: Claims) -> np.ndarray | None:
    """The claims of the (event, metric)s that come first in a run's order and hold
    about half the claims, as a boolean array: their figures all come before the
    others', so two runs, one of each half, give one run's figures one after the other.
    The cut never parts two (event, metric)s that a withdrawal links (`linked`); None
    when no cut can be made (one (event, metric), or all linked)."""
    part = parts(claims, 2)
    return None if part is None else part == 0


def parts(claims: Claims, count: int) -> np.ndarray | None:
    """Each claim's part (0, 1, ...) of at most `count` runs of (event, metric)s in a
    run's order, with about as many claims each: each cut is the allowed one nearest
    its share of the claims, and none parts two (event, metric)s that a withdrawal
    links (`linked`), so that R3 and R4 (and every rule) give each part what they give
    the whole. None when no cut can be made (one (event, metric), or all linked)."""
    if not len(claims):
        return None
    codes = pair_codes(claims)
    counts = np.bincount(codes)
    if len(counts) < 2:
        return None
    # A cut after (event, metric) k keeps k and those before it in the earlier part; a
    # link between a <= k < b forbids it.
    crossing = np.zeros(len(counts) + 1, dtype=np.int64)
    for a, b in linked(claims, codes):
        crossing[min(a, b)] += 1
        crossing[max(a, b)] -= 1
    allowed = np.flatnonzero(np.cumsum(crossing)[: len(counts) - 1] == 0)
    if not len(allowed):
        return None
    reach = np.cumsum(counts)[allowed]
    shares = np.arange(1, count) * len(claims) / count
    # The allowed cut nearest each share of the claims (two shares may pick one cut).
    nearest = np.abs(reach[None, :] - shares[:, None]).argmin(axis=1)
    cuts = np.unique(allowed[nearest])
    out: np.ndarray = np.searchsorted(cuts, codes, side="left")
    return out


def pair_codes(claims: Claims) -> np.ndarray:
    """Each claim's (event, metric), numbered densely in a run's order (`build_batch`
    orders its groups by these codes, event first)."""
    from .batch import key_codes, packed

    cols = claims.columns
    pair = packed([key_codes(cols["event"]), key_codes(cols["metric"])])
    if len(pair) == 1:
        codes: np.ndarray = ranked(pair[0])
    else:
        codes = np.unique(np.stack(pair, axis=1), axis=0, return_inverse=True)[1].ravel()
    return codes


def linked(claims: Claims, codes: np.ndarray) -> set[tuple[int, int]]:
    """The (event, metric) codes that a withdrawal links: a claim whose `retracts` names
    a claim of another event or metric (R3 withdraws it wherever it is)."""
    retracts = claims.columns["retracts"]
    withdrawing = np.flatnonzero(np.fromiter(map(bool, retracts.tolist()), bool, len(retracts)))
    if not len(withdrawing):
        return set()
    wanted = list({t for i in withdrawing.tolist() for t in retracts[i]})
    # Ids are unique (a repeated id is refused when loading).
    found = places(claims.columns["id"], wanted).tolist()
    position = {t: p for t, p in zip(wanted, found, strict=True) if p >= 0}
    out = set()
    for i in withdrawing.tolist():
        for target in retracts[i]:
            t = position.get(target)
            if t is not None and codes[t] != codes[i]:
                out.add((int(codes[i]), int(codes[t])))
    return out


def merged(results: Iterable[Result]) -> Result:
    """The figures of partition-wise runs as one result, in the order one run gives
    (by event, metric, group, location, period; a missing location or period first).
    The runs must share their method, profile, as-of date and parameters."""
    results = list(results)
    if not results:
        raise ValueError("merged takes at least one result")
    figures = sorted((f for r in results for f in r.figures), key=lambda f: f.key)
    return results[0].model_copy(update={"figures": figures})
