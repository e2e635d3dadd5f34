"""Detection of stablecoin depeg episodes in a daily series of closing prices.

The rule (documented once here and applied everywhere the project counts depegs):

* missing closes (NaN) are dropped first, so they neither break nor extend an episode;
* an observation is *below* when its close is strictly less than ``threshold``;
* maximal runs of consecutive below observations are found, and two runs separated by
  fewer than ``merge_gap`` observations at or above the threshold are merged;
* ``start_date`` / ``end_date`` are the dates of the first / last below observation of the
  episode, ``days_below`` counts its below observations and ``min_price`` is the lowest
  close among all its observations (start to end inclusive);
* an episode whose last below observation is followed by fewer than ``merge_gap``
  observations before the series ends is *open*: ``end_date`` is NaT and
  ``recovered`` is False.
"""

from __future__ import annotations

import numbers
import os

import numpy as np
import pandas as pd

__all__ = ["find_depeg_episodes", "read_close"]

_COLUMNS = ["start_date", "end_date", "min_price", "days_below", "recovered"]


def _empty_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "start_date": pd.Series([], dtype="datetime64[ns]"),
            "end_date": pd.Series([], dtype="datetime64[ns]"),
            "min_price": pd.Series([], dtype="float64"),
            "days_below": pd.Series([], dtype="int64"),
            "recovered": pd.Series([], dtype="bool"),
        },
        columns=_COLUMNS,
    )


def _validate(close: object, threshold: object, merge_gap: object) -> None:
    if not isinstance(close, pd.Series):
        raise ValueError(f"close must be a pandas Series, got {type(close).__name__}")
    if not isinstance(close.index, pd.DatetimeIndex):
        raise ValueError(f"close must have a DatetimeIndex, got {type(close.index).__name__}")
    if close.index.hasnans:
        raise ValueError("close index contains missing dates (NaT)")
    if close.index.has_duplicates:
        raise ValueError("close index has duplicated dates")
    if not close.index.is_monotonic_increasing:
        raise ValueError("close index dates are not sorted in increasing order")
    try:
        values = close.to_numpy(dtype="float64", na_value=np.nan)
    except (TypeError, ValueError) as exc:
        raise ValueError("close must hold numeric prices") from exc
    observed = values[~np.isnan(values)]
    if np.any(np.isinf(observed)):
        raise ValueError("close contains infinite prices")
    if np.any(observed <= 0):
        raise ValueError("close contains non-positive prices")
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise ValueError(f"threshold must be a real number, got {threshold!r}")
    if not 0 < float(threshold) < 2:
        raise ValueError(f"threshold must lie in (0, 2), got {threshold!r}")
    if isinstance(merge_gap, bool) or not isinstance(merge_gap, numbers.Integral):
        raise ValueError(f"merge_gap must be an integer, got {merge_gap!r}")
    if merge_gap < 1:
        raise ValueError(f"merge_gap must be at least 1, got {merge_gap!r}")


def find_depeg_episodes(
    close: pd.Series, *, threshold: float = 0.98, merge_gap: int = 7
) -> pd.DataFrame:
    """Find depeg episodes in a daily series of closing prices.

    Parameters
    ----------
    close : pandas.Series
        Closing prices (USD per coin) indexed by a sorted, duplicate-free
        ``DatetimeIndex`` of UTC days. NaN closes are dropped before the rule is applied.
        Observed prices must be positive and finite.
    threshold : float, default 0.98
        An observation is *below* when its close is strictly less than this value.
        Must lie in the open interval (0, 2).
    merge_gap : int, default 7
        Runs of below observations separated by fewer than ``merge_gap`` observations at
        or above the threshold are merged into one episode. An episode whose last below
        observation is followed by fewer than ``merge_gap`` observations is open.
        Must be at least 1.

    Returns
    -------
    pandas.DataFrame
        One row per episode in date order, with columns

        ``start_date``
            Date of the first below observation.
        ``end_date``
            Date of the last below observation, NaT when the episode is open.
        ``min_price``
            Minimum close among the episode's observations (start to end inclusive).
        ``days_below``
            Number of below observations in the episode.
        ``recovered``
            False for an open episode, True otherwise.

        The frame is empty (with those columns) when there is no episode.

    Raises
    ------
    ValueError
        If ``close`` is not a Series with a sorted, duplicate-free DatetimeIndex, holds
        non-positive or non-numeric prices, if ``threshold`` is not in (0, 2) or if
        ``merge_gap`` is less than 1.

    Examples
    --------
    A synthetic series with two dips three days apart (merged) and a final dip that the
    series ends too soon after to call recovered:

    >>> import pandas as pd
    >>> prices = [1.0, 0.95, 0.97, 1.0, 1.0, 1.0, 0.90, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0,
    ...           1.0, 0.97, 1.0]
    >>> close = pd.Series(prices, index=pd.date_range("2022-05-01", periods=len(prices)))
    >>> episodes = find_depeg_episodes(close)
    >>> episodes[["start_date", "end_date", "days_below", "recovered"]]
      start_date   end_date  days_below  recovered
    0 2022-05-02 2022-05-07           3       True
    1 2022-05-16        NaT           1      False
    >>> float(episodes.loc[0, "min_price"])
    0.9
    """
    _validate(close, threshold, merge_gap)
    series = close.astype("float64").dropna()
    values = series.to_numpy()
    dates = series.index
    below_idx = np.flatnonzero(values < threshold)
    if below_idx.size == 0:
        return _empty_frame()

    # observations at or above the threshold between consecutive below observations
    gaps = np.diff(below_idx) - 1
    breaks = np.flatnonzero(gaps >= merge_gap)
    group_first = np.concatenate(([0], breaks + 1))
    group_last = np.concatenate((breaks, [below_idx.size - 1]))

    n_obs = values.size
    rows = []
    for first, last in zip(group_first, group_last, strict=True):
        start = int(below_idx[first])
        end = int(below_idx[last])
        recovered = (n_obs - 1 - end) >= merge_gap
        rows.append(
            {
                "start_date": dates[start],
                "end_date": dates[end] if recovered else pd.NaT,
                "min_price": float(values[start : end + 1].min()),
                "days_below": int(last - first + 1),
                "recovered": bool(recovered),
            }
        )
    frame = pd.DataFrame(rows, columns=_COLUMNS)
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["end_date"] = pd.to_datetime(frame["end_date"])
    frame["min_price"] = frame["min_price"].astype("float64")
    frame["days_below"] = frame["days_below"].astype("int64")
    frame["recovered"] = frame["recovered"].astype("bool")
    return frame


def read_close(path: str | os.PathLike[str]) -> pd.Series:
    """Read the closing prices of a Yahoo-style daily OHLCV CSV file.

    Parameters
    ----------
    path : str or os.PathLike
        CSV file with a header holding at least ``Date`` and ``Close``
        (``Date,Open,High,Low,Close,Adj Close,Volume`` as Yahoo Finance writes it).
        Missing closes written as ``null`` or left empty become NaN.

    Returns
    -------
    pandas.Series
        Float closes named ``"close"``, indexed by a ``DatetimeIndex`` named ``"date"``.

    Raises
    ------
    ValueError
        If the file lacks a ``Date`` or ``Close`` column, or a close is not numeric.
    """
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = {"Date", "Close"} - set(frame.columns)
    if missing:
        raise ValueError(f"{os.fspath(path)!r} lacks column(s) {sorted(missing)}")
    raw = frame["Close"].str.strip()
    raw = raw.mask(raw.str.lower().isin(["", "null", "nan", "na"]))
    try:
        values = raw.astype("float64")
    except ValueError as exc:
        raise ValueError(f"{os.fspath(path)!r} has a non-numeric Close value") from exc
    index = pd.DatetimeIndex(pd.to_datetime(frame["Date"].str.strip()), name="date")
    return pd.Series(values.to_numpy(), index=index, name="close", dtype="float64")
