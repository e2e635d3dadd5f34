"""Risk measures on samples and discrete distributions: closed forms and atoms."""

import math

import numpy as np
import pytest
from scipy import stats

from actuarial import risk
from actuarial.exceptions import InvalidInputError


def test_var_is_lower_quantile():
    x = [3.0, 1.0, 2.0, 4.0]
    assert risk.value_at_risk(x, 0.5) == 2.0  # F(2) = 0.5 >= 0.5
    assert risk.value_at_risk(x, 0.50001) == 3.0
    assert risk.value_at_risk(x, 0.25) == 1.0
    # numpy's inverted_cdf is the same definition
    rng = np.random.default_rng(0)
    y = rng.normal(size=1001)
    for p in (0.1, 0.5, 0.99, 0.995):
        assert risk.value_at_risk(y, p) == np.quantile(y, p, method="inverted_cdf")


def test_tvar_with_atom_at_zero_differs_from_conditional_mean():
    # 70 % zeros, 30 % ones: TVaR_0.5 = 0 + E[X]/0.5 = 0.6 (the conditional mean would be 0.3)
    x = np.array([0.0] * 70 + [1.0] * 30)
    assert risk.tvar(x, 0.5) == pytest.approx(0.6)
    assert risk.tvar(x, 0.9) == pytest.approx(1.0)
    # definition: VaR + E[(X - VaR)+] / (1 - p)
    assert risk.tvar(x, 0.8) == pytest.approx(1.0)


def test_tvar_atom_at_limit():
    # payments capped at 10 with P(X = 10) = 0.2: TVaR at p >= 0.8 is exactly 10
    x = np.concatenate([np.linspace(0, 9, 80), np.full(20, 10.0)])
    for p in (0.8, 0.9, 0.99):
        assert risk.tvar(x, p) == pytest.approx(10.0)


def test_exponential_closed_forms_within_error():
    rng = np.random.default_rng(42)
    x = rng.exponential(scale=2.0, size=400_000)
    for p in (0.9, 0.99):
        var_true = -2.0 * math.log(1 - p)
        tvar_true = var_true + 2.0
        ev = risk.estimate(x, "var", p)
        et = risk.estimate(x, "tvar", p)
        assert ev.ci_low <= var_true <= ev.ci_high or abs(ev.value - var_true) < 4 * ev.std_error
        assert abs(et.value - tvar_true) < 4 * et.std_error
    epd = risk.estimate(x, "epd", 3.0)
    assert abs(epd.value - 2.0 * math.exp(-1.5)) < 4 * epd.std_error
    ex = risk.estimate(x, "exceedance", 3.0)
    assert abs(ex.value - math.exp(-1.5)) < 4 * ex.std_error
    sd = risk.estimate(x, "std")
    assert abs(sd.value - 2.0) < 4 * sd.std_error


def test_var_interval_coverage():
    # distribution-free order-statistic interval: coverage close to the nominal 95 %
    rng = np.random.default_rng(3)
    true = stats.expon.ppf(0.9)
    hits = 0
    reps = 400
    for _ in range(reps):
        e = risk.estimate(rng.exponential(size=500), "var", 0.9)
        hits += e.ci_low <= true <= e.ci_high
    assert 0.92 <= hits / reps <= 0.995


def test_tvar_standard_error_matches_replication_spread():
    rng = np.random.default_rng(5)
    samples = [rng.lognormal(0, 1, size=20_000) for _ in range(200)]
    values = [risk.tvar(s, 0.99) for s in samples]
    ses = [risk.estimate(s, "tvar", 0.99).std_error for s in samples]
    assert np.median(ses) == pytest.approx(np.std(values, ddof=1), rel=0.2)


def test_epd_and_exceedance():
    x = [0.0, 5.0, 15.0, 20.0]
    assert risk.expected_policyholder_deficit(x, 10.0) == pytest.approx(15.0 / 4)
    assert risk.exceedance_probability(x, 15.0) == 0.25


def test_discrete_measures_match_sample_measures():
    support = np.array([0.0, 1.0, 2.0, 5.0])
    probs = np.array([0.5, 0.3, 0.15, 0.05])
    sample = np.repeat(support, (probs * 100).astype(int))
    for p in (0.5, 0.8, 0.9, 0.96):
        assert risk.discrete_value_at_risk(support, probs, p) == risk.value_at_risk(sample, p)
        assert risk.discrete_tvar(support, probs, p) == pytest.approx(risk.tvar(sample, p))


@pytest.mark.parametrize("p", [0.0, 1.0, -0.1, 1.5, math.nan])
def test_bad_levels(p):
    with pytest.raises(InvalidInputError, match="p"):
        risk.value_at_risk([1.0, 2.0], p)
    with pytest.raises(InvalidInputError):
        risk.estimate([1.0, 2.0], "tvar", p)


def test_bad_samples():
    with pytest.raises(InvalidInputError, match="x"):
        risk.tvar([1.0, math.nan], 0.5)
    with pytest.raises(InvalidInputError, match="x"):
        risk.value_at_risk([], 0.5)
    with pytest.raises(InvalidInputError, match="measure"):
        risk.estimate([1.0, 2.0], "median")
