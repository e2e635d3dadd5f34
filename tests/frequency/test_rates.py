"""Per-unit rates with Garwood intervals and Bühlmann-Straub credibility."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import actuarial.frequency as fq


@pytest.mark.parametrize("lam", [0.3, 1.7, 4.0, 12.5])
def test_garwood_coverage_is_at_least_nominal(lam):
    # exact coverage of the interval for a Poisson mean lam, summed over the pmf
    x = np.arange(0, 200)
    lo, hi = fq.garwood_interval(x, 1.0, level=0.9)
    coverage = stats.poisson.pmf(x, lam)[(lo <= lam) & (lam <= hi)].sum()
    assert coverage >= 0.9


def test_garwood_zero_count_closed_form():
    lo, hi = fq.garwood_interval(0, 10.0, level=0.95)
    assert lo == 0.0
    assert hi == pytest.approx(-np.log(0.025) / 10.0, rel=1e-12)


def test_unit_rates_by_group():
    # SYNTHETIC depeg-like table: counts per stablecoin-year cell
    t = pd.DataFrame(
        {
            "design": ["fiat", "fiat", "algo", "algo", "crypto"],
            "count": [1, 0, 3, 2, 0],
            "exposure": [20.0, 30.0, 6.0, 4.0, 12.0],
        }
    )
    res = fq.unit_rates(t, by="design", level=0.9, horizon=1.0)
    table = res.to_frame()
    assert list(table.index) == ["algo", "crypto", "fiat"]
    assert table.loc["algo", "count"] == 5 and table.loc["algo", "exposure"] == 10
    assert table.loc["algo", "rate"] == pytest.approx(0.5)
    lo, hi = fq.garwood_interval(5, 10.0, level=0.9)
    assert table.loc["algo", "lower"] == pytest.approx(lo)
    assert table.loc["algo", "prob"] == pytest.approx(1 - np.exp(-0.5))
    assert table.loc["algo", "prob_upper"] == pytest.approx(1 - np.exp(-hi))
    assert table.loc["crypto", "lower"] == 0.0
    assert "Garwood" in str(res)
    plain = fq.unit_rates([5, 0], [10.0, 12.0], horizon=2.0).to_frame()
    assert plain["prob"].iloc[0] == pytest.approx(1 - np.exp(-1.0))


def test_buhlmann_straub_poisson_epv_hand_computed():
    # one cell per group: rates 0.2 and 0.8, overall 0.5 = EPV under Poisson;
    # VHM = (10*0.09 + 10*0.09 - 0.5) / (20 - 200/20) = 0.13, k = 50/13, Z = 13/18
    t = pd.DataFrame({"g": ["a", "b"], "count": [2, 8], "exposure": [10.0, 10.0]})
    res = fq.buhlmann_straub(t, by="g", epv="poisson")
    assert res.epv == pytest.approx(0.5) and res.vhm == pytest.approx(0.13)
    np.testing.assert_allclose(res.table["Z"], [13 / 18, 13 / 18])
    np.testing.assert_allclose(
        res.table["credibility_rate"], [0.5 - 0.3 * 13 / 18, 0.5 + 0.3 * 13 / 18]
    )
    assert "Buhlmann-Straub" in str(res)


def test_buhlmann_straub_no_between_variance_gives_no_credibility():
    t = pd.DataFrame({"g": ["a", "b"], "count": [5, 5], "exposure": [10.0, 10.0]})
    res = fq.buhlmann_straub(t, by="g", epv="poisson")
    assert res.vhm == 0.0 and np.isinf(res.k)
    np.testing.assert_allclose(res.table["Z"], 0.0)
    np.testing.assert_allclose(res.table["credibility_rate"], 0.5)
