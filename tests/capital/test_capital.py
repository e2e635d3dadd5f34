"""Required capital, ruin, layers, allocation and reserves against closed forms."""

import math

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from actuarial import capital
from actuarial.book import Book, IncidentModel, RiskModel, simulate_book
from actuarial.exceptions import DataFormatError, InvalidInputError
from actuarial.risk import tvar, value_at_risk

M = 1e6


@pytest.fixture(scope="module")
def expo():
    return np.random.default_rng(5).exponential(M, size=400_000)


# --- required capital ---------------------------------------------------------------------


def test_required_capital_exponential_closed_forms(expo):
    s2 = capital.required_capital(expo, premiums=2e5, expenses=5e4, standard="solvency2")
    closed = -M * math.log(0.005) - 2e5 + 5e4
    assert abs(s2.capital - closed) < 4 * s2.std_error
    assert s2.ci_low < closed < s2.ci_high
    sst = capital.required_capital(expo, standard="sst")
    assert abs(sst.capital - M * (1 + math.log(100))) < 4 * sst.std_error
    rp = capital.required_capital(expo, return_period=200)
    assert rp.level == pytest.approx(0.995) and rp.capital == s2.capital + 2e5 - 5e4
    assert s2.coverage_ratio(2 * s2.capital) == pytest.approx(2.0)


def test_required_capital_multi_year(expo):
    two = capital.required_capital(expo, premiums=[1e6, 1e6], measure="var", level=0.99,
                                   horizon_years=2)
    # sum of two independent Exp(M) is Gamma(2, M)
    closed = stats.gamma(2, scale=M).ppf(0.99) - 2e6
    assert abs(two.capital - closed) < 4 * two.std_error
    paths = expo.reshape(-1, 2)
    same = capital.required_capital(paths, premiums=1e6, level=0.99, horizon_years=2)
    assert same.capital == two.capital


def test_required_capital_bad_input(expo):
    with pytest.raises(InvalidInputError, match="level"):
        capital.required_capital(expo, level=1.0)
    with pytest.raises(InvalidInputError, match="level"):
        capital.required_capital(expo, level=0.0)
    with pytest.raises(InvalidInputError, match="contradicts"):
        capital.required_capital(expo, standard="sst", measure="var")
    with pytest.raises(InvalidInputError, match="standard"):
        capital.required_capital(expo, standard="basel")
    with pytest.raises(InvalidInputError, match="measure"):
        capital.required_capital(expo, measure="epd")
    with pytest.raises(InvalidInputError, match=r"column\(s\)"):
        capital.required_capital(np.ones((10, 3)), horizon_years=2)
    with pytest.raises(InvalidInputError, match="premiums"):
        capital.required_capital(expo, premiums=-1.0)
    with pytest.raises(InvalidInputError, match="positive"):
        capital.coverage_ratio(1.0, -5.0)


# --- ruin ---------------------------------------------------------------------------------


def _ruined_by_loop(paths, u, p, e, r):
    """Direct surplus recursion, one path at a time (independent of the vectorised solver)."""
    out = 0
    for row in paths:
        s = u
        for c in row:
            s = (s + p - e) * (1 + r) - c
            if s < 0:
                out += 1
                break
    return out / len(paths)


def test_ruin_matches_direct_recursion_and_decreases():
    paths = np.random.default_rng(1).exponential(1.0, size=(4_000, 5))
    ra = capital.ruin_analysis(paths, horizon_years=5, premiums=1.1, expenses=0.1,
                               return_on_assets=0.04)
    caps = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0]
    probs = [ra.probability(u).value for u in caps]
    for u, p in zip(caps, probs, strict=True):
        assert p == pytest.approx(_ruined_by_loop(paths, u, 1.1, 0.1, 0.04), abs=1e-12)
    assert all(np.diff(probs) <= 0)
    assert probs[0] > probs[-1]
    u = ra.capital_for(0.01).value
    assert ra.probability(u).value <= 0.01
    assert ra.probability(u * 0.98).value > 0.01
    assert list(ra.curve(caps)["ruin_probability"]) == probs


def test_ruin_one_year_closed_form():
    x = np.random.default_rng(2).exponential(1.0, size=(200_000, 1))
    ra = capital.ruin_analysis(x, horizon_years=1, premiums=0.5)
    e = ra.probability(1.0)
    assert abs(e.value - math.exp(-1.5)) < 4 * e.std_error  # P(X > u + P)
    assert ra.capital_for(0.01).value == pytest.approx(math.log(100) - 0.5, abs=0.05)
    with pytest.raises(InvalidInputError, match="target"):
        ra.capital_for(1.2)
    with pytest.raises(InvalidInputError, match="return_on_assets"):
        capital.ruin_analysis(x, horizon_years=1, return_on_assets=-2)


# --- layers -------------------------------------------------------------------------------


def test_layers_exponential_closed_form():
    x = np.random.default_rng(3).exponential(1.0, size=400_000)
    t = capital.backstop_layers(x, [("buffer", 0.5), ("pool", 1.5), ("treasury", 2.0)],
                                premiums=0.2, expenses=0.1).table
    shift = 0.1  # loss reaching the stack: X - 0.1
    for name, a, w in (("buffer", 0.0, 0.5), ("pool", 0.5, 1.5), ("treasury", 2.0, 2.0)):
        lo, hi = a + shift, a + w + shift
        row = t.loc[name]
        assert abs(row["p_touched"] - math.exp(-lo)) < 4 * row["p_touched_se"] + 1e-12
        assert abs(row["p_exhausted"] - math.exp(-hi)) < 4 * row["p_exhausted_se"] + 1e-12
        assert abs(row["expected_loss"] - (math.exp(-lo) - math.exp(-hi))) < 4 * row[
            "expected_loss_se"
        ]
    assert t.loc["unfunded", "expected_loss"] == pytest.approx(
        np.maximum(x - 0.1 - 4.0, 0).mean()
    )
    assert t["expected_loss"].sum() == pytest.approx(np.maximum(x - 0.1, 0).mean())
    with pytest.raises(InvalidInputError, match="top layer"):
        capital.backstop_layers(x, [("a", np.inf), ("b", 1.0)])


# --- allocation ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lines():
    rng = np.random.default_rng(4)
    z = rng.standard_normal((300_000, 1))
    return np.column_stack([
        np.exp(0.5 * z[:, 0] + 0.5 * rng.standard_normal(300_000)),
        rng.gamma(2.0, 1.0, 300_000),
        np.exp(0.8 * z[:, 0]),
    ])


@pytest.mark.parametrize("method", ["co-tvar", "co-var", "covariance", "proportional"])
def test_allocations_sum_to_total(lines, method):
    a = capital.allocate(pd.DataFrame(lines, columns=["a", "b", "c"]), method=method, level=0.99)
    s = lines.sum(axis=1)
    target = value_at_risk(s, 0.99) if method == "co-var" else tvar(s, 0.99)
    assert a.table["allocation"].sum() == pytest.approx(target, rel=1e-10)
    assert a.total == pytest.approx(target, rel=1e-10)


def test_co_tvar_is_conditional_tail_mean(lines):
    a = capital.allocate(lines, method="co-tvar", level=0.99)
    s = lines.sum(axis=1)
    tail = s >= np.quantile(s, 0.99, method="inverted_cdf")
    np.testing.assert_allclose(a.table["allocation"], lines[tail].mean(axis=0), rtol=1e-3)
    # comonotone-free sanity: the correlated lines a and c get more than stand-alone share
    assert a.diversification > 0


def test_co_tvar_with_atoms_sums_exactly():
    rng = np.random.default_rng(6)
    m = np.where(rng.random((10_000, 2)) < 0.995, 0.0, rng.exponential(size=(10_000, 2)))
    a = capital.allocate(m, method="co-tvar", level=0.99)
    assert a.table["allocation"].sum() == pytest.approx(tvar(m.sum(axis=1), 0.99), rel=1e-12)


def test_allocation_of_an_empty_line_is_an_error():
    book = Book.from_frame(pd.DataFrame({
        "cover_id": ["A", "B"], "cover_type": ["hack", "depeg"], "subject": ["P", "U"],
        "category": ["c", "f"], "amount_usd": [1e6, 1e6], "start": ["2026-01-01"] * 2,
        "end": ["2027-01-01"] * 2, "premium_usd": [1e4, 1e4],
    }))
    model = RiskModel({("hack", "c"): IncidentModel(0.3, stats.beta(1, 2)),
                       ("depeg", "f"): IncidentModel(0.0, stats.beta(1, 2))})
    sim = simulate_book(book, model, 5_000, start="2026-01-01", rng=1)
    with pytest.raises(InvalidInputError, match="custody"):
        capital.allocate(sim, lines=("hack", "custody"))
    with pytest.raises(InvalidInputError, match=r"\['depeg'\]"):
        capital.allocate(sim)
    by_cover = capital.allocate(sim, by="cover")
    assert by_cover.table.loc["B", "allocation"] == 0.0
    with pytest.raises(InvalidInputError, match="level"):
        capital.allocate(sim, level=1.5, lines=("hack",))


# --- reserves -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def res_book():
    return Book.from_frame(pd.DataFrame({
        "cover_id": ["A", "B", "C"], "cover_type": ["hack", "hack", "depeg"],
        "subject": ["P", "Q", "USDC"], "category": ["c", "c", "f"],
        "amount_usd": [1e6, 2e6, 3e6], "start": ["2026-01-01", "2026-04-01", "2025-07-01"],
        "end": ["2027-01-01", "2027-04-01", "2026-07-01"], "premium_usd": [36_500, 80_000, 20_000],
        "deductible": [0, 1e5, 0], "limit": [np.nan, 5e5, np.nan],
    }))


RES_MODEL = RiskModel({("hack", "c"): IncidentModel(0.2, stats.beta(2, 3)),
                       ("depeg", "f"): IncidentModel(0.1, stats.beta(1, 4))})


def _beta_lev(a, b, u):
    return u * (1 - special.betainc(a, b, u)) + a / (a + b) * special.betainc(a + 1, b, u)


def test_reserves_closed_forms(res_book):
    v = "2026-10-01"
    claims = pd.DataFrame({"claim_id": ["k1", "k2", "k3", "k4"], "cover_id": ["A", "A", "C", "B"],
                           "reported": ["2026-05-01", "2026-09-01", "2026-03-01", "2026-12-01"],
                           "amount_usd": [3e5, 1e5, 5e5, 9e5], "paid_usd": [1e5, 0, 5e5, 0],
                           "status": ["open", "open", "closed", "open"]})
    rep = capital.reserves(res_book, RES_MODEL, v, claims=claims, scr=1e6, coc=0.06,
                           discount_rate=0.02)
    t = rep.table
    assert t.loc["A", "upr"] == pytest.approx(36_500 * 92 / 365)
    assert t.loc["B", "upr"] == pytest.approx(80_000 * 182 / 365)
    assert t.loc["C", "upr"] == 0.0
    e_a = 1e6 * 0.4  # E[X] of Beta(2, 3)
    assert t.loc["A", "bel_unexpired"] == pytest.approx(0.2 * 92 / 365.25 * e_a, rel=1e-8)
    e_b = 2e6 * (_beta_lev(2, 3, 0.3) - _beta_lev(2, 3, 0.05))
    assert t.loc["B", "bel_unexpired"] == pytest.approx(0.2 * 182 / 365.25 * e_b, rel=1e-7)
    assert t.loc["A", "outstanding"] == 3e5  # k1 open 2e5 + k2 open 1e5
    assert t.loc["B", "outstanding"] == 0.0  # reported after the valuation date
    assert rep.claims_after_valuation == 1
    # all unexpired risk runs off within one year: RM = coc * SCR / (1 + i)
    assert t["risk_margin"].sum() == pytest.approx(0.06 * 1e6 / 1.02, rel=1e-9)
    np.testing.assert_allclose(
        t["technical_provisions"], t["bel_unexpired"] + t["outstanding"] + t["risk_margin"]
    )
    assert "total" in rep.summary().index


def test_reserves_simulated_scr_and_errors(res_book):
    rep = capital.reserves(res_book, RES_MODEL, "2026-01-01", n_years=20_000, rng=3)
    assert rep.scr > 0 and rep.scr_std_error > 0
    assert rep.run_off["scr"].iloc[0] == pytest.approx(rep.scr)
    bad = pd.DataFrame({"claim_id": ["k"], "cover_id": ["Z"], "reported": ["2026-01-01"],
                        "amount_usd": [1.0]})
    with pytest.raises(DataFormatError, match="row 0, column 'cover_id'"):
        capital.reserves(res_book, RES_MODEL, "2026-06-01", claims=bad, scr=0.0)
    neg = bad.assign(cover_id="A", amount_usd=-5.0)
    with pytest.raises(DataFormatError, match="amount_usd"):
        capital.reserves(res_book, RES_MODEL, "2026-06-01", claims=neg, scr=0.0)
