"""The reserve-report pipeline: configuration in, every figure of the report out.

Two stages, each a pure function of the configuration and its seed:

* :func:`fit_market` fits the market models to the loss record: truncated severity of hacks
  above the completeness threshold (families ranked by AIC), annual frequency, Hill tail
  index, the market's annual loss distribution, depeg episode rates and the loss given
  default of lenders;
* :func:`run_book` prices the book of covers and sizes its backstop: simulation with crisis
  dependence, cost-of-capital premiums, required capital under the usual standards,
  allocation, backstop layers, multi-year ruin, reserves and sensitivities.

The report (:mod:`actuarial.report.sections`) only formats what these return.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import platform
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from actuarial import capital, datasets, frequency, perils, pricing, severity
from actuarial.book import Book, BookSimulation, RiskModel, read_book, simulate_book
from actuarial.compound import CompoundModel
from actuarial.dependence import (
    CrisisShock,
    Dependence,
    GaussianCopula,
    StudentTCopula,
    exchangeable_correlation,
)
from actuarial.exceptions import ActuarialWarning, ConvergenceError, DataFormatError
from actuarial.report.config import Config
from actuarial.simulation import Simulation, simulate
from actuarial.terms import Layer

__all__ = ["BookResults", "MarketModels", "ReserveResults", "fit_market", "run", "run_book"]

LINES = ("hack", "depeg", "default")


@dataclass(frozen=True)
class MarketModels:
    """Models fitted to the loss record (see :func:`fit_market`)."""

    hacks: pd.DataFrame
    threshold: float
    sample: pd.DataFrame
    comparison: pd.DataFrame
    fits: dict[str, Any]
    chosen: Any
    chosen_name: str
    chosen_reason: str
    hill: Any
    counts: pd.DataFrame
    frequency_fit: Any
    next_year: int
    predictive: Any
    predictive_no_uncertainty: Any
    market: Simulation
    market_cap: float
    depegs: pd.DataFrame
    depeg_model: Any
    defaults: pd.DataFrame
    lgd: Any
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BookResults:
    """Premiums, capital, allocation, layers, ruin, reserves and sensitivities of the book."""

    book: Book
    risk_model: RiskModel
    risk_model_frame: pd.DataFrame
    dependence: Dependence
    sim: BookSimulation
    premiums: Any
    requirements: dict[str, Any]
    available: float
    allocation_lines: dict[str, Any]
    allocation_covers: Any
    layers: Any | None
    ruin: Any
    ruin_years: int
    ruin_target: float
    reserves: Any
    sensitivity: pd.DataFrame
    annual_premium: float


@dataclass(frozen=True)
class ReserveResults:
    """Everything the reserve report shows, with the provenance of the run."""

    config: Config
    market: MarketModels
    book: BookResults
    provenance: dict[str, Any] = field(default_factory=dict)


def _progress(enabled: bool, total: int) -> Callable[[str], None]:
    if not enabled:
        return lambda _step: None
    from tqdm.auto import tqdm

    bar = tqdm(total=total, desc="reserve report", unit="step", leave=False)

    def step(name: str) -> None:
        bar.set_postfix_str(name)
        bar.update(1)
        if bar.n >= total:
            bar.close()

    return step


def _load_hacks(cfg: Config) -> pd.DataFrame:
    if cfg.data.hacks == "bundled":
        hacks = datasets.load_hacks(since=cfg.data.since, until=cfg.data.until)
    else:
        hacks = datasets.read_events(cfg.data.hacks, kind="hacks")
        if cfg.data.since is not None:
            hacks = hacks[hacks["date"] >= pd.Timestamp(cfg.data.since)]
        if cfg.data.until is not None:
            hacks = hacks[hacks["date"] <= pd.Timestamp(cfg.data.until)]
    return hacks.reset_index(drop=True)


def fit_market(cfg: Config, *, step: Callable[[str], None] | None = None) -> MarketModels:
    """Fit severity, frequency and tail models of the market to the loss record."""
    step = step or (lambda _s: None)
    hacks = _load_hacks(cfg)
    t = cfg.data.completeness_threshold_usd
    sample = hacks[hacks["amount_usd"] >= t].reset_index(drop=True)
    losses = sample["amount_usd"].to_numpy(float)
    with warnings.catch_warnings():
        # Families whose likelihood has no interior maximum are reported in the table.
        warnings.simplefilter("ignore", ActuarialWarning)
        table, fits = severity.compare(
            losses, list(cfg.models.severity_families), truncation=t, return_fits=True
        )
    if cfg.models.severity_choice == "aic":
        converged = table[table["converged"]]
        if converged.empty:
            raise ConvergenceError(
                "no severity family has a usable maximum on the loss record; see the 'note' "
                "column of actuarial.severity.compare, or add families to "
                "models.severity_families"
            )
        name = str(converged.index[0])
        reason = (
            f"lowest AIC among the {len(converged)} converged families (ΔAIC to the next: "
            f"{float(converged['delta_aic'].iloc[1]) if len(converged) > 1 else float('nan'):.2f})"
        )
    else:
        name = cfg.models.severity_choice
        if name not in fits:
            raise DataFormatError(
                f"models.severity_choice: {name!r} is not among models.severity_families"
            )
        reason = "chosen in the configuration"
    chosen = fits[name]
    k = min(cfg.models.hill_k, len(losses) - 1)
    hill = severity.hill(losses, k=k)
    step("severity")

    last_year = int(sample["date"].dt.year.max())
    counts = datasets.annual_counts(sample, start=f"{cfg.models.frequency_since}-01-01",
                                    end=f"{last_year}-12-31")
    trend = None if cfg.models.frequency_trend == "none" else cfg.models.frequency_trend
    with warnings.catch_warnings(record=True) as caught:
        # recorded, not shown: the report states them under Models
        warnings.simplefilter("always", ActuarialWarning)
        ffit = frequency.fit(counts, cfg.models.frequency_family, trend=trend)
    frequency_notes = [
        f"Frequency fit: {w.message}" for w in caught if issubclass(w.category, ActuarialWarning)
    ]
    next_year = last_year + 1
    pred = ffit.predictive(next_year, parameter_uncertainty=True)
    pred_plain = ffit.predictive(next_year, parameter_uncertainty=False)
    cap = cfg.models.market_event_cap_usd
    market_line = CompoundModel(
        frequency=pred,
        severity=severity.left_truncated(chosen.dist, t),
        terms=Layer(limit=cap),
        name="market hacks",
    )
    market = simulate(market_line, cfg.run.n_years, rng=cfg.run.seed,
                      chunk_size=cfg.run.chunk_size)
    step("frequency")

    depegs = datasets.load_depegs()
    depeg_model = perils.fit_depeg_model(depegs)
    defaults = datasets.load_defaults()
    lgd = perils.fit_lgd(defaults["recovery_rate"].dropna())
    step("depeg and default")
    notes = list(frequency_notes)
    if not ffit.converged:
        notes.append("The frequency fit did not converge: treat its rate with caution.")
    if not chosen.has_finite_mean:
        notes.append(
            f"The chosen severity ({name}) has an infinite mean: market losses are simulated "
            f"with each incident capped at USD {cap:,.0f}."
        )
    return MarketModels(
        hacks=hacks, threshold=t, sample=sample, comparison=table, fits=fits,
        chosen=chosen, chosen_name=name,
        chosen_reason=reason, hill=hill, counts=counts, frequency_fit=ffit,
        next_year=next_year, predictive=pred, predictive_no_uncertainty=pred_plain,
        market=market, market_cap=cap, depegs=depegs, depeg_model=depeg_model,
        defaults=defaults, lgd=lgd, notes=tuple(notes),
    )


def _risk_model_frame(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, comment="#", skipinitialspace=True)


def _dependence(cfg: Config, lines: tuple[str, ...], *, crisis: bool, copula: bool) -> Dependence:
    dc = cfg.dependence
    shock = None
    if crisis and dc.crisis_probability > 0:
        multipliers = {k: v for k, v in dc.crisis_multipliers.items() if k in lines}
        shock = CrisisShock(probability=dc.crisis_probability, multipliers=multipliers)
    cop = None
    if copula and dc.copula != "none" and len(lines) > 1:
        corr = exchangeable_correlation(len(lines), dc.correlation)
        cop = GaussianCopula(corr) if dc.copula == "gaussian" else StudentTCopula(
            corr, df=dc.copula_df
        )
    return Dependence(crisis=shock, copula=cop, lines=lines if cop is not None else ())


def _heavier_tail(frame: pd.DataFrame) -> pd.DataFrame:
    """Move a tenth of each continuous payout's mass to a total loss of the cover."""
    out = frame.copy()
    p_zero = out.get("p_zero", 0.0)
    p_full = out.get("p_full", 0.0)
    out["p_full"] = p_full + 0.1 * (1.0 - p_zero - p_full)
    return out


def run_book(cfg: Config, *, step: Callable[[str], None] | None = None) -> BookResults:
    """Price the book and size its backstop (see the module docstring)."""
    step = step or (lambda _s: None)
    run = cfg.run
    book = read_book(cfg.book.covers)
    frame = _risk_model_frame(cfg.book.risk_model)
    model = RiskModel.from_frame(frame, origin=str(cfg.book.risk_model))
    lines = tuple(x for x in LINES if x in set(book.covers["cover_type"]))
    dep = _dependence(cfg, lines, crisis=True, copula=True)
    common = {"start": pd.Timestamp(run.start), "rng": run.seed, "n_jobs": run.n_jobs}

    def sim_of(m: RiskModel, d: Dependence) -> BookSimulation:
        return simulate_book(book, m, run.n_years, dependence=d, **common)

    sim = sim_of(model, dep)
    step("book simulation")
    pc = cfg.pricing
    premiums = pricing.cost_of_capital_premiums(
        sim, coc=pc.cost_of_capital, measure=pc.measure, level=pc.level,
        expense_ratio=pc.expense_ratio,
    )
    annual_premium = float(book.covers["premium_usd"].sum())
    requirements = {
        "Solvency II (VaR 99.5 %)": capital.required_capital(sim, standard="solvency2"),
        "Swiss Solvency Test (TVaR 99 %)": capital.required_capital(sim, standard="sst"),
        "Solvency II, net of premiums": capital.required_capital(
            sim, premiums=annual_premium, standard="solvency2"
        ),
    }
    for p in run.levels:
        requirements[f"TVaR {p:.1%}"] = capital.required_capital(sim, measure="tvar", level=p)
    step("capital")
    lvl = cfg.capital.allocation_level
    allocation_lines = {
        method: capital.allocate(sim, by="line", method=method, level=lvl)
        for method in ("co-tvar", "covariance", "proportional")
    }
    allocation_covers = capital.allocate(sim, by="cover", method="co-tvar", level=lvl)
    layers = None
    if cfg.capital.layers:
        layers = capital.backstop_layers(
            sim, [(layer.name, layer.size_usd) for layer in cfg.capital.layers],
            premiums=annual_premium,
        )
    ruin = capital.ruin_analysis(
        sim, horizon_years=cfg.capital.ruin_years, premiums=annual_premium,
        return_on_assets=cfg.capital.return_on_assets,
    )
    reserves = capital.reserves(
        book, model, pd.Timestamp(run.valuation_date), claims=cfg.book.claims,
        coc=pc.cost_of_capital, dependence=dep, n_years=min(run.n_years, 50_000),
        rng=run.seed,
    )
    step("allocation, ruin and reserves")
    scenarios = {
        "base (crisis year and copula)": (model, dep),
        "no copula (crisis year only)": (model, _dependence(cfg, lines, crisis=True,
                                                               copula=False)),
        "independent lines": (model, Dependence()),
        "heavier tail (10 % of payout mass to total loss)": (
            RiskModel.from_frame(_heavier_tail(frame)), dep),
        "doubled incident rates": (
            RiskModel.from_frame(frame.assign(rate=frame["rate"] * 2.0)), dep),
    }
    rows = []
    for label, (m, d) in scenarios.items():
        s = sim if label.startswith("base") else sim_of(m, d)
        var = capital.required_capital(s, standard="solvency2")
        tv = capital.required_capital(s, standard="sst")
        rows.append({"scenario": label, "expected_claims": s.mean(),
                     "VaR 99.5%": var.capital, "VaR s.e.": var.std_error,
                     "TVaR 99%": tv.capital, "TVaR s.e.": tv.std_error})
    sens = pd.DataFrame(rows).set_index("scenario")
    base = sens.iloc[0]
    sens["VaR change"] = sens["VaR 99.5%"] / base["VaR 99.5%"] - 1.0
    sens["TVaR change"] = sens["TVaR 99%"] / base["TVaR 99%"] - 1.0
    step("sensitivities")
    return BookResults(
        book=book, risk_model=model, risk_model_frame=frame, dependence=dep, sim=sim,
        premiums=premiums, requirements=requirements, available=cfg.capital.available_usd,
        allocation_lines=allocation_lines, allocation_covers=allocation_covers,
        layers=layers, ruin=ruin, ruin_years=cfg.capital.ruin_years,
        ruin_target=cfg.capital.ruin_target, reserves=reserves,
        sensitivity=sens, annual_premium=annual_premium,
    )


def _sha256(path: Any) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _provenance(cfg: Config, started: float) -> dict[str, Any]:
    files: dict[str, str] = {}
    if cfg.source is not None:
        files["config: " + cfg.source.name] = _sha256(cfg.source)
    for key, path in (("book", cfg.book.covers), ("risk model", cfg.book.risk_model),
                      ("claims", cfg.book.claims)):
        if path is not None:
            files[f"{key}: {Path(path).name}"] = _sha256(Path(path))
    for name, bundled in datasets.bundled_files().items():
        files[f"dataset: {name}"] = _sha256(bundled)
    versions = {}
    for pkg in ("actuarial", "numpy", "scipy", "pandas", "statsmodels", "arch", "matplotlib"):
        try:
            versions[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:  # pragma: no cover
            versions[pkg] = "not installed"
    versions["python"] = platform.python_version()
    return {
        "seed": cfg.run.seed,
        "n_years": cfg.run.n_years,
        "run_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "run_seconds": round(time.perf_counter() - started, 1),
        "files": files,
        "versions": versions,
        "platform": f"{platform.system()} {platform.machine()}",
    }


def run(cfg: Config, *, progress: bool = False) -> ReserveResults:
    """Run the whole pipeline for a validated configuration."""
    started = time.perf_counter()
    step = _progress(progress, total=7)
    market = fit_market(cfg, step=step)
    book = run_book(cfg, step=step)
    return ReserveResults(config=cfg, market=market, book=book,
                          provenance=_provenance(cfg, started))
