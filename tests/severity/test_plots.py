"""Plots return Axes and draw the expected data; the product-limit estimator is checked."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from scipy import stats

import actuarial.severity as sev
from actuarial.severity._fitting import make_sample


@pytest.fixture(scope="module")
def data():
    d = stats.lognorm(1.5, scale=1e6)
    u = np.random.default_rng(0).uniform(size=200)
    x = d.isf(u * d.sf(1e6))
    return x, sev.fit(x, "lognormal", truncation=1e6), sev.fit(x, "lomax", truncation=1e6)


def test_product_limit_without_truncation_is_the_ecdf():
    x = np.array([3.0, 1.0, 2.0, 5.0])
    t, before, after = sev.plots.product_limit(make_sample(x))
    np.testing.assert_allclose(t, [1, 2, 3, 5])
    np.testing.assert_allclose(after, [0.75, 0.5, 0.25, 0.0])
    np.testing.assert_allclose(before, [1.0, 0.75, 0.5, 0.25])


def test_product_limit_with_censoring_is_kaplan_meier():
    x = np.array([1.0, 2.0, 2.5, 3.0, 4.0])
    cens = np.array([False, True, False, False, True])
    _, _, after = sev.plots.product_limit(make_sample(x, censoring=cens))
    # KM by hand: 1 - 1/5, then at 2.5 the risk set is 3, at 3 it is 2
    np.testing.assert_allclose(after, [0.8, 0.8 * 2 / 3, 0.8 * 2 / 3 * 1 / 2])


@pytest.mark.parametrize("func", ["qq_plot", "pp_plot", "density_plot"])
def test_fit_plots_return_axes(data, func):
    _, res, _ = data
    ax = getattr(sev, func)(res)
    assert isinstance(ax, plt.Axes) and ax.lines
    plt.close("all")


def test_pp_plot_points_are_the_truncated_cdf(data):
    x, res, _ = data
    ax = sev.pp_plot(res)
    model = ax.lines[0].get_xdata()
    xs = np.sort(x)
    np.testing.assert_allclose(model, 1 - res.dist.sf(xs) / res.dist.sf(1e6))
    plt.close("all")


def test_survival_and_tail_plots(data):
    x, a, b = data
    fig, axes = plt.subplots(1, 4)
    assert sev.survival_plot([a, b], ax=axes[0]) is axes[0]
    assert len(axes[0].lines) == 3
    assert sev.hill_plot(x, ax=axes[1]) is axes[1]
    assert sev.mean_excess_plot(x, ax=axes[2]) is axes[2]
    assert sev.stability_plot(x, ax=axes[3]) is axes[3]
    plt.close(fig)
