"""Predictive count distributions, parameter uncertainty and thinning.

Checked against closed forms and independent computations: numerical integration of the
gamma mixture, the law of total variance, and explicit binomial thinning sums.
"""

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats
from scipy.optimize import brentq

import actuarial.frequency as fq
from actuarial.exceptions import InvalidInputError, InvalidTypeError

X_2025 = np.array([1.0, 2025 - 2008])


@pytest.fixture(scope="module")
def pois(annual):
    return fq.fit(annual, "poisson", trend="linear")


@pytest.fixture(scope="module")
def nb(annual):
    return fq.fit(annual, "negbin", trend="linear")


def _s2(f):
    k = len(X_2025)
    return float(X_2025 @ f.cov_params.to_numpy()[:k, :k] @ X_2025)


def test_plugin_poisson_is_scipy_poisson(pois, r_values):
    d = pois.predictive(2025, exposure=200.0)
    assert isinstance(d, stats.distributions.rv_frozen)
    assert d.dist.name == "poisson"
    mu = np.exp(r_values("annual_poisson")["eta_2025_e200"])
    assert d.kwds["mu"] == pytest.approx(mu, rel=1e-9)
    assert d.var() == pytest.approx(mu, rel=1e-9)


def test_plugin_negbin_is_nb2(nb, r_values):
    ref = r_values("annual_negbin")
    d = nb.predictive(2025, exposure=200.0)
    assert d.dist.name == "nbinom"
    mu = 200.0 * np.exp(ref["coef:const"] + ref["coef:trend"] * 17)
    assert d.kwds["n"] == pytest.approx(ref["theta"], rel=1e-6)
    assert d.mean() == pytest.approx(mu, rel=1e-6)
    assert d.var() == pytest.approx(mu + ref["alpha"] * mu**2, rel=1e-6)


def test_parameter_uncertainty_poisson_is_gamma_mixture(pois):
    mu = float(pois.predictive(2025, exposure=200.0).mean())
    d = pois.predictive(2025, exposure=200.0, parameter_uncertainty=True)
    assert d.dist.name == "nbinom"
    s2 = _s2(pois)
    k = d.kwds["n"]
    # the gamma mixing law has log-variance s2 (trigamma) and mean mu
    assert special.polygamma(1, k) == pytest.approx(s2, rel=1e-10)
    assert d.mean() == pytest.approx(mu, rel=1e-12)
    assert d.var() == pytest.approx(mu + mu**2 / k, rel=1e-10)
    # pmf equals the gamma mixture of Poisson pmfs, integrated numerically
    gam = stats.gamma(k, scale=mu / k)
    for n in (100, 150, 190):
        mix = integrate.quad(
            lambda lam, n=n: stats.poisson.pmf(n, lam) * gam.pdf(lam), 0, 5 * mu, points=[mu]
        )[0]
        assert d.pmf(n) == pytest.approx(mix, rel=1e-7)


def test_parameter_uncertainty_negbin_matches_two_moments(nb):
    plug = nb.predictive(2025, exposure=200.0)
    d = nb.predictive(2025, exposure=200.0, parameter_uncertainty=True)
    assert d.dist.name == "nbinom"
    mu, alpha = float(plug.mean()), nb.alpha
    # gamma shape whose log-variance is the linear predictor's sampling variance
    k = np.exp(brentq(lambda lk: special.polygamma(1, np.exp(lk)) - _s2(nb), -5, 20))
    gam = stats.gamma(k, scale=mu / k)
    # law of total variance over the gamma rate, by numerical integration
    e_var = integrate.quad(lambda m: (m + alpha * m**2) * gam.pdf(m), 0, np.inf)[0]
    var_e = integrate.quad(lambda m: (m - mu) ** 2 * gam.pdf(m), 0, np.inf)[0]
    assert d.mean() == pytest.approx(mu, rel=1e-10)
    assert d.var() == pytest.approx(e_var + var_e, rel=1e-7)
    assert d.var() > plug.var()


def test_zero_inflated_predictive(synthetic):
    f = fq.fit(synthetic("zeroinfl"), "zip", trend="linear")
    w = f.zero_inflation
    d = f.predictive(130)
    mu = np.exp(f.params["const"] + f.params["trend"] * 130)
    assert d.dist.name == "zipoisson"
    assert d.mean() == pytest.approx((1 - w) * mu, rel=1e-10)
    assert d.pmf(0) == pytest.approx(w + (1 - w) * np.exp(-mu), rel=1e-10)
    du = f.predictive(130, parameter_uncertainty=True)
    assert du.dist.name == "zinegbin"
    assert du.mean() == pytest.approx(d.mean(), rel=1e-10)
    assert du.var() > d.var()


def test_zero_truncated_predictive_is_untruncated_poisson(synthetic):
    f = fq.fit(synthetic("ztp"), "ztpoisson", covariates="x")
    d = f.predictive(covariates={"x": 0.5})
    assert d.dist.name == "poisson"
    assert d.mean() == pytest.approx(np.exp(f.params["const"] + 0.5 * f.params["x"]))
    assert d.pmf(0) > 0


def test_engine_interface_and_reproducibility(nb):
    d = nb.predictive(2025, exposure=200.0, parameter_uncertainty=True)
    a = d.rvs(size=1000, random_state=np.random.default_rng(3))
    b = d.rvs(size=1000, random_state=np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)
    q = d.ppf(0.99)
    assert d.cdf(q) >= 0.99 > d.cdf(q - 1)


def test_default_period_is_next_and_periodindex(annual):
    idx = pd.period_range("2008", periods=len(annual), freq="Y")
    table = annual.set_axis(idx)
    f_int = fq.fit(annual, "poisson", trend="linear")
    f_per = fq.fit(table, "poisson", trend="linear")
    np.testing.assert_allclose(f_per.params, f_int.params, rtol=1e-12)
    assert f_int.predictive(exposure=2.0).mean() == pytest.approx(
        f_int.predictive(2025, exposure=2.0).mean()
    )
    assert f_per.predictive("2025", exposure=2.0).mean() == pytest.approx(
        f_int.predictive(2025, exposure=2.0).mean(), rel=1e-12
    )


def test_period_effects_and_covariates_predict_in_sample(synthetic):
    g = synthetic("grouped")
    f = fq.fit(g, "poisson", trend="period", covariates="category")
    d = f.predictive(2020, covariates={"category": "defi"})
    p = f.params
    assert d.mean() == pytest.approx(np.exp(p["const"] + p["period[2020]"] + p["category[defi]"]))
    with pytest.raises(InvalidInputError, match="period"):
        f.predictive(2025, covariates={"category": "defi"})
    with pytest.raises(InvalidInputError, match="covariates"):
        f.predictive(2020)
    with pytest.raises(InvalidInputError, match="covariates"):
        f.predictive(2020, covariates={"category": "lending"})


def test_predictive_argument_errors(pois):
    with pytest.raises(InvalidInputError, match="exposure"):
        pois.predictive(2025)
    with pytest.raises(InvalidInputError, match="exposure"):
        pois.predictive(2025, exposure=0.0)
    with pytest.raises(InvalidTypeError, match="period"):
        pois.predictive(2025.5, exposure=1.0)


# --- thinning -----------------------------------------------------------------------------
SEV = stats.lognorm(s=2.0, scale=5e6)
Q = SEV.sf(5e7) / SEV.sf(1e7)


def test_thin_rate_and_poisson():
    assert fq.thin(8.0, SEV, 1e7, 5e7) == pytest.approx(8.0 * Q, rel=1e-12)
    np.testing.assert_allclose(fq.thin([1.0, 2.0], SEV, 1e7, 5e7), [Q, 2 * Q])
    d = fq.thin(stats.poisson(8.0), SEV, 1e7, 5e7)
    assert d.dist.name == "poisson"
    assert d.mean() == pytest.approx(8.0 * Q)
    # back again
    assert fq.thin(d, SEV, 5e7, 1e7).mean() == pytest.approx(8.0, rel=1e-12)


def _binomial_thinning(dist, q, kmax=400):
    n = np.arange(kmax + 1)
    pn = dist.pmf(n)
    return np.array([(pn * stats.binom.pmf(j, n, q)).sum() for j in range(30)])


@pytest.mark.parametrize("dist", [stats.nbinom(n=2.5, p=0.2), stats.binom(n=40, p=0.3)])
def test_thin_counts_equals_binomial_thinning(dist):
    thinned = fq.thin(dist, SEV, 1e7, 5e7)
    assert thinned.dist.name == dist.dist.name
    np.testing.assert_allclose(thinned.pmf(np.arange(30)), _binomial_thinning(dist, Q), atol=1e-13)


def test_thin_accepts_fit_like_object_and_rejects_bad_input():
    class FitLike:
        dist = SEV

    assert fq.thin(1.0, FitLike(), 1e7, 5e7) == pytest.approx(Q)
    with pytest.raises(InvalidTypeError, match="severity_dist"):
        fq.thin(1.0, stats.poisson(3.0), 1e7, 5e7)
    with pytest.raises(InvalidInputError, match="from_threshold"):
        fq.thin(1.0, SEV, -1.0, 5e7)
    with pytest.raises(InvalidInputError, match="from_threshold"):
        fq.thin(1.0, stats.uniform(0, 1), 2.0, 3.0)
    with pytest.raises(InvalidInputError, match="rate"):
        fq.thin(-1.0, SEV, 1e7, 5e7)
    with pytest.raises(InvalidTypeError, match="rate"):
        fq.thin(stats.geom(0.3), SEV, 1e7, 5e7)
    with pytest.raises(InvalidInputError, match="binomial"):
        fq.thin(stats.binom(10, 0.9), SEV, 5e7, 1e7)
