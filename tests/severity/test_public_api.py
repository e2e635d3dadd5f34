"""The public names of actuarial.severity are pinned."""

import actuarial.severity as sev

EXPECTED = {
    "FAMILIES", "Family", "HillEstimate", "Param", "SeverityFit", "Spliced", "ThresholdChoice",
    "TrendFit", "compare", "density_plot", "fit", "from_params", "get_family",
    "gof_statistics", "gpd_stability", "hill", "hill_plot", "hill_table",
    "layer_expected_value", "left_truncated", "limited_expected_value", "mean_excess",
    "mean_excess_plot",
    "pp_plot", "qq_plot", "select_threshold", "spliced_gen", "stability_plot",
    "survival_plot", "trend",
}


def test_public_names():
    assert set(sev.__all__) == EXPECTED
    assert all(hasattr(sev, name) for name in EXPECTED)


def test_family_catalogue():
    assert [*sev.FAMILIES, "spliced"] == [
        "lognormal", "gamma", "weibull", "lomax", "pareto", "burr12", "loglogistic",
        "invgamma", "gpd", "spliced",
    ]
