"""The eight sections of the reserve report, built from the pipeline's results."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from actuarial import severity
from actuarial.report.document import ReportDocument, Section, Table, figure_from_axes
from actuarial.report.pipeline import BookResults, MarketModels, ReserveResults

__all__ = ["build_document", "headline_text"]

PCT = "{:.2%}"


def _axes(width: float, height: float) -> Any:
    """Axes of a new figure that pyplot does not track: no global state, any backend."""
    from matplotlib.figure import Figure as MplFigure

    return MplFigure(figsize=(width, height)).subplots()


def _millions(x: float) -> str:
    return f"USD {x / 1e6:,.2f}M"


def _summary(res: ReserveResults) -> Section:
    b = res.book
    rows = []
    for label, req in b.requirements.items():
        if label.startswith("TVaR"):
            continue
        rows.append({
            "requirement": label,
            "required capital": req.capital,
            "std. error": req.std_error,
            "95% CI low": req.ci_low,
            "95% CI high": req.ci_high,
            "available capital": b.available,
            "coverage ratio": req.coverage_ratio(b.available),
        })
    head = pd.DataFrame(rows).set_index("requirement")
    totals = b.reserves.totals()
    s2 = b.requirements["Solvency II (VaR 99.5 %)"]
    sst = b.requirements["Swiss Solvency Test (TVaR 99 %)"]
    e = b.sim.estimate("mean")
    premium_totals = b.premiums.totals()
    paragraphs = [
        f"{res.config.report.entity}: {len(b.book.covers)} covers with total cover amount "
        f"{_millions(float(b.book.covers['amount_usd'].sum()))} over the year starting "
        f"{res.config.run.start}. Expected claims are {_millions(e.value)} "
        f"(Monte Carlo s.e. {_millions(e.std_error)}).",
        f"The backstop must hold {_millions(s2.capital)} ± {_millions(s2.std_error)} to meet "
        f"a 99.5 % one-year VaR (Solvency II) and {_millions(sst.capital)} ± "
        f"{_millions(sst.std_error)} to meet a 99 % TVaR (Swiss Solvency Test), against "
        f"{_millions(b.available)} available: coverage ratios "
        f"{s2.coverage_ratio(b.available):.0%} and {sst.coverage_ratio(b.available):.0%}.",
        f"The charged premium is {_millions(b.annual_premium)} a year against a technical "
        f"premium of {_millions(float(premium_totals['technical_premium']))} "
        f"(cost of capital {res.config.pricing.cost_of_capital:.0%}, expense ratio "
        f"{res.config.pricing.expense_ratio:.0%}).",
        "Figures after ± are one Monte Carlo standard error; each simulated year is "
        f"independent ({res.config.run.n_years:,} years, seed {res.config.run.seed}).",
    ]
    provisions = totals.to_frame("USD")
    return Section(
        "summary", "Summary", paragraphs=paragraphs,
        tables=[
            Table("headline_capital", "Required backstop capital against available capital",
                  head, formats={"coverage ratio": PCT}),
            Table("technical_provisions",
                  f"Technical provisions at {res.config.run.valuation_date}", provisions),
        ],
    )


def _data(m: MarketModels) -> Section:
    hacks = m.hacks.assign(year=m.hacks["date"].dt.year)
    per_year = pd.crosstab(hacks["year"], hacks["category"], margins=True, margins_name="total")
    per_year["loss USD M"] = (hacks.groupby("year")["amount_usd"].sum() / 1e6).reindex(
        per_year.index
    )
    per_year.loc["total", "loss USD M"] = hacks["amount_usd"].sum() / 1e6
    per_year[f">= {m.threshold / 1e6:g}M"] = (
        hacks[hacks["amount_usd"] >= m.threshold].groupby("year").size().reindex(per_year.index)
    )
    per_year.loc["total", f">= {m.threshold / 1e6:g}M"] = len(m.sample)
    largest = (
        hacks.nlargest(10, "amount_usd")[["date", "name", "category", "technique",
                                          "amount_usd", "returned_usd"]]
        .assign(date=lambda d: d["date"].dt.strftime("%Y-%m-%d"))
        .reset_index(drop=True)
    )
    largest.index += 1
    depeg = m.depegs.groupby("design").agg(
        episodes=("id", "size"), coins=("stablecoin", "nunique"),
        lowest_price=("min_price", "min"), median_days_below=("days_below_0.98", "median"),
    )
    defaults = m.defaults.groupby("type").agg(
        events=("id", "size"), exposure_usd=("exposure_usd", "sum"),
        mean_recovery=("recovery_rate", "mean"),
    )
    ax = _axes(8, 3.2)
    counts = hacks.groupby(["year", "category"]).size().unstack(fill_value=0)
    counts.plot.bar(stacked=True, ax=ax, width=0.8)
    ax.set_ylabel("incidents")
    ax.set_title("Hacks per year and category (all recorded, >= USD 1M)")
    ax.legend(ncol=3, fontsize=8)
    return Section(
        "data", "Data",
        paragraphs=[
            f"The hack record holds {len(m.hacks)} incidents from "
            f"{m.hacks['date'].min():%Y-%m-%d} to {m.hacks['date'].max():%Y-%m-%d}. It is "
            f"complete above USD {m.threshold:,.0f} ({len(m.sample)} incidents), the "
            "threshold at which the severity fits are truncated; smaller incidents are "
            "documented where a public record was found and are not used in the fits.",
            "Every row carries the URL of a public source (post-mortem, exchange statement, "
            "court filing or news report); amounts are USD at the date of the incident. The "
            "data dictionary (datasets/README.md) lists known gaps and biases, among them the "
            "USD 3.5bn LuBian mining-pool theft of 2020, disclosed only in 2025, which "
            "dominates the loss total.",
            f"Depegs: {len(m.depegs)} episodes below 0.98 of {m.depegs['stablecoin'].nunique()} "
            f"stablecoins; defaults: {len(m.defaults)} credit events of lenders and protocols.",
        ],
        tables=[
            Table("hacks_per_year", "Hacks per year and category, and gross loss", per_year,
                  float_format="{:,.0f}"),
            Table("largest_hacks", "Ten largest hacks (USD at the time)", largest),
            Table("depegs_by_design", "Depeg episodes by stablecoin design", depeg,
                  float_format="{:,.3f}"),
            Table("defaults_by_type", "Credit events by type", defaults),
        ],
        figures=[figure_from_axes(ax, "hacks_per_year", "Hacks per year and category")],
    )


def _models(m: MarketModels) -> Section:
    comp = m.comparison[["n", "loglik", "aic", "delta_aic", "ks", "ad", "cvm", "tail_index",
                         "finite_mean", "converged"]]
    params = m.chosen.to_frame()
    top = [m.fits[f] for f in m.comparison.index[m.comparison["converged"]][:3]]
    ax_surv = severity.survival_plot(top, ax=_axes(6.4, 4.8))
    ax_surv.set_title("Survival of hacks >= threshold against truncated fits")
    ax_qq = severity.qq_plot(m.chosen, ax=_axes(6.4, 4.8))
    ax_hill = _axes(6, 3.5)
    severity.hill_plot(m.sample["amount_usd"], ax=ax_hill)
    f = m.frequency_fit
    freq = pd.DataFrame({
        "next year": [m.next_year],
        "mean": [float(m.predictive.mean())],
        "99th percentile (with parameter uncertainty)": [float(m.predictive.ppf(0.99))],
        "99th percentile (without)": [float(m.predictive_no_uncertainty.ppf(0.99))],
        "dispersion (Pearson)": [float(f.dispersion)],
        "NB alpha": [float(getattr(f, "alpha", np.nan) or 0.0)],
    }).set_index("next year")
    counts = m.counts.rename(columns={"count": f"hacks >= {m.threshold / 1e6:g}M"})
    market = m.market.summary()
    rates = m.depeg_model.rates
    lgd = m.lgd.to_frame() if hasattr(m.lgd, "to_frame") else pd.DataFrame()
    hill = m.hill
    paragraphs = [
        f"Severity: {len(m.sample)} hacks of at least USD {m.threshold:,.0f}, fitted by maximum "
        "likelihood with left truncation at the threshold (the density of each loss is "
        "divided by the probability of exceeding the threshold). Goodness-of-fit statistics "
        f"are computed against the truncated fit. Chosen: {m.chosen_name}, "
        f"{m.chosen_reason}. The families are close: the tail, not the body, decides "
        "capital, and every cover in the book has a limit.",
        f"Tail: Hill estimate of the tail index at k = {hill.k}: {hill.tail_index:.2f} "
        f"(95 % interval {hill.tail_index - 1.96 * hill.std_err:.2f} to "
        f"{hill.tail_index + 1.96 * hill.std_err:.2f}). An index near or below 1 "
        "means an infinite mean: market-wide losses are priced only with each incident "
        f"capped (here at USD {m.market_cap:,.0f}).",
        f"Frequency: {f.family} fit to annual counts of hacks above the threshold; the "
        "predictive distribution for next year carries the estimation error of the rate "
        "(gamma mixing).",
        "Depegs: episode rates per stablecoin-year by design; lenders: loss given default "
        "fitted as a zero-one-inflated beta to the recorded recovery rates.",
        *m.notes,
    ]
    return Section(
        "models", "Models",
        paragraphs=paragraphs,
        tables=[
            Table("severity_comparison", "Severity families ranked by AIC (truncated MLE)",
                  comp),
            Table("severity_parameters", "Chosen severity: parameters and standard errors",
                  params),
            Table("hack_counts", "Annual counts used for the frequency", counts,
                  float_format="{:,.0f}"),
            Table("frequency", "Predictive count of hacks next year", freq),
            Table("market_losses", "Market annual hack losses (each incident capped), "
                  "simulated with standard errors", market),
            Table("depeg_rates", "Depeg episode rates by design", rates),
            Table("lgd", "Loss given default of lenders", lgd),
        ],
        figures=[
            figure_from_axes(ax_surv, "severity_survival", "Empirical and fitted survival "
                             "(log-log), conditional on the threshold"),
            figure_from_axes(ax_qq, "severity_qq", "QQ plot of the chosen severity"),
            figure_from_axes(ax_hill, "hill", "Hill plot of the tail index across k"),
        ],
    )


def _loss_distribution(b: BookResults, levels: tuple[float, ...]) -> Section:
    sim = b.sim
    table = sim.summary(levels)
    total = np.sort(sim.total)
    surv = 1.0 - np.arange(1, total.size + 1) / total.size
    ax = _axes(7, 3.8)
    keep = surv > 0
    ax.semilogy(total[keep] / 1e6, surv[keep])
    for p in (0.99, 0.995):
        v = float(np.quantile(total, p, method="inverted_cdf")) / 1e6
        ax.axvline(v, ls="--", lw=0.8, color="grey")
        ax.text(v, 0.5, f" VaR {p:.1%}", rotation=90, fontsize=8, va="center")
    ax.set_xlabel("annual claims of the book, USD M")
    ax.set_ylabel("exceedance probability")
    ax.set_title("Exceedance-probability curve")
    contrib = b.allocation_lines["co-tvar"].to_frame()
    return Section(
        "loss-distribution", "Loss distribution",
        paragraphs=[
            f"Annual claims of the book, simulated over {sim.n_years:,} years with the "
            "dependence described under Assumptions. VaR is the lower quantile; TVaR is "
            "VaR + E[(X - VaR)+] / (1 - p), which stays correct with the atom of claim-free "
            "years at zero.",
        ],
        tables=[
            Table("loss_distribution", "Annual claims: mean, VaR and TVaR by line, with "
                  "standard errors", table),
            Table("line_contributions", "Per-line contributions to TVaR (co-TVaR)", contrib),
        ],
        figures=[figure_from_axes(ax, "ep_curve", "Exceedance-probability curve of the "
                                  "book's annual claims")],
    )


def _pricing(b: BookResults) -> Section:
    cols = ["cover_type", "amount_usd", "expected_loss", "risk_load", "expenses",
            "technical_premium", "rate", "charged_premium", "charged_to_technical"]
    table = b.premiums.table[[c for c in cols if c in b.premiums.table.columns]]
    return Section(
        "pricing", "Pricing",
        paragraphs=[
            str(b.premiums).splitlines()[0],
            "Technical premium = expected loss + expenses + cost of capital × allocated "
            "capital; the rate is the technical premium per year of cover amount. A ratio of "
            "charged to technical premium below one marks an underpriced cover.",
        ],
        tables=[
            Table("premiums_by_type", "Premiums by cover type", b.premiums.summary()),
            Table("premiums_by_cover", "Premium per cover", table),
        ],
    )


def _capital(b: BookResults) -> Section:
    alloc = pd.concat(
        {k: v.to_frame()["allocation"] for k, v in b.allocation_lines.items()}, axis=1
    )
    by_cover = b.allocation_covers.to_frame().sort_values("allocation", ascending=False)
    tables = [
        Table("allocation_lines", "Capital allocation by line (three methods)", alloc),
        Table("allocation_covers", "Capital allocation by cover (co-TVaR)", by_cover),
    ]
    if b.layers is not None:
        tables.append(Table("backstop_layers", "Backstop layers: expected loss, probability "
                            "touched and exhausted", b.layers.to_frame()))
    ruin = b.ruin
    at_available = ruin.probability(b.available)
    target = b.ruin_target
    needed = ruin.capital_for(target)
    caps = np.linspace(0.0, max(2.0 * b.available, needed.value * 1.2), 40)
    curve = ruin.curve(caps)
    ax = _axes(7, 3.5)
    ax.semilogy(curve.index.to_numpy() / 1e6, np.maximum(curve["ruin_probability"], 1e-6))
    ax.axvline(b.available / 1e6, ls="--", color="grey")
    ax.set_xlabel("initial capital, USD M")
    ax.set_ylabel(f"probability of ruin within {b.ruin_years} years")
    ax.set_title("Multi-year ruin probability")
    return Section(
        "capital", "Capital",
        paragraphs=[
            f"Probability of ruin within {b.ruin_years} years with the available "
            f"{_millions(b.available)}: {at_available.value:.3%} ± {at_available.std_error:.3%} "
            f"(charged premiums {_millions(b.annual_premium)} a year as income). Capital for "
            f"a {target:.1%} ruin probability: {_millions(needed.value)} ± "
            f"{_millions(needed.std_error)}.",
            "Euler (co-TVaR) allocations add up exactly to the total TVaR; the covariance and "
            "proportional methods are shown for comparison.",
        ],
        tables=tables,
        figures=[figure_from_axes(ax, "ruin_curve", "Ruin probability against initial "
                                  "capital")],
    )


def _sensitivity(b: BookResults) -> Section:
    return Section(
        "sensitivity", "Sensitivity",
        paragraphs=[
            "Required capital under alternative assumptions, each simulated with the same "
            "seed; changes are relative to the base case.",
        ],
        tables=[Table("sensitivity", "Capital under alternative assumptions", b.sensitivity,
                      formats={"VaR change": "{:+.1%}", "TVaR change": "{:+.1%}"})],
    )


def _assumptions(res: ReserveResults) -> Section:
    cfg = res.config
    b = res.book
    bullets = [
        f"Horizon: one year from {cfg.run.start}; valuation date {cfg.run.valuation_date}; "
        f"{cfg.run.n_years:,} simulated years, seed {cfg.run.seed}.",
        f"Dependence: {b.dependence}.",
        f"Pricing: cost of capital {cfg.pricing.cost_of_capital:.0%} on "
        f"{cfg.pricing.measure.upper()} {cfg.pricing.level:.1%} capital; expense ratio "
        f"{cfg.pricing.expense_ratio:.0%}.",
        f"Loss record: completeness threshold USD {cfg.data.completeness_threshold_usd:,.0f}; "
        f"severity families {', '.join(cfg.models.severity_families)}; frequency "
        f"{cfg.models.frequency_family} from {cfg.models.frequency_since}.",
        "Rates and payout distributions of the covers: the risk model table below, each row "
        "with its source (see examples/README.md for the derivations).",
    ]
    prov = res.provenance
    files = pd.DataFrame({"sha256": prov["files"]})
    files.index.name = "file"
    versions = pd.DataFrame({"version": prov["versions"]})
    versions.index.name = "package"
    run = pd.DataFrame({"value": {"seed": str(prov["seed"]), "simulated years":
                                  f"{prov['n_years']:,}", "run at": prov["run_at"],
                                  "run time (s)": str(prov["run_seconds"]),
                                  "platform": prov["platform"]}})
    return Section(
        "assumptions", "Assumptions and provenance",
        bullets=bullets,
        tables=[
            Table("risk_model", "Risk model: incident rates and payout distributions",
                  b.risk_model_frame, index=False),
            Table("run", "Run", run),
            Table("file_hashes", "Input files (SHA-256)", files),
            Table("versions", "Package versions", versions),
        ],
    )


def build_document(res: ReserveResults) -> ReportDocument:
    """Assemble the eight sections of the reserve report."""
    cfg = res.config
    return ReportDocument(
        title=cfg.report.title,
        subtitle=f"{cfg.report.entity} — valuation date {cfg.run.valuation_date}",
        sections=(
            _summary(res),
            _data(res.market),
            _models(res.market),
            _loss_distribution(res.book, cfg.run.levels),
            _pricing(res.book),
            _capital(res.book),
            _sensitivity(res.book),
            _assumptions(res),
        ),
    )


def headline_text(res: ReserveResults) -> str:
    """The headline figures of a run as a few lines of text (for the command line)."""
    b = res.book
    m = res.market
    lines = [f"{res.config.report.title}: {res.config.report.entity}"]
    e = b.sim.estimate("mean")
    lines.append(f"  expected claims        {_millions(e.value)} ± {_millions(e.std_error)}")
    for label, req in b.requirements.items():
        if label.startswith("TVaR"):
            continue
        lines.append(
            f"  {label:<33} {_millions(req.capital)} ± {_millions(req.std_error)}"
            f"  (coverage {req.coverage_ratio(b.available):.0%} of {_millions(b.available)})"
        )
    totals = b.premiums.totals()
    lines.append(
        f"  technical premium      {_millions(float(totals['technical_premium']))} against "
        f"{_millions(b.annual_premium)} charged"
    )
    lines.append(
        f"  technical provisions   {_millions(float(b.reserves.totals()['technical_provisions']))}"
    )
    lines.append(
        f"  market: {m.chosen_name} severity of hacks >= USD {m.threshold:,.0f}, Hill tail "
        f"index {m.hill.tail_index:.2f}; next year's count mean {float(m.predictive.mean()):.1f}"
    )
    return "\n".join(lines)
