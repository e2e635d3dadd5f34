"""The example book in examples/ prices and sizes end to end; public names are pinned."""

from pathlib import Path

import numpy as np

import actuarial.book as bk
from actuarial import capital, dependence, pricing

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_example_book_end_to_end():
    book = bk.read_book(EXAMPLES / "book.csv")
    model = bk.RiskModel.read_csv(EXAMPLES / "risk_model.csv")
    dep = dependence.Dependence(
        crisis=dependence.CrisisShock(1 / 8, {"hack": 2.1, "depeg": 2.2, "default": 8.1}),
        copula=dependence.GaussianCopula(dependence.exchangeable_correlation(3, 0.2)),
        lines=("hack", "depeg", "default"),
    )
    sim = bk.simulate_book(book, model, 20_000, start="2026-01-01", dependence=dep, rng=1)
    ind = bk.simulate_book(book, model, 20_000, start="2026-01-01", rng=1)
    tab = pricing.cost_of_capital_premiums(sim)
    assert np.all(tab.table["technical_premium"] > tab.table["expected_loss"])
    s2 = capital.required_capital(sim, standard="solvency2")
    sst = capital.required_capital(sim, standard="sst")
    assert sst.capital > s2.capital * 0.9 and s2.std_error > 0
    assert capital.required_capital(ind, standard="sst").capital < sst.capital
    alloc = capital.allocate(sim, method="co-tvar", level=0.99)
    assert np.isclose(alloc.table["allocation"].sum(), sst.capital)
    rep = capital.reserves(book, model, "2026-06-30", n_years=5_000, rng=2)
    assert rep.totals()["upr"] > 0


def test_public_names():
    assert set(bk.__all__) == {
        "COVER_TYPES", "Book", "BookSimulation", "IncidentModel", "PayoutDistribution",
        "PayoutMixture", "RiskModel", "read_book", "simulate_book",
    }
    assert set(capital.__all__) == {
        "STANDARDS", "Allocation", "CapitalRequirement", "LayerAnalysis", "ReserveReport",
        "RuinAnalysis", "allocate", "backstop_layers", "coverage_ratio", "read_claims",
        "required_capital", "reserves", "ruin_analysis",
    }
    assert set(pricing.__all__) == {
        "PRINCIPLES", "PremiumTable", "ProportionalHazard", "WangTransform",
        "cost_of_capital_premiums", "expected_value_premium", "exponential_premium", "premium",
        "proportional_hazard_premium", "standard_deviation_premium", "variance_premium",
        "wang_premium",
    }
    assert set(dependence.__all__) == {
        "Copula", "CrisisShock", "Dependence", "GaussianCopula", "StudentTCopula",
        "exchangeable_correlation", "reorder_by_copula",
    }
