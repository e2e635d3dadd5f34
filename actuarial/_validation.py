"""Input validation at the public boundary.

Each helper converts its input, checks it and raises an error from
:mod:`actuarial.exceptions` whose message names the argument and says what was expected.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from actuarial._typing import ArrayLike, FloatArray
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = [
    "as_float_array",
    "check_in_unit_interval",
    "check_int",
    "check_nonnegative",
    "check_positive",
    "check_probabilities",
]


def as_float_array(
    x: ArrayLike,
    name: str,
    *,
    nonnegative: bool = False,
    positive: bool = False,
    allow_inf: bool = False,
    min_size: int = 1,
) -> FloatArray:
    """Convert ``x`` to a one-dimensional float64 array and check it.

    Raises
    ------
    InvalidTypeError
        If ``x`` is not numeric.
    InvalidInputError
        If ``x`` is not one-dimensional, has fewer than ``min_size`` values, contains NaN
        (or infinities, unless ``allow_inf``), or breaks the sign requirement.
    """
    if isinstance(x, pd.DataFrame):
        raise InvalidTypeError(
            f"{name} must be one-dimensional (a Series or array), got a DataFrame"
        )
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidTypeError(f"{name} must be numeric; could not convert: {exc}") from None
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise InvalidInputError(f"{name} must be one-dimensional, got shape {arr.shape}")
    if arr.size < min_size:
        raise InvalidInputError(
            f"{name} must contain at least {min_size} value(s), got {arr.size}"
        )
    bad = np.isnan(arr) if allow_inf else ~np.isfinite(arr)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        what = "NaN" if allow_inf else "NaN or infinite"
        raise InvalidInputError(
            f"{name} contains {int(bad.sum())} {what} value(s) (first at position {i}); "
            "remove or impute them explicitly"
        )
    if positive and (arr <= 0).any():
        i = int(np.flatnonzero(arr <= 0)[0])
        raise InvalidInputError(
            f"{name} must be strictly positive; found {arr[i]!r} at position {i}"
        )
    if nonnegative and (arr < 0).any():
        i = int(np.flatnonzero(arr < 0)[0])
        raise InvalidInputError(f"{name} must be non-negative; found {arr[i]!r} at position {i}")
    return arr


def _as_scalar(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise InvalidTypeError(f"{name} must be a real number, got {type(value).__name__}")
    out = float(value)
    if math.isnan(out):
        raise InvalidInputError(f"{name} must not be NaN")
    return out


def check_nonnegative(value: Any, name: str, *, allow_inf: bool = False) -> float:
    """Return ``value`` as float after checking it is >= 0 (and finite unless ``allow_inf``)."""
    out = _as_scalar(value, name)
    if out < 0 or (not allow_inf and math.isinf(out)):
        expected = "a non-negative number" + ("" if allow_inf else ", finite")
        raise InvalidInputError(f"{name} must be {expected}; got {value!r}")
    return out


def check_positive(value: Any, name: str, *, allow_inf: bool = False) -> float:
    """Return ``value`` as float after checking it is > 0 (and finite unless ``allow_inf``)."""
    out = _as_scalar(value, name)
    if out <= 0 or (not allow_inf and math.isinf(out)):
        expected = "a positive number" + ("" if allow_inf else ", finite")
        raise InvalidInputError(f"{name} must be {expected}; got {value!r}")
    return out


def check_in_unit_interval(value: Any, name: str, *, closed: bool = False) -> float:
    """Return ``value`` as float after checking it lies in (0, 1) (or [0, 1] if ``closed``)."""
    out = _as_scalar(value, name)
    ok = 0.0 <= out <= 1.0 if closed else 0.0 < out < 1.0
    if not ok:
        interval = "[0, 1]" if closed else "(0, 1)"
        raise InvalidInputError(f"{name} must lie in {interval}; got {value!r}")
    return out


def check_probabilities(p: Any, name: str = "p") -> FloatArray:
    """Return ``p`` as a float array after checking every value lies in (0, 1)."""
    try:
        arr = np.asarray(p, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidTypeError(f"{name} must be a probability or an array of them") from None
    if arr.size == 0:
        raise InvalidInputError(f"{name} must not be empty")
    if not np.all((arr > 0) & (arr < 1)):
        bad = arr[~((arr > 0) & (arr < 1))].ravel()[0]
        raise InvalidInputError(f"{name} must lie in (0, 1); got {bad!r}")
    return arr


def check_int(value: Any, name: str, *, minimum: int | None = None) -> int:
    """Return ``value`` as int after checking it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        if isinstance(value, float | np.floating) and float(value).is_integer():
            value = int(value)
        else:
            raise InvalidTypeError(f"{name} must be an integer, got {value!r}")
    out = int(value)
    if minimum is not None and out < minimum:
        raise InvalidInputError(f"{name} must be at least {minimum}; got {out}")
    return out
