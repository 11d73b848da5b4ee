"""The claims of a run as sorted arrays (`Batch`), and per-group reductions over them.

Claims are sorted once by (event, metric, group, location, period), and within a group
by a hash of their id, so the same claims in any order give the same arrays (R12). Each
rule in `engine` and each figure in `figures` then works on whole columns at once.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..columns import factorize, hash_texts, isna, picked_factors, ranked
from ..loading import Claims
from ..model import STATE_TYPES, UNKNOWN_SOURCE, WEAK_TYPES, Kind, Measure, SourceType

EPS = 1e-9
KINDS: tuple[str, ...] = tuple(k.value for k in Kind)
K_LOWER, K_UPPER, K_VAGUE = (
    KINDS.index("lower_bound"),
    KINDS.index("upper_bound"),
    KINDS.index("vague"),
)
VALUE = np.array(
    [k in ("exact", "round", "range", "approx", "approx_below") for k in KINDS] + [False]
)
"""Kinds that state a value (R8); index -1 (no figure) is False."""
BOUND = np.array([k in ("lower_bound", "upper_bound") for k in KINDS] + [False])
PRECISION = np.array([0, 1, 2, 3, 4, 5, 5, 6, 9])
"""R2: exact, round, range, approx, approx_below, bound, vague (lower is more precise)."""

(
    LIVE,
    USED,
    SUPERSEDED,
    WITHDRAWN,
    STALE,
    OUTLIER,
    ASSESSMENT,
    RETRACTION,
    UNDATED,
    LOWER_RANKED,
    HISTORY,
) = range(11)
STATUS = (
    "live",
    "used",
    "superseded",
    "withdrawn",
    "stale",
    "outlier",
    "assessment",
    "retraction",
    "undated",
    "lower-ranked",
    "history",
)

TYPES: tuple[str, ...] = tuple(t.value for t in SourceType)
STATE = np.array([t in {s.value for s in STATE_TYPES} for t in TYPES])
WEAK = np.array([t in {s.value for s in WEAK_TYPES} for t in TYPES])


@dataclass
class Batch:
    """Every claim of the run, sorted by group, as arrays; plus per-group facts."""

    n: int
    g: np.ndarray  # group index of each row
    starts: np.ndarray  # first row of each group, and n at the end
    keys: list[tuple[str, ...]]  # (event, metric, group, location, period) of each group
    cumulative: np.ndarray  # per group
    measure: list[Measure]  # per group
    id: np.ndarray
    hid: np.ndarray  # a hash of the id: an order-free tie-break
    name: np.ndarray
    orig: np.ndarray  # originator code
    unit: np.ndarray  # R10 unit code: the side for parties, else the originator
    type: np.ndarray  # type code (index in TYPES)
    party: np.ndarray  # bool
    side: np.ndarray  # the registry's `party` value: "" for none, "<party>" for true
    unknown: np.ndarray  # bool: originator unknown
    relayed: np.ndarray
    carrier: np.ndarray  # R2: code of the via link nearest the originator, -1 when direct
    stated: np.ndarray  # day number, NaN when undated (R4 may move it to the original's)
    orig_stated: np.ndarray
    orig_date: np.ndarray  # `date` before R4 moves a repeat to the original's
    date: np.ndarray  # as_of or stated, day number
    stated_on: np.ndarray  # datetime.date or "undated"
    kind: np.ndarray  # index in KINDS, -1 without a figure
    hard_low: np.ndarray  # R1: what the words strictly entail
    hard_high: np.ndarray  # inf when open
    soft_low: np.ndarray  # R1: what a reader understands (R2 may raise it)
    soft_high: np.ndarray
    point: np.ndarray  # R1: the figure used for BEST
    figure: np.ndarray  # the number as stated (NaN for vague words)
    figure_high: np.ndarray  # a range's second number
    changed_from: np.ndarray  # R1: the earlier figure of a change, NaN otherwise
    text: np.ndarray
    retracts: np.ndarray
    assessment: np.ndarray
    retracted: np.ndarray
    note: np.ndarray  # provenance, shown by --explain (an import's event ids)
    claim_row: np.ndarray  # each row's position among the claims it was built from
    status: np.ndarray = field(init=False)
    rule: np.ndarray = field(init=False)
    related: np.ndarray = field(init=False)  # the row that caused the status, or -1
    mate_of: np.ndarray = field(init=False)  # R2: the row whose statement this is, or -1
    repeat_of: np.ndarray = field(init=False)  # R4: the recorded statement it repeats, or -1
    raised: np.ndarray = field(init=False)  # R2: soft low raised to the originator's floor
    confirmed: np.ndarray = field(init=False)  # R2: a statement that may set a floor
    repeat: np.ndarray = field(init=False)  # R3: withdrawn as a repeat of a withdrawn figure
    weight: np.ndarray = field(init=False)
    wide_low: np.ndarray = field(init=False)  # R7: the soft interval widened by the tolerance
    wide_high: np.ndarray = field(init=False)
    withdrawn_by: dict[int, tuple[str | None, str]] = field(default_factory=dict)
    """R3: withdrawn row -> (withdrawing claim id, its date), or (None, "") when flagged."""
    current: np.ndarray = field(init=False)
    """Each originator's current claim, after R2-R5 (and the hierarchy method)."""
    members: np.ndarray = field(init=False)
    """R7: the agreement set."""
    unresolved: dict[int, list[int]] = field(default_factory=dict)
    """R7: group -> rows of a conflict no region resolves."""
    tied: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    """R7: group -> the regions (low, high) of a conflict no region resolves."""
    point_as_stated: dict[int, float] = field(default_factory=dict)
    """R2: the point of a row before it was raised to its originator's floor."""
    downward: dict[int, int] = field(default_factory=dict)
    """R2: current row -> the earlier, higher statement of the same originator."""
    floored: dict[int, int] = field(default_factory=dict)
    """R5: row read as a floor -> the older claim it lies below."""
    same_day: set[int] = field(default_factory=set)
    """R2: rows set aside for another statement of the same day."""
    withdrawn_latest: set[int] = field(default_factory=set)
    """R3: withdrawn rows that were their originator's latest statement (no replacement)."""

    def __post_init__(self) -> None:
        self.status = np.full(self.n, LIVE, dtype=np.int8)
        self.rule = np.full(self.n, "", dtype=object)
        self.related = np.full(self.n, -1, dtype=np.int64)
        self.mate_of = np.full(self.n, -1, dtype=np.int64)
        self.repeat_of = np.full(self.n, -1, dtype=np.int64)
        self.raised = np.zeros(self.n, dtype=bool)
        self.confirmed = ~self.relayed
        self.repeat = np.zeros(self.n, dtype=bool)
        self.weight = np.zeros(self.n)
        self.wide_low = np.zeros(self.n)
        self.wide_high = np.zeros(self.n)
        self.current = np.zeros(self.n, dtype=bool)
        self.members = np.zeros(self.n, dtype=bool)

    @property
    def groups(self) -> int:
        return len(self.keys)

    @cached_property
    def id_rank(self) -> np.ndarray:
        """Each row's place among the ids in sorted order: ids as a sort key, sorted
        once for every rule and note that breaks ties by id."""
        return text_ranks(self.id)

    def set(self, rows: np.ndarray, status: int, rule: str, related: np.ndarray | int = -1) -> None:
        self.status[rows] = status
        self.rule[rows] = rule
        self.related[rows] = related


# --- segment helpers: per-group reductions over rows sorted by group ------------------


def gmax(b: Batch, values: np.ndarray, mask: np.ndarray, init: float = -math.inf) -> np.ndarray:
    out = np.full(b.groups, init)
    np.maximum.at(out, b.g[mask], values[mask])
    return out


def gmin(b: Batch, values: np.ndarray, mask: np.ndarray, init: float = math.inf) -> np.ndarray:
    out = np.full(b.groups, init)
    np.minimum.at(out, b.g[mask], values[mask])
    return out


def gany(b: Batch, mask: np.ndarray) -> np.ndarray:
    return np.bincount(b.g[mask], minlength=b.groups) > 0


def gpick(b: Batch, mask: np.ndarray, *keys: np.ndarray) -> np.ndarray:
    """Per group, the row of `mask` with the greatest (keys...) (the last key is the
    most significant); -1 where the group has none."""
    rows = np.flatnonzero(mask)
    out = np.full(b.groups, -1, dtype=np.int64)
    if len(rows):
        order = rows[np.lexsort((*(k[rows] for k in keys), b.g[rows]))]
        last = np.flatnonzero(np.append(b.g[order][1:] != b.g[order][:-1], True))
        out[b.g[order[last]]] = order[last]
    return out


def blocks(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """A code for each distinct pair of non-negative integer codes, ordered like the pairs."""
    combined = first.astype(np.int64) * (int(second.max(initial=0)) + 1) + second
    return ranked(combined)


def key_codes(values: np.ndarray, rows: np.ndarray | None = None) -> np.ndarray:
    """Codes that sort like the values (missing first), found by hashing: only the
    distinct values are sorted. Of `values[rows]` when `rows` is given (a column whose
    factors are known is not hashed again: `picked_factors`)."""
    codes, uniques = factorize(values) if rows is None else picked_factors(values, rows)
    order = np.argsort(np.array([str(u) for u in uniques], dtype=object), kind="stable")
    rank = np.empty(len(uniques) + 1, dtype=np.int64)
    rank[order] = np.arange(1, len(uniques) + 1)
    rank[-1] = 0
    out: np.ndarray = rank[codes]
    return out


ARROW_SORT = 50_000
"""Texts from which `text_ranks` ranks them with Arrow."""


def text_ranks(values: np.ndarray) -> np.ndarray:
    """`key_codes` of a large column of texts, none missing (the ids), ranked by Arrow
    without hashing them in Python first. Arrow compares the UTF-8 bytes, which order as
    the code points do (Python's order), a NUL included; a value that is no text, or a
    lone surrogate (which UTF-8 cannot hold), leaves it to `key_codes`. A million ids in
    a batch's order (a group's claims in the order of their hashes) took 0.6-1.1 s in
    `key_codes` (1.8 s if random, as UUIDs), 0.3-0.4 s here (1.0 s)."""
    if len(values) >= ARROW_SORT:
        import pyarrow as pa
        import pyarrow.compute as pc

        try:
            array = pa.array(values, type=pa.large_string(), from_pandas=False)
        except (UnicodeError, pa.ArrowException):  # not all texts, or a lone surrogate
            pass
        else:
            if not array.null_count:
                ranks = pc.rank(array, sort_keys="ascending", tiebreaker="dense")
                out: np.ndarray = ranks.to_numpy().astype(np.int64)
                # Arrow's allocator would keep what the texts took (40-50 MB at a
                # million ids), and the peak of the run would grow by as much.
                del array, ranks
                pa.default_memory_pool().release_unused()
                return out
    return key_codes(values)


def packed(codes: list[np.ndarray]) -> list[np.ndarray]:
    """Non-negative integer codes, the most significant first, as one key that sorts as
    they do together, when the product of their ranges is below 2**62 (one pass of a
    sort instead of one per code); as they are otherwise."""
    sizes = [int(c.max(initial=0)) + 1 for c in codes]
    if len(codes) < 2 or math.prod(sizes) >= 2**62:
        return codes
    out = np.zeros(len(codes[0]), dtype=np.int64)
    for code, size in zip(codes, sizes, strict=True):
        out = out * size + code
    return [out]


def key_texts(values: np.ndarray) -> list[str]:
    """Each value of a key column as text, "" for a missing one."""
    missing = isna(values).tolist()
    return ["" if m else str(v) for v, m in zip(values.tolist(), missing, strict=True)]


def _objects(values: np.ndarray) -> np.ndarray:
    missing = isna(values) if values.dtype == object else None
    if missing is not None and missing.any():
        values = values.copy()
        values[missing] = None
    return values


def same_figure(
    figure: np.ndarray, figure_high: np.ndarray, hard_low: np.ndarray, hard_high: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays that together say "the same figure" (R3's repeats, R4's relays, R2's
    statements of one day, R10's copies of an unattributed figure): the number as
    stated, and a range's second number, whatever the qualifier; a vague word by its
    reading ("Dozens" and "dozens of people" are one figure)."""
    vague = np.isnan(figure)
    first = np.where(vague, -1.0 - hard_low, figure)
    second = np.where(
        vague,
        np.where(np.isinf(hard_high), 1e300, hard_high),
        np.where(np.isnan(figure_high), -1.0, figure_high),
    )
    return first, second


def moment(date: np.ndarray, stated: np.ndarray) -> np.ndarray:
    """R2's order of statements as one number: the claim's date (its as_of, else its
    stated_on), then the day it was stated; NaN when undated. Day numbers stay below
    10^6, so the sum is exact."""
    return np.where(np.isnan(stated), math.nan, date * 1e6 + stated)


def number(x: float | None) -> int | float | None:
    """A figure as JSON prints it (`model.Number`): whole numbers as integers, an open or
    missing end as null."""
    if x is None or math.isnan(x) or math.isinf(x):
        return None
    return int(x) if float(x).is_integer() else x


def neg(values: np.ndarray) -> np.ndarray:
    """NaN (undated) as minus infinity, for ordering."""
    return np.where(np.isnan(values), -math.inf, values)


KEYS = ("event", "metric", "group", "location", "period")
"""The claim fields whose values make a group (a figure's key)."""


def known(claims: Claims, as_of: dt.date | None, only: np.ndarray | None = None) -> np.ndarray:
    """Which claims are known at `as_of` (all without it), of the rows `only` marks (a
    boolean array) when it is given: those a batch holds (`build_batch`)."""
    keep = np.ones(len(claims), dtype=bool) if only is None else np.asarray(only, dtype=bool)
    if as_of is not None:
        # Claims stated after the date are not yet known; undated ones stay, to be
        # set aside visibly.
        keep = keep & ~(claims.columns["stated_key"] > float(as_of.toordinal()))
    return keep


def build_batch(claims: Claims, as_of: dt.date | None, only: np.ndarray | None = None) -> Batch:
    """The claims known at `as_of` (all without it), sorted by group; of the rows
    `only` marks (a boolean array) when it is given."""
    cols = claims.columns
    rows = np.flatnonzero(known(claims, as_of, only))
    codes = [key_codes(cols[c], rows) for c in KEYS]
    # Within a group, rows follow a hash of their id: the same claims in any order or
    # split across any files give the same arrays (R12).
    hashed = hash_texts(cols["id"][rows]) if len(rows) else rows
    group_codes = packed(codes)  # one column when they fit in one
    sort = np.lexsort((hashed, *reversed(group_codes))) if len(rows) else rows
    order = rows[sort]
    n = len(order)
    if n:
        code_sorted = np.stack([c[sort] for c in group_codes])
        change = np.flatnonzero((code_sorted[:, 1:] != code_sorted[:, :-1]).any(axis=0)) + 1
    else:
        change = np.empty(0, dtype=np.int64)
    # No claims (an empty file, or --as-of before every statement): no groups at all.
    starts = np.concatenate(([0], change, [n]) if n else ([0],)).astype(np.int64)
    g = np.repeat(np.arange(len(starts) - 1), np.diff(starts)) if n else np.empty(0, dtype=np.int64)
    first = starts[:-1]
    key_values = [key_texts(cols[c][order[first]]) for c in KEYS]
    keys = list(zip(*key_values, strict=True)) if n else []
    measures = [Measure(m) for m in cols["measure"][order][first]] if n else []

    def col(name: str) -> np.ndarray:
        return cols[name][order]

    def num(name: str) -> np.ndarray:
        # The rows taken are a new array already: no second copy when it holds floats.
        return cols[name][order].astype(float, copy=False)

    ids = _objects(col("id"))
    originator = col("originator")
    party = col("party")
    unit_key = np.where(party != "", "party:" + party.astype(object, copy=False), originator)
    unknown = np.asarray(col("source") == UNKNOWN_SOURCE, dtype=bool)
    if unknown.any():
        # R10: copies of one unattributed figure are one unattributed statement, however
        # many outlets print it (half a source in all, not half per outlet).
        # "The same figure" as R3 and R4 judge it: the number as stated, whatever the
        # qualifier; a vague word by its reading ("Dozens", "dozens of people").
        first, second = same_figure(
            num("figure"), num("figure_high"), num("hard_low"), num("hard_high")
        )
        for i in np.flatnonzero(unknown).tolist():
            unit_key[i] = f"unknown-figure:{first[i]}:{second[i]}"
    kind_values, kind_index = _unique_map(cols["kind"], order)
    kind_code = np.array(
        [KINDS.index(k) if isinstance(k, str) else -1 for k in kind_values], dtype=np.int64
    )
    type_values, type_index = _unique_map(cols["type"], order)
    type_code = np.array(
        [TYPES.index(t if t in TYPES else "unknown") for t in type_values], dtype=np.int64
    )
    return Batch(
        n=n,
        claim_row=order,
        g=g,
        starts=starts,
        keys=keys,
        cumulative=np.array([m == Measure.cumulative for m in measures], dtype=bool),
        measure=measures,
        id=ids,
        hid=hashed[sort] if n else np.empty(0, dtype=np.uint64),
        name=col("source_name"),
        orig=key_codes(cols["originator"], order) if n else np.empty(0, dtype=np.int64),
        unit=key_codes(unit_key) if n else np.empty(0, dtype=np.int64),
        type=type_code[type_index] if n else np.empty(0, dtype=np.int64),
        party=(party != "").astype(bool),
        side=party,
        unknown=unknown,
        relayed=col("relayed").astype(bool, copy=False),
        carrier=_carriers(cols["via"], order) if n else np.empty(0, dtype=np.int64),
        stated=num("stated_key"),
        orig_stated=num("stated_key"),
        orig_date=num("date_key"),
        date=num("date_key"),
        stated_on=col("stated_on"),
        kind=kind_code[kind_index] if n else np.empty(0, dtype=np.int64),
        hard_low=num("hard_low"),
        hard_high=num("hard_high"),
        soft_low=num("soft_low"),
        soft_high=num("soft_high"),
        point=num("point"),
        figure=num("figure"),
        figure_high=num("figure_high"),
        changed_from=num("changed_from") if "changed_from" in cols else np.full(n, math.nan),
        text=_objects(col("value_text")),
        retracts=col("retracts"),
        assessment=_objects(col("assessment")),
        retracted=col("retracted").astype(bool, copy=False) if n else np.empty(0, dtype=bool),
        note=col("note"),
    )


def _carriers(via: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """R2: each claim's carrier (of `via[rows]`), the link of its `via` chain nearest
    the originator ("The Week < Reuters" is carried by Reuters), as a code; -1 for a
    direct claim. Two papers copying one wire are one carrier."""
    codes, uniques = picked_factors(via, rows)
    nearest = [str(v).rsplit("<", 1)[-1].strip().casefold() for v in uniques]
    carrier_codes, _ = factorize(np.array(nearest, dtype=object))
    out: np.ndarray = np.append(carrier_codes, -1)[codes].astype(np.int64)
    return out


def _unique_map(values: np.ndarray, rows: np.ndarray) -> tuple[list[Any], np.ndarray]:
    """Distinct values (None for missing) and the index into them of each of `rows`."""
    codes, uniques = picked_factors(values, rows)
    distinct: list[Any] = [*uniques, None]
    return distinct, np.where(codes < 0, len(distinct) - 1, codes)
