"""Shared closed-form references for the engine tests."""

import numpy as np
import pytest
from scipy import optimize, stats


class CompoundExponential:
    """Exact cdf of a compound sum of exponential losses, independent of the package.

    S = X_1 + ... + X_N with X_i ~ Exp(theta): given N = k >= 1, S ~ Gamma(k, theta), so
    F(s) = P(N = 0) + sum_k P(N = k) GammaCDF(s; k, theta).
    """

    def __init__(self, freq, theta, kmax=400):
        self.theta = theta
        self.k = np.arange(1, kmax + 1)
        self.pk = freq.pmf(self.k)
        self.p0 = float(freq.pmf(0))

    def cdf(self, s):
        s = np.atleast_1d(np.asarray(s, dtype=float))
        return self.p0 + (
            self.pk[None, :] * stats.gamma.cdf(s[:, None], self.k[None, :], scale=self.theta)
        ).sum(axis=1)

    def var(self, p):
        if p <= self.p0:
            return 0.0
        return optimize.brentq(lambda s: self.cdf(s)[0] - p, 0.0, 1e4 * self.theta, xtol=1e-12)

    def tvar(self, p):
        # E[(S - v)+] = sum_k P(N = k) E[(Gamma_k - v)+], with
        # E[(G - v)+] = k theta sf(v; k + 1) - v sf(v; k)
        v = self.var(p)
        k, th = self.k, self.theta
        excess = k * th * stats.gamma.sf(v, k + 1, scale=th) - v * stats.gamma.sf(v, k, scale=th)
        return v + float(self.pk @ excess) / (1 - p)


@pytest.fixture
def compound_exponential():
    return CompoundExponential
