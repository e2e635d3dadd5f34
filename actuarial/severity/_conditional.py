"""The conditional distribution of a loss above a reporting threshold."""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

from actuarial._validation import check_nonnegative
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["left_truncated"]


class _LeftTruncatedGen(stats.rv_continuous):
    """``X | X >= lower`` for a frozen continuous ``base``; tails computed from ``base.sf``."""

    def __init__(self, base: Any = None, lower: float = 0.0, **kwargs: Any) -> None:
        super().__init__(a=lower, name=f"left-truncated {_name(base)}", **kwargs)
        self._base = base
        self._lower = float(lower)
        self._s_t = float(base.sf(lower))

    def _updated_ctor_param(self) -> dict[str, Any]:
        params = super()._updated_ctor_param()
        params.update(base=self._base, lower=self._lower)
        params.pop("a", None)
        params.pop("name", None)
        return params

    def _pdf(self, x: Any) -> Any:
        return self._base.pdf(x) / self._s_t

    def _logpdf(self, x: Any) -> Any:
        return self._base.logpdf(x) - np.log(self._s_t)

    def _sf(self, x: Any) -> Any:
        return np.minimum(self._base.sf(x) / self._s_t, 1.0)

    def _cdf(self, x: Any) -> Any:
        return 1.0 - self._sf(x)

    def _isf(self, q: Any) -> Any:
        return np.maximum(self._base.isf(q * self._s_t), self._lower)

    def _ppf(self, q: Any) -> Any:
        return self._isf(1.0 - q)

    def _stats(self) -> tuple[float, float, None, None]:
        # E[X | X >= t] = (E[X] - E[X; X < t]) / S(t), likewise for E[X^2]; a moment of the
        # truncated loss is infinite exactly when the base's is.
        t, base = self._lower, self._base
        m1_base = float(base.mean())
        var_base = float(base.var())
        if not np.isfinite(m1_base):
            return np.inf, np.inf, None, None
        lo1 = float(base.expect(lambda x: x, lb=0.0, ub=t)) if t > 0 else 0.0
        mean = (m1_base - lo1) / self._s_t
        if not np.isfinite(var_base):
            return mean, np.inf, None, None
        lo2 = float(base.expect(lambda x: x * x, lb=0.0, ub=t)) if t > 0 else 0.0
        second = (var_base + m1_base**2 - lo2) / self._s_t
        return mean, max(second - mean * mean, 0.0), None, None


def _name(base: Any) -> str:
    return str(getattr(getattr(base, "dist", None), "name", type(base).__name__))


def left_truncated(dist: Any, lower: float) -> Any:
    """Frozen distribution of a loss given that it is at least ``lower``.

    A loss database complete above a threshold ``t`` (e.g. USD 10M) gives a frequency of
    losses above ``t``; the matching severity is ``X | X >= t``, with survival function
    ``S(x) / S(t)``. Use it as the ``severity`` of a compound model whose frequency counts only
    the reported losses.

    Parameters
    ----------
    dist : frozen scipy.stats continuous distribution or fitted severity
        The loss before truncation (a fit's ``dist`` is used when a fit is given).
    lower : float
        The threshold ``t`` (USD), with ``S(t) > 0``.

    Returns
    -------
    frozen scipy.stats continuous distribution
        With support ``[t, inf)``; ``ppf``/``isf`` are computed from the base's ``isf`` so that
        the far tail keeps its precision.

    Examples
    --------
    >>> from scipy import stats
    >>> d = left_truncated(stats.expon(scale=2.0), 3.0)
    >>> round(float(d.mean()), 10)    # memoryless: 3 + 2
    5.0
    >>> round(float(d.cdf(3.0)), 12), round(float(d.sf(5.0)), 10)
    (0.0, 0.3678794412)
    """
    base = dist.dist if hasattr(dist, "dist") and not hasattr(dist, "ppf") else dist
    if not callable(getattr(base, "sf", None)) or not callable(getattr(base, "isf", None)):
        raise InvalidTypeError(
            "dist must be a frozen scipy.stats continuous distribution or a fitted severity"
        )
    t = check_nonnegative(lower, "lower")
    if not float(base.sf(t)) > 0.0:
        raise InvalidInputError(f"lower={t:g} lies beyond the support of dist (S(lower) = 0)")
    return _LeftTruncatedGen(base=base, lower=t)()
