"""Cover terms: per-event and aggregate layers.

A :class:`Layer` pays, per event, ``share * min(max(X - d, 0), L)`` where ``d`` is the
deductible and ``L`` the limit (the *width* of the layer, not its top), and on the annual sum
``S`` of those payments ``min(max(S - AD, 0), AL)`` with aggregate deductible ``AD`` and
aggregate limit ``AL``. These definitions are fixed by the project's design and never drift.

The module also gives the moments of the per-event payment for any frozen continuous
``scipy.stats`` distribution, used for analytic checks of simulations and exact methods.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import integrate

from actuarial._quadrature import quad_between_quantiles
from actuarial._typing import ArrayLike, FloatArray
from actuarial._validation import as_float_array, check_in_unit_interval, check_nonnegative
from actuarial.exceptions import InfiniteMeanError, InvalidInputError

__all__ = ["Layer", "layer_moments"]


@dataclass(frozen=True)
class Layer:
    """Per-event and aggregate cover terms.

    Parameters
    ----------
    deductible : float, default 0
        Per-event deductible ``d`` (USD): the insurer pays nothing of the first ``d``.
    limit : float, default inf
        Per-event limit ``L`` (USD), the width of the layer above ``d``: the layer reads
        ``L xs d`` and its top is ``d + L``.
    share : float, default 1
        Proportion of the layer the cover takes, in (0, 1].
    aggregate_deductible : float, default 0
        Annual aggregate deductible ``AD`` (USD), applied to the sum of per-event payments.
    aggregate_limit : float, default inf
        Annual aggregate limit ``AL`` (USD), the most the cover pays in a year.

    Examples
    --------
    >>> import actuarial as act
    >>> layer = act.Layer(deductible=1e6, limit=9e6, share=0.5)
    >>> layer.per_event([5e5, 3e6, 5e7]).tolist()
    [0.0, 1000000.0, 4500000.0]
    >>> act.Layer(aggregate_limit=2e7).aggregate([1e7, 3e7]).tolist()
    [10000000.0, 20000000.0]
    """

    deductible: float = 0.0
    limit: float = math.inf
    share: float = 1.0
    aggregate_deductible: float = 0.0
    aggregate_limit: float = math.inf

    def __post_init__(self) -> None:
        object.__setattr__(self, "deductible", check_nonnegative(self.deductible, "deductible"))
        limit = check_nonnegative(self.limit, "limit", allow_inf=True)
        if limit == 0:
            raise InvalidInputError("limit must be positive (a layer of width 0 pays nothing)")
        object.__setattr__(self, "limit", limit)
        share = check_in_unit_interval(self.share, "share", closed=True)
        if share == 0:
            raise InvalidInputError("share must lie in (0, 1]; got 0")
        object.__setattr__(self, "share", share)
        object.__setattr__(
            self,
            "aggregate_deductible",
            check_nonnegative(self.aggregate_deductible, "aggregate_deductible"),
        )
        agg_limit = check_nonnegative(self.aggregate_limit, "aggregate_limit", allow_inf=True)
        if agg_limit == 0:
            raise InvalidInputError("aggregate_limit must be positive; got 0")
        object.__setattr__(self, "aggregate_limit", agg_limit)

    @property
    def has_aggregate_terms(self) -> bool:
        """True when an aggregate deductible or a finite aggregate limit applies."""
        return self.aggregate_deductible > 0 or math.isfinite(self.aggregate_limit)

    @property
    def is_identity(self) -> bool:
        """True when the layer passes every loss through unchanged."""
        return (
            self.deductible == 0
            and math.isinf(self.limit)
            and self.share == 1.0
            and not self.has_aggregate_terms
        )

    @property
    def max_event_payment(self) -> float:
        """Largest possible payment for one event, ``share * limit`` (may be inf)."""
        return self.share * self.limit

    def per_event(self, losses: ArrayLike) -> FloatArray:
        """Payments for individual ground-up losses (USD).

        Raises
        ------
        InvalidInputError
            If a loss is negative or NaN.
        """
        x = as_float_array(losses, "losses", nonnegative=True, allow_inf=True, min_size=0)
        return self._per_event_unchecked(x)

    def _per_event_unchecked(self, x: FloatArray) -> FloatArray:
        """Per-event payment on an already validated float array (engine fast path)."""
        out = x - self.deductible if self.deductible else x.copy()
        np.maximum(out, 0.0, out=out)
        if math.isfinite(self.limit):
            np.minimum(out, self.limit, out=out)
        if self.share != 1.0:
            out *= self.share
        return out

    def aggregate(self, totals: ArrayLike) -> FloatArray:
        """Apply the aggregate deductible and limit to annual sums of per-event payments."""
        s = as_float_array(totals, "totals", nonnegative=True, allow_inf=True, min_size=0)
        return self._aggregate_unchecked(s)

    def _aggregate_unchecked(self, s: FloatArray) -> FloatArray:
        if not self.has_aggregate_terms:
            return s
        out = s - self.aggregate_deductible
        np.maximum(out, 0.0, out=out)
        if math.isfinite(self.aggregate_limit):
            np.minimum(out, self.aggregate_limit, out=out)
        return out

    def describe(self) -> str:
        """One-line description in market notation, e.g. ``'99M xs 1M, share 100%'``."""
        lim = "unlimited" if math.isinf(self.limit) else _money(self.limit)
        text = f"{lim} xs {_money(self.deductible)}, share {self.share:.0%}"
        if self.has_aggregate_terms:
            agg = "unlimited" if math.isinf(self.aggregate_limit) else _money(self.aggregate_limit)
            text += f"; aggregate {agg} xs {_money(self.aggregate_deductible)}"
        return text


def _money(x: float) -> str:
    for unit, scale in (("bn", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= scale:
            return f"{x / scale:g}{unit}"
    return f"{x:g}"


def _integrate_sf(dist: Any, a: float, b: float, power: int) -> float:
    """Integral of ``(x - a)**power * S(x)`` over the finite interval ``[a, b]``."""

    def f(x: float) -> float:
        return float((x - a) ** power * dist.sf(x))

    return quad_between_quantiles(f, dist, a, b)


def _tail_integral(dist: Any, a: float, power: int) -> float:
    """Integral of ``(x - a)**power * S(x)`` over ``[a, inf)``."""
    hi = max(a, float(dist.isf(1e-12)))
    body = _integrate_sf(dist, a, hi, power) if hi > a else 0.0
    # Beyond the 1 - 1e-12 quantile only a sliver remains, a few ulps of the body for light
    # tails, where quad reports round-off that cannot matter here.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        rest, _ = integrate.quad(
            lambda x: float((x - a) ** power * dist.sf(x)), hi, math.inf, limit=400,
            epsabs=1e-10 * abs(body), epsrel=1e-8,
        )
    return body + rest


def layer_moments(dist: Any, layer: Layer) -> tuple[float, float]:
    """First two moments of the per-event payment of ``layer`` for ground-up loss ``dist``.

    Uses ``E[Y] = s * int_d^{d+L} S(x) dx`` and
    ``E[Y^2] = 2 s^2 * int_d^{d+L} (x - d) S(x) dx`` with numerical quadrature of the
    survival function, which holds for any distribution on ``[0, inf)``.

    Parameters
    ----------
    dist : frozen scipy.stats continuous distribution
        Ground-up loss per event (USD).
    layer : Layer
        Cover terms; only the per-event terms are used.

    Returns
    -------
    mean, second_moment : float
        ``E[Y]`` and ``E[Y**2]``; ``inf`` when the moment does not exist.

    Raises
    ------
    InfiniteMeanError
        If the layer is unlimited and the severity has an infinite mean.

    Examples
    --------
    >>> from scipy import stats
    >>> import actuarial as act
    >>> m1, m2 = layer_moments(stats.expon(scale=2.0), act.Layer(deductible=1.0))
    >>> round(m1, 10), round(m2, 10)  # memoryless: E[Y] = 2 exp(-1/2), E[Y^2] = 8 exp(-1/2)
    (1.2130613194, 4.8522452777)
    """
    d, top = layer.deductible, layer.deductible + layer.limit
    s = layer.share
    if math.isinf(top):
        mean = float(dist.mean())
        if not math.isfinite(mean):
            raise InfiniteMeanError(
                "the severity has an infinite mean and the layer has no limit: set a "
                "per-event limit (Layer(limit=...)) to get a finite expected payment"
            )
        var = float(dist.var())
        if d == 0:
            m2 = var + mean**2 if math.isfinite(var) else math.inf
            return s * mean, s * s * m2
        if float(dist.sf(d)) < 0.5:
            # deductible in the tail: integrate beyond it directly (no cancellation)
            m1 = _tail_integral(dist, d, 0)
            m2 = 2.0 * _tail_integral(dist, d, 1) if math.isfinite(var) else math.inf
            return s * m1, s * s * m2
        # E[(X - d)+] = E[X] - E[X ^ d]; second moment via E[X^2] when finite.
        lev_d = _integrate_sf(dist, 0.0, d, 0)
        m1 = mean - lev_d
        if not math.isfinite(var):
            return s * m1, math.inf
        ex2 = var + mean**2
        # E[(X-d)+^2] = E[X^2] - E[min(X,d)^2] - 2 d E[(X-d)+]
        lev2_d = 2.0 * _integrate_sf(dist, 0.0, d, 1)
        m2 = ex2 - lev2_d - 2.0 * d * m1
        return s * m1, s * s * m2
    m1 = _integrate_sf(dist, d, top, 0)
    m2 = 2.0 * _integrate_sf(dist, d, top, 1)
    return s * m1, s * s * m2
