"""Severity trend regression against statsmodels OLS and an independent truncated MLE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import optimize, stats

import actuarial.severity as sev
from actuarial.exceptions import InvalidInputError


@pytest.fixture(scope="module")
def panel():
    rng = np.random.default_rng(3)
    n = 600
    year = rng.integers(0, 9, size=n).astype(float)
    cat = rng.choice(["bridge", "defi", "exchange"], size=n)
    mu = 13 + 0.15 * year + np.select([cat == "defi", cat == "exchange"], [0.5, 1.0], 0.0)
    x = np.exp(mu + 1.4 * rng.standard_normal(n))
    return x, pd.DataFrame({"year": year, "category": cat})


def test_untruncated_equals_ols(panel):
    x, cov = panel
    res = sev.trend(x, cov)
    design = pd.get_dummies(cov, columns=["category"], drop_first=True, dtype=float)
    ols = sm.OLS(np.log(x), sm.add_constant(design)).fit()
    np.testing.assert_allclose(res.params.drop("sigma"), ols.params, rtol=1e-6)
    assert res.params["sigma"] == pytest.approx(np.sqrt(ols.ssr / x.size), rel=1e-6)
    # MLE standard errors are OLS ones rescaled by sqrt((n - p) / n)
    scale = np.sqrt((x.size - ols.df_model - 1) / x.size)
    np.testing.assert_allclose(res.bse.drop("sigma"), ols.bse * scale, rtol=1e-3)
    assert res.is_significant("year")
    rate, lo, hi = res.trend_rate("year")
    assert lo < rate < hi and rate == pytest.approx(np.expm1(res.params["year"]))
    assert "Severity trend" in str(res)


def test_truncated_against_independent_mle(panel):
    x, cov = panel
    t = 1e6
    keep = x >= t
    xs, cs = x[keep], cov[keep].reset_index(drop=True)
    res = sev.trend(xs, cs, truncation=t)
    z = np.column_stack([np.ones(keep.sum()), cs["year"],
                         cs["category"] == "defi", cs["category"] == "exchange"]).astype(float)

    def nll(theta):
        mu, sigma = z @ theta[:4], np.exp(theta[4])
        a = (np.log(t) - mu) / sigma
        return -np.sum(stats.truncnorm.logpdf(np.log(xs), a, np.inf, loc=mu, scale=sigma)
                       - np.log(xs))

    start = np.append(np.linalg.lstsq(z, np.log(xs), rcond=None)[0], 0.0)
    ind = optimize.minimize(nll, start, method="Nelder-Mead",
                            options={"xatol": 1e-9, "fatol": 1e-11, "maxiter": 40000})
    assert res.loglik == pytest.approx(-ind.fun, rel=1e-7)
    np.testing.assert_allclose(res.params.to_numpy()[:4], ind.x[:4], rtol=1e-3, atol=1e-4)
    # truncation handled: the year effect is recovered near its true value 0.15
    assert abs(res.params["year"] - 0.15) < 4 * res.bse["year"]


def test_trend_inputs(panel):
    x, cov = panel
    with pytest.raises(InvalidInputError, match="one row per loss"):
        sev.trend(x, cov.iloc[:10])
    with pytest.raises(InvalidInputError, match="collinear"):
        sev.trend(x, pd.DataFrame({"a": np.ones(x.size)}))
    res = sev.trend(x, cov["year"])
    with pytest.raises(InvalidInputError, match="column must be one of"):
        res.trend_rate("const")
    assert res.dist({"year": 2.0}).median() == pytest.approx(
        np.exp(res.params["const"] + 2 * res.params["year"]))
