"""SeverityFit behaviour: boundaries, inference, immutability, splices, compare."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import actuarial.severity as sev
from actuarial.exceptions import ConvergenceError, ConvergenceWarning, InfiniteMeanError


def _truncated(dist, n, t, seed):
    u = np.random.default_rng(seed).uniform(size=n)
    return dist.isf(u * dist.sf(t))


@pytest.fixture(scope="module")
def heavy():
    """Left-truncated heavy-tailed losses: the truncated gamma has no interior maximum."""
    return _truncated(stats.lognorm(1.8, scale=1e6), 400, 2e6, 0)


@pytest.fixture(scope="module")
def lomax_fit():
    x = _truncated(stats.lomax(1.4, scale=1e6), 400, 5e5, 1)
    return sev.fit(x, "lomax", truncation=5e5), x


def test_boundary_is_reported_not_hidden(heavy):
    with pytest.warns(ConvergenceWarning, match=r"boundary .*a -> 0"):
        res = sev.fit(heavy, "gamma", truncation=2e6)
    assert not res.converged
    assert res.boundary == ("a -> 0",)
    assert res.cov is None and res.bse.isna().all()
    assert "Warning" in str(res.summary())
    with pytest.raises(ConvergenceError, match="Remedies"):
        sev.fit(heavy, "gamma", truncation=2e6, errors="raise")


def test_curved_ridge_boundary_burr():
    # a Burr XII truncated at its median: the likelihood climbs toward the Weibull limit
    dist = stats.burr12(2.0, 0.8, scale=1e6)
    x = _truncated(dist, 300, float(dist.median()), 11)
    with pytest.warns(ConvergenceWarning, match=r"d -> inf"):
        res = sev.fit(x, "burr12", truncation=float(dist.median()))
    weib = sev.fit(x, "weibull", truncation=float(dist.median()))
    assert res.loglik == pytest.approx(weib.loglik, rel=1e-6)  # the Weibull limit


def test_criteria_and_immutability(lomax_fit):
    res, x = lomax_fit
    assert res.aic == pytest.approx(2 * 2 - 2 * res.loglik)
    assert res.bic == pytest.approx(2 * math.log(x.size) - 2 * res.loglik)
    assert res.n == x.size and res.k == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        res.loglik = 0.0
    with pytest.raises(TypeError):
        res.params["c"] = 2.0
    with pytest.raises(ValueError, match="read-only"):
        res.cov[0, 0] = 1.0


def test_standard_errors_match_an_independent_hessian(lomax_fit):
    res, x = lomax_fit
    t = 5e5

    def ll(theta):
        c, scale = theta
        d = stats.lomax(c, scale=scale)
        return float(np.sum(d.logpdf(x) - d.logsf(t)))

    theta = np.array([res.params["c"], res.params["scale"]])
    h = np.diag(theta * 1e-4)
    hess = np.empty((2, 2))
    for i in range(2):
        for j in range(2):
            hess[i, j] = (ll(theta + h[i] + h[j]) - ll(theta + h[i] - h[j])
                          - ll(theta - h[i] + h[j]) + ll(theta - h[i] - h[j])) / (
                4 * h[i, i] * h[j, j])
    cov = np.linalg.inv(-hess)
    np.testing.assert_allclose(res.cov, cov, rtol=1e-3)


def test_conf_int_and_tables(lomax_fit):
    res, _ = lomax_fit
    ci = res.conf_int(0.05)
    assert (ci["lower"] < pd.Series(dict(res.params))).all()
    assert (ci["upper"] > pd.Series(dict(res.params))).all()
    # Wald on the log scale: the log-interval is symmetric with half-width z * se / value
    c = res.params["c"]
    half = 1.959963984540054 * res.bse["c"] / c
    assert ci.loc["c", "upper"] == pytest.approx(c * math.exp(half), rel=1e-9)
    frame = res.to_frame()
    assert list(frame.columns) == ["estimate", "std_err", "lower", "upper"]
    text = str(res)
    assert "lomax" in text and "Truncated at" in text
    assert "<table" in res.summary().as_html()
    assert "lomax" in repr(res)


def test_infinite_mean_flag_and_error():
    res = sev.from_params("lomax", {"c": 0.8, "scale": 1e6})
    assert not res.has_finite_mean and not res.has_finite_variance
    assert res.tail_index == 0.8
    assert math.isinf(res.dist.mean())
    with pytest.raises(InfiniteMeanError, match="cover limit"):
        res.mean()
    finite = sev.from_params("lomax", {"c": 3.0, "scale": 1e6})
    assert finite.mean() == pytest.approx(1e6 / 2.0)
    assert finite.has_finite_variance


def test_from_params_loglik_equals_fit(lomax_fit):
    res, x = lomax_fit
    user = sev.from_params("lomax", dict(res.params), losses=x, truncation=5e5)
    assert user.loglik == pytest.approx(res.loglik, rel=1e-12)
    assert user.method == "user" and user.cov is None
    gpd = sev.from_params("gpd", {"c": 0.5, "scale": 2.0, "loc": 1.0})
    assert gpd.dist.support() == (1.0, math.inf)


def test_lomax_is_gpd_at_zero(lomax_fit):
    _, x = lomax_fit
    a = sev.fit(x, "lomax")
    b = sev.fit(x, "gpd")
    assert a.loglik == pytest.approx(b.loglik, rel=1e-8)
    assert b.params["c"] == pytest.approx(1 / a.params["c"], rel=1e-4)


def test_bootstrap_is_reproducible_and_centred(lomax_fit):
    res, _ = lomax_fit
    b1 = res.bootstrap(20, rng=5)
    b2 = res.bootstrap(20, rng=np.random.default_rng(5))
    pd.testing.assert_frame_equal(b1, b2)
    assert abs(b1["c"].median() / res.params["c"] - 1) < 0.5


def test_derived_intervals(lomax_fit):
    res, _ = lomax_fit
    est, lo, hi = res.quantile_ci(0.99)
    assert est == pytest.approx(res.dist.ppf(0.99))
    assert lo < est < hi
    est_b, lo_b, hi_b = res.quantile_ci(0.99, method="bootstrap", n_boot=30, rng=1)
    assert est_b == est and lo_b < hi_b
    lev = res.derived_ci(lambda d: sev.limited_expected_value(d, 1e7))
    assert lev[1] < lev[0] < lev[2]


def test_spliced_distribution():
    body, tail = stats.lognorm(1.0, scale=1.0), stats.genpareto(0.4, loc=3.0, scale=2.0)
    d = sev.spliced_gen(body, tail, 3.0, 0.2)()
    assert d.cdf(3.0) == pytest.approx(0.8)
    q = np.array([0.1, 0.5, 0.8, 0.9, 0.999])
    np.testing.assert_allclose(d.cdf(d.ppf(q)), q, rtol=1e-10)
    np.testing.assert_allclose(d.sf(d.isf(q)), q, rtol=1e-10)
    total, _ = integrate.quad(d.pdf, 0, 3.0)
    assert total == pytest.approx(0.8, rel=1e-9)
    mean_num = integrate.quad(lambda x: x * d.pdf(x), 0, 3)[0] + 0.2 * tail.mean()
    assert d.mean() == pytest.approx(mean_num, rel=1e-7)
    draws = d.rvs(2000, random_state=np.random.default_rng(0))
    assert abs(np.mean(draws > 3.0) - 0.2) < 0.03


def test_spliced_tail_weight_modes():
    x = stats.lognorm(1.5).rvs(600, random_state=np.random.default_rng(3))
    u = float(np.quantile(x, 0.9))
    emp = sev.fit(x, sev.Spliced(tail_weight="empirical"), threshold=u)
    est = sev.fit(x, "spliced", threshold=u)
    assert emp.fixed["tail_weight"] == pytest.approx(0.1, abs=1e-3)
    assert emp.loglik == pytest.approx(est.loglik, rel=1e-7)  # same maximum
    assert emp.k == est.k == 5
    cont = sev.fit(x, sev.Spliced(body="weibull", tail_weight="continuous"), threshold=u)
    d = cont.dist
    assert d.pdf(u - 1e-9) == pytest.approx(d.pdf(u + 1e-9), rel=1e-5)
    assert cont.k == 4
    fixed = sev.fit(x, sev.Spliced(tail_weight=0.05), threshold=u)
    assert fixed.dist.sf(u) == pytest.approx(0.05)


def test_compare_ranks_and_gof():
    x = _truncated(stats.lomax(1.3, scale=1e6), 300, 1e6, 4)
    table, fits = sev.compare(x, ["lognormal", "lomax", "weibull", "loglogistic"],
                              truncation=1e6, return_fits=True)
    assert list(table["aic"]) == sorted(table["aic"])
    assert table["delta_aic"].iloc[0] == 0.0
    for name, res in fits.items():
        d = res.dist
        cdf = lambda v, d=d: (d.cdf(v) - d.cdf(1e6)) / d.sf(1e6)  # noqa: E731
        assert table.loc[name, "ks"] == pytest.approx(stats.kstest(x, cdf).statistic,
                                                      rel=1e-9)
        assert table.loc[name, "cvm"] == pytest.approx(
            stats.cramervonmises(x, cdf).statistic, rel=1e-9)
        u = np.sort(cdf(x))
        n = u.size
        i = np.arange(1, n + 1)
        ad = -n - np.sum((2 * i - 1) * np.log(u) + (2 * (n - i) + 1) * np.log1p(-u)) / n
        assert table.loc[name, "ad"] == pytest.approx(ad, rel=1e-9)


def test_compare_bootstrap_pvalues_and_failures():
    x = _truncated(stats.lognorm(1.8, scale=1e6), 200, 2e6, 0)
    with pytest.warns(ConvergenceWarning, match="gamma"):
        table = sev.compare(x, ["lognormal", "gamma", "spliced"], truncation=2e6, n_boot=10,
                            rng=3)
    assert not table.loc["gamma", "converged"]
    assert "threshold" in table.loc["spliced", "note"]
    p = table.loc["lognormal", ["ks_pvalue", "ad_pvalue", "cvm_pvalue"]]
    assert ((p > 0) & (p <= 1)).all()
    again = sev.compare(x, ["lognormal"], truncation=2e6, n_boot=10, rng=3)
    assert again.loc["lognormal", "ks_pvalue"] == table.loc["lognormal", "ks_pvalue"]


def test_compare_models_the_same_losses_even_at_the_truncation_point():
    x = np.append(_truncated(stats.lomax(1.3, scale=1e6), 150, 1e6, 6), [1e6, 1e6])
    table = sev.compare(x, ["lomax", "gpd", "pareto"], truncation=1e6)
    assert (table["n"] == x.size).all()
    # a truncated Lomax is a GPD with loc at the truncation point: the GPD cannot do worse
    assert table.loc["gpd", "loglik"] >= table.loc["lomax", "loglik"] - 1e-6
