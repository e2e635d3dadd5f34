"""Public fitting entry points: :func:`fit` and :func:`from_params`."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any, Literal

import numpy as np

from actuarial._typing import ArrayLike
from actuarial._validation import as_float_array, check_nonnegative, check_positive
from actuarial.exceptions import (
    ConvergenceError,
    ConvergenceWarning,
    InvalidInputError,
    InvalidTypeError,
)
from actuarial.severity._base import Family, Sample
from actuarial.severity._optim import maximise
from actuarial.severity._result import SeverityFit
from actuarial.severity.families import get_family

__all__ = ["fit", "from_params", "make_sample"]

_REMEDIES = (
    "Remedies: pass start={...} with plausible parameter values; check that truncation= "
    "matches how the data were recorded; try a family with fewer parameters or a heavier "
    "tail; rescale the losses (e.g. to millions of USD)."
)


def _as_flags(censoring: Any, n: int) -> np.ndarray:
    arr = np.asarray(censoring)
    if arr.ndim != 1 or arr.size != n:
        raise InvalidInputError(
            f"censoring must be a one-dimensional array of {n} flags (one per loss), got "
            f"shape {arr.shape}"
        )
    if arr.dtype == bool:
        return arr.copy()
    if arr.dtype.kind in "iuf" and np.all(np.isin(arr, (0, 1))):
        return arr.astype(bool)
    raise InvalidTypeError("censoring must hold booleans (True = loss known only to exceed "
                           "its value) or 0/1")


def make_sample(
    losses: ArrayLike,
    truncation: float | ArrayLike | None = None,
    censoring: ArrayLike | None = None,
    weights: ArrayLike | None = None,
    *,
    min_size: int = 2,
) -> Sample:
    """Validate losses, truncation points, censoring flags and weights into a Sample."""
    x = as_float_array(losses, "losses", positive=True, min_size=min_size)
    n = x.size
    if truncation is None:
        t = np.zeros(n)
        scalar: float | None = 0.0
    elif np.ndim(truncation) == 0:
        scalar = check_nonnegative(truncation, "truncation")  # type: ignore[arg-type]
        t = np.full(n, scalar)
    else:
        t = as_float_array(truncation, "truncation", nonnegative=True)
        if t.size != n:
            raise InvalidInputError(
                f"truncation must be a scalar or hold one point per loss ({n}), got {t.size}"
            )
        scalar = None
    below = x < t
    if below.all():
        raise InvalidInputError(
            f"truncation ({float(t.max()):g}) lies above every loss (largest loss "
            f"{float(x.max()):g}); a record truncated at t holds only losses >= t"
        )
    if below.any():
        i = int(np.flatnonzero(below)[0])
        raise InvalidInputError(
            f"{int(below.sum())} loss(es) lie below their truncation point (first: losses[{i}]"
            f" = {x[i]:g} < truncation {t[i]:g}); a left-truncated record cannot contain "
            "them: remove them explicitly or correct the truncation point"
        )
    cens = np.zeros(n, dtype=bool) if censoring is None else _as_flags(censoring, n)
    if cens.all():
        raise InvalidInputError("censoring flags every loss; at least one must be observed")
    if weights is None:
        w = np.ones(n)
    else:
        w = as_float_array(weights, "weights", positive=True)
        if w.size != n:
            raise InvalidInputError(f"weights must hold one value per loss ({n}), got {w.size}")
    return Sample(x, t, cens, w, scalar)


def _check_family_threshold(threshold: float | None) -> float | None:
    return None if threshold is None else check_positive(threshold, "threshold")


def _prepare(
    family: Family, sample: Sample, threshold: float | None
) -> tuple[dict[str, float], int, Sample, int]:
    fixed, n_est = family.fixed_values(sample, threshold)
    # only a peaks-over-threshold fit models a subset, and it reports the excluded count
    mask = family.select(sample, fixed) if threshold is not None else None
    kept = sample.subset(mask) if mask is not None and not mask.all() else sample
    n_param = len(family.params)
    if kept.n < max(2, n_param):
        raise InvalidInputError(
            f"the {family.name} family needs at least {max(2, n_param)} losses"
            + (f" above threshold {threshold:g}" if threshold is not None else "")
            + f"; got {kept.n}"
        )
    return fixed, n_est, kept, int(sample.n - kept.n)


def fit_sample(
    family: Family,
    sample: Sample,
    threshold: float | None = None,
    start: Mapping[str, float] | None = None,
) -> SeverityFit:
    """Fit ``family`` to a validated sample without emitting warnings (internal)."""
    fixed, n_est, kept, n_excluded = _prepare(family, sample, threshold)
    starts = list(family.start(kept, fixed))
    if start is not None:
        missing = set(family.param_names) - set(start)
        if missing:
            raise InvalidInputError(f"start is missing parameter(s) {sorted(missing)}")
        starts.insert(0, dict(start))
    opt = maximise(family, fixed, kept, starts)
    if not math.isfinite(opt.loglik):
        raise ConvergenceError(
            f"fitting the {family.name} family failed: {opt.message}. {_REMEDIES}"
        )
    params = {p.name: p.from_free(float(e)) for p, e in zip(family.params, opt.eta,
                                                              strict=True)}
    cov = cov_free = None
    if opt.hessian is not None and not opt.boundary:
        try:
            cov_free = np.asarray(np.linalg.inv(opt.hessian), dtype=np.float64)
        except np.linalg.LinAlgError:
            cov_free = None
        if cov_free is not None and np.all(np.isfinite(cov_free)):
            jac = np.array([p.derivative(float(e)) for p, e in zip(family.params, opt.eta,
                                                                     strict=True)])
            cov = np.asarray(cov_free * np.outer(jac, jac), dtype=np.float64)
        else:
            cov_free = None
    return SeverityFit(
        family=family, params=params, fixed=fixed, loglik=opt.loglik, n=kept.n,
        converged=opt.converged, message=opt.message, boundary=opt.boundary, cov=cov,
        cov_free=cov_free, n_excluded=n_excluded, n_fixed_estimated=n_est, sample=kept,
    )


def fit(
    losses: ArrayLike,
    family: str | Family,
    *,
    truncation: float | ArrayLike | None = None,
    censoring: ArrayLike | None = None,
    threshold: float | None = None,
    weights: ArrayLike | None = None,
    start: Mapping[str, float] | None = None,
    errors: Literal["warn", "raise"] = "warn",
) -> SeverityFit:
    """Fit a severity family by maximum likelihood, with truncation and censoring.

    Parameters
    ----------
    losses : array_like
        Loss amounts (e.g. USD), strictly positive. For a censored loss, the value it is
        known to exceed.
    family : str or Family
        ``"lognormal"``, ``"gamma"``, ``"weibull"``, ``"lomax"``, ``"pareto"``,
        ``"burr12"``, ``"loglogistic"``, ``"invgamma"``, ``"gpd"``, ``"spliced"``, or a
        :class:`Family` instance such as ``Spliced(body="weibull")``.
    truncation : float or array_like, optional
        Left-truncation point(s): a loss enters the record only if it is at least ``t``.
        A scalar applies to every loss; an array gives one point per loss. Each loss
        contributes ``f(x) / (1 - F(t))``. Losses below their truncation point are an error.
    censoring : array_like of bool, optional
        True where the loss is known only to exceed the recorded value (e.g. a payment
        capped at a policy limit); contributes ``1 - F(x)``.
    threshold : float, optional
        For ``"gpd"``: the peaks-over-threshold level (only losses above it are modelled);
        for ``"pareto"``: its fixed scale; for ``"spliced"``: the splice point (required).
    weights : array_like, optional
        Positive case weights multiplying each log-likelihood contribution.
    start : mapping, optional
        Starting values, tried before the family's own.
    errors : {"warn", "raise"}
        When the fit does not converge (or the maximum lies on the boundary of the parameter
        space): ``"warn"`` issues a :class:`~actuarial.exceptions.ConvergenceWarning` and
        returns the fit with ``converged=False``; ``"raise"`` raises
        :class:`~actuarial.exceptions.ConvergenceError` with remedies.

    Returns
    -------
    SeverityFit
        ``fit.dist`` describes the loss *before* truncation.

    Raises
    ------
    ConvergenceError
        If no parameter value gives a finite likelihood, or as requested by ``errors``.

    Notes
    -----
    When a left-truncated sample is much heavier-tailed than a family allows (a gamma on
    crypto hack losses, say), the truncated likelihood may keep increasing as a shape
    parameter goes to 0 and the scale to infinity. No maximum exists then; the fit reports
    ``converged=False`` and names the drifting parameters in ``fit.boundary`` rather than
    presenting the last iterate as an estimate.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> import actuarial.severity as sev
    >>> x = stats.lognorm(1.5, scale=1e6).rvs(500, random_state=np.random.default_rng(1))
    >>> res = sev.fit(x[x >= 5e5], "lognormal", truncation=5e5)
    >>> res.converged, res.n
    (True, 343)
    >>> ci = res.conf_int(0.05)
    >>> bool(ci.loc["s", "lower"] < 1.5 < ci.loc["s", "upper"])
    True
    """
    if errors not in ("warn", "raise"):
        raise InvalidInputError(f"errors must be 'warn' or 'raise'; got {errors!r}")
    fam = get_family(family)
    sample = make_sample(losses, truncation, censoring, weights)
    result = fit_sample(fam, sample, _check_family_threshold(threshold), start)
    if not result.converged:
        text = f"the {fam.name} fit did not converge: {result.message}."
        if errors == "raise":
            raise ConvergenceError(f"{text} {_REMEDIES}")
        warnings.warn(f"{text} Check fit.converged and fit.boundary before using it.",
                      ConvergenceWarning, stacklevel=2)
    return result


def from_params(
    family: str | Family,
    params: Mapping[str, float],
    *,
    losses: ArrayLike | None = None,
    truncation: float | ArrayLike | None = None,
    censoring: ArrayLike | None = None,
    threshold: float | None = None,
    weights: ArrayLike | None = None,
) -> SeverityFit:
    """A :class:`SeverityFit` with user-set parameters (no estimation).

    Fixed values (Pareto ``scale``, GPD ``loc``, splice ``threshold``) may be given in
    ``params`` or through ``threshold``. With ``losses`` the log-likelihood, AIC and BIC of
    those data are computed; standard errors are not available.

    Examples
    --------
    >>> import actuarial.severity as sev
    >>> model = sev.from_params("lomax", {"c": 1.2, "scale": 5e6})
    >>> print(round(float(model.dist.median()) / 1e6, 4))
    3.909
    """
    fam = get_family(family)
    params = {k: float(v) for k, v in params.items()}
    est = {p.name: params.pop(p.name, math.nan) for p in fam.params}
    for p in fam.params:
        if not p.contains(est[p.name]):
            raise InvalidInputError(
                f"params[{p.name!r}] must lie in ({p.lower:g}, {p.upper:g}); got {est[p.name]}"
            )
    allowed = {"pareto": {"scale"}, "gpd": {"loc"}, "spliced": {"threshold", "tail_weight"}}
    unknown = set(params) - allowed.get(fam.name, set())
    if unknown:
        raise InvalidInputError(f"params has unknown name(s) {sorted(unknown)} for "
                                f"{fam.name}; expected {list(fam.param_names)}")
    threshold = _check_family_threshold(threshold)
    if losses is not None:
        sample = make_sample(losses, truncation, censoring, weights, min_size=1)
        fixed, n_est, kept, n_excluded = _prepare(fam, sample, threshold)
        fixed.update(params)
        loglik = fam.loglik(est, fixed, kept)
        n = kept.n
    else:
        kept, n_est, n_excluded, n = None, 0, 0, 0
        fixed = _fixed_without_data(fam, threshold, params)
        loglik = math.nan
    return SeverityFit(family=fam, params=est, fixed=fixed, loglik=loglik, n=n,
                       converged=True, message="user-set parameters", n_excluded=n_excluded,
                       n_fixed_estimated=n_est, sample=kept, method="user")


def _fixed_without_data(
    fam: Family, threshold: float | None, params: dict[str, float]
) -> dict[str, float]:
    key = {"pareto": "scale", "gpd": "loc", "spliced": "threshold"}.get(fam.name)
    fixed = dict(params)
    if key is not None and key not in fixed:
        if threshold is None and key != "loc":
            raise InvalidInputError(
                f"the {fam.name} family needs its {key!r}: pass it in params or as threshold="
            )
        fixed[key] = 0.0 if threshold is None else threshold
    return fixed
