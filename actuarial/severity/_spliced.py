"""Spliced severity: a body family below a threshold ``u`` and a GPD tail above it."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from scipy import stats

from actuarial._typing import FloatArray
from actuarial.exceptions import InvalidInputError
from actuarial.severity._base import Family, Frozen, LiteDist, Param, Sample

__all__ = ["Spliced", "spliced_gen"]

_TAIL_WEIGHT_MODES = ("estimate", "continuous", "empirical")


def _parts(body: Any, u: float, w: float) -> tuple[float, float]:
    """``log F_body(u)`` and ``log(1 - w)``."""
    return float(body.logcdf(u)), float(np.log1p(-w))


def splice_logpdf(body: Any, tail: Any, u: float, w: float, x: FloatArray) -> FloatArray:
    """Log-density of the splice ``(1 - w) f_b(x) / F_b(u)`` below ``u``, ``w g(x)`` above."""
    x = np.asarray(x, dtype=float)
    log_fu, log_1w = _parts(body, u, w)
    below = x <= u
    out = np.empty_like(x)
    out[below] = log_1w + body.logpdf(x[below]) - log_fu
    out[~below] = np.log(w) + tail.logpdf(x[~below])
    return out


def splice_logsf(body: Any, tail: Any, u: float, w: float, x: FloatArray) -> FloatArray:
    """Log-survival of the splice (see :func:`splice_logpdf`)."""
    x = np.asarray(x, dtype=float)
    log_fu, log_1w = _parts(body, u, w)
    below = x <= u
    out = np.empty_like(x)
    xb = x[below]
    # P(X > x) = w + (1 - w) (F_b(u) - F_b(x)) / F_b(u) for x <= u
    body_part = np.exp(log_1w - log_fu) * np.maximum(
        np.exp(log_fu) - np.asarray(body.cdf(xb)), 0.0
    )
    out[below] = np.log(w + body_part)
    out[~below] = np.log(w) + tail.logsf(x[~below])
    return out


class spliced_gen(stats.rv_continuous):
    """A scipy continuous distribution made of a body below ``threshold`` and a tail above.

    ``P(X > threshold) = tail_weight``; below the threshold ``X`` follows ``body``
    conditioned on ``X <= threshold``, above it ``tail`` (a distribution supported on
    ``[threshold, inf)``, usually ``genpareto(c, loc=threshold, scale)``). Call the instance
    with no argument to obtain a frozen distribution.

    Examples
    --------
    >>> from scipy import stats
    >>> d = spliced_gen(stats.lognorm(1.0), stats.genpareto(0.5, loc=2.0), 2.0, 0.1)()
    >>> round(float(d.sf(2.0)), 6)
    0.1
    """

    def __init__(
        self,
        body: Frozen,
        tail: Frozen,
        threshold: float,
        tail_weight: float,
        **kwargs: Any,
    ) -> None:
        self.body, self.tail = body, tail
        self.threshold, self.tail_weight = float(threshold), float(tail_weight)
        kwargs.setdefault("a", float(body.support()[0]))
        kwargs.setdefault("b", float(tail.support()[1]))
        kwargs.setdefault("name", "spliced")
        super().__init__(**kwargs)

    def _updated_ctor_param(self) -> dict[str, Any]:
        dct = super()._updated_ctor_param()
        dct.update(
            body=self.body, tail=self.tail, threshold=self.threshold, tail_weight=self.tail_weight
        )
        return dct

    def _args(self) -> tuple[Frozen, Frozen, float, float]:
        return self.body, self.tail, self.threshold, self.tail_weight

    def _logpdf(self, x: FloatArray) -> FloatArray:
        return splice_logpdf(*self._args(), x)

    def _pdf(self, x: FloatArray) -> FloatArray:
        return np.exp(self._logpdf(x))

    def _logsf(self, x: FloatArray) -> FloatArray:
        return splice_logsf(*self._args(), x)

    def _sf(self, x: FloatArray) -> FloatArray:
        return np.exp(self._logsf(x))

    def _cdf(self, x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=float)
        u, w = self.threshold, self.tail_weight
        below = x <= u
        out = np.empty_like(x)
        out[below] = (1.0 - w) * self.body.cdf(x[below]) / self.body.cdf(u)
        out[~below] = 1.0 - w * self.tail.sf(x[~below])
        return out

    def _ppf(self, q: FloatArray) -> FloatArray:
        q = np.asarray(q, dtype=float)
        u, w = self.threshold, self.tail_weight
        body = q <= 1.0 - w
        out = np.empty_like(q)
        out[body] = self.body.ppf(q[body] / (1.0 - w) * self.body.cdf(u))
        out[~body] = self.tail.isf((1.0 - q[~body]) / w)
        return out

    def _isf(self, p: FloatArray) -> FloatArray:
        p = np.asarray(p, dtype=float)
        u, w = self.threshold, self.tail_weight
        tail = p < w
        out = np.empty_like(p)
        out[tail] = self.tail.isf(p[tail] / w)
        out[~tail] = self.body.ppf((1.0 - p[~tail]) / (1.0 - w) * self.body.cdf(u))
        return out

    def _munp(self, n: int) -> float:
        u, w = self.threshold, self.tail_weight
        body = float(self.body.expect(lambda x: x**n, ub=u, conditional=True))
        return (1.0 - w) * body + w * float(self.tail.moment(n))


class Spliced(Family):
    """Splice of a body family below ``threshold`` and a GPD above it.

    Below ``u = threshold`` the loss follows the body family conditioned on ``X <= u``
    (weight ``1 - tail_weight``); above it ``genpareto(tail_c, loc=u, tail_scale)`` (weight
    ``tail_weight = P(X > u)``). ``tail_weight`` is ``"estimate"`` (a free parameter; on
    untruncated data its MLE is the share of losses above ``u``), ``"empirical"`` (fixed at
    that share, untruncated data only), ``"continuous"`` (set so that the density is
    continuous at ``u``) or a number in (0, 1). Body parameters are prefixed ``body_``, tail
    parameters ``tail_``. ``fit.dist`` is a :class:`spliced_gen` frozen distribution.
    Mean ``(1 - w) E[X_body | X_body <= u] + w (u + tail_scale / (1 - tail_c))``, infinite
    when ``tail_c >= 1``.
    """

    name = "spliced"

    def __init__(self, body: str | Family = "lognormal", tail_weight: Any = "estimate") -> None:
        from actuarial.severity.families import get_family

        self.body = get_family(body)
        if isinstance(self.body, Spliced) or self.body.name in ("gpd", "pareto"):
            raise InvalidInputError(
                f"body must be a family supported on (0, inf) such as 'lognormal'; "
                f"got {self.body.name!r}"
            )
        if isinstance(tail_weight, str):
            if tail_weight not in _TAIL_WEIGHT_MODES:
                raise InvalidInputError(
                    f"tail_weight must be one of {_TAIL_WEIGHT_MODES} or a number in (0, 1); "
                    f"got {tail_weight!r}"
                )
        elif not (isinstance(tail_weight, float | int) and 0.0 < float(tail_weight) < 1.0):
            raise InvalidInputError(
                f"tail_weight must be one of {_TAIL_WEIGHT_MODES} or a number in (0, 1); "
                f"got {tail_weight!r}"
            )
        self.tail_weight = tail_weight
        body_params = tuple(
            Param(f"body_{p.name}", p.lower, p.upper) for p in self.body.params
        )
        tail_params = (Param("tail_c", -1.0, math.inf), Param("tail_scale"))
        extra = (Param("tail_weight", 0.0, 1.0),) if tail_weight == "estimate" else ()
        self.params = body_params + tail_params + extra  # type: ignore[misc]

    def __repr__(self) -> str:
        return f"Spliced(body={self.body.name!r}, tail_weight={self.tail_weight!r})"

    def _components(
        self, params: Mapping[str, float], fixed: Mapping[str, float]
    ) -> tuple[LiteDist, LiteDist, float, float]:
        body = self.body.scipy_args(
            {p.name: params[f"body_{p.name}"] for p in self.body.params}, {}
        )
        u = fixed["threshold"]
        tail = LiteDist(stats.genpareto, (params["tail_c"],),
                        {"loc": u, "scale": params["tail_scale"]})
        if "tail_weight" in params:
            w = params["tail_weight"]
        elif "tail_weight" in fixed:
            w = fixed["tail_weight"]
        else:  # continuous density at u
            hazard = math.exp(float(body.logpdf(u)) - float(body.logcdf(u)))
            w = hazard / (hazard + 1.0 / params["tail_scale"])
        return body, tail, u, float(w)

    def scipy_args(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> LiteDist:
        body, tail, u, w = self._components(params, fixed)
        return LiteDist(spliced_gen(body.freeze(), tail.freeze(), u, w), (), {})

    def fixed_values(
        self, sample: Sample, threshold: float | None
    ) -> tuple[dict[str, float], int]:
        if threshold is None:
            raise InvalidInputError(
                "the spliced family needs threshold= (the splice point u, in the units of "
                "losses)"
            )
        if (sample.truncation >= threshold).any():
            raise InvalidInputError(
                f"threshold ({threshold:g}) must lie above every truncation point"
            )
        above = sample.x > threshold
        if above.sum() < 2 or (~above).sum() < 2:
            raise InvalidInputError(
                f"threshold ({threshold:g}) must leave at least 2 losses on each side; "
                f"found {int((~above).sum())} at or below and {int(above.sum())} above"
            )
        fixed: dict[str, float] = {"threshold": float(threshold)}
        estimated = 0
        if self.tail_weight == "empirical":
            if sample.is_truncated or sample.censored.any():
                raise InvalidInputError(
                    "tail_weight='empirical' needs untruncated, uncensored data; use "
                    "tail_weight='estimate' (its MLE accounts for truncation)"
                )
            w = sample.weights
            fixed["tail_weight"] = float(w[above].sum() / w.sum())
            estimated = 1
        elif not isinstance(self.tail_weight, str):
            fixed["tail_weight"] = float(self.tail_weight)
        return fixed, estimated

    def start(self, sample: Sample, fixed: Mapping[str, float]) -> Sequence[dict[str, float]]:
        from actuarial.severity.families import GPD

        u = fixed["threshold"]
        above = sample.x > u
        body_starts = self.body.start(sample.subset(~above), {})
        tail_starts = GPD().start(sample.subset(above), {"loc": u})
        share = float(sample.weights[above].sum() / sample.weights.sum())
        out = []
        pairs = itertools.chain(
            ((b, tail_starts[0]) for b in body_starts),
            ((body_starts[0], t) for t in tail_starts[1:]),
        )
        for b, t in pairs:
            start = {f"body_{k}": v for k, v in b.items()}
            start.update(tail_c=t["c"], tail_scale=t["scale"])
            if self.tail_weight == "estimate":
                start["tail_weight"] = min(max(share, 1e-3), 1 - 1e-3)
            out.append(start)
        return out

    def tail_index(self, params: Mapping[str, float]) -> float:
        c = float(params["tail_c"])
        return 1.0 / c if c > 0 else math.inf

    def loglik_terms(
        self, params: Mapping[str, float], fixed: Mapping[str, float], sample: Sample
    ) -> FloatArray:
        comps = self._components(params, fixed)
        out = np.empty(sample.n)
        cens = sample.censored
        out[~cens] = splice_logpdf(*comps, sample.x[~cens])
        if cens.any():
            out[cens] = splice_logsf(*comps, sample.x[cens])
        if sample.is_truncated:
            t = sample.truncation
            out -= np.where(t > comps[0].support()[0], splice_logsf(*comps, t), 0.0)
        return out
