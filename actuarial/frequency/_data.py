"""Validation of count data and construction of the regression design.

Counts arrive as a pandas Series indexed by period (int years or a ``PeriodIndex``), a plain
array (periods 0, 1, 2, ...), or a table with a ``count`` column, an optional ``exposure``
column and optional grouping columns, with the period as the index or a ``period`` column.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from actuarial._typing import FloatArray
from actuarial._validation import as_float_array
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["CountData", "Design", "build_design", "prepare_counts", "time_index"]

Trend = Literal["linear", "period"] | None
_TRENDS = (None, "none", "linear", "period")


@dataclass(frozen=True)
class CountData:
    """Validated counts, exposures and periods, one entry per observation (row)."""

    counts: FloatArray
    exposure: FloatArray | None
    periods: pd.Index
    frame: pd.DataFrame | None  # the caller's table, for covariate columns


def _period_values(obj: pd.Series | pd.DataFrame) -> pd.Index:
    if isinstance(obj, pd.DataFrame) and "period" in obj.columns:
        idx = pd.Index(obj["period"])
    else:
        idx = obj.index
    if isinstance(idx, pd.PeriodIndex):
        return idx
    if isinstance(idx, pd.Index) and pd.api.types.is_integer_dtype(idx.dtype):
        return pd.Index(np.asarray(idx, dtype=np.int64))
    if idx.dtype == object and len(idx) and all(isinstance(p, pd.Period) for p in idx):
        return pd.PeriodIndex(list(idx))
    raise InvalidTypeError(
        "counts must be indexed by period: integer years or a pandas PeriodIndex (or carry "
        f"a 'period' column); got an index of dtype {idx.dtype}"
    )


def _check_whole(values: FloatArray, periods: pd.Index, name: str) -> None:
    frac = values != np.round(values)
    if frac.any():
        i = int(np.flatnonzero(frac)[0])
        raise InvalidInputError(
            f"{name} must be whole numbers of events; found {values[i]!r} for period {periods[i]}"
        )


def _as_exposure(exposure: Any, periods: pd.Index, index: pd.Index) -> FloatArray:
    if isinstance(exposure, pd.Series) and not exposure.index.equals(index):
        if exposure.index.has_duplicates or index.has_duplicates:
            raise InvalidInputError(
                "exposure is a Series whose index differs from the counts' index and cannot "
                "be aligned (duplicated periods); pass it in the same order as counts"
            )
        missing = index.difference(exposure.index)
        if len(missing):
            shown = ", ".join(str(p) for p in list(missing)[:5])
            raise InvalidInputError(
                f"exposure has no value for period {shown}: every period with counts needs "
                "an exposure"
            )
        exposure = exposure.reindex(index)
    values = np.asarray(exposure)
    if values.ndim == 0:
        raise InvalidInputError(
            f"exposure must have one value per observation ({len(periods)}), got a scalar"
        )
    if len(values) != len(periods):
        raise InvalidInputError(
            f"exposure must have one value per observation: expected {len(periods)}, got "
            f"{len(values)}"
        )
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidTypeError("exposure must be numeric") from None
    if np.isnan(arr).any():
        i = int(np.flatnonzero(np.isnan(arr))[0])
        raise InvalidInputError(
            f"exposure has no value for period {periods[i]}: every period with counts needs "
            "an exposure"
        )
    if (arr <= 0).any() or not np.isfinite(arr).all():
        bad = ~np.isfinite(arr) | (arr <= 0)
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"exposure must be positive and finite for every period; period {periods[i]} has "
            f"exposure {arr[i]!r} (a period with no exposure carries no information on the "
            "rate: drop it from counts)"
        )
    return arr


def prepare_counts(counts: Any, exposure: Any = None) -> CountData:
    """Validate ``counts`` (and ``exposure``) and return them as arrays with their periods."""
    frame: pd.DataFrame | None = None
    if isinstance(counts, pd.DataFrame):
        if "count" not in counts.columns:
            raise InvalidInputError(
                "counts is a DataFrame without a 'count' column; expected the columns "
                f"'count' and optionally 'exposure', got {list(counts.columns)}"
            )
        frame = counts
        periods = _period_values(counts)
        raw = counts["count"]
        if "exposure" in counts.columns:
            if exposure is not None:
                raise InvalidInputError(
                    "exposure was given both as an argument and as the 'exposure' column of "
                    "counts; give it once"
                )
            exposure = counts["exposure"]
            if isinstance(exposure, pd.Series):
                exposure = exposure.to_numpy()
    elif isinstance(counts, pd.Series):
        periods = _period_values(counts)
        raw = counts
    else:
        raw = counts
        periods = pd.Index(np.arange(np.size(counts), dtype=np.int64))
    values = as_float_array(raw, "counts", nonnegative=True)
    _check_whole(values, periods, "counts")
    index = raw.index if isinstance(raw, pd.Series) else periods
    exp = None if exposure is None else _as_exposure(exposure, periods, index)
    return CountData(values, exp, periods, frame)


def time_index(periods: pd.Index, origin: Any) -> FloatArray:
    """Number of periods elapsed since ``origin`` (years for int years, else index units)."""
    if isinstance(periods, pd.PeriodIndex):
        return np.asarray(periods.asi8 - pd.Period(origin, freq=periods.freq).ordinal, float)
    return np.asarray(periods, dtype=np.float64) - float(origin)


@dataclass(frozen=True)
class Design:
    """How to build a row of the design matrix; also used for predictions."""

    trend: Trend
    origin: Any
    levels: tuple[Any, ...]  # sorted distinct periods (trend="period")
    numeric: tuple[str, ...]
    categorical: Mapping[str, tuple[Any, ...]]
    names: tuple[str, ...]

    def rows(self, periods: pd.Index, covariates: pd.DataFrame | None) -> FloatArray:
        """Design matrix for ``periods`` and covariate values (one row each)."""
        cols: list[FloatArray] = [np.ones(len(periods))]
        if self.trend == "linear":
            cols.append(time_index(periods, self.origin))
        elif self.trend == "period":
            cols.extend(np.asarray(periods == lev, float) for lev in self.levels[1:])
        if covariates is None:
            return np.column_stack(cols)
        for name in self.numeric:
            cols.append(covariates[name].to_numpy(dtype=np.float64))
        for name, lev in self.categorical.items():
            col = covariates[name].to_numpy(dtype=object)
            cols.extend(np.asarray(col == lv, float) for lv in lev[1:])
        return np.column_stack(cols)


def _covariate_frame(covariates: Any, data: CountData) -> pd.DataFrame | None:
    if covariates is None:
        return None
    n = len(data.counts)
    if isinstance(covariates, str):
        covariates = [covariates]
    if isinstance(covariates, pd.DataFrame):
        if len(covariates) != n:
            raise InvalidInputError(
                f"covariates must have one row per observation: expected {n}, got "
                f"{len(covariates)}"
            )
        return covariates.reset_index(drop=True)
    if isinstance(covariates, Sequence) and all(isinstance(c, str) for c in covariates):
        if data.frame is None:
            raise InvalidInputError(
                "covariates given as column names need counts to be a DataFrame holding them"
            )
        missing = [c for c in covariates if c not in data.frame.columns]
        if missing:
            raise InvalidInputError(f"covariates names columns not in counts: {missing}")
        return data.frame[list(covariates)].reset_index(drop=True)
    raise InvalidTypeError(
        "covariates must be None, a column name or list of column names of counts, or a "
        f"DataFrame with one row per observation; got {type(covariates).__name__}"
    )


def build_design(
    data: CountData, trend: Any, covariates: Any, n_extra: int
) -> tuple[Design, FloatArray, pd.DataFrame | None]:
    """Design for ``trend`` and ``covariates``; ``n_extra`` counts non-regression parameters.

    Raises if the design cannot be estimated: too few periods for the trend, fewer
    observations than parameters, or collinear columns.
    """
    if trend not in _TRENDS:
        raise InvalidInputError(f"trend must be None, 'linear' or 'period'; got {trend!r}")
    trend = None if trend == "none" else trend
    periods = data.periods
    levels = tuple(sorted(pd.unique(np.asarray(periods, dtype=object))))
    if trend == "linear" and len(levels) < 3:
        raise InvalidInputError(
            f"trend='linear' needs at least 3 distinct periods to estimate and check a slope; "
            f"counts has {len(levels)}"
        )
    cov = _covariate_frame(covariates, data)
    numeric: list[str] = []
    categorical: dict[str, tuple[Any, ...]] = {}
    names = ["const"]
    if trend == "linear":
        names.append("trend")
    elif trend == "period":
        names.extend(f"period[{lev}]" for lev in levels[1:])
    if cov is not None:
        for name in cov.columns:
            col = cov[name]
            if col.isna().any():
                raise InvalidInputError(f"covariates column {name!r} has missing values")
            if pd.api.types.is_bool_dtype(col) or not pd.api.types.is_numeric_dtype(col):
                lev = tuple(sorted(pd.unique(col.astype(object)), key=str))
                categorical[str(name)] = lev
                names.extend(f"{name}[{lv}]" for lv in lev[1:])
            else:
                numeric.append(str(name))
                names.append(str(name))
    design = Design(trend, levels[0], levels, tuple(numeric), categorical, tuple(names))
    exog = design.rows(periods, cov)
    n, k = exog.shape
    if n <= k + n_extra:
        culprit = "trend" if trend is not None else "covariates" if cov is not None else "counts"
        raise InvalidInputError(
            f"{culprit}: the model has {k + n_extra} parameters but counts has only {n} "
            "observations; at least one more observation than parameters is needed"
            + (
                " (trend='period' needs several observations per period, e.g. one per group)"
                if trend == "period"
                else ""
            )
        )
    if np.linalg.matrix_rank(exog) < k:
        raise InvalidInputError(
            "covariates: the design (intercept, trend and covariates) has collinear columns; "
            f"columns are {list(design.names)}"
        )
    return design, exog, cov
