"""Model comparison and bootstrap leave out fits with no usable maximum."""

import warnings

import numpy as np
import pytest
from scipy import stats

import actuarial.severity as sev
from actuarial.exceptions import ConvergenceWarning


@pytest.fixture(scope="module")
def heavy():
    # synthetic: Lomax losses above a threshold, on which a truncated gamma has no maximum
    x = stats.lomax(1.2, scale=1e6).rvs(400, random_state=np.random.default_rng(11))
    return x[x >= 1e6]


def test_delta_aic_only_between_usable_fits(heavy):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        table = sev.compare(heavy, ["lognormal", "lomax", "gamma"], truncation=1e6)
    usable = table[table["converged"]]
    assert usable["delta_aic"].min() == 0.0
    assert (usable["aic"] - usable["aic"].min()).equals(usable["delta_aic"])
    assert not table.loc["gamma", "converged"]
    assert np.isnan(table.loc["gamma", "delta_aic"])


def test_bootstrap_flags_refits(heavy):
    res = sev.fit(heavy, "lomax", truncation=1e6)
    draws = res.bootstrap(20, rng=3)
    assert "converged" in draws.columns and draws["converged"].dtype == bool
    _, lo, hi = res.derived_ci(lambda d: float(d.ppf(0.99)), method="bootstrap",
                                 n_boot=20, rng=3)
    assert lo <= hi
