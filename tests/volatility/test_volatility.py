"""Volatility fits: arch equivalence, simulation, back-tests, diagnostics, bad input."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from arch import arch_model
from scipy import stats
from statsmodels.stats.diagnostic import acorr_ljungbox

import actuarial.volatility as vol
from actuarial.exceptions import ConvergenceError, InvalidInputError
from actuarial.volatility._simulate import simulate_paths

REF = pd.read_csv(
    __import__("pathlib").Path(__file__).parents[1] / "reference/volatility/garch11_t_series.csv"
)["y"]

TRUE = {"mu": 0.05, "omega": 0.1, "alpha[1]": 0.1, "beta[1]": 0.85, "nu": 6.0}


@pytest.fixture(scope="module")
def fitted() -> vol.VolatilityFit:
    return vol.fit(REF, dist="t")


@pytest.mark.parametrize(
    ("kw", "arch_kw"),
    [
        ({"dist": "t"}, {"dist": "t"}),
        ({"vol": "gjr", "dist": "skewt"}, {"o": 1, "dist": "skewt"}),
        ({"vol": "egarch", "o": 1, "dist": "ged"}, {"vol": "EGARCH", "o": 1, "dist": "ged"}),
        ({"mean": "ar", "dist": "normal"}, {"mean": "AR", "lags": 1}),
        ({"mean": "zero"}, {"mean": "Zero"}),
    ],
)
def test_fit_reproduces_arch_exactly(kw, arch_kw):
    f = vol.fit(REF, **kw)
    ref = arch_model(REF.rename("y"), rescale=False, **arch_kw).fit(disp="off")
    np.testing.assert_array_equal(f.params.to_numpy(), ref.params.to_numpy())
    assert f.loglik == ref.loglikelihood and f.aic == ref.aic and f.bic == ref.bic
    np.testing.assert_array_equal(f.conditional_volatility, ref.conditional_volatility)
    assert f.n == ref.nobs and f.converged


def test_fit_result_interface(fitted):
    assert set(fitted.params.index) == set(TRUE)
    assert fitted.to_frame().shape == (5, 4)
    assert "GARCH(1,1)-t" in str(fitted)
    ci = fitted.conf_int()
    inside = [(ci.loc[k].iloc[0] < v < ci.loc[k].iloc[1]) for k, v in TRUE.items()]
    assert sum(inside) >= 4  # 95 % intervals around the true values of the simulation
    z = fitted.std_resid.to_numpy()
    np.testing.assert_allclose(z, fitted.resid / fitted.conditional_volatility)


def test_forecast_closed_form(fitted):
    """GARCH(1,1) h-step variance: s2 + (a+b)^(h-1) (sigma2_{T+1} - s2)."""
    fc = fitted.forecast(10)
    p = fitted.params
    s2 = p["omega"] / (1 - p["alpha[1]"] - p["beta[1]"])
    h = np.arange(1, 11)
    expected = s2 + (p["alpha[1]"] + p["beta[1]"]) ** (h - 1) * (fc["variance"].iloc[0] - s2)
    np.testing.assert_allclose(fc["variance"], expected, rtol=1e-10)
    np.testing.assert_allclose(fc["mean"], p["mu"])


def test_simulation_matches_arch_forecast_paths(fitted):
    """Same shocks through our recursion and arch's simulation forecast: same paths."""
    shocks = np.random.default_rng(5).standard_normal((50, 20))
    res = fitted.result.forecast(
        horizon=20, method="simulation", simulations=50, rng=lambda size: shocks, reindex=False
    )
    y, s2 = simulate_paths(
        fitted.spec, fitted.params.to_numpy(), fitted.last_state(), 20, 50, lambda size: shocks
    )
    np.testing.assert_allclose(y, res.simulations.values[-1], rtol=1e-10)
    np.testing.assert_allclose(s2, res.simulations.residual_variances[-1], rtol=1e-10)


@pytest.mark.parametrize("spec", [{"mean": "ar"}, {"vol": "gjr"}, {"vol": "egarch", "o": 1}])
def test_simulation_matches_arch_other_models(spec):
    f = vol.fit(REF, **spec)
    shocks = np.random.default_rng(6).standard_normal((20, 15))
    res = f.result.forecast(
        horizon=15, method="simulation", simulations=20, rng=lambda size: shocks, reindex=False
    )
    y, _ = simulate_paths(f.spec, f.params.to_numpy(), f.last_state(), 15, 20, lambda size: shocks)
    np.testing.assert_allclose(y, res.simulations.values[-1], rtol=1e-9)


@pytest.mark.parametrize("method", ["parametric", "bootstrap"])
def test_simulated_unconditional_variance(method):
    """Stationary paths reproduce omega / (1 - alpha - beta) within Monte Carlo error."""
    f = vol.from_params(
        {"mu": 0.0, "omega": 0.2, "alpha[1]": 0.1, "beta[1]": 0.7, "nu": 8.0}, REF, dist="t"
    )
    assert f.unconditional_variance == pytest.approx(1.0)
    sim = f.simulate(40, 20_000, rng=11, method=method, start="stationary", burn=200)
    x = sim.values  # columns are 40 draws of the stationary law per path
    batch = (x**2).mean(axis=1)  # independent across paths
    se = batch.std(ddof=1) / np.sqrt(len(batch))
    assert abs(batch.mean() - 1.0) < 4 * se


def test_simulation_is_seeded_and_prices(fitted):
    a = fitted.simulate(5, 10, rng=3)
    b = fitted.simulate(5, 10, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.values, b.values)
    prices = a.prices(100.0)
    np.testing.assert_allclose(prices[:, 0], 100 * np.exp(a.values[:, 0] / 100))
    assert a.to_frame().shape == (5, 3)


def test_ljung_box_equals_statsmodels(fitted):
    z = fitted.std_resid.dropna().to_numpy()
    ours = vol.ljung_box(fitted, [5, 10])
    ref = acorr_ljungbox(z**2, lags=[5, 10], return_df=True)
    pd.testing.assert_frame_equal(ours, ref)
    assert ours["lb_pvalue"].min() > 0.01  # a well-specified model leaves no clustering


def test_kupiec_against_binomial_likelihoods():
    hits = np.zeros(500)
    hits[[10, 50, 51, 300, 301, 302, 450, 460, 470]] = 1
    x, n, a = 9, 500, 0.01
    lr = 2 * (stats.binom.logpmf(x, n, x / n) - stats.binom.logpmf(x, n, a))
    t = vol.kupiec_test(hits, a)
    assert t.statistic == pytest.approx(lr, rel=1e-12)
    assert t.p_value == pytest.approx(stats.chi2.sf(lr, 1))


def test_christoffersen_against_markov_likelihood():
    rng = np.random.default_rng(8)
    hits = (rng.random(400) < 0.08).astype(int)
    hits[100:104] = 1
    ll = {0: 0.0, 1: 0.0}
    trans = np.zeros((2, 2))
    for i, j in itertools.pairwise(hits):
        trans[i, j] += 1
    p01 = trans[0, 1] / trans[0].sum()
    p11 = trans[1, 1] / trans[1].sum()
    pi = trans[:, 1].sum() / trans.sum()
    ll[1] = stats.binom.logpmf(trans[0, 1], trans[0].sum(), p01) + stats.binom.logpmf(
        trans[1, 1], trans[1].sum(), p11
    )
    ll[0] = stats.binom.logpmf(trans[0, 1], trans[0].sum(), pi) + stats.binom.logpmf(
        trans[1, 1], trans[1].sum(), pi
    )
    assert vol.christoffersen_test(hits).statistic == pytest.approx(2 * (ll[1] - ll[0]))


def test_backtest_well_specified_model():
    bt = vol.backtest(REF, alpha=0.05, test_size=500, dist="t")
    assert bt.n == 500
    assert bt.kupiec.p_value > 0.01 and bt.conditional.p_value > 0.01
    # the forecasts use parameters estimated before the test period
    f0 = vol.fit(REF, dist="t", last_obs=1500)
    q = f0.std_quantile(0.05)
    row = bt.table.iloc[0]
    assert row["var"] == pytest.approx(-(row["mean"] + row["volatility"] * q))
    assert "exceedances" in bt.summary()


def test_select_ranks_by_bic():
    table = vol.select(REF, [{"dist": "normal"}, {"dist": "t"}, {"vol": "gjr", "dist": "t"}])
    assert table["bic"].is_monotonic_increasing
    assert table.index[0].endswith("-t")


def test_bad_input():
    with pytest.raises(InvalidInputError, match="returns contains 1 NaN"):
        vol.fit(np.r_[REF.to_numpy()[:300], np.nan])
    with pytest.raises(InvalidInputError, match="too short"):
        vol.fit(REF[:50])
    with pytest.raises(InvalidInputError, match="vol must be one of"):
        vol.fit(REF, vol="figarch")
    with pytest.raises(InvalidInputError, match="dist must be one of"):
        vol.fit(REF, dist="cauchy")
    dup = pd.Series(REF.to_numpy()[:200], index=pd.DatetimeIndex(["2020-01-01"] * 200))
    with pytest.raises(InvalidInputError, match="duplicated"):
        vol.fit(dup)
    with pytest.raises(InvalidInputError, match="params must have exactly"):
        vol.from_params({"mu": 0.0}, REF)


def test_nonconvergence_says_so(monkeypatch):
    """An optimiser stopped after one iteration: the error says so and lists remedies."""
    from arch.univariate.base import ARCHModel

    original = ARCHModel.fit
    monkeypatch.setattr(
        ARCHModel, "fit", lambda self, **kw: original(self, options={"maxiter": 1}, **kw)
    )
    with pytest.raises(ConvergenceError, match=r"did not converge.*Remedies"):
        vol.fit(REF, dist="t")
