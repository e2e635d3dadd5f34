"""Risk measures on samples and discrete distributions, with their Monte Carlo errors.

Definitions (fixed by the project's design):

* **VaR** at level ``p`` is the lower ``p``-quantile ``inf{x : F(x) >= p}``.
* **TVaR** at level ``p`` is ``VaR_p + E[(X - VaR_p)+] / (1 - p)``. It equals
  ``E[X | X >= VaR_p]`` for continuous ``X`` and stays correct when the distribution has
  atoms (at 0, at an aggregate limit), where the conditional mean does not.
* **EPD** (expected policyholder deficit) at capital ``c`` is ``E[(X - c)+]``.
* **Exceedance probability** of ``t`` is ``P(X > t)``.

On a sample of size ``n`` the empirical distribution is used. :func:`estimate` adds the
Monte Carlo standard error and a confidence interval: distribution-free order-statistic
intervals for VaR, the influence function ``VaR + (X - VaR)+ / (1 - p)`` for TVaR, and the
usual sample-mean errors otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
from scipy import stats

from actuarial._typing import ArrayLike, FloatArray
from actuarial._validation import (
    as_float_array,
    check_in_unit_interval,
    check_probabilities,
)
from actuarial.exceptions import InvalidInputError

__all__ = [
    "Estimate",
    "discrete_tvar",
    "discrete_value_at_risk",
    "estimate",
    "exceedance_probability",
    "expected_policyholder_deficit",
    "lower_quantile_index",
    "lower_quantile_sorted",
    "tvar",
    "tvar_from_var",
    "value_at_risk",
]

Measure = Literal["mean", "std", "var", "tvar", "epd", "exceedance"]


def _sample(x: ArrayLike, name: str = "x", min_size: int = 1) -> FloatArray:
    return as_float_array(x, name, min_size=min_size)


def lower_quantile_index(n: int, p: FloatArray) -> npt.NDArray[np.int64]:
    """0-based index of the lower ``p``-quantile in a sorted sample of size ``n``.

    It is the ``k``-th order statistic with ``k = ceil(n p)`` (at least 1): the definition of
    VaR, ``inf{x : F_n(x) >= p}``. ``n p`` is rounded to 6 decimals first, so that a product
    such as ``100 * 0.99 = 99.00000000000001`` selects the 99th value, not the 100th.
    """
    k = np.ceil(np.round(n * np.asarray(p, dtype=np.float64), 6)).astype(np.int64)
    return np.clip(k, 1, n) - 1


def lower_quantile_sorted(xs: FloatArray, p: FloatArray) -> FloatArray:
    """Lower ``p``-quantile(s) of an already sorted sample ``xs`` (no checks)."""
    return xs[lower_quantile_index(xs.size, p)]


def value_at_risk(x: ArrayLike, p: float | ArrayLike) -> float | FloatArray:
    """Value at risk: the lower ``p``-quantile of the sample ``x``.

    Parameters
    ----------
    x : array_like
        Sample of losses (e.g. simulated annual claims, USD).
    p : float or array_like
        Level(s) in (0, 1).

    Returns
    -------
    float or ndarray
        ``inf{v : F_n(v) >= p}`` where ``F_n`` is the empirical cdf.

    Examples
    --------
    >>> value_at_risk([0.0, 0.0, 1.0, 2.0], 0.5)
    0.0
    >>> value_at_risk([0.0, 0.0, 1.0, 2.0], [0.6, 0.99]).tolist()
    [1.0, 2.0]
    """
    xs = np.sort(_sample(x))
    pa = check_probabilities(p)
    out = lower_quantile_sorted(xs, np.atleast_1d(pa))
    return float(out[0]) if np.ndim(p) == 0 else out.reshape(np.shape(p))


def tvar(x: ArrayLike, p: float | ArrayLike) -> float | FloatArray:
    """Tail value at risk ``VaR_p + E[(X - VaR_p)+] / (1 - p)`` of the sample ``x``.

    Examples
    --------
    A sample with an atom at zero: the conditional mean ``E[X | X >= VaR]`` would be 1/3
    here, the tail value at risk is the mean of the worst half, 1/2.

    >>> tvar([0.0, 0.0, 0.0, 1.0], 0.5)
    0.5
    """
    xs = _sample(x)
    pa = np.atleast_1d(check_probabilities(p))
    v = lower_quantile_sorted(np.sort(xs), pa)
    out = tvar_from_var(xs, v, pa)
    return float(out[0]) if np.ndim(p) == 0 else out.reshape(np.shape(p))


def tvar_from_var(x: FloatArray, var: FloatArray, p: FloatArray) -> FloatArray:
    """``VaR_p + E[(X - VaR_p)+] / (1 - p)`` for each pair of ``var`` and ``p`` (no checks).

    For engines that already hold the sample's quantiles; ``x`` is the sample.
    """
    return np.array(
        [v + np.maximum(x - v, 0.0).mean() / (1.0 - q) for v, q in zip(var, p, strict=True)]
    )


def expected_policyholder_deficit(x: ArrayLike, capital: float) -> float:
    """Expected policyholder deficit ``E[(X - capital)+]`` of the sample ``x``.

    Examples
    --------
    >>> expected_policyholder_deficit([0.0, 5.0, 15.0], capital=10.0)
    1.6666666666666667
    """
    xs = _sample(x)
    c = float(capital)
    if not math.isfinite(c):
        raise InvalidInputError(f"capital must be finite; got {capital!r}")
    return float(np.maximum(xs - c, 0.0).mean())


def exceedance_probability(x: ArrayLike, threshold: float) -> float:
    """Probability ``P(X > threshold)`` estimated from the sample ``x``.

    Examples
    --------
    >>> exceedance_probability([0.0, 5.0, 15.0, 20.0], 10.0)
    0.5
    """
    xs = _sample(x)
    t = float(threshold)
    if math.isnan(t):
        raise InvalidInputError("threshold must not be NaN")
    return float((xs > t).mean())


@dataclass(frozen=True)
class Estimate:
    """A Monte Carlo estimate with its standard error and confidence interval."""

    measure: str
    level: float | None
    value: float
    std_error: float
    ci_low: float
    ci_high: float
    confidence: float
    n: int

    def __str__(self) -> str:
        lvl = "" if self.level is None else f"({self.level:g})"
        return (
            f"{self.measure}{lvl} = {self.value:.6g} ± {self.std_error:.3g} (s.e.); "
            f"{self.confidence:.0%} CI [{self.ci_low:.6g}, {self.ci_high:.6g}], n = {self.n}"
        )


def estimate(
    x: ArrayLike,
    measure: Measure,
    level: float | None = None,
    *,
    confidence: float = 0.95,
    presorted: bool = False,
) -> Estimate:
    """Estimate a risk measure from a sample, with its Monte Carlo error.

    Parameters
    ----------
    x : array_like
        Independent draws of the loss (e.g. simulated annual claims).
    measure : {"mean", "std", "var", "tvar", "epd", "exceedance"}
        What to estimate. ``level`` is the probability for ``var``/``tvar``, the capital for
        ``epd`` and the threshold for ``exceedance``; it is ignored for ``mean``/``std``.
    confidence : float, default 0.95
        Confidence of the interval.
    presorted : bool, default False
        Declare that ``x`` is already sorted ascending (saves a sort on large samples).

    Returns
    -------
    Estimate
        ``value``, ``std_error`` and ``ci_low``/``ci_high``. For VaR the interval is the
        distribution-free order-statistic interval and ``std_error`` its half-width divided
        by the normal quantile; elsewhere the interval is normal, ``value ± z * std_error``.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(1).exponential(size=100_000)
    >>> e = estimate(x, "tvar", 0.99)
    >>> bool(abs(e.value - (1 + np.log(100))) < 4 * e.std_error)   # closed form 1 + ln 100
    True
    """
    xs = _sample(x, min_size=2)
    if not presorted:
        xs = np.sort(xs)
    n = xs.size
    conf = check_in_unit_interval(confidence, "confidence")
    z = float(stats.norm.ppf(0.5 + conf / 2.0))
    lvl: float | None = None
    if measure == "mean":
        value = float(xs.mean())
        se = float(xs.std(ddof=1) / math.sqrt(n))
    elif measure == "std":
        value = float(xs.std(ddof=1))
        centred = xs - xs.mean()
        m4 = float(np.mean(centred**4))
        se = math.sqrt(max(m4 - value**4, 0.0) / n) / (2.0 * value) if value > 0 else 0.0
    elif measure == "var":
        lvl = check_in_unit_interval(level, "level")
        value = float(lower_quantile_sorted(xs, np.array([lvl]))[0])
        alpha = 1.0 - conf
        lo_k = int(stats.binom.ppf(alpha / 2.0, n, lvl))
        hi_k = int(stats.binom.ppf(1.0 - alpha / 2.0, n, lvl)) + 1
        ci_low = float(xs[min(max(lo_k, 1), n) - 1])
        ci_high = float(xs[min(max(hi_k, 1), n) - 1])
        se = (ci_high - ci_low) / (2.0 * z)
        return Estimate("VaR", lvl, value, se, ci_low, ci_high, conf, n)
    elif measure == "tvar":
        lvl = check_in_unit_interval(level, "level")
        v = float(lower_quantile_sorted(xs, np.array([lvl]))[0])
        excess = np.maximum(xs - v, 0.0)
        value = v + float(excess.mean()) / (1.0 - lvl)
        se = float(excess.std(ddof=1)) / ((1.0 - lvl) * math.sqrt(n))
        return Estimate("TVaR", lvl, value, se, value - z * se, value + z * se, conf, n)
    elif measure == "epd":
        if level is None or not math.isfinite(float(level)):
            raise InvalidInputError("level (the capital) must be a finite number for 'epd'")
        lvl = float(level)
        excess = np.maximum(xs - lvl, 0.0)
        value = float(excess.mean())
        se = float(excess.std(ddof=1) / math.sqrt(n))
    elif measure == "exceedance":
        if level is None or math.isnan(float(level)):
            raise InvalidInputError("level (the threshold) must be a number for 'exceedance'")
        lvl = float(level)
        value = float((xs > lvl).mean())
        se = math.sqrt(value * (1.0 - value) / n)
    else:
        raise InvalidInputError(
            "measure must be one of 'mean', 'std', 'var', 'tvar', 'epd', 'exceedance'; "
            f"got {measure!r}"
        )
    return Estimate(measure, lvl, value, se, value - z * se, value + z * se, conf, n)


def _discrete(support: ArrayLike, probs: ArrayLike) -> tuple[FloatArray, FloatArray]:
    s = as_float_array(support, "support", allow_inf=False)
    q = as_float_array(probs, "probs", nonnegative=True)
    if s.size != q.size:
        raise InvalidInputError(
            f"support and probs must have the same length; got {s.size} and {q.size}"
        )
    if np.any(np.diff(s) < 0):
        raise InvalidInputError("support must be sorted in increasing order")
    if q.sum() > 1.0 + 1e-9:
        raise InvalidInputError(f"probs must sum to at most 1; got {q.sum():.12g}")
    return s, q


def discrete_value_at_risk(
    support: ArrayLike, probs: ArrayLike, p: float | ArrayLike
) -> float | FloatArray:
    """Lower ``p``-quantile of a discrete distribution on sorted ``support``.

    ``probs`` may sum to slightly less than 1 (mass lost off a grid); the missing mass is
    treated as lying above the support: the quantile is exact for levels the support reaches
    and ``inf`` beyond.
    """
    support, probs = _discrete(support, probs)
    pa = np.atleast_1d(check_probabilities(p))
    cdf = np.cumsum(probs)
    idx = np.searchsorted(cdf, pa - 1e-13, side="left")
    out = np.where(idx < support.size, support[np.minimum(idx, support.size - 1)], np.inf)
    return float(out[0]) if np.ndim(p) == 0 else out.reshape(np.shape(p))


def discrete_tvar(
    support: ArrayLike, probs: ArrayLike, p: float | ArrayLike
) -> float | FloatArray:
    """Tail value at risk of a discrete distribution, atom-safe (``VaR + E[(X-VaR)+]/(1-p)``)."""
    support, probs = _discrete(support, probs)
    pa = np.atleast_1d(check_probabilities(p))
    v = np.atleast_1d(discrete_value_at_risk(support, probs, pa))
    out = np.array(
        [
            vi + float(np.dot(np.maximum(support - vi, 0.0), probs)) / (1.0 - pi)
            if math.isfinite(vi)
            else math.inf
            for vi, pi in zip(v, pa, strict=True)
        ]
    )
    return float(out[0]) if np.ndim(p) == 0 else out.reshape(np.shape(p))
