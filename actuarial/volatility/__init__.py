"""GARCH-family volatility models of crypto prices, built on arch.

:func:`fit` wraps arch's estimators and returns an immutable :class:`VolatilityFit`
(parameters, likelihood, conditional volatility, standardised residuals, forecasts and
seeded path simulation, parametric or filtered historical). On top of arch: :func:`select`
ranks specifications, :func:`ljung_box` checks the residuals, :func:`backtest` runs Kupiec
and Christoffersen tests of one-day-ahead VaR forecasts, and committed calibrations
(:func:`load_calibration`) let the loss models run without price data.

Examples
--------
>>> import numpy as np
>>> import actuarial.volatility as vol
>>> r = np.random.default_rng(0).standard_t(6, size=1000)
>>> f = vol.fit(r, dist="t")
>>> paths = f.simulate(30, 1000, rng=1)
>>> paths.values.shape
(1000, 30)
"""

from actuarial.volatility._backtest import (
    CoverageTest,
    VaRBacktest,
    backtest,
    christoffersen_test,
    kupiec_test,
)
from actuarial.volatility._calibration import (
    VolatilityCalibration,
    calibrate,
    calibration_dir,
    list_calibrations,
    load_calibration,
)
from actuarial.volatility._fit import VolatilityFit, fit, from_params, ljung_box
from actuarial.volatility._select import DEFAULT_CANDIDATES, select
from actuarial.volatility._simulate import SimulatedPaths
from actuarial.volatility._spec import VolatilitySpec

__all__ = [
    "DEFAULT_CANDIDATES",
    "CoverageTest",
    "SimulatedPaths",
    "VaRBacktest",
    "VolatilityCalibration",
    "VolatilityFit",
    "VolatilitySpec",
    "backtest",
    "calibrate",
    "calibration_dir",
    "christoffersen_test",
    "fit",
    "from_params",
    "kupiec_test",
    "list_calibrations",
    "ljung_box",
    "load_calibration",
    "select",
]
