"""``fit``: count regression with trend, exposure offset and covariates; ``FrequencyFit``."""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.distributions.discrete import truncatedpoisson
from statsmodels.iolib.summary2 import Summary

from actuarial._validation import check_in_unit_interval, check_positive
from actuarial.exceptions import ConvergenceWarning, InvalidInputError, InvalidTypeError

from ._data import Design, build_design, prepare_counts
from ._dispersion import DispersionTest, dispersion_test
from ._models import FAMILIES, RawFit, fit_family, fit_negbin, fit_poisson
from ._predictive import count_distribution, gamma_shape_for_log_variance

__all__ = ["FrequencyFit", "LikelihoodRatioTest", "fit"]

_PARTNER = {"poisson": "negbin", "negbin": "poisson", "zip": "zinb", "zinb": "zip"}


@dataclass(frozen=True)
class LikelihoodRatioTest:
    """Likelihood-ratio test of a Poisson-type model against its negative binomial version.

    The null ``alpha = 0`` lies on the boundary of the parameter space, so the statistic
    follows a 50:50 mixture of a point mass at 0 and a chi-square with 1 degree of freedom
    (Self and Liang, 1987): ``pvalue = chi2.sf(statistic, 1) / 2`` for a positive statistic
    and 1 otherwise.
    """

    statistic: float
    pvalue: float
    null: str
    alternative: str

    def __str__(self) -> str:
        return (
            f"LR {self.null} vs {self.alternative}: {self.statistic:.3f} "
            f"(p = {self.pvalue:.3g}, half chi-square(1))"
        )


def _lr_test(null: RawFit, alt: RawFit, names: tuple[str, str]) -> LikelihoodRatioTest:
    stat = max(2.0 * (alt.llf - null.llf), 0.0)
    pvalue = 0.5 * float(stats.chi2.sf(stat, 1)) if stat > 0 else 1.0
    return LikelihoodRatioTest(stat, pvalue, *names)


@dataclass(frozen=True, repr=False)
class FrequencyFit:
    """Result of :func:`fit` (immutable).

    Attributes
    ----------
    family : str
        ``"poisson"``, ``"negbin"`` (NB2: variance ``mu + alpha mu**2``), ``"zip"``,
        ``"zinb"`` or ``"ztpoisson"``.
    trend : str or None
        ``None``, ``"linear"`` (log-linear in time) or ``"period"`` (one effect per period).
    params : Series
        Estimates: ``const`` (log rate per unit exposure at the first period), ``trend``
        (log growth per period), ``period[p]`` (log ratio of period ``p`` to the first),
        covariate effects, ``alpha`` (NB2 dispersion) and ``inflate_const`` (logit of the
        structural-zero probability).
    bse : Series
        Standard errors (inverse observed information, joint in all parameters).
    cov_params : DataFrame
        Covariance matrix of the estimates.
    loglik : float
        Maximised log-likelihood (with the ``log y!`` terms, comparable with R's ``logLik``).
    n : int
        Number of observations (period x group rows).
    converged : bool
        Whether the optimiser converged to an interior maximum with an invertible Hessian.
    fitted : Series
        Expected count of each observation.
    dispersion : float
        Pearson chi-square divided by the residual degrees of freedom; about 1 when the
        family's variance is right, above 1 when the counts are over-dispersed.
    lr_test : LikelihoodRatioTest or None
        Poisson-type vs negative binomial test (for poisson, negbin, zip and zinb).
    clustering : DispersionTest or None
        Index of dispersion of monthly counts within years, when monthly counts are known.
    """

    family: str
    trend: str | None
    params: pd.Series
    bse: pd.Series
    cov_params: pd.DataFrame
    loglik: float
    n: int
    converged: bool
    fitted: pd.Series
    dispersion: float
    df_resid: int
    lr_test: LikelihoodRatioTest | None
    clustering: DispersionTest | None
    has_exposure: bool
    periods: pd.Index = field(repr=False)
    _design: Design = field(repr=False)
    _cov_columns: tuple[str, ...] = field(repr=False, default=())

    @property
    def k(self) -> int:
        """Number of estimated parameters."""
        return len(self.params)

    @property
    def aic(self) -> float:
        """Akaike information criterion ``-2 loglik + 2 k``."""
        return -2.0 * self.loglik + 2.0 * self.k

    @property
    def bic(self) -> float:
        """Bayesian information criterion ``-2 loglik + k log n``."""
        return -2.0 * self.loglik + self.k * float(np.log(self.n))

    @property
    def alpha(self) -> float | None:
        """NB2 dispersion ``alpha`` (``Var = mu + alpha mu**2``); ``None`` if not NB."""
        return float(self.params["alpha"]) if "alpha" in self.params.index else None

    @property
    def theta(self) -> float | None:
        """``1 / alpha``: the NB size, R's ``theta`` in ``MASS::glm.nb``."""
        a = self.alpha
        return None if a is None else (np.inf if a == 0 else 1.0 / a)

    @property
    def zero_inflation(self) -> float | None:
        """Probability of a structural zero (zip, zinb); ``None`` otherwise."""
        if "inflate_const" not in self.params.index:
            return None
        return float(1.0 / (1.0 + np.exp(-self.params["inflate_const"])))

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals at level ``1 - alpha`` (columns ``lower``, ``upper``)."""
        alpha = check_in_unit_interval(alpha, "alpha")
        z = float(stats.norm.ppf(1.0 - alpha / 2.0))
        return pd.DataFrame(
            {"lower": self.params - z * self.bse, "upper": self.params + z * self.bse}
        )

    def to_frame(self, alpha: float = 0.05) -> pd.DataFrame:
        """Parameter table: estimate, standard error, z, p-value and confidence interval."""
        z = self.params / self.bse
        table = pd.DataFrame(
            {
                "estimate": self.params,
                "std_err": self.bse,
                "z": z,
                "pvalue": 2.0 * stats.norm.sf(np.abs(z)),
            }
        )
        return table.join(self.conf_int(alpha))

    def summary(self) -> Summary:
        """Summary table (statsmodels ``Summary``: ``as_text``, ``as_html``, ``as_latex``)."""
        info: dict[str, str] = {
            "Family:": self.family,
            "Trend:": str(self.trend),
            "Exposure offset:": "yes" if self.has_exposure else "no",
            "Observations:": str(self.n),
            "Periods:": f"{self.periods.min()} to {self.periods.max()}",
            "Log-likelihood:": f"{self.loglik:.4f}",
            "AIC:": f"{self.aic:.4f}",
            "BIC:": f"{self.bic:.4f}",
            "Converged:": str(self.converged),
            "Dispersion (Pearson):": f"{self.dispersion:.4f}",
        }
        if self.alpha is not None:
            info["NB2 alpha (1/theta):"] = f"{self.alpha:.6g}"
        smry = Summary()
        smry.add_title(f"Frequency model: {self.family}")
        smry.add_dict(info, ncols=2)
        smry.add_df(self.to_frame().round(6))
        if self.lr_test is not None:
            smry.add_text(str(self.lr_test))
        if self.clustering is not None:
            smry.add_text("Monthly clustering check: " + str(self.clustering))
        return smry

    def __str__(self) -> str:
        return str(self.summary().as_text())

    def __repr__(self) -> str:
        return (
            f"FrequencyFit(family={self.family!r}, trend={self.trend!r}, n={self.n}, "
            f"loglik={self.loglik:.4f})"
        )

    def _row(self, period: Any, covariates: Mapping[str, Any] | None) -> np.ndarray:
        design = self._design
        last = self.periods.max()
        if period is None:
            period = last + 1
        elif isinstance(self.periods, pd.PeriodIndex):
            try:
                period = pd.Period(period, freq=self.periods.freq)
            except (TypeError, ValueError):
                raise InvalidInputError(
                    f"period must be a Period of frequency {self.periods.freq}; got {period!r}"
                ) from None
        elif isinstance(period, bool) or not isinstance(period, int | np.integer):
            raise InvalidTypeError(f"period must be an integer period (year); got {period!r}")
        if design.trend == "period" and period not in design.levels:
            raise InvalidInputError(
                f"period: trend='period' estimates one effect per observed period and cannot "
                f"extrapolate to {period}; choose an observed period or use trend='linear'"
            )
        frame = None
        if self._cov_columns:
            covariates = {} if covariates is None else dict(covariates)
            missing = [c for c in self._cov_columns if c not in covariates]
            if missing:
                raise InvalidInputError(
                    f"covariates: the model was fitted with covariates; give values for "
                    f"{missing} as a mapping"
                )
            for name, levels in design.categorical.items():
                if covariates[name] not in levels:
                    raise InvalidInputError(
                        f"covariates: {name}={covariates[name]!r} is not a fitted level "
                        f"{list(levels)}"
                    )
            frame = pd.DataFrame({c: [covariates[c]] for c in self._cov_columns})
        elif covariates:
            raise InvalidInputError("covariates: the model was fitted without covariates")
        index = pd.PeriodIndex([period]) if isinstance(period, pd.Period) else pd.Index([period])
        return design.rows(index, frame)[0]

    def predictive(
        self,
        period: Any = None,
        exposure: float | None = None,
        parameter_uncertainty: bool = False,
        covariates: Mapping[str, Any] | None = None,
    ) -> Any:
        r"""Distribution of the count in one future (or observed) period.

        Parameters
        ----------
        period : int or Period, optional
            The period to predict; default the one after the last observed period.
        exposure : float, optional
            Exposure of that period, in the units of the fit's exposure. Required if the
            model was fitted with exposure; otherwise default 1 (one period).
        parameter_uncertainty : bool
            If False, the plug-in distribution at the estimates: ``scipy.stats.poisson`` or
            ``scipy.stats.nbinom`` (statsmodels' ``zipoisson`` / ``zinegbin`` for the
            zero-inflated families). If True, the estimation error of the rate is added:
            the linear predictor ``log mu`` has sampling variance ``s2 = x' V x``; the rate
            is replaced by a gamma variable with mean ``mu`` whose logarithm has that
            variance (shape ``k`` with ``trigamma(k) = s2``, so ``Var(mu) ~ mu**2 s2``).
            A gamma-mixed Poisson is the negative binomial NB2 with ``alpha = 1/k``; for an
            NB2 count the mixture is replaced by the NB2 with the same mean and variance,
            ``alpha* = alpha + (1 + alpha) / k``. The uncertainty of ``alpha`` itself and of
            the zero-inflation probability is not propagated.
        covariates : mapping, optional
            Covariate values for the period, if the model has covariates.

        Returns
        -------
        frozen scipy.stats discrete distribution
            With ``rvs``, ``pmf``, ``cdf``, ``ppf``, ``mean``, ``var``. For ``ztpoisson`` the
            distribution is the untruncated Poisson (zeros included), as the truncation only
            describes what the data recorded.

        Examples
        --------
        >>> import pandas as pd
        >>> counts = pd.Series([3, 5, 4, 6, 8, 7, 9, 12], index=range(2016, 2024))
        >>> f = fit(counts, "poisson", trend="linear")
        >>> d = f.predictive(2024)
        >>> d.dist.name, round(float(d.mean()), 4)
        ('poisson', 13.5089)
        >>> d2 = f.predictive(2024, parameter_uncertainty=True)
        >>> d2.dist.name, bool(d2.var() > d.var())
        ('nbinom', True)
        """
        if self.has_exposure and exposure is None:
            raise InvalidInputError(
                "exposure is required: the model was fitted per unit of exposure"
            )
        expo = 1.0 if exposure is None else check_positive(exposure, "exposure")
        x = self._row(period, covariates)
        k_beta = len(self._design.names)
        beta = self.params.to_numpy()[:k_beta]
        mu = float(np.exp(x @ beta) * expo)
        alpha = self.alpha or 0.0
        if parameter_uncertainty:
            vbeta = self.cov_params.to_numpy()[:k_beta, :k_beta]
            s2 = float(x @ vbeta @ x)
            if not np.isfinite(s2) or s2 <= 0:
                raise InvalidInputError(
                    "parameter_uncertainty: the covariance of the estimates is not available "
                    "(the fit did not converge)"
                )
            k = gamma_shape_for_log_variance(s2)
            alpha = alpha + (1.0 + alpha) / k
        return count_distribution(self.family, mu, alpha, self.zero_inflation)


def _pearson(family: str, y: np.ndarray, raw: RawFit) -> float:
    if family == "ztpoisson":
        dist = truncatedpoisson(raw.mu, 0)
    else:
        dist = count_distribution(family, raw.mu, raw.alpha, raw.zero_inflation)
    return float((((y - dist.mean()) ** 2) / dist.var()).sum())


def _clustering(counts: Any, monthly: Any) -> DispersionTest | None:
    if monthly is None:
        index = getattr(counts, "index", None)
        if isinstance(index, pd.PeriodIndex) and index.freqstr.startswith("M"):
            monthly = counts
        else:
            return None
    return dispersion_test(monthly, within="year")


def fit(
    counts: Any,
    family: str,
    *,
    exposure: Any = None,
    trend: str | None = None,
    covariates: Any = None,
    monthly: Any = None,
) -> FrequencyFit:
    r"""Fit a count model to event counts per period.

    The log of the expected count of observation ``i`` is
    ``log mu_i = log e_i + b0 + b1 t_i + covariate effects`` with exposure ``e_i`` as an
    offset and ``t_i`` the number of periods since the first (``trend="linear"``), or one
    effect per period (``trend="period"``). Estimation is by maximum likelihood in
    statsmodels (``GLM`` for Poisson, ``NegativeBinomial(loglike_method="nb2")``,
    ``ZeroInflatedPoisson``, ``ZeroInflatedNegativeBinomialP(p=2)``, ``TruncatedLFPoisson``).
    For the Poisson and negative binomial families (and their zero-inflated versions) both
    are fitted so that the likelihood-ratio test of over-dispersion is always reported.

    Parameters
    ----------
    counts : Series, DataFrame or array_like
        Counts indexed by period (int years or a ``PeriodIndex``), or a table with a
        ``count`` column, an optional ``exposure`` column and optional grouping columns,
        with the period as index or a ``period`` column.
    family : {"poisson", "negbin", "zip", "zinb", "ztpoisson"}
        Count family: Poisson, NB2 negative binomial (``Var = mu + alpha mu**2``),
        zero-inflated Poisson / NB2 (constant inflation probability), zero-truncated
        Poisson (data in which zero counts are not recorded).
    exposure : array_like or Series, optional
        Positive exposure per observation (e.g. stablecoin-years, number of covered
        protocols); the rate is per unit of exposure. A Series is aligned on the period.
    trend : {None, "linear", "period"}
        Time structure of the rate.
    covariates : str, list of str or DataFrame, optional
        Column names of ``counts`` or a table with one row per observation; non-numeric
        columns are coded as indicators against their first level.
    monthly : Series or DataFrame, optional
        Monthly counts (monthly ``PeriodIndex``) of the same events; their index of
        dispersion within years is reported as a clustering check. Computed from
        ``counts`` itself when it is monthly.

    Returns
    -------
    FrequencyFit

    Examples
    --------
    >>> import pandas as pd
    >>> counts = pd.Series([2, 9, 3, 15, 4, 20, 6, 31], index=range(2016, 2024))
    >>> f = fit(counts, "negbin", trend="linear")
    >>> list(f.params.index)
    ['const', 'trend', 'alpha']
    >>> round(f.alpha, 4), f.lr_test.pvalue < 0.001
    (0.3007, True)
    """
    if family not in FAMILIES:
        raise InvalidInputError(f"family must be one of {list(FAMILIES)}; got {family!r}")
    data = prepare_counts(counts, exposure)
    n_extra = {"negbin": 1, "zip": 1, "zinb": 2}.get(family, 0)
    design, X, cov = build_design(data, trend, covariates, n_extra)
    y = data.counts
    offset = None if data.exposure is None else np.log(data.exposure)
    raw = fit_family(family, y, X, offset)
    lr: LikelihoodRatioTest | None = None
    if family in ("poisson", "negbin"):
        pois = raw if family == "poisson" else fit_poisson(y, X, offset)
        nb = raw if family == "negbin" else fit_negbin(y, X, offset, pois)
        lr = _lr_test(pois, nb, ("poisson", "negbin"))
    elif family in ("zip", "zinb"):
        partner = fit_family(_PARTNER[family], y, X, offset)
        pair = (raw, partner) if family == "zip" else (partner, raw)
        lr = _lr_test(*pair, ("zip", "zinb"))
    names = list(design.names)
    if raw.alpha is not None:
        names.append("alpha")
    if raw.zero_inflation is not None:
        names.append("inflate_const")
    if raw.boundary and family == "negbin":
        warnings.warn(
            "negbin: the dispersion alpha is estimated on its boundary 0 (the counts are not "
            "over-dispersed); the fit equals the Poisson fit, whose family='poisson' is "
            "simpler",
            ConvergenceWarning,
            stacklevel=2,
        )
    elif not raw.converged:
        warnings.warn(
            f"{family}: the likelihood maximisation did not converge to an interior maximum "
            "with invertible Hessian; standard errors may be missing. Try a simpler family, "
            "fewer covariates or trend=None",
            ConvergenceWarning,
            stacklevel=2,
        )
    df_resid = len(y) - len(names)
    index = data.periods
    return FrequencyFit(
        family=family,
        trend=design.trend,
        params=pd.Series(raw.params, index=names, name="estimate"),
        bse=pd.Series(np.sqrt(np.diag(raw.cov)), index=names, name="std_err"),
        cov_params=pd.DataFrame(raw.cov, index=names, columns=names),
        loglik=raw.llf,
        n=len(y),
        converged=raw.converged,
        fitted=pd.Series(
            count_distribution(family, raw.mu, raw.alpha, raw.zero_inflation).mean()
            if family != "ztpoisson"
            else truncatedpoisson(raw.mu, 0).mean(),
            index=index,
            name="fitted",
        ),
        dispersion=_pearson(family, y, raw) / df_resid,
        df_resid=df_resid,
        lr_test=lr,
        clustering=_clustering(counts, monthly),
        has_exposure=data.exposure is not None,
        periods=index,
        _design=design,
        _cov_columns=() if cov is None else tuple(str(c) for c in cov.columns),
    )
