"""GARCH(1,1)-t against R fGarch (frozen), and the committed calibrations against a refit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import actuarial.volatility as vol

HERE = Path(__file__).parents[1] / "reference" / "volatility"


def test_garch11_t_matches_fgarch():
    """fGarch::garchFit(~garch(1,1), cond.dist="std"); see fgarch_reference.R.

    fGarch starts the variance recursion at the sample variance (init.rec = "mci"), so the
    fit passes that backcast; tolerance 1e-3 relative on parameters and log-likelihood.
    """
    y = pd.read_csv(HERE / "garch11_t_series.csv")["y"]
    ref = pd.read_csv(HERE / "fgarch_garch11_t.csv", index_col="name")["value"]
    f = vol.fit(y, dist="t", backcast=float(np.var(y)))
    for name in ["mu", "omega", "alpha[1]", "beta[1]", "nu"]:
        assert f.params[name] == pytest.approx(ref[name], rel=1e-3), name
    assert f.loglik == pytest.approx(ref["loglik"], rel=1e-3)


@pytest.mark.parametrize(
    "name",
    ["btc_garch_t", "eth_garch_t", "usdc_deviation_ar_garch_t", "usdn_deviation_ar_garch_t"],
)
def test_committed_calibration_is_reproduced(name, data_dir):
    """Real data: refitting the recorded recipe gives the committed numbers."""
    cal = vol.load_calibration(name)
    f = cal.refit(data_dir)
    assert len(f.returns) == cal.source["n"]
    pd.testing.assert_series_equal(f.params, cal.params, rtol=1e-4, check_names=False)
    assert f.loglik == pytest.approx(cal.fit_stats["loglik"], rel=1e-6)
    last = f.last_state()
    np.testing.assert_allclose(last.sigma2, cal.state["sigma2"], rtol=1e-4)


def test_calibrations_simulate_without_data():
    for name in vol.list_calibrations():
        cal = vol.load_calibration(name)
        sim = cal.simulate(10, 100, rng=1)
        assert np.isfinite(sim.values).all() and sim.values.shape == (100, 10)
        assert set(cal.versions) >= {"arch", "numpy", "python"}


def test_calibration_toml_round_trip(tmp_path):
    cal = vol.load_calibration("eth_garch_t")
    path = tmp_path / "copy.toml"
    path.write_text(cal.to_toml())
    back = vol.load_calibration(path)
    pd.testing.assert_series_equal(back.params, cal.params)
    assert back.source == cal.source and back.state == cal.state
