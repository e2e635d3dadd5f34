"""Payout distributions on [0, scale] with atoms at 0 and at the top (a mixed law)."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from actuarial._rng import as_random_state_like
from actuarial._typing import ArrayLike, RNGLike
from actuarial._validation import as_float_array, check_in_unit_interval, check_positive
from actuarial.exceptions import InvalidInputError

__all__ = ["MixedPayout"]


class MixedPayout:
    r"""Payout per unit of cover: atoms at 0 and at ``scale`` plus a continuous part.

    ``X = scale * Y`` with ``P(Y = 0) = p0``, ``P(Y = 1) = p1`` and, with the remaining
    weight ``w = 1 - p0 - p1``, ``Y`` drawn from ``continuous`` (a frozen scipy
    distribution on (0, 1)). It behaves as a frozen ``scipy.stats`` continuous
    distribution (``cdf``, ``sf``, ``ppf``, ``rvs``, ``mean``, ``var``, ``support``), so it
    can be the severity of a :class:`~actuarial.CompoundModel`; ``cdf`` is right-continuous
    and jumps by ``p0`` at 0 and by ``p1`` at ``scale``; ``ppf`` is the lower quantile
    ``inf{x : F(x) >= q}``.

    Parameters
    ----------
    p0, p1 : float
        Probabilities of a zero payout and of the full payout.
    continuous : frozen scipy.stats distribution on (0, 1), optional
        Law of the partial payouts; required when ``p0 + p1 < 1``.
    scale : float, default 1
        Full payout (1 per unit of cover, or the cover amount in USD).

    Examples
    --------
    >>> from scipy import stats
    >>> d = MixedPayout(0.9, 0.02, stats.beta(2, 5))
    >>> round(d.mean(), 6)  # 0.02 + 0.08 * 2/7
    0.042857
    >>> float(d.ppf(0.5)), float(d.cdf(0.0))
    (0.0, 0.9)
    """

    def __init__(self, p0: float, p1: float, continuous: Any = None, scale: float = 1.0) -> None:
        self.p0 = check_in_unit_interval(p0, "p0", closed=True)
        self.p1 = check_in_unit_interval(p1, "p1", closed=True)
        if self.p0 + self.p1 > 1 + 1e-12:
            raise InvalidInputError(f"p0 + p1 must not exceed 1; got {self.p0 + self.p1}")
        w = 1.0 - self.p0 - self.p1
        self.w = w if w > 1e-12 else 0.0
        if self.w > 0 and continuous is None:
            raise InvalidInputError("continuous is required when p0 + p1 < 1")
        self.continuous = continuous
        self.scale = check_positive(scale, "scale")

    @classmethod
    def from_samples(
        cls,
        samples: ArrayLike,
        *,
        bins: int = 256,
        scale: float = 1.0,
    ) -> MixedPayout:
        """Empirical law of simulated payouts per unit in [0, 1].

        Values ``<= 0`` form the atom at 0, values ``>= 1`` the atom at 1; the others are
        represented by ``scipy.stats.rv_histogram`` on quantile-spaced bins.
        """
        x = as_float_array(samples, "samples")
        if (x < 0).any() or (x > 1).any():
            raise InvalidInputError("samples must be payouts per unit, within [0, 1]")
        n = x.size
        zero, full = x <= 0, x >= 1
        inner = x[~zero & ~full]
        cont = None
        if inner.size:
            if inner.size == 1 or np.ptp(inner) == 0:
                cont = stats.uniform(inner[0] * (1 - 1e-9), inner[0] * 2e-9)
            else:
                edges = np.unique(np.quantile(inner, np.linspace(0, 1, min(bins, inner.size) + 1)))
                counts, _ = np.histogram(inner, edges)
                cont = stats.rv_histogram((counts, edges), density=False)
        return cls(zero.sum() / n, full.sum() / n, cont, scale)

    def rescaled(self, scale: float) -> MixedPayout:
        """The same law with full payout ``scale`` (e.g. the cover amount in USD)."""
        return MixedPayout(self.p0, self.p1, self.continuous, scale)

    def conditional(self) -> MixedPayout:
        """The law given a positive payout (the severity of a claim)."""
        if self.p0 >= 1:
            raise InvalidInputError("the payout is always 0: no conditional law exists")
        k = 1.0 - self.p0
        return MixedPayout(0.0, min(self.p1 / k, 1.0), self.continuous, self.scale)

    # scipy-like interface --------------------------------------------------------------
    def support(self) -> tuple[float, float]:
        """Bounds ``(0, scale)`` of the payout."""
        return 0.0, self.scale

    def cdf(self, x: ArrayLike) -> np.ndarray | float:
        """``P(X <= x)``, right-continuous with jumps ``p0`` at 0 and ``p1`` at ``scale``."""
        y = np.asarray(x, dtype=float) / self.scale
        inner = self.continuous.cdf(np.clip(y, 0, 1)) if self.w > 0 else 0.0
        out = np.where(y < 0, 0.0, self.p0 + self.w * inner + self.p1 * (y >= 1))
        return out if out.ndim else float(out)

    def sf(self, x: ArrayLike) -> np.ndarray | float:
        """``P(X > x) = 1 - cdf(x)``."""
        return 1.0 - np.asarray(self.cdf(x)) if np.ndim(x) else 1.0 - float(self.cdf(x))

    def ppf(self, q: ArrayLike) -> np.ndarray | float:
        """Lower quantile ``inf{x : cdf(x) >= q}`` (NaN for ``q`` outside [0, 1])."""
        qq = np.asarray(q, dtype=float)
        out = np.full(qq.shape, np.nan)
        ok = (qq >= 0) & (qq <= 1)
        out[ok & (qq <= self.p0)] = 0.0
        top = ok & (qq > self.p0 + self.w)
        out[top] = 1.0
        mid = ok & ~(qq <= self.p0) & ~top
        if mid.any():
            u = np.clip((qq[mid] - self.p0) / self.w, 0.0, 1.0)
            out[mid] = self.continuous.ppf(u)
        out = out * self.scale
        return out if out.ndim else float(out)

    def rvs(
        self,
        size: int | tuple[int, ...] | None = None,
        random_state: RNGLike | np.random.RandomState = None,
    ) -> np.ndarray | float:
        """Random payouts by inversion, ``ppf(U)``.

        ``random_state`` follows scipy's ``rvs``: None, an int seed, a ``SeedSequence``, a
        ``Generator`` or a legacy ``RandomState``.
        """
        gen = as_random_state_like(random_state)
        return self.ppf(gen.random(size))

    def _moment(self, k: int) -> float:
        inner = float(self.continuous.moment(k)) if self.w > 0 else 0.0
        return self.scale**k * (self.w * inner + self.p1)

    def mean(self) -> float:
        """``E[X] = scale (p1 + w E[Y_continuous])``."""
        return self._moment(1)

    def var(self) -> float:
        """Variance of the payout."""
        m = self.mean()
        return self._moment(2) - m * m

    def std(self) -> float:
        """Standard deviation of the payout."""
        return float(np.sqrt(self.var()))

    def __repr__(self) -> str:
        return (
            f"MixedPayout(p0={self.p0:.6g}, p1={self.p1:.6g}, continuous weight "
            f"{self.w:.6g}, scale={self.scale:g})"
        )
