"""Conditional severity above a reporting threshold, against closed forms."""

import numpy as np
import pytest
from scipy import stats

import actuarial as act
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.severity import left_truncated


def test_lomax_above_threshold_is_lomax_shifted():
    # X ~ Lomax(c, s): X - t | X >= t ~ Lomax(c, s + t)
    c, s, t = 1.4, 2e6, 1e7
    d = left_truncated(stats.lomax(c, scale=s), t)
    ref = stats.lomax(c, loc=t, scale=s + t)
    x = np.array([1e7, 2e7, 1e8, 1e10])
    np.testing.assert_allclose(d.sf(x), ref.sf(x), rtol=1e-12)
    np.testing.assert_allclose(d.ppf([0.1, 0.5, 0.999999]), ref.ppf([0.1, 0.5, 0.999999]),
                               rtol=1e-10)
    assert d.support() == (t, np.inf)


def test_draws_and_engine_use():
    base = stats.lognorm(s=2.0, scale=np.exp(15))
    d = left_truncated(base, 1e7)
    x = d.rvs(size=20_000, random_state=np.random.default_rng(1))
    assert x.min() >= 1e7
    # KS against the conditional cdf computed directly from the base
    cdf = lambda v: 1 - base.sf(v) / base.sf(1e7)  # noqa: E731
    assert stats.kstest(x, cdf).pvalue > 1e-3
    line = act.CompoundModel(stats.poisson(2), d, act.Layer(limit=1e9))
    m1, _ = act.terms.layer_moments(d, act.Layer(limit=1e9))
    assert line.analytic_mean() == pytest.approx(2 * m1)


def test_bad_input():
    with pytest.raises(InvalidTypeError, match="dist"):
        left_truncated(object(), 1.0)
    with pytest.raises(InvalidInputError, match="lower"):
        left_truncated(stats.uniform(0, 1), 2.0)
    with pytest.raises(InvalidInputError, match="lower"):
        left_truncated(stats.expon(), -1.0)


def test_moments_infinite_exactly_when_the_base_is():
    # Lomax(c, s) above t is t + Lomax(c, s + t): mean t + (s + t) / (c - 1) for c > 1
    c, s, t = 2.5, 1.0, 3.0
    d = left_truncated(stats.lomax(c, scale=s), t)
    ref = stats.lomax(c, loc=t, scale=s + t)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-8)
    assert d.var() == pytest.approx(ref.var(), rel=1e-6)
    heavy = left_truncated(stats.lomax(0.9, scale=1.0), 3.0)
    assert heavy.mean() == np.inf
    assert left_truncated(stats.lomax(1.5, scale=1.0), 3.0).var() == np.inf
    line = act.CompoundModel(stats.poisson(2.0), heavy)
    assert not line.has_finite_mean
    with pytest.raises(act.exceptions.InfiniteMeanError):
        act.simulate(line, 100, rng=0).mean()
