"""Backstop capital: required capital, multi-year ruin, layers, allocation and reserves.

>>> import numpy as np
>>> import actuarial as act
>>> x = np.random.default_rng(0).exponential(1e6, size=100_000)
>>> req = act.capital.required_capital(x, standard="solvency2")
>>> req.measure, req.level
('var', 0.995)
"""

from actuarial.capital._allocate import Allocation, allocate
from actuarial.capital._layers import LayerAnalysis, backstop_layers
from actuarial.capital._required import (
    STANDARDS,
    CapitalRequirement,
    coverage_ratio,
    required_capital,
)
from actuarial.capital._reserves import ReserveReport, read_claims, reserves
from actuarial.capital._ruin import RuinAnalysis, ruin_analysis

__all__ = [
    "STANDARDS",
    "Allocation",
    "CapitalRequirement",
    "LayerAnalysis",
    "ReserveReport",
    "RuinAnalysis",
    "allocate",
    "backstop_layers",
    "coverage_ratio",
    "read_claims",
    "required_capital",
    "reserves",
    "ruin_analysis",
]
