"""Index-of-dispersion test of counts against a Poisson process (clustering check)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from actuarial.exceptions import InvalidInputError

from ._data import prepare_counts

__all__ = ["DispersionTest", "dispersion_test"]


@dataclass(frozen=True)
class DispersionTest:
    """Result of :func:`dispersion_test`.

    Attributes
    ----------
    statistic : float
        Pearson statistic ``sum((x - E)**2 / E)``.
    df : int
        Degrees of freedom of its chi-square reference law.
    pvalue : float
        Upper-tail p-value (small values mean over-dispersion, i.e. clustering).
    index : float
        Index of dispersion ``statistic / df``: about 1 for a Poisson process, above 1 when
        events cluster.
    n : int
        Number of counts (cells) used.
    within : str or None
        ``"year"`` if expected counts were conditioned on each year's total.
    """

    statistic: float
    df: int
    pvalue: float
    index: float
    n: int
    within: str | None

    def __str__(self) -> str:
        scope = " within years" if self.within else ""
        return (
            f"index of dispersion{scope} = {self.index:.3f} (chi2 = {self.statistic:.2f}, "
            f"df = {self.df}, p = {self.pvalue:.3g}, n = {self.n})"
        )


def _year_of(periods: pd.Index) -> np.ndarray:
    if isinstance(periods, pd.PeriodIndex):
        return np.asarray(periods.year)
    raise InvalidInputError(
        "within='year' needs counts indexed by a PeriodIndex below annual frequency "
        "(e.g. monthly periods)"
    )


def dispersion_test(
    counts: Any, *, exposure: Any = None, within: str | None = None
) -> DispersionTest:
    r"""Test counts for over-dispersion (clustering) relative to a Poisson process.

    With exposures :math:`e_i` (default 1) and expected counts
    :math:`E_i = e_i \sum_j x_j / \sum_j e_j`, the statistic
    :math:`D = \sum_i (x_i - E_i)^2 / E_i` is approximately chi-square with ``n - 1`` degrees
    of freedom under a homogeneous Poisson process (Fisher's index of dispersion test). With
    ``within="year"`` the expectation is formed within each calendar year from that year's
    total, so a trend or a bad year does not count as clustering: what remains is clustering
    *inside* years (e.g. contagion between hacks in the same month); years with no events
    are dropped and the degrees of freedom are ``sum over years (months - 1)``. The
    chi-square approximation needs expected counts of about one or more per cell.

    Parameters
    ----------
    counts : Series or DataFrame
        Event counts per period (e.g. per month, with a monthly ``PeriodIndex``), as for
        :func:`fit`.
    exposure : array_like, optional
        Exposure per period (e.g. days in the month); default equal exposures.
    within : {None, "year"}
        Condition on yearly totals.

    Returns
    -------
    DispersionTest

    Examples
    --------
    >>> import pandas as pd
    >>> months = pd.period_range("2022-01", periods=6, freq="M")
    >>> res = dispersion_test(pd.Series([0, 9, 1, 0, 8, 0], index=months))
    >>> round(res.index, 3), res.df
    (6.133, 5)
    """
    if within not in (None, "year"):
        raise InvalidInputError(f"within must be None or 'year'; got {within!r}")
    data = prepare_counts(counts, exposure)
    x = data.counts
    e = np.ones_like(x) if data.exposure is None else data.exposure
    groups = _year_of(data.periods) if within == "year" else np.zeros(len(x), dtype=int)
    frame = pd.DataFrame({"g": groups, "x": x, "e": e})
    totals = frame.groupby("g")[["x", "e"]].transform("sum")
    expected = frame["e"] * totals["x"] / totals["e"]
    keep = (totals["x"] > 0).to_numpy()
    sizes = frame.loc[keep].groupby("g").size()
    df = int((sizes - 1).sum())
    if df < 1:
        raise InvalidInputError(
            "counts: the dispersion test needs at least two periods with events in a common "
            f"{'year' if within else 'sample'}"
        )
    stat = float((((x - expected) ** 2)[keep] / expected[keep]).sum())
    return DispersionTest(
        statistic=stat,
        df=df,
        pvalue=float(stats.chi2.sf(stat, df)),
        index=stat / df,
        n=int(keep.sum()),
        within=within,
    )
