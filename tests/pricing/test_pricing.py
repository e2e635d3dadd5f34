"""Premium principles against closed forms; cost-of-capital premiums of a book."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

import actuarial as act
from actuarial import pricing
from actuarial.book import Book, IncidentModel, RiskModel, simulate_book
from actuarial.exceptions import InfiniteMeanError, InvalidInputError, InvalidTypeError

M = 2.0  # mean of the exponential loss


@pytest.fixture(scope="module")
def expo_grid():
    """Exponential(mean M) on a fine grid (midpoint masses): a discrete law with support/probs."""

    class Grid:
        h = 0.002
        support = np.arange(0, 80, h) + h / 2
        probs = np.diff(stats.expon(scale=M).cdf(np.arange(0, 80 + h / 2, h)))

    return Grid()


@pytest.fixture(scope="module")
def expo_sample():
    return np.random.default_rng(12).exponential(M, size=400_000)


def test_moment_principles_on_exponential(expo_grid, expo_sample):
    for x, tol in ((expo_grid, 1e-5), (expo_sample, 0.01)):
        assert pricing.expected_value_premium(x, 0.25) == pytest.approx(1.25 * M, rel=tol)
        assert pricing.standard_deviation_premium(x, 0.5) == pytest.approx(M + 0.5 * M, rel=tol)
        assert pricing.variance_premium(x, 0.1) == pytest.approx(M + 0.1 * M * M, rel=2 * tol)


def test_exponential_utility_on_exponential(expo_grid):
    a = 0.2  # a M = 0.4 < 1
    assert pricing.exponential_premium(expo_grid, a) == pytest.approx(-math.log(1 - a * M) / a,
                                                                      rel=1e-5)


def test_proportional_hazard_on_exponential(expo_grid, expo_sample):
    # int exp(-x / M)^(1/rho) dx = rho M
    assert pricing.proportional_hazard_premium(expo_grid, 1.5) == pytest.approx(1.5 * M, rel=1e-4)
    assert pricing.proportional_hazard_premium(expo_sample, 1.5) == pytest.approx(1.5 * M,
                                                                                 rel=0.02)


def test_wang_on_exponential_and_lognormal(expo_grid):
    lam = 0.4
    ref, _ = integrate.quad(
        lambda x: stats.norm.cdf(stats.norm.ppf(math.exp(-x / M)) + lam), 0, np.inf
    )
    assert pricing.wang_premium(expo_grid, lam) == pytest.approx(ref, rel=1e-4)
    # lognormal: Wang premium = exp(mu + lam sigma + sigma^2 / 2)
    mu, sigma = 0.1, 0.5
    x = np.exp(mu + sigma * stats.norm.ppf((np.arange(1_000_000) + 0.5) / 1_000_000))
    assert pricing.wang_premium(x, lam) == pytest.approx(
        math.exp(mu + lam * sigma + sigma**2 / 2), rel=2e-3
    )
    assert pricing.wang_premium(expo_grid, 0.0) == pytest.approx(M, rel=1e-5)


def test_compound_poisson_exponential_utility_on_exact_and_simulated():
    lam, theta, a = 3.0, 1.0, 0.3
    line = act.CompoundModel(stats.poisson(lam), stats.expon(scale=theta))
    closed = lam / a * (1 / (1 - a * theta) - 1)  # (lam / a)(M_Y(a) - 1)
    exact = act.aggregate(line, method="fft")
    assert pricing.exponential_premium(exact, a) == pytest.approx(closed, rel=2e-3)
    sim = act.simulate(line, 400_000, rng=3)
    assert pricing.exponential_premium(sim, a) == pytest.approx(closed, rel=0.02)
    var_closed = lam * 2 * theta**2  # compound Poisson variance lam E[Y^2]
    assert pricing.variance_premium(exact, 0.1) == pytest.approx(lam * theta + 0.1 * var_closed,
                                                                 rel=2e-3)
    assert pricing.premium(exact, "expected_value", 0.1) == pytest.approx(1.1 * lam * theta,
                                                                          rel=1e-3)


def test_infinite_mean_refused():
    line = act.CompoundModel(stats.poisson(1.0), stats.pareto(0.8))
    sim = act.simulate(line, 1_000, rng=1)
    with pytest.raises(InfiniteMeanError):
        pricing.expected_value_premium(sim, 0.1)
    limited = act.simulate(act.CompoundModel(stats.poisson(1.0), stats.pareto(0.8),
                                             act.Layer(limit=100.0)), 1_000, rng=1)
    assert pricing.expected_value_premium(limited, 0.1) > 0


def test_bad_input():
    with pytest.raises(InvalidInputError, match="principle"):
        pricing.premium([1.0, 2.0], "gamma", 0.1)
    with pytest.raises(InvalidInputError, match="theta"):
        pricing.expected_value_premium([1.0, 2.0], -0.1)
    with pytest.raises(InvalidInputError, match="NaN"):
        pricing.wang_premium([1.0, np.nan], 0.1)


# --- cost of capital ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def book_sim():
    book = Book.from_frame(pd.DataFrame({
        "cover_id": ["A", "B", "C"], "cover_type": ["hack", "hack", "depeg"],
        "subject": ["P", "Q", "USDC"], "category": ["c", "c", "f"],
        "amount_usd": [1e6, 2e6, 3e6], "start": ["2026-01-01", "2026-07-02", "2025-07-02"],
        "end": ["2027-01-01", "2027-07-02", "2026-07-02"], "premium_usd": [3e4, 8e4, 2e4],
    }))
    model = RiskModel({("hack", "c"): IncidentModel(0.2, stats.beta(1, 2)),
                       ("depeg", "f"): IncidentModel(0.1, stats.beta(1, 4))})
    return simulate_book(book, model, 100_000, start="2026-01-01", rng=2)


def test_cost_of_capital_table(book_sim):
    tab = pricing.cost_of_capital_premiums(book_sim, coc=0.08, level=0.99, expense_ratio=0.2)
    t = tab.table
    total = book_sim.total
    capital = act.risk.tvar(total, 0.99) - total.mean()
    assert tab.capital == pytest.approx(capital, rel=1e-9)
    assert t["allocated_capital"].sum() == pytest.approx(capital, rel=1e-9)
    assert t["risk_load"].sum() == pytest.approx(0.08 * capital, rel=1e-9)
    np.testing.assert_allclose(t["expected_loss"], book_sim.claims.mean(axis=0))
    np.testing.assert_allclose(t["technical_premium"] * 0.8, t["expected_loss"] + t["risk_load"])
    np.testing.assert_allclose(t["expenses"], 0.2 * t["technical_premium"])
    # B is in force for half of the horizon, C for the first half: charged pro rata
    assert t.loc["B", "charged_premium"] == pytest.approx(8e4 * 183 / 365, rel=1e-9)
    assert t.loc["C", "charged_premium"] == pytest.approx(2e4 * 182 / 365, rel=1e-9)
    assert t.loc["B", "rate"] == pytest.approx(
        t.loc["B", "technical_premium"] / (2e6 * 183 / 365.25), rel=1e-9
    )
    assert "total" in tab.summary().index
    assert "Cost-of-capital" in str(tab)


def test_cost_of_capital_var_and_errors(book_sim):
    tab = pricing.cost_of_capital_premiums(book_sim, measure="var", level=0.995)
    assert tab.table["allocated_capital"].sum() == pytest.approx(tab.capital, rel=1e-9)
    with pytest.raises(InvalidInputError, match="level"):
        pricing.cost_of_capital_premiums(book_sim, level=1.5)
    with pytest.raises(InvalidTypeError, match="BookSimulation"):
        pricing.cost_of_capital_premiums(np.zeros(10))
