"""Count distributions as frozen scipy.stats objects, parameter uncertainty and thinning."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import optimize, special, stats
from statsmodels.distributions.discrete import zinegbin, zipoisson

from actuarial._typing import FloatArray
from actuarial._validation import check_nonnegative, check_positive
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["count_distribution", "gamma_shape_for_log_variance", "thin"]


def count_distribution(
    family: str, mu: Any, alpha: float | None = None, zero_inflation: float | None = None
) -> Any:
    """Frozen distribution of a count with component mean ``mu`` (vectorised over ``mu``).

    ``poisson`` -> ``scipy.stats.poisson(mu=mu)``; ``negbin`` (NB2 with variance
    ``mu + alpha mu**2``) -> ``scipy.stats.nbinom(n=1/alpha, p=1/(1 + alpha mu))``;
    ``zip`` / ``zinb`` -> statsmodels' ``zipoisson`` / ``zinegbin`` (scipy ``rv_discrete``
    subclasses) with structural-zero probability ``zero_inflation``. ``alpha = 0`` gives the
    Poisson limit.
    """
    mu = np.asarray(mu, dtype=np.float64)
    if mu.ndim == 0:
        mu = float(mu)  # type: ignore[assignment]
    if alpha is not None and alpha > 0:
        if zero_inflation is not None:
            return zinegbin(mu=mu, alpha=alpha, p=2, w=zero_inflation)
        return stats.nbinom(n=1.0 / alpha, p=1.0 / (1.0 + alpha * mu))
    if zero_inflation is not None:
        return zipoisson(mu=mu, w=zero_inflation)
    return stats.poisson(mu=mu)


def gamma_shape_for_log_variance(s2: float) -> float:
    r"""Shape ``k`` of the gamma law whose logarithm has variance ``s2``: trigamma(k) = s2.

    A gamma variable ``G`` with shape ``k`` has ``Var(log G) = psi'(k)`` (the trigamma
    function), which decreases from infinity to 0; for small ``s2``, ``k ~ 1/s2 + 1/2``.

    Examples
    --------
    >>> from scipy.special import polygamma
    >>> k = gamma_shape_for_log_variance(0.04)
    >>> round(float(polygamma(1, k)), 12)
    0.04
    """
    s2 = check_positive(s2, "s2")
    lo, hi = np.log(1e-12), np.log(1e12)

    def f(logk: float) -> float:
        return float(np.log(special.polygamma(1, np.exp(logk))) - np.log(s2))

    if f(hi) > 0:  # s2 below what double precision resolves: the mixing is negligible
        return float(np.exp(hi))
    return float(np.exp(optimize.brentq(f, lo, hi, xtol=1e-14, rtol=1e-15)))


def _thin_frozen(dist: Any, q: float) -> Any:
    name = getattr(getattr(dist, "dist", None), "name", None)
    args = dict(zip(dist.dist.shapes.replace(" ", "").split(","), dist.args, strict=False))
    args.update(dist.kwds)
    if name == "poisson":
        return stats.poisson(mu=args["mu"] * q)
    if name == "nbinom":
        n, p = args["n"], args["p"]
        return stats.nbinom(n=n, p=p / (p + q * (1.0 - p)))
    if name == "binom":
        new_p = args["p"] * q
        if np.any(new_p > 1):
            raise InvalidInputError(
                "to_threshold: scaling a binomial frequency up beyond p = 1 is impossible; "
                "a binomial count can only be thinned (to_threshold above from_threshold)"
            )
        return stats.binom(n=args["n"], p=new_p)
    raise InvalidTypeError(
        "rate must be a number, an array or a frozen scipy.stats poisson, nbinom or binom "
        f"distribution; got a frozen {name!r} distribution"
    )


def thin(rate: Any, severity_dist: Any, from_threshold: float, to_threshold: float) -> Any:
    r"""Re-express a frequency of losses above one threshold as one above another threshold.

    Each loss exceeds ``to_threshold`` independently with probability
    ``S(to_threshold) / S(from_threshold)`` among losses above ``from_threshold``, where ``S``
    is the survival function of the (untruncated) severity. A rate is scaled by that ratio,
    ``rate(t2) = rate(t1) S(t2) / S(t1)``; a count distribution is thinned: Poisson(mu) ->
    Poisson(q mu), NB(n, p) -> NB(n, p / (p + q (1 - p))) (same ``n``, mean scaled by
    ``q``), Binomial(n, p) -> Binomial(n, q p). A ratio above one (``to_threshold`` below
    ``from_threshold``) extrapolates the severity model below the data threshold.

    Parameters
    ----------
    rate : float, array_like or frozen scipy.stats discrete distribution
        Expected number of losses above ``from_threshold`` per period, or their count
        distribution (``poisson``, ``nbinom`` or ``binom``), e.g. ``fit.predictive()``.
    severity_dist : frozen scipy.stats continuous distribution or an object with ``.dist``
        Severity of one loss (USD) before truncation, e.g. a ``SeverityFit``.
    from_threshold, to_threshold : float
        Reporting thresholds (USD), non-negative.

    Returns
    -------
    float, ndarray or frozen scipy.stats distribution
        Same kind as ``rate``, for losses above ``to_threshold``.

    Examples
    --------
    >>> from scipy import stats
    >>> sev = stats.lomax(c=1.5, scale=1e6)
    >>> round(thin(12.0, sev, 1e6, 1e7), 4)
    0.9303
    >>> thin(stats.poisson(12.0), sev, 1e6, 1e7).mean().round(4)
    np.float64(0.9303)
    """
    sev = severity_dist
    if not isinstance(getattr(sev, "dist", None), stats.rv_continuous | stats.rv_discrete):
        sev = getattr(sev, "dist", sev)  # a fit result carrying its frozen distribution
    if isinstance(getattr(sev, "dist", None), stats.rv_discrete) or not hasattr(sev, "sf"):
        raise InvalidTypeError(
            "severity_dist must be a frozen scipy.stats continuous distribution (or an object "
            f"with such a .dist); got {type(severity_dist).__name__}"
        )
    t1 = check_nonnegative(from_threshold, "from_threshold")
    t2 = check_nonnegative(to_threshold, "to_threshold")
    s1, s2 = float(sev.sf(t1)), float(sev.sf(t2))
    if not s1 > 0:
        raise InvalidInputError(
            f"from_threshold: the severity has no mass above {t1!r} (S = {s1!r}), so no rate "
            "above it can be rescaled"
        )
    q = s2 / s1
    if hasattr(rate, "dist") and hasattr(rate, "pmf"):
        return _thin_frozen(rate, q)
    if isinstance(rate, stats.rv_discrete | stats.rv_continuous):
        raise InvalidTypeError("rate must be a frozen distribution (call it with parameters)")
    arr: FloatArray = np.asarray(rate, dtype=np.float64)
    if np.isnan(arr).any() or (arr < 0).any():
        raise InvalidInputError("rate must be non-negative (expected losses per period)")
    out = arr * q
    return float(out) if out.ndim == 0 else out
