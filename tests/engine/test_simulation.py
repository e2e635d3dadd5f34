"""Monte Carlo engine: closed forms, reproducibility, portfolios, bad input."""

import math

import numpy as np
import pytest
from scipy import stats

import actuarial as act
from actuarial.exceptions import InfiniteMeanError, InvalidInputError, InvalidTypeError


@pytest.fixture
def hack_line():
    return act.CompoundModel(
        stats.poisson(3.0),
        stats.lognorm(s=2.0, scale=math.exp(15)),
        act.Layer(deductible=1e6, limit=9.9e7),
        name="hack",
    )


def test_compound_poisson_moments_closed_form():
    lam, theta = 2.5, 3.0
    line = act.CompoundModel(stats.poisson(lam), stats.expon(scale=theta))
    sim = act.simulate(line, 400_000, rng=1)
    # compound Poisson: mean lambda E[X], variance lambda E[X^2]
    assert abs(sim.mean() - lam * theta) < 4 * sim.estimate("mean").std_error
    assert abs(sim.std() ** 2 - lam * 2 * theta**2) < 0.02 * lam * 2 * theta**2
    assert sim.model.analytic_mean() == pytest.approx(lam * theta)
    assert sim.model.analytic_std() == pytest.approx(math.sqrt(lam * 2 * theta**2))


def test_tail_measures_match_closed_form(compound_exponential):
    freq = stats.nbinom(2.5, 0.4)  # non-integer size
    exact = compound_exponential(freq, theta=1.0)
    sim = act.simulate(act.CompoundModel(freq, stats.expon()), 300_000, rng=11)
    for p in (0.9, 0.99):
        ev, et = sim.estimate("var", p), sim.estimate("tvar", p)
        assert abs(ev.value - exact.var(p)) < 4 * ev.std_error
        assert abs(et.value - exact.tvar(p)) < 4 * et.std_error


def test_summary_flags_nothing_on_correct_model(hack_line):
    sim = act.simulate(hack_line, 200_000, rng=3)
    table = sim.summary()
    assert {"simulated", "std_error", "analytic", "z", "flag"} <= set(table.columns)
    assert not table["flag"].any()
    assert table.loc["mean", "analytic"] == pytest.approx(hack_line.analytic_mean())
    assert "TVaR 99.5%" in table.index
    assert "Simulation of 200,000 years" in str(sim)


def test_summary_flags_a_wrong_analytic_value(hack_line):
    # A frequency whose draws follow Poisson(6) but which claims a mean of 3.
    class Liar:
        def __init__(self):
            self.inner = stats.poisson(6.0)

        def pmf(self, k):
            return self.inner.pmf(k)

        def rvs(self, size, random_state):
            return self.inner.rvs(size=size, random_state=random_state)

        def mean(self):
            return 3.0

        def var(self):
            return 3.0

        def ppf(self, q):
            return self.inner.ppf(q)

    line = act.CompoundModel(Liar(), hack_line.severity, hack_line.terms)
    table = act.simulate(line, 50_000, rng=3).summary()
    assert table.loc["mean", "flag"]


def test_same_seed_same_answer_any_workers(hack_line):
    a = act.simulate(hack_line, 30_000, rng=5, chunk_size=7_000)
    b = act.simulate(hack_line, 30_000, rng=5, chunk_size=7_000, n_jobs=2)
    c = act.simulate(hack_line, 30_000, rng=np.random.SeedSequence(5), chunk_size=7_000)
    np.testing.assert_array_equal(a.losses, b.losses)
    np.testing.assert_array_equal(a.losses, c.losses)
    d = act.simulate(hack_line, 30_000, rng=6, chunk_size=7_000)
    assert not np.array_equal(a.losses, d.losses)
    # the recorded entropy reproduces the run
    e = act.simulate(
        hack_line, 30_000, rng=np.random.SeedSequence(a.seed_entropy), chunk_size=7_000
    )
    np.testing.assert_array_equal(a.losses, e.losses)


def test_dask_backend_identical(hack_line):
    pytest.importorskip("dask")
    a = act.simulate(hack_line, 20_000, rng=5, chunk_size=5_000)
    b = act.simulate(hack_line, 20_000, rng=5, chunk_size=5_000, backend="dask")
    np.testing.assert_array_equal(a.losses, b.losses)


def test_generator_rng_is_consumed_reproducibly(hack_line):
    a = act.simulate(hack_line, 1_000, rng=np.random.default_rng(9))
    b = act.simulate(hack_line, 1_000, rng=np.random.default_rng(9))
    np.testing.assert_array_equal(a.losses, b.losses)


def test_per_event_then_aggregate_terms():
    # Deterministic check: one event a year of exactly 10 (a degenerate severity)
    sev = stats.uniform(loc=10.0, scale=1e-12)
    layer = act.Layer(deductible=2.0, limit=5.0, aggregate_deductible=3.0, aggregate_limit=6.0)
    line = act.CompoundModel(stats.binom(2, 1.0), sev, layer)
    sim = act.simulate(line, 10, rng=0)
    # two events pay 5 each -> 10 -> (10 - 3)+ capped at 6
    np.testing.assert_allclose(sim.total, 6.0)


def test_portfolio_lines_add_up(hack_line):
    other = act.CompoundModel(stats.poisson(0.5), stats.expon(scale=2e7), name="depeg")
    book = act.Portfolio([hack_line, other])
    sim = act.simulate(book, 100_000, rng=2)
    np.testing.assert_allclose(sim.total, sim.losses.sum(axis=1))
    assert sim.line_names == ("hack", "depeg")
    assert book.analytic_mean() == pytest.approx(hack_line.analytic_mean() + 1e7)
    assert abs(sim.mean(line="depeg") - 1e7) < 4 * sim.estimate("mean", line="depeg").std_error
    assert abs(sim.mean() - book.analytic_mean()) < 4 * sim.estimate("mean").std_error
    frame = sim.to_frame()
    assert list(frame.columns) == ["hack", "depeg", "total"]
    with pytest.raises(InvalidInputError, match="line"):
        sim.mean(line="custody")


def test_infinite_mean_refused_without_limit():
    sev = stats.lomax(c=0.8, scale=1e6)  # tail index 0.8: infinite mean
    line = act.CompoundModel(stats.poisson(1.0), sev)
    assert not line.has_finite_mean
    sim = act.simulate(line, 1_000, rng=0)
    with pytest.raises(InfiniteMeanError, match="limit"):
        sim.mean()
    with pytest.raises(InfiniteMeanError):
        sim.tvar(0.99)
    assert sim.quantile(0.5) >= 0  # quantiles still exist
    capped = act.CompoundModel(stats.poisson(1.0), sev, act.Layer(limit=1e8))
    assert capped.has_finite_mean
    assert math.isfinite(act.simulate(capped, 1_000, rng=0).mean())


def test_memory_chunks_cover_all_years(hack_line):
    sim = act.simulate(hack_line, 25_001, rng=1, chunk_size=1_000)
    assert sim.n_years == 25_001
    assert np.isfinite(sim.losses).all()


def test_bad_input():
    sev = stats.expon()
    with pytest.raises(InvalidTypeError, match="frequency"):
        act.CompoundModel(stats.norm(), sev)
    with pytest.raises(InvalidTypeError, match="severity"):
        act.CompoundModel(stats.poisson(1), stats.poisson(2))
    with pytest.raises(InvalidTypeError, match="severity"):
        act.CompoundModel(stats.poisson(1), object())
    with pytest.raises(InvalidInputError, match="severity"):
        act.CompoundModel(stats.poisson(1), stats.norm())
    with pytest.raises(InvalidTypeError, match="terms"):
        act.CompoundModel(stats.poisson(1), sev, terms={"deductible": 1})
    line = act.CompoundModel(stats.poisson(1), sev)
    with pytest.raises(InvalidInputError, match="n_years"):
        act.simulate(line, 0)
    with pytest.raises(InvalidTypeError, match="n_years"):
        act.simulate(line, 1.5)
    with pytest.raises(InvalidTypeError, match="rng"):
        act.simulate(line, 10, rng="seed")
    with pytest.raises(InvalidInputError, match="backend"):
        act.simulate(line, 10, backend="spark")
    with pytest.raises(InvalidTypeError, match="model"):
        act.simulate([line], 10)
    sim = act.simulate(line, 100, rng=0)
    with pytest.raises(InvalidInputError, match="p"):
        sim.quantile(1.0)
    with pytest.raises(InvalidInputError, match="unique"):
        act.Portfolio([line, line])
    with pytest.raises(InvalidInputError, match="at least one"):
        act.Portfolio([])


def test_poisson_process_construction_matches_counts(compound_exponential):
    # The Poisson fast path (events placed uniformly in years) has the compound-Poisson law:
    # P(S = 0) = exp(-lambda) and the tail agrees with the closed form.
    freq = stats.poisson(1.5)
    exact = compound_exponential(freq, theta=1.0)
    sim = act.simulate(act.CompoundModel(freq, stats.expon()), 300_000, rng=8)
    zero = sim.estimate("exceedance", 0.0)
    assert abs((1 - zero.value) - math.exp(-1.5)) < 4 * zero.std_error
    et = sim.estimate("tvar", 0.99)
    assert abs(et.value - exact.tvar(0.99)) < 4 * et.std_error


def test_spawned_seed_sequence_reproduces(hack_line):
    child = np.random.SeedSequence(7).spawn(2)[1]
    a = act.simulate(hack_line, 5_000, rng=child, chunk_size=2_000)
    b = act.simulate(hack_line, 5_000, rng=a.seed_sequence, chunk_size=2_000)
    np.testing.assert_array_equal(a.losses, b.losses)


def test_exceedance_input():
    sim = act.simulate(act.CompoundModel(stats.poisson(1), stats.expon()), 1_000, rng=0)
    assert sim.exceedance(math.inf) == 0.0
    with pytest.raises(InvalidInputError, match="x"):
        sim.exceedance(math.nan)
    with pytest.raises(InvalidTypeError, match="x"):
        sim.exceedance("big")


def test_infinite_variance_refuses_std_but_keeps_mean():
    from actuarial.exceptions import InfiniteVarianceError

    line = act.CompoundModel(stats.poisson(1.0), stats.lomax(1.5, scale=1.0))  # tail index 1.5
    assert line.has_finite_mean and not line.has_finite_variance
    sim = act.simulate(line, 50_000, rng=2)
    assert abs(sim.mean() - 2.0) < 0.5  # E[X] = 1 / (1.5 - 1)
    with pytest.raises(InfiniteVarianceError, match="variance"):
        sim.std()
    assert "std" not in sim.summary().index
    capped = act.CompoundModel(stats.poisson(1.0), stats.lomax(1.5), act.Layer(limit=10.0))
    assert capped.has_finite_variance
