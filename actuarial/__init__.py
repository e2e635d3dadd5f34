"""Actuarial pricing and backstop sizing for crypto insurance.

Fit loss-frequency, severity and volatility models to the record of hacks, stablecoin depegs
and credit defaults; combine them by Monte Carlo or exact methods into the distribution of
annual claims; price covers and size the backstop that pays them.

Examples
--------
>>> from scipy import stats
>>> import actuarial as act
>>> line = act.CompoundModel(frequency=stats.poisson(3), severity=stats.expon(scale=1e6),
...                          terms=act.Layer(deductible=1e5, limit=2e6))
>>> sim = act.simulate(line, n_years=10_000, rng=1)
>>> sim.quantile(0.995) > sim.mean()
True
"""

from actuarial import (
    book,
    capital,
    datasets,
    dependence,
    exceptions,
    frequency,
    perils,
    pricing,
    report,
    risk,
    severity,
    terms,
    volatility,
)
from actuarial.book import (
    Book,
    BookSimulation,
    IncidentModel,
    PayoutMixture,
    RiskModel,
    read_book,
    simulate_book,
)
from actuarial.capital import required_capital
from actuarial.compound import CompoundModel, Portfolio
from actuarial.dependence import CrisisShock, Dependence, GaussianCopula, StudentTCopula
from actuarial.exact import AggregateDistribution, aggregate
from actuarial.perils import collateral_shortfall, depeg_cover_loss, fit_depeg_model, fit_lgd
from actuarial.simulation import Simulation, simulate
from actuarial.terms import Layer

__version__ = "0.1.0"

__all__ = [
    "AggregateDistribution",
    "Book",
    "BookSimulation",
    "CompoundModel",
    "CrisisShock",
    "Dependence",
    "GaussianCopula",
    "IncidentModel",
    "Layer",
    "PayoutMixture",
    "Portfolio",
    "RiskModel",
    "Simulation",
    "StudentTCopula",
    "__version__",
    "aggregate",
    "book",
    "capital",
    "collateral_shortfall",
    "datasets",
    "depeg_cover_loss",
    "dependence",
    "exceptions",
    "fit_depeg_model",
    "fit_lgd",
    "frequency",
    "perils",
    "pricing",
    "read_book",
    "report",
    "required_capital",
    "risk",
    "severity",
    "simulate",
    "simulate_book",
    "terms",
    "volatility",
]
