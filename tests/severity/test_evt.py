"""Extreme-value tools against closed forms and independent computations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import actuarial.severity as sev
from actuarial.exceptions import InvalidInputError


@pytest.fixture(scope="module")
def pareto_sample():
    return stats.pareto(1.1, scale=1e6).rvs(4000, random_state=np.random.default_rng(7))


def test_hill_matches_the_formula(pareto_sample):
    k = 200
    desc = np.sort(pareto_sample)[::-1]
    xi = np.mean(np.log(desc[:k] / desc[k]))
    est = sev.hill(pareto_sample, k=k)
    assert est.shape == pytest.approx(xi, rel=1e-12)
    assert est.tail_index == pytest.approx(1 / xi, rel=1e-12)
    assert est.std_err == pytest.approx(1 / xi / np.sqrt(k))
    assert est.threshold == desc[k]
    lo, hi = est.conf_int()
    assert lo < 1.1 < hi  # the exact Pareto tail index
    assert "tail index" in str(est)


def test_hill_of_a_pareto_is_the_pareto_mle(pareto_sample):
    # above X_(n-k) the sample is Pareto: Hill = the truncated Pareto MLE
    k = 300
    est = sev.hill(pareto_sample, k=k)
    top = np.sort(pareto_sample)[::-1][: k + 1]
    fit = sev.fit(top[:k], "pareto", threshold=float(top[k]))
    assert fit.params["b"] == pytest.approx(est.tail_index, rel=1e-6)


def test_hill_table_agrees_with_hill(pareto_sample):
    table = sev.hill_table(pareto_sample, ks=[50, 100, 400])
    for k in (50, 100, 400):
        assert table.loc[k, "tail_index"] == pytest.approx(sev.hill(pareto_sample, k).tail_index)
    with pytest.raises(InvalidInputError, match="k must be less than"):
        sev.hill(pareto_sample[:10], k=10)


def test_mean_excess_of_a_gpd_is_linear():
    c, scale = 0.3, 1.0
    x = stats.genpareto(c, scale=scale).rvs(50000, random_state=np.random.default_rng(1))
    table = sev.mean_excess(x, thresholds=[0.5, 1.0, 2.0])
    expected = (scale + c * np.array([0.5, 1.0, 2.0])) / (1 - c)  # GPD mean excess
    np.testing.assert_allclose(table["mean_excess"], expected, rtol=0.05)
    u = 1.0
    assert table.loc[1, "n_exceed"] == int((x > u).sum())
    assert table.loc[1, "mean_excess"] == pytest.approx((x[x > u] - u).mean(), rel=1e-12)


def test_gpd_stability_matches_direct_fits():
    x = stats.lomax(2.0, scale=1.0).rvs(2000, random_state=np.random.default_rng(2))
    levels = np.quantile(x, [0.5, 0.8])
    table = sev.gpd_stability(x, levels)
    for u, row in zip(levels, table.itertuples(), strict=True):
        direct = sev.fit(x, "gpd", threshold=float(u))
        assert row.shape == pytest.approx(direct.params["c"], rel=1e-8)
        # Lomax above u is GPD(c=1/2, scale=(1 + u)/2): modified scale 1/2
        assert row.modified_scale == pytest.approx(0.5, abs=4 * row.modified_scale_se)
    choice = sev.select_threshold(x, min_exceedances=50)
    assert abs(choice.shape - 0.5) < 0.25
    assert "threshold" in str(choice)
