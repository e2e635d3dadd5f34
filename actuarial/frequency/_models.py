"""Maximum-likelihood fits of the count families, delegated to statsmodels.

Each ``fit_*`` function takes the counts ``y``, the design ``X`` and the log-exposure offset
and returns a :class:`RawFit` with parameters ordered as regression coefficients, then
``alpha`` (NB2 dispersion, if any), then ``inflate_const`` (zero-inflation logit, if any).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import statsmodels.api as sm
from scipy.special import expit
from statsmodels.discrete.count_model import (
    ZeroInflatedNegativeBinomialP,
    ZeroInflatedPoisson,
)
from statsmodels.discrete.discrete_model import NegativeBinomial
from statsmodels.discrete.truncated_model import TruncatedLFPoisson
from statsmodels.tools.numdiff import approx_fprime
from statsmodels.tools.sm_exceptions import ConvergenceWarning as SMConvergenceWarning
from statsmodels.tools.sm_exceptions import HessianInversionWarning

from actuarial._typing import FloatArray
from actuarial.exceptions import InvalidInputError

__all__ = ["FAMILIES", "RawFit", "fit_family"]

FAMILIES = ("poisson", "negbin", "zip", "zinb", "ztpoisson")
_MAXITER = 200


@dataclass(frozen=True)
class RawFit:
    """Estimates of one family on one design (internal)."""

    params: FloatArray
    cov: FloatArray
    llf: float
    converged: bool
    mu: FloatArray  # mean of the (untruncated, non-inflated) count component per row
    alpha: float | None  # NB2 dispersion: Var = mu + alpha mu^2
    zero_inflation: float | None  # probability of a structural zero
    boundary: bool = False  # estimate on the boundary of the parameter space (alpha = 0)


def _quiet_fit(fit: Callable[[], Any]) -> Any:
    # statsmodels' own warnings are translated into our convergence flag and warnings.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SMConvergenceWarning)
        warnings.simplefilter("ignore", HessianInversionWarning)
        warnings.simplefilter("ignore", RuntimeWarning)
        return fit()


def _converged(res: Any) -> bool:
    retvals = getattr(res, "mle_retvals", None) or {}
    ok = bool(retvals.get("converged", getattr(res, "converged", True)))
    cov = np.asarray(res.cov_params())
    return ok and bool(np.all(np.isfinite(cov)))


def fit_poisson(y: FloatArray, X: FloatArray, offset: FloatArray | None) -> RawFit:
    """Poisson GLM with log link (IRLS in statsmodels)."""
    model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
    res = _quiet_fit(lambda: model.fit(tol=1e-12, maxiter=_MAXITER))
    params = np.asarray(res.params)
    return RawFit(
        params=params,
        cov=np.asarray(res.cov_params()),
        llf=float(res.llf),
        converged=bool(res.converged),
        mu=np.asarray(res.mu),
        alpha=None,
        zero_inflation=None,
    )


def fit_negbin(
    y: FloatArray, X: FloatArray, offset: FloatArray | None, poisson: RawFit | None = None
) -> RawFit:
    """NB2 regression (``NegativeBinomial(loglike_method="nb2")``), Newton from Poisson.

    If the score in ``alpha`` at ``alpha = 0`` is not positive, i.e.
    ``sum((y - mu)**2 - y) <= 0`` at the Poisson means (Cameron and Trivedi's statistic), the
    likelihood is maximised on the boundary ``alpha = 0`` and the Poisson fit is returned with
    ``alpha = 0`` and ``boundary = True``.
    """
    pois = poisson if poisson is not None else fit_poisson(y, X, offset)
    resid2 = (y - pois.mu) ** 2 - y
    if resid2.sum() <= 0:
        k = X.shape[1]
        cov = np.full((k + 1, k + 1), np.nan)
        cov[:k, :k] = pois.cov
        return RawFit(
            params=np.append(pois.params, 0.0),
            cov=cov,
            llf=pois.llf,
            converged=pois.converged,
            mu=pois.mu,
            alpha=0.0,
            zero_inflation=None,
            boundary=True,
        )
    # Moment start for alpha: regress (y - mu)^2 - y on mu^2 through the origin.
    alpha0 = max(float(resid2 @ pois.mu**2 / (pois.mu**4).sum()), 0.05)
    model = NegativeBinomial(y, X, loglike_method="nb2", offset=offset)
    start = np.append(pois.params, alpha0)
    res = _quiet_fit(
        lambda: model.fit(start_params=start, method="newton", maxiter=_MAXITER, disp=0)
    )
    if not _converged(res) or res.params[-1] <= 0:
        res = _quiet_fit(lambda: model.fit(start_params=start, maxiter=_MAXITER, disp=0))
        res = _quiet_fit(
            lambda: model.fit(
                start_params=res.params,
                method="newton",
                maxiter=_MAXITER,
                disp=0,
            )
        )
    params = np.asarray(res.params)
    mu = np.exp(X @ params[:-1] + (0.0 if offset is None else offset))
    return RawFit(
        params=params,
        cov=np.asarray(res.cov_params()),
        llf=float(res.llf),
        converged=_converged(res) and params[-1] > 0,
        mu=mu,
        alpha=float(params[-1]),
        zero_inflation=None,
    )


def _fit_zero_inflated(
    y: FloatArray, X: FloatArray, offset: FloatArray | None, negbin: bool
) -> RawFit:
    ones = np.ones((len(y), 1))
    if negbin:
        model = ZeroInflatedNegativeBinomialP(y, X, exog_infl=ones, offset=offset, p=2)
    else:
        model = ZeroInflatedPoisson(y, X, exog_infl=ones, offset=offset)
    res = _quiet_fit(lambda: model.fit(method="bfgs", maxiter=2000, disp=0))
    res = _quiet_fit(
        lambda: model.fit(
            start_params=res.params,
            method="newton",
            maxiter=_MAXITER,
            disp=0,
        )
    )
    # statsmodels orders [inflate_const, coefficients..., (alpha)]; reorder to ours.
    k = X.shape[1]
    order = [*range(1, k + 1), *([k + 1] if negbin else []), 0]
    raw = np.asarray(res.params)
    params = raw[order]
    # The observed information is the derivative of statsmodels' analytic score, taken
    # numerically: the analytic ZeroInflatedPoisson.hessian of statsmodels 0.15 disagrees with
    # it (about 1 % on the standard errors, checked against R in tests/reference/frequency).
    hess = approx_fprime(raw, model.score, centered=True)
    with np.errstate(all="ignore"):
        try:
            cov_raw = np.linalg.inv(-(hess + hess.T) / 2.0)
        except np.linalg.LinAlgError:
            cov_raw = np.full_like(hess, np.nan)
    cov = cov_raw[np.ix_(order, order)]
    mu = np.exp(X @ params[:k] + (0.0 if offset is None else offset))
    return RawFit(
        params=params,
        cov=cov,
        llf=float(res.llf),
        converged=_converged(res) and bool(np.all(np.isfinite(np.diag(cov)) & (np.diag(cov) > 0))),
        mu=mu,
        alpha=float(params[k]) if negbin else None,
        zero_inflation=float(expit(params[-1])),
    )


def fit_ztpoisson(y: FloatArray, X: FloatArray, offset: FloatArray | None) -> RawFit:
    """Zero-truncated Poisson (``TruncatedLFPoisson(truncation=0)``)."""
    if (y < 1).any():
        raise InvalidInputError(
            "counts: family 'ztpoisson' models data in which zero counts are not recorded, "
            f"but counts has {int((y < 1).sum())} zero(s); use 'poisson' or 'zip'"
        )
    model = TruncatedLFPoisson(y, X, offset=offset, truncation=0)
    res = _quiet_fit(lambda: model.fit(method="newton", maxiter=_MAXITER, disp=0))
    params = np.asarray(res.params)
    return RawFit(
        params=params,
        cov=np.asarray(res.cov_params()),
        llf=float(res.llf),
        converged=_converged(res),
        mu=np.exp(X @ params + (0.0 if offset is None else offset)),
        alpha=None,
        zero_inflation=None,
    )


def fit_family(family: str, y: FloatArray, X: FloatArray, offset: FloatArray | None) -> RawFit:
    """Dispatch to the fitter of ``family`` (one of :data:`FAMILIES`)."""
    if family == "poisson":
        return fit_poisson(y, X, offset)
    if family == "negbin":
        return fit_negbin(y, X, offset)
    if family in ("zip", "zinb"):
        return _fit_zero_inflated(y, X, offset, negbin=family == "zinb")
    return fit_ztpoisson(y, X, offset)
