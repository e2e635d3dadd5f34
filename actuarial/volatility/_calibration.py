"""Committed calibrations: fitted parameter sets with the recipe that reproduces them.

A calibration is a small TOML file in ``datasets/calibration/`` (shipped in the wheel)
holding the source price file, its date range, the cleaning and model recipe, the package
versions and the fitted numbers. :func:`load_calibration` reads it; its
:meth:`~VolatilityCalibration.simulate` runs the model without any price data, and
:meth:`~VolatilityCalibration.refit` re-runs the recipe on the source file to check it.
"""

from __future__ import annotations

import os
import platform
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from actuarial._typing import RNGLike
from actuarial.datasets.prices import clean_prices, log_returns, read_price_file
from actuarial.exceptions import DataFormatError
from actuarial.volatility._fit import VolatilityFit, _simulate, fit
from actuarial.volatility._simulate import (
    SimulatedPaths,
    State,
    persistence,
    unconditional_variance,
)
from actuarial.volatility._spec import VolatilitySpec

__all__ = [
    "VolatilityCalibration",
    "calibrate",
    "calibration_dir",
    "list_calibrations",
    "load_calibration",
]

_PACKAGES = ("actuarial", "arch", "numpy", "scipy", "pandas", "statsmodels")


def calibration_dir() -> Path:
    """Folder of the committed calibrations (source tree or installed wheel)."""
    pkg = Path(__file__).resolve().parents[1]
    for cand in (pkg / "_bundled" / "calibration", pkg.parent / "datasets" / "calibration"):
        if cand.is_dir():
            return cand
    raise FileNotFoundError("the calibration folder (datasets/calibration) is missing")


def list_calibrations() -> list[str]:
    """Names of the committed volatility calibrations."""
    return sorted(p.stem for p in calibration_dir().glob("*.toml"))


@dataclass(frozen=True)
class VolatilityCalibration:
    """A committed parameter set with its provenance (immutable).

    Attributes
    ----------
    name : str
        File stem, e.g. ``"btc_garch_t"``.
    spec : VolatilitySpec
        Model specification.
    params : pandas.Series
        Fitted parameters (arch names).
    scale : float
        Unit of the modelled series (100: percent log returns).
    source : dict
        ``file`` (relative to the data directory), ``symbol``, ``first_date``,
        ``last_date``, ``n``, ``transform`` (``"log_returns"`` or ``"log_price"``) and the
        cleaning keywords.
    fit_stats : dict
        ``loglik``, ``aic``, ``bic`` of the fit.
    versions : dict
        Package versions that produced the numbers.
    """

    name: str
    spec: VolatilitySpec
    params: pd.Series
    scale: float
    source: dict[str, Any] = field(default_factory=dict)
    fit_stats: dict[str, float] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    state: dict[str, list[float]] = field(default_factory=dict)

    @property
    def unconditional_variance(self) -> float:
        return unconditional_variance(self.spec, self.params.to_numpy())

    @property
    def persistence(self) -> float:
        return persistence(self.spec, self.params.to_numpy())

    def simulate(
        self,
        horizon: int,
        n_paths: int,
        *,
        rng: RNGLike = None,
        method: Literal["parametric"] = "parametric",
        start: Literal["last", "stationary"] = "last",
        burn: int = 500,
    ) -> SimulatedPaths:
        """Simulate paths without price data; see :meth:`VolatilityFit.simulate`.

        ``start="last"`` starts from the end of the calibration sample (the ``[state]``
        table of the file: last values, residuals and variances), ``"stationary"`` from
        the long-run level after ``burn`` steps (needs persistence below 1).
        """
        state = None
        if start == "last":
            state = State(
                *(np.asarray(self.state[k], dtype=float) for k in ("y", "resid", "sigma2"))
            )
        return _simulate(
            self.spec,
            self.params.to_numpy(),
            self.scale,
            horizon,
            n_paths,
            rng=rng,
            method=method,
            state=state,
            std_resid=None,
            start=start,
            burn=burn,
        )

    def series(self, data_dir: str | os.PathLike[str]) -> pd.Series:
        """Rebuild the fitted series from the source file under ``data_dir``."""
        src = self.source
        frame = read_price_file(Path(data_dir) / src["file"])
        cleaned = clean_prices(
            frame,
            max_repeats=int(src["max_repeats"]),
            max_gap=int(src["max_gap"]),
            start=src["first_date"],
            end=src["last_date"],
        ).prices
        if cleaned.isna().any():
            raise DataFormatError(
                f"{src['file']}: gaps longer than max_gap between {src['first_date']} and "
                f"{src['last_date']}; the calibration recipe needs a complete series"
            )
        if src["transform"] == "log_price":
            out = self.scale * np.log(cleaned)
        else:
            out = log_returns(cleaned, scale=self.scale)
        return out.rename(src["symbol"])

    def refit(self, data_dir: str | os.PathLike[str]) -> VolatilityFit:
        """Re-run the recipe on the source file (for checking the committed numbers)."""
        return fit(self.series(data_dir), scale=self.scale, **self.spec.to_dict())

    def summary(self) -> str:
        s = self.source
        lines = [
            f"Calibration {self.name}: {self.spec.label} on {s.get('symbol')} "
            f"({s.get('transform')}, x{self.scale:g}), {s.get('first_date')} to "
            f"{s.get('last_date')}, n = {s.get('n')}",
            f"source: {s.get('file')}",
            "params: " + ", ".join(f"{k} = {v:.6g}" for k, v in self.params.items()),
            "fit: " + ", ".join(f"{k} = {v:.6f}" for k, v in self.fit_stats.items()),
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def to_toml(self) -> str:
        """The calibration as TOML text (the committed file format)."""

        def val(v: Any) -> str:
            if isinstance(v, str):
                return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
            if isinstance(v, bool):
                return "true" if v else "false"
            if isinstance(v, int | np.integer):
                return str(int(v))
            return repr(float(v))

        out = [
            f"# Volatility calibration {self.name}: {self.spec.label}.",
            "# Written by actuarial.volatility.calibrate; check with "
            "load_calibration(name).refit(data_dir).",
            f'name = "{self.name}"',
            f"scale = {val(self.scale)}",
            "",
            "[source]",
        ]
        out += [f"{k} = {val(v)}" for k, v in self.source.items()]
        out += ["", "[model]"] + [f"{k} = {val(v)}" for k, v in self.spec.to_dict().items()]
        out += ["", "[params]"] + [f'"{k}" = {val(v)}' for k, v in self.params.items()]
        out += ["", "[fit]"] + [f"{k} = {val(v)}" for k, v in self.fit_stats.items()]
        out += ["", "[state]", "# end of the sample, oldest first: series, residual, variance"]
        out += [f"{k} = [{', '.join(val(x) for x in v)}]" for k, v in self.state.items()]
        out += ["", "[versions]"] + [f"{k} = {val(v)}" for k, v in self.versions.items()]
        return "\n".join(out) + "\n"


def _versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in _PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[pkg] = "unknown"
    return out


def calibrate(
    name: str,
    data_dir: str | os.PathLike[str],
    file: str,
    *,
    symbol: str,
    first_date: str,
    last_date: str,
    transform: Literal["log_returns", "log_price"] = "log_returns",
    scale: float = 100.0,
    max_repeats: int = 5,
    max_gap: int = 3,
    **model: Any,
) -> tuple[VolatilityCalibration, VolatilityFit]:
    """Fit a model to a price file by a recorded recipe and return the calibration.

    ``file`` is relative to ``data_dir``; prices are cleaned with
    :func:`~actuarial.datasets.prices.clean_prices` over ``first_date``..``last_date``,
    transformed to percent log returns (``"log_returns"``) or to ``scale * log(price)``
    (``"log_price"``, for a stablecoin's deviation from its peg), and fitted with
    :func:`fit` and the ``model`` keywords. Save with
    ``Path(...).write_text(calibration.to_toml())``.
    """
    spec = VolatilitySpec(**model)
    draft = VolatilityCalibration(
        name,
        spec,
        pd.Series(dtype=float),
        float(scale),
        source={
            "file": file,
            "symbol": symbol,
            "first_date": first_date,
            "last_date": last_date,
            "transform": transform,
            "max_repeats": max_repeats,
            "max_gap": max_gap,
        },
    )
    y = draft.series(data_dir)
    f = fit(y, scale=scale, **spec.to_dict())
    source = {**draft.source, "n": len(y)}
    cal = VolatilityCalibration(
        name,
        spec,
        f.params,
        float(scale),
        source,
        {"loglik": f.loglik, "aic": f.aic, "bic": f.bic},
        _versions(),
        {k: [float(x) for x in getattr(f.last_state(), k)] for k in ("y", "resid", "sigma2")},
    )
    return cal, f


def load_calibration(name: str | os.PathLike[str]) -> VolatilityCalibration:
    """Read a committed calibration by name (``"btc_garch_t"``) or from a TOML path.

    Examples
    --------
    >>> from actuarial.volatility import load_calibration
    >>> cal = load_calibration("btc_garch_t")
    >>> cal.spec.label
    'constant-GARCH(1,1)-t'
    """
    path = Path(name)
    if path.suffix != ".toml":
        path = calibration_dir() / f"{name}.toml"
    if not path.is_file():
        raise FileNotFoundError(f"no calibration {str(name)!r}; available: {list_calibrations()}")
    try:
        doc = tomllib.loads(path.read_text())
        spec = VolatilitySpec(**doc["model"])
        params = pd.Series({k: float(v) for k, v in doc["params"].items()})
        return VolatilityCalibration(
            doc["name"],
            spec,
            params[spec.param_names()],
            float(doc["scale"]),
            dict(doc["source"]),
            dict(doc.get("fit", {})),
            dict(doc.get("versions", {})),
            {k: list(v) for k, v in doc.get("state", {}).items()},
        )
    except (KeyError, TypeError, tomllib.TOMLDecodeError) as exc:
        raise DataFormatError(f"malformed calibration file {str(path)!r}: {exc}") from None
