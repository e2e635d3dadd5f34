"""Premiums: classical premium principles and the cost-of-capital premium of each cover.

Premium principles apply to any loss distribution the toolkit produces: a sample (array or
Series), an :class:`actuarial.AggregateDistribution` (``support``/``probs``), a
:class:`actuarial.Simulation` or a :class:`actuarial.book.BookSimulation` (their annual
totals). With ``mu``, ``sigma`` the mean and standard deviation of the loss ``X``:

=======================  =====================================================
expected value           ``(1 + theta) mu``
standard deviation       ``mu + k sigma``
variance                 ``mu + alpha sigma^2``
exponential utility      ``log E[exp(a X)] / a`` (``a`` per USD)
Wang transform           ``int_0^inf Phi(Phi^{-1}(S(x)) + lam) dx``
proportional hazard      ``int_0^inf S(x)^(1/rho) dx``
=======================  =====================================================

The cost-of-capital premium of a cover is ``E[L] + expenses + CoC x allocated capital``
(:func:`cost_of_capital_premiums`), with the capital of the book allocated to its covers by
Euler (co-TVaR or co-VaR) contributions, so that the risk loads add up to ``CoC`` times the
book's capital.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.special import logsumexp

from actuarial._allocation import (
    ProportionalHazard,
    WangTransform,
    allocate_matrix,
    as_discrete_law,
    check_rho,
    distortion_measure,
)
from actuarial._time import DAYS_PER_YEAR
from actuarial._validation import check_in_unit_interval, check_nonnegative, check_positive
from actuarial.book import BookSimulation
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.risk import estimate

__all__ = [
    "PRINCIPLES",
    "PremiumTable",
    "ProportionalHazard",
    "WangTransform",
    "cost_of_capital_premiums",
    "expected_value_premium",
    "exponential_premium",
    "premium",
    "proportional_hazard_premium",
    "standard_deviation_premium",
    "variance_premium",
    "wang_premium",
]

#: Default cost of capital, per year (6 %, the Solvency II risk-margin rate).
DEFAULT_COC = 0.06


def _moments(x: Any) -> tuple[float, float]:
    values, probs = as_discrete_law(x)
    mu = float(values @ probs)
    return mu, max(float((values - mu) ** 2 @ probs), 0.0)


def expected_value_premium(x: Any, theta: float = 0.1) -> float:
    """Expected-value principle ``(1 + theta) E[X]``.

    Examples
    --------
    >>> expected_value_premium([0.0, 10.0], theta=0.2)
    6.0
    """
    theta = check_nonnegative(theta, "theta")
    return (1.0 + theta) * _moments(x)[0]


def standard_deviation_premium(x: Any, k: float = 0.1) -> float:
    """Standard-deviation principle ``E[X] + k sd(X)`` (population sd of the law).

    Examples
    --------
    >>> standard_deviation_premium([0.0, 10.0], k=1.0)
    10.0
    """
    k = check_nonnegative(k, "k")
    mu, var = _moments(x)
    return mu + k * math.sqrt(var)


def variance_premium(x: Any, alpha: float = 1e-6) -> float:
    """Variance principle ``E[X] + alpha Var(X)`` (``alpha`` per USD).

    Examples
    --------
    >>> variance_premium([0.0, 10.0], alpha=0.1)
    7.5
    """
    alpha = check_nonnegative(alpha, "alpha")
    mu, var = _moments(x)
    return mu + alpha * var


def exponential_premium(x: Any, a: float = 1e-6) -> float:
    """Exponential-utility (zero-utility) principle ``log E[exp(a X)] / a``.

    ``a`` is the coefficient of absolute risk aversion, per USD (> 0). For an exponential
    loss with mean ``m`` and ``a m < 1`` it equals ``-log(1 - a m) / a``.

    Examples
    --------
    >>> round(exponential_premium([0.0, 10.0], a=0.1), 4)
    6.2011
    """
    a = check_positive(a, "a")
    values, probs = as_discrete_law(x)
    keep = probs > 0
    return float(logsumexp(a * values[keep], b=probs[keep]) / a)


def wang_premium(x: Any, lam: float = 0.25) -> float:
    """Wang-transform premium ``int g(S(x)) dx`` with ``g(s) = Phi(Phi^{-1}(s) + lam)``.

    Examples
    --------
    >>> wang_premium([0.0, 10.0], lam=0.0)
    5.0
    """
    values, probs = as_discrete_law(x)
    return distortion_measure(values, probs, WangTransform(lam))


def proportional_hazard_premium(x: Any, rho: float = 1.25) -> float:
    """Proportional-hazard premium ``int S(x)^(1/rho) dx``.

    ``rho`` must be at least 1: ``rho = 1`` gives the mean and larger values load the tail
    (``rho < 1`` is refused, as it would price below the expected loss).

    Examples
    --------
    >>> proportional_hazard_premium([0.0, 10.0], rho=2.0)   # 10 * sqrt(0.5)
    7.0710678118654755
    """
    rho = check_rho(rho)
    values, probs = as_discrete_law(x)
    return distortion_measure(values, probs, ProportionalHazard(rho))


PRINCIPLES = {
    "expected_value": expected_value_premium,
    "standard_deviation": standard_deviation_premium,
    "variance": variance_premium,
    "exponential": exponential_premium,
    "wang": wang_premium,
    "proportional_hazard": proportional_hazard_premium,
}


def premium(x: Any, principle: str, parameter: float) -> float:
    """Premium of ``x`` under a named principle (a key of :data:`PRINCIPLES`).

    Examples
    --------
    >>> premium([0.0, 10.0], "expected_value", 0.2)
    6.0
    """
    if principle not in PRINCIPLES:
        raise InvalidInputError(f"principle must be one of {list(PRINCIPLES)}; got {principle!r}")
    return float(PRINCIPLES[principle](x, parameter))


@dataclass(frozen=True, eq=False)
class PremiumTable:
    """Cost-of-capital premiums of the covers of a book (immutable).

    Attributes
    ----------
    table : DataFrame
        One row per cover: ``expected_loss`` (USD over the horizon) and its ``std_error``,
        ``allocated_capital``, ``risk_load`` (``coc x capital x horizon_years``: the capital
        sized on the horizon total is charged for every year of the horizon, see
        :func:`cost_of_capital_premiums`), ``expenses``,
        ``technical_premium``, ``rate`` (technical premium per year of cover, as a fraction
        of the amount), ``charged_premium`` (the book's premium, pro rata to the part of the
        cover inside the horizon) and ``charged_to_technical``.
    capital, capital_std_error : float
        Capital of the book (``measure`` at ``level`` of the total claims, less the expected
        claims) and its Monte Carlo standard error.
    """

    table: pd.DataFrame
    capital: float
    capital_std_error: float
    measure: str
    level: float
    coc: float
    expense_ratio: float
    horizon_years: float
    n_years: int

    def totals(self) -> pd.Series:
        """Column sums of the money columns."""
        cols = ["expected_loss", "allocated_capital", "risk_load", "expenses",
                "technical_premium", "charged_premium"]
        out = self.table[cols].sum()
        out["charged_to_technical"] = out["charged_premium"] / out["technical_premium"]
        return out

    def summary(self) -> pd.DataFrame:
        """Premiums aggregated by cover type, with a total row."""
        cols = ["expected_loss", "allocated_capital", "risk_load", "expenses",
                "technical_premium", "charged_premium"]
        g = self.table.groupby("cover_type", sort=False)[cols].sum()
        g.loc["total"] = self.table[cols].sum()
        g["charged_to_technical"] = g["charged_premium"] / g["technical_premium"]
        return g

    def to_frame(self) -> pd.DataFrame:
        """The per-cover table (a copy)."""
        return self.table.copy()

    def __str__(self) -> str:
        head = (
            f"Cost-of-capital premiums: capital = {self.measure.upper()} {self.level:.1%} - "
            f"mean = {self.capital:,.0f} ± {self.capital_std_error:,.0f} USD (s.e.), CoC "
            f"{self.coc:.1%}, expense ratio {self.expense_ratio:.1%}, {self.n_years:,} years"
        )
        fmt = self.summary().to_string(float_format=lambda v: f"{v:,.2f}")
        return f"{head}\n{fmt}"


def cost_of_capital_premiums(
    sim: BookSimulation,
    *,
    coc: float = DEFAULT_COC,
    measure: Literal["tvar", "var"] = "tvar",
    level: float = 0.99,
    expense_ratio: float = 0.0,
    fixed_expense: float = 0.0,
) -> PremiumTable:
    """Technical premium of every cover: ``E[L] + expenses + coc x allocated capital``.

    The book's capital is ``rho(S) - E[S]``, with ``rho`` the TVaR (or VaR) at ``level`` of
    the book's claims ``S`` over the horizon: the expected claims are paid from premiums,
    capital covers the rest. It is allocated to covers by their Euler contributions (co-TVaR,
    or co-VaR for ``measure="var"``) less their expected loss, which add up to the capital.

    Parameters
    ----------
    sim : BookSimulation
        Simulated claims of the book.
    coc : float, default 0.06
        Cost of capital per year.
    measure : {"tvar", "var"}, default "tvar"
    level : float, default 0.99
    expense_ratio : float, default 0
        Expenses as a fraction of the technical premium, in [0, 1).
    fixed_expense : float, default 0
        Expense per cover (USD), before the ratio gross-up.

    Returns
    -------
    PremiumTable

    Notes
    -----
    ``technical_premium = (E[L] + risk_load + fixed_expense) / (1 - expense_ratio)``.
    ``rate`` divides it by the amount and by the years of cover inside the horizon.

    **Multi-year horizons.** With ``sim.horizon_years = H > 1`` the claims ``S`` are the
    totals over the whole horizon, the capital is sized once on that total
    (``rho(S_H) - E[S_H]``) and the risk load is ``coc x H x allocated capital``: the
    capital is assumed to be held, undiminished, for all ``H`` years. This is a prudent
    simplification: in practice the capital needed falls as the horizon runs off and a
    one-year measure of the horizon total would be smaller, so the load is an upper bound.
    For a run-off-shaped cost, price one-year horizons and add them, or use
    :func:`actuarial.capital.reserves` (which projects the capital year by year).

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import stats
    >>> import actuarial as act
    >>> book = act.book.Book.from_frame(pd.DataFrame({
    ...     "cover_id": ["A", "B"], "cover_type": ["hack", "depeg"],
    ...     "subject": ["Aave v3", "USDC"], "category": ["lending", "fiat-backed"],
    ...     "amount_usd": [1e6, 2e6], "start": ["2026-01-01"] * 2,
    ...     "end": ["2027-01-01"] * 2, "premium_usd": [4e4, 3e4]}))
    >>> model = act.book.RiskModel({
    ...     ("hack", "*"): act.book.IncidentModel(0.1, stats.beta(1, 3)),
    ...     ("depeg", "*"): act.book.IncidentModel(0.05, stats.beta(1, 9))})
    >>> sim = act.book.simulate_book(book, model, 20_000, start="2026-01-01", rng=3)
    >>> table = cost_of_capital_premiums(sim, coc=0.1, level=0.99)
    >>> bool(abs(table.table["risk_load"].sum() - 0.1 * table.capital) < 1e-6)
    True
    >>> bool((table.table["technical_premium"] > table.table["expected_loss"]).all())
    True
    """
    if not isinstance(sim, BookSimulation):
        raise InvalidTypeError(f"sim must be a BookSimulation; got {type(sim).__name__}")
    coc = check_nonnegative(coc, "coc")
    level = check_in_unit_interval(level, "level")
    expense_ratio = check_in_unit_interval(expense_ratio, "expense_ratio", closed=True)
    if expense_ratio >= 1:
        raise InvalidInputError("expense_ratio must be below 1")
    fixed_expense = check_nonnegative(fixed_expense, "fixed_expense")
    if measure not in ("tvar", "var"):
        raise InvalidInputError(f"measure must be 'tvar' or 'var'; got {measure!r}")
    method: Literal["co-tvar", "co-var"] = "co-tvar" if measure == "tvar" else "co-var"
    contrib, contrib_se, rho = allocate_matrix(
        sim.claims, sim.cover_ids, method=method, level=level, allow_empty=True
    )
    el = sim.claims.mean(axis=0)
    el_se = sim.claims.std(axis=0, ddof=1) / math.sqrt(sim.n_years)
    capital_alloc = contrib - el
    est = estimate(sim.total, measure, level)  # type: ignore[arg-type]
    capital = rho - float(sim.total.mean())
    # the s.e. of TVaR - mean is close to that of TVaR (the mean is much more precise)
    risk_load = coc * sim.horizon_years * capital_alloc
    tech = (el + risk_load + fixed_expense) / (1.0 - expense_ratio)
    cov = sim.book.covers
    days_in = sim.book.overlap_days(sim.start, sim.end)
    duration = ((cov["end"] - cov["start"]) / pd.Timedelta(days=1)).to_numpy()
    years_in = days_in / DAYS_PER_YEAR
    charged = cov["premium_usd"].to_numpy() * days_in / duration
    table = pd.DataFrame(
        {
            "cover_type": cov["cover_type"].to_numpy(),
            "subject": cov["subject"].to_numpy(),
            "amount_usd": cov["amount_usd"].to_numpy(),
            "expected_loss": el,
            "std_error": el_se,
            "allocated_capital": capital_alloc,
            "allocated_capital_se": contrib_se,
            "risk_load": risk_load,
            "expenses": tech - el - risk_load,
            "technical_premium": tech,
            "rate": tech / (cov["amount_usd"].to_numpy() * years_in),
            "charged_premium": charged,
            "charged_to_technical": np.divide(
                charged, tech, out=np.full(tech.size, np.nan), where=tech > 0
            ),
        },
        index=pd.Index(sim.cover_ids, name="cover_id"),
    )
    return PremiumTable(
        table=table,
        capital=capital,
        capital_std_error=est.std_error,
        measure=measure,
        level=level,
        coc=coc,
        expense_ratio=expense_ratio,
        horizon_years=sim.horizon_years,
        n_years=sim.n_years,
    )
