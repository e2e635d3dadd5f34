"""Collateral shortfall (hand-computed paths) and the LGD fit (independent MLE)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.perils import collateral_shortfall, fit_lgd
from actuarial.volatility import load_calibration
from actuarial.volatility._simulate import SimulatedPaths

REPO = Path(__file__).resolve().parents[2]


class _Fixed:
    def __init__(self, prices):
        p = np.asarray(prices, dtype=float)
        self.values = 100 * np.diff(np.log(np.c_[np.ones(len(p)), p]), axis=1)

    def simulate(self, horizon, n_paths, *, rng=None):
        v = self.values[:, :horizon]
        return SimulatedPaths(v, np.ones_like(v), 100.0, "fixed")


def test_bad_debt_by_hand():
    # ltv 0.75, threshold 0.8: breach when price < 0.9375
    prices = [
        [0.99, 0.95, 0.90, 0.60, 0.60],  # breach day 3 (0.90); sold a day later at 0.60
        [0.99, 0.98, 0.97, 0.96, 0.95],  # never breached
        [0.99, 0.70, 0.70, 0.70, 0.70],  # breach day 2 at 0.70, sold day 3 at 0.70
    ]
    loss = collateral_shortfall(
        _Fixed(prices),
        ltv=0.75,
        liquidation_threshold=0.8,
        liquidation_penalty=0.05,
        delay_days=1,
        slippage=0.02,
        horizon_days=4,
        n_paths=3,
        rng=0,
    )
    v1 = 0.60 / 0.75 * 0.98
    v3 = 0.70 / 0.75 * 0.98
    np.testing.assert_allclose(loss.samples, [1 - v1 / 1.05, 0.0, 1 - v3 / 1.05])
    assert loss.liquidated == pytest.approx(2 / 3)
    assert loss.probability == pytest.approx(2 / 3)


def test_no_shortfall_when_price_stays_above_debt():
    prices = [[0.99, 0.93, 0.92, 0.91]]  # liquidated at 0.93: collateral 1.24 > 1.05
    loss = collateral_shortfall(
        _Fixed(prices), delay_days=0, slippage=0.0, horizon_days=4, n_paths=1, rng=0
    )
    assert loss.liquidated == 1.0 and loss.samples[0] == 0.0


def test_eth_calibration_monotone_in_frictions():
    eth = load_calibration("eth_garch_t")
    base = collateral_shortfall(eth, delay_days=0, slippage=0.0, n_paths=4000, rng=9)
    worse = collateral_shortfall(eth, delay_days=2, slippage=0.05, n_paths=4000, rng=9)
    assert worse.expected_shortfall > base.expected_shortfall
    assert (worse.samples >= 0).all() and (worse.samples <= 1).all()
    assert worse.dist.mean() == pytest.approx(worse.expected_shortfall, rel=0.02)
    assert "P(bad debt)" in worse.summary()


def test_collateral_bad_input():
    eth = load_calibration("eth_garch_t")
    with pytest.raises(InvalidInputError, match="liquidation_threshold"):
        collateral_shortfall(eth, ltv=0.8, liquidation_threshold=0.75)
    with pytest.raises(InvalidInputError, match="ltv"):
        collateral_shortfall(eth, ltv=1.5)
    with pytest.raises(InvalidInputError, match="slippage"):
        collateral_shortfall(eth, slippage=1.0)
    with pytest.raises(InvalidTypeError, match="simulate"):
        collateral_shortfall(object())


def test_lgd_fit_against_independent_mle():
    defaults = pd.read_csv(REPO / "datasets" / "defaults.csv")
    r = defaults["recovery_rate"].dropna().to_numpy()
    f = fit_lgd(r)
    lgd = 1 - r
    assert f.params["p0"] == pytest.approx(np.mean(lgd == 0))
    assert f.params["p1"] == pytest.approx(np.mean(lgd == 1))
    inner = lgd[(lgd > 0) & (lgd < 1)]
    ref = optimize.minimize(
        lambda t: -stats.beta.logpdf(inner, *np.exp(t)).sum(),
        [0.0, 0.0],
        method="Nelder-Mead",
        options={"xatol": 1e-10, "fatol": 1e-12},
    )
    assert (f.params["a"], f.params["b"]) == pytest.approx(tuple(np.exp(ref.x)), rel=1e-3)
    k0, k1, n = (lgd == 0).sum(), (lgd == 1).sum(), lgd.size
    ll = -ref.fun + k0 * np.log(k0 / n) + k1 * np.log(k1 / n) + inner.size * np.log(inner.size / n)
    assert f.loglik == pytest.approx(ll, rel=1e-6)
    assert f.dist.mean() == pytest.approx(
        f.params["p1"]
        + (1 - f.params["p0"] - f.params["p1"]) * f.params["a"] / (f.params["a"] + f.params["b"])
    )


def test_lgd_bad_input():
    with pytest.raises(InvalidInputError, match="recovery_rates"):
        fit_lgd([0.5, 1.2, 0.3])
    with pytest.raises(InvalidInputError, match="NaN"):
        fit_lgd([0.5, np.nan, 0.3])
    with pytest.raises(InvalidInputError, match="two distinct"):
        fit_lgd([0.0, 1.0, 0.5])
