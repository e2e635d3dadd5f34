"""Required capital at a confidence level, with presets for the usual standards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from actuarial._validation import check_in_unit_interval, check_nonnegative, check_positive
from actuarial.capital._common import claim_paths, per_year
from actuarial.exceptions import InvalidInputError
from actuarial.risk import estimate

__all__ = ["STANDARDS", "CapitalRequirement", "coverage_ratio", "required_capital"]

#: Regulatory presets: (measure, level, horizon in years).
STANDARDS: dict[str, tuple[str, float, int]] = {
    "solvency2": ("var", 0.995, 1),
    "sst": ("tvar", 0.99, 1),
}


@dataclass(frozen=True)
class CapitalRequirement:
    """Capital such that the risk measure of the net loss is covered (immutable).

    ``capital = measure_level(sum over the horizon of claims - premiums + expenses)``. A
    negative value means the premiums alone cover the loss at that level.
    """

    capital: float
    std_error: float
    ci_low: float
    ci_high: float
    measure: str
    level: float
    horizon_years: int
    standard: str | None
    expected_claims: float
    premiums: float
    expenses: float
    n: int

    def coverage_ratio(self, available: float) -> float:
        """Available over required capital (see :func:`coverage_ratio`)."""
        return coverage_ratio(available, self)

    def summary(self) -> pd.Series:
        """The figures as a labelled Series."""
        return pd.Series(
            {
                "standard": self.standard or "custom",
                "measure": f"{self.measure.upper()} {self.level:.2%}",
                "horizon_years": self.horizon_years,
                "expected_claims": self.expected_claims,
                "premiums": self.premiums,
                "expenses": self.expenses,
                "required_capital": self.capital,
                "std_error": self.std_error,
                "ci_low": self.ci_low,
                "ci_high": self.ci_high,
                "n_paths": self.n,
            },
            name="capital",
        )

    def __str__(self) -> str:
        std = f" [{self.standard}]" if self.standard else ""
        return (
            f"Required capital{std}: {self.measure.upper()} {self.level:.2%} over "
            f"{self.horizon_years} year(s) = {self.capital:,.0f} ± {self.std_error:,.0f} USD "
            f"(s.e.; 95% CI {self.ci_low:,.0f} to {self.ci_high:,.0f}; {self.n:,} paths)"
        )


def required_capital(
    claims: Any,
    premiums: Any = 0.0,
    expenses: Any = 0.0,
    *,
    measure: str | None = None,
    level: float | None = None,
    horizon_years: int | None = None,
    standard: str | None = None,
    return_period: float | None = None,
) -> CapitalRequirement:
    """Capital needed so that the risk measure of claims net of premiums is covered.

    Parameters
    ----------
    claims : array_like, Simulation, BookSimulation or ndarray (n_paths, horizon_years)
        Simulated annual claims (USD). A 1-D sample is cut into blocks of ``horizon_years``
        independent years (a renewed book); a 2-D array gives the paths directly.
    premiums, expenses : float or array_like
        Premium income and expenses per year (USD), a number or one value per year.
    measure : {"var", "tvar"}, default "var"
    level : float, default 0.995
        Confidence level in (0, 1).
    horizon_years : int, default 1
        Years over which the net loss is summed.
    standard : {"solvency2", "sst"}, optional
        Preset: Solvency II (VaR 99.5 %, one year) or the Swiss Solvency Test (TVaR 99 %,
        one year). Explicit ``measure``/``level``/``horizon_years`` must agree with it.
    return_period : float, optional
        "1-in-N years": VaR at ``1 - 1 / N`` unless ``measure`` says otherwise.

    Returns
    -------
    CapitalRequirement
        With the Monte Carlo standard error and 95 % interval of the figure.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(3).exponential(1e6, size=200_000)
    >>> req = required_capital(x, premiums=1.1e6, standard="sst")
    >>> bool(abs(req.capital - (1e6 * (1 + np.log(100)) - 1.1e6)) < 4 * req.std_error)
    True
    """
    preset: tuple[str | None, float | None, int | None] = (None, None, None)
    if standard is not None:
        if standard not in STANDARDS:
            raise InvalidInputError(f"standard must be one of {list(STANDARDS)}; got {standard!r}")
        preset = STANDARDS[standard]
        for arg, given, want in zip(
            ("measure", "level", "horizon_years"), (measure, level, horizon_years), preset,
            strict=True,
        ):
            if given is not None and given != want:
                raise InvalidInputError(
                    f"{arg}={given!r} contradicts standard={standard!r} ({arg}={want!r})"
                )
    if return_period is not None:
        if level is not None or standard is not None:
            raise InvalidInputError("give return_period, or level/standard, not both")
        n_years = check_positive(return_period, "return_period")
        if n_years <= 1:
            raise InvalidInputError(f"return_period must exceed 1 year; got {return_period!r}")
        level = 1.0 - 1.0 / n_years
    measure = measure or preset[0] or "var"
    if measure not in ("var", "tvar"):
        raise InvalidInputError(f"measure must be 'var' or 'tvar'; got {measure!r}")
    level = check_in_unit_interval(level if level is not None else preset[1] or 0.995, "level")
    horizon = horizon_years if horizon_years is not None else preset[2] or 1
    paths = claim_paths(claims, horizon)
    prem = per_year(premiums, horizon, "premiums")
    exp = per_year(expenses, horizon, "expenses")
    for arr, nm in ((prem, "premiums"), (exp, "expenses")):
        for v in arr:
            check_nonnegative(float(v), nm)
    net = paths.sum(axis=1) - prem.sum() + exp.sum()
    est = estimate(net, measure, level)  # type: ignore[arg-type]
    return CapitalRequirement(
        capital=est.value,
        std_error=est.std_error,
        ci_low=est.ci_low,
        ci_high=est.ci_high,
        measure=measure,
        level=level,
        horizon_years=horizon,
        standard=standard,
        expected_claims=float(paths.sum(axis=1).mean()),
        premiums=float(prem.sum()),
        expenses=float(exp.sum()),
        n=int(paths.shape[0]),
    )


def coverage_ratio(available: float, required: CapitalRequirement | float) -> float:
    """Coverage (solvency) ratio: available capital over required capital.

    Examples
    --------
    >>> coverage_ratio(150.0, 100.0)
    1.5
    """
    avail = check_nonnegative(available, "available")
    req = required.capital if isinstance(required, CapitalRequirement) else float(required)
    if not np.isfinite(req) or req <= 0:
        raise InvalidInputError(
            f"required capital must be positive for a coverage ratio; got {req!r} (premiums "
            "already cover the loss at this level)"
        )
    return avail / req
