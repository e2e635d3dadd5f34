"""Fitting GARCH-family models with arch, and the immutable :class:`VolatilityFit`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from arch.univariate.base import ARCHModelResult

from actuarial._rng import as_generator
from actuarial._typing import ArrayLike, RNGLike
from actuarial._validation import as_float_array, check_in_unit_interval, check_int, check_positive
from actuarial.exceptions import ConvergenceError, InvalidInputError, InvalidTypeError
from actuarial.volatility._simulate import (
    SimulatedPaths,
    State,
    persistence,
    simulate_paths,
    stationary_state,
    unconditional_variance,
)
from actuarial.volatility._spec import VolatilitySpec

__all__ = ["VolatilityFit", "fit", "from_params", "ljung_box"]


def _as_returns(returns: ArrayLike, spec: VolatilitySpec) -> pd.Series:
    """Validated float Series (keeps a pandas index), long enough for ``spec``."""
    if isinstance(returns, pd.DataFrame):
        raise InvalidTypeError("returns must be one-dimensional (a Series or array)")
    values = as_float_array(returns, "returns")  # raises on NaN / inf, naming returns
    if isinstance(returns, pd.Series):
        idx = returns.index
        if isinstance(idx, pd.DatetimeIndex):
            if idx.has_duplicates:
                raise InvalidInputError("returns has duplicated dates in its index")
            if not idx.is_monotonic_increasing:
                raise InvalidInputError("returns dates are not sorted in increasing order")
        out = pd.Series(values, index=idx, name=returns.name or "returns")
    else:
        out = pd.Series(values, name="returns")
    need = spec.min_observations()
    if len(out) < need:
        raise InvalidInputError(
            f"returns is too short for {spec.label} ({spec.n_params} parameters): need at "
            f"least {need} observations, got {len(out)}"
        )
    if np.ptp(values) == 0:
        raise InvalidInputError("returns is constant: there is no volatility to model")
    return out


@dataclass(frozen=True)
class VolatilityFit:
    """A fitted GARCH-family model (immutable); wraps arch's ``ARCHModelResult``.

    Attributes
    ----------
    spec : VolatilitySpec
        The model specification.
    returns : pandas.Series
        The fitted series (e.g. percent log returns).
    scale : float
        ``returns / scale`` are log returns (100 for percent).
    result : arch.univariate.base.ARCHModelResult
        arch's result; every figure below is read from it.
    """

    spec: VolatilitySpec
    returns: pd.Series
    scale: float
    result: ARCHModelResult | Any = field(repr=False, compare=False)

    # ----- figures read from arch
    @property
    def params(self) -> pd.Series:
        """Estimated parameters under arch's names."""
        return self.result.params.copy()

    @property
    def std_errors(self) -> pd.Series:
        """Standard errors (arch's robust sandwich covariance unless ``cov_type`` said not)."""
        return self.result.std_err.copy()

    @property
    def loglik(self) -> float:
        return float(self.result.loglikelihood)

    @property
    def aic(self) -> float:
        return float(self.result.aic)

    @property
    def bic(self) -> float:
        return float(self.result.bic)

    @property
    def n(self) -> int:
        """Number of observations in the likelihood."""
        return int(self.result.nobs)

    @property
    def converged(self) -> bool:
        return int(self.result.convergence_flag) == 0

    @property
    def conditional_volatility(self) -> pd.Series:
        return self.result.conditional_volatility.copy()

    @property
    def resid(self) -> pd.Series:
        return self.result.resid.copy()

    @property
    def std_resid(self) -> pd.Series:
        """Standardised residuals ``resid / conditional_volatility``."""
        return self.result.std_resid.copy()

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        """Wald confidence intervals of the parameters at level ``1 - alpha``."""
        alpha = check_in_unit_interval(alpha, "alpha")
        return self.result.conf_int(alpha=alpha)

    # ----- derived figures
    @property
    def persistence(self) -> float:
        """``sum(alpha) + P(z<0) sum(gamma) + sum(beta)`` (``sum(beta)`` for EGARCH)."""
        return persistence(self.spec, self.params.to_numpy())

    @property
    def half_life(self) -> float:
        """Days for a variance shock to halve, ``log(0.5) / log(persistence)``."""
        pers = self.persistence
        return float(np.log(0.5) / np.log(pers)) if 0 < pers < 1 else float("inf")

    @property
    def unconditional_variance(self) -> float:
        """Long-run residual variance ``omega / (1 - persistence)`` (GARCH/GJR; NaN EGARCH)."""
        return unconditional_variance(self.spec, self.params.to_numpy())

    @property
    def dist_params(self) -> np.ndarray:
        return self.spec.split(self.params)[2]

    def std_quantile(self, level: float) -> float:
        """Quantile of the fitted standardised shock distribution."""
        level = check_in_unit_interval(level, "level")
        q = self.spec.distribution().ppf(np.array([level]), self.dist_params)
        return float(np.asarray(q).ravel()[0])

    # ----- use
    def forecast(
        self, horizon: int = 1, *, rng: RNGLike = None, simulations: int = 10_000
    ) -> pd.DataFrame:
        """Forecasts of the mean and variance for steps 1..``horizon`` after the data.

        Analytic (arch's recursions) except for EGARCH beyond one step, which arch
        forecasts by simulation; ``rng`` and ``simulations`` then apply.

        Returns
        -------
        pandas.DataFrame
            Columns ``mean``, ``variance``, ``volatility``, indexed by ``h`` = 1..horizon.
        """
        horizon = check_int(horizon, "horizon", minimum=1)
        kw: dict[str, Any] = {}
        if self.spec.vol == "egarch" and horizon > 1:
            gen = as_generator(rng)
            dist = self.spec.distribution(gen)
            kw = {
                "method": "simulation",
                "simulations": check_int(simulations, "simulations", minimum=1),
                "rng": dist.simulate(self.dist_params),
            }
        fc = self.result.forecast(horizon=horizon, reindex=False, **kw)
        mean = fc.mean.iloc[-1].to_numpy()
        var = fc.variance.iloc[-1].to_numpy()
        return pd.DataFrame(
            {"mean": mean, "variance": var, "volatility": np.sqrt(var)},
            index=pd.RangeIndex(1, horizon + 1, name="h"),
        )

    def last_state(self) -> State:
        """The end of the fitted sample, from which :meth:`simulate` starts."""
        s = self.spec
        m = max(s.p, s.o, s.q, s.lags if s.mean == "ar" else 1)
        y = self.returns.to_numpy()[-m:]
        resid = np.asarray(self.result.resid)[-m:]
        sig2 = np.asarray(self.result.conditional_volatility)[-m:] ** 2
        return State(y, resid, sig2)

    def simulate(
        self,
        horizon: int,
        n_paths: int,
        *,
        rng: RNGLike = None,
        method: Literal["parametric", "bootstrap"] = "parametric",
        start: Literal["last", "stationary"] = "last",
        burn: int = 500,
    ) -> SimulatedPaths:
        """Simulate ``n_paths`` future paths of ``horizon`` steps.

        Parameters
        ----------
        horizon, n_paths : int
            Steps (days) per path and number of paths.
        rng : int, SeedSequence, Generator or None
            Source of randomness (SPEC 7).
        method : {"parametric", "bootstrap"}
            ``"parametric"`` draws shocks from the fitted distribution; ``"bootstrap"``
            (filtered historical simulation) resamples the standardised residuals, first
            re-centred and re-scaled to mean 0 and variance 1 so that the model's variance
            is kept.
        start : {"last", "stationary"}
            Start from the end of the data (a conditional forecast), or from the long-run
            level after a burn-in of ``burn`` discarded steps (an unconditional draw).

        Returns
        -------
        SimulatedPaths
        """
        return _simulate(
            self.spec,
            self.params.to_numpy(),
            self.scale,
            horizon,
            n_paths,
            rng=rng,
            method=method,
            state=self.last_state() if start == "last" else None,
            std_resid=self.std_resid.dropna().to_numpy(),
            start=start,
            burn=burn,
        )

    def ljung_box(self, lags: int | list[int] = 10, *, squared: bool = True) -> pd.DataFrame:
        """Ljung-Box test on the (squared) standardised residuals; see :func:`ljung_box`."""
        return ljung_box(self, lags, squared=squared)

    def to_frame(self) -> pd.DataFrame:
        """Parameter table: estimate, standard error, t statistic, p-value."""
        r = self.result
        return pd.DataFrame(
            {"estimate": r.params, "std_error": r.std_err, "t": r.tvalues, "p_value": r.pvalues}
        )

    def summary(self) -> str:
        """Readable summary: specification, fit statistics, parameters, long-run figures."""
        head = (
            f"Volatility fit: {self.spec.label}, n = {self.n}, unit = log return x "
            f"{self.scale:g}\nloglik = {self.loglik:.4f}, AIC = {self.aic:.4f}, "
            f"BIC = {self.bic:.4f}, converged = {self.converged}\n"
            f"persistence = {self.persistence:.4f}, half-life = {self.half_life:.3g} steps, "
            f"unconditional variance = {self.unconditional_variance:.6g}"
        )
        table = self.to_frame().to_string(float_format=lambda v: f"{v:.6g}")
        return head + "\n" + table

    def __str__(self) -> str:
        return self.summary()


def _simulate(
    spec: VolatilitySpec,
    params: np.ndarray,
    scale: float,
    horizon: int,
    n_paths: int,
    *,
    rng: RNGLike,
    method: str,
    state: State | None,
    std_resid: np.ndarray | None,
    start: str,
    burn: int,
) -> SimulatedPaths:
    horizon = check_int(horizon, "horizon", minimum=1)
    n_paths = check_int(n_paths, "n_paths", minimum=1)
    burn = check_int(burn, "burn", minimum=0)
    if method not in ("parametric", "bootstrap"):
        raise InvalidInputError(f"method must be 'parametric' or 'bootstrap'; got {method!r}")
    if start not in ("last", "stationary"):
        raise InvalidInputError(f"start must be 'last' or 'stationary'; got {start!r}")
    gen = as_generator(rng)
    if method == "parametric":
        draw: Callable[[Any], np.ndarray] = spec.distribution(gen).simulate(spec.split(params)[2])
    else:
        if std_resid is None or len(std_resid) < 2:
            raise InvalidInputError("method='bootstrap' needs the standardised residuals of a fit")
        pool = (std_resid - std_resid.mean()) / std_resid.std()

        def resample(size: Any) -> np.ndarray:
            return pool[gen.integers(0, len(pool), size=size)]

        draw = resample

    if start == "stationary" or state is None:
        state, n_burn = stationary_state(spec, params), burn
    else:
        n_burn = 0
    y, s2 = simulate_paths(spec, params, state, horizon, n_paths, draw, burn=n_burn)
    return SimulatedPaths(y, np.sqrt(s2), float(scale), method)


def fit(
    returns: ArrayLike,
    mean: str = "constant",
    vol: str = "garch",
    p: int = 1,
    o: int = 0,
    q: int = 1,
    dist: str = "normal",
    *,
    lags: int = 1,
    scale: float = 100.0,
    backcast: float | None = None,
    cov_type: Literal["robust", "classic"] = "robust",
    last_obs: int | None = None,
) -> VolatilityFit:
    r"""Fit a GARCH-family model by maximum likelihood (arch).

    Parameters
    ----------
    returns : array_like or pandas.Series
        Daily returns (percent log returns by default, see ``scale``), without NaN.
    mean : {"constant", "zero", "ar"}
        Mean model; ``"ar"`` is AR(``lags``) with a constant.
    vol : {"garch", "gjr", "egarch"}
        Variance recursion (see :class:`VolatilitySpec`).
    p, o, q : int
        ARCH, asymmetric and GARCH orders.
    dist : {"normal", "t", "skewt", "ged"}
        Standardised shock distribution (variance 1).
    lags : int
        AR order when ``mean="ar"``.
    scale : float, default 100
        ``returns / scale`` are log returns; used to turn simulated returns into prices.
    backcast : float, optional
        Value of the pre-sample variance in the recursion. arch's default is an
        exponentially weighted mean of the first squared residuals; the sample variance
        reproduces R fGarch's ``init.rec = "mci"``.
    cov_type : {"robust", "classic"}
        Parameter covariance: Bollerslev-Wooldridge sandwich or inverse Hessian.
    last_obs : int, optional
        Fit on the observations before this position only (for out-of-sample tests).

    Returns
    -------
    VolatilityFit

    Raises
    ------
    InvalidInputError
        If ``returns`` has NaN, is too short for the model, or a name is unknown.
    ConvergenceError
        If the optimiser does not converge (the message lists remedies).

    Examples
    --------
    >>> import numpy as np
    >>> import actuarial.volatility as vol
    >>> r = np.random.default_rng(0).standard_t(6, size=1000)
    >>> f = vol.fit(r, dist="t")
    >>> list(f.params.index)
    ['mu', 'omega', 'alpha[1]', 'beta[1]', 'nu']
    >>> f.converged
    True
    """
    spec = VolatilitySpec(mean=mean, vol=vol, p=p, o=o, q=q, dist=dist, lags=lags)
    series = _as_returns(returns, spec)
    scale = check_positive(scale, "scale")
    if cov_type not in ("robust", "classic"):
        raise InvalidInputError(f"cov_type must be 'robust' or 'classic'; got {cov_type!r}")
    model = spec.arch_model(series.rename("y"))  # stable parameter names (y[1], ...)
    kw: dict[str, Any] = {"disp": "off", "cov_type": cov_type, "show_warning": False}
    if backcast is not None:
        kw["backcast"] = check_positive(backcast, "backcast")
    if last_obs is not None:
        kw["last_obs"] = check_int(last_obs, "last_obs", minimum=spec.min_observations())
    res = model.fit(**kw)
    if int(res.convergence_flag) != 0:
        raise ConvergenceError(
            f"the {spec.label} fit did not converge (optimizer: "
            f"{res.optimization_result.message}). Remedies: check the unit of returns "
            "(percent log returns work best), try dist='normal' or a simpler model, or "
            "shorten the sample to a stable period"
        )
    return VolatilityFit(spec, series, scale, res)


def from_params(
    params: pd.Series | dict[str, float],
    returns: ArrayLike,
    mean: str = "constant",
    vol: str = "garch",
    p: int = 1,
    o: int = 0,
    q: int = 1,
    dist: str = "normal",
    *,
    lags: int = 1,
    scale: float = 100.0,
) -> VolatilityFit:
    """A :class:`VolatilityFit` with user-set parameters on ``returns`` (arch's ``fix``).

    Examples
    --------
    >>> import numpy as np
    >>> import actuarial.volatility as vol
    >>> r = np.random.default_rng(1).normal(size=500)
    >>> f = vol.from_params({"mu": 0.0, "omega": 0.1, "alpha[1]": 0.1, "beta[1]": 0.8}, r)
    >>> round(f.unconditional_variance, 6)
    1.0
    """
    spec = VolatilitySpec(mean=mean, vol=vol, p=p, o=o, q=q, dist=dist, lags=lags)
    series = _as_returns(returns, spec)
    names = spec.param_names()
    given = dict(params)
    missing = [n for n in names if n not in given]
    extra = [k for k in given if k not in names]
    if missing or extra:
        raise InvalidInputError(
            f"params must have exactly the names {names}; missing {missing}, unknown {extra}"
        )
    values = np.array([float(given[n]) for n in names])
    res = spec.arch_model(series.rename("y")).fix(values)
    return VolatilityFit(spec, series, check_positive(scale, "scale"), _FixedResult(res))


class _FixedResult:
    """arch's ``ARCHModelFixedResult`` seen through the fitted-result interface."""

    def __init__(self, res: Any) -> None:
        self._res = res
        nan = pd.Series(np.nan, index=res.params.index)
        self.std_err = nan
        self.tvalues = nan
        self.pvalues = nan
        self.convergence_flag = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._res, name)

    def conf_int(self, alpha: float = 0.05) -> pd.DataFrame:
        nan = np.full(len(self._res.params), np.nan)
        return pd.DataFrame({"lower": nan, "upper": nan}, index=self._res.params.index)


def ljung_box(
    fit: VolatilityFit | ArrayLike, lags: int | list[int] = 10, *, squared: bool = True
) -> pd.DataFrame:
    """Ljung-Box portmanteau test on standardised residuals (statsmodels).

    With ``squared=True`` (the default) the test is on the squared standardised residuals:
    a small p-value says volatility clustering is left that the model did not capture.
    No degrees of freedom are subtracted for the fitted parameters.

    Parameters
    ----------
    fit : VolatilityFit or array_like
        A fit (its ``std_resid`` is used) or standardised residuals.
    lags : int or list of int
        Lag (or lags) at which the statistic is reported.

    Returns
    -------
    pandas.DataFrame
        Columns ``lb_stat``, ``lb_pvalue``, indexed by lag.

    Examples
    --------
    >>> import numpy as np
    >>> z = np.random.default_rng(2).normal(size=2000)
    >>> bool(ljung_box(z, [10]).loc[10, "lb_pvalue"] > 0.01)
    True
    """
    from statsmodels.stats.diagnostic import acorr_ljungbox

    z = fit.std_resid.dropna() if isinstance(fit, VolatilityFit) else fit
    x = as_float_array(z, "std_resid", min_size=3)
    if isinstance(lags, int):
        lags = [check_int(lags, "lags", minimum=1)]
    return acorr_ljungbox(x**2 if squared else x, lags=list(lags), return_df=True)
