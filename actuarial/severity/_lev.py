"""Limited and layer expected values of a severity distribution."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import special

from actuarial._quadrature import quad_between_quantiles
from actuarial._typing import ArrayLike, FloatArray
from actuarial._validation import check_nonnegative, check_positive
from actuarial.exceptions import InfiniteMeanError, InvalidTypeError
from actuarial.severity._base import Frozen
from actuarial.severity._result import SeverityFit

__all__ = ["layer_expected_value", "limited_expected_value"]


def _lognorm(v: float, s: float) -> float:
    if v <= 0:
        return v
    lv = math.log(v)
    return math.exp(s * s / 2) * special.ndtr((lv - s * s) / s) + v * special.ndtr(-lv / s)


def _gamma(v: float, a: float) -> float:
    return a * special.gammainc(a + 1, v) + v * special.gammaincc(a, v)


def _weibull(v: float, c: float) -> float:
    g = 1.0 + 1.0 / c
    return special.gamma(g) * special.gammainc(g, v**c) + v * math.exp(-(v**c))


def _lomax(v: float, c: float) -> float:
    if abs(c - 1.0) < 1e-12:
        return math.log1p(v)
    return -math.expm1((1.0 - c) * math.log1p(v)) / (c - 1.0)


def _pareto(v: float, b: float) -> float:
    if v <= 1.0:
        return v
    if abs(b - 1.0) < 1e-12:
        return 1.0 + math.log(v)
    return 1.0 + math.expm1((1.0 - b) * math.log(v)) / (1.0 - b)


def _genpareto(v: float, c: float) -> float:
    if c < 0 and c * v <= -1.0:  # at or beyond the upper end point -1/c
        return 1.0 / (1.0 - c)
    if abs(c) < 1e-12:
        return -math.expm1(-v)
    if abs(c - 1.0) < 1e-12:
        return math.log1p(v)
    # integral of (1 + c y)^(-1/c) from 0 to v
    return -math.expm1((1.0 - 1.0 / c) * math.log1p(c * v)) / (1.0 - c)


def _burr12(v: float, c: float, d: float) -> float | None:
    if c * d <= 1.0:
        return None
    z = v**c / (1.0 + v**c)
    a, b = 1.0 + 1.0 / c, d - 1.0 / c
    partial = d * special.beta(a, b) * special.betainc(a, b, z)
    return float(partial + v * (1.0 + v**c) ** (-d))


def _fisk(v: float, c: float) -> float | None:
    return _burr12(v, c, 1.0)


def _invgamma(v: float, a: float) -> float | None:
    if a <= 1.0 or v <= 0:
        return None if v > 0 else v
    w = 1.0 / v
    return float(special.gammaincc(a - 1.0, w) / (a - 1.0) + v * special.gammainc(a, w))


#: Closed forms of E[min(Y, v)] for the standardised variable Y = (X - loc) / scale.
_CLOSED: dict[str, Callable[..., float | None]] = {
    "lognorm": _lognorm,
    "gamma": _gamma,
    "weibull_min": _weibull,
    "lomax": _lomax,
    "pareto": _pareto,
    "genpareto": _genpareto,
    "burr12": _burr12,
    "fisk": _fisk,
    "invgamma": _invgamma,
}


def _as_frozen(dist_or_fit: Any) -> Frozen:
    dist = dist_or_fit.dist if isinstance(dist_or_fit, SeverityFit) else dist_or_fit
    if not isinstance(dist, Frozen):  # type: ignore[misc]  # scipy is untyped
        raise InvalidTypeError(
            "dist_or_fit must be a frozen scipy.stats continuous distribution or a "
            f"SeverityFit, got {type(dist_or_fit).__name__}"
        )
    return dist


def _numerical(dist: Frozen, u: float) -> float:
    """``u - integral_a^u F(x) dx`` (lower support ``a`` finite), else ``expect``."""
    a, b = (float(v) for v in dist.support())
    if u <= a:
        return u
    u = min(u, b)  # min(X, u) = X beyond the upper end point
    if not math.isfinite(a):
        return float(dist.expect(lambda x: np.minimum(x, u)))
    inner = getattr(dist.dist, "threshold", None)
    extra = [float(inner)] if inner is not None else []
    return u - quad_between_quantiles(dist.cdf, dist, a, u, extra_points=extra)


def _lev_scalar(dist: Frozen, u: float) -> float:
    if math.isinf(u):
        mean = float(dist.mean())
        if not math.isfinite(mean):
            raise InfiniteMeanError(
                "the distribution has infinite mean: E[min(X, inf)] does not exist; apply a "
                "cover limit"
            )
        return mean
    name = getattr(dist.dist, "name", "")
    closed = _CLOSED.get(name)
    if closed is not None:
        shapes, loc, scale = dist.dist._parse_args(*dist.args, **dist.kwds)
        if u <= loc:
            return u
        value = closed((u - loc) / scale, *shapes)
        if value is not None and math.isfinite(value):
            return float(loc + scale * value)
    return _numerical(dist, u)


def limited_expected_value(dist_or_fit: Any, u: float | ArrayLike) -> float | FloatArray:
    """Limited expected value ``E[min(X, u)]``.

    Closed forms are used for the lognormal, gamma, Weibull, Lomax, Pareto, generalized
    Pareto, Burr XII, log-logistic and inverse gamma (with any ``loc`` and ``scale``); any
    other frozen continuous distribution (a splice, say) is integrated numerically as
    ``u - integral F(x) dx`` over its support below ``u``.

    Parameters
    ----------
    dist_or_fit : frozen scipy.stats distribution or SeverityFit
        The (untruncated) loss distribution.
    u : float or array_like
        Limit(s), in the units of the losses; ``inf`` gives the mean (an error when it is
        infinite).

    Returns
    -------
    float or ndarray

    Examples
    --------
    >>> from scipy import stats
    >>> round(limited_expected_value(stats.lomax(1.0, scale=1e6), 1e8) / 1e6, 4)
    4.6151
    """
    dist = _as_frozen(dist_or_fit)
    arr = np.asarray(u, dtype=float)
    for value in np.atleast_1d(arr):
        check_nonnegative(float(value), "u", allow_inf=True)
    out = np.array([_lev_scalar(dist, float(v)) for v in np.atleast_1d(arr)])
    return float(out[0]) if arr.ndim == 0 else out.reshape(arr.shape)


def layer_expected_value(
    dist_or_fit: Any, deductible: float, limit: float = math.inf
) -> float:
    """Expected payment per loss of the layer ``limit xs deductible``.

    ``E[min(max(X - d, 0), L)] = LEV(d + L) - LEV(d)``, with ``L`` the layer width (the
    limit, not the top of the layer), as in the project's layer definition.

    Examples
    --------
    >>> from scipy import stats
    >>> round(layer_expected_value(stats.expon(scale=1.0), 1.0, 2.0), 6)
    0.318092
    """
    d = check_nonnegative(deductible, "deductible")
    width = check_positive(limit, "limit", allow_inf=True)
    dist = _as_frozen(dist_or_fit)
    top = d + width
    if math.isinf(top):
        mean = float(dist.mean())
        if not math.isfinite(mean):
            raise InfiniteMeanError(
                "the layer is unlimited and the distribution has infinite mean; set a finite "
                "limit"
            )
        return mean - _lev_scalar(dist, d)
    return _lev_scalar(dist, top) - _lev_scalar(dist, d)
