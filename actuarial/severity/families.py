"""The severity families: each one declared once (parameters, bounds, scipy mapping).

Every family maps to a ``scipy.stats`` distribution and uses scipy's parameter names. The
docstring of each class gives the survival function or density, the scipy object, the
matching ``actuar`` (R) parametrisation and the mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from scipy import stats

from actuarial.exceptions import InvalidInputError
from actuarial.severity._base import Family, LiteDist, Param, Sample, weighted_quantile

__all__ = [
    "FAMILIES",
    "GPD",
    "Burr12",
    "Gamma",
    "InvGamma",
    "LogLogistic",
    "Lognormal",
    "Lomax",
    "Pareto",
    "Weibull",
    "get_family",
]


def _lite(gen: stats.rv_continuous, *args: float, **kwds: float) -> LiteDist:
    return LiteDist(gen, args, kwds)


def _log_moments(sample: Sample) -> tuple[float, float]:
    """Weighted mean and variance of log losses (starting values only)."""
    lx = np.log(sample.x)
    w = sample.weights
    m = float(np.average(lx, weights=w))
    v = float(np.average((lx - m) ** 2, weights=w))
    return m, max(v, 1e-6)


def _moments(y: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    m = float(np.average(y, weights=w))
    v = float(np.average((y - m) ** 2, weights=w))
    return m, max(v, 1e-12 * m * m + 1e-300)


def _median(sample: Sample) -> float:
    return float(weighted_quantile(sample.x, sample.weights, 0.5))


class Lognormal(Family):
    """Lognormal: ``log X ~ Normal(log(scale), s**2)``.

    scipy ``lognorm(s, scale=scale)``; R ``dlnorm(meanlog=log(scale), sdlog=s)``.
    Mean ``scale * exp(s**2 / 2)``.
    """

    name = "lognormal"
    params = (Param("s"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.lognorm, params["s"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        m, v = _log_moments(sample)
        s = math.sqrt(v)
        return [
            {"s": s, "scale": math.exp(m)},
            {"s": 1.5 * s, "scale": math.exp(m - v)},
            {"s": 2.5 * s, "scale": math.exp(m - 3 * v)},
        ]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return math.inf


class Gamma(Family):
    """Gamma with shape ``a`` and scale: density ``x**(a-1) exp(-x/scale) / (Gamma(a) scale**a)``.

    scipy ``gamma(a, scale=scale)``; R ``dgamma(shape=a, scale=scale)``. Mean ``a * scale``.
    """

    name = "gamma"
    params = (Param("a"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.gamma, params["a"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        m, v = _moments(sample.x, sample.weights)
        a = m * m / v
        _, lv = _log_moments(sample)
        a_log = 1.0 / lv if lv > 0.5 else 1.0 / lv + 0.5  # trigamma(a) ~ 1/a + 1/(2a^2)
        return [
            {"a": a, "scale": m / a},
            {"a": a_log, "scale": m / a_log},
            {"a": 0.2, "scale": m / 0.2},
        ]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return math.inf


class Weibull(Family):
    """Weibull with survival ``exp(-(x/scale)**c)``.

    scipy ``weibull_min(c, scale=scale)``; R ``dweibull(shape=c, scale=scale)``.
    Mean ``scale * Gamma(1 + 1/c)``.
    """

    name = "weibull"
    params = (Param("c"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.weibull_min, params["c"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        m, v = _log_moments(sample)
        c = math.pi / math.sqrt(6.0 * v)
        return [
            {"c": c, "scale": math.exp(m + np.euler_gamma / c)},
            {"c": 0.5 * c, "scale": math.exp(m)},
            {"c": 0.25 * c, "scale": math.exp(m - v)},
        ]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return math.inf


class Lomax(Family):
    """Lomax (Pareto II) with survival ``(1 + x/scale)**(-c)``.

    scipy ``lomax(c, scale=scale)``; R ``actuar::dpareto(shape=c, scale=scale)``.
    Mean ``scale / (c - 1)`` for ``c > 1``, infinite otherwise.
    """

    name = "lomax"
    params = (Param("c"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.lomax, params["c"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        out = []
        med = _median(sample)
        for scale in (med, 0.1 * med, 10.0 * med):
            c = 1.0 / float(np.average(np.log1p(sample.x / scale), weights=sample.weights))
            out.append({"c": c, "scale": scale})
        return out

    def tail_index(self, params: Mapping[str, float]) -> float:
        return float(params["c"])


class Pareto(Family):
    """Single-parameter Pareto with survival ``(scale / x)**b`` for ``x >= scale``.

    scipy ``pareto(b, scale=scale)``; R ``actuar::dpareto1(shape=b, min=scale)``. The scale
    is fixed, not estimated: the ``threshold`` argument if given, else the smallest
    truncation point, else the smallest loss (then counted as an estimated parameter in AIC
    and BIC). Mean ``b * scale / (b - 1)`` for ``b > 1``, infinite otherwise.
    """

    name = "pareto"
    params = (Param("b"),)

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.pareto, params["b"], scale=fixed["scale"])

    def fixed_values(
        self, sample: Sample, threshold: float | None
    ) -> tuple[dict[str, float], int]:
        if threshold is not None:
            scale, estimated = threshold, 0
        elif sample.is_truncated:
            scale, estimated = sample.min_truncation, 0
        else:
            scale, estimated = float(sample.x.min()), 1
        if scale <= 0:
            raise InvalidInputError("the Pareto scale (threshold) must be positive")
        if (sample.x < scale).any():
            raise InvalidInputError(
                f"losses contains values below the Pareto scale {scale:g}; the single-"
                "parameter Pareto has support x >= scale (set threshold= at or below the "
                "smallest loss)"
            )
        return {"scale": float(scale)}, estimated

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        lx = np.log(sample.x / fixed["scale"])
        b = 1.0 / max(float(np.average(lx, weights=sample.weights)), 1e-8)
        return [{"b": b}, {"b": 2.0 * b}]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return float(params["b"])


class Burr12(Family):
    """Burr type XII with survival ``(1 + (x/scale)**c)**(-d)``.

    scipy ``burr12(c, d, scale=scale)``; R ``actuar::dburr(shape1=d, shape2=c, scale=scale)``.
    Mean ``scale * d * B(d - 1/c, 1 + 1/c)`` for ``c * d > 1``, infinite otherwise.
    """

    name = "burr12"
    params = (Param("c"), Param("d"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.burr12, params["c"], params["d"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        _, v = _log_moments(sample)
        c = math.pi / math.sqrt(3.0 * v)
        med = _median(sample)
        # the median of a Burr XII is scale * (2**(1/d) - 1)**(1/c)
        return [
            {"c": c, "d": d, "scale": med / (2.0 ** (1.0 / d) - 1.0) ** (1.0 / c)}
            for d in (1.0, 0.5, 3.0)
        ]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return float(params["c"] * params["d"])


class LogLogistic(Family):
    """Log-logistic (Fisk) with cdf ``1 / (1 + (x/scale)**(-c))``.

    scipy ``fisk(c, scale=scale)``; R ``actuar::dllogis(shape=c, scale=scale)``.
    Mean ``scale * (pi/c) / sin(pi/c)`` for ``c > 1``, infinite otherwise.
    """

    name = "loglogistic"
    params = (Param("c"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.fisk, params["c"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        m, v = _log_moments(sample)
        c = math.pi / math.sqrt(3.0 * v)
        return [
            {"c": c, "scale": _median(sample)},
            {"c": 0.5 * c, "scale": math.exp(m)},
        ]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return float(params["c"])


class InvGamma(Family):
    """Inverse gamma: ``scale / X ~ Gamma(a, 1)``.

    scipy ``invgamma(a, scale=scale)``; R ``actuar::dinvgamma(shape=a, scale=scale)``.
    Mean ``scale / (a - 1)`` for ``a > 1``, infinite otherwise.
    """

    name = "invgamma"
    params = (Param("a"), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.invgamma, params["a"], scale=params["scale"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        m, v = _moments(1.0 / sample.x, sample.weights)
        a = m * m / v
        _, lv = _log_moments(sample)
        a_log = 1.0 / lv + 0.5
        return [{"a": a, "scale": a / m}, {"a": a_log, "scale": a_log / m}]

    def tail_index(self, params: Mapping[str, float]) -> float:
        return float(params["a"])


class GPD(Family):
    """Generalized Pareto above ``loc``: survival ``(1 + c (x - loc)/scale)**(-1/c)``.

    scipy ``genpareto(c, loc=loc, scale=scale)`` (``c`` is the shape often written xi);
    R ``evd::dgpd(loc, scale, shape=c)``. With ``threshold=u`` it is a peaks-over-threshold
    fit of the losses above ``u`` (``loc = u``; ``fit.n`` counts the exceedances, the
    losses at or below ``u`` are reported in ``fit.n_excluded``); otherwise ``loc`` is the
    smallest truncation point, or 0. The shape is bounded below by -1, where the likelihood
    becomes unbounded. Mean ``loc + scale / (1 - c)`` for ``c < 1``, infinite otherwise.
    """

    name = "gpd"
    params = (Param("c", -1.0, math.inf), Param("scale"))

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        return _lite(stats.genpareto, params["c"], loc=fixed["loc"], scale=params["scale"])

    def fixed_values(
        self, sample: Sample, threshold: float | None
    ) -> tuple[dict[str, float], int]:
        loc = threshold if threshold is not None else sample.min_truncation
        return {"loc": float(loc)}, 0

    def select(self, sample: Sample, fixed: Mapping[str, float]) -> np.ndarray:
        """Exceedances of the peaks-over-threshold level (used only with ``threshold``)."""
        return np.asarray(sample.x > fixed["loc"])

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        y = sample.x - fixed["loc"]
        m, v = _moments(y, sample.weights)
        r = m * m / v
        xi = 0.5 * (1.0 - r)
        med = float(weighted_quantile(y, sample.weights, 0.5))
        return [
            {"c": xi, "scale": 0.5 * m * (r + 1.0)},
            {"c": 0.5, "scale": med * 0.5 / (math.sqrt(2.0) - 1.0)},
            {"c": 1.0, "scale": med},
            {"c": 0.1, "scale": 0.9 * m},
        ]

    def tail_index(self, params: Mapping[str, float]) -> float:
        c = float(params["c"])
        return 1.0 / c if c > 0 else math.inf


FAMILIES: dict[str, type[Family]] = {
    cls.name: cls
    for cls in (Lognormal, Gamma, Weibull, Lomax, Pareto, Burr12, LogLogistic, InvGamma, GPD)
}


def get_family(family: str | Family) -> Family:
    """Return the :class:`Family` instance for a name (see :data:`FAMILIES`) or instance."""
    if isinstance(family, Family):
        return family
    if not isinstance(family, str):
        from actuarial.exceptions import InvalidTypeError

        raise InvalidTypeError(
            f"family must be a family name or a Family instance, got {type(family).__name__}"
        )
    key = family.strip().lower()
    if key == "spliced":
        from actuarial.severity._spliced import Spliced

        return Spliced()
    if key not in FAMILIES:
        known = ", ".join([*FAMILIES, "spliced"])
        raise InvalidInputError(f"family {family!r} is not known; expected one of: {known}")
    return FAMILIES[key]()

