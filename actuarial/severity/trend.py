"""Severity trend: lognormal regression of losses on time and categories, truncation-aware."""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, special, stats
from statsmodels.iolib.summary import Summary
from statsmodels.iolib.table import SimpleTable

from actuarial._typing import ArrayLike, FloatArray
from actuarial._validation import check_in_unit_interval
from actuarial.exceptions import ConvergenceWarning, InvalidInputError, InvalidTypeError
from actuarial.severity._fitting import make_sample
from actuarial.severity._optim import hessian

__all__ = ["TrendFit", "trend"]


def _design(covariates: Any, n: int) -> pd.DataFrame:
    if isinstance(covariates, pd.Series):
        covariates = covariates.to_frame(covariates.name or "x")
    elif not isinstance(covariates, pd.DataFrame):
        arr = np.asarray(covariates)
        if arr.ndim != 1:
            raise InvalidTypeError("covariates must be a DataFrame, a Series or a 1-d array")
        covariates = pd.DataFrame({"x": arr})
    if len(covariates) != n:
        raise InvalidInputError(f"covariates must have one row per loss ({n}); got "
                                f"{len(covariates)}")
    cat = [c for c in covariates.columns
           if not pd.api.types.is_numeric_dtype(covariates[c])
           or pd.api.types.is_bool_dtype(covariates[c])]
    design = pd.get_dummies(covariates.reset_index(drop=True), columns=cat, drop_first=True,
                            dtype=float)
    design = design.astype(float)
    if design.isna().to_numpy().any():
        raise InvalidInputError("covariates contains missing values")
    design.insert(0, "const", 1.0)
    if np.linalg.matrix_rank(design.to_numpy()) < design.shape[1]:
        raise InvalidInputError("the covariates are collinear (or a column is constant)")
    return design


@dataclass(frozen=True, repr=False, eq=False)
class TrendFit:
    """Lognormal severity regression ``log X = z'beta + sigma * e``, e standard normal.

    ``params`` holds the coefficients of ``log X`` (one per design column, ``const`` first)
    and ``sigma``. A coefficient ``b`` on a year column means losses grow by
    ``exp(b) - 1`` per year; see :meth:`trend_rate`.
    """

    params: pd.Series
    cov: FloatArray
    loglik: float
    n: int
    converged: bool
    design_columns: tuple[str, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", self.params.copy())
        self.cov.setflags(write=False)

    @property
    def bse(self) -> pd.Series:
        """Standard errors (inverse observed information)."""
        return pd.Series(np.sqrt(np.diag(self.cov)), index=self.params.index, name="std_err")

    @property
    def pvalues(self) -> pd.Series:
        """Two-sided Wald p-values of the coefficients (``sigma`` excluded)."""
        z = self.params / self.bse
        p = pd.Series(2.0 * stats.norm.sf(np.abs(z)), index=self.params.index, name="p_value")
        return p.drop("sigma")

    @property
    def aic(self) -> float:
        """Akaike information criterion."""
        return 2.0 * len(self.params) - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        """Bayesian information criterion."""
        return len(self.params) * math.log(self.n) - 2.0 * self.loglik

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals."""
        z = stats.norm.isf(check_in_unit_interval(alpha, "alpha") / 2.0)
        return pd.DataFrame({"lower": self.params - z * self.bse,
                             "upper": self.params + z * self.bse})

    def trend_rate(self, column: str, alpha: float = 0.05) -> tuple[float, float, float]:
        """Growth of losses per unit of ``column``: ``exp(b) - 1`` with its interval."""
        if column not in self.design_columns or column == "const":
            raise InvalidInputError(f"column must be one of {list(self.design_columns[1:])}; "
                                    f"got {column!r}")
        ci = self.conf_int(alpha).loc[column]
        return (float(np.expm1(self.params[column])), float(np.expm1(ci["lower"])),
                float(np.expm1(ci["upper"])))

    def is_significant(self, column: str, alpha: float = 0.05) -> bool:
        """Whether the coefficient of ``column`` differs from 0 at level ``alpha``."""
        return bool(self.pvalues[column] < check_in_unit_interval(alpha, "alpha"))

    def dist(self, row: dict[str, Any] | pd.Series) -> Any:
        """Frozen lognormal of a loss with the design values ``row`` (missing columns 0)."""
        z = np.array([1.0 if c == "const" else float(row.get(c, 0.0))
                      for c in self.design_columns])
        mu = float(z @ self.params[list(self.design_columns)].to_numpy())
        return stats.lognorm(float(self.params["sigma"]), scale=math.exp(mu))

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """Coefficient table."""
        ci = self.conf_int(alpha)
        return pd.DataFrame({"estimate": self.params, "std_err": self.bse,
                             "p_value": self.pvalues, "lower": ci["lower"],
                             "upper": ci["upper"]})

    def summary(self) -> Summary:
        """Summary table (text via ``str``)."""
        smry = Summary()
        info = [("Model:", "lognormal regression"), ("Observations:", str(self.n)),
                ("Log-likelihood:", f"{self.loglik:.4f}"), ("AIC:", f"{self.aic:.4f}"),
                ("Converged:", str(self.converged))]
        smry.tables.append(SimpleTable([[v] for _, v in info], stubs=[k for k, _ in info],
                                       title="Severity trend"))
        frame = self.to_frame()
        data = [[f"{v:.6g}" for v in row] for row in frame.to_numpy()]
        smry.tables.append(SimpleTable(data, headers=list(frame.columns),
                                       stubs=list(frame.index)))
        return smry

    def __str__(self) -> str:
        return str(self.summary())


def trend(
    losses: ArrayLike,
    covariates: Any,
    *,
    truncation: float | ArrayLike | None = None,
    censoring: ArrayLike | None = None,
) -> TrendFit:
    """Fit a lognormal severity regression with left truncation and right censoring.

    ``log X_i ~ Normal(z_i' beta, sigma^2)``, each loss contributing its density over the
    probability of exceeding its truncation point (a truncated-normal regression of log
    losses; with no truncation or censoring it is ordinary least squares, with the MLE of
    ``sigma``).

    Parameters
    ----------
    losses : array_like
        Positive losses.
    covariates : DataFrame, Series or 1-d array
        One row per loss. Numeric columns enter linearly (e.g. ``year``, centred for
        readability); non-numeric columns (e.g. ``category``) are dummy-coded against their
        first level. An intercept is added.
    truncation, censoring
        As in :func:`actuarial.severity.fit`.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> year = rng.integers(2016, 2025, size=400)
    >>> x = np.exp(13 + 0.2 * (year - 2020) + 1.5 * rng.standard_normal(400))
    >>> res = trend(x, pd.DataFrame({"year": year - 2020}))
    >>> res.is_significant("year"), round(float(res.params["year"]), 1)
    (True, 0.2)
    """
    sample = make_sample(losses, truncation, censoring)
    design = _design(covariates, sample.n)
    z = design.to_numpy()
    y, lt = np.log(sample.x), np.log(np.maximum(sample.truncation, 1e-300))
    trunc = sample.truncation > 0
    cens = sample.censored

    def nll(theta: FloatArray) -> float:
        beta, log_sigma = theta[:-1], theta[-1]
        sigma = math.exp(log_sigma)
        mu = z @ beta
        r = (y - mu) / sigma
        ll = np.where(cens, special.log_ndtr(-r), -0.5 * r * r - log_sigma
                      - 0.5 * math.log(2 * math.pi) - y)
        ll = ll - np.where(trunc, special.log_ndtr(-(lt - mu) / sigma), 0.0)
        total = float(ll.sum())
        return -total / sample.n if math.isfinite(total) else math.inf

    beta0, *_ = np.linalg.lstsq(z, y, rcond=None)
    resid_sd = float(np.std(y - z @ beta0)) or 1.0
    start = np.append(beta0, math.log(resid_sd))
    res = optimize.minimize(nll, start, method="BFGS", options={"gtol": 1e-8})
    if not res.success:
        polish = optimize.minimize(nll, res.x, method="Nelder-Mead",
                                   options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 40000})
        if polish.fun <= res.fun:
            res = polish
    h = hessian(nll, res.x) * sample.n
    try:
        cov_free = np.linalg.inv(h)
        converged = bool(np.all(np.linalg.eigvalsh(h) > 0))
    except np.linalg.LinAlgError:
        cov_free, converged = np.full_like(h, np.nan), False
    sigma = math.exp(res.x[-1])
    jac = np.ones(res.x.size)
    jac[-1] = sigma
    cov = cov_free * np.outer(jac, jac)
    names = [*design.columns, "sigma"]
    if not converged:
        warnings.warn("the severity trend fit did not converge; check the covariates",
                      ConvergenceWarning, stacklevel=2)
    return TrendFit(pd.Series([*res.x[:-1], sigma], index=names, name="estimate"), cov,
                    -float(res.fun) * sample.n, sample.n, converged, tuple(design.columns))
