"""Run configuration: a TOML file validated into typed settings.

Every key is checked (unknown keys are errors, so a typo never silently falls back to a
default) and paths are resolved relative to the configuration file. Errors name the key.

Example configuration (``examples/demo.toml`` is a complete one)::

    [run]
    seed = 20260101
    n_years = 200000
    start = "2026-01-01"
    valuation_date = "2026-11-23"

    [book]
    covers = "book.csv"
    risk_model = "risk_model.csv"
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from actuarial.exceptions import DataFormatError

__all__ = [
    "BookConfig",
    "CapitalConfig",
    "Config",
    "DataConfig",
    "DependenceConfig",
    "ModelsConfig",
    "PricingConfig",
    "ReportConfig",
    "RunConfig",
    "load_config",
]

SEVERITY_FAMILIES = (
    "lognormal",
    "gamma",
    "weibull",
    "lomax",
    "pareto",
    "burr12",
    "loglogistic",
    "invgamma",
)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _level(value: float) -> float:
    if not 0.0 < value < 1.0:
        raise ValueError(f"must lie in (0, 1); got {value}")
    return value


class RunConfig(_Strict):
    """Simulation settings: seed, years, horizon, levels, valuation date."""

    seed: int = 20260101
    n_years: int = Field(200_000, ge=1_000, le=100_000_000)
    chunk_size: int = Field(100_000, ge=1_000)
    n_jobs: int = Field(1, ge=1)
    start: dt.date = dt.date(2026, 1, 1)
    horizon_years: int = Field(1, ge=1, le=50)
    valuation_date: dt.date = dt.date(2026, 11, 23)
    levels: tuple[float, ...] = (0.9, 0.95, 0.99, 0.995, 0.999)

    @field_validator("levels")
    @classmethod
    def _levels(cls, v: tuple[float, ...]) -> tuple[float, ...]:
        if not v:
            raise ValueError("must list at least one level")
        return tuple(sorted(_level(x) for x in v))


class DataConfig(_Strict):
    """Loss record: the bundled data or a user's CSV in the same schema."""

    hacks: str = "bundled"
    completeness_threshold_usd: float = Field(1e7, gt=0)
    since: dt.date | None = None
    until: dt.date | None = None


class ModelsConfig(_Strict):
    """Market models fitted to the loss record."""

    severity_families: tuple[str, ...] = ("lognormal", "weibull", "lomax", "loglogistic",
                                          "invgamma", "burr12", "gamma")
    severity_choice: str = "aic"
    frequency_family: Literal["poisson", "negbin"] = "negbin"
    frequency_trend: Literal["none", "linear"] = "none"
    frequency_since: int = Field(2020, ge=2016)
    market_event_cap_usd: float = Field(2e9, gt=0)
    hill_k: int = Field(30, ge=5)

    @field_validator("severity_families")
    @classmethod
    def _families(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [f for f in v if f not in SEVERITY_FAMILIES]
        if unknown:
            raise ValueError(f"unknown families {unknown}; choose from {list(SEVERITY_FAMILIES)}")
        if not v:
            raise ValueError("must list at least one family")
        return v


class BookConfig(_Strict):
    """The book of covers and its risk model (CSV files)."""

    covers: Path
    risk_model: Path
    claims: Path | None = None


class DependenceConfig(_Strict):
    """Crisis-year common shock and copula between lines."""

    crisis_probability: float = Field(0.125, ge=0.0, lt=1.0)
    crisis_multipliers: dict[str, float] = Field(
        default_factory=lambda: {"hack": 2.1, "depeg": 2.2, "default": 8.1}
    )
    copula: Literal["none", "gaussian", "t"] = "gaussian"
    correlation: float = Field(0.2, gt=-0.5, lt=1.0)
    copula_df: float = Field(4.0, gt=2.0)


class PricingConfig(_Strict):
    """Cost-of-capital pricing."""

    cost_of_capital: float = Field(0.06, ge=0.0, lt=1.0)
    expense_ratio: float = Field(0.15, ge=0.0, lt=1.0)
    measure: Literal["var", "tvar"] = "tvar"
    level: float = 0.99

    @field_validator("level")
    @classmethod
    def _check_level(cls, v: float) -> float:
        return _level(v)


class LayerConfig(_Strict):
    """One layer of the backstop stack (bottom to top)."""

    name: str
    size_usd: float = Field(gt=0)


class CapitalConfig(_Strict):
    """Backstop: available capital, layers, multi-year ruin."""

    available_usd: float = Field(gt=0)
    layers: tuple[LayerConfig, ...] = ()
    ruin_years: int = Field(5, ge=1, le=30)
    ruin_target: float = 0.005
    return_on_assets: float = Field(0.0, ge=-0.5, le=0.5)
    allocation_level: float = 0.99

    @field_validator("ruin_target", "allocation_level")
    @classmethod
    def _check_levels(cls, v: float) -> float:
        return _level(v)


class ReportConfig(_Strict):
    """Where and how to write the report."""

    out: Path = Path("reports")
    title: str = "Backstop reserve report"
    entity: str = "Example crypto cover mutual"
    formats: tuple[Literal["html", "csv", "xlsx"], ...] = ("html", "csv", "xlsx")


class Config(_Strict):
    """The whole run configuration."""

    run: RunConfig = RunConfig()
    data: DataConfig = DataConfig()
    models: ModelsConfig = ModelsConfig()
    book: BookConfig
    dependence: DependenceConfig = DependenceConfig()
    pricing: PricingConfig = PricingConfig()
    capital: CapitalConfig
    report: ReportConfig = ReportConfig()
    source: Path | None = None


def _resolve(raw: dict[str, Any], base: Path) -> dict[str, Any]:
    """Make the file paths of ``raw`` absolute, relative to the config's directory."""
    out = {k: dict(v) if isinstance(v, dict) else v for k, v in raw.items()}
    book = out.get("book")
    if isinstance(book, dict):
        for key in ("covers", "risk_model", "claims"):
            if isinstance(book.get(key), str):
                book[key] = str((base / book[key]).resolve())
    data = out.get("data")
    hacks = data.get("hacks") if isinstance(data, dict) else None
    if isinstance(data, dict) and isinstance(hacks, str) and hacks != "bundled":
        data["hacks"] = str((base / data["hacks"]).resolve())
    return out


def load_config(path: str | Path, *, overrides: dict[str, Any] | None = None) -> Config:
    """Read and validate a TOML configuration.

    Parameters
    ----------
    path : path-like
        The TOML file. Relative paths inside it are resolved against its directory.
    overrides : dict, optional
        ``{"section.key": value}`` pairs applied before validation (e.g. from the command
        line: ``{"run.seed": 7}``).

    Raises
    ------
    DataFormatError
        With one line per problem, each naming the key (``run.n_years: ...``), when the file
        is missing, is not valid TOML, has unknown keys or wrong types, or names files that
        do not exist.

    Examples
    --------
    >>> from pathlib import Path
    >>> cfg = load_config(Path("examples/demo.toml"))  # doctest: +SKIP
    """
    path = Path(path)
    if not path.is_file():
        raise DataFormatError(f"config file not found: {path}")
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataFormatError(f"{path}: not valid TOML: {exc}") from None
    for dotted, value in (overrides or {}).items():
        section, _, key = dotted.partition(".")
        raw.setdefault(section, {})[key] = value
    raw = _resolve(raw, path.parent)
    try:
        cfg = Config(**raw, source=path.resolve())
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise DataFormatError(f"{path}: {problems}") from None
    for key, file in (
        ("book.covers", cfg.book.covers),
        ("book.risk_model", cfg.book.risk_model),
        ("book.claims", cfg.book.claims),
    ):
        if file is not None and not Path(file).is_file():
            raise DataFormatError(f"{path}: {key}: file not found: {file}")
    if cfg.data.hacks != "bundled" and not Path(cfg.data.hacks).is_file():
        raise DataFormatError(f"{path}: data.hacks: file not found: {cfg.data.hacks}")
    return cfg
