"""Exact methods: closed forms, Monte Carlo agreement, known pitfalls, bad input."""

import math
import warnings

import numpy as np
import pytest
from scipy import stats

import actuarial as act
from actuarial.exact import discretize_severity
from actuarial.exceptions import (
    GridAccuracyError,
    InfiniteMeanError,
    InvalidInputError,
    InvalidTypeError,
    TailMassWarning,
)


@pytest.mark.parametrize("method", ["fft", "panjer"])
@pytest.mark.parametrize(
    "freq", [stats.poisson(3.0), stats.nbinom(2.5, 0.4), stats.binom(6, 0.3)],
    ids=["poisson", "nbinom-noninteger", "binom"],
)
def test_compound_exponential_closed_form(method, freq, compound_exponential):
    exact = compound_exponential(freq, theta=1.0)
    rtol = 1e-3 if method == "panjer" else 1e-4  # Panjer is O(n^2): a coarser grid
    agg = act.aggregate(act.CompoundModel(freq, stats.expon()), method, rtol=rtol)
    assert agg.mean() == pytest.approx(float(freq.mean()), rel=1e-8)
    var_n, mean_n = float(freq.var()), float(freq.mean())
    assert agg.std() ** 2 == pytest.approx(mean_n * 1.0 + var_n * 1.0, rel=rtol)
    for p in (0.9, 0.99, 0.995):
        assert agg.tvar(p) == pytest.approx(exact.tvar(p), rel=3 * rtol)
        assert abs(agg.quantile(p) - exact.var(p)) <= 2 * agg.h
    assert agg.cdf(0.0) == pytest.approx(float(freq.pmf(0)), abs=agg.h)


def test_compound_poisson_mean_and_variance_lognormal_layer():
    lam = 3.0
    sev = stats.lognorm(s=2.0, scale=math.exp(15))
    layer = act.Layer(deductible=1e6, limit=9.9e7)
    line = act.CompoundModel(stats.poisson(lam), sev, layer)
    agg = act.aggregate(line)
    m1, m2 = act.terms.layer_moments(sev, layer)
    assert agg.mean() == pytest.approx(lam * m1, rel=1e-8)
    assert agg.std() ** 2 == pytest.approx(lam * m2, rel=1e-6)
    assert agg.tail_error <= 1e-4 and agg.resolution_error <= 1e-4
    assert agg.lost_mass < 1e-12


def test_fft_agrees_with_monte_carlo():
    line = act.CompoundModel(
        stats.nbinom(1.7, 0.35),
        stats.lognorm(s=1.8, scale=math.exp(14)),
        act.Layer(deductible=5e5, limit=5e7, share=0.8),
    )
    agg = act.aggregate(line)
    sim = act.simulate(line, 400_000, rng=21)
    for p in (0.9, 0.99, 0.995):
        ev, et = sim.estimate("var", p), sim.estimate("tvar", p)
        assert abs(agg.quantile(p) - ev.value) < 4 * ev.std_error + agg.h
        assert abs(agg.tvar(p) - et.value) < 4 * et.std_error
    em = sim.estimate("mean")
    assert abs(agg.mean() - em.value) < 4 * em.std_error


def test_panjer_equals_fft_on_the_same_grid():
    line = act.CompoundModel(stats.poisson(4.0), stats.gamma(2.0, scale=3.0), act.Layer(limit=20))
    kw = {"h": 0.1, "n_points": 4096, "rtol": 1e-2}
    a = act.aggregate(line, "fft", **kw)
    b = act.aggregate(line, "panjer", **kw)
    np.testing.assert_allclose(a.probs, b.probs, atol=1e-12)


def test_zero_payment_probability_kept_under_deductible():
    # Exp(theta) ground-up, deductible d: P(no payment in the year) = exp(-lambda e^{-d/theta})
    lam, theta, d = 2.0, 1.0, 1.5
    line = act.CompoundModel(stats.poisson(lam), stats.expon(scale=theta), act.Layer(deductible=d))
    p0 = math.exp(-lam * math.exp(-d / theta))
    for disc in ("moment", "rounding"):
        agg = act.aggregate(line, discretisation=disc)
        assert agg.cdf(0.0) >= p0 - 1e-12
        assert agg.cdf(0.0) == pytest.approx(p0, abs=5 * agg.h)
    # and the memoryless property gives the whole distribution: compound Poisson(lam e^{-d})
    # of Exp(theta); its mean is checked exactly
    agg = act.aggregate(line)
    assert agg.mean() == pytest.approx(lam * math.exp(-d / theta) * theta, rel=1e-6)


def test_aggregate_limit_atom_and_tvar(compound_exponential):
    freq = stats.poisson(3.0)
    exact = compound_exponential(freq, theta=1.0)
    ad, al = 1.0, 4.0
    line = act.CompoundModel(freq, stats.expon(), act.Layer(aggregate_deductible=ad,
                                                             aggregate_limit=al))
    agg = act.aggregate(line)
    atom = 1.0 - exact.cdf(ad + al)[0]  # P(S >= AD + AL)
    assert agg.probs[-1] == pytest.approx(atom, abs=1e-4)
    assert agg.support[-1] == pytest.approx(al)
    assert agg.lost_mass == 0.0
    # beyond the atom the TVaR is the limit itself
    p = 1.0 - atom / 2
    assert agg.tvar(p) == pytest.approx(al)
    # P(no payment) = P(S <= AD)
    assert agg.cdf(0.0) == pytest.approx(exact.cdf(ad)[0], abs=1e-4)
    # Monte Carlo agrees
    sim = act.simulate(line, 200_000, rng=4)
    et = sim.estimate("tvar", 0.9)
    assert abs(agg.tvar(0.9) - et.value) < 4 * et.std_error + 1e-3


def test_heavy_tail_tvar_not_biased_by_truncation():
    # One possible event (Bernoulli frequency) of a Lomax(c=2.5) loss: TVaR has a closed form.
    # A grid stopping at cdf 1 - 1e-6 would lose ~2% of TVaR 99.9 here.
    q, c, sigma = 0.05, 2.5, 1.0
    line = act.CompoundModel(stats.binom(1, q), stats.lomax(c, scale=sigma))
    agg = act.aggregate(line, rtol=1e-3, levels=(0.99, 0.999))
    for p in (0.99, 0.999):
        v = stats.lomax.ppf((p - (1 - q)) / q, c, scale=sigma)
        excess = sigma / (c - 1) * (1 + v / sigma) ** (1 - c)  # E[(X - v)+] for the Lomax
        expected = v + q * excess / (1 - p)
        assert agg.tvar(p) == pytest.approx(expected, rel=3e-3)
    assert agg.tail_error <= 1e-3
    # the grid reaches far beyond the 1 - 1e-6 quantile of the loss
    assert agg.support[-1] > stats.lomax.ppf(1 - 1e-6, c, scale=sigma)


def test_infinite_mean_without_limit():
    line = act.CompoundModel(stats.poisson(1.0), stats.lomax(0.9, scale=1.0))
    with pytest.raises((GridAccuracyError, InfiniteMeanError)):
        act.aggregate(line, max_points=2**16).tvar(0.99)
    capped = act.CompoundModel(stats.poisson(1.0), stats.lomax(0.9, scale=1.0),
                               act.Layer(limit=1e3))
    agg = act.aggregate(capped)
    assert math.isfinite(agg.tvar(0.99))


def test_discretisation_preserves_mean():
    sev = stats.weibull_min(0.7, scale=5.0)
    layer = act.Layer(deductible=1.0, limit=40.0, share=0.5)
    f = discretize_severity(sev, layer, h=0.1, n=1000)
    m1, _ = act.terms.layer_moments(sev, layer)
    assert f.sum() == pytest.approx(1.0, abs=1e-12)
    assert float(np.arange(1000) * 0.1 @ f) == pytest.approx(m1, rel=1e-9)


def test_fixed_coarse_grid_warns():
    line = act.CompoundModel(stats.poisson(3.0), stats.expon())
    with pytest.warns(TailMassWarning, match="rtol"):
        act.aggregate(line, h=1.0, n_points=16)


def test_bad_input():
    line = act.CompoundModel(stats.poisson(3.0), stats.expon())
    with pytest.raises(InvalidInputError, match="method"):
        act.aggregate(line, "simpson")
    with pytest.raises(InvalidTypeError, match="model"):
        act.aggregate(act.Portfolio([line]))
    with pytest.raises(InvalidInputError, match="rtol"):
        act.aggregate(line, rtol=0.0)
    with pytest.raises(InvalidInputError, match="levels"):
        act.aggregate(line, levels=[0.5, 1.2])
    with pytest.raises(InvalidInputError, match="h"):
        act.aggregate(line, h=-1.0)
    with pytest.raises(GridAccuracyError, match="max_points"):
        act.aggregate(line, rtol=1e-9, max_points=1024)
    with pytest.raises(InvalidInputError, match="panjer"):
        act.aggregate(act.CompoundModel(stats.geom(0.5, loc=-1), stats.expon()), "panjer")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        agg = act.aggregate(act.CompoundModel(stats.geom(0.5, loc=-1), stats.expon()))
    assert agg.mean() == pytest.approx(1.0, rel=1e-6)  # geometric on {0,1,...}, mean 1


def test_infinite_mean_quantiles_agree_with_monte_carlo():
    # Tail index 0.8: no mean, no TVaR; the grid is set by the lost probability and the VaR.
    line = act.CompoundModel(stats.poisson(2.0), stats.lomax(0.8, scale=1.0))
    agg = act.aggregate(line, rtol=1e-2, levels=(0.99,))
    assert agg.lost_mass <= 1e-2 * (1 - 0.99)
    sim = act.simulate(line, 1_000_000, rng=5)
    e = sim.estimate("var", 0.99)
    assert abs(agg.quantile(0.99) - e.value) < 4 * e.std_error + 3 * agg.h
    with pytest.raises(InfiniteMeanError):
        agg.tvar(0.99)


def test_var_target_reaches_heavy_finite_mean_tails():
    # Tail index 1.05: the mean exists but the expected value off any grid decays too slowly
    # for a TVaR accuracy; target="var" asks only for quantiles.
    line = act.CompoundModel(stats.poisson(2.0), stats.lomax(1.05, scale=1.0))
    with pytest.raises(GridAccuracyError, match="target='var'"):
        act.aggregate(line, rtol=1e-2, levels=(0.99,), max_points=2**18)
    agg = act.aggregate(line, rtol=1e-2, levels=(0.99,), target="var")
    sim = act.simulate(line, 1_000_000, rng=6)
    e = sim.estimate("var", 0.99)
    assert abs(agg.quantile(0.99) - e.value) < 4 * e.std_error + 3 * agg.h


def test_discretize_and_discrete_measures_check_input():
    with pytest.raises(InvalidInputError, match="h"):
        discretize_severity(stats.expon(), act.Layer(), h=-1.0, n=10)
    with pytest.raises(InvalidInputError, match="n"):
        discretize_severity(stats.expon(), act.Layer(), h=1.0, n=0)
    with pytest.raises(InvalidTypeError, match="layer"):
        discretize_severity(stats.expon(), {"limit": 1}, h=1.0, n=10)
    with pytest.raises(InvalidInputError, match="same length"):
        act.risk.discrete_tvar([0.0, 1.0], [0.5], 0.9)
    with pytest.raises(InvalidInputError, match="sorted"):
        act.risk.discrete_value_at_risk([1.0, 0.0], [0.5, 0.5], 0.9)
    assert act.risk.discrete_value_at_risk([0.0, 1.0], [0.5, 0.5], 0.9) == 1.0
