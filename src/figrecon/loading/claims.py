"""`Claims`: a validated, normalized set of claims, stored column by column, as loading
gives it to the engine, the checks and `normalize`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from ..model import (
    CLAIM_FIELDS,
    Claim,
    Finding,
    Measure,
    Quantity,
    Source,
)
from .table import is_present

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Claims:
    """A validated, normalized set of claims, stored column by column.

    `columns` (and the DataFrame `frame`, built on first use) hold the claim fields
    (`id`, `event`, ..., `note`; dates as `datetime.date`), `file` and `line`, and what
    normalization adds: `measure`, `kind`, `hard_low`, `hard_high` (inf when open),
    `soft_low`, `soft_high`, `point`, `figure`, `figure_high`, `changed_from` (the
    earlier figure of a change, R1), `value_text`, `type`
    (resolved source type), `party`, `originator`, `source_name`, `relayed`,
    `stated_key` and `date_key` (day numbers; NaN when undated)."""

    columns: dict[str, np.ndarray]
    sources: dict[str, Source] = field(default_factory=dict)
    metrics: dict[str, Measure] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    """Warnings met while loading (errors raise InputError instead)."""
    files: list[str] = field(default_factory=list)
    other_files: frozenset[str] = frozenset()
    """Files of `files` that are not claim files: a sources registry, a check baseline."""
    profile: str = "default"
    _frame: pd.DataFrame | None = field(default=None, repr=False)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, **kwargs: Any) -> Claims:
        """Claims from a DataFrame with the columns above (e.g. a filtered `frame`)."""
        columns = {
            c: frame[c].to_numpy(dtype=object if frame[c].dtype == object else None)
            for c in frame.columns
        }
        return cls(columns=columns, **kwargs)

    def take(self, keep: np.ndarray) -> Claims:
        """The claims where `keep` (a boolean array) is true."""
        return Claims(
            columns={k: v[keep] for k, v in self.columns.items()},
            sources=self.sources,
            metrics=self.metrics,
            findings=self.findings,
            files=self.files,
            other_files=self.other_files,
            profile=self.profile,
        )

    @property
    def frame(self) -> pd.DataFrame:
        if self._frame is None:
            import pandas as pd

            self._frame = pd.DataFrame(
                {
                    k: pd.Series(v, dtype=object if v.dtype == object else v.dtype)
                    for k, v in self.columns.items()
                }
            )
        return self._frame

    def __len__(self) -> int:
        return len(self.columns["id"])

    def __iter__(self) -> Iterator[Claim]:
        names = list(CLAIM_FIELDS)
        for row in zip(*(self.columns[c] for c in names), strict=True):
            data = {k: v for k, v in zip(names, row, strict=True) if is_present(v)}
            data["retracts"] = list(data.get("retracts", ()))
            yield Claim.model_construct(**data)

    @property
    def ids(self) -> list[str]:
        return list(self.columns["id"])

    def quantity(self, claim_id: str) -> Quantity | None:
        """The normalized reading of one claim's figure (None for value-less claims)."""
        hits = np.flatnonzero(self.columns["id"] == claim_id)
        if not len(hits) or self.columns["kind"][hits[0]] is None:
            return None
        i = hits[0]

        def col(name: str) -> Any:
            return self.columns[name][i]

        return Quantity(
            text=str(col("value_text")),
            kind=col("kind"),
            hard_low=col("hard_low"),
            hard_high=None if math.isinf(col("hard_high")) else col("hard_high"),
            soft_low=col("soft_low"),
            soft_high=None if math.isinf(col("soft_high")) else col("soft_high"),
            point=col("point"),
            figure=None if math.isnan(col("figure")) else col("figure"),
            figure_high=None if math.isnan(col("figure_high")) else col("figure_high"),
        )
