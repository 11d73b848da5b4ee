"""The normalized claims as a table, for other tools: the rows `figrecon normalize`
writes, in the columns `model.NormalizedClaim` declares."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..model.normalized import NORMALIZED_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from .claims import Claims

NUMBERS = ("hard_low", "hard_high", "soft_low", "soft_high", "point", "changed_from")


def normalize(claims: Claims) -> pd.DataFrame:
    """One row per claim, in `NORMALIZED_COLUMNS`: whole numbers as integers, an open end
    or a missing value as None, `retracts` as a list, dates as dates."""
    import pandas as pd

    frame = claims.frame.reindex(columns=list(NORMALIZED_COLUMNS)).astype(object)
    for col in NUMBERS:
        frame[col] = pd.Series([_number(x) for x in frame[col]], index=frame.index, dtype=object)
    frame["retracts"] = frame["retracts"].map(list)
    frame["line"] = frame["line"].map(int)
    return frame.where(frame.notna(), None)


def _number(x: Any) -> int | float | None:
    """A count as a count (164, not 164.0; a midpoint may keep its half), None where
    there is none or the end is open."""
    if x is None or (isinstance(x, float) and (math.isnan(x) or math.isinf(x))):
        return None
    return int(x) if float(x).is_integer() else float(x)
