"""Beyond one machine: R10a relates figures only within one event and metric, and no
other rule looks across (event, metric), so the reconciliation is a pure function of the
claims of each (event, metric). Claims hash-partitioned by it can be reconciled
partition by partition, anywhere, and the figures merged in the usual order give the
same result as one run."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

import numpy as np

from ..loading import Claims
from ..model import Result


def partition_of(event: str, metric: str, n: int) -> int:
    """The partition of an (event, metric), stable across processes and machines (not
    Python's salted hash)."""
    digest = hashlib.blake2b(f"{event}\x1f{metric}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % n


def partitions(claims: Claims, n: int) -> list[Claims]:
    """The claims split into `n` partitions by (event, metric)."""
    cols = claims.columns
    keys = {
        (e, m): partition_of(str(e), str(m), n)
        for e, m in set(zip(cols["event"].tolist(), cols["metric"].tolist(), strict=True))
    }
    part = np.array(
        [
            keys[(e, m)]
            for e, m in zip(cols["event"].tolist(), cols["metric"].tolist(), strict=True)
        ],
        dtype=np.int64,
    )
    return [claims.take(part == k) for k in range(n)]


def first_half(claims: Claims) -> np.ndarray | None:
    """The claims of the (event, metric)s that come first in a run's order and hold
    about half the claims, as a boolean array; None when there is one (event, metric)
    only. Their figures all come before the others', so two runs, one of each half,
    give one run's figures one after the other."""
    from .batch import key_codes, packed

    cols = claims.columns
    if not len(claims):
        return None
    # A run orders its groups by these codes (`build_batch`), event first.
    pair = packed([key_codes(cols["event"]), key_codes(cols["metric"])])
    # Each (event, metric) numbered in that order, densely.
    if len(pair) == 1:
        codes = np.unique(pair[0], return_inverse=True)[1].ravel()
    else:
        codes = np.unique(np.stack(pair, axis=1), axis=0, return_inverse=True)[1].ravel()
    counts = np.bincount(codes)
    present = np.flatnonzero(counts)
    if len(present) < 2:
        return None
    # The last (event, metric) of the first half: where the claims so far reach half,
    # leaving at least one for the second.
    reach = np.cumsum(counts[present])
    last = present[min(int(np.searchsorted(reach, len(claims) / 2)), len(present) - 2)]
    out: np.ndarray = codes <= last
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
