"""The result of a severity fit: an immutable :class:`SeverityFit`."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.iolib.summary import Summary
from statsmodels.iolib.table import SimpleTable

from actuarial._rng import as_generator
from actuarial._typing import FloatArray, RNGLike
from actuarial._validation import check_in_unit_interval, check_int
from actuarial.exceptions import (
    ConvergenceError,
    ConvergenceWarning,
    InfiniteMeanError,
    InvalidInputError,
)
from actuarial.severity._base import Family, Frozen, Sample
from actuarial.severity._optim import maximise, to_free

__all__ = ["SeverityFit"]


@dataclass(frozen=True, repr=False, eq=False)
class SeverityFit:
    """Fitted (or user-set) severity model; returned by :func:`fit` and :func:`from_params`.

    Attributes
    ----------
    family : Family
        The family (see :data:`actuarial.severity.FAMILIES`).
    params : Mapping[str, float]
        Estimated parameters, named as in ``scipy.stats``.
    fixed : Mapping[str, float]
        Values held fixed: the Pareto ``scale``, the GPD ``loc``, the splice ``threshold``.
    loglik : float
        Maximised log-likelihood of the observed (truncated, censored) data; NaN without data.
    n : int
        Number of observations the model describes (for a GPD with ``threshold``, the
        exceedances).
    n_excluded : int
        Observations at or below a GPD ``threshold`` (not modelled, reported not dropped).
    converged : bool
        Whether the optimiser met its tolerance at an interior maximum with a positive
        definite observed information.
    message : str
        What the optimiser reports.
    boundary : tuple of str
        Parameters drifting to a bound when the likelihood has no interior maximum.
    cov : ndarray or None
        Covariance of :attr:`params` (inverse observed information, delta method from the
        unconstrained scale); None for user-set parameters or when not invertible.
    """

    family: Family
    params: Mapping[str, float]
    fixed: Mapping[str, float]
    loglik: float
    n: int
    converged: bool
    message: str = ""
    boundary: tuple[str, ...] = ()
    cov: FloatArray | None = None
    n_excluded: int = 0
    n_fixed_estimated: int = 0
    sample: Sample | None = field(default=None)
    cov_free: FloatArray | None = None
    method: str = "mle"

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))
        object.__setattr__(self, "fixed", MappingProxyType(dict(self.fixed)))
        for name in ("cov", "cov_free"):
            value = getattr(self, name)
            if value is not None:
                value = np.array(value, dtype=float)
                value.setflags(write=False)
                object.__setattr__(self, name, value)

    # ------------------------------------------------------------------ criteria
    @property
    def k(self) -> int:
        """Number of estimated parameters used in AIC and BIC."""
        return len(self.params) + self.n_fixed_estimated

    @property
    def nobs_weighted(self) -> float:
        """Sum of the case weights (``n`` without weights); the sample size in BIC."""
        return float(self.sample.weights.sum()) if self.sample is not None else float(self.n)

    @property
    def aic(self) -> float:
        """Akaike information criterion ``2k - 2 loglik``."""
        return 2.0 * self.k - 2.0 * self.loglik

    @property
    def bic(self) -> float:
        """Bayesian information criterion ``k log(n) - 2 loglik``."""
        return self.k * math.log(max(self.nobs_weighted, 1.0)) - 2.0 * self.loglik

    # -------------------------------------------------------------- distribution
    @cached_property
    def dist(self) -> Frozen:
        """Frozen scipy distribution of the loss *before* truncation."""
        return self.family.dist(self.params, self.fixed)

    @property
    def tail_index(self) -> float:
        """Tail index ``alpha``: moments of order below ``alpha`` are finite (inf if all)."""
        return float(self.family.tail_index(self.params))

    @property
    def has_finite_mean(self) -> bool:
        """Whether the fitted loss has a finite mean (tail index above 1)."""
        return self.tail_index > 1.0

    @property
    def has_finite_variance(self) -> bool:
        """Whether the fitted loss has a finite variance (tail index above 2)."""
        return self.tail_index > 2.0

    def mean(self) -> float:
        """Mean of the fitted loss.

        Raises
        ------
        InfiniteMeanError
            If the fitted tail has infinite mean: only a limited mean exists then, see
            :func:`actuarial.severity.limited_expected_value`.
        """
        if not self.has_finite_mean:
            raise InfiniteMeanError(
                f"the fitted {self.family.name} has infinite mean (tail index "
                f"{self.tail_index:.3g} <= 1); an expected loss exists only under a cover "
                "limit: use limited_expected_value(fit, limit) or layer_expected_value(fit, "
                "deductible, limit)"
            )
        return float(self.dist.mean())

    def quantile(self, p: float | FloatArray) -> float | FloatArray:
        """Quantile of the untruncated fitted loss (``dist.ppf``)."""
        out = self.dist.ppf(p)
        return float(out) if np.ndim(out) == 0 else np.asarray(out)

    # --------------------------------------------------------------- inference
    @property
    def bse(self) -> pd.Series:
        """Standard errors of :attr:`params` (NaN when no covariance is available)."""
        names = list(self.params)
        if self.cov is None:
            return pd.Series(np.nan, index=names, name="std_err")
        return pd.Series(np.sqrt(np.clip(np.diag(self.cov), 0, None)), index=names,
                         name="std_err")

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals of the parameters at level ``1 - alpha``.

        The interval is built on the unconstrained scale the optimiser uses (log for a
        positive parameter, logit for one in an interval) and mapped back, so it always
        respects the parameter bounds.
        """
        alpha = check_in_unit_interval(alpha, "alpha")
        names = list(self.params)
        if self.cov_free is None:
            return pd.DataFrame(np.nan, index=names, columns=["lower", "upper"])
        z = stats.norm.isf(alpha / 2.0)
        eta = to_free(self.family, self.params)
        se = np.sqrt(np.clip(np.diag(self.cov_free), 0, None))
        rows = [
            (p.from_free(e - z * s), p.from_free(e + z * s))
            for p, e, s in zip(self.family.params, eta, se, strict=True)
        ]
        return pd.DataFrame(rows, index=names, columns=["lower", "upper"])

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """Parameter table: estimate, standard error and confidence interval."""
        ci = self.conf_int(alpha)
        return pd.DataFrame(
            {"estimate": pd.Series(dict(self.params)), "std_err": self.bse,
             "lower": ci["lower"], "upper": ci["upper"]}
        )

    def _with_params(self, eta: FloatArray) -> Frozen:
        params = {p.name: p.from_free(float(e)) for p, e in zip(self.family.params, eta,
                                                                 strict=True)}
        return self.family.dist(params, self.fixed)

    def bootstrap(self, n_boot: int = 200, *, rng: RNGLike = None) -> pd.DataFrame:
        """Parametric bootstrap: refit the model on ``n_boot`` samples drawn from the fit.

        Each sample keeps the observed truncation points (a loss truncated at ``t`` is drawn
        from the fit conditioned on exceeding ``t``) and censors a draw at the observed value
        of every censored loss. Returns one row of refitted parameters per sample and a
        ``converged`` column: a refit with no usable maximum (non-convergence or a boundary)
        keeps its row, flagged False, and is left out of :meth:`derived_ci`.
        """
        n_boot = check_int(n_boot, "n_boot", minimum=1)
        if self.sample is None:
            raise InvalidInputError("bootstrap needs a fit to data, not user-set parameters")
        gen = as_generator(rng)
        s = self.sample
        tail_t = np.exp(self.dist.logsf(s.truncation))
        rows = []
        for _ in range(n_boot):
            x = np.asarray(self.dist.isf(gen.uniform(size=s.n) * tail_t), dtype=float)
            x = np.maximum(x, s.truncation)
            cens = s.censored & (x > s.x)
            x = np.where(cens, s.x, x)
            boot = Sample(x, s.truncation, cens, s.weights, s.scalar_truncation)
            opt = maximise(self.family, self.fixed, boot, [self.params])
            ok = bool(opt.converged and np.isfinite(opt.loglik) and not opt.boundary)
            rows.append([*(p.from_free(float(e)) for p, e in zip(self.family.params, opt.eta,
                                                                  strict=True)), ok])
        return pd.DataFrame(rows, columns=[*self.params, "converged"])

    def derived_ci(
        self,
        func: Callable[[Frozen], float],
        alpha: float = 0.05,
        *,
        method: str = "delta",
        n_boot: int = 200,
        rng: RNGLike = None,
    ) -> tuple[float, float, float]:
        """Estimate and confidence interval of a quantity ``func(dist)`` of the fitted loss.

        ``method="delta"`` uses a numerical gradient on the unconstrained scale and the
        inverse observed information; ``method="bootstrap"`` uses the percentile interval
        of :meth:`bootstrap`. Returns ``(estimate, lower, upper)``.
        """
        alpha = check_in_unit_interval(alpha, "alpha")
        est = float(func(self.dist))
        if method == "delta":
            if self.cov_free is None:
                raise InvalidInputError("the delta method needs a fit with a covariance")
            eta = to_free(self.family, self.params)
            g = np.empty(eta.size)
            for i in range(eta.size):
                h = 1e-5 * max(1.0, abs(eta[i]))
                e = np.zeros(eta.size)
                e[i] = h
                g[i] = (func(self._with_params(eta + e)) - func(self._with_params(eta - e)))
                g[i] /= 2.0 * h
            se = math.sqrt(max(float(g @ self.cov_free @ g), 0.0))
            z = stats.norm.isf(alpha / 2.0)
            return est, est - z * se, est + z * se
        if method == "bootstrap":
            draws = self.bootstrap(n_boot, rng=rng)
            usable = draws[draws.pop("converged")]
            if len(usable) < len(draws):
                warnings.warn(
                    f"{len(draws) - len(usable)} of {len(draws)} bootstrap refits had no "
                    "usable maximum and are left out of the interval",
                    ConvergenceWarning,
                    stacklevel=2,
                )
            if len(usable) < 2:
                raise ConvergenceError(
                    "too few bootstrap refits converged for an interval; use method='delta' "
                    "or more data"
                )
            vals = [func(self.family.dist(dict(row), self.fixed)) for _, row in
                    usable.iterrows()]
            lo, hi = np.quantile(vals, [alpha / 2.0, 1.0 - alpha / 2.0])
            return est, float(lo), float(hi)
        raise InvalidInputError(f"method must be 'delta' or 'bootstrap'; got {method!r}")

    def quantile_ci(
        self, p: float, alpha: float = 0.05, *, method: str = "delta", n_boot: int = 200,
        rng: RNGLike = None,
    ) -> tuple[float, float, float]:
        """Quantile ``p`` of the fitted loss with its confidence interval (see
        :meth:`derived_ci`)."""
        p = check_in_unit_interval(p, "p")
        return self.derived_ci(lambda d: float(d.ppf(p)), alpha, method=method,
                               n_boot=n_boot, rng=rng)

    # ------------------------------------------------------------------ display
    def summary(self, alpha: float = 0.05) -> Summary:
        """Summary table (text via ``str``, plus ``as_html()`` and ``as_latex()``)."""
        smry = Summary()
        info = [
            ("Family:", self.family.name), ("Method:", self.method),
            ("Observations:", str(self.n)), ("Converged:", str(self.converged)),
            ("Log-likelihood:", f"{self.loglik:.4f}"), ("AIC:", f"{self.aic:.4f}"),
            ("BIC:", f"{self.bic:.4f}"), ("Tail index:", f"{self.tail_index:.4g}"),
            ("Finite mean:", str(self.has_finite_mean)),
        ]
        if self.sample is not None and self.sample.is_truncated:
            info.append(("Truncated at:", f"{self.sample.min_truncation:.6g}"
                         + ("" if self.sample.scalar_truncation is not None else " (min)")))
        if self.sample is not None and self.sample.censored.any():
            info.append(("Censored:", str(int(self.sample.censored.sum()))))
        info += [(f"Fixed {k}:", f"{v:.6g}") for k, v in self.fixed.items()]
        smry.tables.append(SimpleTable([[v] for _, v in info], stubs=[k for k, _ in info],
                                       title=f"Severity fit: {self.family.describe()}"))
        frame = self.to_frame(alpha)
        data = [[f"{v:.6g}" for v in row] for row in frame.to_numpy()]
        header = ["estimate", "std err", f"[{alpha / 2:g}", f"{1 - alpha / 2:g}]"]
        smry.tables.append(SimpleTable(data, headers=header, stubs=list(frame.index)))
        notes = []
        if not self.converged and self.method == "mle":
            notes.append(f"Warning: {self.message}.")
        if not self.has_finite_mean:
            notes.append("The fitted tail has infinite mean: use limited expected values.")
        if notes:
            smry.add_extra_txt(notes)
        return smry

    def __str__(self) -> str:
        return str(self.summary())

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v:.6g}" for k, v in self.params.items())
        return (f"SeverityFit(family={self.family.name!r}, {params}, "
                f"loglik={self.loglik:.6g}, n={self.n}, converged={self.converged})")
