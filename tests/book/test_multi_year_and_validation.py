"""Book: per-year crisis draws, dependence names, validating constructor, layering."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from actuarial.book import Book, IncidentModel, PayoutMixture, RiskModel, simulate_book
from actuarial.dependence import (
    Copula,
    CrisisShock,
    Dependence,
    GaussianCopula,
    StudentTCopula,
)
from actuarial.exceptions import DataFormatError, InvalidInputError

PACKAGE = Path(__file__).resolve().parents[2] / "actuarial"

# every incident pays 1 % of the 1e6 amount: claims / 1e4 is the number of incidents, and the
# cap of a cover's payments at its amount (100 incidents) is never reached
RATE, P, M, UNIT = 0.8, 0.25, 4.0, 1e4
ONE_PERCENT = RiskModel({("hack", "*"): IncidentModel(RATE, PayoutMixture({0.01: 1.0}))})


def _book(start="2026-01-01", end="2036-01-01"):
    return Book.from_frame(pd.DataFrame({
        "cover_id": ["A"], "cover_type": ["hack"], "subject": ["P"], "category": ["c"],
        "amount_usd": [1e6], "start": [start], "end": [end], "premium_usd": [1.0],
    }))


def _per_period(length, factors):
    """E[exp(-lambda)] and E[lambda], Var[lambda] of one period's Poisson mean."""
    f0, f1 = factors
    lam = np.array([f0, f1]) * RATE * length
    w = np.array([1 - P, P])
    return w @ np.exp(-lam), w @ lam, w @ lam**2 - (w @ lam) ** 2


@pytest.mark.parametrize("horizon", [2.5, 3.0])
def test_multi_year_horizon_draws_one_crisis_per_year(horizon):
    shock = CrisisShock(P, {"hack": M})
    n = 200_000
    sim = simulate_book(_book(), ONE_PERCENT, n, start="2026-01-01", horizon_years=horizon,
                        dependence=Dependence(crisis=shock), rng=11)
    lengths = [1.0, 1.0, 0.5] if horizon == 2.5 else [1.0, 1.0, 1.0]
    assert sim.crisis_years.shape == (n, 3)
    # the years' crisis indicators are independent Bernoulli(P)
    np.testing.assert_allclose(sim.crisis_years.mean(axis=0), P, atol=4 * np.sqrt(P / n))
    k = sim.crisis_years.sum(axis=1)
    counts = np.bincount(k, minlength=4) / n
    np.testing.assert_allclose(counts, stats.binom(3, P).pmf(range(4)), atol=0.004)
    np.testing.assert_array_equal(sim.crisis, k > 0)
    # number of incidents: a mixture of Poissons, independent across the years
    count = np.rint(sim.total / UNIT)
    parts = [_per_period(length, shock.factors("hack")) for length in lengths]
    p_zero = np.prod([p[0] for p in parts])
    mean = sum(p[1] for p in parts)
    var = sum(p[1] + p[2] for p in parts)
    assert (count == 0).mean() == pytest.approx(p_zero, abs=4 * np.sqrt(p_zero / n))
    assert count.mean() == pytest.approx(mean, abs=4 * np.sqrt(var / n))
    # one draw for the whole horizon would give Var = E[L] + Var(sum of lambdas) with
    # perfectly correlated years: much larger than the per-year value
    assert count.var() == pytest.approx(var, rel=0.03)


def test_one_year_horizon_keeps_one_crisis_column():
    sim = simulate_book(_book(end="2027-01-01"), ONE_PERCENT, 1_000, start="2026-01-01",
                        dependence=Dependence(crisis=CrisisShock(P, {"hack": M})), rng=1)
    assert sim.crisis_years.shape == (1_000, 1)
    assert sim.crisis.shape == (1_000,)


def test_copula_reordering_keeps_crisis_years_common_over_a_multi_year_horizon():
    book = Book.from_frame(pd.DataFrame({
        "cover_id": ["A", "B"], "cover_type": ["hack", "depeg"], "subject": ["P", "U"],
        "category": ["c", "f"], "amount_usd": [1e6, 1e6], "start": ["2026-01-01"] * 2,
        "end": ["2029-01-01"] * 2, "premium_usd": [1.0, 1.0],
    }))
    model = RiskModel({("hack", "*"): IncidentModel(RATE, PayoutMixture({0.01: 1.0})),
                       ("depeg", "*"): IncidentModel(RATE, PayoutMixture({0.01: 1.0}))})
    dep = Dependence(crisis=CrisisShock(P, {"hack": 20.0, "depeg": 20.0}, preserve_mean=False),
                     copula=GaussianCopula([[1.0, 0.5], [0.5, 1.0]]), lines=("hack", "depeg"))
    sim = simulate_book(book, model, 40_000, start="2026-01-01", horizon_years=3,
                        dependence=dep, rng=4)
    # every line's claims must still match its own crisis years: E[N | k crisis years]
    k = sim.crisis_years.sum(axis=1)
    for j in range(2):
        n_inc = sim.claims[:, j] / UNIT
        for years in range(4):
            sel = k == years
            expected = RATE * ((3 - years) + 20.0 * years)
            se = np.sqrt(expected / sel.sum())
            assert n_inc[sel].mean() == pytest.approx(expected, abs=5 * se + 1e-9)


def test_unknown_cover_types_in_dependence_are_refused():
    book = _book(end="2027-01-01")
    typo = Dependence(crisis=CrisisShock(0.1, {"hack": 2.0, "depge": 3.0}))
    with pytest.raises(InvalidInputError, match=r"dependence.crisis.multipliers.*'depge'"):
        simulate_book(book, ONE_PERCENT, 100, start="2026-01-01", dependence=typo)
    lines = Dependence(copula=GaussianCopula([[1.0, 0.2], [0.2, 1.0]]), lines=("hack", "hacks"))
    with pytest.raises(InvalidInputError, match=r"dependence.lines.*'hacks'"):
        simulate_book(book, ONE_PERCENT, 100, start="2026-01-01", dependence=lines)


def test_book_constructor_validates():
    raw = pd.DataFrame({
        "cover_id": [" A "], "cover_type": ["HACK"], "subject": ["P"], "category": ["c"],
        "amount_usd": ["1e6"], "start": ["2026-01-01"], "end": ["2027-01-01"],
        "premium_usd": [1.0],
    })
    book = Book(raw)
    assert book.cover_ids == ("A",)
    assert book.lines == ("hack",)
    assert book.covers["limit"].iloc[0] == np.inf
    assert pd.api.types.is_datetime64_any_dtype(book.covers["start"])
    with pytest.raises(DataFormatError, match="column 'amount_usd'"):
        Book(raw.assign(amount_usd=-1.0))
    with pytest.raises(DataFormatError, match="missing column"):
        Book(raw.drop(columns="end"))
    # derived books stay valid and equal to the source rows
    assert book.in_force("2026-01-01", "2026-02-01").covers.equals(book.covers)


def test_no_module_outside_book_imports_its_private_modules():
    offenders = [
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if p.parent.name != "book" and "book._" in p.read_text(encoding="utf-8")
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "copula",
    [GaussianCopula([[1.0, 0.3], [0.3, 1.0]]), StudentTCopula([[1.0, 0.3], [0.3, 1.0]], df=3)],
    ids=["gaussian", "t"],
)
def test_copula_scores_take_keyword_only_rng(copula):
    a = copula.scores(100, rng=6)
    np.testing.assert_array_equal(a, copula.scores(100, rng=np.random.default_rng(6)))
    assert a.shape == (100, 2)
    with pytest.raises(TypeError):
        copula.scores(100, np.random.default_rng(6))  # type: ignore[misc]
    with pytest.raises(InvalidInputError, match="n"):
        copula.scores(-1, rng=1)
    assert isinstance(copula, Copula)
