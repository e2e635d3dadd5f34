"""Daily price files: reading, locating, cleaning and turning into returns.

Price data are *not* shipped with the package. :func:`load_prices` finds them, in this order,

1. under ``path`` when given (a file, or a directory searched recursively);
2. under the directory named by the environment variable ``ACTUARIAL_DATA_DIR`` (the
   project's ``shared/data`` folder or any folder of CSV files);
3. under the user cache directory (``ACTUARIAL_CACHE_DIR``, else
   ``$XDG_CACHE_HOME/actuarial/prices``, else ``~/.cache/actuarial/prices``), which
   :func:`fetch_prices` fills for users who are online.

A symbol ``"BTC"`` matches a file named ``BTC-USD.csv``, ``BTC_USD.csv`` or ``BTC.csv``
(case-insensitive). Two formats are read: Yahoo-style OHLCV (``Date,Open,High,Low,Close,
Adj Close,Volume``, with ``null`` for missing values) and a plain ``date,close`` file.

Cleaning rules are separate, explicit functions, each documented and tested, applied in
this order by :func:`clean_prices`:

* :func:`mask_bad_prints` -- a non-positive price, or a Low above the Open/Close or a High
  below them (e.g. Yahoo's ``Low = 0`` prints), is set to NaN in that field;
* :func:`mask_stuck_prices` -- a close repeated exactly on more than ``max_repeats``
  consecutive days (a frozen feed) keeps its first value; the repeats become NaN;
* :func:`fill_missing_days` -- the series is put on a daily calendar; gaps of at most
  ``max_gap`` days are filled by linear interpolation of the log price; longer gaps stay
  NaN (and :func:`log_returns` then refuses the series, naming the gap).

Every change is listed in :attr:`CleanedPrices.changes`, so nothing is silently dropped.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from actuarial._validation import check_int, check_positive
from actuarial.exceptions import DataFormatError, InvalidInputError, InvalidTypeError

__all__ = [
    "DATA_DIR_ENV",
    "CleanedPrices",
    "check_price_series",
    "clean_prices",
    "fetch_prices",
    "fill_missing_days",
    "load_prices",
    "log_returns",
    "mask_bad_prints",
    "mask_stuck_prices",
    "price_cache_dir",
    "read_price_file",
]

#: Environment variable naming the directory that holds price files.
DATA_DIR_ENV = "ACTUARIAL_DATA_DIR"
_CACHE_ENV = "ACTUARIAL_CACHE_DIR"
_FIELDS = {"date", "open", "high", "low", "close", "adj_close", "volume"}
_NA = ["", "null", "NULL", "nan", "NaN", "NA", "N/A"]


# --------------------------------------------------------------------------- reading
def read_price_file(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read one daily price CSV (Yahoo OHLCV or ``date,close``).

    Parameters
    ----------
    path : str or os.PathLike
        CSV file. Column names are matched case-insensitively; ``Adj Close`` becomes
        ``adj_close``. Missing values may be written ``null`` or left empty.

    Returns
    -------
    pandas.DataFrame
        Float columns among ``open, high, low, close, adj_close, volume`` (at least
        ``close``), indexed by a ``DatetimeIndex`` named ``"date"``; rows as in the file.

    Raises
    ------
    DataFormatError
        If the file has no date or close column, a non-numeric value, an unparseable,
        unsorted or duplicated date.
    """
    path = Path(path)
    try:
        raw = pd.read_csv(path, na_values=_NA, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"cannot read price file {str(path)!r}: {exc}") from None
    raw.columns = [re.sub(r"\s+", "_", str(c).strip().lower()) for c in raw.columns]
    missing = {"date", "close"} - set(raw.columns)
    if missing:
        raise DataFormatError(
            f"price file {str(path)!r} lacks column(s) {sorted(missing)}; expected "
            "Date,Open,High,Low,Close,Adj Close,Volume (Yahoo) or date,close"
        )
    try:
        dates = pd.to_datetime(raw["date"], format="ISO8601")
    except (ValueError, TypeError) as exc:
        raise DataFormatError(f"price file {str(path)!r}: unparseable date: {exc}") from None
    cols = [c for c in ("open", "high", "low", "close", "adj_close", "volume") if c in raw]
    frame = raw[cols].copy()
    for col in cols:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataFormatError(
                f"price file {str(path)!r}: non-numeric {col} {frame[col].iloc[i]!r} "
                f"on row {i + 2}"
            )
        frame[col] = values.astype("float64")
    frame.index = pd.DatetimeIndex(dates, name="date")
    try:
        check_price_series(frame["close"], f"close in {path.name}", allow_nan=True)
    except InvalidInputError as exc:
        raise DataFormatError(str(exc)) from None
    return frame


def check_price_series(
    prices: pd.Series, name: str = "prices", *, allow_nan: bool = False
) -> None:
    """Raise unless ``prices`` has sorted, unique dates and positive values.

    Parameters
    ----------
    prices : pandas.Series
        Prices indexed by a ``DatetimeIndex``.
    name : str
        Argument name used in error messages.
    allow_nan : bool
        Accept NaN (missing) prices.

    Raises
    ------
    InvalidTypeError
        If ``prices`` is not a Series with a ``DatetimeIndex``.
    InvalidInputError
        If dates are unsorted or duplicated, or a price is non-positive, infinite or NaN
        (unless ``allow_nan``).
    """
    if not isinstance(prices, pd.Series):
        raise InvalidTypeError(f"{name} must be a pandas Series, got {type(prices).__name__}")
    if not isinstance(prices.index, pd.DatetimeIndex):
        raise InvalidTypeError(f"{name} must be indexed by dates (a DatetimeIndex)")
    idx = prices.index
    if idx.hasnans:
        raise InvalidInputError(f"{name} has a missing date (NaT) in its index")
    if idx.has_duplicates:
        raise InvalidInputError(
            f"{name} has duplicated dates, e.g. {idx[idx.duplicated()][0].date()}"
        )
    if not idx.is_monotonic_increasing:
        pos = int(np.flatnonzero(np.diff(idx.asi8) < 0)[0])
        raise InvalidInputError(f"{name} dates are not sorted (at {idx[pos + 1].date()})")
    values = prices.to_numpy(dtype="float64", na_value=np.nan)
    nan = np.isnan(values)
    if nan.any() and not allow_nan:
        raise InvalidInputError(
            f"{name} has {int(nan.sum())} missing price(s), first on "
            f"{idx[np.flatnonzero(nan)[0]].date()}; clean them (clean_prices) first"
        )
    bad = ~nan & ~((values > 0) & np.isfinite(values))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise InvalidInputError(
            f"{name} must hold positive finite prices; found {values[i]!r} on {idx[i].date()}"
        )


# --------------------------------------------------------------------------- locating
def price_cache_dir() -> Path:
    """The user cache directory for price files (it need not exist)."""
    if os.environ.get(_CACHE_ENV):
        return Path(os.environ[_CACHE_ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "actuarial" / "prices"


def _search_roots(path: str | os.PathLike[str] | None) -> list[Path]:
    if path is not None:
        return [Path(path)]
    roots = []
    if os.environ.get(DATA_DIR_ENV):
        roots.append(Path(os.environ[DATA_DIR_ENV]))
    roots.append(price_cache_dir())
    return roots


def _candidates(root: Path, symbol: str) -> list[Path]:
    if root.is_file():
        return [root] if _matches(root, symbol) else []
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*.csv") if _matches(p, symbol))


def _matches(file: Path, symbol: str) -> bool:
    stem = file.stem.lower()
    s = symbol.lower()
    return stem in {s, f"{s}-usd", f"{s}_usd"}


def _find_file(symbol: str, roots: list[Path], source: str | None) -> Path:
    looked = []
    for root in roots:
        found = _candidates(root, symbol)
        if source is not None:
            found = [p for p in found if source in p.parts or p.parent.name == source]
        looked.append(str(root) + ("" if root.exists() else " (missing)"))
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            folders = sorted({p.parent.name for p in found})
            raise DataFormatError(
                f"symbols: {symbol!r} matches {len(found)} files under {root}: "
                f"{[str(p) for p in found]}; choose one with source= (one of {folders})"
            )
    raise FileNotFoundError(
        f"no price file for {symbol!r} (looked for {symbol}-USD.csv, {symbol}.csv"
        f"{'' if source is None else f' in folder {source!r}'}) under: {', '.join(looked)}. "
        f"Pass path=, set {DATA_DIR_ENV} to a folder of daily price CSV files, or download "
        f"them once with actuarial.datasets.fetch_prices({symbol!r})"
    )


def load_prices(
    symbols: str | Sequence[str],
    *,
    path: str | os.PathLike[str] | None = None,
    source: str | None = None,
    field: str = "close",
) -> pd.DataFrame:
    """Load daily prices of one or several coins, one column per symbol.

    Parameters
    ----------
    symbols : str or sequence of str
        Tickers such as ``"BTC"`` or ``["BTC", "ETH"]``; the file ``BTC-USD.csv`` (or
        ``BTC.csv``) is looked up as described in the module docstring.
    path : str or os.PathLike, optional
        A file or a directory searched recursively; without it ``$ACTUARIAL_DATA_DIR``
        and then the user cache (:func:`price_cache_dir`) are searched.
    source : str, optional
        Name of the folder to take the file from when a symbol matches several files
        (e.g. ``"yahoo-crypto-majors-2021-2023"``).
    field : str, default "close"
        Column to return: ``close``, ``open``, ``high``, ``low``, ``adj_close`` or
        ``volume``.

    Returns
    -------
    pandas.DataFrame
        Raw (uncleaned) prices in USD, indexed by date (the union of the files' dates),
        one column per symbol; NaN where a file has no value.

    Raises
    ------
    FileNotFoundError
        If no file is found: the message lists where it looked and how to get data.
    DataFormatError
        If a symbol matches several files, or a file is malformed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "ABC-USD.csv").write_text("date,close\\n2024-01-01,1.0\\n2024-01-02,1.1\\n")
    >>> load_prices("ABC", path=d)
                ABC
    date
    2024-01-01  1.0
    2024-01-02  1.1
    """
    names = [symbols] if isinstance(symbols, str) else list(symbols)
    if not names or not all(isinstance(s, str) and s for s in names):
        raise InvalidInputError("symbols must be a non-empty string or a list of them")
    field = field.lower()
    if field not in _FIELDS - {"date"}:
        raise InvalidInputError(
            f"field must be one of {sorted(_FIELDS - {'date'})}; got {field!r}"
        )
    roots = _search_roots(path)
    columns = {}
    for sym in names:
        frame = read_price_file(_find_file(sym, roots, source))
        if field not in frame:
            raise DataFormatError(f"the price file of {sym!r} has no {field!r} column")
        columns[sym] = frame[field]
    out = pd.concat(columns, axis=1, sort=True)
    out.index.name = "date"
    return out


def fetch_prices(
    symbol: str,
    *,
    quote: str = "USDT",
    cache_dir: str | os.PathLike[str] | None = None,
    timeout: float = 30.0,
) -> Path:
    """Download daily closes from Binance's public klines API into the cache.

    This function reaches the network; nothing else in the package does. The file is
    written as ``<cache_dir>/<SYMBOL>-USD.csv`` with columns ``date,close`` (UTC days; the
    last 1000 days that Binance returns for the pair ``SYMBOL+quote``), where
    :func:`load_prices` finds it.

    Parameters
    ----------
    symbol : str
        Base asset, e.g. ``"BTC"``.
    quote : str, default "USDT"
        Quote asset of the Binance pair (USDT approximates USD).
    cache_dir : str or os.PathLike, optional
        Target directory; :func:`price_cache_dir` by default.
    timeout : float
        Network timeout in seconds.

    Returns
    -------
    pathlib.Path
        The written file.
    """
    if not isinstance(symbol, str) or not symbol.isalnum():
        raise InvalidInputError(f"symbol must be an alphanumeric ticker; got {symbol!r}")
    timeout = check_positive(timeout, "timeout")
    pair = f"{symbol.upper()}{quote.upper()}"
    url = f"https://api.binance.com/api/v3/klines?symbol={pair}&interval=1d&limit=1000"
    with urllib.request.urlopen(url, timeout=timeout) as response:
        rows = json.loads(response.read().decode())
    frame = _klines_to_frame(rows)
    target = Path(cache_dir) if cache_dir is not None else price_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    out = target / f"{symbol.upper()}-USD.csv"
    frame.to_csv(out, index_label="date", date_format="%Y-%m-%d")
    return out


def _klines_to_frame(rows: Iterable[Sequence[object]]) -> pd.DataFrame:
    """Binance klines (open time in ms, ..., close at position 4) to a ``close`` frame."""
    rows = list(rows)
    if not rows:
        raise DataFormatError("the price API returned no rows")
    dates = pd.to_datetime([int(str(r[0])) for r in rows], unit="ms").normalize()
    close = [float(str(r[4])) for r in rows]
    return pd.DataFrame({"close": close}, index=pd.DatetimeIndex(dates, name="date"))


# --------------------------------------------------------------------------- cleaning
def mask_bad_prints(frame: pd.DataFrame) -> pd.DataFrame:
    """Set impossible OHLC values to NaN (rule 1).

    A value is a bad print when it is non-positive, when ``low`` exceeds ``open`` or
    ``close``, or when ``high`` is below them. Only the offending field is masked.

    Examples
    --------
    >>> import pandas as pd
    >>> f = pd.DataFrame({"open": [1.0, 1.0], "low": [0.0, 0.99], "close": [1.0, 1.0]},
    ...                  index=pd.date_range("2021-04-03", periods=2))
    >>> mask_bad_prints(f)["low"].tolist()
    [nan, 0.99]
    """
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError(f"frame must be a DataFrame, got {type(frame).__name__}")
    out = frame.copy()
    for col in ("open", "high", "low", "close", "adj_close"):
        if col in out:
            out[col] = out[col].where(~(out[col] <= 0))
    body = [c for c in ("open", "close") if c in frame]
    if body and "low" in out:
        out["low"] = out["low"].where(~(out["low"] > frame[body].max(axis=1) * (1 + 1e-9)))
    if body and "high" in out:
        out["high"] = out["high"].where(~(out["high"] < frame[body].min(axis=1) * (1 - 1e-9)))
    return out


def mask_stuck_prices(prices: pd.Series, *, max_repeats: int = 5) -> pd.Series:
    """Mask a price frozen on more than ``max_repeats`` consecutive observations (rule 2).

    In a run of ``k`` identical consecutive values with ``k > max_repeats`` the first value
    is kept and the other ``k - 1`` become NaN: a feed that stopped updating.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0, 0.5, 0.5, 0.5, 0.5, 1.0], index=pd.date_range("2021-01-01", periods=6))
    >>> mask_stuck_prices(s, max_repeats=3).tolist()
    [1.0, 0.5, nan, nan, nan, 1.0]
    """
    check_price_series(prices, "prices", allow_nan=True)
    max_repeats = check_int(max_repeats, "max_repeats", minimum=1)
    values = prices.to_numpy(dtype="float64", na_value=np.nan)
    new_run = np.ones(values.size, dtype=bool)
    new_run[1:] = ~(values[1:] == values[:-1])
    run_id = np.cumsum(new_run)
    run_len = np.bincount(run_id)[run_id]
    stuck = (run_len > max_repeats) & ~new_run
    return prices.where(~stuck)


def fill_missing_days(prices: pd.Series, *, max_gap: int = 3) -> pd.Series:
    """Put prices on a daily calendar and fill short gaps (rule 3).

    Missing calendar days and NaN prices in gaps of at most ``max_gap`` consecutive days
    are filled by linear interpolation of ``log(price)`` between the neighbouring
    observations (so a gap contributes equal daily log returns). Longer gaps and missing
    values at either end are left NaN.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([1.0, 4.0], index=pd.to_datetime(["2021-01-01", "2021-01-03"]))
    >>> fill_missing_days(s).tolist()
    [1.0, 2.0, 4.0]
    """
    check_price_series(prices, "prices", allow_nan=True)
    max_gap = check_int(max_gap, "max_gap", minimum=0)
    if prices.empty:
        return prices.astype("float64")
    full = pd.date_range(prices.index[0], prices.index[-1], freq="D", name=prices.index.name)
    logp = np.log(prices.astype("float64").reindex(full))
    isna = logp.isna().to_numpy()
    filled = logp.interpolate(method="linear", limit_area="inside")
    run_id = np.cumsum(~isna)
    gap_len = pd.Series(isna.astype(int)).groupby(run_id).transform("sum").to_numpy()
    filled[isna & (gap_len > max_gap)] = np.nan
    return np.exp(filled).rename(prices.name)


@dataclass(frozen=True)
class CleanedPrices:
    """Result of :func:`clean_prices` (immutable).

    Attributes
    ----------
    prices : pandas.Series
        Cleaned closing prices on a daily calendar.
    changes : pandas.DataFrame
        One row per changed day: ``date``, ``rule`` (``bad_print``, ``stuck``,
        ``filled`` or ``missing``), ``before`` and ``after``.
    """

    prices: pd.Series
    changes: pd.DataFrame

    def summary(self) -> str:
        """Counts of changes per rule."""
        counts = self.changes["rule"].value_counts().to_dict() if len(self.changes) else {}
        span = f"{self.prices.index[0].date()} to {self.prices.index[-1].date()}"
        return f"{self.prices.name}: {len(self.prices)} days, {span}; changes {counts or 'none'}"

    def __str__(self) -> str:
        return self.summary()


def clean_prices(
    prices: pd.Series | pd.DataFrame,
    *,
    max_repeats: int = 5,
    max_gap: int = 3,
    start: str | pd.Timestamp | None = None,
    end: str | pd.Timestamp | None = None,
) -> CleanedPrices:
    """Apply the cleaning rules of this module to a close series, in order.

    Parameters
    ----------
    prices : pandas.Series or DataFrame
        Closing prices (a Series), or an OHLCV frame from :func:`read_price_file` whose
        ``close`` column is cleaned after :func:`mask_bad_prints`.
    max_repeats : int
        See :func:`mask_stuck_prices`.
    max_gap : int
        See :func:`fill_missing_days`.
    start, end : date-like, optional
        Keep only this date range (inclusive) before cleaning.

    Returns
    -------
    CleanedPrices

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> s = pd.Series([1.0, 1.01, np.nan, 0.99],
    ...               index=pd.date_range("2021-01-01", periods=4, name="date"), name="X")
    >>> c = clean_prices(s)
    >>> c.changes["rule"].tolist()
    ['filled']
    """
    before_frame = prices
    if isinstance(prices, pd.DataFrame):
        if "close" not in prices:
            raise InvalidInputError("prices: a DataFrame must have a 'close' column")
        close = mask_bad_prints(prices)["close"]
        raw_close = before_frame["close"]
    elif isinstance(prices, pd.Series):
        close = prices.astype("float64")
        raw_close = close
        bad = close <= 0
        close = close.where(~bad)
    else:
        raise InvalidTypeError(
            f"prices must be a Series or DataFrame, got {type(prices).__name__}"
        )
    check_price_series(close, "prices", allow_nan=True)
    close = close.loc[start:end]
    raw_close = raw_close.loc[start:end]
    rows = []
    masked = raw_close.notna() & close.isna()
    rows += [(d, "bad_print", raw_close[d], np.nan) for d in close.index[masked.to_numpy()]]
    unstuck = mask_stuck_prices(close, max_repeats=max_repeats)
    stuck = close.notna() & unstuck.isna()
    rows += [(d, "stuck", close[d], np.nan) for d in close.index[stuck.to_numpy()]]
    filled = fill_missing_days(unstuck, max_gap=max_gap)
    was = unstuck.reindex(filled.index)
    for d in filled.index[(was.isna()).to_numpy()]:
        rule = "missing" if np.isnan(filled[d]) else "filled"
        rows.append((d, rule, was[d], filled[d]))
    changes = pd.DataFrame(rows, columns=["date", "rule", "before", "after"])
    changes = changes.sort_values("date", kind="stable").reset_index(drop=True)
    return CleanedPrices(filled, changes)


def log_returns(prices: pd.Series, *, scale: float = 100.0) -> pd.Series:
    """Daily log returns ``scale * log(p_t / p_{t-1})``, percent by default.

    Parameters
    ----------
    prices : pandas.Series
        Positive prices on sorted, unique dates, without NaN (clean them first).
    scale : float, default 100
        Multiplier: 100 gives percent log returns, the unit :mod:`actuarial.volatility`
        assumes by default.

    Returns
    -------
    pandas.Series
        One value fewer than ``prices``, indexed by the later date.

    Raises
    ------
    InvalidInputError
        If a price is missing, non-positive, or dates are unsorted or duplicated.

    Examples
    --------
    >>> import pandas as pd
    >>> s = pd.Series([100.0, 110.0], index=pd.date_range("2021-01-01", periods=2))
    >>> round(float(log_returns(s).iloc[0]), 6)
    9.531018
    """
    check_price_series(prices, "prices")
    scale = check_positive(scale, "scale")
    logp = np.log(prices.astype("float64"))
    return (scale * logp.diff()).iloc[1:].rename(prices.name)
