"""Per-unit incident rates with exact intervals, and Bühlmann-Straub credibility."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy import stats

from actuarial._validation import as_float_array, check_in_unit_interval, check_positive
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["BuhlmannStraub", "UnitRates", "buhlmann_straub", "garwood_interval", "unit_rates"]


def garwood_interval(count: Any, exposure: Any = 1.0, level: float = 0.95) -> tuple[Any, Any]:
    r"""Exact (Garwood, 1936) confidence interval of a Poisson rate ``count / exposure``.

    ``lower = chi2.ppf(a/2, 2x) / (2 E)`` (0 when ``x = 0``) and
    ``upper = chi2.ppf(1 - a/2, 2x + 2) / (2 E)`` with ``a = 1 - level``: the interval that
    R's ``poisson.test(x, E)`` reports.

    Examples
    --------
    >>> lo, hi = garwood_interval(3, 10.0)
    >>> round(float(lo), 6), round(float(hi), 6)
    (0.061867, 0.876727)
    """
    level = check_in_unit_interval(level, "level")
    x = np.asarray(count, dtype=np.float64)
    e = np.asarray(exposure, dtype=np.float64)
    a = 1.0 - level
    lower = np.where(x > 0, stats.chi2.ppf(a / 2.0, 2.0 * np.maximum(x, 1e-300)) / 2.0, 0.0)
    upper = stats.chi2.ppf(1.0 - a / 2.0, 2.0 * x + 2.0) / 2.0
    return lower / e, upper / e


def _group_table(
    counts: Any, exposure: Any, by: str | None, extra: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Table with columns ``count``, ``exposure`` (and ``by``), validated."""
    if isinstance(counts, pd.DataFrame):
        if "count" not in counts.columns:
            raise InvalidInputError(
                f"counts is a DataFrame without a 'count' column; got {list(counts.columns)}"
            )
        table = counts.copy()
        if exposure is not None:
            if isinstance(exposure, str):
                table["exposure"] = counts[exposure]
            else:
                table["exposure"] = as_float_array(exposure, "exposure")
        elif "exposure" not in table.columns:
            raise InvalidInputError("exposure: counts has no 'exposure' column; pass exposure")
        if by is not None and by not in table.columns:
            raise InvalidInputError(f"by: {by!r} is not a column of counts")
        for col in extra:
            if col not in table.columns:
                raise InvalidInputError(f"counts has no {col!r} column")
    else:
        if exposure is None:
            raise InvalidInputError("exposure is required (units x years of cover)")
        x = as_float_array(counts, "counts", nonnegative=True)
        index = counts.index if isinstance(counts, pd.Series) else pd.RangeIndex(len(x))
        expo = as_float_array(exposure, "exposure")
        if len(expo) != len(x):
            raise InvalidInputError(
                f"exposure must have one value per count: expected {len(x)}, got {len(expo)}"
            )
        table = pd.DataFrame({"count": x, "exposure": expo}, index=index)
    x = as_float_array(table["count"], "counts", nonnegative=True)
    if (x != np.round(x)).any():
        raise InvalidInputError("counts must be whole numbers of incidents")
    expo = as_float_array(table["exposure"], "exposure")
    if (expo < 0).any():
        raise InvalidInputError("exposure must be non-negative")
    return table


@dataclass(frozen=True)
class UnitRates:
    """Result of :func:`unit_rates`: one row per group (immutable).

    ``table`` has columns ``count``, ``exposure``, ``rate`` (incidents per unit of
    exposure), ``lower`` / ``upper`` (exact Garwood interval of the rate), ``prob``
    (probability of at least one incident for one unit over ``horizon``,
    ``1 - exp(-rate horizon)``) and ``prob_lower`` / ``prob_upper`` (its interval, the same
    transformation of the rate's bounds).
    """

    table: pd.DataFrame
    level: float
    horizon: float

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """Readable table."""
        head = (
            f"Per-unit incident rates, exact (Garwood) {self.level:.0%} intervals; prob = "
            f"P(at least one incident per unit over {self.horizon:g} exposure unit(s))"
        )
        return head + "\n" + self.table.to_string(float_format=lambda v: f"{v:.6g}")

    def __str__(self) -> str:
        return self.summary()


def unit_rates(
    counts: Any,
    exposure: Any = None,
    *,
    by: str | None = None,
    level: float = 0.95,
    horizon: float = 1.0,
) -> UnitRates:
    r"""Incident rate per unit of exposure with exact Poisson intervals, per group.

    For each group, with ``x`` incidents over exposure ``E`` (e.g. stablecoin-years), the
    rate is ``x / E`` with Garwood's exact interval (:func:`garwood_interval`), and the
    probability that one unit has at least one incident over ``horizon`` units of exposure
    (one year by default) is ``1 - exp(-rate horizon)``, with the interval obtained by the
    same monotone map of the rate's bounds.

    Parameters
    ----------
    counts : array_like, Series or DataFrame
        Incident counts; or a table with ``count`` (and ``exposure``) columns and the
        grouping column ``by``, summed per group.
    exposure : array_like or str, optional
        Exposure per count (or the name of the exposure column of ``counts``).
    by : str, optional
        Grouping column of ``counts`` (e.g. ``"design"``); without it each row is a group.
    level : float
        Confidence level of the intervals.
    horizon : float
        Exposure over which the probability of at least one incident is given.

    Returns
    -------
    UnitRates

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"design": ["fiat", "fiat", "algo"], "count": [1, 0, 3],
    ...                   "exposure": [20.0, 30.0, 6.0]})
    >>> r = unit_rates(t, by="design").to_frame()
    >>> r.loc["algo", ["count", "rate"]].tolist()
    [3.0, 0.5]
    """
    level = check_in_unit_interval(level, "level")
    horizon = check_positive(horizon, "horizon")
    table = _group_table(counts, exposure, by)
    if by is not None:
        table = table.groupby(by, sort=True)[["count", "exposure"]].sum()
    else:
        table = table[["count", "exposure"]]
    table = table.astype(float)
    if (table["exposure"] <= 0).any():
        bad = table.index[(table["exposure"] <= 0).to_numpy()][0]
        raise InvalidInputError(f"exposure must be positive for every group; {bad!r} has none")
    lower, upper = garwood_interval(table["count"], table["exposure"], level)
    out = table.assign(rate=table["count"] / table["exposure"], lower=lower, upper=upper)
    for col, src in (("prob", "rate"), ("prob_lower", "lower"), ("prob_upper", "upper")):
        out[col] = -np.expm1(-out[src] * horizon)
    return UnitRates(out, level, horizon)


@dataclass(frozen=True)
class BuhlmannStraub:
    """Result of :func:`buhlmann_straub` (immutable).

    Attributes
    ----------
    table : DataFrame
        Per group: ``exposure`` (total weight ``m_i``), ``count``, ``rate`` (own experience
        ``X_i``), ``Z`` (credibility factor ``m_i / (m_i + k)``) and ``credibility_rate``
        (``Z X_i + (1 - Z) collective``).
    collective : float
        Portfolio rate: the credibility-weighted mean ``sum Z_i X_i / sum Z_i`` (the
        exposure-weighted mean when ``vhm = 0``).
    epv : float
        Expected process variance ``sigma^2`` (per unit of exposure).
    vhm : float
        Variance of the hypothetical means ``a`` (truncated at 0).
    k : float
        Credibility constant ``epv / vhm`` (``inf`` when ``vhm = 0``: no credibility).
    """

    table: pd.DataFrame
    collective: float
    epv: float
    vhm: float
    k: float

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (a copy)."""
        return self.table.copy()

    def summary(self) -> str:
        """Readable table with the structural parameters."""
        head = (
            f"Buhlmann-Straub credibility: collective rate {self.collective:.6g}, "
            f"EPV {self.epv:.6g}, VHM {self.vhm:.6g}, k = EPV/VHM {self.k:.6g}"
        )
        return head + "\n" + self.table.to_string(float_format=lambda v: f"{v:.6g}")

    def __str__(self) -> str:
        return self.summary()


def buhlmann_straub(
    counts: pd.DataFrame,
    *,
    by: str,
    exposure: str = "exposure",
    epv: Literal["empirical", "poisson"] = "empirical",
) -> BuhlmannStraub:
    r"""Bühlmann-Straub credibility of each group's incident rate against the portfolio.

    Each row of ``counts`` is one cell (a group in a period) with ``count`` incidents over
    exposure ``m_ij``; its rate is ``X_ij = count / m_ij``. With group totals ``m_i`` and
    exposure-weighted group rates ``X_i``, the unbiased estimators (Bühlmann and Gisler,
    2005, section 4.8) are

    * ``epv = sum_ij m_ij (X_ij - X_i)**2 / sum_i (n_i - 1)`` (``"empirical"``), or, for
      Poisson counts whose process variance equals the mean (``Var(X_ij | rate) =
      rate / m_ij``), the overall rate ``sum x / sum m`` (``"poisson"``; needs only one cell
      per group);
    * ``vhm = (sum_i m_i (X_i - X)**2 - (I - 1) epv) / (m - sum_i m_i**2 / m)``, set to 0
      if negative, with ``X`` the exposure-weighted overall rate;

    and the credibility factor is ``Z_i = m_i / (m_i + epv / vhm)``.

    Parameters
    ----------
    counts : DataFrame
        Cells with a ``count`` column, an exposure column and the grouping column ``by``.
    by : str
        Grouping column (e.g. ``"design"``, ``"category"``).
    exposure : str
        Name of the exposure column.
    epv : {"empirical", "poisson"}
        Estimator of the expected process variance.

    Returns
    -------
    BuhlmannStraub

    Examples
    --------
    >>> import pandas as pd
    >>> t = pd.DataFrame({"g": list("aaabbbccc"), "count": [1, 2, 1, 6, 5, 7, 3, 2, 4],
    ...                   "exposure": [10.0, 12, 11, 10, 9, 12, 10, 10, 11]})
    >>> cred = buhlmann_straub(t, by="g")
    >>> cred.table["Z"].round(3).tolist()
    [0.982, 0.981, 0.981]
    """
    if not isinstance(counts, pd.DataFrame):
        raise InvalidTypeError("counts must be a DataFrame of cells (group, count, exposure)")
    if epv not in ("empirical", "poisson"):
        raise InvalidInputError(f"epv must be 'empirical' or 'poisson'; got {epv!r}")
    if not isinstance(exposure, str):
        raise InvalidTypeError("exposure must be the name of the exposure column")
    if exposure not in counts.columns:
        raise InvalidInputError(f"exposure: counts has no column {exposure!r}")
    table = _group_table(counts, exposure, by)
    m_ij = as_float_array(table["exposure"], "exposure", positive=True)
    x_ij = table["count"].to_numpy(float) / m_ij
    cells = pd.DataFrame({"g": table[by].to_numpy(), "m": m_ij, "x": x_ij, "n": table["count"]})
    grouped = cells.groupby("g", sort=True)
    m_i = grouped["m"].sum()
    rate_i = grouped.apply(lambda d: np.average(d["x"], weights=d["m"]), include_groups=False)
    n_i = grouped.size()
    n_groups = len(m_i)
    if n_groups < 2:
        raise InvalidInputError(f"by: credibility needs at least two groups; got {n_groups}")
    m = float(m_i.sum())
    overall = float((m_i * rate_i).sum() / m)
    if epv == "empirical":
        dof = int((n_i - 1).sum())
        if dof < 1:
            raise InvalidInputError(
                "counts: epv='empirical' needs several cells (periods) in some group; with one "
                "cell per group use epv='poisson'"
            )
        dev = cells["m"] * (cells["x"] - cells["g"].map(rate_i)) ** 2
        sigma2 = float(dev.sum() / dof)
    else:
        sigma2 = overall
    vhm = (float((m_i * (rate_i - overall) ** 2).sum()) - (n_groups - 1) * sigma2) / (
        m - float((m_i**2).sum()) / m
    )
    vhm = max(vhm, 0.0)
    if vhm > 0:
        k = sigma2 / vhm
        z = m_i / (m_i + k)
        collective = float((z * rate_i).sum() / z.sum())
    else:
        k = np.inf
        z = m_i * 0.0
        collective = overall
    out = pd.DataFrame(
        {
            "exposure": m_i,
            "count": grouped["n"].sum().astype(float),
            "rate": rate_i,
            "Z": z,
            "credibility_rate": z * rate_i + (1.0 - z) * collective,
        }
    )
    out.index.name = by
    return BuhlmannStraub(out, collective, sigma2, vhm, float(k))
