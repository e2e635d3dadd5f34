"""Exact aggregate-loss methods: severity discretisation, FFT and Panjer recursion.

The per-event payment ``Y = layer(X)`` is discretised on the grid ``0, h, 2h, ...`` (by default
with the mean-preserving local moment-matching method: ``f_0 = 1 - E[Y ^ h] / h`` and
``f_j = (2 E[Y ^ jh] - E[Y ^ (j-1)h] - E[Y ^ (j+1)h]) / h``), compounded with the frequency's
probability generating function (FFT, with zero padding and exponential tilting against
aliasing) or by Panjer's recursion for the (a, b, 0) class, and the aggregate terms are
applied to the result.

The grid is not fixed in advance: it is refined until the tail measures at the requested
levels reach the requested relative accuracy ``rtol``. Two errors are controlled:

* *tail error*: the expected value lost off the top of the grid, relative to
  ``(1 - p_max) * TVaR(p_max)`` (it bounds the relative error of the TVaR at ``p_max``);
  mass beyond the grid is reported as ``lost_mass``;
* *resolution error*: the span ``h`` relative to ``TVaR(p_min)``.

A grid that stops where a cdf reaches ``1 - 1e-6`` is not enough for heavy tails; this rule is
set by the tail measures themselves.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from actuarial._typing import FloatArray
from actuarial._validation import (
    as_float_array,
    check_in_unit_interval,
    check_int,
    check_positive,
    check_probabilities,
)
from actuarial.compound import CompoundModel
from actuarial.exceptions import (
    GridAccuracyError,
    InfiniteMeanError,
    InvalidInputError,
    InvalidTypeError,
    TailMassWarning,
)
from actuarial.risk import discrete_tvar, discrete_value_at_risk
from actuarial.terms import Layer

__all__ = ["AggregateDistribution", "aggregate", "discretize_severity"]

DEFAULT_LEVELS: tuple[float, ...] = (0.90, 0.95, 0.99, 0.995, 0.999)
#: FFT length is PAD times the kept grid; the tilt damps wrapped mass by exp(-TILT).
PAD = 4
TILT = 30.0
_GL_NODES, _GL_WEIGHTS = np.polynomial.legendre.leggauss(5)

Method = Literal["fft", "panjer"]
Discretisation = Literal["moment", "rounding"]


def _cell_integrals_sf(dist: Any, edges: FloatArray) -> FloatArray:
    """Integral of the survival function over each cell ``[edges[k], edges[k+1]]``."""
    a, b = edges[:-1], edges[1:]
    half = 0.5 * (b - a)
    mid = 0.5 * (a + b)
    x = mid[:, None] + half[:, None] * _GL_NODES[None, :]
    return half * (np.asarray(dist.sf(x)) @ _GL_WEIGHTS)


def discretize_severity(
    severity: Any,
    layer: Layer,
    h: float,
    n: int,
    *,
    method: Discretisation = "moment",
    cap: float = math.inf,
) -> FloatArray:
    """Discretise the per-event payment of ``layer`` on the grid ``0, h, ..., (n-1) h``.

    Parameters
    ----------
    severity : frozen scipy.stats continuous distribution
        Ground-up loss per event (USD).
    layer : Layer
        Cover terms (only the per-event terms are used).
    h : float
        Span of the grid (USD).
    n : int
        Number of grid points.
    method : {"moment", "rounding"}
        ``"moment"``: local moment matching of order one, which preserves the mean of the
        payment on the grid. ``"rounding"``: mass of ``((j - 1/2) h, (j + 1/2) h]`` to ``jh``.
    cap : float, default inf
        Payments are capped at ``cap`` (USD) before discretising (used when every payment at
        or above ``cap`` has the same effect, e.g. above an aggregate limit).

    Returns
    -------
    ndarray of length n
        Probabilities; they sum to ``1 - P(Y beyond the grid)`` (the defect is the mass that
        lies off the grid).

    Examples
    --------
    >>> from scipy import stats
    >>> import actuarial as act
    >>> f = discretize_severity(stats.expon(scale=10.0), act.Layer(limit=30.0), h=1.0, n=64)
    >>> round(float(f.sum()), 12), round(float(np.arange(64) @ f), 8)   # 10 (1 - e^-3)
    (1.0, 9.50212932)
    """
    if not isinstance(layer, Layer):
        raise InvalidTypeError(f"layer must be an actuarial.Layer; got {type(layer).__name__}")
    for attr in ("sf", "cdf"):
        if not callable(getattr(severity, attr, None)):
            raise InvalidTypeError(
                f"severity must be a frozen scipy.stats continuous distribution (no {attr})"
            )
    h = check_positive(h, "h")
    n = check_int(n, "n", minimum=2)
    s, d = layer.share, layer.deductible
    y_max = min(s * layer.limit, cap)
    grid_top = (n - 1) * h
    if method == "rounding":
        y = (np.arange(n) + 0.5) * h
        x = d + np.minimum(y, y_max) / s
        cdf = np.where(y < y_max, np.asarray(severity.cdf(x)), 1.0)
        return np.diff(np.concatenate(([0.0], cdf)))
    if method != "moment":
        raise InvalidInputError(f"discretisation must be 'moment' or 'rounding'; got {method!r}")
    # c_k = int over x-cell k of S_X, x-cells [d + k h / s, d + (k+1) h / s] clipped at the cap.
    x_top = d + y_max / s
    edges = np.minimum(d + np.arange(n + 1) * (h / s), x_top)
    c = _cell_integrals_sf(severity, edges)
    f = np.empty(n)
    f[0] = 1.0 - s * c[0] / h
    f[1:] = s * (c[:-1] - c[1:]) / h
    if y_max <= grid_top:
        # Y is bounded inside the grid: f telescopes to exactly one.
        f[-1] += s * c[-1] / h
    return np.clip(f, 0.0, None)


def _frequency_pgf(model: CompoundModel) -> tuple[str, Any]:
    """Family name and the generating function ``z -> E[z^N]`` of the model's frequency."""
    freq = model.frequency
    name = model.frequency_family
    mean, var = float(freq.mean()), float(freq.var())
    if name == "poisson":
        lam = mean
        return name, lambda z: np.exp(lam * (z - 1.0))
    if name == "nbinom":
        p = mean / var
        size = mean * p / (1.0 - p)
        return name, lambda z: np.exp(size * (np.log(p) - np.log(1.0 - (1.0 - p) * z)))
    if name == "binom":
        p = 1.0 - var / mean
        trials = round(mean / p)
        return name, lambda z: (1.0 - p + p * z) ** trials
    # Any other count distribution: sum the pmf against powers of z.
    kmax = int(freq.ppf(1.0 - 1e-16))
    if kmax > 100_000:
        raise InvalidInputError(
            "frequency has too long a tail for the generic generating function; use a "
            "Poisson, negative binomial or binomial frequency"
        )
    pk = np.asarray(freq.pmf(np.arange(kmax + 1)))

    def pgf(z: Any) -> Any:
        out = np.zeros_like(z)
        for p_k in pk[::-1]:  # Horner
            out = out * z + p_k
        return out

    return "generic", pgf


def _panjer_ab(model: CompoundModel) -> tuple[float, float]:
    freq = model.frequency
    name = model.frequency_family
    mean, var = float(freq.mean()), float(freq.var())
    if name == "poisson":
        return 0.0, mean
    if name == "nbinom":
        p = mean / var
        size = mean * p / (1.0 - p)
        return 1.0 - p, (size - 1.0) * (1.0 - p)
    if name == "binom":
        p = 1.0 - var / mean
        trials = round(mean / p)
        return -p / (1.0 - p), (trials + 1) * p / (1.0 - p)
    raise InvalidInputError(
        "method='panjer' needs a Poisson, negative binomial or binomial frequency (without "
        f"loc); got {getattr(getattr(freq, 'dist', None), 'name', type(freq).__name__)!r}. "
        "Use method='fft'"
    )


def _compound_fft(f: FloatArray, pgf: Any) -> FloatArray:
    n = f.size
    size = PAD * n
    theta = TILT / size
    tilt = np.exp(-theta * np.arange(size))
    padded = np.zeros(size)
    padded[:n] = f
    g = np.fft.irfft(pgf(np.fft.rfft(padded * tilt)), n=size)[:n]
    g *= np.exp(theta * np.arange(n))
    return np.clip(g, 0.0, None)


def _compound_panjer(f: FloatArray, model: CompoundModel) -> FloatArray:
    a, b = _panjer_ab(model)
    _, pgf = _frequency_pgf(model)
    n = f.size
    g = np.zeros(n)
    g0 = float(np.real(pgf(np.array([f[0]], dtype=complex))[0]))
    if g0 <= 0.0:
        raise GridAccuracyError(
            "Panjer recursion underflows: P(S = 0) is below the smallest float (expected "
            "count too large); use method='fft'"
        )
    g[0] = g0
    jf = np.arange(n) * f
    denom = 1.0 - a * f[0]
    for k in range(1, n):
        rev = g[k - 1 :: -1]  # g[k-1], ..., g[0]
        g[k] = (a * f[1 : k + 1] @ rev + (b / k) * (jf[1 : k + 1] @ rev)) / denom
    return g


@dataclass(frozen=True, eq=False)
class AggregateDistribution:
    """Discrete distribution of the annual payment computed by an exact method (immutable).

    Attributes
    ----------
    support, probs : ndarray
        Values (USD, increasing) and their probabilities. ``probs`` sums to
        ``1 - lost_mass``.
    lost_mass : float
        Probability that lies beyond the grid (above ``support[-1]``).
    method, discretisation : str
        How the distribution was computed.
    h : float
        Span of the grid (USD); ``n_points`` its length.
    tail_error, resolution_error : float
        Achieved relative errors (see the module docstring).
    model : CompoundModel
    """

    support: FloatArray
    probs: FloatArray
    lost_mass: float
    method: str
    discretisation: str
    h: float
    n_points: int
    tail_error: float
    resolution_error: float
    rtol: float
    model: CompoundModel
    levels: tuple[float, ...] = field(default=DEFAULT_LEVELS)

    def _finite_mean(self, what: str) -> None:
        if not self.model.has_finite_mean:
            raise InfiniteMeanError(
                f"the {what} of this model is infinite (a severity with infinite mean and no "
                "cover limit); set a per-event or aggregate limit, or use quantiles"
            )

    def mean(self) -> float:
        """Mean annual payment on the grid (USD)."""
        self._finite_mean("mean")
        return float(self.support @ self.probs)

    def std(self) -> float:
        """Standard deviation of the annual payment on the grid (USD)."""
        self._finite_mean("standard deviation")
        m = self.support @ self.probs
        return math.sqrt(max(float((self.support - m) ** 2 @ self.probs), 0.0))

    def cdf(self, x: float | Sequence[float]) -> Any:
        """``P(A <= x)``."""
        xa = as_float_array(x, "x", allow_inf=True)
        cum = np.concatenate(([0.0], np.cumsum(self.probs)))
        out = cum[np.searchsorted(self.support, xa, side="right")]
        return float(out[0]) if np.ndim(x) == 0 else out

    def exceedance(self, x: float) -> float:
        """``P(A > x)``, including the mass lost off the grid."""
        return 1.0 - float(self.cdf(x))

    def quantile(self, p: float | Sequence[float]) -> Any:
        """Value at risk: lower ``p``-quantile (``inf`` if the level lies in the lost mass)."""
        return discrete_value_at_risk(self.support, self.probs, p)

    var = quantile

    def tvar(self, p: float | Sequence[float]) -> Any:
        """Tail value at risk ``VaR_p + E[(A - VaR_p)+] / (1 - p)``."""
        self._finite_mean("TVaR")
        return discrete_tvar(self.support, self.probs, p)

    def summary(self, levels: Sequence[float] | None = None) -> pd.DataFrame:
        """Table of mean, sd, VaR and TVaR, with analytic moments where they exist."""
        levels = tuple(levels) if levels is not None else self.levels
        check_probabilities(list(levels), "levels")
        rows: dict[str, dict[str, Any]] = {}
        if self.model.has_finite_mean:
            rows["mean"] = {"exact": self.mean(), "analytic": self.model.analytic_mean()}
            rows["std"] = {"exact": self.std(), "analytic": self.model.analytic_std()}
        for p in levels:
            rows[f"VaR {p:.1%}"] = {"exact": self.quantile(p), "analytic": None}
        if self.model.has_finite_mean:
            for p in levels:
                rows[f"TVaR {p:.1%}"] = {"exact": self.tvar(p), "analytic": None}
        df = pd.DataFrame.from_dict(rows, orient="index")
        df["analytic"] = pd.to_numeric(df["analytic"], errors="coerce").astype(float)
        df["relative_difference"] = (df["exact"] - df["analytic"]) / df["analytic"]
        df.index.name = "measure"
        return df

    def to_frame(self) -> pd.DataFrame:
        """Support, probability and cdf as a DataFrame."""
        return pd.DataFrame(
            {"payment": self.support, "probability": self.probs, "cdf": np.cumsum(self.probs)}
        )

    def __str__(self) -> str:
        head = (
            f"Aggregate distribution by {self.method} ({self.discretisation} discretisation), "
            f"{self.n_points:,} points, h = {self.h:,.6g}; lost mass {self.lost_mass:.3g}, "
            f"tail error {self.tail_error:.2g}, resolution error {self.resolution_error:.2g} "
            f"(rtol {self.rtol:g})"
        )
        return f"{head}\n{self.summary().to_string(float_format=lambda v: f'{v:,.6g}')}"


def _apply_aggregate_terms(
    grid: FloatArray, g: FloatArray, lost: float, layer: Layer
) -> tuple[FloatArray, FloatArray, float]:
    if not layer.has_aggregate_terms:
        return grid, g, lost
    pay = layer._aggregate_unchecked(grid.copy())
    support, inverse = np.unique(pay, return_inverse=True)
    probs = np.bincount(inverse, weights=g, minlength=support.size).astype(np.float64)
    if math.isfinite(layer.aggregate_limit) and grid[-1] >= (
        layer.aggregate_deductible + layer.aggregate_limit
    ):
        # Everything beyond the grid pays the aggregate limit: nothing is lost.
        probs[-1] += lost
        lost = 0.0
    return support, probs, lost


def _initial_grid(
    model: CompoundModel, levels: tuple[float, ...], rtol: float
) -> tuple[float, float]:
    """Starting guesses for the grid top T and span h."""
    layer = model.terms
    y_max = layer.share * layer.limit
    if math.isfinite(layer.aggregate_limit):
        top = layer.aggregate_deductible + layer.aggregate_limit
    elif model.has_finite_mean and math.isfinite(sd := model.analytic_std() or math.inf):
        # a first guess only: the tail criterion extends the grid when it is too short
        top = float(model.analytic_mean() or 0.0) + 12.0 * sd
    elif math.isfinite(y_max):
        top = y_max * (float(model.frequency.ppf(1.0 - 1e-12)) + 1.0)
    else:
        # Heavy tail, no limit: the annual total exceeds a high level mostly through one big
        # event, so start from the severity quantile that the top level needs.
        en = max(float(model.frequency.mean()), 1e-12)
        q = float(model.severity.isf(min((1.0 - max(levels)) * rtol / en, 0.5)))
        top = 2.0 * layer.share * max(q - layer.deductible, 1.0)
        # the span is set by the lowest VaR, of the order of the severity's quantile at
        # 1 - (1 - p_min) / E[N]
        v = float(model.severity.isf(min((1.0 - min(levels)) / en, 0.5)))
        span = rtol * layer.share * max(v - layer.deductible, 1e-12)
        return top, min(span, top / 2**12)
    return top, top / 2**12


def aggregate(
    model: CompoundModel,
    method: Method = "fft",
    *,
    rtol: float = 1e-4,
    levels: Sequence[float] = DEFAULT_LEVELS,
    discretisation: Discretisation = "moment",
    h: float | None = None,
    n_points: int | None = None,
    max_points: int = 2**22,
    target: Literal["tvar", "var"] = "tvar",
) -> AggregateDistribution:
    """Distribution of the annual payment of a compound model by an exact method.

    Parameters
    ----------
    model : CompoundModel
        Frequency, severity and cover terms.
    method : {"fft", "panjer"}, default "fft"
        FFT of the discretised severity through the frequency's generating function, or
        Panjer's recursion (Poisson, negative binomial, binomial; O(n^2)).
    rtol : float, default 1e-4
        Requested relative accuracy of VaR/TVaR at ``levels``: the grid is refined until
        both the tail and the resolution errors are below it.
    levels : sequence of float
        Levels whose tail measures set the accuracy.
    discretisation : {"moment", "rounding"}, default "moment"
        Severity discretisation; ``"moment"`` preserves the mean.
    h, n_points : optional
        Fix the span and the number of points (no refinement). The achieved errors are still
        reported, with a :class:`TailMassWarning` when they exceed ``rtol``.
    max_points : int, default 2**22
        Largest grid the refinement may use.
    target : {"tvar", "var"}, default "tvar"
        Which tail measures must reach ``rtol``. ``"tvar"`` bounds the expected value lost
        off the grid, which a tail index near 1 makes unreachable; ``"var"`` only bounds the
        probability lost off the grid and the span against the VaRs (always the rule when the
        mean is infinite).

    Returns
    -------
    AggregateDistribution

    Raises
    ------
    GridAccuracyError
        If ``max_points`` points cannot reach ``rtol``.

    Examples
    --------
    >>> from scipy import stats
    >>> import actuarial as act
    >>> line = act.CompoundModel(stats.poisson(2.0), stats.expon(scale=1.0))
    >>> agg = act.aggregate(line, "fft")
    >>> round(agg.mean(), 6), round(agg.std() ** 2, 4)   # lambda E[X], lambda E[X^2]
    (2.0, 4.0)
    """
    if not isinstance(model, CompoundModel):
        raise InvalidTypeError(
            f"model must be a CompoundModel; got {type(model).__name__} (for a portfolio of "
            "independent lines use actuarial.simulate)"
        )
    if method not in ("fft", "panjer"):
        raise InvalidInputError(f"method must be 'fft' or 'panjer'; got {method!r}")
    rtol = check_in_unit_interval(rtol, "rtol")
    lv = tuple(float(v) for v in np.atleast_1d(check_probabilities(list(levels), "levels")))
    max_points = check_int(max_points, "max_points", minimum=16)
    layer = model.terms
    finite_mean = model.has_finite_mean
    gross_mean = math.inf
    if target not in ("tvar", "var"):
        raise InvalidInputError(f"target must be 'tvar' or 'var'; got {target!r}")
    if finite_mean and not math.isfinite(layer.aggregate_limit) and target == "tvar":
        gross_mean = float(model.frequency.mean()) * model.event_payment_moments()[0]
    if method == "fft":
        _, pgf = _frequency_pgf(model)
    else:
        _panjer_ab(model)  # fail early with a clear message
    fixed = h is not None or n_points is not None
    top, span = _initial_grid(model, lv, rtol)
    if h is not None:
        span = float(h)
        if not (span > 0 and math.isfinite(span)):
            raise InvalidInputError(f"h must be a positive finite span (USD); got {h!r}")
    n = check_int(n_points, "n_points", minimum=2) if n_points is not None else None
    if not (math.isfinite(top) and top > 0 and math.isfinite(span) and span > 0):
        raise GridAccuracyError(
            "cannot place a grid on this model's annual payments (its tail reaches beyond "
            "floating-point range); set a per-event or aggregate limit"
        )
    if n is None:
        n = 2 ** max(4, math.ceil(math.log2(top / span + 1)))
    tail_err = res_err = math.inf
    last = (span, n)
    while True:
        if n > max_points:
            raise GridAccuracyError(
                f"a grid of max_points={max_points:,} points cannot reach rtol={rtol:g} at "
                f"levels {lv} (last grid: h={last[0]:,.6g}, {last[1]:,} points, tail error "
                f"{tail_err:.2g}, resolution error {res_err:.2g}). Loosen rtol, ask for fewer "
                "or lower levels, use target='var', raise max_points, set a cover limit, fix "
                "the grid with h= and n_points=, or use actuarial.simulate"
            )
        cap = math.inf
        if math.isfinite(layer.aggregate_limit):
            cap = layer.aggregate_deductible + layer.aggregate_limit
        f = discretize_severity(model.severity, layer, span, n, method=discretisation, cap=cap)
        if method == "fft":
            g = _compound_fft(f, pgf)
        else:
            g = _compound_panjer(f, model)
        grid = span * np.arange(n)
        lost = max(0.0, 1.0 - float(g.sum()))
        support, probs, lost_after = _apply_aggregate_terms(grid, g, lost, layer)
        tail_err, res_err = _errors(support, probs, lost_after, grid, g, gross_mean, lv, span)
        last = (span, n)
        if fixed or (tail_err <= rtol and res_err <= rtol):
            break
        if res_err > rtol:
            # refine at most 64-fold a step: the errors are re-measured on the finer grid
            factor = min(2 ** math.ceil(math.log2(res_err / rtol)), 64)
            span /= factor
            n *= factor
        if tail_err > rtol:
            n *= 2
    if fixed and (tail_err > rtol or res_err > rtol):
        warnings.warn(
            f"the fixed grid (h={span:,.6g}, n_points={n:,}) gives tail error {tail_err:.2g} "
            f"and resolution error {res_err:.2g}, above rtol={rtol:g}",
            TailMassWarning,
            stacklevel=2,
        )
    return AggregateDistribution(
        support=support,
        probs=probs,
        lost_mass=lost_after,
        method=method,
        discretisation=discretisation,
        h=span,
        n_points=n,
        tail_error=tail_err,
        resolution_error=res_err,
        rtol=rtol,
        model=model,
        levels=lv,
    )


def _errors(
    support: FloatArray,
    probs: FloatArray,
    lost: float,
    grid: FloatArray,
    g: FloatArray,
    gross_mean: float,
    levels: tuple[float, ...],
    span: float,
) -> tuple[float, float]:
    """Tail and resolution errors of a computed grid (see the module docstring)."""
    p_min, p_max = min(levels), max(levels)
    if lost >= 1.0 - p_max:
        return math.inf, math.inf
    if math.isfinite(gross_mean) or lost == 0.0:
        # TVaR exists: the expected value lost off the grid bounds its error
        tv_max = float(discrete_tvar(support, probs, p_max))
        tv_min = float(discrete_tvar(support, probs, p_min))
        deficit = max(gross_mean - float(grid @ g), 0.0) if lost > 0.0 else 0.0
        tail_err = deficit / ((1.0 - p_max) * tv_max) if tv_max > 0 else math.inf
        res_err = span / tv_min if tv_min > 0 else 0.0
        return tail_err, res_err
    # Infinite mean and no limit: only quantiles exist. The mass beyond the grid must be a
    # small part of the tail probability, and the span small against the lowest VaR.
    tail_err = lost / (1.0 - p_max)
    var_min = float(discrete_value_at_risk(support, probs, p_min))
    var_scale = var_min if var_min > 0 else float(discrete_value_at_risk(support, probs, p_max))
    res_err = span / var_scale if var_scale > 0 else 0.0
    return tail_err, res_err
