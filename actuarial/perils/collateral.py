"""Collateral shortfall of over-collateralised loans, and loss given default of lenders.

**Lending protocols.** A loan of 1 (USD) is backed by collateral worth ``1 / ltv`` at the
start. Each day the collateral is marked at the simulated close; the first day its value
times the ``liquidation_threshold`` falls below the debt, the position is liquidated
``delay_days`` later at that day's close less ``slippage``. The liquidator repays debt and
receives collateral worth ``(1 + liquidation_penalty)`` times the debt repaid, so the
collateral sold covers at most ``proceeds / (1 + penalty)`` of the debt (Aave's rule when
the collateral is short); the rest is bad debt. Interest is ignored over the horizon.

**Centralised lenders.** :func:`fit_lgd` fits a zero-one-inflated beta law to loss given
default ``1 - recovery rate`` (``datasets/defaults.csv``): atoms at 0 (full recovery) and 1
(nothing recovered), and a beta law in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import pandas as pd
from scipy import stats

from actuarial._rng import as_generator
from actuarial._typing import ArrayLike, RNGLike
from actuarial._validation import (
    as_float_array,
    check_in_unit_interval,
    check_int,
    check_nonnegative,
)
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.perils._payout import MixedPayout

__all__ = ["CollateralShortfall", "LGDFit", "collateral_shortfall", "fit_lgd"]


class _PathModel(Protocol):
    def simulate(self, horizon: int, n_paths: int, *, rng: Any = ...) -> Any: ...


@dataclass(frozen=True)
class CollateralShortfall:
    """Bad debt per unit of loan over the horizon (immutable).

    Attributes
    ----------
    samples : ndarray
        Simulated bad debt per unit of loan, one per path (0 when none).
    liquidated : float
        Share of paths with a liquidation.
    dist : MixedPayout
        Law of the bad debt per unit of loan (atom at 0), usable as a severity.
    terms : dict
        ``ltv``, ``liquidation_threshold``, ``liquidation_penalty``, ``delay_days``,
        ``slippage``, ``horizon_days``.
    """

    samples: np.ndarray = field(repr=False)
    liquidated: float
    dist: MixedPayout
    terms: dict[str, float]

    @property
    def probability(self) -> float:
        """Probability of bad debt over the horizon."""
        return float((self.samples > 0).mean())

    @property
    def expected_shortfall(self) -> float:
        """Expected bad debt per unit of loan (the pure premium of a full cover)."""
        return float(self.samples.mean())

    def quantile(self, p: float) -> float:
        """Lower ``p``-quantile of the bad debt per unit of loan."""
        p = check_in_unit_interval(p, "p")
        return float(np.quantile(self.samples, p, method="inverted_cdf"))

    def summary(self) -> str:
        """Loan terms, liquidation and bad-debt probabilities, mean and 99.5 % quantile."""
        t = self.terms
        n = self.samples.size
        se = self.samples.std(ddof=1) / np.sqrt(n)
        return (
            f"Collateral shortfall: LTV {t['ltv']:g}, liquidation threshold "
            f"{t['liquidation_threshold']:g}, penalty {t['liquidation_penalty']:g}, delay "
            f"{t['delay_days']:g} d, slippage {t['slippage']:g}, horizon {t['horizon_days']:g} d\n"
            f"P(liquidation) = {self.liquidated:.4f}, P(bad debt) = {self.probability:.5f}, "
            f"E[bad debt] = {self.expected_shortfall:.6f} per unit (s.e. {se:.2g}), "
            f"99.5% quantile = {self.quantile(0.995):.4f}"
        )

    def __str__(self) -> str:
        return self.summary()


def _bad_debt(
    price: np.ndarray,
    ltv: float,
    lt: float,
    penalty: float,
    delay: int,
    slippage: float,
    horizon: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Bad debt per path from relative collateral prices (n_paths, horizon + delay)."""
    value = price / ltv  # collateral value per unit of debt
    breach = value[:, :horizon] * lt < 1.0
    any_breach = breach.any(axis=1)
    first = np.argmax(breach, axis=1)
    rows = np.flatnonzero(any_breach)
    proceeds = value[rows, first[rows] + delay] * (1.0 - slippage)
    out = np.zeros(price.shape[0])
    out[rows] = np.maximum(1.0 - proceeds / (1.0 + penalty), 0.0)
    return out, np.asarray(any_breach)


def collateral_shortfall(
    model: _PathModel,
    *,
    ltv: float = 0.75,
    liquidation_threshold: float = 0.8,
    liquidation_penalty: float = 0.05,
    delay_days: int = 1,
    slippage: float = 0.02,
    horizon_days: int = 365,
    n_paths: int = 20_000,
    rng: RNGLike = None,
) -> CollateralShortfall:
    """Simulate the bad debt per unit of loan of an over-collateralised position.

    Parameters
    ----------
    model : VolatilityFit or VolatilityCalibration
        Daily log-return model of the collateral (e.g. ``load_calibration("eth_garch_t")``);
        anything whose ``simulate(horizon, n_paths, rng=)`` returns paths with
        ``prices(initial)``.
    ltv : float
        Loan-to-value at the start, in (0, 1).
    liquidation_threshold : float
        Liquidation when ``collateral value x threshold < debt``; ``ltv < threshold < 1``.
    liquidation_penalty : float
        Liquidator bonus as a fraction of the debt repaid (>= 0).
    delay_days : int
        Days between the breach and the sale (0: at the breach close).
    slippage : float
        Fraction of the collateral value lost in the sale, in [0, 1).
    horizon_days : int
        Days over which breaches are counted.
    n_paths : int
        Number of simulated paths.
    rng : int, SeedSequence, Generator or None
        Source of randomness (SPEC 7).

    Returns
    -------
    CollateralShortfall
    """
    ltv = check_in_unit_interval(ltv, "ltv")
    lt = check_in_unit_interval(liquidation_threshold, "liquidation_threshold")
    if lt <= ltv:
        raise InvalidInputError(
            f"liquidation_threshold ({lt}) must exceed ltv ({ltv}): the loan would start "
            "liquidatable"
        )
    penalty = check_nonnegative(liquidation_penalty, "liquidation_penalty")
    delay = check_int(delay_days, "delay_days", minimum=0)
    slippage = check_nonnegative(slippage, "slippage")
    if slippage >= 1:
        raise InvalidInputError(f"slippage must lie in [0, 1); got {slippage}")
    horizon = check_int(horizon_days, "horizon_days", minimum=1)
    n_paths = check_int(n_paths, "n_paths", minimum=1)
    if not callable(getattr(model, "simulate", None)):
        raise InvalidTypeError(
            "model must be a volatility fit or calibration with a simulate() method; got "
            f"{type(model).__name__}"
        )
    sim = model.simulate(horizon + delay, n_paths, rng=as_generator(rng))
    price = np.asarray(sim.prices(1.0))
    samples, breached = _bad_debt(price, ltv, lt, penalty, delay, slippage, horizon)
    terms = {
        "ltv": ltv,
        "liquidation_threshold": lt,
        "liquidation_penalty": penalty,
        "delay_days": delay,
        "slippage": slippage,
        "horizon_days": horizon,
    }
    return CollateralShortfall(
        samples, float(breached.mean()), MixedPayout.from_samples(np.minimum(samples, 1.0)), terms
    )


@dataclass(frozen=True)
class LGDFit:
    """Zero-one-inflated beta fit of loss given default (immutable).

    Attributes
    ----------
    params : dict
        ``p0`` (share of full recoveries), ``p1`` (share of total losses), ``a``, ``b``
        (beta law of the LGD strictly between 0 and 1; mean ``a / (a + b)``).
    loglik : float
        Log-likelihood (atoms by their probabilities, interior by the beta density).
    n : int
        Number of recovery rates.
    """

    params: dict[str, float]
    loglik: float
    n: int

    @property
    def aic(self) -> float:
        """Akaike information criterion ``2 k - 2 loglik`` with ``k = 4`` parameters."""
        return 2 * 4 - 2 * self.loglik

    @property
    def dist(self) -> MixedPayout:
        """Law of the loss given default per unit of exposure."""
        p = self.params
        return MixedPayout(p["p0"], p["p1"], stats.beta(p["a"], p["b"]))

    @property
    def mean(self) -> float:
        """Mean loss given default per unit of exposure, ``p1 + (1 - p0 - p1) a / (a + b)``."""
        return self.dist.mean()

    def to_frame(self) -> pd.DataFrame:
        """The parameters as a one-column table (``estimate``)."""
        return pd.DataFrame({"estimate": self.params})

    def summary(self) -> str:
        """Parameters, mean LGD and log-likelihood on one line."""
        p = self.params
        return (
            f"LGD fit (zero-one-inflated beta), n = {self.n}: P(LGD=0) = {p['p0']:.4f}, "
            f"P(LGD=1) = {p['p1']:.4f}, beta(a = {p['a']:.4f}, b = {p['b']:.4f}); "
            f"mean LGD = {self.mean:.4f}, loglik = {self.loglik:.4f}"
        )

    def __str__(self) -> str:
        return self.summary()


def fit_lgd(recovery_rates: ArrayLike) -> LGDFit:
    """Fit a zero-one-inflated beta law to ``1 - recovery_rates`` by maximum likelihood.

    The atoms' probabilities are the observed shares (their MLE); the beta parameters are
    the MLE on the interior values (``scipy.stats.beta.fit`` with location 0, scale 1).

    Parameters
    ----------
    recovery_rates : array_like
        Recovery rates in [0, 1], without NaN (drop unknown recoveries first; e.g.
        ``load_defaults()["recovery_rate"].dropna()``). At least two must lie strictly
        between 0 and 1.

    Examples
    --------
    >>> f = fit_lgd([1.0, 1.0, 0.0, 0.2, 0.5, 0.6, 0.35, 0.7])
    >>> f.params["p0"], f.params["p1"]
    (0.25, 0.125)
    """
    r = as_float_array(recovery_rates, "recovery_rates")
    if (r < 0).any() or (r > 1).any():
        raise InvalidInputError("recovery_rates must lie in [0, 1]")
    lgd = 1.0 - r
    zero, one = lgd <= 0, lgd >= 1
    inner = lgd[~zero & ~one]
    if inner.size < 2 or np.ptp(inner) == 0:
        raise InvalidInputError(
            "recovery_rates needs at least two distinct values strictly between 0 and 1"
        )
    n = r.size
    p0, p1 = zero.sum() / n, one.sum() / n
    a, b, _, _ = stats.beta.fit(inner, floc=0.0, fscale=1.0)
    ll = float(stats.beta.logpdf(inner, a, b).sum())
    for k, p in ((zero.sum(), p0), (one.sum(), p1), (inner.size, 1 - p0 - p1)):
        ll += k * np.log(p) if k else 0.0
    return LGDFit({"p0": float(p0), "p1": float(p1), "a": float(a), "b": float(b)}, ll, n)
