"""The normalized claims as a table, for other tools: the rows `figrecon normalize`
writes, in the columns `model.NormalizedClaim` declares."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ..columns import isna, known_factors, object_array
from ..model.normalized import NORMALIZED_COLUMNS

if TYPE_CHECKING:
    import pandas as pd

    from .claims import Claims

NUMBERS = ("hard_low", "hard_high", "soft_low", "soft_high", "point", "changed_from")


def normalize(claims: Claims) -> pd.DataFrame:
    """One row per claim, in `NORMALIZED_COLUMNS`: whole numbers as integers, an open end
    or a missing value as None, `retracts` as a list, dates as dates."""
    import pandas as pd

    columns = export_columns(claims)
    # Text stays object: pandas 3 would otherwise make it its own string type.
    return pd.DataFrame({k: pd.Series(v, dtype=v.dtype, copy=False) for k, v in columns.items()})


def export_columns(
    claims: Claims, start: int = 0, stop: int | None = None
) -> dict[str, np.ndarray]:
    """The columns of `normalize` (of the claims `start` to `stop`), without a
    DataFrame: `line` as integers, every other column an object array
    (`render.normalized` writes them a chunk at a time)."""
    stop = len(claims) if stop is None else stop
    n = max(stop - start, 0)
    columns: dict[str, Any] = {}
    for col in NORMALIZED_COLUMNS:
        whole = claims.columns.get(col)
        if whole is None:
            columns[col] = np.full(n, None, dtype=object)
            continue
        values = whole[start:stop]
        if col in NUMBERS:
            columns[col] = numbers(values)
        elif col == "retracts":
            columns[col] = object_array(list(map(list, values)))
        elif col == "line":
            columns[col] = np.asarray(values, dtype=np.int64)
        else:
            column = np.asarray(values, dtype=object)
            # A column's codes, when known, say where it is missing; a part of it
            # would be looked at value by value.
            missing = isna(whole)[start:stop] if known_factors(whole) is not None else isna(column)
            if missing.any():
                column = column.copy()
                column[missing] = None
            columns[col] = column
    return columns


def numbers(values: Any) -> np.ndarray:
    """`model.fields._number` of every value of a column, as an object array: whole numbers as
    integers (Python's, however large), others as floats, NaN and ±inf as None."""
    x = np.asarray(values, dtype=float)
    out = np.full(len(x), None, dtype=object)
    finite = np.isfinite(x)
    whole = np.zeros(len(x), dtype=bool)
    whole[finite] = x[finite] == np.floor(x[finite])
    small = whole & (np.abs(x, where=finite, out=np.full(len(x), np.inf)) < 2**53)
    out[small] = object_array(x[small].astype(np.int64).tolist())
    large = whole & ~small
    out[large] = object_array([int(v) for v in x[large].tolist()])
    fractions = finite & ~whole
    out[fractions] = object_array(x[fractions].tolist())
    return out
