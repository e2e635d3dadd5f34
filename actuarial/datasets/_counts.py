"""Count tables for the frequency models: events per period, with optional exposure."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, Literal

import numpy as np
import pandas as pd

from actuarial.datasets._io import DroppedRowsWarning
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["annual_counts", "stablecoin_years"]

Freq = Literal["year", "month"]
_FREQS = {"year": "Y", "month": "M"}
_AMOUNT_COLUMNS = ("amount_usd", "exposure_usd")
_DATE_COLUMNS = ("date", "start_date")


def _check_freq(freq: Any) -> str:
    if freq not in _FREQS:
        raise InvalidInputError(f"freq must be 'year' or 'month', got {freq!r}")
    return str(freq)


def _by_columns(by: Any, df: pd.DataFrame, name: str = "df") -> list[str]:
    if by is None:
        return []
    cols = [by] if isinstance(by, str) else list(by)
    if not all(isinstance(c, str) for c in cols):
        raise InvalidTypeError(f"by must be a column name or a list of column names, got {by!r}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise InvalidInputError(
            f"by names column(s) {missing} not in {name}; columns are {list(df.columns)}"
        )
    if len(set(cols)) != len(cols):
        raise InvalidInputError(f"by repeats a column: {cols}")
    for c in cols:
        if df[c].isna().any():
            raise InvalidInputError(
                f"by column {c!r} has {int(df[c].isna().sum())} missing value(s) in {name}; "
                "fill or drop them first"
            )
    return cols


def _levels(col: pd.Series) -> list[Any]:
    if isinstance(col.dtype, pd.CategoricalDtype):
        return list(col.cat.categories)
    return sorted(pd.unique(col), key=str)


def _to_period(value: Any, freq: str, name: str, *, end: bool) -> Any:
    """An int year (for 'year') or a pandas Period (for 'month') from a user bound."""
    if isinstance(value, bool):
        raise InvalidInputError(f"{name} must be a year or a date, got {value!r}")
    if freq == "year":
        if isinstance(value, int | np.integer):
            return int(value)
        try:
            return pd.Timestamp(value).year
        except (TypeError, ValueError):
            raise InvalidInputError(f"{name} must be a year or a date, got {value!r}") from None
    if isinstance(value, int | np.integer):
        return pd.Period(year=int(value), month=12 if end else 1, freq="M")
    try:
        return pd.Period(value, freq="M")
    except (TypeError, ValueError):
        raise InvalidInputError(
            f"{name} must be a year, a month ('2022-05') or a date, got {value!r}"
        ) from None


def _periods_of(dates: pd.Series, freq: str) -> pd.Series:
    if freq == "year":
        return dates.dt.year.astype("int64")
    return dates.dt.to_period("M")


def _period_range(first: Any, last: Any, freq: str) -> pd.Index:
    if freq == "year":
        return pd.Index(np.arange(first, last + 1, dtype=np.int64), name="period")
    return pd.period_range(first, last, freq="M", name="period")


def _dates(df: pd.DataFrame, col: str, what: str) -> pd.Series:
    try:
        dates = pd.to_datetime(df[col])
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(f"{what} column {col!r} does not hold dates ({exc})") from None
    if dates.isna().any():
        rows = list(np.flatnonzero(dates.isna().to_numpy())[:5] + 1)
        raise InvalidInputError(
            f"{what} column {col!r} has {int(dates.isna().sum())} missing date(s) (rows "
            f"{rows}); events without a date cannot be counted"
        )
    return dates


def _exposure_frame(exposure: Any, by: list[str], freq: str) -> pd.DataFrame:
    """Exposure as columns period, *by, exposure (summed over any other grouping)."""
    if isinstance(exposure, pd.Series):
        frame = exposure.rename("exposure").reset_index()
        names = list(exposure.index.names)
        if exposure.index.nlevels == 1:
            if by:
                raise InvalidInputError(
                    "exposure is indexed by period only, but counts are split by "
                    f"{by}: give exposure per period and group (e.g. stablecoin_years(..., "
                    "by=...))"
                )
            frame.columns = ["period", "exposure"]
        else:
            missing = [c for c in by if c not in names]
            if missing:
                raise InvalidInputError(
                    f"exposure index levels {names} lack the by column(s) {missing}"
                )
            first = names[0] if names[0] not in by else "period"
            frame = frame.rename(columns={first: "period"})
    elif isinstance(exposure, pd.DataFrame):
        if "exposure" not in exposure.columns:
            raise InvalidInputError(
                "exposure is a DataFrame without an 'exposure' column; columns are "
                f"{list(exposure.columns)}"
            )
        frame = exposure.copy()
        if "period" not in frame.columns:
            frame = frame.rename_axis("period").reset_index()
        missing = [c for c in by if c not in frame.columns]
        if missing:
            raise InvalidInputError(f"exposure lacks the by column(s) {missing}")
    else:
        raise InvalidTypeError(
            "exposure must be a pandas Series indexed by period (and groups) or a DataFrame "
            f"with an 'exposure' column, such as stablecoin_years returns; got "
            f"{type(exposure).__name__}"
        )
    values = pd.to_numeric(frame["exposure"], errors="coerce")
    if values.isna().any() or (values < 0).any() or not np.isfinite(values).all():
        raise InvalidInputError("exposure must hold finite non-negative numbers")
    frame["exposure"] = values.astype("float64")
    period = frame["period"]
    if freq == "year":
        if isinstance(period.dtype, pd.PeriodDtype) and period.dt.freqstr.startswith("Y"):
            frame["period"] = period.dt.year
        elif not pd.api.types.is_integer_dtype(period.dtype):
            raise InvalidInputError(
                "exposure periods must be int years to match freq='year', got dtype "
                f"{period.dtype}"
            )
    elif not (isinstance(period.dtype, pd.PeriodDtype) and period.dt.freqstr == "M"):
        raise InvalidInputError(
            f"exposure periods must be monthly pandas Periods to match freq='month', got "
            f"dtype {period.dtype}"
        )
    keys = ["period", *by]
    for c in by:
        frame[c] = frame[c].astype(object)
    return frame.groupby(keys, sort=False, observed=True)["exposure"].sum().reset_index()


def annual_counts(
    df: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    freq: Freq = "year",
    exposure: pd.Series | pd.DataFrame | None = None,
    date_col: str | None = None,
    min_amount: float | None = None,
    *,
    start: Any = None,
    end: Any = None,
) -> pd.DataFrame:
    """Count events per period (and group): the table the frequency models take.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per event, e.g. from :func:`load_hacks`, :func:`load_depegs`,
        :func:`load_defaults` or :func:`read_events`.
    by : str or list of str, optional
        Grouping columns (e.g. ``"category"``). Every level appears in every period, with a
        zero count where there is no event; a Categorical column contributes all of its
        categories.
    freq : {"year", "month"}, default "year"
        Period length. Years are int; months are ``pandas.Period`` with frequency ``M``.
    exposure : pandas.Series or pandas.DataFrame, optional
        Exposure per period (and group), e.g. :func:`stablecoin_years`: a DataFrame with an
        ``exposure`` column, the period as index or a ``period`` column and the ``by``
        columns (any other grouping is summed over), or a Series indexed by period (with
        the ``by`` groups as further index levels). Periods must match ``freq``. Cells of
        the table without exposure and without events are left out (they carry no
        information on the rate); an event where the exposure is zero raises.
    date_col : str, optional
        Column dating each event; default ``"date"``, else ``"start_date"``.
    min_amount : float, optional
        Count only events whose amount (``amount_usd``, else ``exposure_usd``) is at least
        this many USD; events with an unknown amount are then not counted.
    start, end : int, date-like or month, optional
        First and last period covered by the record. By default, the periods of the first
        and last event in ``df`` (before ``min_amount`` is applied). Events outside are not
        counted. Periods inside with no event get a zero count.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (repeated once per group when ``by`` is given), with the
        ``by`` columns, ``count`` (int64) and, if ``exposure`` was given, ``exposure``.

    Raises
    ------
    InvalidInputError
        Unknown column names, missing dates, a bad ``freq`` or exposure that does not
        match the periods or groups.

    Examples
    --------
    >>> import pandas as pd
    >>> from actuarial.datasets import annual_counts
    >>> events = pd.DataFrame({
    ...     "date": pd.to_datetime(["2020-03-01", "2020-07-09", "2022-01-15"]),
    ...     "category": ["defi", "cex", "defi"],
    ...     "amount_usd": [2e7, 5e6, 3e7]})
    >>> annual_counts(events)
            count
    period
    2020        2
    2021        0
    2022        1
    >>> annual_counts(events, by="category", min_amount=1e7).loc[2020]
           category  count
    period
    2020        cex      0
    2020       defi      1
    """
    if not isinstance(df, pd.DataFrame):
        raise InvalidTypeError(f"df must be a pandas DataFrame of events, got {type(df).__name__}")
    freq = _check_freq(freq)  # type: ignore[assignment]
    if date_col is None:
        date_col = next((c for c in _DATE_COLUMNS if c in df.columns), None)
        if date_col is None:
            raise InvalidInputError(
                f"df has no 'date' or 'start_date' column; name the event date with date_col "
                f"(columns are {list(df.columns)})"
            )
    elif date_col not in df.columns:
        raise InvalidInputError(f"date_col {date_col!r} is not a column of df")
    by_cols = _by_columns(by, df)
    if date_col in by_cols:
        raise InvalidInputError(f"by may not include the date column {date_col!r}")
    periods = _periods_of(_dates(df, date_col, "df"), freq)

    if start is None or end is None:
        if len(df) == 0:
            raise InvalidInputError(
                "df has no events, so the covered range cannot be inferred: pass start and end"
            )
    first = _to_period(start, freq, "start", end=False) if start is not None else periods.min()
    last = _to_period(end, freq, "end", end=True) if end is not None else periods.max()
    if first > last:
        raise InvalidInputError(f"start ({first}) is after end ({last})")

    keep = ((periods >= first) & (periods <= last)).to_numpy(dtype=bool, copy=True)
    if min_amount is not None:
        amount_col = next((c for c in _AMOUNT_COLUMNS if c in df.columns), None)
        if amount_col is None:
            raise InvalidInputError(
                f"min_amount needs an amount column ({' or '.join(_AMOUNT_COLUMNS)}) in df"
            )
        if isinstance(min_amount, bool) or not np.isfinite(float(min_amount)):
            raise InvalidInputError(f"min_amount must be a finite number, got {min_amount!r}")
        amounts = pd.to_numeric(df[amount_col], errors="coerce").to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            keep &= amounts >= float(min_amount)

    grid_periods = _period_range(first, last, freq)
    levels = [_levels(df[c]) for c in by_cols]
    keys = [periods[keep].to_numpy()] + [df[c][keep].astype(object).to_numpy() for c in by_cols]
    if by_cols:
        grid = pd.MultiIndex.from_product([grid_periods, *levels], names=["period", *by_cols])
        counted = pd.Series(1, index=pd.MultiIndex.from_arrays(keys, names=grid.names))
    else:
        grid = grid_periods
        counted = pd.Series(1, index=pd.Index(keys[0], name="period"))
    counts = counted.groupby(level=list(range(counted.index.nlevels))).sum()
    table = counts.reindex(grid, fill_value=0).astype("int64").rename("count").reset_index()

    if exposure is not None:
        expo = _exposure_frame(exposure, by_cols, freq)
        for c in by_cols:
            table[c] = table[c].astype(object)
        table = table.merge(expo, on=["period", *by_cols], how="left")
        table["exposure"] = table["exposure"].fillna(0.0)
        bad = (table["exposure"] <= 0) & (table["count"] > 0)
        if bad.any():
            row = table[bad].iloc[0]
            where = ", ".join(f"{c}={row[c]!r}" for c in by_cols)
            raise InvalidInputError(
                f"{int(row['count'])} event(s) in period {row['period']}"
                + (f" ({where})" if where else "")
                + " but no exposure there: exposure must cover every period and group with "
                "events"
            )
        table = table[table["exposure"] > 0]

    for c in by_cols:
        table[c] = table[c].astype(df[c].dtype)
    table = table.set_index("period")
    if freq == "month":
        table.index = pd.PeriodIndex(table.index, freq="M", name="period")
    else:
        table.index = pd.Index(table.index.to_numpy(dtype=np.int64), name="period")
    return table


def stablecoin_years(
    stablecoins: pd.DataFrame,
    by: str | Sequence[str] | None = "design",
    freq: Freq = "year",
    *,
    start: Any = None,
    end: Any = None,
    drop_undated: bool = False,
) -> pd.DataFrame:
    """Stablecoin-years at risk per period (and group), pro rata of the days each coin lived.

    A coin is at risk from its ``launch_date`` (inclusive) to its ``end_date`` (exclusive;
    still at risk at the end of the range while live). The exposure of a period is the sum
    over coins of the days at risk in it divided by the number of days in its calendar year,
    so a coin live all year counts 1 and a month counts about 1/12.

    Parameters
    ----------
    stablecoins : pandas.DataFrame
        One row per coin with ``launch_date``, optionally ``end_date``, and the ``by``
        columns, e.g. :func:`load_stablecoins`.
    by : str or list of str or None, default "design"
        Grouping columns; every level appears in every period (zero where no coin lived).
    freq : {"year", "month"}, default "year"
        Period length, as in :func:`annual_counts`.
    start, end : int, date-like or month, optional
        First and last period. By default, from the period of the first launch to the end
        of the calendar year of the latest launch or end date in the table.
    drop_undated : bool, default False
        Coins without a launch date cannot be placed in time. If False they raise; if True
        they are left out with a :class:`DroppedRowsWarning` naming them, and their number
        is in ``result.attrs["n_dropped"]`` (the exposure is then understated).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` with the ``by`` columns and ``exposure`` (stablecoin-years),
        ready for ``annual_counts(..., exposure=...)``.

    Examples
    --------
    >>> import pandas as pd
    >>> from actuarial.datasets import stablecoin_years
    >>> coins = pd.DataFrame({
    ...     "design": ["fiat-backed", "algorithmic"],
    ...     "launch_date": pd.to_datetime(["2019-01-01", "2021-07-01"]),
    ...     "end_date": pd.to_datetime([None, "2022-01-01"])})
    >>> stablecoin_years(coins, by=None, start=2020, end=2022).round(3)
            exposure
    period
    2020       1.000
    2021       1.504
    2022       1.000
    """
    if not isinstance(stablecoins, pd.DataFrame):
        raise InvalidTypeError(
            f"stablecoins must be a pandas DataFrame, got {type(stablecoins).__name__}"
        )
    freq = _check_freq(freq)  # type: ignore[assignment]
    if "launch_date" not in stablecoins.columns:
        raise InvalidInputError("stablecoins has no 'launch_date' column")
    if not isinstance(drop_undated, bool):
        raise InvalidInputError(f"drop_undated must be True or False, got {drop_undated!r}")
    by_cols = _by_columns(by, stablecoins, "stablecoins")
    launch = pd.to_datetime(stablecoins["launch_date"])
    ended = (
        pd.to_datetime(stablecoins["end_date"])
        if "end_date" in stablecoins.columns
        else pd.Series(pd.NaT, index=stablecoins.index)
    )
    undated = launch.isna().to_numpy()
    label = (
        stablecoins["stablecoin"]
        if "stablecoin" in stablecoins.columns
        else (stablecoins.index.to_series())
    )
    names = [str(x) for x in label[undated]]
    if names and not drop_undated:
        raise InvalidInputError(
            f"{len(names)} coin(s) have no launch_date and cannot be placed in time: "
            f"{names}. Fill the dates, or pass drop_undated=True to leave them out"
        )
    coins = stablecoins[~undated]
    launch, ended = launch[~undated], ended[~undated]
    if (ended < launch).any():
        raise InvalidInputError("stablecoins has an end_date before its launch_date")
    if len(coins) == 0 and (start is None or end is None):
        raise InvalidInputError("no dated coin in stablecoins: pass start and end")

    if start is not None:
        first = _to_period(start, freq, "start", end=False)
    else:
        first = _periods_of(launch, freq).min()
    if end is not None:
        last = _to_period(end, freq, "end", end=True)
    else:
        latest = int(max(launch.max(), ended.max() if ended.notna().any() else launch.max()).year)
        last = _to_period(latest, freq, "end", end=True)
    if first > last:
        raise InvalidInputError(f"start ({first}) is after end ({last})")
    grid = _period_range(first, last, freq)
    if freq == "year":
        p_start = pd.to_datetime([f"{y}-01-01" for y in grid])
        p_stop = pd.to_datetime([f"{y + 1}-01-01" for y in grid])
    else:
        p_start, p_stop = grid.start_time, (grid + 1).start_time
    year_days = np.where(pd.DatetimeIndex(p_start).is_leap_year, 366.0, 365.0)

    day = np.timedelta64(1, "D")
    c_start = launch.to_numpy(dtype="datetime64[D]")
    c_stop = ended.fillna(p_stop[-1]).to_numpy(dtype="datetime64[D]")
    ps = np.asarray(p_start, dtype="datetime64[D]")
    pe = np.asarray(p_stop, dtype="datetime64[D]")
    overlap = np.minimum(c_stop[:, None], pe[None, :]) - np.maximum(c_start[:, None], ps[None, :])
    years = np.clip(overlap / day, 0.0, None) / year_days[None, :]  # coins x periods

    if by_cols:
        levels = [_levels(stablecoins[c]) for c in by_cols]
        index = pd.MultiIndex.from_product([grid, *levels], names=["period", *by_cols])
        per_coin = pd.DataFrame(years, columns=grid)
        groups = coins[by_cols].astype(object).reset_index(drop=True)
        per_coin.index = pd.MultiIndex.from_frame(groups)
        summed = (
            per_coin.groupby(level=list(range(len(by_cols))))
            .sum()
            .T.stack(list(range(len(by_cols))))
        )
        summed.index.names = ["period", *by_cols]
        table = summed.reindex(index, fill_value=0.0).rename("exposure").reset_index()
        for c in by_cols:
            table[c] = table[c].astype(stablecoins[c].dtype)
        table = table.set_index("period")
    else:
        table = pd.DataFrame({"exposure": years.sum(axis=0)}, index=grid)
    table["exposure"] = table["exposure"].astype("float64")
    if freq == "month":
        table.index = pd.PeriodIndex(table.index, freq="M", name="period")
    else:
        table.index = pd.Index(table.index.to_numpy(dtype=np.int64), name="period")
    if names:
        table.attrs["n_dropped"] = len(names)
        table.attrs["dropped"] = tuple(names)
        warnings.warn(
            f"left out {len(names)} coin(s) without a launch_date, so the exposure is "
            f"understated: {names}",
            DroppedRowsWarning,
            stacklevel=2,
        )
    else:
        table.attrs["n_dropped"] = 0
    return table
