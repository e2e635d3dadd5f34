"""The public API is pinned: a change to it is a decision, made here on purpose."""

import importlib

import pytest

import actuarial as act

TOP_LEVEL = {
    "AggregateDistribution",
    "Book",
    "BookSimulation",
    "CompoundModel",
    "CrisisShock",
    "Dependence",
    "GaussianCopula",
    "IncidentModel",
    "Layer",
    "PayoutMixture",
    "Portfolio",
    "RiskModel",
    "Simulation",
    "StudentTCopula",
    "__version__",
    "aggregate",
    "book",
    "capital",
    "collateral_shortfall",
    "datasets",
    "depeg_cover_loss",
    "dependence",
    "exceptions",
    "fit_depeg_model",
    "fit_lgd",
    "frequency",
    "perils",
    "pricing",
    "read_book",
    "report",
    "required_capital",
    "risk",
    "severity",
    "simulate",
    "simulate_book",
    "terms",
    "volatility",
}

MODULES = {
    "datasets": {
        "CleanedPrices",
        "DroppedRowsWarning",
        "annual_counts",
        "bundled_files",
        "check_price_series",
        "clean_prices",
        "fetch_prices",
        "fill_missing_days",
        "find_depeg_episodes",
        "from_defillama",
        "load_defaults",
        "load_depegs",
        "load_hacks",
        "load_prices",
        "load_stablecoins",
        "log_returns",
        "manifest",
        "mask_bad_prints",
        "mask_stuck_prices",
        "price_cache_dir",
        "read_close",
        "read_events",
        "read_price_file",
        "stablecoin_years",
    },
    "risk": {
        "Estimate",
        "discrete_tvar",
        "discrete_value_at_risk",
        "estimate",
        "exceedance_probability",
        "expected_policyholder_deficit",
        "lower_quantile_index",
        "lower_quantile_sorted",
        "tvar",
        "tvar_from_var",
        "value_at_risk",
    },
    "terms": {
        "Layer",
        "layer_moments",
    },
    "book": {
        "Book",
        "BookSimulation",
        "COVER_TYPES",
        "IncidentModel",
        "PayoutDistribution",
        "PayoutMixture",
        "RiskModel",
        "read_book",
        "simulate_book",
    },
    "capital": {
        "Allocation",
        "CapitalRequirement",
        "LayerAnalysis",
        "ReserveReport",
        "RuinAnalysis",
        "STANDARDS",
        "allocate",
        "backstop_layers",
        "coverage_ratio",
        "read_claims",
        "required_capital",
        "reserves",
        "ruin_analysis",
    },
    "pricing": {
        "PRINCIPLES",
        "PremiumTable",
        "ProportionalHazard",
        "WangTransform",
        "cost_of_capital_premiums",
        "expected_value_premium",
        "exponential_premium",
        "premium",
        "proportional_hazard_premium",
        "standard_deviation_premium",
        "variance_premium",
        "wang_premium",
    },
    "dependence": {
        "Copula",
        "CrisisShock",
        "Dependence",
        "GaussianCopula",
        "StudentTCopula",
        "exchangeable_correlation",
        "reorder_by_copula",
    },
    "perils": {
        "CollateralShortfall",
        "DepegCoverLoss",
        "DepegEpisodeModel",
        "LGDFit",
        "MixedPayout",
        "collateral_shortfall",
        "depeg_cover_loss",
        "depeg_exposure",
        "fit_depeg_model",
        "fit_lgd",
        "load_depeg_exposure",
    },
    "volatility": {
        "CoverageTest",
        "DEFAULT_CANDIDATES",
        "SimulatedPaths",
        "VaRBacktest",
        "VolatilityCalibration",
        "VolatilityFit",
        "VolatilitySpec",
        "backtest",
        "calibrate",
        "calibration_dir",
        "christoffersen_test",
        "fit",
        "from_params",
        "kupiec_test",
        "list_calibrations",
        "ljung_box",
        "load_calibration",
        "select",
    },
    "report": {
        "BookResults",
        "Config",
        "Figure",
        "MarketModels",
        "ReportDocument",
        "ReserveResults",
        "Section",
        "Table",
        "build_document",
        "fit_market",
        "headline_text",
        "load_config",
        "reserve_report",
        "run",
        "run_book",
    },
    "exceptions": {
        "ActuarialError",
        "ActuarialWarning",
        "ConvergenceError",
        "ConvergenceWarning",
        "DataFormatError",
        "GridAccuracyError",
        "InfiniteMeanError",
        "InfiniteMomentError",
        "InfiniteVarianceError",
        "InvalidInputError",
        "InvalidTypeError",
        "MonteCarloWarning",
        "TailMassWarning",
    },
}


def test_top_level_names():
    assert set(act.__all__) == TOP_LEVEL
    assert all(hasattr(act, n) for n in TOP_LEVEL)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_names(module):
    mod = importlib.import_module(f"actuarial.{module}")
    assert set(mod.__all__) == MODULES[module]
    assert all(hasattr(mod, n) for n in MODULES[module])


def test_fixed_design_names():
    """The entry points DESIGN.md fixes exist with their documented names."""
    for name in ("load_hacks", "load_depegs", "load_defaults", "annual_counts"):
        assert callable(getattr(act.datasets, name))
    for name in ("fit", "compare", "hill"):
        assert callable(getattr(act.severity, name))
    assert callable(act.frequency.fit) and callable(act.volatility.fit)
    for name in ("Layer", "CompoundModel", "simulate", "aggregate"):
        assert name in act.__all__
