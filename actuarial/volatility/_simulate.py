"""Vectorised simulation of GARCH-family paths, one step at a time across all paths."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from actuarial._validation import check_positive
from actuarial.volatility._spec import VolatilitySpec

__all__ = ["SimulatedPaths", "State", "simulate_paths", "unconditional_variance"]

_E_ABS_Z = np.sqrt(2.0 / np.pi)  # arch's EGARCH centring constant (normal E|z|)


@dataclass(frozen=True)
class State:
    """Recent history that starts a simulation (oldest first, arrays of equal length m)."""

    y: np.ndarray  # observed series (for AR lags)
    resid: np.ndarray  # residuals eps
    sigma2: np.ndarray  # conditional variances


@dataclass(frozen=True)
class SimulatedPaths:
    """Simulated future values of a fitted series (immutable).

    Attributes
    ----------
    values : ndarray, shape (n_paths, horizon)
        Simulated series: returns (in the fit's unit, e.g. percent log returns), or the
        level of the modelled quantity for an AR mean on a level (a depeg deviation).
    volatility : ndarray, shape (n_paths, horizon)
        Conditional standard deviations along each path.
    scale : float
        Unit of ``values``: ``values / scale`` are log returns.
    method : str
        ``"parametric"`` or ``"bootstrap"``.
    """

    values: np.ndarray
    volatility: np.ndarray
    scale: float
    method: str

    @property
    def n_paths(self) -> int:
        return int(self.values.shape[0])

    @property
    def horizon(self) -> int:
        return int(self.values.shape[1])

    def prices(self, initial: float = 1.0) -> np.ndarray:
        """Price paths ``initial * exp(cumsum(values / scale))``, shape (n_paths, horizon)."""
        initial = check_positive(initial, "initial")
        return initial * np.exp(np.cumsum(self.values / self.scale, axis=1))

    def summary(self) -> str:
        v = self.values
        return (
            f"{self.n_paths} {self.method} paths x {self.horizon} steps; mean {v.mean():.4g}, "
            f"std {v.std():.4g} ({'/'.join(f'{x:.4g}' for x in np.percentile(v, [1, 99]))} "
            "at 1%/99%)"
        )

    def to_frame(self) -> pd.DataFrame:
        """Per-step cross-path mean, standard deviation and mean volatility."""
        return pd.DataFrame(
            {
                "mean": self.values.mean(0),
                "std": self.values.std(0, ddof=1),
                "volatility": self.volatility.mean(0),
            },
            index=pd.RangeIndex(1, self.horizon + 1, name="step"),
        )


def unconditional_variance(spec: VolatilitySpec, params: np.ndarray) -> float:
    """Stationary variance of the residuals, ``omega / (1 - persistence)`` (GARCH/GJR).

    ``persistence = sum(alpha) + P(z < 0) sum(gamma) + sum(beta)``, with ``P(z < 0) = 1/2``
    for a symmetric distribution and the distribution's own value for the skewed t.
    Returns ``inf`` for a non-stationary fit. EGARCH has no closed form: NaN.
    """
    if spec.vol == "egarch":
        return float("nan")
    pers = persistence(spec, params)
    _, vp, _ = spec.split(params)
    return float(vp[0] / (1.0 - pers)) if pers < 1 else float("inf")


def persistence(spec: VolatilitySpec, params: np.ndarray) -> float:
    """``sum(alpha) + P(z<0) sum(gamma) + sum(beta)`` (GARCH/GJR); ``sum(beta)`` (EGARCH)."""
    _, vp, dp = spec.split(params)
    alpha, gamma = vp[1 : 1 + spec.p], vp[1 + spec.p : 1 + spec.p + spec.o]
    beta = vp[1 + spec.p + spec.o :]
    if spec.vol == "egarch":
        return float(beta.sum())
    p_neg = 0.5
    if spec.dist == "skewt":
        p_neg = float(spec.distribution().cdf(np.array([0.0]), dp)[0])
    return float(alpha.sum() + p_neg * gamma.sum() + beta.sum())


def stationary_state(spec: VolatilitySpec, params: np.ndarray) -> State:
    """A start at the long-run level: residuals 0 and variances at their stationary value."""
    mp, vp, _ = spec.split(params)
    m = max(spec.p, spec.o, spec.q, spec.lags if spec.mean == "ar" else 1)
    if spec.vol == "egarch":
        beta = vp[1 + spec.p + spec.o :]
        s2 = float(np.exp(vp[0] / (1.0 - beta.sum())))
    else:
        s2 = unconditional_variance(spec, params)
        if not np.isfinite(s2):
            s2 = float(vp[0])
    if spec.mean == "ar":
        ybar = mp[0] / (1.0 - mp[1:].sum())
    elif spec.mean == "constant":
        ybar = mp[0]
    else:
        ybar = 0.0
    # |eps| = sigma keeps E[eps^2] = sigma^2 in the first step of the recursion
    return State(np.full(m, ybar), np.full(m, np.sqrt(s2)), np.full(m, s2))


def simulate_paths(
    spec: VolatilitySpec,
    params: np.ndarray,
    state: State,
    horizon: int,
    n_paths: int,
    draw: Callable[[tuple[int, int]], np.ndarray],
    *,
    burn: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Run the model's recursions forward from ``state`` with shocks from ``draw``.

    ``draw((n_paths, horizon + burn))`` returns standardised shocks (mean 0, variance 1).
    Returns the simulated series and conditional variances, each (n_paths, horizon).
    """
    mp, vp, _ = spec.split(params)
    p, o, q = spec.p, spec.o, spec.q
    omega, alpha = vp[0], vp[1 : 1 + p]
    gamma, beta = vp[1 + p : 1 + p + o], vp[1 + p + o :]
    total = horizon + burn
    z = np.asarray(draw((n_paths, total)), dtype=np.float64)
    m = len(state.resid)
    eps = np.empty((n_paths, m + total))
    sig2 = np.empty((n_paths, m + total))
    y = np.empty((n_paths, m + total))
    eps[:, :m], sig2[:, :m], y[:, :m] = state.resid, state.sigma2, state.y
    for t in range(m, m + total):
        if spec.vol == "egarch":
            e = eps[:, t - p : t][:, ::-1] / np.sqrt(sig2[:, t - p : t][:, ::-1])
            ls = omega + (np.abs(e) - _E_ABS_Z) @ alpha
            if o:
                eo = eps[:, t - o : t][:, ::-1] / np.sqrt(sig2[:, t - o : t][:, ::-1])
                ls = ls + eo @ gamma
            if q:
                ls = ls + np.log(sig2[:, t - q : t][:, ::-1]) @ beta
            s2 = np.exp(ls)
        else:
            past = eps[:, t - p : t][:, ::-1]
            s2 = omega + (past * past) @ alpha
            if o:
                po = eps[:, t - o : t][:, ::-1]
                s2 = s2 + (po * po * (po < 0)) @ gamma
            if q:
                s2 = s2 + sig2[:, t - q : t][:, ::-1] @ beta
        sig2[:, t] = s2
        eps[:, t] = np.sqrt(s2) * z[:, t - m]
        if spec.mean == "ar":
            lags = spec.lags
            y[:, t] = mp[0] + y[:, t - lags : t][:, ::-1] @ mp[1:] + eps[:, t]
        elif spec.mean == "constant":
            y[:, t] = mp[0] + eps[:, t]
        else:
            y[:, t] = eps[:, t]
    keep = slice(m + burn, m + total)
    return y[:, keep], sig2[:, keep]
