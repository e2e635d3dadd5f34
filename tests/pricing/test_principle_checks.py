"""Pricing: lost grid mass, proportional-hazard bounds, allocation quantiles, multi-year load."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from actuarial import pricing
from actuarial._allocation import (
    ProportionalHazard,
    allocate_matrix,
    as_discrete_law,
    tail_weights,
)
from actuarial.book import Book, IncidentModel, RiskModel, simulate_book
from actuarial.exceptions import InvalidInputError, TailMassWarning
from actuarial.risk import tvar, value_at_risk


class Grid:
    """A discrete law whose probabilities stop short of 1 (mass lost off the grid)."""

    def __init__(self, support, probs):
        self.support = np.asarray(support, dtype=float)
        self.probs = np.asarray(probs, dtype=float)


def test_lost_grid_mass_warns_and_is_put_on_the_largest_point():
    grid = Grid([3.0, 1.0, 2.0], [0.2, 0.3, 0.4])  # 0.1 lost, support not sorted
    with pytest.warns(TailMassWarning, match=r"0\.1 lies beyond the last grid point 3"):
        values, probs = as_discrete_law(grid)
    np.testing.assert_allclose(values, [1.0, 2.0, 3.0])
    np.testing.assert_allclose(probs, [0.3, 0.4, 0.3])
    with pytest.warns(TailMassWarning, match="understated"):
        assert pricing.expected_value_premium(grid, 0.0) == pytest.approx(0.3 + 0.8 + 0.9)


def test_complete_grid_does_not_warn():
    _, probs = as_discrete_law(Grid([0.0, 1.0], [0.25, 0.75]))  # warnings are errors
    np.testing.assert_allclose(probs, [0.25, 0.75])


@pytest.mark.parametrize("rho", [0.5, 0.999, np.inf, np.nan])
def test_proportional_hazard_needs_rho_at_least_one(rho):
    with pytest.raises(InvalidInputError, match="rho"):
        ProportionalHazard(rho)
    with pytest.raises(InvalidInputError, match="rho"):
        pricing.proportional_hazard_premium([0.0, 10.0], rho)
    with pytest.raises(InvalidInputError, match="rho"):
        pricing.premium([0.0, 10.0], "proportional_hazard", rho)


def test_proportional_hazard_rho_one_is_the_mean():
    assert pricing.proportional_hazard_premium([0.0, 10.0], 1.0) == pytest.approx(5.0)


@pytest.mark.parametrize("n", [100, 1_000, 2_001])
@pytest.mark.parametrize("level", [0.9, 0.99, 0.995, 0.999])
def test_allocation_quantiles_agree_with_risk(n, level):
    x = np.random.default_rng(n).exponential(size=(n, 2)).round(1)  # ties included
    s = x.sum(axis=1)
    assert tail_weights(s, level) @ s == pytest.approx(tvar(s, level), rel=1e-12)
    _, _, var = allocate_matrix(x, ("a", "b"), method="co-var", level=level)
    assert var == value_at_risk(s, level)


def test_multi_year_risk_load_is_coc_times_horizon_times_capital():
    book = Book.from_frame(pd.DataFrame({
        "cover_id": ["A", "B"], "cover_type": ["hack", "hack"], "subject": ["P", "Q"],
        "category": ["c", "c"], "amount_usd": [1e6, 2e6], "start": ["2026-01-01"] * 2,
        "end": ["2028-01-01"] * 2, "premium_usd": [1e4, 2e4],
    }))
    model = RiskModel({("hack", "*"): IncidentModel(0.2, stats.beta(1, 2))})
    sim = simulate_book(book, model, 20_000, start="2026-01-01", horizon_years=2, rng=5)
    table = pricing.cost_of_capital_premiums(sim, coc=0.1, level=0.99)
    capital = tvar(sim.total, 0.99) - sim.total.mean()
    assert table.capital == pytest.approx(capital, rel=1e-9)
    assert table.table["risk_load"].sum() == pytest.approx(0.1 * 2 * capital, rel=1e-9)
