"""The reserve-report pipeline: figures consistent with the library called directly."""

import numpy as np
import pandas as pd
import pytest

import actuarial as act


def test_market_fit_matches_direct_fit(demo_results):
    m = demo_results.market
    losses = act.datasets.load_hacks(min_amount=1e7)["amount_usd"]
    direct = act.severity.fit(losses, m.chosen_name, truncation=1e7)
    assert m.chosen.loglik == pytest.approx(direct.loglik, rel=1e-9)
    assert len(m.sample) == len(losses)
    converged = m.comparison[m.comparison["converged"]]
    assert m.chosen_name == converged["aic"].idxmin()


def test_capital_matches_simulation(demo_results):
    b = demo_results.book
    req = b.requirements["Solvency II (VaR 99.5 %)"]
    assert req.capital == pytest.approx(b.sim.quantile(0.995), rel=1e-12)
    sst = b.requirements["Swiss Solvency Test (TVaR 99 %)"]
    assert sst.capital == pytest.approx(act.risk.tvar(b.sim.total, 0.99), rel=1e-9)
    alloc = b.allocation_lines["co-tvar"].to_frame()["allocation"]
    assert alloc.drop("total").sum() == pytest.approx(alloc["total"], rel=1e-9)


def test_sensitivities_move_the_right_way(demo_results):
    s = demo_results.book.sensitivity
    base = s.iloc[0]
    assert s.loc["doubled incident rates", "expected_claims"] > 1.8 * base["expected_claims"]
    assert s.loc["heavier tail (10 % of payout mass to total loss)", "TVaR 99%"] > base["TVaR 99%"]
    assert s.loc["independent lines", "TVaR 99%"] < base["TVaR 99%"]


def test_provenance(demo_results):
    prov = demo_results.provenance
    assert prov["seed"] == demo_results.config.run.seed
    assert any(k.startswith("dataset: hacks") for k in prov["files"])
    assert all(len(h) == 64 for h in prov["files"].values())


def test_same_seed_same_figures(demo_config):
    from actuarial.report import run_book

    a = run_book(demo_config)
    b = run_book(demo_config)
    np.testing.assert_array_equal(a.sim.total, b.sim.total)
    pd.testing.assert_frame_equal(a.sensitivity, b.sensitivity)


def test_report_files(demo_report):
    out = demo_report.parent
    html = demo_report.read_text(encoding="utf-8")
    for key in ("summary", "data", "models", "loss-distribution", "pricing", "capital",
                "sensitivity", "assumptions"):
        assert f'data-section="{key}"' in html
    assert html.count("data:image/png;base64,") >= 6
    assert (out / "reserve-report.xlsx").exists()
    assert (out / "tables" / "premiums-by-cover.csv").exists()
    sheets = pd.read_excel(out / "reserve-report.xlsx", sheet_name=None)
    assert "headline_capital" in sheets


def test_frequency_warnings_reach_the_report(demo_results):
    m = demo_results.market
    f = m.frequency_fit
    if f.family == "negbin" and float(getattr(f, "alpha", 1.0) or 0.0) == 0.0:
        assert any(n.startswith("Frequency fit:") for n in m.notes)


def test_unknown_severity_choice_names_the_key(demo_config):
    from actuarial.exceptions import DataFormatError
    from actuarial.report import fit_market

    cfg = demo_config.model_copy(
        update={"models": demo_config.models.model_copy(update={"severity_choice": "pareto"})}
    )
    with pytest.raises(DataFormatError, match=r"models\.severity_choice"):
        fit_market(cfg)
