"""Frequency models: how often incidents happen.

Count regressions with a trend, an exposure offset and covariates (Poisson, NB2 negative
binomial, zero-inflated and zero-truncated variants, fitted with statsmodels), predictive
count distributions for a future period as frozen ``scipy.stats`` objects (optionally
carrying parameter uncertainty), thinning between reporting thresholds, per-unit incident
rates with exact intervals, Bühlmann-Straub credibility and a clustering check.

Examples
--------
>>> import pandas as pd
>>> import actuarial.frequency as fq
>>> counts = pd.Series([3, 5, 4, 6, 8, 7, 9, 12], index=range(2016, 2024))
>>> f = fq.fit(counts, "poisson", trend="linear")
>>> f.predictive(2024).dist.name
'poisson'
"""

from ._dispersion import DispersionTest, dispersion_test
from ._fit import FrequencyFit, LikelihoodRatioTest, fit
from ._models import FAMILIES
from ._predictive import thin
from ._rates import BuhlmannStraub, UnitRates, buhlmann_straub, garwood_interval, unit_rates

__all__ = [
    "FAMILIES",
    "BuhlmannStraub",
    "DispersionTest",
    "FrequencyFit",
    "LikelihoodRatioTest",
    "UnitRates",
    "buhlmann_straub",
    "dispersion_test",
    "fit",
    "garwood_interval",
    "thin",
    "unit_rates",
]
