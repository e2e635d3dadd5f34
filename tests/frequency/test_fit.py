"""Behaviour of fit() and FrequencyFit beyond the R reference values."""

import dataclasses

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import actuarial.frequency as fq
from actuarial.exceptions import ConvergenceWarning

# SYNTHETIC under-dispersed counts (more regular than Poisson): the NB2 dispersion is on its
# boundary alpha = 0.
REGULAR = pd.Series([10, 11, 9, 10, 12, 10, 9, 11, 10, 10], index=range(2015, 2025))


def test_information_criteria_and_intervals(annual):
    f = fq.fit(annual, "negbin", trend="linear")
    assert list(f.params.index) == ["const", "trend", "alpha"]
    assert f.n == len(annual) and f.k == 3
    assert f.aic == pytest.approx(-2 * f.loglik + 6)
    assert f.bic == pytest.approx(-2 * f.loglik + 3 * np.log(len(annual)))
    ci = f.conf_int(0.1)
    z = stats.norm.ppf(0.95)
    np.testing.assert_allclose(ci["lower"], f.params - z * f.bse)
    np.testing.assert_allclose(ci["upper"], f.params + z * f.bse)
    table = f.to_frame()
    assert list(table.columns) == ["estimate", "std_err", "z", "pvalue", "lower", "upper"]
    np.testing.assert_allclose(table["pvalue"], 2 * stats.norm.sf(np.abs(f.params / f.bse)))


def test_summary_renders(annual):
    f = fq.fit(annual, "negbin", trend="linear")
    text = str(f)
    assert text == f.summary().as_text()
    for needle in ("negbin", "Log-likelihood", "Dispersion", "LR poisson vs negbin", "alpha"):
        assert needle in text
    assert "<table" in f.summary().as_html()
    assert "FrequencyFit(family='negbin'" in repr(f)


def test_result_is_immutable(annual):
    f = fq.fit(annual, "poisson")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.loglik = 0.0  # type: ignore[misc]


def test_no_trend_poisson_rate_is_total_over_exposure(annual):
    f = fq.fit(annual, "poisson")
    rate = annual["count"].sum() / annual["exposure"].sum()
    assert np.exp(f.params["const"]) == pytest.approx(rate, rel=1e-10)
    assert f.fitted.to_numpy() == pytest.approx(rate * annual["exposure"].to_numpy(), rel=1e-9)
    assert f.fitted.index.equals(annual.index)


def test_exposure_forms_agree(annual):
    ref = fq.fit(annual, "poisson", trend="linear")
    series = annual["exposure"].sample(frac=1.0, random_state=1)  # shuffled, aligned by period
    by_series = fq.fit(annual["count"], "poisson", trend="linear", exposure=series)
    by_array = fq.fit(
        annual["count"], "poisson", trend="linear", exposure=annual["exposure"].to_numpy()
    )
    by_column = fq.fit(annual.reset_index(), "poisson", trend="linear")  # 'period' column
    for other in (by_series, by_array, by_column):
        np.testing.assert_allclose(other.params, ref.params, rtol=1e-12)


def test_negbin_boundary_warns_and_equals_poisson():
    pois = fq.fit(REGULAR, "poisson")
    with pytest.warns(ConvergenceWarning, match="boundary"):
        nb = fq.fit(REGULAR, "negbin")
    assert nb.alpha == 0.0 and np.isnan(nb.bse["alpha"])
    assert nb.loglik == pytest.approx(pois.loglik)
    assert nb.predictive().dist.name == "poisson"
    assert pois.lr_test.statistic == 0.0 and pois.lr_test.pvalue == 1.0
    assert pois.dispersion < 1


def test_lr_test_reported_for_poisson_fit_too(annual):
    pois = fq.fit(annual, "poisson", trend="linear")
    nb = fq.fit(annual, "negbin", trend="linear")
    assert pois.lr_test == nb.lr_test
    assert pois.lr_test.pvalue < 1e-10  # the synthetic annual counts are NB2 with alpha 0.25


def test_zero_inflation_probability(synthetic):
    f = fq.fit(synthetic("zeroinfl"), "zip", trend="linear")
    assert f.zero_inflation == pytest.approx(1 / (1 + np.exp(-f.params["inflate_const"])))
    assert f.lr_test.null == "zip" and f.lr_test.alternative == "zinb"
    assert fq.fit(synthetic("annual"), "poisson").zero_inflation is None


def test_monthly_argument_reports_clustering(annual, synthetic):
    monthly = synthetic("monthly")
    f = fq.fit(annual, "poisson", trend="linear", monthly=monthly)
    assert f.clustering == fq.dispersion_test(monthly, within="year")
    assert fq.fit(annual, "poisson").clustering is None


def test_dispersion_test_closed_form():
    months = pd.period_range("2022-01", periods=6, freq="M")
    x = np.array([0, 9, 1, 0, 8, 0])
    res = fq.dispersion_test(pd.Series(x, index=months))
    # Fisher's index: sum (x - mean)^2 / mean = 92 / 3 on 5 degrees of freedom
    assert res.statistic == pytest.approx(92 / 3)
    assert res.df == 5 and res.index == pytest.approx(92 / 15)
    assert res.pvalue == pytest.approx(stats.chi2.sf(92 / 3, 5))
    # with exposures, expected counts are proportional to exposure
    e = np.array([1.0, 2, 1, 1, 2, 1])
    res_e = fq.dispersion_test(pd.Series(x, index=months), exposure=e)
    expected = e * x.sum() / e.sum()
    assert res_e.statistic == pytest.approx(((x - expected) ** 2 / expected).sum())
    assert "index of dispersion" in str(res)
