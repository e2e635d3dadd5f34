"""Maximum likelihood for a declared family: optimisers, numerical Hessian, boundary check.

The optimiser works on the unconstrained parametrisation (see :class:`Param`) and on the
*mean* negative log-likelihood, so that its tolerances do not depend on the sample size.
Strategy: evaluate every candidate start, run BFGS (central-difference gradient) from the
best, fall back to Nelder-Mead when BFGS fails and polish again. Then a ridge test walks
along the flattest direction of the Hessian: if the likelihood keeps rising for ever longer
steps, the maximum lies on the boundary of the parameter space and no interior estimate
exists.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from actuarial._typing import FloatArray
from actuarial.severity._base import Family, Sample

__all__ = ["Optimum", "hessian", "maximise"]

#: Steps (in the unconstrained scale) of the ridge test.
_RIDGE_STEPS = (0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
#: Change of the mean negative log-likelihood below which a direction counts as flat.
_FLAT = 1e-9
#: Distance (unconstrained scale) from the start beyond which a parameter has run away.
_FAR = 15.0


@dataclass(frozen=True)
class Optimum:
    """Outcome of :func:`maximise` (internal)."""

    eta: FloatArray
    loglik: float
    converged: bool
    message: str
    boundary: tuple[str, ...]
    hessian: FloatArray | None  # of the total negative log-likelihood, free scale


def _params(family: Family, eta: FloatArray) -> dict[str, float]:
    return {p.name: p.from_free(float(e)) for p, e in zip(family.params, eta, strict=True)}


def to_free(family: Family, params: Mapping[str, float]) -> FloatArray:
    """Unconstrained vector of a parameter mapping."""
    return np.array([p.to_free(float(params[p.name])) for p in family.params])


def objective(
    family: Family, fixed: Mapping[str, float], sample: Sample
) -> Callable[[FloatArray], float]:
    """Mean negative log-likelihood as a function of the unconstrained vector."""
    total = float(sample.weights.sum())

    def nll(eta: FloatArray) -> float:
        ll = family.loglik(_params(family, eta), fixed, sample)
        return -ll / total if math.isfinite(ll) else math.inf

    return nll


def _steps(eta: FloatArray, rel: float) -> FloatArray:
    return rel * np.maximum(1.0, np.abs(eta))


def gradient(f: Callable[[FloatArray], float], eta: FloatArray) -> FloatArray:
    """Central-difference gradient."""
    h = _steps(eta, 1e-6)
    g = np.empty_like(eta)
    for i in range(eta.size):
        e = np.zeros_like(eta)
        e[i] = h[i]
        g[i] = (f(eta + e) - f(eta - e)) / (2.0 * h[i])
    return g


def hessian(f: Callable[[FloatArray], float], eta: FloatArray, rel: float = 1e-4) -> FloatArray:
    """Central-difference Hessian of ``f`` at ``eta`` (symmetric)."""
    k = eta.size
    h = _steps(eta, rel)
    f0 = f(eta)
    out = np.empty((k, k))
    for i in range(k):
        ei = np.zeros(k)
        ei[i] = h[i]
        out[i, i] = (f(eta + ei) - 2.0 * f0 + f(eta - ei)) / h[i] ** 2
        for j in range(i):
            ej = np.zeros(k)
            ej[j] = h[j]
            v = (
                f(eta + ei + ej) - f(eta + ei - ej) - f(eta - ei + ej) + f(eta - ei - ej)
            ) / (4.0 * h[i] * h[j])
            out[i, j] = out[j, i] = v
    return out


def _bfgs(f: Callable[[FloatArray], float], eta: FloatArray) -> optimize.OptimizeResult:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return optimize.minimize(
            f,
            eta,
            jac=lambda e: gradient(f, e),
            method="BFGS",
            options={"gtol": 1e-7, "maxiter": 2000},
        )


def _nelder_mead(f: Callable[[FloatArray], float], eta: FloatArray) -> optimize.OptimizeResult:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)
        return optimize.minimize(
            f,
            eta,
            method="Nelder-Mead",
            options={"xatol": 1e-9, "fatol": 1e-13, "maxiter": 20000, "adaptive": True},
        )


def _local(f: Callable[[FloatArray], float], eta: FloatArray) -> tuple[FloatArray, float, bool]:
    """BFGS, with a Nelder-Mead fallback and a BFGS polish; returns (eta, f, success)."""
    res = _bfgs(f, eta)
    best_x, best_f, ok = res.x, float(res.fun), bool(res.success)
    if not ok or not math.isfinite(best_f):
        nm = _nelder_mead(f, best_x if math.isfinite(best_f) else eta)
        if float(nm.fun) <= best_f or not math.isfinite(best_f):
            best_x, best_f = nm.x, float(nm.fun)
        polish = _bfgs(f, best_x)
        if float(polish.fun) <= best_f:
            best_x, best_f = polish.x, float(polish.fun)
        g = gradient(f, best_x)
        ok = bool(polish.success or nm.success) and bool(np.all(np.abs(g) < 1e-5))
    return np.asarray(best_x, dtype=float), best_f, ok


def _ridge(
    f: Callable[[FloatArray], float], eta: FloatArray, f0: float, hess: FloatArray, tol: float
) -> tuple[FloatArray | None, FloatArray | None]:
    """Walk along the flattest Hessian directions.

    Returns ``(better, direction)``: a point with a clearly lower objective if one was met
    (re-optimise from it) and the direction along which the objective never rose over the
    whole ladder of steps while either falling or staying flat (the supremum lies on the
    boundary, or the parameters are not identified), or ``None``.
    """
    with np.errstate(all="ignore"):
        try:
            vals, vecs = np.linalg.eigh(hess)
        except np.linalg.LinAlgError:
            vals, vecs = np.zeros(eta.size), np.eye(eta.size)
    order = np.argsort(vals)
    scale = max(float(np.max(np.abs(vals))), 1e-12)
    directions = [vecs[:, i] for i in order if vals[i] < 1e-3 * scale or i == order[0]]
    directions += [np.eye(eta.size)[i] for i in range(eta.size) if hess[i, i] < 1e-6 * scale]
    better: FloatArray | None = None
    best_f = f0
    for d in directions:
        for sign in (1.0, -1.0):
            values = [f(eta + sign * s * d) for s in _RIDGE_STEPS]
            for s, v in zip(_RIDGE_STEPS, values, strict=True):
                if v < best_f - tol:
                    best_f, better = v, eta + sign * s * d
            never_rising = all(
                b <= a + _FLAT for a, b in zip([f0, *values[:-1]], values, strict=True)
            )
            if never_rising and (values[-1] < f0 - tol or abs(values[-1] - f0) <= _FLAT):
                return better, sign * d
    return better, None


def _describe_boundary(family: Family, direction: FloatArray) -> tuple[str, ...]:
    d = direction / np.max(np.abs(direction))
    out = []
    for p, dj in zip(family.params, d, strict=True):
        if abs(dj) > 0.2:
            bound = p.upper if dj > 0 else p.lower
            out.append(f"{p.name} -> {bound:g}")
    return tuple(out)


def maximise(
    family: Family,
    fixed: Mapping[str, float],
    sample: Sample,
    starts: Sequence[Mapping[str, float]],
) -> Optimum:
    """Maximise the log-likelihood of ``family`` on ``sample`` from candidate ``starts``."""
    f = objective(family, fixed, sample)
    total = float(sample.weights.sum())
    candidates = []
    for s in starts:
        try:
            eta = to_free(family, s)
        except (ValueError, OverflowError, KeyError):
            continue
        if np.all(np.isfinite(eta)):
            candidates.append((f(eta), eta))
    candidates = [c for c in candidates if math.isfinite(c[0])]
    if not candidates:
        return Optimum(np.full(len(family.params), np.nan), -math.inf, False,
                       "no starting value gives a finite likelihood", (), None)
    candidates.sort(key=lambda c: c[0])
    eta, fval, ok = _local(f, candidates[0][1])
    if len(candidates) > 1 and not ok:
        eta2, f2, ok2 = _local(f, candidates[1][1])
        if f2 < fval:
            eta, fval, ok = eta2, f2, ok2
    if not math.isfinite(fval):
        return Optimum(eta, -math.inf, False, "the optimiser left the parameter space", (),
                       None)
    tol = max(1e-9, 1e-12 * abs(fval))
    direction = None
    for _ in range(4):
        hess = hessian(f, eta)
        better, direction = _ridge(f, eta, fval, hess, tol)
        if better is None:
            break
        eta, fval, ok = _local(f, better)
    hess = hessian(f, eta) * total
    boundary: tuple[str, ...] = ()
    if direction is not None:
        boundary = _describe_boundary(family, direction)
        return Optimum(eta, -fval * total, False,
                       "the likelihood keeps rising toward a boundary of the parameter space "
                       f"({', '.join(boundary)}): no interior maximum", boundary, hess)
    pd_ok = bool(np.all(np.isfinite(hess))) and bool(np.all(np.linalg.eigvalsh(hess) > 0))
    moved = eta - candidates[0][1]
    if not pd_ok and np.any(np.abs(moved) > _FAR):
        # a curved ridge: parameters ran off many orders of magnitude from the data-based
        # start while the information became singular
        boundary = _describe_boundary(family, np.where(np.abs(moved) > _FAR, moved, 0.0))
        return Optimum(eta, -fval * total, False,
                       "the likelihood keeps rising toward a boundary of the parameter space "
                       f"({', '.join(boundary)}): no interior maximum", boundary, hess)
    if not pd_ok:
        return Optimum(eta, -fval * total, False,
                       "the observed information is not positive definite at the optimum",
                       (), hess)
    message = "converged" if ok else "the optimiser stopped before its tolerance was met"
    return Optimum(eta, -fval * total, ok, message, (), hess)
