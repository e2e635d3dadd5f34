"""Severity (loss-size) models for crypto losses.

Truncation- and censoring-aware maximum likelihood for a catalogue of families, model
comparison against the truncated fit, spliced body + GPD tails, extreme-value tools, limited
expected values, diagnostic plots and a severity trend regression. Every fitted model
exposes ``dist``, a frozen ``scipy.stats`` distribution of the loss *before* truncation.

Examples
--------
>>> import numpy as np
>>> from scipy import stats
>>> import actuarial.severity as sev
>>> x = stats.lomax(1.3, scale=2e6).rvs(300, random_state=np.random.default_rng(4))
>>> res = sev.fit(x[x >= 1e6], "lomax", truncation=1e6)
>>> res.has_finite_mean
True
"""

from actuarial.severity._base import Family, Param
from actuarial.severity._compare import compare, gof_statistics
from actuarial.severity._conditional import left_truncated
from actuarial.severity._fitting import fit, from_params
from actuarial.severity._lev import layer_expected_value, limited_expected_value
from actuarial.severity._result import SeverityFit
from actuarial.severity._spliced import Spliced, spliced_gen
from actuarial.severity.evt import (
    HillEstimate,
    ThresholdChoice,
    gpd_stability,
    hill,
    hill_table,
    mean_excess,
    select_threshold,
)
from actuarial.severity.families import FAMILIES, get_family
from actuarial.severity.plots import (
    density_plot,
    hill_plot,
    mean_excess_plot,
    pp_plot,
    qq_plot,
    stability_plot,
    survival_plot,
)
from actuarial.severity.trend import TrendFit, trend

__all__ = [
    "FAMILIES",
    "Family",
    "HillEstimate",
    "Param",
    "SeverityFit",
    "Spliced",
    "ThresholdChoice",
    "TrendFit",
    "compare",
    "density_plot",
    "fit",
    "from_params",
    "get_family",
    "gof_statistics",
    "gpd_stability",
    "hill",
    "hill_plot",
    "hill_table",
    "layer_expected_value",
    "left_truncated",
    "limited_expected_value",
    "mean_excess",
    "mean_excess_plot",
    "pp_plot",
    "qq_plot",
    "select_threshold",
    "spliced_gen",
    "stability_plot",
    "survival_plot",
    "trend",
]
