"""Book of covers: validation, risk model, simulation against independent calculations."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, special, stats

import actuarial as act
from actuarial.book import (
    Book,
    IncidentModel,
    PayoutMixture,
    RiskModel,
    read_book,
    simulate_book,
)
from actuarial.dependence import (
    CrisisShock,
    Dependence,
    GaussianCopula,
    StudentTCopula,
    exchangeable_correlation,
    reorder_by_copula,
)
from actuarial.exceptions import DataFormatError, InvalidInputError, InvalidTypeError

EXAMPLES = Path(__file__).parents[2] / "examples"
START = "2026-01-01"


def frame(**over):
    base = {
        "cover_id": ["A", "B", "C", "D"],
        "cover_type": ["hack", "hack", "depeg", "default"],
        "subject": ["Aave v3", "Aave v3", "USDC", "Maple"],
        "category": ["lending", "lending", "fiat-backed", "onchain-credit"],
        "amount_usd": [1e6, 2e6, 3e6, 1e6],
        "start": ["2026-01-01"] * 4,
        "end": ["2027-01-01"] * 4,
        "premium_usd": [2e4, 4e4, 3e4, 5e4],
    }
    base.update(over)
    return pd.DataFrame(base)


MODEL = RiskModel(
    {
        ("hack", "lending"): IncidentModel(0.3, stats.beta(1, 3)),
        ("depeg", "fiat-backed"): IncidentModel(0.2, PayoutMixture({0.0: 0.5}, stats.beta(2, 5))),
        ("default", "*"): IncidentModel(0.1, stats.beta(2, 1)),
    }
)


# --- validation -------------------------------------------------------------------------


def test_example_book_reads():
    book = read_book(EXAMPLES / "book.csv")
    assert len(book) >= 30
    assert set(book.lines) == {"hack", "depeg", "default"}
    model = RiskModel.read_csv(EXAMPLES / "risk_model.csv")
    for r in book.covers.itertuples():
        model.lookup(r.cover_type, r.category)


@pytest.mark.parametrize(
    ("column", "values", "needle"),
    [
        ("cover_type", ["hack", "hack", "flood", "default"],
         "row 2 (cover 'C'), column 'cover_type'"),
        ("amount_usd", [1e6, -2e6, 3e6, 1e6], "row 1 (cover 'B'), column 'amount_usd'"),
        ("end", ["2027-01-01", "2027-01-01", "2027-01-01", "2025-06-01"],
         "row 3 (cover 'D'), column 'end'"),
        ("start", ["2026-01-01", "not a date", "2026-01-01", "2026-01-01"], "column 'start'"),
        ("cover_id", ["A", "A", "C", "D"], "duplicate"),
        ("premium_usd", [1.0, 2.0, "x", 4.0], "row 2 (cover 'C'), column 'premium_usd'"),
    ],
)
def test_bad_rows_name_row_and_column(column, values, needle):
    with pytest.raises(DataFormatError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        Book.from_frame(frame(**{column: values}))


def test_csv_errors_name_the_line(tmp_path):
    p = tmp_path / "book.csv"
    frame(amount_usd=[1e6, 2e6, 0.0, 1e6]).to_csv(p, index=False)
    with pytest.raises(DataFormatError, match=r"line 4 \(cover 'C'\), column 'amount_usd'"):
        read_book(p)


def test_missing_column_and_inconsistent_category():
    with pytest.raises(DataFormatError, match="missing column"):
        Book.from_frame(frame().drop(columns="premium_usd"))
    with pytest.raises(DataFormatError, match="different categories"):
        Book.from_frame(frame(category=["lending", "dex", "fiat-backed", "x"]))
    with pytest.raises(DataFormatError, match="deductible"):
        Book.from_frame(frame(deductible=[0, 5e6, 0, 0]))


def test_cover_outside_horizon_and_unknown_category():
    book = Book.from_frame(
        frame(start=["2024-01-01"] * 4, end=["2025-01-01"] * 3 + ["2027-01-01"])
    )
    with pytest.raises(InvalidInputError, match=r"row 0 .*outside the horizon"):
        simulate_book(book, MODEL, 10, start=START, rng=0)
    assert len(book.in_force(START, "2027-01-01")) == 1
    model = RiskModel({("hack", "dex"): IncidentModel(0.1, stats.beta(1, 1))})
    with pytest.raises(InvalidInputError, match=r"row 0 .*cover_type.*category"):
        simulate_book(Book.from_frame(frame()), model, 10, start=START, rng=0)


def test_model_validation():
    with pytest.raises(InvalidInputError, match="unknown cover type"):
        RiskModel({("flood", "x"): IncidentModel(0.1, stats.beta(1, 1))})
    with pytest.raises(InvalidInputError, match=r"\[0, 1\]"):
        IncidentModel(0.1, stats.expon())
    with pytest.raises(InvalidInputError, match="rate"):
        IncidentModel(-0.1, stats.beta(1, 1))
    with pytest.raises(InvalidTypeError, match="IncidentModel"):
        RiskModel({("hack", "x"): 0.1})


# --- payout distributions and closed forms ----------------------------------------------


def test_payout_mixture_matches_closed_form():
    pay = PayoutMixture({0.0: 0.2, 1.0: 0.1}, stats.beta(2, 3))
    assert pay.mean() == pytest.approx(0.1 + 0.7 * 0.4)
    assert pay.cdf(0.0) == pytest.approx(0.2)
    assert pay.cdf(0.5) == pytest.approx(0.2 + 0.7 * stats.beta(2, 3).cdf(0.5))
    assert pay.ppf(0.1) == 0.0 and pay.ppf(0.95) == 1.0
    x = pay.rvs(size=200_000, random_state=np.random.default_rng(1))
    assert np.mean(x == 0) == pytest.approx(0.2, abs=0.005)
    assert np.mean(x == 1) == pytest.approx(0.1, abs=0.004)
    assert x.mean() == pytest.approx(pay.mean(), abs=0.004)


def test_expected_payment_closed_form():
    # Beta(a, b): E[(AX - d)+ ^ L] = A [E(X ^ h) - E(X ^ l)] with the limited expected value
    # E[X ^ u] = u (1 - I_u(a, b)) + a / (a + b) I_u(a + 1, b)
    a, b, amount, d, lim = 2.0, 3.0, 1e6, 1e5, 3e5

    def lev(u):
        return u * (1 - special.betainc(a, b, u)) + a / (a + b) * special.betainc(a + 1, b, u)

    expected = amount * (lev((d + lim) / amount) - lev(d / amount))
    m = IncidentModel(0.1, stats.beta(a, b))
    assert m.expected_payment(amount, d, lim) == pytest.approx(expected, rel=1e-8)
    mix = IncidentModel(0.1, PayoutMixture({1.0: 0.3}, stats.beta(a, b)))
    assert mix.expected_payment(amount) == pytest.approx(amount * (0.3 + 0.7 * 0.4), rel=1e-8)


# --- simulation ---------------------------------------------------------------------------


def test_one_cover_book_matches_exact_compound_poisson():
    """One cover: claims = min(sum of layer(A X_i), A), N ~ Poisson(rate): FFT by act.aggregate."""
    rate, amount, d, lim = 0.8, 1e6, 5e4, 6e5
    book = Book.from_frame(
        pd.DataFrame({"cover_id": ["X"], "cover_type": ["hack"], "subject": ["P"],
                      "category": ["c"], "amount_usd": [amount], "start": [START],
                      "end": ["2027-01-01"], "premium_usd": [0.0], "deductible": [d],
                      "limit": [lim]})
    )
    model = RiskModel({("hack", "c"): IncidentModel(rate, stats.beta(1.5, 2.5))})
    sim = simulate_book(book, model, 200_000, start=START, rng=11)
    line = act.CompoundModel(
        stats.poisson(rate), stats.beta(1.5, 2.5, scale=amount),
        act.Layer(deductible=d, limit=lim, aggregate_limit=amount),
    )
    exact = act.aggregate(line, method="fft")
    e = sim.estimate("mean")
    assert abs(e.value - exact.mean()) < 4 * e.std_error
    for p in (0.9, 0.99):
        v = sim.estimate("var", p)
        assert v.ci_low - 0.01 * amount <= exact.quantile(p) <= v.ci_high + 0.01 * amount
        t = sim.estimate("tvar", p)
        assert abs(t.value - exact.tvar(p)) < 4 * t.std_error + 0.005 * amount
    # P(no claim) = exp(-rate) + P(N >= 1, all payouts 0)  (here payouts are a.s. > 0 only above d)
    p_le = stats.beta(1.5, 2.5).cdf(d / amount)
    p0 = np.exp(-rate * (1 - p_le))
    assert np.mean(sim.total == 0) == pytest.approx(p0, abs=4 * np.sqrt(p0 * (1 - p0) / 2e5))


def test_concentration_same_subject_same_incidents():
    sim = simulate_book(Book.from_frame(frame()), MODEL, 20_000, start=START, rng=3)
    a, b = sim.claims[:, 0], sim.claims[:, 1]
    np.testing.assert_allclose(b, 2 * a)  # same payout fraction, amounts 1e6 and 2e6


def test_pro_rata_exposure_and_closed_form_mean():
    book = Book.from_frame(frame(start=["2026-01-01", "2026-07-02", "2026-01-01", "2026-01-01"]))
    sim = simulate_book(book, MODEL, 100_000, start=START, rng=5)
    table = sim.expected_claims()
    z = (table["simulated"] - table["closed_form_uncapped"]) / table["std_error"]
    assert np.all(np.abs(z) < 4.5), z
    # cover B is in force for half the year: half the incidents of A's subject
    assert table.loc["B", "closed_form_uncapped"] == pytest.approx(
        2 * table.loc["A", "closed_form_uncapped"] * 183 / 365, rel=1e-9
    )


def test_same_result_for_any_number_of_workers():
    book = Book.from_frame(frame())
    one = simulate_book(book, MODEL, 3_000, start=START, rng=9, chunk_size=1_000)
    two = simulate_book(book, MODEL, 3_000, start=START, rng=9, chunk_size=1_000, n_jobs=2)
    np.testing.assert_array_equal(one.claims, two.claims)
    pytest.importorskip("dask")
    three = simulate_book(book, MODEL, 3_000, start=START, rng=9, chunk_size=1_000,
                          backend="dask")
    np.testing.assert_array_equal(one.claims, three.claims)


def test_spawned_seed_reproduces_the_book():
    book = Book.from_frame(frame())
    child = np.random.SeedSequence(4).spawn(3)[2]
    a = simulate_book(book, MODEL, 2_000, start=START, rng=child, chunk_size=700)
    b = simulate_book(book, MODEL, 2_000, start=START, rng=a.seed_sequence, chunk_size=700)
    np.testing.assert_array_equal(a.claims, b.claims)


def test_zero_dependence_book_is_sum_of_independent_lines():
    book = Book.from_frame(frame())
    full = simulate_book(book, MODEL, 50_000, start=START, rng=21)
    parts = [
        simulate_book(book.select(cover_type=t), MODEL, 50_000, start=START, rng=21).total
        for t in book.lines
    ]
    np.testing.assert_array_equal(full.line_losses, np.column_stack(parts))
    np.testing.assert_allclose(full.total, np.sum(parts, axis=0))
    rho = stats.spearmanr(full.line_losses).statistic
    assert np.all(np.abs(rho[np.triu_indices(3, 1)]) < 0.02)
    # distribution of the total = convolution of the lines: compare with an independent
    # re-pairing of the same line samples
    rng = np.random.default_rng(0)
    shuffled = sum(rng.permutation(p) for p in parts)
    assert stats.ks_2samp(full.total, shuffled).pvalue > 1e-3


def test_copula_keeps_marginals_and_adds_dependence():
    book = Book.from_frame(frame())
    dep = Dependence(copula=GaussianCopula(exchangeable_correlation(3, 0.9)),
                     lines=("hack", "depeg", "default"))
    ind = simulate_book(book, MODEL, 50_000, start=START, rng=4, chunk_size=25_000)
    cop = simulate_book(book, MODEL, 50_000, start=START, rng=4, chunk_size=25_000,
                        dependence=dep)
    for j in range(3):
        for c in range(2):
            sl = slice(c * 25_000, (c + 1) * 25_000)
            np.testing.assert_array_equal(
                np.sort(ind.line_losses[sl, j]), np.sort(cop.line_losses[sl, j])
            )
    corr = np.corrcoef(cop.line_losses.T)
    assert corr[0, 1] > 0.3 and corr[1, 2] > 0.2
    assert cop.tvar(0.99) > ind.tvar(0.99)
    assert abs(cop.mean() - ind.mean()) < 1e-6 * ind.mean()


def test_crisis_preserves_mean_and_couples_lines():
    book = Book.from_frame(frame())
    dep = Dependence(crisis=CrisisShock(0.1, {"hack": 4.0, "depeg": 4.0, "default": 4.0}))
    sim = simulate_book(book, MODEL, 100_000, start=START, rng=8, dependence=dep)
    ind = simulate_book(book, MODEL, 100_000, start=START, rng=8)
    se = np.hypot(sim.estimate("mean").std_error, ind.estimate("mean").std_error)
    assert abs(sim.mean() - ind.mean()) < 4 * se
    assert sim.crisis.mean() == pytest.approx(0.1, abs=0.004)
    hot = sim.line_losses[sim.crisis].mean(axis=0) / sim.line_losses[~sim.crisis].mean(axis=0)
    assert np.all(hot > 2.5)
    assert np.corrcoef(sim.line_losses.T)[0, 1] > 0.02


def test_copula_must_name_every_line():
    dep = Dependence(copula=GaussianCopula(exchangeable_correlation(2, 0.5)),
                     lines=("hack", "depeg"))
    with pytest.raises(InvalidInputError, match="default"):
        simulate_book(Book.from_frame(frame()), MODEL, 10, start=START, rng=0, dependence=dep)


# --- dependence module --------------------------------------------------------------------


def test_reorder_reaches_gaussian_spearman():
    x = np.random.default_rng(0).lognormal(size=(40_000, 2))
    perm = reorder_by_copula(x, GaussianCopula([[1, 0.6], [0.6, 1]]), rng=1)
    y = np.column_stack([x[perm[:, j], j] for j in range(2)])
    target = 6 / np.pi * np.arcsin(0.3)  # Spearman's rho of the Gaussian copula
    assert stats.spearmanr(y).statistic == pytest.approx(target, abs=0.015)


def test_t_copula_tail_dependence():
    u = StudentTCopula(exchangeable_correlation(2, 0.5), df=3).sample(400_000, rng=2)
    q = 0.99
    lam_emp = np.mean((u[:, 0] > q) & (u[:, 1] > q)) / (1 - q)
    lam = 2 * stats.t.cdf(-np.sqrt(4 * 0.5 / 1.5), df=4)  # limit as q -> 1
    assert lam_emp == pytest.approx(lam, abs=0.08)
    assert lam_emp > 0.25


def test_dependence_validation():
    with pytest.raises(InvalidInputError, match="positive semi-definite"):
        GaussianCopula([[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]])
    with pytest.raises(InvalidInputError, match="probability"):
        CrisisShock(1.5, {})
    with pytest.raises(InvalidInputError, match="lines"):
        Dependence(copula=GaussianCopula(np.eye(2)), lines=("hack",))


def test_integrate_helper_is_consistent():
    # expected payment by quad on the beta sf equals the direct expectation
    m = IncidentModel(0.1, stats.beta(2, 2))
    direct, _ = integrate.quad(
        lambda x: min(max(1e6 * x - 2e5, 0), 5e5) * stats.beta(2, 2).pdf(x), 0, 1,
        points=[0.2, 0.7],
    )
    assert m.expected_payment(1e6, 2e5, 5e5) == pytest.approx(direct, rel=1e-7)
