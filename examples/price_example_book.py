"""Price the example book and size its backstop (the figures quoted in README.md).

Run from the repository root:  python examples/price_example_book.py [n_years]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

import actuarial.book as bk
from actuarial import capital, pricing
from actuarial.dependence import CrisisShock, Dependence, GaussianCopula, exchangeable_correlation

HERE = Path(__file__).parent
START = "2026-01-01"
SEED = 20260101

#: Dependence assumptions (README section 3).
CRISIS = CrisisShock(probability=1 / 8, multipliers={"hack": 2.1, "depeg": 2.2, "default": 8.1})
LINES = ("hack", "depeg", "default")
COPULA = GaussianCopula(exchangeable_correlation(3, 0.2))
DEPENDENCE = Dependence(crisis=CRISIS, copula=COPULA, lines=LINES)


def main(n_years: int = 400_000) -> None:
    book = bk.read_book(HERE / "book.csv")
    model = bk.RiskModel.read_csv(HERE / "risk_model.csv")
    print(book, "\n")
    print(book.concentration().head(8).to_string(float_format=lambda v: f"{v:,.3f}"), "\n")
    runs = {
        "dependent": DEPENDENCE,
        "crisis only": Dependence(crisis=CRISIS),
        "independent": Dependence(),
    }
    sims = {
        name: bk.simulate_book(book, model, n_years, start=START, dependence=dep, rng=SEED)
        for name, dep in runs.items()
    }
    sim = sims["dependent"]
    print(sim, "\n")
    premiums = pricing.cost_of_capital_premiums(sim, coc=0.06, measure="tvar", level=0.99,
                                                expense_ratio=0.15)
    print(premiums, "\n")
    cols = ["cover_type", "amount_usd", "expected_loss", "risk_load", "expenses",
            "technical_premium", "rate", "charged_premium", "charged_to_technical"]
    print(premiums.table[cols].to_string(float_format=lambda v: f"{v:,.4g}"), "\n")
    annual_premium = float(book.covers["premium_usd"].sum())  # charged, as a yearly income
    for name, s in sims.items():
        s2 = capital.required_capital(s, premiums=0.0, standard="solvency2")
        sst = capital.required_capital(s, premiums=0.0, standard="sst")
        net = capital.required_capital(s, premiums=annual_premium, standard="solvency2")
        print(f"{name:>12}: mean {s.mean():,.0f}; {s2}")
        print(f"{'':>12}  {sst}")
        print(f"{'':>12}  net of premiums {annual_premium:,.0f}: {net}")
    print()
    for method in ("co-tvar", "covariance", "proportional"):
        print(capital.allocate(sim, by="line", method=method, level=0.99), "\n")
    layers = capital.backstop_layers(
        sim, {"first-loss buffer": 2e6, "staked pool": 15e6, "treasury": 30e6},
        premiums=annual_premium, expenses=0.15 * annual_premium,
    )
    print(layers, "\n")
    ruin = capital.ruin_analysis(sim, horizon_years=5, premiums=annual_premium,
                                 expenses=0.15 * annual_premium, return_on_assets=0.03)
    print(ruin)
    print(ruin.curve([0, 5e6, 1e7, 2e7, 4e7]).to_string(), "\n")
    rep = capital.reserves(book, model, "2026-06-30", dependence=DEPENDENCE,
                           claims=HERE / "claims.csv" if (HERE / "claims.csv").exists() else None,
                           n_years=100_000, rng=SEED)
    print(rep)
    print(rep.run_off.to_string(float_format=lambda v: f"{v:,.0f}"))
    _ = np  # numpy kept for interactive use


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400_000)
