"""Limited and layer expected values against numerical integration (scipy ``expect``)."""

from __future__ import annotations

import math

import pytest
from scipy import integrate, stats

import actuarial.severity as sev
from actuarial.exceptions import InfiniteMeanError, InvalidInputError, InvalidTypeError

DISTS = [
    stats.lognorm(1.5, scale=1e6),
    stats.gamma(2.0, scale=1e6),
    stats.weibull_min(0.6, scale=1e6),
    stats.lomax(0.8, scale=1e6),
    stats.lomax(1.0, scale=1e6),
    stats.lomax(2.5, scale=1e6),
    stats.pareto(1.3, scale=1e6),
    stats.pareto(0.7, scale=1e6),
    stats.genpareto(0.6, loc=1e6, scale=2e6),
    stats.genpareto(-0.3, scale=1e6),
    stats.genpareto(1.2, scale=1e6),
    stats.burr12(1.5, 2.0, scale=1e6),
    stats.burr12(1.5, 0.5, scale=1e6),
    stats.fisk(1.5, scale=1e6),
    stats.fisk(0.9, scale=1e6),
    stats.invgamma(1.5, scale=1e6),
    stats.invgamma(0.7, scale=1e6),
    stats.expon(loc=1e5, scale=1e6),  # no closed form here: numerical path
]


def _reference(dist, u):
    """E[min(X, u)] = a + int_a^u S(x) dx for X >= a >= 0, by quadrature in log space."""
    a = max(float(dist.support()[0]), 0.0)
    e = a + 1e-6 * u
    near = integrate.quad(dist.sf, a, e, epsrel=1e-12)[0]
    far = integrate.quad(lambda y: dist.sf(math.exp(y)) * math.exp(y), math.log(e),
                         math.log(u), limit=500, epsrel=1e-12)[0]
    return a + near + far


@pytest.mark.parametrize("dist", DISTS, ids=lambda d: f"{d.dist.name}{d.args}")
@pytest.mark.parametrize("u", [3e5, 5e6, 1e9])
def test_lev_against_quadrature(dist, u):
    assert sev.limited_expected_value(dist, u) == pytest.approx(_reference(dist, u), rel=1e-6)


def test_lev_vectorised_and_mean():
    d = stats.lognorm(1.0, scale=2.0)
    out = sev.limited_expected_value(d, [1.0, 5.0])
    assert out.shape == (2,)
    assert sev.limited_expected_value(d, math.inf) == pytest.approx(d.mean())
    assert sev.limited_expected_value(d, 0.0) == 0.0


def test_layer_definition():
    d = stats.lognorm(1.2, scale=1e6)
    ded, lim = 2e6, 1e7
    ref = integrate.quad(d.sf, ded, ded + lim, epsrel=1e-12, limit=200)[0]  # int S over layer
    assert sev.layer_expected_value(d, ded, lim) == pytest.approx(ref, rel=1e-6)
    assert sev.layer_expected_value(d, ded) == pytest.approx(
        d.mean() - sev.limited_expected_value(d, ded), rel=1e-12)


def test_infinite_mean_needs_a_limit():
    d = stats.lomax(0.9, scale=1e6)
    with pytest.raises(InfiniteMeanError, match="limit"):
        sev.layer_expected_value(d, 1e6)
    with pytest.raises(InfiniteMeanError):
        sev.limited_expected_value(d, math.inf)
    assert math.isfinite(sev.layer_expected_value(d, 1e6, 1e8))


def test_accepts_fits_and_splices():
    res = sev.from_params("spliced", {"body_s": 1.0, "body_scale": 1.0, "tail_c": 0.5,
                                      "tail_scale": 2.0, "tail_weight": 0.1},
                          threshold=4.0)
    got = sev.limited_expected_value(res, 20.0)
    ref = integrate.quad(res.dist.sf, 0.0, 20.0, points=[4.0], epsrel=1e-12)[0]
    assert got == pytest.approx(ref, rel=1e-7)


def test_bad_arguments():
    with pytest.raises(InvalidTypeError, match="dist_or_fit must be a frozen"):
        sev.limited_expected_value(stats.lognorm, 1.0)
    with pytest.raises(InvalidInputError, match="u must be a non-negative"):
        sev.limited_expected_value(stats.lognorm(1.0), -1.0)
    with pytest.raises(InvalidInputError, match="limit must be a positive"):
        sev.layer_expected_value(stats.lognorm(1.0), 1.0, 0.0)
