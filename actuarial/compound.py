"""Compound loss models: a frequency, a severity and cover terms; portfolios of them.

A :class:`CompoundModel` describes the annual payment of one line,
``A = agg(sum_{i=1}^N layer(X_i))``, with ``N`` drawn from a discrete count distribution and
the ``X_i`` independent ground-up losses. Both the Monte Carlo engine
(:func:`actuarial.simulate`) and the exact methods (:func:`actuarial.aggregate`) take it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from actuarial.exceptions import InfiniteMeanError, InvalidInputError, InvalidTypeError
from actuarial.terms import Layer, layer_moments

__all__ = ["CompoundModel", "Portfolio"]

_PARAMETRIC_FREQUENCIES = ("poisson", "nbinom", "binom")


def _coerce_frequency(frequency: Any) -> Any:
    """Return a frozen discrete distribution or raise a clear error."""
    if hasattr(frequency, "predictive") and not hasattr(frequency, "pmf"):
        raise InvalidTypeError(
            "frequency: pass the fit's predictive distribution, e.g. fit.predictive(), "
            "not the fit itself"
        )
    if hasattr(frequency, "pdf") and not hasattr(frequency, "pmf"):
        raise InvalidTypeError(
            "frequency must be a discrete count distribution (e.g. scipy.stats.poisson(3)); "
            f"got a continuous distribution {_dist_name(frequency)!r}"
        )
    for attr in ("pmf", "rvs", "mean", "var", "ppf"):
        if not callable(getattr(frequency, attr, None)):
            raise InvalidTypeError(
                "frequency must be a frozen scipy.stats discrete distribution "
                f"(with pmf, rvs, mean, var, ppf); {type(frequency).__name__} has no {attr}"
            )
    support = getattr(frequency, "support", None)
    if callable(support):
        lo, _ = support()
        if lo < 0:
            raise InvalidInputError("frequency must have support on the counts 0, 1, 2, ...")
    return frequency


def _coerce_severity(severity: Any) -> Any:
    """Return a frozen continuous distribution (unwrapping fitted objects) or raise."""
    dist = severity
    if not hasattr(dist, "ppf") and hasattr(dist, "dist"):
        dist = dist.dist
    if hasattr(dist, "pmf") and not hasattr(dist, "pdf"):
        raise InvalidTypeError(
            "severity must be a continuous loss distribution; got the discrete "
            f"{_dist_name(dist)!r}"
        )
    for attr in ("ppf", "rvs", "cdf", "sf"):
        if not callable(getattr(dist, attr, None)):
            raise InvalidTypeError(
                "severity must be a frozen scipy.stats continuous distribution or a fitted "
                f"severity (with ppf, rvs, cdf, sf); {type(severity).__name__} has no {attr}"
            )
    support = getattr(dist, "support", None)
    if callable(support):
        lo, _ = support()
        if lo < 0:
            raise InvalidInputError(
                f"severity must describe non-negative losses; {_dist_name(dist)!r} has "
                f"support starting at {lo}"
            )
    return dist


def _dist_name(dist: Any) -> str:
    inner = getattr(dist, "dist", None)
    return str(getattr(inner, "name", type(dist).__name__))


@dataclass(frozen=True)
class CompoundModel:
    """Annual payments of one line of cover: frequency x severity x terms.

    Parameters
    ----------
    frequency : frozen scipy.stats discrete distribution
        Number of loss events a year (e.g. ``stats.poisson(3)``, ``stats.nbinom(n, p)``, or
        the predictive distribution of a frequency fit).
    severity : frozen scipy.stats continuous distribution or fitted severity
        Ground-up loss per event (USD). A fitted severity is used through its ``dist``.
    terms : Layer, optional
        Per-event and aggregate cover terms; the identity layer when omitted.
    name : str, default "line"
        Name of the line in portfolio tables.

    Examples
    --------
    >>> from scipy import stats
    >>> import actuarial as act
    >>> line = act.CompoundModel(
    ...     frequency=stats.poisson(3),
    ...     severity=stats.expon(scale=1e6),
    ...     terms=act.Layer(deductible=1e5),
    ... )
    >>> round(line.analytic_mean())   # memoryless: 3 * 1e6 * exp(-0.1)
    2714512
    """

    frequency: Any
    severity: Any
    terms: Layer = field(default_factory=Layer)
    name: str = "line"

    def __post_init__(self) -> None:
        object.__setattr__(self, "frequency", _coerce_frequency(self.frequency))
        object.__setattr__(self, "severity", _coerce_severity(self.severity))
        if self.terms is None:
            object.__setattr__(self, "terms", Layer())
        if not isinstance(self.terms, Layer):
            raise InvalidTypeError(
                f"terms must be an actuarial.Layer; got {type(self.terms).__name__}"
            )
        if not isinstance(self.name, str) or not self.name:
            raise InvalidInputError("name must be a non-empty string")

    @property
    def frequency_family(self) -> str | None:
        """scipy name of the frequency family when it has an exact generating function."""
        name = _dist_name(self.frequency)
        support = getattr(self.frequency, "support", None)
        if name not in _PARAMETRIC_FREQUENCIES or not callable(support) or support()[0] != 0:
            return None  # unknown family, or shifted by a loc
        return name

    @cached_property
    def _event_moments(self) -> tuple[float, float]:
        return layer_moments(self.severity, self.terms)

    @cached_property
    def has_finite_mean(self) -> bool:
        """False when an unlimited layer meets a severity with infinite mean."""
        if math.isfinite(self.terms.limit) or math.isfinite(self.terms.aggregate_limit):
            return True
        try:
            self._event_moments  # noqa: B018
        except InfiniteMeanError:
            return False
        return math.isfinite(self._event_moments[0])

    @cached_property
    def has_finite_variance(self) -> bool:
        """False when an unlimited layer meets a severity with infinite variance."""
        if math.isfinite(self.terms.limit) or math.isfinite(self.terms.aggregate_limit):
            return True
        return self.has_finite_mean and math.isfinite(self._event_moments[1])

    def event_payment_moments(self) -> tuple[float, float]:
        """Mean and second moment of the payment for one event (per-event terms only).

        Raises
        ------
        InfiniteMeanError
            If the layer is unlimited and the severity has an infinite mean.
        """
        return self._event_moments

    def analytic_mean(self) -> float | None:
        """``E[N] E[Y]`` of the annual payment; None when aggregate terms apply.

        Raises
        ------
        InfiniteMeanError
            If the expected annual payment is infinite.
        """
        if self.terms.has_aggregate_terms:
            return None
        m1, _ = self.event_payment_moments()
        return float(self.frequency.mean()) * m1

    def analytic_std(self) -> float | None:
        """``sqrt(E[N] Var[Y] + Var[N] E[Y]^2)``; None when aggregate terms apply."""
        if self.terms.has_aggregate_terms:
            return None
        m1, m2 = self.event_payment_moments()
        if not math.isfinite(m2):
            return math.inf
        en, vn = float(self.frequency.mean()), float(self.frequency.var())
        return math.sqrt(en * (m2 - m1 * m1) + vn * m1 * m1)

    def describe(self) -> str:
        """Short human-readable description of the line."""
        return (
            f"{self.name}: frequency {_dist_name(self.frequency)} (mean "
            f"{float(self.frequency.mean()):.4g}), severity {_dist_name(self.severity)}, "
            f"terms {self.terms.describe()}"
        )


@dataclass(frozen=True)
class Portfolio:
    """Independent lines of cover whose annual payments add up.

    Parameters
    ----------
    lines : iterable of CompoundModel, or mapping name -> CompoundModel
        The lines; names must be unique (a mapping renames each model to its key).

    Examples
    --------
    >>> from scipy import stats
    >>> import actuarial as act
    >>> sev = stats.lognorm(s=1.0, scale=1e6)
    >>> book = act.Portfolio({"hack": act.CompoundModel(stats.poisson(2), sev),
    ...                       "depeg": act.CompoundModel(stats.poisson(0.5), sev)})
    >>> book.names
    ('hack', 'depeg')
    """

    lines: tuple[CompoundModel, ...]

    def __init__(
        self, lines: Iterable[CompoundModel] | Mapping[str, CompoundModel]
    ) -> None:
        if isinstance(lines, Mapping):
            items = []
            for key, model in lines.items():
                if not isinstance(model, CompoundModel):
                    raise InvalidTypeError(
                        f"lines[{key!r}] must be a CompoundModel; got {type(model).__name__}"
                    )
                items.append(
                    CompoundModel(model.frequency, model.severity, model.terms, name=str(key))
                )
        else:
            items = list(lines)
            for i, model in enumerate(items):
                if not isinstance(model, CompoundModel):
                    raise InvalidTypeError(
                        f"lines[{i}] must be a CompoundModel; got {type(model).__name__}"
                    )
        if not items:
            raise InvalidInputError("lines must contain at least one CompoundModel")
        names = [m.name for m in items]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise InvalidInputError(f"line names must be unique; repeated: {dupes}")
        object.__setattr__(self, "lines", tuple(items))

    @property
    def names(self) -> tuple[str, ...]:
        """Names of the lines, in order."""
        return tuple(m.name for m in self.lines)

    @property
    def has_finite_mean(self) -> bool:
        """True when every line has a finite expected annual payment."""
        return all(m.has_finite_mean for m in self.lines)

    @property
    def has_finite_variance(self) -> bool:
        """True when every line's annual payment has a finite variance."""
        return all(m.has_finite_variance for m in self.lines)

    def analytic_mean(self) -> float | None:
        """Sum of the lines' analytic means; None if any line has aggregate terms."""
        means = [m.analytic_mean() for m in self.lines]
        return None if any(v is None for v in means) else float(sum(means))  # type: ignore[arg-type]

    def analytic_std(self) -> float | None:
        """Square root of the summed variances (the lines are independent)."""
        sds = [m.analytic_std() for m in self.lines]
        if any(v is None for v in sds):
            return None
        return math.sqrt(sum(float(v) ** 2 for v in sds if v is not None))
