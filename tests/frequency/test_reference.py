"""Fits against frozen R output (glm, MASS::glm.nb, pscl::zeroinfl, optim, poisson.test,
actuar::cm, chisq.test); see tests/reference/frequency/make_reference.R for each call.

Tolerances, one per quantity: coefficients, dispersion and log-likelihood 1e-6 relative;
standard errors 1e-6 where R's are analytic (glm, glm.nb with its analytic NB2 Hessian,
optim's Newton-polished zero-truncated fit) and 1e-4 for the zero-inflated fits, whose R
standard errors come from a finite-difference Hessian.
"""

import numpy as np
import pytest
from scipy import stats

import actuarial.frequency as fq

RTOL_COEF = 1e-6
RTOL_LOGLIK = 1e-6
CASES = [
    # (R case, data set, family, fit keywords, rtol of standard errors)
    ("annual_poisson", "annual", "poisson", {"trend": "linear"}, 1e-6),
    ("annual_negbin", "annual", "negbin", {"trend": "linear"}, 1e-6),
    ("grouped_linear", "grouped", "poisson", {"trend": "linear", "covariates": "category"}, 1e-6),
    (
        "grouped_period",
        "grouped",
        "poisson",
        {"trend": "period", "covariates": ["category"]},
        1e-6,
    ),
    ("zip", "zeroinfl", "zip", {"trend": "linear"}, 1e-4),
    ("zinb", "zeroinfl", "zinb", {"trend": "linear"}, 1e-4),
    ("ztpoisson", "ztp", "ztpoisson", {"covariates": "x"}, 1e-6),
]


@pytest.fixture(scope="module", params=CASES, ids=[c[0] for c in CASES])
def case(request, r_values, synthetic):
    name, data, family, kwargs, se_rtol = request.param
    return fq.fit(synthetic(data), family, **kwargs), r_values(name), se_rtol


def test_coefficients(case):
    f, ref, _ = case
    coefs = {q[5:]: v for q, v in ref.items() if q.startswith("coef:")}
    assert set(coefs) <= set(f.params.index)
    got = f.params[list(coefs)].to_numpy()
    np.testing.assert_allclose(got, list(coefs.values()), rtol=RTOL_COEF, atol=1e-12)


def test_standard_errors(case):
    f, ref, se_rtol = case
    ses = {q[3:]: v for q, v in ref.items() if q.startswith("se:")}
    np.testing.assert_allclose(f.bse[list(ses)].to_numpy(), list(ses.values()), rtol=se_rtol)


def test_loglik(case):
    f, ref, _ = case
    assert f.converged
    np.testing.assert_allclose(f.loglik, ref["loglik"], rtol=RTOL_LOGLIK)


def test_nb_dispersion_and_lr_statistic(r_values, annual, synthetic):
    ref = r_values("annual_negbin")
    f = fq.fit(annual, "negbin", trend="linear")
    np.testing.assert_allclose(f.alpha, ref["alpha"], rtol=RTOL_COEF)
    np.testing.assert_allclose(f.theta, ref["theta"], rtol=RTOL_COEF)
    np.testing.assert_allclose(f.lr_test.statistic, ref["lr_stat"], rtol=RTOL_LOGLIK)
    # boundary-corrected p-value: half the chi-square(1) tail
    assert f.lr_test.pvalue == pytest.approx(0.5 * stats.chi2.sf(ref["lr_stat"], 1), rel=1e-6)
    zinb = fq.fit(synthetic("zeroinfl"), "zinb", trend="linear")
    np.testing.assert_allclose(zinb.alpha, r_values("zinb")["alpha"], rtol=RTOL_COEF)


def test_pearson_dispersion(r_values, annual):
    ref = r_values("annual_poisson")
    f = fq.fit(annual, "poisson", trend="linear")
    assert f.df_resid == len(annual) - 2
    np.testing.assert_allclose(f.dispersion, ref["pearson_chi2"] / f.df_resid, rtol=1e-9)


def test_prediction_linear_predictor_and_variance(r_values, annual):
    ref = r_values("annual_poisson")
    f = fq.fit(annual, "poisson", trend="linear")
    d = f.predictive(2025, exposure=200.0)
    np.testing.assert_allclose(d.mean(), np.exp(ref["eta_2025_e200"]), rtol=1e-9)
    x = np.array([1.0, 2025 - 2008])
    s2 = x @ f.cov_params.to_numpy() @ x
    np.testing.assert_allclose(s2, ref["se_eta_2025_e200"] ** 2, rtol=1e-6)


def test_garwood_against_poisson_test(r_values):
    ref = r_values("garwood90")
    for quantity, value in ref.items():
        side, x, t = quantity.split(":")
        lo, hi = fq.garwood_interval(float(x), float(t), level=0.9)
        got = lo if side == "lower" else hi
        np.testing.assert_allclose(got, value, rtol=1e-9, atol=1e-300)


def test_buhlmann_straub_against_actuar(r_values, synthetic):
    ref = r_values("buhlmann_straub")
    res = fq.buhlmann_straub(synthetic("credibility"), by="design")
    np.testing.assert_allclose(res.collective, ref["collective"], rtol=1e-9)
    np.testing.assert_allclose(res.epv, ref["epv"], rtol=1e-9)
    np.testing.assert_allclose(res.vhm, ref["vhm"], rtol=1e-9)
    for group, row in res.table.iterrows():
        np.testing.assert_allclose(row["Z"], ref[f"Z:{group}"], rtol=1e-9)
        np.testing.assert_allclose(row["credibility_rate"], ref[f"premium:{group}"], rtol=1e-9)


def test_monthly_clustering_against_chisq_test(r_values, synthetic):
    ref = r_values("monthly_within_year")
    res = fq.dispersion_test(synthetic("monthly"), within="year")
    np.testing.assert_allclose(res.statistic, ref["statistic"], rtol=1e-12)
    assert res.df == ref["df"]
    np.testing.assert_allclose(res.pvalue, ref["pvalue"], rtol=1e-8)
    # the same check is reported by a fit on monthly counts
    f = fq.fit(synthetic("monthly"), "negbin", trend="linear")
    assert f.clustering == res
    assert "Monthly clustering check" in str(f)
