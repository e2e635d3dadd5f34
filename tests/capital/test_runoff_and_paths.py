"""Capital: run-off of covers starting after the valuation date, dropped years, finite mean."""

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import actuarial as act
from actuarial import capital
from actuarial.book import Book, IncidentModel, RiskModel
from actuarial.exceptions import InfiniteMeanError, MonteCarloWarning

MODEL = RiskModel({("hack", "c"): IncidentModel(0.2, stats.beta(2, 3))})


def test_risk_margin_of_a_cover_starting_after_the_valuation_date():
    # A runs now; B starts nine months after the valuation date and ends in run-off year 1,
    # though it lasts less than a year
    book = Book.from_frame(pd.DataFrame({
        "cover_id": ["A", "B"], "cover_type": ["hack", "hack"], "subject": ["P", "Q"],
        "category": ["c", "c"], "amount_usd": [1e6, 1e6],
        "start": ["2026-01-01", "2027-03-01"], "end": ["2027-01-01", "2027-12-01"],
        "premium_usd": [1e4, 1e4],
    }))
    v = pd.Timestamp("2026-06-01")
    y1, y2 = v + pd.DateOffset(years=1), v + pd.DateOffset(years=2)
    a0 = (pd.Timestamp("2027-01-01") - v).days
    b0 = (y1 - pd.Timestamp("2027-03-01")).days
    b1 = (pd.Timestamp("2027-12-01") - y1).days
    assert pd.Timestamp("2027-12-01") < y2 and b0 + b1 < 365  # shorter than a year
    scr, coc = 1e6, 0.06
    rep = capital.reserves(book, MODEL, v, scr=scr, coc=coc)
    assert len(rep.run_off) == 2
    # same amount and risk: expected claims per run-off year are proportional to days
    first = a0 + b0
    assert rep.table.loc["B", "risk_margin"] == pytest.approx(coc * scr * (b0 + b1) / first)
    assert rep.table.loc["A", "risk_margin"] == pytest.approx(coc * scr * a0 / first)
    np.testing.assert_allclose(rep.run_off["scr"], [scr, scr * b1 / first])
    assert rep.table.loc["B", "upr"] == pytest.approx(1e4)
    assert rep.table.loc["B", "bel_unexpired"] == pytest.approx(
        0.2 * 0.4e6 * (b0 + b1) / 365.25
    )


def test_claim_paths_warns_about_dropped_years():
    x = np.random.default_rng(0).exponential(size=1_003)
    with pytest.warns(MonteCarloWarning, match="last 3 year"):
        capital.ruin_analysis(x, horizon_years=5, premiums=1.2)
    with pytest.warns(MonteCarloWarning, match="last 3 year"):
        capital.required_capital(x, horizon_years=5, premiums=1.2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        capital.ruin_analysis(x[:1_000], horizon_years=5, premiums=1.2)


def test_infinite_mean_refused_by_capital():
    sim = act.simulate(act.CompoundModel(stats.poisson(1.0), stats.pareto(0.8)), 1_000, rng=1)
    with pytest.raises(InfiniteMeanError, match="claims"):
        capital.required_capital(sim)
    with pytest.raises(InfiniteMeanError, match="claims"):
        capital.ruin_analysis(sim, horizon_years=2)
