"""Distortion risk measures and Euler capital allocation (shared by pricing and capital).

This module sits at the level of :mod:`actuarial.risk` (it imports only the foundations) so
that :mod:`actuarial.pricing` and :mod:`actuarial.capital`, which must not import each other,
share one implementation.

Definitions
-----------
* A **distortion** ``g`` is an increasing function on [0, 1] with ``g(0) = 0``, ``g(1) = 1``.
  The distortion measure of a loss ``X >= 0`` is ``rho_g(X) = int_0^inf g(S_X(x)) dx``. On a
  discrete law with sorted values ``x_1 <= ... <= x_n``, probabilities ``p_i`` and tail sums
  ``T_i = p_i + ... + p_n`` it is ``sum_i x_i [g(T_i) - g(T_{i+1})]``.
* **Wang transform**: ``g(s) = Phi(Phi^{-1}(s) + lam)``; **proportional hazard**:
  ``g(s) = s^(1/rho)`` with ``rho >= 1`` loading the tail; **TVaR** at level ``p``:
  ``g(s) = min(s / (1 - p), 1)``.
* **Euler / co-TVaR allocation** of ``TVaR_p(S)``, ``S = sum_j X_j``: line ``j`` gets
  ``E_w[X_j]`` under the tail weights ``w`` that put ``1 / (n (1 - p))`` on every simulated
  year with ``S > VaR_p`` and share the remaining tail mass among the years with
  ``S = VaR_p``. The allocations add up to ``TVaR_p(S)`` exactly (also with atoms), and equal
  ``E[X_j | S >= VaR_p]`` when ``S`` has no atom at ``VaR_p``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np
from scipy import stats

from actuarial._typing import FloatArray
from actuarial._validation import as_float_array, check_in_unit_interval, check_positive
from actuarial.exceptions import (
    InfiniteMeanError,
    InvalidInputError,
    InvalidTypeError,
    TailMassWarning,
)
from actuarial.risk import lower_quantile_index

__all__ = [
    "Distortion",
    "ProportionalHazard",
    "TVaRDistortion",
    "WangTransform",
    "allocate_matrix",
    "as_discrete_law",
    "check_finite_mean",
    "distortion_measure",
    "tail_weights",
]

AllocationMethod = Literal["co-tvar", "co-var", "covariance", "proportional"]
ALLOCATION_METHODS: tuple[str, ...] = ("co-tvar", "co-var", "covariance", "proportional")


@runtime_checkable
class Distortion(Protocol):
    """A distortion function ``g`` on [0, 1] (increasing, ``g(0) = 0``, ``g(1) = 1``)."""

    def __call__(self, s: FloatArray) -> FloatArray: ...


@dataclass(frozen=True)
class WangTransform:
    """Wang transform ``g(s) = Phi(Phi^{-1}(s) + lam)``; ``lam > 0`` loads the tail.

    For a lognormal loss ``LN(mu, sigma)`` the distorted mean is
    ``exp(mu + lam sigma + sigma^2 / 2)``.

    Examples
    --------
    >>> WangTransform(0.0)(np.array([0.1, 0.5])).tolist()
    [0.1, 0.5]
    """

    lam: float

    def __post_init__(self) -> None:
        lam = float(self.lam)
        if not math.isfinite(lam):
            raise InvalidInputError(f"lam must be finite; got {self.lam!r}")
        object.__setattr__(self, "lam", lam)

    def __call__(self, s: FloatArray) -> FloatArray:
        s = np.clip(np.asarray(s, dtype=np.float64), 0.0, 1.0)
        return stats.norm.cdf(stats.norm.ppf(s) + self.lam)


@dataclass(frozen=True)
class ProportionalHazard:
    """Proportional-hazard transform ``g(s) = s^(1/rho)``; ``rho >= 1`` loads the tail.

    For an exponential loss with mean ``m`` the distorted mean is ``rho m``.

    Examples
    --------
    >>> ProportionalHazard(2.0)(np.array([0.25, 1.0])).tolist()
    [0.5, 1.0]
    """

    rho: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "rho", check_rho(self.rho))

    def __call__(self, s: FloatArray) -> FloatArray:
        s = np.clip(np.asarray(s, dtype=np.float64), 0.0, 1.0)
        return s ** (1.0 / self.rho)


@dataclass(frozen=True)
class TVaRDistortion:
    """Distortion of TVaR at ``level``: ``g(s) = min(s / (1 - level), 1)``."""

    level: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", check_in_unit_interval(self.level, "level"))

    def __call__(self, s: FloatArray) -> FloatArray:
        return np.minimum(np.asarray(s, dtype=np.float64) / (1.0 - self.level), 1.0)


def check_rho(rho: Any, name: str = "rho") -> float:
    """Validate the proportional-hazard parameter: a finite number ``>= 1``.

    ``rho = 1`` is the mean; ``rho < 1`` would put *less* weight on the tail than the mean
    and give a premium below the expected loss.
    """
    value = check_positive(rho, name)
    if not (math.isfinite(value) and value >= 1.0):
        raise InvalidInputError(
            f"{name} must be a finite number >= 1 (1 gives the mean, larger values load the "
            f"tail); got {rho!r}"
        )
    return value


def check_finite_mean(x: Any, name: str) -> None:
    """Refuse an object whose ``model`` declares an infinite mean (``has_finite_mean``).

    Raises
    ------
    InfiniteMeanError
        Naming ``name``: premiums and capital need a per-event or aggregate limit.
    """
    model = getattr(x, "model", None)
    if model is not None and getattr(model, "has_finite_mean", True) is False:
        raise InfiniteMeanError(
            f"{name} comes from a model with infinite mean (a severity with infinite mean and "
            "no cover limit); premiums and capital need a per-event or aggregate limit"
        )


def as_discrete_law(x: Any, name: str = "x") -> tuple[FloatArray, FloatArray]:
    """Values (sorted ascending) and probabilities of a sample or discrete distribution.

    Accepts a one-dimensional sample (array, Series, list), an object with ``support`` and
    ``probs`` (e.g. :class:`actuarial.AggregateDistribution`), or a simulation result with a
    ``total`` attribute (annual totals). Objects whose model declares an infinite mean are
    refused.

    Mass missing from a ``support``/``probs`` grid (``1 - sum(probs)``, the tail beyond the
    grid) is put on the largest support point so that the probabilities sum to one. The lost
    tail lies *beyond* that point, so this understates the mean and every tail measure
    computed from the law; a :class:`~actuarial.exceptions.TailMassWarning` giving the lost
    mass is issued whenever it is positive (beyond rounding, 1e-12). Widen the grid to
    remove it.
    """
    check_finite_mean(x, name)
    if hasattr(x, "support") and hasattr(x, "probs"):
        values = as_float_array(x.support, f"{name}.support")
        probs = as_float_array(x.probs, f"{name}.probs", nonnegative=True)
        if values.size != probs.size:
            raise InvalidInputError(f"{name}.support and {name}.probs differ in length")
        total = probs.sum()
        if not 0.0 < total <= 1.0 + 1e-9:
            raise InvalidInputError(f"{name}.probs must sum to at most 1; got {total:.6g}")
        probs = probs.copy()
        lost = max(1.0 - total, 0.0)
        if lost > 1e-12:
            warnings.warn(
                f"{name}: probability {lost:.3g} lies beyond the last grid point "
                f"{values.max():,.6g} and was put on it; premiums and tail measures are "
                "understated (widen the grid, e.g. a larger n or upper bound)",
                TailMassWarning,
                stacklevel=3,
            )
        probs[np.argmax(values)] += lost
        order = np.argsort(values, kind="stable")
        return values[order], probs[order]
    if hasattr(x, "total") and not isinstance(x, np.ndarray):
        x = x.total
    values = np.sort(as_float_array(x, name))
    return values, np.full(values.size, 1.0 / values.size)


def distortion_measure(values: FloatArray, probs: FloatArray, g: Distortion) -> float:
    """Distortion risk measure ``sum_i x_i [g(T_i) - g(T_{i+1})]`` of a sorted discrete law."""
    if not callable(g):
        raise InvalidTypeError("g must be a distortion: a callable on [0, 1]")
    tail = np.cumsum(probs[::-1])[::-1]
    tail = np.minimum(tail / tail[0], 1.0)
    gt = np.asarray(g(tail), dtype=np.float64)
    weights = gt - np.append(gt[1:], 0.0)
    return float(np.dot(weights, values))


def tail_weights(total: FloatArray, level: float) -> FloatArray:
    """Atom-safe tail weights of TVaR at ``level`` on a sample of ``total``.

    Returns ``w`` (non-negative, summing to 1) with ``w @ total == TVaR_level(total)``:
    ``1 / (n (1 - level))`` on every year with ``total > VaR`` and the remaining tail mass
    shared equally by the years with ``total == VaR``.

    Examples
    --------
    Half the tail mass is the year with total 1; the other half is shared by the three
    tied years at VaR = 0, so ``w @ total`` is ``TVaR_0.5 = 0.5``:

    >>> x = np.array([0.0, 0.0, 0.0, 1.0])
    >>> w = tail_weights(x, 0.5)
    >>> w.round(4).tolist(), float(w @ x)
    ([0.1667, 0.1667, 0.1667, 0.5], 0.5)
    """
    s = np.asarray(total, dtype=np.float64)
    n = s.size
    k = int(lower_quantile_index(n, np.asarray(level, dtype=np.float64)))
    var = np.partition(s, k)[k]
    above = s > var
    at = s == var
    mass = n * (1.0 - level)
    w = np.zeros(n)
    w[above] = 1.0
    rest = mass - above.sum()
    w[at] = rest / at.sum()
    return w / mass


def _check_matrix(x: Any, names: tuple[str, ...], allow_empty: bool) -> FloatArray:
    m = np.asarray(x, dtype=np.float64)
    if m.ndim != 2 or m.shape[0] < 2:
        raise InvalidInputError(f"claims must be a 2-D array (years x lines); got {m.shape}")
    if not np.all(np.isfinite(m)):
        raise InvalidInputError("claims contains NaN or infinite values")
    empty = [names[j] for j in range(m.shape[1]) if not np.any(m[:, j])]
    if empty and not allow_empty:
        raise InvalidInputError(
            f"cannot allocate capital to line(s) {empty}: no simulated claims (an empty line "
            "has no covers or no incident rate); drop it before allocating"
        )
    return m


def allocate_matrix(
    claims: Any,
    names: tuple[str, ...],
    *,
    method: AllocationMethod = "co-tvar",
    level: float = 0.99,
    total_capital: float | None = None,
    window: float = 0.001,
    allow_empty: bool = False,
) -> tuple[FloatArray, FloatArray, float]:
    """Allocate a risk measure of the total of ``claims`` columns to the columns.

    Parameters
    ----------
    claims : ndarray, shape (n, k)
        Simulated annual losses (or net losses) of ``k`` lines.
    names : tuple of str
        Column names, used in error messages.
    method : {"co-tvar", "co-var", "covariance", "proportional"}
        ``co-tvar``: Euler allocation of ``TVaR_level`` (atom-safe tail weights).
        ``co-var``: Euler allocation of ``VaR_level``: the mean of each line over the years
        whose total lies within ``window`` (in probability) of the VaR, rescaled to add up to
        the VaR. ``covariance``: ``total_capital * Cov(X_j, S) / Var(S)``.
        ``proportional``: ``total_capital`` shared in proportion to each line's stand-alone
        TVaR at ``level``.
    total_capital : float, optional
        Amount to share for ``covariance`` and ``proportional`` (default ``TVaR_level`` of
        the total).
    allow_empty : bool, default False
        Accept columns without any claim (they get zero under the Euler methods); by default
        such a column is an error naming it.

    Returns
    -------
    allocation, std_error : ndarray, shape (k,)
        Allocated amounts (adding up to the total) and their approximate Monte Carlo standard
        errors (co-TVaR: the tail-weighted standard deviation over ``sqrt`` of the number of
        tail years; NaN where no simple estimate exists).
    total : float
        The allocated total.
    """
    level = check_in_unit_interval(level, "level")
    if method not in ALLOCATION_METHODS:
        raise InvalidInputError(
            f"method must be one of {list(ALLOCATION_METHODS)}; got {method!r}"
        )
    m = _check_matrix(claims, names, allow_empty)
    n, k = m.shape
    s = m.sum(axis=1)
    se = np.full(k, np.nan)
    if method == "co-tvar":
        w = tail_weights(s, level)
        alloc = w @ m
        n_tail = max(n * (1.0 - level), 1.0)
        mean_w = alloc
        var_w = w @ (m - mean_w) ** 2
        se = np.sqrt(var_w / n_tail)
        # the weights sum to one, so the columns add up to w @ s = TVaR exactly
        return alloc, se, float(w @ s)
    if method == "co-var":
        order = np.argsort(s, kind="stable")
        kq = int(lower_quantile_index(n, np.asarray(level, dtype=np.float64)))
        half = max(round(window * n), 1)
        rows = order[max(kq - half, 0) : min(kq + half + 1, n)]
        local = m[rows].mean(axis=0)
        var = float(s[order[kq]])
        local_sum = local.sum()
        if local_sum <= 0:
            raise InvalidInputError(
                "co-var allocation is undefined: the total is zero around the VaR; use "
                "method='co-tvar' or a higher level"
            )
        alloc = local * (var / local_sum)
        se = m[rows].std(axis=0, ddof=1) / math.sqrt(rows.size) * (var / local_sum)
        return alloc, se, var
    w = tail_weights(s, level)
    total = float(w @ s) if total_capital is None else float(total_capital)
    if method == "covariance":
        var_s = float(s.var())
        if var_s <= 0:
            raise InvalidInputError("covariance allocation needs a total with positive variance")
        cov = ((m - m.mean(axis=0)) * (s - s.mean())[:, None]).mean(axis=0)
        return total * cov / var_s, se, total
    standalone = np.array([float(tail_weights(m[:, j], level) @ m[:, j]) for j in range(k)])
    if standalone.sum() <= 0:
        raise InvalidInputError("proportional allocation needs a positive stand-alone measure")
    return total * standalone / standalone.sum(), se, total
