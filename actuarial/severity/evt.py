"""Extreme-value tools: Hill estimator, mean excess, GPD threshold stability and selection."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from actuarial._typing import ArrayLike
from actuarial._validation import as_float_array, check_in_unit_interval, check_int
from actuarial.exceptions import ConvergenceWarning, InvalidInputError
from actuarial.severity._fitting import fit_sample, make_sample
from actuarial.severity.families import GPD

__all__ = [
    "HillEstimate",
    "ThresholdChoice",
    "gpd_stability",
    "hill",
    "hill_table",
    "mean_excess",
    "select_threshold",
]


@dataclass(frozen=True)
class HillEstimate:
    """Hill estimate from the ``k`` largest losses.

    Attributes
    ----------
    k : int
        Number of upper order statistics used.
    shape : float
        Hill estimate of the extreme-value shape ``xi = mean(log(X_(n-i+1) / X_(n-k)))``.
    tail_index : float
        ``alpha = 1 / xi``: moments of order below ``alpha`` are finite.
    std_err : float
        Asymptotic standard error of ``alpha``, ``alpha / sqrt(k)``.
    threshold : float
        ``X_(n-k)``, the (k+1)-th largest loss.
    """

    k: int
    shape: float
    tail_index: float
    std_err: float
    threshold: float

    def conf_int(self, alpha: float = 0.05) -> tuple[float, float]:
        """Asymptotic normal confidence interval of the tail index."""
        alpha = check_in_unit_interval(alpha, "alpha")
        z = stats.norm.isf(alpha / 2.0)
        return self.tail_index - z * self.std_err, self.tail_index + z * self.std_err

    @property
    def has_finite_mean(self) -> bool:
        """Whether the estimated tail index exceeds 1."""
        return self.tail_index > 1.0

    def summary(self) -> str:
        """One-paragraph text summary."""
        lo, hi = self.conf_int()
        flag = "finite" if self.has_finite_mean else "INFINITE"
        return (f"Hill estimate (k={self.k}, threshold={self.threshold:.6g}): tail index "
                f"{self.tail_index:.4g} (95% CI {lo:.4g} to {hi:.4g}), shape xi "
                f"{self.shape:.4g}; mean {flag}")

    def __str__(self) -> str:
        return self.summary()


def _positive_sorted(losses: ArrayLike, min_size: int = 3) -> np.ndarray:
    return np.sort(as_float_array(losses, "losses", positive=True, min_size=min_size))[::-1]


def hill(losses: ArrayLike, k: int) -> HillEstimate:
    """Hill estimator of the tail index from the ``k`` largest losses.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> x = stats.pareto(1.2).rvs(5000, random_state=np.random.default_rng(0))
    >>> round(hill(x, k=500).tail_index, 1)
    1.2
    """
    desc = _positive_sorted(losses)
    k = check_int(k, "k", minimum=2)
    if k >= desc.size:
        raise InvalidInputError(f"k must be less than the number of losses ({desc.size}); "
                                f"got {k}")
    logs = np.log(desc)
    xi = float(np.mean(logs[:k]) - logs[k])
    if xi <= 0:
        raise InvalidInputError(f"the {k} largest losses are all equal; choose a larger k")
    alpha = 1.0 / xi
    return HillEstimate(k, xi, alpha, alpha / math.sqrt(k), float(desc[k]))


def hill_table(losses: ArrayLike, ks: ArrayLike | None = None) -> pd.DataFrame:
    """Hill estimates over a range of ``k`` (default 5 to n - 1), one row per ``k``."""
    desc = _positive_sorted(losses)
    n = desc.size
    ks_arr = np.arange(5 if n > 6 else 2, n) if ks is None else np.asarray(ks, dtype=int)
    if ks_arr.size == 0 or ks_arr.min() < 2 or ks_arr.max() >= n:
        raise InvalidInputError(f"ks must lie in [2, {n - 1}]")
    logs = np.log(desc)
    cummean = np.cumsum(logs) / np.arange(1, n + 1)
    xi = cummean[ks_arr - 1] - logs[ks_arr]
    alpha = 1.0 / xi
    return pd.DataFrame({"k": ks_arr, "threshold": desc[ks_arr], "shape": xi,
                         "tail_index": alpha, "std_err": alpha / np.sqrt(ks_arr)}).set_index("k")


def mean_excess(losses: ArrayLike, thresholds: ArrayLike | None = None) -> pd.DataFrame:
    """Empirical mean excess ``e(u) = mean(X - u | X > u)`` with its standard error.

    A mean-excess function rising linearly in ``u`` signals a GPD tail with positive shape
    (slope ``xi / (1 - xi)``). By default the thresholds are the losses themselves except
    the 5 largest.
    """
    x = _positive_sorted(losses)
    u = np.sort(x)[:-5] if thresholds is None else as_float_array(thresholds, "thresholds")
    rows = []
    for level in u:
        y = x[x > level] - level
        if y.size < 2:
            continue
        rows.append((float(level), float(y.mean()), float(y.std(ddof=1) / math.sqrt(y.size)),
                     int(y.size)))
    return pd.DataFrame(rows, columns=["threshold", "mean_excess", "std_err", "n_exceed"])


def gpd_stability(
    losses: ArrayLike, thresholds: ArrayLike | None = None, *, min_exceedances: int = 20
) -> pd.DataFrame:
    """GPD fits over a range of thresholds: shape and modified scale with standard errors.

    Above a threshold where the GPD holds, the shape ``c`` and the modified scale
    ``scale - c * u`` stay constant. Default thresholds: 20 empirical quantiles from 0.5
    up to the level leaving ``min_exceedances`` losses. Thresholds with a non-converged fit
    keep a row with ``converged=False``.
    """
    x = as_float_array(losses, "losses", positive=True, min_size=3)
    min_exc = check_int(min_exceedances, "min_exceedances", minimum=5)
    if thresholds is None:
        top = 1.0 - min_exc / x.size
        if top <= 0.5:
            raise InvalidInputError(
                f"too few losses ({x.size}) for GPD fits with {min_exc} exceedances"
            )
        thresholds = np.quantile(x, np.linspace(0.5, top, 20))
    levels = as_float_array(thresholds, "thresholds", positive=True)
    sample = make_sample(x)
    rows = []
    for u in levels:
        n_exc = int((x > u).sum())
        if n_exc < min_exc:
            continue
        res = fit_sample(GPD(), sample, float(u))
        c, scale = res.params["c"], res.params["scale"]
        cov = res.cov if res.cov is not None else np.full((2, 2), np.nan)
        # var(scale - c u) = var(scale) - 2 u cov(c, scale) + u^2 var(c)
        var_mod = cov[1, 1] - 2 * u * cov[0, 1] + u * u * cov[0, 0]
        rows.append({"threshold": float(u), "n_exceed": n_exc, "shape": c,
                     "shape_se": math.sqrt(max(cov[0, 0], 0.0)), "scale": scale,
                     "modified_scale": scale - c * u,
                     "modified_scale_se": math.sqrt(max(var_mod, 0.0)),
                     "converged": res.converged})
    if not rows:
        raise InvalidInputError(f"no threshold leaves at least {min_exc} exceedances")
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class ThresholdChoice:
    """Result of :func:`select_threshold`: the chosen level and the stability table."""

    threshold: float
    shape: float
    n_exceed: int
    table: pd.DataFrame

    def summary(self) -> str:
        """Text summary."""
        return (f"GPD threshold {self.threshold:.6g} ({self.n_exceed} exceedances), shape "
                f"{self.shape:.4g}")

    def __str__(self) -> str:
        return self.summary()


def select_threshold(
    losses: ArrayLike,
    thresholds: ArrayLike | None = None,
    *,
    min_exceedances: int = 20,
    alpha: float = 0.05,
) -> ThresholdChoice:
    """Lowest threshold above which the GPD shape is stable (a documented heuristic).

    Fits a GPD at each candidate threshold (see :func:`gpd_stability`) and returns the
    lowest threshold ``u`` whose shape confidence interval (level ``1 - alpha``) contains
    the shape estimated at every higher candidate. Use it as a starting point and check the
    stability and mean-excess plots: threshold choice is a judgement, not a theorem.

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> x = stats.lomax(1.5).rvs(1000, random_state=np.random.default_rng(2))
    >>> choice = select_threshold(x)
    >>> 0.3 < choice.shape < 1.2
    True
    """
    alpha = check_in_unit_interval(alpha, "alpha")
    table = gpd_stability(losses, thresholds, min_exceedances=min_exceedances)
    ok = table[table["converged"]].reset_index(drop=True)
    if ok.empty:
        raise InvalidInputError("no GPD fit converged at the candidate thresholds")
    z = stats.norm.isf(alpha / 2.0)
    chosen = len(ok) - 1
    for i in range(len(ok)):
        lo = ok.loc[i, "shape"] - z * ok.loc[i, "shape_se"]
        hi = ok.loc[i, "shape"] + z * ok.loc[i, "shape_se"]
        later = ok.loc[i:, "shape"]
        if bool(((later >= lo) & (later <= hi)).all()):
            chosen = i
            break
    else:  # pragma: no cover - the last row always qualifies
        warnings.warn("no stable threshold found", ConvergenceWarning, stacklevel=2)
    row = ok.loc[chosen]
    return ThresholdChoice(float(row["threshold"]), float(row["shape"]),
                           int(row["n_exceed"]), table)
