"""Peril loss models: stablecoin depeg covers and collateral shortfalls.

Each model returns the payout per unit of cover as a :class:`MixedPayout` (atoms at 0 and
at the full payout plus a continuous part), a scipy-like distribution usable as the
severity of a :class:`~actuarial.CompoundModel`.

Examples
--------
>>> from actuarial.perils import collateral_shortfall
>>> from actuarial.volatility import load_calibration
>>> eth = load_calibration("eth_garch_t")
>>> loss = collateral_shortfall(eth, ltv=0.75, liquidation_threshold=0.8, n_paths=2000, rng=1)
>>> 0 <= loss.expected_shortfall < 0.05
True
"""

from actuarial.perils._payout import MixedPayout
from actuarial.perils.collateral import CollateralShortfall, LGDFit, collateral_shortfall, fit_lgd
from actuarial.perils.depeg import (
    DepegCoverLoss,
    DepegEpisodeModel,
    depeg_cover_loss,
    depeg_exposure,
    fit_depeg_model,
    load_depeg_exposure,
)

__all__ = [
    "CollateralShortfall",
    "DepegCoverLoss",
    "DepegEpisodeModel",
    "LGDFit",
    "MixedPayout",
    "collateral_shortfall",
    "depeg_cover_loss",
    "depeg_exposure",
    "fit_depeg_model",
    "fit_lgd",
    "load_depeg_exposure",
]
