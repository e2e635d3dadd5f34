"""Independent log-likelihoods written from the textbook formulas (no scipy.stats).

Used to check the package's maximum likelihood against a direct scipy.optimize
maximisation of the same truncated / censored log-likelihood.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special


def _lognormal(x, s, scale):
    z = (np.log(x) - np.log(scale)) / s
    return -np.log(x * s * np.sqrt(2 * np.pi)) - 0.5 * z * z, special.log_ndtr(-z)


def _gamma(x, a, scale):
    y = x / scale
    return (a - 1) * np.log(y) - y - special.gammaln(a) - np.log(scale), np.log(
        special.gammaincc(a, y)
    )


def _weibull(x, c, scale):
    y = x / scale
    return np.log(c / scale) + (c - 1) * np.log(y) - y**c, -(y**c)


def _lomax(x, c, scale):
    return np.log(c / scale) - (c + 1) * np.log1p(x / scale), -c * np.log1p(x / scale)


def _burr12(x, c, d, scale):
    y = x / scale
    return (
        np.log(c * d / scale) + (c - 1) * np.log(y) - (d + 1) * np.log1p(y**c),
        -d * np.log1p(y**c),
    )


def _loglogistic(x, c, scale):
    y = x / scale
    return np.log(c / scale) + (c - 1) * np.log(y) - 2 * np.log1p(y**c), -np.log1p(y**c)


def _invgamma(x, a, scale):
    return (
        a * np.log(scale) - special.gammaln(a) - (a + 1) * np.log(x) - scale / x,
        np.log(special.gammainc(a, scale / x)),
    )


def make_pareto(scale):
    def _pareto(x, b):
        return np.log(b) + b * np.log(scale) - (b + 1) * np.log(x), b * np.log(scale / x)

    return _pareto


def make_gpd(loc):
    def _gpd(x, c, scale):
        y = np.maximum(x - loc, 0.0) / scale
        arg = 1 + c * y
        if np.any(arg <= 0):
            return np.full_like(x, -np.inf), np.full_like(x, -np.inf)
        return -np.log(scale) - (1 / c + 1) * np.log(arg), -(1 / c) * np.log(arg)

    return _gpd


def make_spliced(u):
    def _spliced(x, s, scale, c, tscale, w):
        lf_b, _ = _lognormal(x, s, scale)
        log_fu = special.log_ndtr((np.log(u) - np.log(scale)) / s)
        y = np.maximum(x - u, 0.0) / tscale
        lf_t = -np.log(tscale) - (1 / c + 1) * np.log1p(c * y)
        below = x <= u
        logpdf = np.where(below, np.log1p(-w) + lf_b - log_fu, np.log(w) + lf_t)
        fb = special.ndtr((np.log(x) - np.log(scale)) / s)
        sf_below = w + (1 - w) * (1 - fb / np.exp(log_fu))
        logsf = np.where(below, np.log(np.maximum(sf_below, 1e-300)),
                         np.log(w) - (1 / c) * np.log1p(c * y))
        return logpdf, logsf

    return _spliced


DENSITIES = {
    "lognormal": _lognormal,
    "gamma": _gamma,
    "weibull": _weibull,
    "lomax": _lomax,
    "burr12": _burr12,
    "loglogistic": _loglogistic,
    "invgamma": _invgamma,
}

#: Transform of each parameter to an unconstrained scale (log, or identity).
SHIFTED = {"c_gpd": -1.0}


def loglik(func, theta, x, t=None, cens=None, w=None):
    """Truncated / censored log-likelihood of a hand-written family."""
    w = np.ones_like(x) if w is None else w
    cens = np.zeros(x.size, bool) if cens is None else cens
    with np.errstate(all="ignore"):
        lp, ls = func(x, *theta)
        terms = np.where(cens, ls, lp)
        if t is not None:
            t = np.broadcast_to(np.asarray(t, float), x.shape)
            pos = t > 0
            _, lst = func(np.where(pos, t, x), *theta)
            terms = terms - np.where(pos, lst, 0.0)
    val = float(np.dot(w, terms))
    return val if np.isfinite(val) else -np.inf


def maximise(func, theta0, lower, x, t=None, cens=None, w=None, rounds=3):
    """Maximise by Nelder-Mead then Powell on log(theta - lower); returns (theta, loglik)."""
    lower = np.asarray(lower, float)

    def nll(z):
        return -loglik(func, lower + np.exp(z), x, t, cens, w)

    z = np.log(np.asarray(theta0, float) - lower)
    for _ in range(rounds):
        z = optimize.minimize(nll, z, method="Nelder-Mead",
                              options={"xatol": 1e-10, "fatol": 1e-12, "maxiter": 40000,
                                       "adaptive": True}).x
        z = optimize.minimize(nll, z, method="Powell",
                              options={"xtol": 1e-10, "ftol": 1e-13, "maxiter": 40000}).x
    return lower + np.exp(z), -nll(z)
