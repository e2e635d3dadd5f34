"""Depeg model: rates, depth and duration fits, trigger probabilities, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, special, stats

from actuarial.exceptions import InvalidInputError
from actuarial.perils import (
    DepegEpisodeModel,
    depeg_cover_loss,
    depeg_exposure,
    fit_depeg_model,
    load_depeg_exposure,
)
from actuarial.volatility import load_calibration
from actuarial.volatility._simulate import SimulatedPaths

REPO = Path(__file__).resolve().parents[2]
DEPEGS = pd.read_csv(REPO / "datasets" / "depegs.csv", parse_dates=["start_date", "end_date"])


@pytest.fixture(scope="module")
def model() -> DepegEpisodeModel:
    return fit_depeg_model(DEPEGS, load_depeg_exposure())


def test_rates_are_counts_over_observed_years(model):
    expo = load_depeg_exposure()
    ep = DEPEGS[DEPEGS["price_file"].notna() & DEPEGS["stablecoin"].isin(expo.index)]
    design = ep["stablecoin"].map(expo["design"])
    expected = design.value_counts() / expo.groupby("design")["years"].sum()
    pd.testing.assert_series_equal(model.rates["rate"], expected.sort_index(), check_names=False)
    lo, hi = stats.chi2.ppf([0.025, 0.975], [2 * 37, 2 * 38]) / 2
    fiat = model.rates.loc["fiat-backed"]
    assert fiat["count"] == 37
    assert (fiat["lower"], fiat["upper"]) == pytest.approx(
        (lo / fiat["exposure"], hi / fiat["exposure"])
    )


def test_depth_and_duration_fits_are_mles(model):
    """Independent optimisations (Nelder-Mead on the raw likelihoods) agree."""
    g = model.episodes[model.episodes["design"] == "algorithmic"]
    y = (g["depth"].to_numpy() - 0.02) / 0.98

    def nll_beta(t):
        return -stats.beta.logpdf(y, *np.exp(t)).sum()

    ref = optimize.minimize(
        nll_beta,
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 10_000},
    )
    a, b = np.exp(ref.x)
    fit = model.depth.loc["algorithmic"]
    assert (fit["a"], fit["b"]) == pytest.approx((a, b), rel=1e-3)

    k, cens = g["days"].to_numpy() - 1, g["open"].to_numpy()

    def nll_nb(t):
        r, p = np.exp(t[0]), special.expit(t[1])
        return -(
            stats.nbinom.logpmf(k[~cens], r, p).sum()
            + np.log(stats.nbinom.sf(k[cens] - 1, r, p)).sum()
        )

    ref = optimize.minimize(
        nll_nb,
        [1.0, -2.0],
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 10_000},
    )
    dur = model.duration.loc["algorithmic"]
    assert dur["r"] == pytest.approx(np.exp(ref.x[0]), rel=1e-3)
    assert dur["p"] == pytest.approx(special.expit(ref.x[1]), rel=1e-3)
    assert "hybrid" in model.rates.index and "hybrid" not in model.depth.index  # 4 episodes


def test_episode_trigger_probability_closed_form():
    """With independent depth and duration, P(claim) = 1 - exp(-lambda q), q a series."""
    m = DepegEpisodeModel(
        rates=pd.DataFrame({"rate": [2.0]}, index=["x"]),
        depth=pd.DataFrame({"a": [0.5], "b": [3.0]}, index=["x"]),
        duration=pd.DataFrame({"r": [0.8], "p": [0.1]}, index=["x"]),
        rho=pd.Series({"x": 0.0}),
    )
    trigger, n_days, period = 0.95, 3, 365
    lo, cut = 0.02, 0.05

    # B = floor(L (D - cut) / (D - lo)) >= N  <=>  L > N and D >= (cut - lo N/L) / (1 - N/L)
    ell = np.arange(n_days + 1, int(stats.nbinom.ppf(1 - 1e-13, 0.8, 0.1)) + 2)
    d_star = (cut - lo * n_days / ell) / (1 - n_days / ell)
    q = float(
        np.sum(stats.nbinom.pmf(ell - 1, 0.8, 0.1) * stats.beta.sf((d_star - lo) / 0.98, 0.5, 3.0))
    )
    p_true = -np.expm1(-2.0 * period / 365.25 * q)
    loss = depeg_cover_loss(m, design="x", trigger=trigger, n_days=n_days, n_sims=200_000, rng=4)
    assert abs(loss.probability - p_true) < 4 * loss.probability_se
    assert loss.expected_payout == pytest.approx(loss.probability)  # full payout


class _FixedPaths:
    """A price-path model returning given log-price paths (x 1e4)."""

    def __init__(self, prices):
        self.values = 1e4 * np.log(np.asarray(prices, dtype=float))

    def simulate(self, horizon, n_paths, *, rng=None, start="last"):
        return SimulatedPaths(self.values[:, :horizon], np.ones_like(self.values), 1e4, "x")


def test_path_rule_counts_consecutive_days(monkeypatch):
    import actuarial.perils.depeg as dp

    prices = np.array(
        [
            [1.0, 0.94, 0.94, 1.0, 0.94, 0.93, 0.90, 0.96, 1.0],  # run of 3 from day 4: claim
            [1.0, 0.94, 0.94, 1.0, 0.94, 0.94, 1.0, 1.0, 1.0],  # runs of 2 only
        ]
    )
    monkeypatch.setattr(dp, "VolatilityFit", _FixedPaths)
    full = depeg_cover_loss(
        _FixedPaths(prices), trigger=0.95, n_days=3, period_days=9, n_sims=2, rng=0
    )
    np.testing.assert_array_equal(full.samples, [1.0, 0.0])
    prop = depeg_cover_loss(
        _FixedPaths(prices),
        trigger=0.95,
        n_days=3,
        period_days=9,
        n_sims=2,
        payout="proportional",
        rng=0,
    )
    np.testing.assert_allclose(prop.samples, [0.10, 0.0])


def test_price_path_model_is_seeded_and_usable():
    cal = load_calibration("usdn_deviation_ar_garch_t")
    a = depeg_cover_loss(cal, trigger=0.95, n_days=3, n_sims=2000, rng=5)
    b = depeg_cover_loss(cal, trigger=0.95, n_days=3, n_sims=2000, rng=5)
    np.testing.assert_array_equal(a.samples, b.samples)
    line = a.compound_model(cover=1e6)
    assert line.analytic_mean() == pytest.approx(a.probability * 1e6, rel=1e-6)
    assert "trigger 0.95" in a.summary()


def test_bad_input(model):
    for bad in (1.2, -0.1, 0.0):
        with pytest.raises(InvalidInputError, match="trigger"):
            depeg_cover_loss(model, design="fiat-backed", trigger=bad)
    with pytest.raises(InvalidInputError, match="trigger must not exceed"):
        depeg_cover_loss(model, design="fiat-backed", trigger=0.99)
    with pytest.raises(InvalidInputError, match="design"):
        depeg_cover_loss(model, design="hybrid")
    with pytest.raises(InvalidInputError, match="payout"):
        depeg_cover_loss(model, design="fiat-backed", payout="half")
    with pytest.raises(InvalidInputError, match="n_days"):
        depeg_cover_loss(model, design="fiat-backed", n_days=0)


def test_committed_exposure_is_reproduced(data_dir):
    """Real data: the committed stablecoin-years equal a recount from the price files."""
    fresh = depeg_exposure(data_dir)
    committed = load_depeg_exposure()
    pd.testing.assert_frame_equal(fresh, committed, check_dtype=False, atol=1e-6)
