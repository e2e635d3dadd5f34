"""Multi-year solvency of a backstop: ruin probability and the initial capital for a target.

The surplus of the backstop evolves yearly as

``U_t = (U_{t-1} + P_t - E_t) (1 + r) - C_t``,   ``U_0 = u``,

premiums ``P_t`` received and expenses ``E_t`` paid at the start of the year, assets earning
``r`` over the year, claims ``C_t`` paid at its end. Ruin within ``T`` years is
``min_t U_t < 0``. Because ``U_t = u (1 + r)^t + A_t`` with ``A_t`` not depending on ``u``,
each simulated path has a *critical capital* ``u* = max_t(-A_t / (1 + r)^t)``: the path is
ruined exactly when ``u < u*``. Hence ``psi(u) = P(u* > u)`` for every ``u`` from one
simulation, decreasing in ``u``, and the capital for a target ``psi`` is the lower
``(1 - psi)``-quantile of ``u*``, with its order-statistic Monte Carlo error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from actuarial._typing import FloatArray
from actuarial._validation import check_in_unit_interval, check_nonnegative
from actuarial.capital._common import claim_paths, per_year
from actuarial.exceptions import InvalidInputError
from actuarial.risk import Estimate, estimate

__all__ = ["RuinAnalysis", "ruin_analysis"]


@dataclass(frozen=True, eq=False)
class RuinAnalysis:
    """Ruin probabilities over ``horizon_years`` for every initial capital (immutable).

    Attributes
    ----------
    critical_capital : ndarray
        Sorted critical capital ``u*`` of each simulated path (USD): the least initial
        capital with which the path is never ruined.
    """

    critical_capital: FloatArray
    horizon_years: int
    premiums: FloatArray
    expenses: FloatArray
    return_on_assets: float

    @property
    def n(self) -> int:
        """Number of simulated paths."""
        return int(self.critical_capital.size)

    def probability(self, capital: float) -> Estimate:
        """Probability of ruin within the horizon starting from ``capital`` (USD)."""
        u = check_nonnegative(capital, "capital")
        k = int(np.searchsorted(self.critical_capital, u, side="right"))
        p = (self.n - k) / self.n
        se = math.sqrt(p * (1.0 - p) / self.n)
        return Estimate("ruin probability", None, p, se, max(p - 1.96 * se, 0.0),
                        min(p + 1.96 * se, 1.0), 0.95, self.n)

    def capital_for(self, target: float) -> Estimate:
        """Least initial capital whose ruin probability does not exceed ``target``.

        The value is the lower ``(1 - target)``-quantile of the critical capital (floored at
        0), with its distribution-free order-statistic interval.
        """
        target = check_in_unit_interval(target, "target")
        e = estimate(self.critical_capital, "var", 1.0 - target, presorted=True)
        return Estimate("capital for ruin probability", target, max(e.value, 0.0),
                        e.std_error, max(e.ci_low, 0.0), max(e.ci_high, 0.0), e.confidence,
                        e.n)

    def curve(self, capitals: Any) -> pd.DataFrame:
        """Ruin probability and its standard error for each capital in ``capitals``."""
        rows = [self.probability(float(c)) for c in np.atleast_1d(capitals)]
        return pd.DataFrame(
            {
                "ruin_probability": [r.value for r in rows],
                "std_error": [r.std_error for r in rows],
            },
            index=pd.Index(np.atleast_1d(capitals), name="capital"),
        )

    def __str__(self) -> str:
        return (
            f"Ruin analysis over {self.horizon_years} year(s), {self.n:,} paths, return on "
            f"assets {self.return_on_assets:.2%}; ruin probability with no capital "
            f"{self.probability(0.0).value:.4%}; capital for 0.5 %: "
            f"{self.capital_for(0.005).value:,.0f} USD"
        )


def ruin_analysis(
    claims: Any,
    *,
    horizon_years: int,
    premiums: Any = 0.0,
    expenses: Any = 0.0,
    return_on_assets: float = 0.0,
) -> RuinAnalysis:
    """Ruin probabilities of a backstop over several years, for every initial capital.

    Parameters
    ----------
    claims : array_like, BookSimulation or ndarray (n_paths, horizon_years)
        Annual claims (USD): paths, or independent years cut into paths (a renewed book).
    horizon_years : int
        Number of years ``T``.
    premiums, expenses : float or array_like
        Premium income and expenses per year (USD).
    return_on_assets : float, default 0
        Annual return ``r`` on the backstop's assets (> -1).

    Returns
    -------
    RuinAnalysis

    Examples
    --------
    One year without premiums: ruin means claims above the capital.

    >>> import numpy as np
    >>> x = np.random.default_rng(0).exponential(1.0, size=(100_000, 1))
    >>> ra = ruin_analysis(x, horizon_years=1)
    >>> bool(abs(ra.probability(2.0).value - np.exp(-2)) < 4 * ra.probability(2.0).std_error)
    True
    """
    paths = claim_paths(claims, horizon_years)
    t = paths.shape[1]
    prem = per_year(premiums, t, "premiums")
    exp = per_year(expenses, t, "expenses")
    r = float(return_on_assets)
    if not math.isfinite(r) or r <= -1:
        raise InvalidInputError(f"return_on_assets must be a finite rate above -1; got {r!r}")
    a = np.zeros(paths.shape[0])
    crit = np.full(paths.shape[0], -np.inf)
    for year in range(t):
        a = (a + prem[year] - exp[year]) * (1.0 + r) - paths[:, year]
        crit = np.maximum(crit, -a / (1.0 + r) ** (year + 1))
    crit.sort()
    return RuinAnalysis(crit, t, prem, exp, r)
