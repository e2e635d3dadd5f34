"""Model specification: validated names, the arch model behind them, parameter layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from arch import arch_model
from arch.univariate.base import ARCHModel
from arch.univariate.distribution import (
    Distribution,
    GeneralizedError,
    Normal,
    SkewStudent,
    StudentsT,
)

from actuarial._validation import check_int
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["DISTS", "MEANS", "VOLS", "VolatilitySpec"]

MeanName = Literal["constant", "zero", "ar"]
VolName = Literal["garch", "gjr", "egarch"]
DistName = Literal["normal", "t", "skewt", "ged"]

MEANS = ("constant", "zero", "ar")
VOLS = ("garch", "gjr", "egarch")
DISTS = ("normal", "t", "skewt", "ged")
_ARCH_DIST: dict[str, type[Any]] = {
    "normal": Normal,
    "t": StudentsT,
    "skewt": SkewStudent,
    "ged": GeneralizedError,
}


def _choice(value: Any, name: str, options: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value.lower() not in options:
        raise InvalidInputError(f"{name} must be one of {list(options)}; got {value!r}")
    return value.lower()


@dataclass(frozen=True)
class VolatilitySpec:
    """A GARCH-family specification: mean x volatility x standardised distribution.

    ``vol="garch"`` is GARCH(p, q) (GJR-GARCH when ``o > 0``), ``vol="gjr"`` is
    GJR-GARCH(p, o, q) with ``o >= 1`` (``o = 1`` when left at 0), ``vol="egarch"`` is
    Nelson's EGARCH(p, o, q). Parameter names are arch's: ``mu`` (or ``Const``, ``y[1]``
    ... for an AR mean), ``omega``, ``alpha[i]``, ``gamma[j]``, ``beta[k]``, then ``nu``
    (t, GED) or ``eta``, ``lambda`` (Hansen's skewed t). The shocks are standardised to
    mean 0 and variance 1, so the conditional variance is ``sigma2_t`` exactly.
    """

    mean: str = "constant"
    vol: str = "garch"
    p: int = 1
    o: int = 0
    q: int = 1
    dist: str = "normal"
    lags: int = 1

    def __post_init__(self) -> None:
        object.__setattr__(self, "mean", _choice(self.mean, "mean", MEANS))
        object.__setattr__(self, "vol", _choice(self.vol, "vol", VOLS))
        object.__setattr__(self, "dist", _choice(self.dist, "dist", DISTS))
        object.__setattr__(self, "p", check_int(self.p, "p", minimum=1))
        object.__setattr__(self, "o", check_int(self.o, "o", minimum=0))
        object.__setattr__(self, "q", check_int(self.q, "q", minimum=0))
        object.__setattr__(self, "lags", check_int(self.lags, "lags", minimum=1))
        if self.vol == "gjr" and self.o == 0:
            object.__setattr__(self, "o", 1)

    @property
    def label(self) -> str:
        """Short name, e.g. ``'constant-GARCH(1,1)-t'``."""
        mean = f"AR({self.lags})" if self.mean == "ar" else self.mean
        vol = {"garch": "GJR-GARCH" if self.o else "GARCH", "gjr": "GJR-GARCH"}.get(
            self.vol, "EGARCH"
        )
        orders = f"{self.p},{self.o},{self.q}" if self.o else f"{self.p},{self.q}"
        return f"{mean}-{vol}({orders})-{self.dist}"

    @property
    def n_mean_params(self) -> int:
        return {"constant": 1, "zero": 0, "ar": 1 + self.lags}[self.mean]

    @property
    def n_vol_params(self) -> int:
        return 1 + self.p + self.o + self.q

    @property
    def n_params(self) -> int:
        return self.n_mean_params + self.n_vol_params + {"normal": 0, "skewt": 2}.get(self.dist, 1)

    def min_observations(self) -> int:
        """Shortest series accepted: 100 observations and 10 per parameter."""
        return max(100, 10 * self.n_params)

    def arch_model(self, y: pd.Series | np.ndarray | None) -> ARCHModel:
        """The arch model of this specification for data ``y`` (None to simulate)."""
        kw: dict[str, Any] = {
            "mean": {"constant": "Constant", "zero": "Zero", "ar": "AR"}[self.mean],
            "vol": "EGARCH" if self.vol == "egarch" else "GARCH",
            "dist": self.dist,
        }
        if self.mean == "ar":
            kw["lags"] = self.lags
        return arch_model(y, p=self.p, o=self.o, q=self.q, rescale=False, **kw)

    def distribution(self, seed: np.random.Generator | None = None) -> Distribution:
        """A fresh arch standardised distribution drawing from ``seed``."""
        return _ARCH_DIST[self.dist](seed=seed)

    def split(self, params: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Mean, volatility and distribution parameters (arch order)."""
        values = np.asarray(params, dtype=np.float64)
        k, v = self.n_mean_params, self.n_vol_params
        return values[:k], values[k : k + v], values[k + v :]

    def param_names(self) -> list[str]:
        """arch's parameter names for this specification."""
        m = self.arch_model(pd.Series(np.zeros(200), name="y"))
        return [
            *m.parameter_names(),
            *m.volatility.parameter_names(),
            *m.distribution.parameter_names(),
        ]

    def to_dict(self) -> dict[str, Any]:
        d = {
            "mean": self.mean,
            "vol": self.vol,
            "p": self.p,
            "o": self.o,
            "q": self.q,
            "dist": self.dist,
        }
        if self.mean == "ar":
            d["lags"] = self.lags
        return d


def as_spec(spec: Any) -> VolatilitySpec:
    """Coerce a VolatilitySpec or a mapping of its fields."""
    if isinstance(spec, VolatilitySpec):
        return spec
    if isinstance(spec, dict):
        return VolatilitySpec(**spec)
    raise InvalidTypeError(f"spec must be a VolatilitySpec or a dict; got {type(spec).__name__}")
