"""Reserves of a book at a valuation date: UPR, best estimate, outstanding claims, risk margin.

Per cover, at the valuation date ``v``:

* **UPR** (unearned premium reserve), pro rata temporis: ``premium * days of cover after v /
  days of cover``;
* **BEL** for the unexpired risk: expected claims over the cover's remaining period,
  ``rate * remaining years * E[payment per incident]`` (closed form from the risk model;
  it ignores the cap of a cover's payments at its amount, so it errs on the prudent side);
* **outstanding** reported claims: reported on or before ``v`` and not closed, amount less
  paid (from an optional claims table);
* **risk margin**: the cost of holding the capital for the unexpired risk during the
  run-off, ``CoC * sum_t SCR_t / (1 + i)^(t + 1)``. ``SCR_0`` is the one-year VaR (99.5 %)
  less the expected claims of the covers still in force, simulated from ``v``; later years
  are projected in proportion to the expected claims of each run-off year (the usual
  proportional simplification), and each cover carries the margin of its expected claims.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from actuarial._time import DAYS_PER_YEAR, as_timestamp
from actuarial._typing import RNGLike
from actuarial._validation import check_in_unit_interval, check_int, check_nonnegative
from actuarial.book import Book, RiskModel, simulate_book
from actuarial.dependence import Dependence
from actuarial.exceptions import DataFormatError, InvalidInputError, InvalidTypeError

__all__ = ["ReserveReport", "read_claims", "reserves"]

CLAIM_COLUMNS = ("claim_id", "cover_id", "reported", "amount_usd")


def read_claims(path: str | PathLike[str]) -> pd.DataFrame:
    """Read a claims CSV: ``claim_id, cover_id, reported, amount_usd`` [, ``paid_usd``,
    ``status``] (``status`` ``open`` or ``closed``; default open).

    Raises
    ------
    DataFormatError
        Naming the line and column of the first problem.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"path: no such file {str(p)!r}")
    return _validate_claims(pd.read_csv(p, dtype={"cover_id": str, "claim_id": str}), str(p))


def _validate_claims(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    missing = [c for c in CLAIM_COLUMNS if c not in frame.columns]
    if missing:
        raise DataFormatError(f"{origin}: missing column(s) {missing}")
    df = frame.reset_index(drop=True).copy()
    df["cover_id"] = df["cover_id"].astype(str).str.strip()
    df["reported"] = pd.to_datetime(df["reported"], errors="coerce", format="ISO8601")
    for col in ("amount_usd", "paid_usd"):
        raw = df[col] if col in df else pd.Series(0.0, index=df.index)
        df[col] = pd.to_numeric(raw, errors="coerce")
        bad = df[col].isna() | (df[col] < 0)
        if col == "paid_usd":
            bad = (df[col] < 0) | (df[col].isna() & raw.notna())
            df[col] = df[col].fillna(0.0)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            raise DataFormatError(
                f"{origin}, row {i}, column {col!r}: expected an amount >= 0 (USD), got "
                f"{raw.iloc[i]!r}"
            )
    if df["reported"].isna().any():
        i = int(np.flatnonzero(df["reported"].isna().to_numpy())[0])
        raise DataFormatError(f"{origin}, row {i}, column 'reported': expected an ISO date")
    status = df["status"] if "status" in df else pd.Series("open", index=df.index)
    df["status"] = status.fillna("open").astype(str).str.strip().str.lower()
    bad = ~df["status"].isin(["open", "closed"])
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFormatError(
            f"{origin}, row {i}, column 'status': expected 'open' or 'closed', got "
            f"{df['status'].iloc[i]!r}"
        )
    return df


@dataclass(frozen=True, eq=False)
class ReserveReport:
    """Reserves per cover and in total at a valuation date (immutable).

    ``table`` columns: ``cover_type``, ``premium_usd``, ``unexpired_fraction``, ``upr``,
    ``bel_unexpired``, ``outstanding``, ``risk_margin``, ``technical_provisions``
    (``bel_unexpired + outstanding + risk_margin``) and ``premium_deficiency``
    (``max(bel_unexpired + risk_margin - upr, 0)``).
    """

    table: pd.DataFrame
    valuation_date: pd.Timestamp
    scr: float
    scr_std_error: float
    coc: float
    discount_rate: float
    run_off: pd.DataFrame
    claims_after_valuation: int

    def totals(self) -> pd.Series:
        """Sum of each money column."""
        cols = ["premium_usd", "upr", "bel_unexpired", "outstanding", "risk_margin",
                "technical_provisions", "premium_deficiency"]
        return self.table[cols].sum()

    def summary(self) -> pd.DataFrame:
        """Reserves by cover type with a total row."""
        cols = ["premium_usd", "upr", "bel_unexpired", "outstanding", "risk_margin",
                "technical_provisions", "premium_deficiency"]
        g = self.table.groupby("cover_type", sort=False)[cols].sum()
        g.loc["total"] = self.table[cols].sum()
        return g

    def to_frame(self) -> pd.DataFrame:
        """The per-cover table (a copy)."""
        return self.table.copy()

    def __str__(self) -> str:
        head = (
            f"Reserves at {self.valuation_date.date()}: SCR for unexpired risk "
            f"{self.scr:,.0f} ± {self.scr_std_error:,.0f} USD, CoC {self.coc:.1%}, discount "
            f"{self.discount_rate:.2%}"
        )
        note = (
            f"\n({self.claims_after_valuation} claim(s) reported after the valuation date "
            "were not counted)"
            if self.claims_after_valuation
            else ""
        )
        body = self.summary().to_string(float_format=lambda v: f"{v:,.0f}")
        return f"{head}\n{body}{note}"


def reserves(
    book: Book,
    model: RiskModel,
    valuation_date: Any,
    *,
    claims: pd.DataFrame | str | PathLike[str] | None = None,
    coc: float = 0.06,
    discount_rate: float = 0.0,
    scr: float | None = None,
    level: float = 0.995,
    dependence: Dependence | None = None,
    n_years: int = 50_000,
    rng: RNGLike = None,
) -> ReserveReport:
    """Reserves of ``book`` at ``valuation_date`` (see the module docstring for definitions).

    Parameters
    ----------
    book : Book
    model : RiskModel
    valuation_date : date-like
    claims : DataFrame or path, optional
        Reported claims (see :func:`read_claims`); their ``cover_id`` must be in the book.
    coc : float, default 0.06
        Cost of capital per year for the risk margin.
    discount_rate : float, default 0
        Annual rate discounting the risk margin.
    scr : float, optional
        Capital for the unexpired risk at the valuation date; simulated when omitted (VaR at
        ``level`` less expected claims of the next year, with ``dependence``, ``n_years`` and
        ``rng``).

    Returns
    -------
    ReserveReport

    Examples
    --------
    Half-way through a one-year cover, half the premium is unearned and the best estimate
    is the expected claims of the remaining half year:

    >>> import pandas as pd
    >>> from scipy import stats
    >>> import actuarial as act
    >>> book = act.book.Book.from_frame(pd.DataFrame({
    ...     "cover_id": ["A"], "cover_type": ["hack"], "subject": ["Aave v3"],
    ...     "category": ["lending"], "amount_usd": [1e6], "start": ["2026-01-01"],
    ...     "end": ["2027-01-01"], "premium_usd": [36_500]}))
    >>> model = act.book.RiskModel(
    ...     {("hack", "*"): act.book.IncidentModel(0.1, stats.beta(1, 3))})
    >>> rep = act.capital.reserves(book, model, "2026-07-02", scr=1e5)
    >>> round(float(rep.table.loc["A", "upr"]), 2)          # 183 of 365 days unearned
    18300.0
    >>> round(float(rep.table.loc["A", "bel_unexpired"]), 2)  # 0.1 * 250_000 * 183 / 365.25
    12525.67
    """
    if not isinstance(book, Book):
        raise InvalidTypeError(f"book must be a Book; got {type(book).__name__}")
    if not isinstance(model, RiskModel):
        raise InvalidTypeError(f"model must be a RiskModel; got {type(model).__name__}")
    v = as_timestamp(valuation_date, "valuation_date")
    coc = check_nonnegative(coc, "coc")
    disc = check_nonnegative(discount_rate, "discount_rate")
    level = check_in_unit_interval(level, "level")
    n_years = check_int(n_years, "n_years", minimum=100)
    cov = book.covers
    day = pd.Timedelta(days=1)
    duration = ((cov["end"] - cov["start"]) / day).to_numpy()
    remaining = ((cov["end"] - cov["start"].clip(lower=v)) / day).clip(lower=0).to_numpy()
    remaining = np.minimum(remaining, duration)
    unexpired = remaining / duration
    per_incident = np.array(
        [
            model.lookup(r.cover_type, r.category).rate
            * model.lookup(r.cover_type, r.category).expected_payment(
                r.amount_usd, r.deductible, r.limit
            )
            for r in cov.itertuples()
        ]
    )
    bel = per_incident * remaining / DAYS_PER_YEAR
    # expected claims per cover in each run-off year [v + t, v + t + 1)
    # run-off years up to the last cover end (a cover may start after v: count from v)
    n_run = max(math.ceil(((cov["end"].max() - v) / day) / DAYS_PER_YEAR), 1)
    by_year = np.zeros((len(cov), n_run))
    for t in range(n_run):
        y0, y1 = v + pd.DateOffset(years=t), v + pd.DateOffset(years=t + 1)
        days = book.overlap_days(y0, y1)
        by_year[:, t] = per_incident * days / DAYS_PER_YEAR
    outstanding, after = _outstanding(book, claims, v)
    in_force = book.overlap_days(v, v + pd.DateOffset(years=1)) > 0
    scr_se = 0.0
    if scr is None:
        if in_force.any():
            sub = Book(cov[in_force].reset_index(drop=True), book.origin)
            sim = simulate_book(sub, model, n_years, start=v, dependence=dependence, rng=rng)
            e = sim.estimate("var", level)
            scr_value, scr_se = max(e.value - sim.mean(), 0.0), e.std_error
        else:
            scr_value = 0.0
    else:
        scr_value = check_nonnegative(scr, "scr")
    first = by_year[:, 0].sum()
    discount = (1.0 + disc) ** -np.arange(1, n_run + 1)
    scr_path = scr_value * by_year.sum(axis=0) / first if first > 0 else np.zeros(n_run)
    rm_cover = (
        coc * scr_value * (by_year / first) @ discount if first > 0 else np.zeros(len(cov))
    )
    upr = cov["premium_usd"].to_numpy() * unexpired
    table = pd.DataFrame(
        {
            "cover_type": cov["cover_type"].to_numpy(),
            "subject": cov["subject"].to_numpy(),
            "premium_usd": cov["premium_usd"].to_numpy(),
            "unexpired_fraction": unexpired,
            "upr": upr,
            "bel_unexpired": bel,
            "outstanding": outstanding,
            "risk_margin": rm_cover,
            "technical_provisions": bel + outstanding + rm_cover,
            "premium_deficiency": np.maximum(bel + rm_cover - upr, 0.0),
        },
        index=pd.Index(book.cover_ids, name="cover_id"),
    )
    run_off = pd.DataFrame(
        {
            "expected_claims": by_year.sum(axis=0),
            "scr": scr_path,
            "discount_factor": discount,
            "cost_of_capital": coc * scr_path * discount,
        },
        index=pd.RangeIndex(n_run, name="run_off_year"),
    )
    return ReserveReport(table, v, scr_value, scr_se, coc, disc, run_off, after)


def _outstanding(book: Book, claims: Any, v: pd.Timestamp) -> tuple[np.ndarray, int]:
    out = np.zeros(len(book))
    if claims is None:
        return out, 0
    if isinstance(claims, str | PathLike):
        df = read_claims(claims)
        origin = str(claims)
    elif isinstance(claims, pd.DataFrame):
        df, origin = _validate_claims(claims, "claims"), "claims"
    else:
        raise InvalidTypeError(
            f"claims must be a DataFrame or a path; got {type(claims).__name__}"
        )
    ids = book.cover_ids
    unknown = ~df["cover_id"].isin(ids)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataFormatError(
            f"{origin}, row {i}, column 'cover_id': cover {df['cover_id'].iloc[i]!r} is not in "
            "the book"
        )
    after = int((df["reported"] > v).sum())
    live = df[(df["reported"] <= v) & (df["status"] == "open")]
    open_amount = (live["amount_usd"] - live["paid_usd"]).clip(lower=0)
    sums = open_amount.groupby(live["cover_id"]).sum()
    for cid, amount in sums.items():
        out[ids.index(cid)] = float(amount)
    return out, after
