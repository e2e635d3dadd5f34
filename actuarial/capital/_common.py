"""Inputs shared by the capital functions: claims as a sample or as multi-year paths."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from actuarial._allocation import check_finite_mean
from actuarial._typing import FloatArray
from actuarial._validation import as_float_array, check_int
from actuarial.exceptions import InvalidInputError, MonteCarloWarning


def annual_claims(claims: Any, name: str = "claims") -> FloatArray:
    """One-dimensional simulated claims from a sample or a simulation result."""
    check_finite_mean(claims, name)
    if hasattr(claims, "total") and not isinstance(claims, np.ndarray):
        claims = claims.total
    return as_float_array(claims, name, min_size=2)


def claim_paths(claims: Any, horizon_years: int, name: str = "claims") -> FloatArray:
    """Claims as an ``(n_paths, horizon_years)`` array of annual amounts.

    A 2-D array is used as is (its columns are the years). A one-dimensional sample of
    independent annual claims (or a simulation) is cut into consecutive blocks of
    ``horizon_years`` years: the book is then assumed to be renewed on the same terms every
    year, and the years of a simulation are independent, so each block is one path. When
    the number of years is not a multiple of ``horizon_years`` the remaining years are left
    out with a :class:`~actuarial.exceptions.MonteCarloWarning` giving their number.
    """
    horizon_years = check_int(horizon_years, "horizon_years", minimum=1)
    arr = claims if isinstance(claims, np.ndarray) else None
    if arr is not None and arr.ndim == 2:
        m = np.asarray(arr, dtype=np.float64)
        if m.shape[1] != horizon_years:
            raise InvalidInputError(
                f"{name} has {m.shape[1]} column(s) (years) but horizon_years={horizon_years}"
            )
        if not np.all(np.isfinite(m)):
            raise InvalidInputError(f"{name} contains NaN or infinite values")
        if m.shape[0] < 2:
            raise InvalidInputError(f"{name} must contain at least 2 paths")
        return m
    x = annual_claims(claims, name)
    n = x.size // horizon_years
    if n < 2:
        raise InvalidInputError(
            f"{name} has {x.size} simulated years: too few for {horizon_years}-year paths"
        )
    dropped = x.size - n * horizon_years
    if dropped:
        warnings.warn(
            f"{name} has {x.size} simulated years, not a multiple of horizon_years="
            f"{horizon_years}: the last {dropped} year(s) were left out of the {n} paths "
            "(simulate a multiple of horizon_years to use them all)",
            MonteCarloWarning,
            stacklevel=3,
        )
    return x[: n * horizon_years].reshape(n, horizon_years)


def per_year(value: Any, horizon_years: int, name: str) -> FloatArray:
    """A scalar or a length-``horizon_years`` array of annual amounts (USD)."""
    arr = as_float_array(value, name)
    if arr.size == 1:
        return np.full(horizon_years, float(arr[0]))
    if arr.size != horizon_years:
        raise InvalidInputError(
            f"{name} must be a number or have one value per year ({horizon_years}); "
            f"got {arr.size} values"
        )
    return arr
