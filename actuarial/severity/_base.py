"""Declarative severity families and the truncated / censored log-likelihood.

A family declares its parameters (name and bounds), how they map to a frozen
``scipy.stats`` distribution, starting values and its tail index. Everything else (the
likelihood with truncation and censoring, optimisation, standard errors, summaries, plots)
comes from the shared machinery in :mod:`actuarial.severity._fitting`.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, TypeAlias

import numpy as np
from scipy import special
from scipy.stats._distn_infrastructure import rv_continuous_frozen

from actuarial._typing import FloatArray

__all__ = ["Family", "LiteDist", "Param", "Sample", "conditional_logsf", "truncated_pit"]

Frozen: TypeAlias = rv_continuous_frozen


@dataclass(frozen=True)
class Param:
    """A parameter of a severity family: its name and open interval ``(lower, upper)``.

    The optimiser works on an unconstrained value ``eta`` mapped to the parameter by an
    increasing transform: the identity on the real line, ``lower + exp(eta)`` for a lower
    bound only, ``upper - exp(-eta)`` for an upper bound only and a scaled logistic for
    two bounds.
    """

    name: str
    lower: float = 0.0
    upper: float = math.inf

    def to_free(self, value: float) -> float:
        """Unconstrained value of ``value``."""
        lo, hi = self.lower, self.upper
        if math.isinf(lo) and math.isinf(hi):
            return float(value)
        if math.isinf(hi):
            return math.log(max(value - lo, 1e-300))
        if math.isinf(lo):
            return -math.log(max(hi - value, 1e-300))
        p = min(max((value - lo) / (hi - lo), 1e-15), 1 - 1e-15)
        return float(special.logit(p))

    def from_free(self, eta: float) -> float:
        """Parameter value of the unconstrained ``eta``."""
        lo, hi = self.lower, self.upper
        if math.isinf(lo) and math.isinf(hi):
            return float(eta)
        if math.isinf(hi):
            return lo + math.exp(min(eta, 700.0))
        if math.isinf(lo):
            return hi - math.exp(min(-eta, 700.0))
        return lo + (hi - lo) * float(special.expit(eta))

    def derivative(self, eta: float) -> float:
        """``d value / d eta`` at ``eta`` (for the delta method)."""
        lo, hi = self.lower, self.upper
        if math.isinf(lo) and math.isinf(hi):
            return 1.0
        if math.isinf(hi):
            return math.exp(min(eta, 700.0))
        if math.isinf(lo):
            return math.exp(min(-eta, 700.0))
        s = float(special.expit(eta))
        return (hi - lo) * s * (1.0 - s)

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies strictly inside the parameter's bounds."""
        return bool(self.lower < value < self.upper)


@dataclass(frozen=True)
class Sample:
    """Validated loss data: values, left-truncation points, censoring flags, case weights.

    ``truncation`` holds one point per observation (zero where a loss is not truncated),
    ``censored`` is True where a loss is only known to exceed its value and ``weights``
    are case weights (1 by default).
    """

    x: FloatArray
    truncation: FloatArray
    censored: np.ndarray
    weights: FloatArray
    scalar_truncation: float | None

    @property
    def n(self) -> int:
        """Number of observations."""
        return int(self.x.size)

    @property
    def is_truncated(self) -> bool:
        """Whether any observation is left truncated above zero."""
        return bool(np.any(self.truncation > 0))

    @property
    def min_truncation(self) -> float:
        """Smallest truncation point (0 when the data are not truncated)."""
        return float(self.truncation.min()) if self.x.size else 0.0

    def subset(self, mask: np.ndarray) -> Sample:
        """The observations selected by the boolean ``mask``."""
        return Sample(
            self.x[mask],
            self.truncation[mask],
            self.censored[mask],
            self.weights[mask],
            self.scalar_truncation,
        )


class LiteDist:
    """A scipy distribution with its arguments, without the cost of freezing (internal).

    Freezing a scipy distribution re-instantiates its class (about a millisecond); the
    likelihood is evaluated thousands of times, so it calls the generic methods directly.
    """

    __slots__ = ("args", "gen", "kwds")

    def __init__(self, gen: Any, args: tuple[float, ...], kwds: dict[str, float]) -> None:
        self.gen, self.args, self.kwds = gen, args, kwds

    def logpdf(self, x: Any) -> Any:
        return self.gen.logpdf(x, *self.args, **self.kwds)

    def logsf(self, x: Any) -> Any:
        return self.gen.logsf(x, *self.args, **self.kwds)

    def logcdf(self, x: Any) -> Any:
        return self.gen.logcdf(x, *self.args, **self.kwds)

    def cdf(self, x: Any) -> Any:
        return self.gen.cdf(x, *self.args, **self.kwds)

    def support(self) -> tuple[float, float]:
        lo, hi = self.gen.support(*self.args, **self.kwds)
        return float(lo), float(hi)

    def freeze(self) -> Frozen:
        return self.gen(*self.args, **self.kwds)


def conditional_logsf(dist: Frozen, x: FloatArray, t: FloatArray) -> FloatArray:
    """``log P(X > x | X > t)`` for a frozen distribution, elementwise."""
    return np.asarray(dist.logsf(x) - dist.logsf(t), dtype=float)


def truncated_pit(dist: Frozen, x: FloatArray, t: FloatArray) -> FloatArray:
    """Probability integral transform ``P(X <= x | X > t)`` (uniform under the model)."""
    return -np.expm1(conditional_logsf(dist, x, t))


class Family(ABC):
    """A parametric severity family declared by its parameters and a scipy mapping.

    Subclasses set :attr:`name` and :attr:`params` and implement :meth:`dist`,
    :meth:`start` and :meth:`tail_index`. Families whose support starts at a point fixed
    by the data or the user (single-parameter Pareto, GPD, splices) override
    :meth:`fixed_values`.
    """

    name: ClassVar[str]
    params: ClassVar[tuple[Param, ...]]

    @property
    def param_names(self) -> tuple[str, ...]:
        """Names of the estimated parameters, in optimiser order."""
        return tuple(p.name for p in self.params)

    @abstractmethod
    def scipy_args(
        self, params: Mapping[str, float], fixed: Mapping[str, float]
    ) -> LiteDist:
        """The scipy distribution and its arguments for these parameters."""

    def dist(self, params: Mapping[str, float], fixed: Mapping[str, float]) -> Frozen:
        """Frozen scipy distribution of the (untruncated) loss."""
        return self.scipy_args(params, fixed).freeze()

    @abstractmethod
    def start(
        self, sample: Sample, fixed: Mapping[str, float]
    ) -> Sequence[dict[str, float]]:
        """Candidate starting values (the likelihood picks the best)."""

    @abstractmethod
    def tail_index(self, params: Mapping[str, float]) -> float:
        """Tail index ``alpha``: moments of order ``< alpha`` are finite (inf if all are)."""

    def fixed_values(
        self, sample: Sample, threshold: float | None
    ) -> tuple[dict[str, float], int]:
        """Values held fixed during the fit and how many of them were read off the data.

        The count is added to the number of parameters in AIC and BIC.
        """
        if threshold is not None:
            from actuarial.exceptions import InvalidInputError

            raise InvalidInputError(
                f"threshold is not used by the {self.name!r} family; pass it only for "
                "'gpd', 'pareto' or 'spliced'"
            )
        return {}, 0

    def select(self, sample: Sample, fixed: Mapping[str, float]) -> np.ndarray:
        """Mask of the observations a fit with ``threshold`` models (all by default)."""
        return np.ones(sample.n, dtype=bool)

    def loglik_terms(
        self, params: Mapping[str, float], fixed: Mapping[str, float], sample: Sample
    ) -> FloatArray:
        """Per-observation log-likelihood contributions (unweighted)."""
        d = self.scipy_args(params, fixed)
        out = np.empty(sample.n)
        cens = sample.censored
        obs = ~cens
        out[obs] = d.logpdf(sample.x[obs])
        if cens.any():
            out[cens] = d.logsf(sample.x[cens])
        if sample.scalar_truncation is not None:
            if sample.scalar_truncation > 0:
                out -= float(d.logsf(sample.scalar_truncation))
        else:
            out -= d.logsf(sample.truncation)
        return out

    def loglik(
        self, params: Mapping[str, float], fixed: Mapping[str, float], sample: Sample
    ) -> float:
        """Weighted log-likelihood of ``sample`` (``-inf`` where undefined)."""
        with np.errstate(all="ignore"):
            terms = self.loglik_terms(params, fixed, sample)
        value = float(np.dot(sample.weights, terms))
        return value if math.isfinite(value) else -math.inf

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    def describe(self) -> str:
        """One-line description used in summaries (the class docstring's first line)."""
        doc = type(self).__doc__ or self.name
        return doc.strip().splitlines()[0]


def weighted_quantile(x: FloatArray, w: FloatArray, q: Any) -> FloatArray:
    """Weighted empirical quantiles (inverse of the weighted step cdf)."""
    order = np.argsort(x)
    xs, ws = x[order], w[order]
    cw = np.cumsum(ws) / ws.sum()
    idx = np.searchsorted(cw, np.asarray(q, dtype=float), side="left")
    return np.asarray(xs[np.minimum(idx, xs.size - 1)], dtype=float)
