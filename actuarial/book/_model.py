"""The risk model of a book: incident rate and payout distribution per cover type and category.

The interface is deliberately small so that fitted models plug in later: an
:class:`IncidentModel` is an annual incident ``rate`` per subject and a ``payout``
distribution of the fraction of the cover amount lost in an incident, any object with
``rvs(size, random_state)``, ``cdf``, ``ppf`` and ``mean`` on [0, 1] (a frozen
``scipy.stats`` distribution, or a :class:`PayoutMixture` with atoms).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from scipy import integrate, stats

from actuarial._rng import as_random_state_like
from actuarial._typing import FloatArray
from actuarial._validation import check_nonnegative
from actuarial.book._covers import COVER_TYPES
from actuarial.exceptions import DataFormatError, InvalidInputError, InvalidTypeError

__all__ = ["IncidentModel", "PayoutDistribution", "PayoutMixture", "RiskModel"]

ANY_CATEGORY = "*"


@runtime_checkable
class PayoutDistribution(Protocol):
    """Distribution of the fraction of the cover amount lost in one incident, on [0, 1]."""

    def rvs(self, size: Any = ..., random_state: Any = ...) -> Any: ...

    def cdf(self, x: Any) -> Any: ...

    def ppf(self, q: Any) -> Any: ...

    def mean(self) -> Any: ...


@dataclass(frozen=True)
class PayoutMixture:
    """Mixture of atoms and a continuous distribution on [0, 1].

    Parameters
    ----------
    atoms : mapping value -> probability
        Point masses, e.g. ``{0.0: 0.2, 1.0: 0.1}``: no payout in 20 % of incidents (a depeg
        that recovers within the waiting period) and a total loss in 10 %.
    continuous : frozen scipy.stats continuous distribution on [0, 1], optional
        Distribution of the remaining probability ``1 - sum(atoms)``. Required unless the
        atoms sum to 1.

    Examples
    --------
    >>> from scipy import stats
    >>> pay = PayoutMixture({1.0: 0.25}, stats.beta(2, 6))
    >>> round(pay.mean(), 4)               # 0.25 * 1 + 0.75 * 2 / 8
    0.4375
    >>> float(pay.cdf(0.999)) < 1.0, float(pay.cdf(1.0))
    (True, 1.0)
    """

    atoms: Mapping[float, float] = field(default_factory=dict)
    continuous: Any = None

    def __post_init__(self) -> None:
        if not isinstance(self.atoms, Mapping):
            raise InvalidTypeError("atoms must be a mapping value -> probability")
        clean: dict[float, float] = {}
        for v, p in self.atoms.items():
            value = check_nonnegative(v, "atoms value")
            if value > 1.0:
                raise InvalidInputError(f"atoms values are fractions in [0, 1]; got {v!r}")
            clean[value] = check_nonnegative(p, f"atoms[{v!r}]")
        total = sum(clean.values())
        if total > 1.0 + 1e-12:
            raise InvalidInputError(f"atoms probabilities sum to {total:.6g} > 1")
        if total < 1.0 - 1e-12 and self.continuous is None:
            raise InvalidInputError(
                "continuous must be given unless the atom probabilities sum to 1"
            )
        if self.continuous is not None:
            _check_unit_support(self.continuous, "continuous")
        object.__setattr__(self, "atoms", dict(sorted(clean.items())))

    @property
    def continuous_weight(self) -> float:
        """Probability of the continuous part."""
        return max(1.0 - sum(self.atoms.values()), 0.0)

    def _arrays(self) -> tuple[FloatArray, FloatArray]:
        return np.array(list(self.atoms), dtype=float), np.array(list(self.atoms.values()))

    def rvs(self, size: Any = 1, random_state: Any = None) -> FloatArray:
        """Random payout fractions.

        ``random_state`` follows scipy's ``rvs``: None, an int seed, a ``SeedSequence``, a
        ``Generator`` or a legacy ``RandomState``.
        """
        gen = as_random_state_like(random_state)
        n = int(np.prod(size))
        values, probs = self._arrays()
        u = gen.random(n)
        out = np.empty(n)
        edges = np.cumsum(probs)
        which = np.searchsorted(edges, u, side="right")
        is_atom = which < values.size
        out[is_atom] = values[which[is_atom]]
        m = int((~is_atom).sum())
        if m:
            out[~is_atom] = np.asarray(self.continuous.rvs(size=m, random_state=gen), float)
        return out.reshape(size) if np.ndim(size) else out

    def cdf(self, x: Any) -> Any:
        """``P(payout <= x)``."""
        xa = np.asarray(x, dtype=float)
        values, probs = self._arrays()
        out = (probs[None, :] * (values[None, :] <= xa.reshape(-1, 1))).sum(axis=1)
        if self.continuous is not None:
            out = out + self.continuous_weight * self.continuous.cdf(xa.reshape(-1))
        return float(out[0]) if xa.ndim == 0 else out.reshape(xa.shape)

    def sf(self, x: Any) -> Any:
        """``P(payout > x)``."""
        return 1.0 - self.cdf(x)

    def ppf(self, q: Any) -> Any:
        """Lower quantile ``inf{x : cdf(x) >= q}`` (by bisection on [0, 1])."""
        qa = np.atleast_1d(np.asarray(q, dtype=float))
        lo, hi = np.zeros_like(qa), np.ones_like(qa)
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            below = np.asarray(self.cdf(mid)) < qa
            lo = np.where(below, mid, lo)
            hi = np.where(below, hi, mid)
        for value in self.atoms:  # snap the bisection to an atom that is the quantile
            hi = np.where(np.abs(hi - value) < 1e-12, value, hi)
        return float(hi[0]) if np.ndim(q) == 0 else hi.reshape(np.shape(q))

    def mean(self) -> float:
        """Mean payout fraction."""
        values, probs = self._arrays()
        cont = float(self.continuous.mean()) * self.continuous_weight if self.continuous else 0.0
        return float(values @ probs) + cont


def _check_unit_support(dist: Any, name: str) -> None:
    for attr in ("rvs", "cdf", "ppf", "mean"):
        if not callable(getattr(dist, attr, None)):
            raise InvalidTypeError(
                f"{name} must be a distribution with rvs, cdf, ppf and mean (e.g. a frozen "
                f"scipy.stats.beta); {type(dist).__name__} has no {attr}"
            )
    support = getattr(dist, "support", None)
    if callable(support):
        lo, hi = support()
        if lo < 0 or hi > 1:
            raise InvalidInputError(
                f"{name} must describe a fraction of the cover amount on [0, 1]; its support "
                f"is [{lo:g}, {hi:g}] (rescale it, e.g. stats.beta(a, b))"
            )


@dataclass(frozen=True)
class IncidentModel:
    """Annual incident rate of one subject and the payout fraction given an incident.

    Parameters
    ----------
    rate : float
        Expected incidents per subject per year (>= 0).
    payout : PayoutDistribution
        Fraction of the cover amount lost in an incident, on [0, 1].
    source : str, optional
        Where the assumption comes from (shown in tables).

    Examples
    --------
    >>> from scipy import stats
    >>> m = IncidentModel(0.02, stats.beta(1, 3))
    >>> round(m.expected_payment(1e6), 2)       # E[X] = 1/4 of the amount
    250000.0
    >>> round(m.expected_payment(1e6, deductible=1e5, limit=4e5), 2)
    148400.0
    """

    rate: float
    payout: Any
    source: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "rate", check_nonnegative(self.rate, "rate"))
        _check_unit_support(self.payout, "payout")

    def expected_payment(
        self, amount: float, deductible: float = 0.0, limit: float = math.inf
    ) -> float:
        """Expected payment per incident ``E[min(max(amount X - d, 0), L)]`` (USD).

        Computed as ``amount * int_{d/amount}^{min((d+L)/amount, 1)} P(X > u) du``.
        """
        lo = deductible / amount
        hi = min((deductible + limit) / amount, 1.0)
        if hi <= lo:
            return 0.0
        atoms = getattr(self.payout, "atoms", {})
        points = [a for a in atoms if lo < a < hi]
        value, _ = integrate.quad(
            lambda u: 1.0 - float(self.payout.cdf(u)), lo, hi, points=points or None, limit=200
        )
        return float(amount * value)


def _beta_mixture(p_zero: float, p_full: float, a: float, b: float) -> Any:
    if p_zero == 0 and p_full == 0:
        return stats.beta(a, b)
    atoms = {k: v for k, v in ((0.0, p_zero), (1.0, p_full)) if v > 0}
    cont = stats.beta(a, b) if p_zero + p_full < 1 else None
    return PayoutMixture(atoms, cont)


@dataclass(frozen=True)
class RiskModel:
    """Incident models by ``(cover_type, category)``.

    A key ``(cover_type, "*")`` is the fallback for categories of that cover type not listed.

    Parameters
    ----------
    models : mapping (cover_type, category) -> IncidentModel

    Examples
    --------
    >>> from scipy import stats
    >>> model = RiskModel({("hack", "lending"): IncidentModel(0.03, stats.beta(1, 3)),
    ...                    ("hack", "*"): IncidentModel(0.05, stats.beta(1, 2))})
    >>> model.lookup("hack", "dex").rate
    0.05
    """

    models: Mapping[tuple[str, str], IncidentModel]

    def __post_init__(self) -> None:
        if not isinstance(self.models, Mapping) or not self.models:
            raise InvalidTypeError(
                "models must be a non-empty mapping (cover_type, category) -> IncidentModel"
            )
        clean: dict[tuple[str, str], IncidentModel] = {}
        for key, m in self.models.items():
            if not (isinstance(key, tuple) and len(key) == 2):
                raise InvalidInputError(
                    f"models keys must be (cover_type, category) pairs; got {key!r}"
                )
            cover_type, category = str(key[0]).lower(), str(key[1])
            if cover_type not in COVER_TYPES:
                raise InvalidInputError(
                    f"models key {key!r}: unknown cover type {key[0]!r}; expected one of "
                    f"{list(COVER_TYPES)}"
                )
            if not isinstance(m, IncidentModel):
                raise InvalidTypeError(
                    f"models[{key!r}] must be an IncidentModel; got {type(m).__name__}"
                )
            clean[(cover_type, category)] = m
        object.__setattr__(self, "models", clean)

    def lookup(self, cover_type: str, category: str) -> IncidentModel:
        """Incident model of a cover type and category (or the type's ``"*"`` fallback).

        Raises
        ------
        InvalidInputError
            If neither the category nor a fallback is in the model.
        """
        for key in ((cover_type, category), (cover_type, ANY_CATEGORY)):
            if key in self.models:
                return self.models[key]
        known = sorted(c for t, c in self.models if t == cover_type)
        raise InvalidInputError(
            f"the risk model has no incident model for cover_type {cover_type!r}, category "
            f"{category!r} (known categories: {known}); add it or a ({cover_type!r}, '*') "
            "fallback"
        )

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, origin: str = "risk model") -> RiskModel:
        """Build from a table of rates and beta-mixture payouts.

        Columns: ``cover_type``, ``category`` (or ``*``), ``rate`` (incidents per subject a
        year), ``p_zero`` and ``p_full`` (probabilities of no payout and of a total loss;
        optional, default 0), ``beta_a``, ``beta_b`` (the beta distribution of the payout
        fraction otherwise) and optionally ``source``.
        """
        required = ("cover_type", "category", "rate", "beta_a", "beta_b")
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise DataFormatError(f"{origin}: missing column(s) {missing}")
        models: dict[tuple[str, str], IncidentModel] = {}
        for i, row in frame.reset_index(drop=True).iterrows():
            try:
                payout = _beta_mixture(
                    float(row.get("p_zero", 0.0) or 0.0),
                    float(row.get("p_full", 0.0) or 0.0),
                    float(row["beta_a"]),
                    float(row["beta_b"]),
                )
                src = row.get("source", "")
                model = IncidentModel(
                    float(row["rate"]), payout, "" if pd.isna(src) else str(src)
                )
            except (ValueError, TypeError) as exc:
                raise DataFormatError(f"{origin}, row {i}: {exc}") from None
            models[(str(row["cover_type"]).strip(), str(row["category"]).strip())] = model
        return cls(models)

    @classmethod
    def read_csv(cls, path: str | PathLike[str]) -> RiskModel:
        """Read a table for :meth:`from_frame` from a CSV file (``#`` starts a comment)."""
        p = Path(path)
        if not p.is_file():
            raise InvalidInputError(f"path: no such file {str(p)!r}")
        return cls.from_frame(pd.read_csv(p, comment="#", skipinitialspace=True), origin=str(p))

    def to_frame(self) -> pd.DataFrame:
        """One row per ``(cover_type, category)``: rate, mean payout, expected loss rate."""
        rows = [
            {
                "cover_type": t,
                "category": c,
                "rate": m.rate,
                "mean_payout": float(m.payout.mean()),
                "loss_rate": m.rate * float(m.payout.mean()),
                "source": m.source,
            }
            for (t, c), m in self.models.items()
        ]
        return pd.DataFrame(rows).set_index(["cover_type", "category"])
