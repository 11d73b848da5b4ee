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


def merged(results: Iterable[Result]) -> Result:
    """The figures of partition-wise runs as one result, in the order one run gives
    (by event, metric, group, location, period; a missing location or period first).
    The runs must share their method, profile, as-of date and parameters."""
    results = list(results)
    if not results:
        raise ValueError("merged takes at least one result")
    figures = sorted((f for r in results for f in r.figures), key=lambda f: f.key)
    return results[0].model_copy(update={"figures": figures})
