"""Monte Carlo simulation of the claims of a book of covers over a horizon.

Model, for each cover type (a *line*):

* every subject (protocol, stablecoin, counterparty) of the line suffers incidents as a
  Poisson process in the horizon, with the annual rate of its ``(cover_type, category)`` in
  the :class:`RiskModel` (times the crisis factor of the year, see
  :class:`actuarial.dependence.CrisisShock`); incident times are uniform in the horizon;
* with a crisis shock, each year of the horizon (the last one possibly a fraction of a
  year) is a crisis year or not independently, so a three-year horizon can hold zero to
  three crisis years;
* an incident draws one payout fraction ``X`` from the payout distribution and hits every
  cover on that subject in force at the incident time (concentration): cover ``c`` pays
  ``min(max(amount_c X - d_c, 0), L_c)``; a cover pays at most its amount in the horizon;
* lines are coupled by the crisis year (common to all lines) and, optionally, by a copula on
  the lines' totals applied by sample reordering within each chunk, separately among the
  simulated horizons that share one pattern of crisis years (:mod:`actuarial.dependence`).

Years are simulated in fixed-size chunks; chunk ``i`` derives one stream per cover type
(by its position in :data:`COVER_TYPES`), one for the crisis indicator and one for the
copula from the ``i``-th child of the root ``SeedSequence``. The same seed and chunk size
give the same result for any number of workers, and the claims of one line do not depend on
the other lines of the book when there is no dependence.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd

from actuarial._chunks import Backend, chunk_sizes, resolve_backend, run_chunks
from actuarial._rng import chunk_generator, chunk_seed_sequence, root_seed_sequence
from actuarial._time import DAYS_PER_YEAR, as_timestamp
from actuarial._typing import FloatArray, RNGLike
from actuarial._validation import check_int, check_positive, check_probabilities
from actuarial.book._covers import COVER_TYPES, Book
from actuarial.book._model import RiskModel
from actuarial.dependence import Dependence, reorder_by_copula
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.risk import Estimate, estimate

__all__ = ["BookSimulation", "simulate_book"]

_CRISIS_STREAM = len(COVER_TYPES)
_COPULA_STREAM = len(COVER_TYPES) + 1
_LEVELS = (0.9, 0.99, 0.995)


@dataclass(frozen=True)
class _LinePlan:
    """Everything needed to simulate one line, in arrays (picklable for workers)."""

    cover_type: str
    stream: int
    rates: FloatArray  # per subject, per year
    groups: tuple[tuple[Any, np.ndarray], ...]  # (payout, subject indices) per category
    columns: np.ndarray  # columns of the book's claims matrix
    subject: np.ndarray  # subject index of each cover
    t0: FloatArray  # active window inside the horizon (years from its start)
    t1: FloatArray
    amount: FloatArray
    deductible: FloatArray
    limit: FloatArray
    factors: tuple[float, float]  # rate factor in normal and crisis years


def _horizon(start: Any, horizon_years: float) -> tuple[pd.Timestamp, pd.Timestamp]:
    h0 = as_timestamp(start, "start")
    if float(horizon_years).is_integer():
        return h0, h0 + pd.DateOffset(years=int(horizon_years))
    return h0, h0 + pd.Timedelta(days=DAYS_PER_YEAR * horizon_years)


def _check_dependence(dependence: Dependence) -> None:
    """Every cover type named by ``dependence`` must be one the toolkit models."""
    named = {
        "dependence.crisis.multipliers": list(dependence.crisis.multipliers)
        if dependence.crisis is not None
        else [],
        "dependence.lines": list(dependence.lines),
    }
    for where, names in named.items():
        unknown = [t for t in names if t not in COVER_TYPES]
        if unknown:
            raise InvalidInputError(
                f"{where} names unknown cover type(s) {unknown}; expected names among "
                f"{list(COVER_TYPES)} (a misspelt type would silently get no effect)"
            )


def _plans(
    book: Book, model: RiskModel, dependence: Dependence, h0: pd.Timestamp,
    h1: pd.Timestamp, horizon_years: float,
) -> tuple[_LinePlan, ...]:
    cov = book.covers
    days = (h1 - h0) / pd.Timedelta(days=1)
    t0 = ((cov["start"] - h0) / pd.Timedelta(days=1)).to_numpy() / days * horizon_years
    t1 = ((cov["end"] - h0) / pd.Timedelta(days=1)).to_numpy() / days * horizon_years
    outside = (t1 <= 0) | (t0 >= horizon_years)
    if outside.any():
        i = int(np.flatnonzero(outside)[0])
        raise InvalidInputError(
            f"row {i} (cover {cov['cover_id'].iloc[i]!r}), columns 'start'/'end': in force "
            f"{cov['start'].iloc[i].date()} to {cov['end'].iloc[i].date()}, outside the "
            f"horizon {h0.date()} to {h1.date()}; select covers with book.in_force(start, end)"
        )
    t0, t1 = np.clip(t0, 0.0, horizon_years), np.clip(t1, 0.0, horizon_years)
    for i, (ct, cat) in enumerate(zip(cov["cover_type"], cov["category"], strict=True)):
        try:
            model.lookup(ct, cat)
        except InvalidInputError as exc:
            raise InvalidInputError(
                f"row {i} (cover {cov['cover_id'].iloc[i]!r}), columns 'cover_type'/'category':"
                f" {exc}"
            ) from None
    plans = []
    for ct in book.lines:
        cols = np.flatnonzero((cov["cover_type"] == ct).to_numpy())
        sub = cov.iloc[cols]
        subjects = list(dict.fromkeys(sub["subject"]))
        cat_of = dict(zip(sub["subject"], sub["category"], strict=True))
        rates = np.array([model.lookup(ct, cat_of[s]).rate for s in subjects])
        groups = []
        for cat in sorted(set(cat_of.values())):
            idx = np.array([k for k, s in enumerate(subjects) if cat_of[s] == cat])
            groups.append((model.lookup(ct, cat).payout, idx))
        factors = (1.0, 1.0) if dependence.crisis is None else dependence.crisis.factors(ct)
        plans.append(
            _LinePlan(
                cover_type=ct,
                stream=COVER_TYPES.index(ct),
                rates=rates,
                groups=tuple(groups),
                columns=cols,
                subject=np.array([subjects.index(s) for s in sub["subject"]]),
                t0=t0[cols],
                t1=t1[cols],
                amount=sub["amount_usd"].to_numpy(),
                deductible=sub["deductible"].to_numpy(),
                limit=sub["limit"].to_numpy(),
                factors=factors,
            )
        )
    if dependence.copula is not None:
        missing = [p.cover_type for p in plans if p.cover_type not in dependence.lines]
        if missing:
            raise InvalidInputError(
                f"dependence.lines {list(dependence.lines)} does not include the book's "
                f"line(s) {missing}; the copula must name every line of the book"
            )
    return tuple(plans)


def _periods(horizon_years: float, crisis: bool) -> FloatArray:
    """Lengths (years) of the periods with one crisis draw each: whole years, or one period."""
    if not crisis or horizon_years <= 1.0:
        return np.array([horizon_years])
    whole = math.floor(horizon_years)
    rest = horizon_years - whole
    return np.array([1.0] * whole + ([rest] if rest > 1e-12 else []))


def _simulate_line(
    plan: _LinePlan, crisis: np.ndarray, lengths: FloatArray, gen: np.random.Generator
) -> FloatArray:
    """Claims ``(size, n_covers_of_line)`` of one line.

    ``crisis`` has shape ``(size, n_periods)``: the crisis indicator of each period (year)
    of the horizon, whose lengths in years are ``lengths``.
    """
    size, n_per = crisis.shape
    factor = np.where(crisis, plan.factors[1], plan.factors[0]) * lengths  # (size, periods)
    counts = gen.poisson(factor[:, None, :] * plan.rates[None, :, None])  # (size, sub, per)
    per_event = counts.transpose(1, 0, 2).ravel()  # subject-major, then year, then period
    n_sub = plan.rates.size
    year = np.repeat(np.tile(np.repeat(np.arange(size), n_per), n_sub), per_event)
    subj = np.repeat(np.repeat(np.arange(n_sub), size * n_per), per_event)
    period = np.repeat(np.tile(np.arange(n_per), size * n_sub), per_event)
    offsets = np.concatenate(([0.0], np.cumsum(lengths)[:-1]))
    times = offsets[period] + gen.random(year.size) * lengths[period]
    frac = np.empty(year.size)
    for payout, idx in plan.groups:
        mask = np.isin(subj, idx)
        m = int(mask.sum())
        if m:
            frac[mask] = np.clip(np.asarray(payout.rvs(size=m, random_state=gen), float), 0, 1)
    bounds = np.concatenate(([0], np.cumsum(counts.sum(axis=(0, 2)))))
    out = np.zeros((size, plan.columns.size))
    for k in range(plan.columns.size):
        s = plan.subject[k]
        sl = slice(bounds[s], bounds[s + 1])
        if sl.start == sl.stop:
            continue
        t = times[sl]
        loss = plan.amount[k] * frac[sl]
        pay = np.minimum(np.maximum(loss - plan.deductible[k], 0.0), plan.limit[k])
        pay *= (t >= plan.t0[k]) & (t < plan.t1[k])
        annual = np.bincount(year[sl], weights=pay, minlength=size)
        out[:, k] = np.minimum(annual, plan.amount[k])
    return out


def _simulate_chunk(
    plans: tuple[_LinePlan, ...], dependence: Dependence, n_covers: int,
    horizon_years: float, root: np.random.SeedSequence, size: int, index: int,
) -> tuple[FloatArray, np.ndarray]:
    chunk_root = chunk_seed_sequence(root, index)
    lengths = _periods(horizon_years, dependence.crisis is not None)
    if dependence.crisis is None:
        crisis = np.zeros((size, 1), dtype=bool)
    else:
        gen = chunk_generator(chunk_root, _CRISIS_STREAM)
        crisis = dependence.crisis.draw(size * lengths.size, rng=gen).reshape(size, -1)
    claims = np.zeros((size, n_covers))
    for plan in plans:
        gen = chunk_generator(chunk_root, plan.stream)
        claims[:, plan.columns] = _simulate_line(plan, crisis, lengths, gen)
    if dependence.copula is not None and len(plans) > 1:
        gen = chunk_generator(chunk_root, _COPULA_STREAM)
        copula = dependence.copula.marginal([dependence.lines.index(p.cover_type) for p in plans])
        # reorder only among horizons with the same crisis years, so crises stay common to
        # all lines (patterns in reverse lexicographic order: for one year, crisis first)
        patterns, which = np.unique(crisis, axis=0, return_inverse=True)
        which = which.reshape(-1)
        for code in range(patterns.shape[0] - 1, -1, -1):
            stratum = np.flatnonzero(which == code)
            if stratum.size < 2:
                continue
            block = claims[stratum]
            totals = np.column_stack([block[:, p.columns].sum(axis=1) for p in plans])
            perm = reorder_by_copula(totals, copula, rng=gen)
            for j, p in enumerate(plans):
                block[:, p.columns] = block[perm[:, j]][:, p.columns]
            claims[stratum] = block
    return claims, crisis


@dataclass(frozen=True, eq=False)
class BookSimulation:
    """Simulated claims of every cover of a book over the horizon (immutable).

    Attributes
    ----------
    claims : ndarray, shape (n_years, n_covers)
        Claims paid by each cover in each simulated horizon (USD).
    crisis_years : ndarray of bool, shape (n_years, n_periods)
        Whether each year of each simulated horizon is a crisis year: one column per year of
        the horizon (the last one possibly a fraction of a year) when a crisis shock is set,
        a single column otherwise (all False without a crisis shock).
    book, model, dependence
        What was simulated.
    start, end : pandas.Timestamp
        The horizon ``[start, end)``; ``horizon_years`` its length in years.
    seed_entropy, spawn_key, chunk_size
        The root ``SeedSequence`` (also as :attr:`seed_sequence`) and the chunk size:
        ``simulate_book(..., rng=sim.seed_sequence, chunk_size=sim.chunk_size)`` reproduces
        the run.
    """

    claims: FloatArray
    crisis_years: np.ndarray
    book: Book
    model: RiskModel
    dependence: Dependence
    start: pd.Timestamp
    end: pd.Timestamp
    horizon_years: float
    seed_entropy: int
    chunk_size: int
    spawn_key: tuple[int, ...] = ()
    _levels: tuple[float, ...] = field(default=_LEVELS, repr=False)

    @property
    def seed_sequence(self) -> np.random.SeedSequence:
        """The root ``SeedSequence`` of the run: pass it as ``rng`` to reproduce it."""
        return np.random.SeedSequence(self.seed_entropy, spawn_key=self.spawn_key)

    has_finite_mean = True  # payouts are fractions of bounded cover amounts

    @property
    def n_years(self) -> int:
        """Number of simulated years (horizons)."""
        return int(self.claims.shape[0])

    @property
    def crisis(self) -> np.ndarray:
        """Whether each simulated horizon holds at least one crisis year, shape (n_years,).

        For a horizon of one year or less, whether the simulated year is a crisis year.
        """
        return np.asarray(self.crisis_years.any(axis=1))

    @property
    def cover_ids(self) -> tuple[str, ...]:
        """Cover identifiers (columns of :attr:`claims`)."""
        return self.book.cover_ids

    @property
    def line_names(self) -> tuple[str, ...]:
        """Lines (cover types) of the book, the columns of :attr:`line_losses`."""
        return self.book.lines

    @cached_property
    def total(self) -> FloatArray:
        """Claims of the whole book per simulated year."""
        return self.claims.sum(axis=1)

    @cached_property
    def line_losses(self) -> FloatArray:
        """Claims per line (cover type), shape ``(n_years, n_lines)``."""
        types = self.book.covers["cover_type"].to_numpy()
        return np.column_stack([self.claims[:, types == t].sum(axis=1) for t in self.line_names])

    def _column(self, line: str | None, cover: str | None) -> FloatArray:
        if line is not None and cover is not None:
            raise InvalidInputError("give line or cover, not both")
        if line is not None:
            if line not in self.line_names:
                raise InvalidInputError(
                    f"line must be one of {list(self.line_names)}; got {line!r}"
                )
            return self.line_losses[:, self.line_names.index(line)]
        if cover is not None:
            if cover not in self.cover_ids:
                raise InvalidInputError(f"cover {cover!r} is not in the book")
            return self.claims[:, self.cover_ids.index(cover)]
        return self.total

    def estimate(
        self, measure: str, level: float | None = None, *, line: str | None = None,
        cover: str | None = None,
    ) -> Estimate:
        """Risk measure of the total (or of a line or cover) with its Monte Carlo error."""
        return estimate(self._column(line, cover), measure, level)  # type: ignore[arg-type]

    def mean(self, *, line: str | None = None, cover: str | None = None) -> float:
        """Mean claims over the horizon (USD)."""
        return float(self._column(line, cover).mean())

    def std(self, *, line: str | None = None, cover: str | None = None) -> float:
        """Standard deviation of claims over the horizon (USD)."""
        return float(self._column(line, cover).std(ddof=1))

    def quantile(self, p: Any, *, line: str | None = None, cover: str | None = None) -> Any:
        """Value at risk (lower quantile) of claims."""
        from actuarial.risk import value_at_risk

        return value_at_risk(self._column(line, cover), p)

    var = quantile

    def tvar(self, p: Any, *, line: str | None = None, cover: str | None = None) -> Any:
        """Tail value at risk of claims."""
        from actuarial.risk import tvar

        return tvar(self._column(line, cover), p)

    def expected_claims(self) -> pd.DataFrame:
        """Per cover: simulated mean with standard error and the closed-form expectation.

        The closed form ``rate * active years * crisis factor * E[payment per incident]``
        ignores the cap of a cover's payments at its amount over the horizon (reached only
        when one subject has several incidents), so it bounds the true mean from above.
        """
        cov = self.book.covers
        rows = []
        h0, h1 = self.start, self.end
        active = self.book.overlap_days(h0, h1) / ((h1 - h0) / pd.Timedelta(days=1))
        for k, row in cov.iterrows():
            m = self.model.lookup(row["cover_type"], row["category"])
            factor = 1.0
            if self.dependence.crisis is not None:
                normal, crisis = self.dependence.crisis.factors(row["cover_type"])
                p = self.dependence.crisis.probability
                factor = (1 - p) * normal + p * crisis
            closed = (
                m.rate * factor * self.horizon_years * active[k]
                * m.expected_payment(row["amount_usd"], row["deductible"], row["limit"])
            )
            x = self.claims[:, k]
            rows.append(
                {
                    "cover_id": row["cover_id"],
                    "cover_type": row["cover_type"],
                    "simulated": float(x.mean()),
                    "std_error": float(x.std(ddof=1) / math.sqrt(x.size)),
                    "closed_form_uncapped": closed,
                }
            )
        return pd.DataFrame(rows).set_index("cover_id")

    def summary(self, levels: Sequence[float] | None = None) -> pd.DataFrame:
        """Mean, sd, VaR and TVaR of each line and of the total, with standard errors."""
        levels = tuple(levels) if levels is not None else self._levels
        check_probabilities(list(levels), "levels")
        cols: dict[str, dict[str, float]] = {}
        for name in (*self.line_names, "total"):
            line = None if name == "total" else name
            col: dict[str, float] = {}
            for measure, lvl in [("mean", None), ("std", None)] + [
                (m, p) for m in ("var", "tvar") for p in levels
            ]:
                e = self.estimate(measure, lvl, line=line)
                label = measure if lvl is None else f"{measure.upper()} {lvl:.1%}"
                col[label] = e.value
                col[f"{label} s.e."] = e.std_error
            cols[name] = col
        out = pd.DataFrame(cols)
        out.index.name = "measure"
        return out

    def to_frame(self) -> pd.DataFrame:
        """Claims per cover as a DataFrame (one column per cover), plus ``total``."""
        df = pd.DataFrame(self.claims, columns=list(self.cover_ids))
        df["total"] = self.total
        df.index.name = "year"
        return df

    def __str__(self) -> str:
        head = (
            f"Book simulation: {len(self.book)} covers, {self.n_years:,} years, horizon "
            f"{self.start.date()} to {self.end.date()}; dependence: {self.dependence}; "
            f"seed entropy {self.seed_entropy}"
        )
        return f"{head}\n{self.summary().to_string(float_format=lambda v: f'{v:,.6g}')}"


def simulate_book(
    book: Book,
    model: RiskModel,
    n_years: int,
    *,
    start: Any,
    horizon_years: float = 1.0,
    dependence: Dependence | None = None,
    rng: RNGLike = None,
    chunk_size: int = 50_000,
    n_jobs: int = 1,
    backend: Backend | None = None,
    progress: bool = False,
) -> BookSimulation:
    """Simulate the claims of every cover of ``book`` over a horizon.

    Parameters
    ----------
    book : Book
        The covers (see :func:`read_book`). Every cover must be in force at some time in the
        horizon (use ``book.in_force(start, end)`` to select them).
    model : RiskModel
        Incident rate and payout distribution per cover type and category.
    n_years : int
        Number of simulated horizons (>= 1).
    start : date-like
        First day of the horizon.
    horizon_years : float, default 1
        Length of the horizon in years (whole years are calendar years).
    dependence : Dependence, optional
        Crisis shock and/or copula between lines; independent lines when omitted. With a
        crisis shock and a horizon longer than a year, every year of the horizon is a
        crisis year or not independently (see :attr:`BookSimulation.crisis_years`). The
        cover types it names must be among :data:`COVER_TYPES`.
    rng : int, SeedSequence, Generator or None
        Seed (SPEC 7). The same seed and ``chunk_size`` give the same result for any
        ``n_jobs``.
    chunk_size : int, default 50_000
        Years per chunk.
    n_jobs : int, default 1
        Worker processes for ``backend="processes"``.
    backend : {"serial", "processes", "dask"}, optional
        As in :func:`actuarial.simulate`: ``"processes"`` when ``n_jobs > 1``, else
        ``"serial"``; the result is the same for every backend.
    progress : bool, default False
        Show a progress bar over chunks.

    Returns
    -------
    BookSimulation

    Examples
    --------
    >>> import pandas as pd
    >>> from scipy import stats
    >>> import actuarial as act
    >>> book = act.book.Book.from_frame(pd.DataFrame({
    ...     "cover_id": ["A", "B"], "cover_type": ["hack", "hack"],
    ...     "subject": ["Aave v3", "Aave v3"], "category": ["lending", "lending"],
    ...     "amount_usd": [1e6, 3e6], "start": ["2026-01-01"] * 2,
    ...     "end": ["2027-01-01"] * 2, "premium_usd": [2e4, 6e4]}))
    >>> model = act.book.RiskModel(
    ...     {("hack", "lending"): act.book.IncidentModel(0.05, stats.beta(1, 3))})
    >>> sim = act.book.simulate_book(book, model, 20_000, start="2026-01-01", rng=1)
    >>> e = sim.estimate("mean")
    >>> bool(abs(e.value - 0.05 * 0.25 * 4e6) < 4 * e.std_error)
    True
    >>> bool(np.corrcoef(sim.claims.T)[0, 1] > 0.99)   # same incidents hit both covers
    True
    """
    if not isinstance(book, Book):
        raise InvalidTypeError(f"book must be an actuarial Book; got {type(book).__name__}")
    if not isinstance(model, RiskModel):
        raise InvalidTypeError(f"model must be a RiskModel; got {type(model).__name__}")
    dependence = Dependence() if dependence is None else dependence
    if not isinstance(dependence, Dependence):
        raise InvalidTypeError(
            f"dependence must be a Dependence or None; got {type(dependence).__name__}"
        )
    _check_dependence(dependence)
    n_years = check_int(n_years, "n_years", minimum=1)
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    backend, n_jobs = resolve_backend(backend, n_jobs)
    horizon_years = check_positive(horizon_years, "horizon_years")
    h0, h1 = _horizon(start, horizon_years)
    plans = _plans(book, model, dependence, h0, h1, horizon_years)
    root = root_seed_sequence(rng)
    task = partial(_simulate_chunk, plans, dependence, len(book), horizon_years, root)
    blocks = [
        block
        for _, block in run_chunks(task, chunk_sizes(n_years, chunk_size), backend=backend,
                                   n_jobs=n_jobs, progress=progress)
    ]
    return BookSimulation(
        claims=np.concatenate([b[0] for b in blocks]),
        crisis_years=np.concatenate([b[1] for b in blocks]),
        book=book,
        model=model,
        dependence=dependence,
        start=h0,
        end=h1,
        horizon_years=horizon_years,
        seed_entropy=int(root.entropy),  # type: ignore[arg-type]
        chunk_size=chunk_size,
        spawn_key=tuple(int(k) for k in root.spawn_key),
    )
