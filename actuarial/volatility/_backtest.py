"""Value-at-risk back-tests of one-day-ahead forecasts: Kupiec and Christoffersen."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from actuarial._typing import ArrayLike
from actuarial._validation import as_float_array, check_in_unit_interval, check_int
from actuarial.exceptions import InvalidInputError
from actuarial.volatility._fit import VolatilityFit, fit

__all__ = ["CoverageTest", "VaRBacktest", "backtest", "christoffersen_test", "kupiec_test"]


@dataclass(frozen=True)
class CoverageTest:
    """A likelihood-ratio test statistic with its chi-squared p-value."""

    name: str
    statistic: float
    df: int
    p_value: float

    def __str__(self) -> str:
        return f"{self.name}: LR = {self.statistic:.4f} (df {self.df}), p = {self.p_value:.4f}"


def _hits(hits: ArrayLike) -> np.ndarray:
    h = as_float_array(hits, "hits", min_size=2)
    if not np.isin(h, (0.0, 1.0)).all():
        raise InvalidInputError("hits must hold only 0/1 (or False/True) values")
    return h.astype(bool)


def _xlogy(x: float, y: float) -> float:
    return 0.0 if x == 0 else x * np.log(y)


def kupiec_test(hits: ArrayLike, alpha: float) -> CoverageTest:
    r"""Kupiec (1995) proportion-of-failures test of unconditional coverage.

    With ``x`` exceedances in ``T`` forecasts and ``pi = x / T``,
    ``LR = -2 [ (T-x) log(1-alpha) + x log(alpha) - (T-x) log(1-pi) - x log(pi) ]``,
    asymptotically chi-squared with 1 degree of freedom under ``P(hit) = alpha``.

    Examples
    --------
    >>> t = kupiec_test([1] + [0] * 99, alpha=0.01)
    >>> round(t.statistic, 10)
    0.0
    """
    h = _hits(hits)
    alpha = check_in_unit_interval(alpha, "alpha")
    n, x = h.size, int(h.sum())
    pi = x / n
    ll0 = _xlogy(n - x, 1 - alpha) + _xlogy(x, alpha)
    ll1 = _xlogy(n - x, 1 - pi) + _xlogy(x, pi)
    lr = float(max(-2.0 * (ll0 - ll1), 0.0))
    return CoverageTest("Kupiec POF", lr, 1, float(stats.chi2.sf(lr, 1)))


def christoffersen_test(hits: ArrayLike) -> CoverageTest:
    r"""Christoffersen (1998) test that exceedances are independent (first-order Markov).

    From the transition counts ``n_ij`` (hit state ``i`` followed by ``j``),
    ``LR = -2 [ log L(pi) - log L(pi_01, pi_11) ]`` with ``pi_01 = n01/(n00+n01)``,
    ``pi_11 = n11/(n10+n11)`` and ``pi = (n01+n11)/(T-1)``; chi-squared with 1 df.

    Examples
    --------
    >>> round(christoffersen_test([0, 1, 0, 0, 1, 0, 0, 0, 1, 0]).statistic, 6)
    3.139489
    """
    h = _hits(hits).astype(int)
    prev, nxt = h[:-1], h[1:]
    n00 = int(((prev == 0) & (nxt == 0)).sum())
    n01 = int(((prev == 0) & (nxt == 1)).sum())
    n10 = int(((prev == 1) & (nxt == 0)).sum())
    n11 = int(((prev == 1) & (nxt == 1)).sum())
    pi01 = n01 / (n00 + n01) if n00 + n01 else 0.0
    pi11 = n11 / (n10 + n11) if n10 + n11 else 0.0
    pi = (n01 + n11) / (n00 + n01 + n10 + n11)
    ll0 = _xlogy(n00 + n10, 1 - pi) + _xlogy(n01 + n11, pi)
    ll1 = _xlogy(n00, 1 - pi01) + _xlogy(n01, pi01) + _xlogy(n10, 1 - pi11) + _xlogy(n11, pi11)
    lr = float(max(-2.0 * (ll0 - ll1), 0.0))
    return CoverageTest("Christoffersen independence", lr, 1, float(stats.chi2.sf(lr, 1)))


@dataclass(frozen=True)
class VaRBacktest:
    """Out-of-sample VaR back-test (immutable).

    Attributes
    ----------
    table : pandas.DataFrame
        Per forecast date: ``return``, ``mean``, ``volatility`` (one-day-ahead forecasts),
        ``var`` (the VaR as a positive loss in return units) and ``hit``
        (``return < -var``).
    alpha : float
        Tail probability of the VaR (0.01 for a 99 % VaR).
    kupiec, independence : CoverageTest
        Unconditional coverage and independence tests.
    conditional : CoverageTest
        Christoffersen's conditional coverage test, ``LR_pof + LR_ind`` with 2 df.
    """

    table: pd.DataFrame
    alpha: float
    kupiec: CoverageTest
    independence: CoverageTest
    conditional: CoverageTest

    @property
    def n(self) -> int:
        return len(self.table)

    @property
    def hits(self) -> int:
        return int(self.table["hit"].sum())

    def to_frame(self) -> pd.DataFrame:
        return self.table.copy()

    def summary(self) -> str:
        return (
            f"VaR back-test at alpha = {self.alpha:g}: {self.hits} exceedances in {self.n} "
            f"one-day-ahead forecasts (expected {self.alpha * self.n:.1f})\n"
            f"{self.kupiec}\n{self.independence}\n{self.conditional}"
        )

    def __str__(self) -> str:
        return self.summary()


def backtest(
    returns: ArrayLike,
    *,
    alpha: float = 0.01,
    test_size: int = 250,
    **spec: object,
) -> VaRBacktest:
    """Fit on all but the last ``test_size`` returns and back-test the VaR forecasts.

    Parameters are estimated once on the training part; over the test part the one-day-
    ahead mean and variance come from the model's recursions with those parameters
    fixed, and the VaR at tail probability ``alpha`` is
    ``-(mean + volatility * q_alpha)``, ``q_alpha`` the fitted shock quantile.

    Parameters
    ----------
    returns : array_like or Series
        The series, as for :func:`fit`.
    alpha : float
        Tail probability (0.01 for the 99 % VaR).
    test_size : int
        Number of out-of-sample forecasts.
    **spec
        Model keywords of :func:`fit` (``mean``, ``vol``, ``p``, ``o``, ``q``, ``dist``...).

    Returns
    -------
    VaRBacktest

    Examples
    --------
    >>> import numpy as np
    >>> r = np.random.default_rng(3).normal(size=900)
    >>> bt = backtest(r, alpha=0.05, test_size=300)
    >>> bt.n
    300
    """
    alpha = check_in_unit_interval(alpha, "alpha")
    test_size = check_int(test_size, "test_size", minimum=2)
    series = (
        returns
        if isinstance(returns, pd.Series)
        else pd.Series(as_float_array(returns, "returns"))
    )
    split = len(series) - test_size
    if split < 1:
        raise InvalidInputError(
            f"test_size ({test_size}) must be smaller than the series ({len(series)})"
        )
    f = fit(series, last_obs=split, **spec)  # type: ignore[arg-type]
    return _backtest_fit(f, split, alpha)


def _backtest_fit(f: VolatilityFit, split: int, alpha: float) -> VaRBacktest:
    fc = f.result.forecast(horizon=1, start=split - 1, reindex=False)
    n = len(f.returns)
    mean = fc.mean.to_numpy()[: n - split, 0]
    vol = np.sqrt(fc.variance.to_numpy()[: n - split, 0])
    q = f.std_quantile(alpha)
    var = -(mean + vol * q)
    r = f.returns.to_numpy()[split:]
    table = pd.DataFrame(
        {"return": r, "mean": mean, "volatility": vol, "var": var, "hit": r < -var},
        index=f.returns.index[split:],
    )
    pof = kupiec_test(table["hit"], alpha)
    ind = christoffersen_test(table["hit"])
    lr = pof.statistic + ind.statistic
    cc = CoverageTest("Christoffersen conditional coverage", lr, 2, float(stats.chi2.sf(lr, 2)))
    return VaRBacktest(table, alpha, pof, ind, cc)
