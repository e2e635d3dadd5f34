"""MixedPayout: a scipy-like law with atoms, checked against hand computations."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import actuarial as act
from actuarial.exceptions import InvalidInputError
from actuarial.perils import MixedPayout


def test_cdf_ppf_moments_closed_form():
    d = MixedPayout(0.7, 0.1, stats.beta(2, 3), scale=10.0)
    assert d.cdf(-1) == 0 and d.cdf(0) == pytest.approx(0.7)
    assert d.cdf(5) == pytest.approx(0.7 + 0.2 * stats.beta(2, 3).cdf(0.5))
    assert d.cdf(10) == pytest.approx(1.0) and d.sf(10) == pytest.approx(0.0)
    assert d.ppf(0.7) == 0.0 and d.ppf(0.95) == 10.0
    assert d.ppf(0.8) == pytest.approx(10 * stats.beta(2, 3).ppf(0.5))
    assert d.mean() == pytest.approx(10 * (0.2 * 0.4 + 0.1))
    ex2 = 100 * (0.2 * stats.beta(2, 3).moment(2) + 0.1)
    assert d.var() == pytest.approx(ex2 - d.mean() ** 2)
    x = d.rvs(size=200_000, random_state=1)
    assert (x == 0).mean() == pytest.approx(0.7, abs=0.005)
    assert (x == 10).mean() == pytest.approx(0.1, abs=0.003)


def test_from_samples_keeps_atoms_exactly():
    s = np.r_[np.zeros(600), np.ones(100), np.linspace(0.01, 0.99, 300)]
    d = MixedPayout.from_samples(s)
    assert d.p0 == 0.6 and d.p1 == 0.1
    assert d.mean() == pytest.approx(s.mean(), rel=1e-3)
    c = d.conditional()
    assert c.p0 == 0 and c.p1 == pytest.approx(0.25)


def test_usable_as_compound_severity():
    sev = MixedPayout(0.0, 0.5, stats.uniform(0, 1), scale=1e6)
    line = act.CompoundModel(frequency=stats.poisson(2.0), severity=sev)
    assert line.analytic_mean() == pytest.approx(2.0 * 0.75e6, rel=1e-6)
    sim = act.simulate(line, n_years=20_000, rng=3)
    assert sim.mean() == pytest.approx(1.5e6, rel=0.03)


def test_bad_input():
    with pytest.raises(InvalidInputError, match="p0"):
        MixedPayout(1.5, 0.0)
    with pytest.raises(InvalidInputError, match="continuous"):
        MixedPayout(0.5, 0.2)
    with pytest.raises(InvalidInputError, match="within"):
        MixedPayout.from_samples([0.5, 1.5])
