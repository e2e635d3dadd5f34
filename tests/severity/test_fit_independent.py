"""Maximised log-likelihoods against an independent scipy.optimize maximisation.

For every family, truncated and untruncated (plus per-loss truncation and censoring for a
few), the package's maximum must equal a direct Nelder-Mead/Powell maximisation of the
hand-written log-likelihood in ``_independent.py`` to 1e-6 relative.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import actuarial.severity as sev

from ._independent import DENSITIES, make_gpd, make_pareto, make_spliced, maximise

REL = 1e-6
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")  # from the Powell reference

# family -> (scipy generator of the simulated losses, true parameters in family order)
CASES = {
    "lognormal": (stats.lognorm(1.5, scale=1e6), [1.5, 1e6]),
    "gamma": (stats.gamma(2.0, scale=1e6), [2.0, 1e6]),
    "weibull": (stats.weibull_min(0.6, scale=1e6), [0.6, 1e6]),
    "lomax": (stats.lomax(1.5, scale=1e6), [1.5, 1e6]),
    "burr12": (stats.burr12(2.0, 0.8, scale=1e6), [2.0, 0.8, 1e6]),
    "loglogistic": (stats.fisk(1.6, scale=1e6), [1.6, 1e6]),
    "invgamma": (stats.invgamma(1.5, scale=1e6), [1.5, 1e6]),
}


def _draw(dist, n, seed, t=None):
    rng = np.random.default_rng(seed)
    if t is None:
        return dist.rvs(n, random_state=rng)
    u = rng.uniform(size=n)
    return dist.isf(u * dist.sf(t))  # exact draws conditioned on X > t


def _check(ours, ll_ind):
    assert ours.converged
    assert abs(ours.loglik - ll_ind) <= REL * abs(ll_ind)
    assert ours.loglik >= ll_ind - REL * abs(ll_ind)


@pytest.mark.parametrize("family", list(CASES))
@pytest.mark.parametrize("truncated", [False, True])
def test_two_and_three_parameter_families(family, truncated):
    dist, theta = CASES[family]
    # a truncated Burr XII is weakly identified: at its median this sample has no interior
    # maximum (see test_boundary.py), so truncate lower
    t = float(dist.ppf(0.1 if family == "burr12" else 0.5)) if truncated else None
    x = _draw(dist, 300, 11, t)
    ours = sev.fit(x, family, truncation=t)
    theta_ind, ll_ind = maximise(DENSITIES[family], theta, [0.0] * len(theta), x, t)
    _check(ours, ll_ind)
    np.testing.assert_allclose(list(ours.params.values()), theta_ind, rtol=2e-3)


@pytest.mark.parametrize("family", ["lognormal", "weibull", "burr12"])
def test_per_loss_truncation_and_censoring(family):
    dist, theta = CASES[family]
    rng = np.random.default_rng(5)
    t = rng.choice([0.0, 2e5, 1e6], size=400)
    x = dist.isf(rng.uniform(size=400) * dist.sf(t))
    limit = np.quantile(x, 0.85)
    cens = x > limit
    x = np.where(cens, limit, x)
    ours = sev.fit(x, family, truncation=t, censoring=cens)
    _, ll_ind = maximise(DENSITIES[family], theta, [0.0] * len(theta), x, t, cens)
    _check(ours, ll_ind)


@pytest.mark.parametrize("truncated", [False, True])
def test_pareto(truncated):
    x = _draw(stats.pareto(1.2, scale=1e6), 300, 3, 2e6 if truncated else None)
    ours = sev.fit(x, "pareto", truncation=2e6 if truncated else None)
    scale = 2e6 if truncated else x.min()
    assert ours.fixed["scale"] == scale
    assert ours.k == (1 if truncated else 2)
    _, ll_ind = maximise(make_pareto(scale), [1.0], [0.0], x)
    _check(ours, ll_ind)
    # closed form MLE of the single-parameter Pareto
    assert ours.params["b"] == pytest.approx(x.size / np.log(x / scale).sum(), rel=1e-6)


@pytest.mark.parametrize("truncated", [False, True])
def test_gpd(truncated):
    t = 2e6 if truncated else None
    x = _draw(stats.lomax(1.4, scale=1e6), 300, 4, t)
    ours = sev.fit(x, "gpd", truncation=t)
    loc = t or 0.0
    theta_ind, ll_ind = maximise(make_gpd(loc), [0.9, 1e6], [-1.0, 0.0], x)
    _check(ours, ll_ind)
    np.testing.assert_allclose([ours.params["c"], ours.params["scale"]], theta_ind, rtol=2e-3)


def test_gpd_peaks_over_threshold():
    x = _draw(stats.lognorm(2.0, scale=1e6), 600, 8)
    u = float(np.quantile(x, 0.8))
    ours = sev.fit(x, "gpd", threshold=u)
    exceed = x[x > u]
    assert ours.n == exceed.size and ours.n_excluded == x.size - exceed.size
    _, ll_ind = maximise(make_gpd(u), [0.5, u], [-1.0, 0.0], exceed)
    _check(ours, ll_ind)
    # scipy's own GPD fit with the location fixed is a third implementation
    c, _, scale = stats.genpareto.fit(exceed, floc=u)
    ll_scipy = stats.genpareto.logpdf(exceed, c, loc=u, scale=scale).sum()
    assert ours.loglik >= ll_scipy - REL * abs(ll_scipy)


@pytest.mark.parametrize("truncated", [False, True])
def test_spliced(truncated):
    t = 3e5 if truncated else None
    x = _draw(stats.lognorm(2.0, scale=1e6), 500, 9, t)
    u = float(np.quantile(x, 0.85))
    ours = sev.fit(x, "spliced", truncation=t, threshold=u)
    p = ours.params
    theta0 = [p["body_s"] * 1.1, p["body_scale"] * 0.9, 0.5, p["tail_scale"], 0.15]
    _, ll_ind = maximise(make_spliced(u), theta0, [0.0] * 5, x, t, rounds=1)
    _check(ours, ll_ind)
    if not truncated:  # the MLE of the tail weight is the empirical exceedance share
        assert p["tail_weight"] == pytest.approx(np.mean(x > u), rel=1e-5)


def test_untruncated_lognormal_closed_form():
    x = _draw(stats.lognorm(1.2, scale=3e5), 200, 1)
    ours = sev.fit(x, "lognormal")
    lx = np.log(x)
    assert ours.params["s"] == pytest.approx(lx.std(), rel=1e-6)
    assert ours.params["scale"] == pytest.approx(np.exp(lx.mean()), rel=1e-6)


def test_integer_weights_equal_repeated_losses():
    x = _draw(stats.weibull_min(0.7, scale=1e6), 120, 2)
    w = np.random.default_rng(0).integers(1, 4, size=x.size)
    weighted = sev.fit(x, "weibull", weights=w, truncation=1e5 if x.min() > 1e5 else None)
    repeated = sev.fit(np.repeat(x, w), "weibull")
    assert weighted.loglik == pytest.approx(repeated.loglik, rel=1e-8)
    assert weighted.bic == pytest.approx(repeated.bic, rel=1e-8)
