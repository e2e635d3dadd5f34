"""Diagnostic plots of severity fits and tails (matplotlib; each returns its Axes).

Empirical probabilities use the product-limit (Kaplan-Meier) estimator with delayed entry,
so left truncation and right censoring are respected; fitted curves are those of the
fitted distribution truncated at the smallest truncation point of the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from actuarial._typing import ArrayLike, FloatArray
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.severity._base import Sample
from actuarial.severity._result import SeverityFit
from actuarial.severity.evt import gpd_stability, hill_table, mean_excess

__all__ = [
    "density_plot",
    "hill_plot",
    "mean_excess_plot",
    "pp_plot",
    "product_limit",
    "qq_plot",
    "stability_plot",
    "survival_plot",
]


def _axes(ax: Any) -> Any:
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots()[1]


def _sample_of(result: Any) -> Sample:
    if not isinstance(result, SeverityFit):
        raise InvalidTypeError(f"expected a SeverityFit, got {type(result).__name__}")
    if result.sample is None:
        raise InvalidInputError("this plot needs a fit to data, not user-set parameters")
    return result.sample


def product_limit(sample: Sample) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Product-limit survival with delayed entry at the distinct uncensored losses.

    Returns ``(x, s_before, s_after)``: the distinct uncensored values and the estimated
    ``P(X >= x | X > t_min)`` and ``P(X > x | X > t_min)``. A loss is at risk at ``x`` when
    its truncation point is at most ``x`` and its value at least ``x``.
    """
    obs = ~sample.censored
    times = np.unique(sample.x[obs])
    order_t = np.sort(sample.truncation)
    cum_t = np.concatenate([[0.0], np.cumsum(sample.weights[np.argsort(sample.truncation)])])
    order_x = np.argsort(sample.x)
    xs, ws = sample.x[order_x], sample.weights[order_x]
    cum_x = np.concatenate([[0.0], np.cumsum(ws)])
    entered = cum_t[np.searchsorted(order_t, times, side="right")]
    left = cum_x[np.searchsorted(xs, times, side="left")]
    at_risk = entered - left
    d_idx = np.searchsorted(times, sample.x[obs])
    deaths = np.bincount(d_idx, weights=sample.weights[obs], minlength=times.size)
    factors = 1.0 - deaths / np.maximum(at_risk, 1e-300)
    s_after = np.cumprod(factors)
    s_before = np.concatenate([[1.0], s_after[:-1]])
    return times, s_before, s_after


def _positions(result: SeverityFit) -> tuple[FloatArray, FloatArray, float]:
    s = _sample_of(result)
    x, before, after = product_limit(s)
    p = 1.0 - 0.5 * (before + after)
    return x, p, s.min_truncation


def qq_plot(result: SeverityFit, ax: Any = None) -> Any:
    """Quantile-quantile plot (log scales) against the truncated fitted distribution."""
    ax = _axes(ax)
    x, p, t = _positions(result)
    theo = result.dist.isf((1.0 - p) * result.dist.sf(t))
    ax.loglog(theo, x, "o", ms=3, alpha=0.7, label="losses")
    lo, hi = float(min(theo.min(), x.min())), float(max(theo.max(), x.max()))
    ax.loglog([lo, hi], [lo, hi], "k--", lw=1)
    ax.set_xlabel(f"fitted {result.family.name} quantile")
    ax.set_ylabel("empirical quantile")
    ax.set_title("QQ plot (truncated fit)")
    return ax


def pp_plot(result: SeverityFit, ax: Any = None) -> Any:
    """Probability-probability plot against the truncated fitted distribution."""
    ax = _axes(ax)
    x, p, t = _positions(result)
    model = 1.0 - result.dist.sf(x) / result.dist.sf(t)
    ax.plot(model, p, "o", ms=3, alpha=0.7)
    ax.plot([0, 1], [0, 1], "k--", lw=1)
    ax.set_xlabel(f"fitted {result.family.name} probability")
    ax.set_ylabel("empirical probability")
    ax.set_title("PP plot (truncated fit)")
    return ax


def survival_plot(results: SeverityFit | Sequence[SeverityFit], ax: Any = None) -> Any:
    """Log-log empirical survival with the fitted (truncated) survival curves overlaid.

    All fits must share the same data (e.g. the fits returned by ``compare``).
    """
    fits = [results] if isinstance(results, SeverityFit) else list(results)
    if not fits:
        raise InvalidInputError("results must hold at least one SeverityFit")
    ax = _axes(ax)
    s = _sample_of(fits[0])
    x, _, after = product_limit(s)
    keep = after > 0
    ax.loglog(x[keep], after[keep], "k.", ms=4, label="empirical")
    grid = np.geomspace(max(s.min_truncation, float(s.x.min())), float(s.x.max()) * 2, 300)
    for res in fits:
        t = _sample_of(res).min_truncation
        ax.loglog(grid, res.dist.sf(grid) / res.dist.sf(t), lw=1.5, label=res.family.name)
    ax.set_xlabel("loss")
    ax.set_ylabel("P(X > x | X > truncation)")
    ax.legend()
    return ax


def density_plot(result: SeverityFit, ax: Any = None, bins: int = 30) -> Any:
    """Histogram of log10 losses with the fitted truncated density of ``log10 X``."""
    ax = _axes(ax)
    s = _sample_of(result)
    lx = np.log10(s.x[~s.censored])
    ax.hist(lx, bins=bins, density=True, alpha=0.4, color="grey", label="losses")
    grid = np.linspace(lx.min(), lx.max(), 300)
    x = 10.0**grid
    dens = result.dist.pdf(x) * x * np.log(10.0) / result.dist.sf(s.min_truncation)
    ax.plot(grid, dens, lw=1.5, label=result.family.name)
    ax.set_xlabel("log10 loss")
    ax.set_ylabel("density")
    ax.legend()
    return ax


def hill_plot(losses: ArrayLike, ks: ArrayLike | None = None, ax: Any = None) -> Any:
    """Hill estimate of the tail index against ``k`` with a 95% band."""
    ax = _axes(ax)
    table = hill_table(losses, ks)
    k = table.index.to_numpy()
    a, se = table["tail_index"].to_numpy(), table["std_err"].to_numpy()
    ax.plot(k, a, lw=1.5)
    ax.fill_between(k, a - 1.96 * se, a + 1.96 * se, alpha=0.2)
    ax.axhline(1.0, color="red", ls=":", lw=1, label="infinite mean below")
    ax.set_xlabel("k (number of largest losses)")
    ax.set_ylabel("tail index alpha")
    ax.legend()
    return ax


def mean_excess_plot(losses: ArrayLike, ax: Any = None) -> Any:
    """Empirical mean excess against the threshold (log x axis)."""
    ax = _axes(ax)
    table = mean_excess(losses)
    u, e, se = (table[c].to_numpy() for c in ("threshold", "mean_excess", "std_err"))
    ax.plot(u, e, ".-", ms=3)
    ax.fill_between(u, e - 1.96 * se, e + 1.96 * se, alpha=0.2)
    ax.set_xscale("log")
    ax.set_xlabel("threshold u")
    ax.set_ylabel("mean excess e(u)")
    return ax


def stability_plot(
    losses: ArrayLike, thresholds: ArrayLike | None = None, ax: Any = None,
    *, parameter: str = "shape",
) -> Any:
    """GPD ``shape`` (or ``modified_scale``) across thresholds with 95% intervals."""
    if parameter not in ("shape", "modified_scale"):
        raise InvalidInputError(f"parameter must be 'shape' or 'modified_scale'; got "
                                f"{parameter!r}")
    ax = _axes(ax)
    table = gpd_stability(losses, thresholds)
    u = table["threshold"].to_numpy()
    v, se = table[parameter].to_numpy(), table[f"{parameter}_se"].to_numpy()
    ax.errorbar(u, v, yerr=1.96 * se, fmt="o-", ms=3, capsize=2)
    ax.set_xscale("log")
    ax.set_xlabel("threshold u")
    ax.set_ylabel(f"GPD {parameter}")
    return ax
