"""Stablecoin depeg covers: episode frequency and severity by design, trigger probabilities.

A depeg cover pays when a stablecoin's daily close stays below a ``trigger`` (e.g. 0.95) on
at least ``n_days`` consecutive days within the cover period; it pays once (the cover then
ends), either the full cover (``payout="full"``) or cover x (1 - lowest close of the
qualifying episode) (``payout="proportional"``).

Two models give the payout per unit of cover over a period:

* the **episode model** (:func:`fit_depeg_model`): depeg episodes (closes below 0.98,
  merged when fewer than 7 days apart, as in ``datasets/depegs.csv``) arrive as a Poisson
  process with a rate per stablecoin-year that depends on the design (fiat-backed,
  crypto-collateralised, algorithmic, hybrid); each episode has a depth
  ``D = 1 - min price`` (its excess over 0.02, rescaled to (0, 1), is beta) and a
  duration ``L`` (days below 0.98; 1 + negative binomial, right-censored for open
  episodes), joined by a Gaussian copula. Within an episode the deviation is taken to fall
  and recover linearly (a "V"), so the days below a deeper trigger ``tau`` are
  ``floor(L (D - (1 - tau)) / (D - 0.02))``;
* the **price-path model**: a volatility model of ``scale * log(price)`` (e.g. the
  committed AR(1)-GARCH(1,1)-t calibrations of USDC and USDN) simulated day by day.

:func:`depeg_cover_loss` takes either and returns a :class:`DepegCoverLoss`, whose
``severity`` (a :class:`MixedPayout`) is usable in a :class:`~actuarial.CompoundModel`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from actuarial import frequency
from actuarial._rng import as_generator
from actuarial._time import DAYS_PER_YEAR
from actuarial._typing import RNGLike
from actuarial._validation import check_in_unit_interval, check_int, check_positive
from actuarial.compound import CompoundModel
from actuarial.exceptions import ConvergenceError, DataFormatError, InvalidInputError
from actuarial.perils._payout import MixedPayout
from actuarial.volatility import VolatilityCalibration, VolatilityFit, calibration_dir

__all__ = [
    "DepegCoverLoss",
    "DepegEpisodeModel",
    "depeg_cover_loss",
    "depeg_exposure",
    "fit_depeg_model",
    "load_depeg_exposure",
]

EPISODE_THRESHOLD = 0.98


# --------------------------------------------------------------------------- exposure
def depeg_exposure(
    data_dir: str | os.PathLike[str],
    files: list[str] | None = None,
    depegs: pd.DataFrame | None = None,
    stablecoins: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Observed stablecoin-years in the price files the episodes were detected in.

    The episodes of ``datasets/depegs.csv`` with a ``price_file`` were found by one rule in
    those files, so their rate is counted against the days those files observe: per coin,
    the union of the dates with a close (several files for one coin count once).

    Parameters
    ----------
    data_dir : path
        Folder holding the price files (``ACTUARIAL_DATA_DIR``).
    files : list of str, optional
        Price files relative to ``data_dir``; by default the checked files of the depeg
        rule (``manifest()["depegs"]["rule"]["price_files"]``).
    depegs, stablecoins : DataFrame, optional
        The bundled tables (for the file-to-coin and coin-to-design mappings), loaded by
        default.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``stablecoin``: ``design``, ``first_date``, ``last_date``,
        ``days_observed``, ``years`` (days / 365.25), ``price_files``.
    """
    from actuarial import datasets
    from actuarial.datasets.prices import read_price_file

    files = datasets.manifest()["depegs"]["rule"]["price_files"] if files is None else files
    depegs = datasets.load_depegs() if depegs is None else depegs
    stablecoins = datasets.load_stablecoins() if stablecoins is None else stablecoins
    by_file = depegs.dropna(subset=["price_file"]).groupby("price_file")["stablecoin"]
    design = stablecoins.set_index("stablecoin")["design"].astype(str)
    dates: dict[str, set[pd.Timestamp]] = {}
    sources: dict[str, list[str]] = {}
    for rel in files:
        coins = by_file.unique().get(rel)
        coin = coins[0] if coins is not None else Path(rel).stem.removesuffix("-USD")
        if coin not in design.index:
            raise DataFormatError(f"{rel}: stablecoin {coin!r} is not in stablecoins")
        close = read_price_file(Path(data_dir) / rel)["close"].dropna()
        dates.setdefault(coin, set()).update(close.index)
        sources.setdefault(coin, []).append(rel)
    rows = {
        coin: {
            "design": design[coin],
            "first_date": min(d).date().isoformat(),
            "last_date": max(d).date().isoformat(),
            "days_observed": len(d),
            "years": len(d) / DAYS_PER_YEAR,
            "price_files": ";".join(sources[coin]),
        }
        for coin, d in sorted(dates.items())
    }
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "stablecoin"
    return out


def load_depeg_exposure() -> pd.DataFrame:
    """The committed exposure table ``datasets/calibration/depeg_exposure.csv``."""
    path = calibration_dir() / "depeg_exposure.csv"
    return pd.read_csv(path, index_col="stablecoin", comment="#")


# --------------------------------------------------------------------------- fitting
def _fit_excess_beta(depth: np.ndarray, lower: float) -> tuple[float, float, float]:
    """MLE of beta(a, b) for ``(depth - lower) / (1 - lower)``: returns a, b, loglik."""
    y = (depth - lower) / (1.0 - lower)
    if y.min() <= 0 or y.max() >= 1:
        raise InvalidInputError(f"depths must lie strictly between {lower} and 1")
    a, b, _, _ = stats.beta.fit(y, floc=0.0, fscale=1.0)
    ll = float(stats.beta.logpdf(y, a, b).sum() - y.size * np.log1p(-lower))
    if not (np.isfinite(ll) and a > 0 and b > 0):  # pragma: no cover - scipy raises first
        raise ConvergenceError("beta fit of depeg depths failed; pool designs or fix the law")
    return float(a), float(b), ll


def _fit_shifted_nbinom(days: np.ndarray, open_: np.ndarray) -> tuple[float, float, float]:
    """MLE of ``days - 1 ~ nbinom(r, p)``, open episodes right-censored: r, p, loglik."""
    k = days - 1.0

    def nll(theta: np.ndarray) -> float:
        r, p = np.exp(theta[0]), special.expit(theta[1])
        ll = stats.nbinom.logpmf(k[~open_], r, p).sum()
        ll += stats.nbinom.logsf(k[open_] - 1, r, p).sum()
        return -float(ll)

    mean = k.mean() + 0.5
    res = optimize.minimize(
        nll,
        [0.0, special.logit(1 / (1 + mean))],
        method="L-BFGS-B",
        bounds=[(-12.0, 12.0), (-20.0, 20.0)],
    )
    if not res.success:
        raise ConvergenceError(f"negative binomial fit of depeg durations failed: {res.message}")
    return float(np.exp(res.x[0])), float(special.expit(res.x[1])), float(-res.fun)


@dataclass(frozen=True)
class DepegEpisodeModel:
    """Episode frequency and severity per stablecoin design (immutable).

    Attributes
    ----------
    rates : pandas.DataFrame
        Per design: ``count``, ``exposure`` (stablecoin-years), ``rate`` (episodes per
        stablecoin-year) and its exact Garwood 95 % interval ``lower``, ``upper``
        (:func:`actuarial.frequency.unit_rates`).
    depth : pandas.DataFrame
        Per design: beta ``a``, ``b`` of the depth excess ``(D - 0.02) / 0.98``, where
        ``D = 1 - min price`` and 0.02 is ``1 - threshold`` (mean depth
        ``0.02 + 0.98 a / (a + b)``), ``loglik`` (of the depths), ``n``.
    duration : pandas.DataFrame
        Per design: ``r``, ``p`` of ``days_below - 1 ~ nbinom(r, p)`` (scipy's
        parametrisation, mean ``r (1 - p) / p``), ``loglik``, ``n``, ``n_open``.
    rho : pandas.Series
        Gaussian-copula correlation between depth and duration per design,
        ``sin(pi tau / 2)`` from Kendall's tau.
    threshold : float
        Close below which a day counts as depegged in the episode data (0.98).
    """

    rates: pd.DataFrame
    depth: pd.DataFrame
    duration: pd.DataFrame
    rho: pd.Series
    threshold: float = EPISODE_THRESHOLD
    episodes: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def designs(self) -> list[str]:
        """Stablecoin designs with a fitted model (the index of :attr:`rates`)."""
        return list(self.rates.index)

    def to_frame(self) -> pd.DataFrame:
        """One row per design with every fitted figure."""
        dur = self.duration.add_prefix("duration_")
        return pd.concat(
            [self.rates, self.depth.add_prefix("depth_"), dur, self.rho.rename("rho")], axis=1
        )

    def summary(self) -> str:
        """Readable table of :meth:`to_frame` with a one-line heading."""
        head = (
            f"Depeg episodes (close < {self.threshold:g}) per stablecoin-year, depth and "
            "duration by design\n"
        )
        return head + self.to_frame().to_string(float_format=lambda v: f"{v:.4g}")

    def __str__(self) -> str:
        return self.summary()

    def sample_episodes(
        self,
        design: str,
        size: int,
        *,
        rng: RNGLike = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Draw ``size`` (depth, days below threshold) pairs for ``design``.

        Parameters
        ----------
        design : str
            One of :attr:`designs`.
        size : int
            Number of episodes (>= 0).
        rng : int, SeedSequence, Generator or None
            Source of randomness (SPEC 7, keyword-only).

        Returns
        -------
        depth, days : ndarray, shape (size,)
            Depth ``1 - min price`` (at least ``1 - threshold``) and whole days below the
            threshold (>= 1) of each episode.
        """
        if design not in self.depth.index:
            raise InvalidInputError(f"design must be one of {self.designs}; got {design!r}")
        size = check_int(size, "size", minimum=0)
        d, u = self.depth.loc[design], self.duration.loc[design]
        rho = float(self.rho.get(design, 0.0))
        z = as_generator(rng).standard_normal((2, size))
        z[1] = rho * z[0] + np.sqrt(1 - rho * rho) * z[1]
        uu = stats.norm.cdf(z)
        lo = 1.0 - self.threshold
        depth = lo + (1.0 - lo) * stats.beta.ppf(uu[0], d["a"], d["b"])
        days = 1.0 + stats.nbinom.ppf(uu[1], u["r"], u["p"])
        return depth, days


def fit_depeg_model(
    depegs: pd.DataFrame | None = None,
    exposure: pd.DataFrame | None = None,
    *,
    level: float = 0.95,
    min_episodes: int = 10,
) -> DepegEpisodeModel:
    """Fit episode rates per stablecoin-year and depth/duration laws, per design.

    Parameters
    ----------
    depegs : DataFrame, optional
        Episode table in the schema of ``datasets/depegs.csv``
        (:func:`actuarial.datasets.load_depegs` by default). Only episodes detected in a
        price file (``price_file`` set) and of a coin in ``exposure`` are used, so that the
        count and the exposure come from the same observation.
    exposure : DataFrame, optional
        Observed stablecoin-years per coin with a ``design`` column
        (:func:`load_depeg_exposure` by default, see :func:`depeg_exposure`).
    level : float
        Confidence level of the rate intervals.
    min_episodes : int
        Designs with fewer episodes get a rate but no depth/duration fit.

    Returns
    -------
    DepegEpisodeModel

    Examples
    --------
    >>> import pandas as pd
    >>> ep = pd.DataFrame({"stablecoin": ["A"] * 3 + ["B"] * 2, "price_file": "f.csv",
    ...                    "min_price": [0.97, 0.9, 0.95, 0.5, 0.96],
    ...                    "days_below_0.98": [1, 5, 2, 40, 3], "recovered": True})
    >>> expo = pd.DataFrame({"design": ["fiat-backed", "algorithmic"], "years": [6.0, 2.0]},
    ...                     index=["A", "B"])
    >>> m = fit_depeg_model(ep, expo, min_episodes=3)
    >>> m.rates["rate"].to_dict()
    {'algorithmic': 1.0, 'fiat-backed': 0.5}
    """
    if depegs is None or exposure is None:
        from actuarial import datasets

        depegs = datasets.load_depegs() if depegs is None else depegs
        exposure = load_depeg_exposure() if exposure is None else exposure
    for col in ("stablecoin", "price_file", "min_price", "days_below_0.98", "recovered"):
        if col not in depegs:
            raise DataFormatError(f"depegs lacks column {col!r}")
    min_episodes = check_int(min_episodes, "min_episodes", minimum=3)
    if "design" not in exposure or "years" not in exposure:
        raise DataFormatError("exposure must have 'design' and 'years' columns")
    lower = 1.0 - EPISODE_THRESHOLD
    ep = depegs[depegs["price_file"].notna() & depegs["stablecoin"].isin(exposure.index)]
    ep = ep.assign(
        design=ep["stablecoin"].map(exposure["design"]).astype(str),
        depth=1.0 - ep["min_price"].astype(float),
        days=ep["days_below_0.98"].astype(float),
        open=~ep["recovered"].astype(bool),
    )
    counts = ep.groupby("design").size()
    expo = exposure.groupby(exposure["design"].astype(str))["years"].sum()
    table = pd.DataFrame({"count": counts.reindex(expo.index, fill_value=0), "exposure": expo})
    rates = frequency.unit_rates(table, level=level).to_frame()
    rates.index.name = "design"
    depth, duration, rho = {}, {}, {}
    for design, g in ep.groupby("design"):
        if len(g) < min_episodes:
            continue  # too few to fit: the design keeps its rate but has no severity law
        a, b, ll = _fit_excess_beta(g["depth"].to_numpy(), lower)
        depth[design] = {"a": a, "b": b, "loglik": ll, "n": len(g)}
        r, p, ll2 = _fit_shifted_nbinom(g["days"].to_numpy(), g["open"].to_numpy())
        duration[design] = {
            "r": r,
            "p": p,
            "loglik": ll2,
            "n": len(g),
            "n_open": int(g["open"].sum()),
        }
        tau = stats.kendalltau(g["depth"], g["days"]).statistic
        rho[design] = float(np.sin(np.pi * tau / 2)) if np.isfinite(tau) else 0.0
    return DepegEpisodeModel(
        rates,
        pd.DataFrame.from_dict(depth, orient="index"),
        pd.DataFrame.from_dict(duration, orient="index"),
        pd.Series(rho, name="rho"),
        EPISODE_THRESHOLD,
        ep,
    )


# --------------------------------------------------------------------------- cover loss
@dataclass(frozen=True)
class DepegCoverLoss:
    """Payout per unit of depeg cover over one cover period (immutable).

    Attributes
    ----------
    probability : float
        Probability that the cover pays in the period.
    probability_se : float
        Its Monte Carlo standard error.
    payout : MixedPayout
        Law of the payout per unit of cover (atom at 0: no claim).
    samples : ndarray
        Simulated payouts per unit of cover, one per simulated period.
    trigger, n_days, rule, period_days, method :
        The cover terms and the model used (``"episodes: <design>"`` or ``"price paths"``).
    """

    probability: float
    probability_se: float
    payout: MixedPayout
    samples: np.ndarray = field(repr=False)
    trigger: float = 0.95
    n_days: int = 1
    rule: str = "full"
    period_days: int = 365
    method: str = ""

    @property
    def severity(self) -> MixedPayout:
        """Payout per unit of cover given a claim: the severity of a compound model."""
        return self.payout.conditional()

    @property
    def expected_payout(self) -> float:
        """Pure premium per unit of cover per period."""
        return float(self.samples.mean())

    def compound_model(self, cover: float = 1.0, *, name: str = "depeg cover") -> CompoundModel:
        """One cover of amount ``cover`` (USD): Bernoulli claim x severity scaled to cover."""
        cover = check_positive(cover, "cover")
        return CompoundModel(
            frequency=stats.binom(1, self.probability),
            severity=self.severity.rescaled(cover),
            name=name,
        )

    def summary(self) -> str:
        """Cover terms, claim probability with its Monte Carlo error and expected payout."""
        return (
            f"Depeg cover ({self.method}): trigger {self.trigger:g} for {self.n_days} day(s), "
            f"{self.rule} payout, period {self.period_days} days\n"
            f"P(claim) = {self.probability:.5f} (MC s.e. {self.probability_se:.5f}); "
            f"expected payout per unit = {self.expected_payout:.5f}"
        )

    def __str__(self) -> str:
        return self.summary()


def _check_terms(
    trigger: float,
    n_days: int,
    payout: str,
    period_days: int,
    n_sims: int,
) -> tuple[float, int, int, int]:
    trigger = check_in_unit_interval(trigger, "trigger")
    if payout not in ("full", "proportional"):
        raise InvalidInputError(f"payout must be 'full' or 'proportional'; got {payout!r}")
    return (
        trigger,
        check_int(n_days, "n_days", minimum=1),
        check_int(period_days, "period_days", minimum=1),
        check_int(n_sims, "n_sims", minimum=1),
    )


def depeg_cover_loss(
    model: DepegEpisodeModel | VolatilityFit | VolatilityCalibration,
    *,
    trigger: float = 0.95,
    n_days: int = 1,
    payout: Literal["full", "proportional"] = "full",
    period_days: int = 365,
    design: str | None = None,
    n_sims: int = 100_000,
    rng: RNGLike = None,
) -> DepegCoverLoss:
    """Simulate the payout per unit of a depeg cover over one cover period.

    Parameters
    ----------
    model : DepegEpisodeModel, VolatilityFit or VolatilityCalibration
        Episode model (then ``design`` is required), or a price-path model of
        ``scale * log(price)`` (an AR-GARCH fit or calibration with ``transform =
        "log_price"``), simulated from its stationary state.
    trigger : float
        The cover pays when the close is strictly below ``trigger``, in (0, 1); for the
        episode model it must not exceed the episode threshold 0.98.
    n_days : int
        Consecutive days below the trigger needed for a claim.
    payout : {"full", "proportional"}
        Full cover, or cover x (1 - lowest close of the qualifying episode).
    period_days : int
        Length of the cover period in days.
    design : str, optional
        Stablecoin design for the episode model.
    n_sims : int
        Number of simulated cover periods.
    rng : int, SeedSequence, Generator or None
        Source of randomness (SPEC 7).

    Returns
    -------
    DepegCoverLoss
    """
    trigger, n_days, period_days, n_sims = _check_terms(
        trigger, n_days, payout, period_days, n_sims
    )
    gen = as_generator(rng)
    if isinstance(model, DepegEpisodeModel):
        samples = _episode_payouts(
            model, design, trigger, n_days, payout, period_days, n_sims, gen
        )
        method = f"episodes: {design}"
    elif isinstance(model, VolatilityFit | VolatilityCalibration):
        samples = _path_payouts(model, trigger, n_days, payout, period_days, n_sims, gen)
        method = "price paths"
    else:
        raise InvalidInputError(
            "model must be a DepegEpisodeModel, or a VolatilityFit / VolatilityCalibration "
            f"of scale * log(price); got {type(model).__name__}"
        )
    p = float((samples > 0).mean())
    return DepegCoverLoss(
        p,
        float(np.sqrt(p * (1 - p) / n_sims)),
        MixedPayout.from_samples(samples),
        samples,
        trigger,
        n_days,
        payout,
        period_days,
        method,
    )


def _episode_payouts(
    model: DepegEpisodeModel,
    design: str | None,
    trigger: float,
    n_days: int,
    payout: str,
    period_days: int,
    n_sims: int,
    gen: np.random.Generator,
) -> np.ndarray:
    if design is None or design not in model.depth.index:
        raise InvalidInputError(
            f"design must be one of {list(model.depth.index)} for the episode model; "
            f"got {design!r}"
        )
    if trigger > model.threshold:
        raise InvalidInputError(
            f"trigger must not exceed the episode threshold {model.threshold} for the "
            f"episode model; got {trigger}"
        )
    lam = float(model.rates.loc[design, "rate"]) * period_days / DAYS_PER_YEAR
    k = gen.poisson(lam, size=n_sims)
    depth, days = model.sample_episodes(design, int(k.sum()), rng=gen)
    lo, cut = 1.0 - model.threshold, 1.0 - trigger
    frac = np.divide(depth - cut, depth - lo, out=np.zeros_like(depth), where=depth > cut)
    below = np.floor(days * frac + 1e-9)
    period = np.repeat(np.arange(n_sims), k)
    hit = below >= n_days
    out = np.zeros(n_sims)
    first_period, first = np.unique(period[hit], return_index=True)
    value = depth[hit][first] if payout == "proportional" else 1.0
    out[first_period] = value
    return out


def _path_payouts(
    model: VolatilityFit | VolatilityCalibration,
    trigger: float,
    n_days: int,
    payout: str,
    period_days: int,
    n_sims: int,
    gen: np.random.Generator,
) -> np.ndarray:
    sim = model.simulate(period_days, n_sims, rng=gen, start="stationary")
    price = np.exp(sim.values / sim.scale)
    below = price < trigger
    run = np.zeros(n_sims, dtype=np.int64)
    first = np.full(n_sims, -1)
    for t in range(period_days):
        run = np.where(below[:, t], run + 1, 0)
        first = np.where((first < 0) & (run >= n_days), t, first)
    out = np.zeros(n_sims)
    claimed = np.flatnonzero(first >= 0)
    if payout == "full":
        out[claimed] = 1.0
        return out
    for i in claimed:  # lowest close of the qualifying run (until back above the trigger)
        t = first[i]
        s = t - n_days + 1
        above = np.flatnonzero(~below[i, t:])
        e = t + (above[0] if above.size else period_days - t)
        out[i] = 1.0 - price[i, s:e].min()
    return np.clip(out, 0.0, 1.0)
