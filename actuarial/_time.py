"""Dates and year fractions shared by the book, capital, pricing and peril modules."""

from __future__ import annotations

from typing import Any

import pandas as pd

from actuarial.exceptions import InvalidInputError

__all__ = ["DAYS_PER_YEAR", "as_timestamp"]

#: Days in an average (Julian) year, used to turn days of cover into years of exposure.
DAYS_PER_YEAR = 365.25


def as_timestamp(value: Any, name: str) -> pd.Timestamp:
    """Parse ``value`` as a timezone-naive ``pandas.Timestamp``.

    Parameters
    ----------
    value : date-like
        A string such as ``"2026-01-01"``, a ``datetime.date``, a ``numpy.datetime64`` or a
        ``pandas.Timestamp``. A timezone-aware value is converted to naive local time.
    name : str
        The argument's name, used in the error message.

    Raises
    ------
    InvalidInputError
        If ``value`` is not a date (or is missing), naming ``name``.

    Examples
    --------
    >>> as_timestamp("2026-01-01", "start")
    Timestamp('2026-01-01 00:00:00')
    >>> as_timestamp("soon", "start")
    Traceback (most recent call last):
    ...
    actuarial.exceptions.InvalidInputError: start must be a date (e.g. '2026-01-01'); got 'soon'
    """
    try:
        ts = pd.Timestamp(value)
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{name} must be a date (e.g. '2026-01-01'); got {value!r}"
        ) from None
    if ts is pd.NaT:
        raise InvalidInputError(f"{name} must be a date (e.g. '2026-01-01'); got {value!r}")
    return ts.tz_localize(None) if ts.tzinfo is not None else ts
