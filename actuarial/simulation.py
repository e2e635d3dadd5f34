"""Monte Carlo engine for compound models and portfolios of independent lines.

Years are simulated in fixed-size chunks. Chunk ``i`` draws from the ``i``-th child of one
``SeedSequence`` built from ``rng``, so the result is the same whatever the number of workers
or the backend (serial, a process pool, or Dask), and memory stays flat in ``n_years`` apart
from the annual results themselves (8 bytes per year and line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, partial
from typing import Any

import numpy as np
import pandas as pd

from actuarial._chunks import Backend, chunk_sizes, resolve_backend, run_chunks
from actuarial._rng import chunk_generator, root_seed_sequence
from actuarial._typing import ArrayLike, FloatArray, RNGLike
from actuarial._validation import as_float_array, check_int, check_probabilities
from actuarial.compound import CompoundModel, Portfolio
from actuarial.exceptions import (
    InfiniteMeanError,
    InfiniteVarianceError,
    InvalidInputError,
    InvalidTypeError,
)
from actuarial.risk import Estimate, estimate, lower_quantile_sorted, tvar_from_var

__all__ = ["DEFAULT_LEVELS", "Simulation", "simulate"]

#: Levels shown in summaries (VaR and TVaR).
DEFAULT_LEVELS: tuple[float, ...] = (0.90, 0.95, 0.99, 0.995, 0.999)
#: A simulated moment further than this many standard errors from its analytic value is flagged.
FLAG_Z = 4.0



def _simulate_line(model: CompoundModel, size: int, gen: np.random.Generator) -> FloatArray:
    """Annual payments of one line for ``size`` years, drawn from ``gen``.

    A Poisson frequency is simulated as a Poisson process: the chunk's total number of events
    is Poisson(lambda * size) and each event falls in a year drawn uniformly, which has the
    same law as independent Poisson counts per year and saves one draw per year. Other
    frequencies draw the count of each year.
    """
    if model.frequency_family == "poisson":
        n_events = int(gen.poisson(float(model.frequency.mean()) * size))
        years = gen.integers(0, size, size=n_events)
    else:
        counts = np.asarray(model.frequency.rvs(size=size, random_state=gen), dtype=np.int64)
        if counts.size and counts.min() < 0:
            raise InvalidInputError("frequency produced a negative count")
        n_events = int(counts.sum())
        years = np.repeat(np.arange(size), counts)
    if n_events == 0:
        return model.terms._aggregate_unchecked(np.zeros(size, dtype=np.float64))
    losses = np.asarray(model.severity.rvs(size=n_events, random_state=gen), dtype=np.float64)
    pay = model.terms._per_event_unchecked(losses)
    out = np.bincount(years, weights=pay, minlength=size).astype(np.float64, copy=False)
    return model.terms._aggregate_unchecked(out)


def _simulate_chunk(
    lines: tuple[CompoundModel, ...], root: np.random.SeedSequence, size: int, index: int
) -> FloatArray:
    """Annual payments, shape (size, n_lines), of chunk ``index``."""
    gen = chunk_generator(root, index)
    return np.column_stack([_simulate_line(m, size, gen) for m in lines])


@dataclass(frozen=True, eq=False)
class Simulation:
    """Simulated annual payments of a model or a portfolio (immutable).

    Attributes
    ----------
    losses : ndarray, shape (n_years, n_lines)
        Annual payment of each line in each simulated year (USD, float64).
    line_names : tuple of str
        Names of the lines (columns of ``losses``).
    model : CompoundModel or Portfolio
        What was simulated.
    seed_entropy : int
        Entropy of the root ``SeedSequence``.
    chunk_size : int
        Years per chunk (part of what fixes the random streams).
    spawn_key : tuple of int
        Spawn key of the root ``SeedSequence`` (empty unless ``rng`` was a spawned child);
        ``simulate(model, n, rng=sim.seed_sequence, chunk_size=sim.chunk_size)`` reproduces
        the run.
    """

    losses: FloatArray
    line_names: tuple[str, ...]
    model: CompoundModel | Portfolio
    seed_entropy: int
    chunk_size: int
    spawn_key: tuple[int, ...] = ()
    _levels: tuple[float, ...] = field(default=DEFAULT_LEVELS, repr=False)

    @property
    def seed_sequence(self) -> np.random.SeedSequence:
        """The root ``SeedSequence`` of the run: pass it as ``rng`` to reproduce it."""
        return np.random.SeedSequence(self.seed_entropy, spawn_key=self.spawn_key)

    @property
    def n_years(self) -> int:
        """Number of simulated years."""
        return int(self.losses.shape[0])

    @cached_property
    def total(self) -> FloatArray:
        """Portfolio annual payment per simulated year (sum over lines)."""
        if self.losses.shape[1] == 1:
            return self.losses[:, 0]
        return self.losses.sum(axis=1)

    @cached_property
    def _sorted_total(self) -> FloatArray:
        return np.sort(self.total)

    def _column(self, line: str | None) -> FloatArray:
        if line is None:
            return self.total
        if line not in self.line_names:
            raise InvalidInputError(f"line must be one of {list(self.line_names)}; got {line!r}")
        return self.losses[:, self.line_names.index(line)]

    def _sorted(self, line: str | None) -> FloatArray:
        return self._sorted_total if line is None else np.sort(self._column(line))

    def _model_of(self, line: str | None) -> CompoundModel | Portfolio:
        if line is None or isinstance(self.model, CompoundModel):
            return self.model
        self._column(line)  # validates the name
        return self.model.lines[self.line_names.index(line)]

    def _require_finite_mean(self, line: str | None, what: str) -> None:
        if not self._model_of(line).has_finite_mean:
            raise InfiniteMeanError(
                f"the {what} of this model is infinite (a severity with infinite mean and no "
                "cover limit); the simulated value would not converge. Set a per-event or "
                "aggregate limit, or use quantiles"
            )

    def _require_finite_variance(self, line: str | None) -> None:
        if not self._model_of(line).has_finite_variance:
            raise InfiniteVarianceError(
                "the variance of this model is infinite (a severity with tail index at most 2 "
                "and no cover limit): a simulated standard deviation does not converge. Set "
                "a per-event or aggregate limit"
            )

    def estimate(
        self, measure: str, level: float | None = None, *, line: str | None = None
    ) -> Estimate:
        """Estimate with Monte Carlo standard error (see :func:`actuarial.risk.estimate`).

        The standard error of a mean or a TVaR assumes a finite variance; it is reported
        anyway for heavier tails, where it understates the error.
        """
        if measure in ("mean", "std", "tvar", "epd"):
            self._require_finite_mean(line, measure)
        if measure == "std":
            self._require_finite_variance(line)
        return estimate(self._sorted(line), measure, level, presorted=True)  # type: ignore[arg-type]

    def mean(self, *, line: str | None = None) -> float:
        """Mean annual payment (USD)."""
        self._require_finite_mean(line, "mean")
        return float(self._column(line).mean())

    def std(self, *, line: str | None = None) -> float:
        """Standard deviation of the annual payment (USD)."""
        self._require_finite_mean(line, "standard deviation")
        self._require_finite_variance(line)
        return float(self._column(line).std(ddof=1))

    def quantile(self, p: float | ArrayLike, *, line: str | None = None) -> Any:
        """Value at risk: the lower ``p``-quantile of the annual payment."""
        pa = check_probabilities(p)
        xs = self._sorted(line)
        out = lower_quantile_sorted(xs, np.atleast_1d(pa))
        return float(out[0]) if np.ndim(p) == 0 else out

    var = quantile

    def tvar(self, p: float | ArrayLike, *, line: str | None = None) -> Any:
        """Tail value at risk ``VaR_p + E[(X - VaR_p)+] / (1 - p)`` of the annual payment."""
        self._require_finite_mean(line, "TVaR")
        pa = np.atleast_1d(check_probabilities(p))
        x = self._column(line)
        v = np.atleast_1d(self.quantile(pa, line=line))
        out = tvar_from_var(x, v, pa)
        return float(out[0]) if np.ndim(p) == 0 else out

    def exceedance(self, x: float, *, line: str | None = None) -> float:
        """Probability that the annual payment exceeds ``x`` (USD)."""
        threshold = as_float_array(x, "x", allow_inf=True)
        if threshold.size != 1:
            raise InvalidInputError("x must be a single amount (USD)")
        return float((self._column(line) > threshold[0]).mean())

    def summary(self, levels: Sequence[float] | None = None) -> pd.DataFrame:
        """Table of mean, sd, VaR and TVaR with standard errors and analytic checks.

        Columns: ``simulated``, ``std_error``, ``analytic`` (closed form where one exists),
        ``z`` ((simulated - analytic) / std_error) and ``flag`` (True when ``|z| > 4``).
        """
        levels = tuple(levels) if levels is not None else self._levels
        check_probabilities(list(levels), "levels")
        rows: dict[str, dict[str, Any]] = {}
        finite = self.model.has_finite_mean
        analytic: dict[str, float | None] = {"mean": None, "std": None}
        if finite:
            analytic = {"mean": self.model.analytic_mean(), "std": self.model.analytic_std()}
            moments = ("mean", "std") if self.model.has_finite_variance else ("mean",)
            for m in moments:
                e = self.estimate(m)
                rows[m] = {"simulated": e.value, "std_error": e.std_error,
                           "analytic": analytic[m]}
        for p in levels:
            e = self.estimate("var", p)
            rows[f"VaR {p:.1%}"] = {"simulated": e.value, "std_error": e.std_error,
                                   "analytic": None}
        if finite:
            for p in levels:
                e = self.estimate("tvar", p)
                rows[f"TVaR {p:.1%}"] = {"simulated": e.value, "std_error": e.std_error,
                                        "analytic": None}
        df = pd.DataFrame.from_dict(rows, orient="index")
        df["analytic"] = pd.to_numeric(df["analytic"], errors="coerce").astype(float)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (df["simulated"] - df["analytic"]) / df["std_error"]
        df["z"] = z.where(np.isfinite(df["analytic"]))
        df["flag"] = df["z"].abs() > FLAG_Z
        df.index.name = "measure"
        return df

    def to_frame(self) -> pd.DataFrame:
        """Annual payments as a DataFrame: one column per line plus ``total``."""
        df = pd.DataFrame(self.losses, columns=list(self.line_names))
        df["total"] = self.total
        df.index.name = "year"
        return df

    def __str__(self) -> str:
        head = (
            f"Simulation of {self.n_years:,} years, {len(self.line_names)} line(s): "
            f"{', '.join(self.line_names)}; seed entropy {self.seed_entropy}"
        )
        table = self.summary()
        flagged = table.index[table["flag"]].tolist()
        note = (
            f"\nWARNING: simulated {flagged} differ from analytic by more than {FLAG_Z:g} s.e."
            if flagged
            else ""
        )
        return f"{head}\n{table.to_string(float_format=lambda v: f'{v:,.6g}')}{note}"


def simulate(
    model: CompoundModel | Portfolio,
    n_years: int,
    *,
    rng: RNGLike = None,
    chunk_size: int = 100_000,
    n_jobs: int = 1,
    backend: Backend | None = None,
    progress: bool = False,
) -> Simulation:
    """Simulate annual payments of a compound model or a portfolio of independent lines.

    Parameters
    ----------
    model : CompoundModel or Portfolio
        What to simulate.
    n_years : int
        Number of simulated years (>= 1).
    rng : int, SeedSequence, Generator or None
        Seed (SPEC 7). The same seed and ``chunk_size`` give the same result for any
        ``n_jobs`` and ``backend``.
    chunk_size : int, default 100_000
        Years per chunk; bounds the working memory.
    n_jobs : int, default 1
        Worker processes for ``backend="processes"``.
    backend : {"serial", "processes", "dask"}, optional
        Defaults to ``"processes"`` when ``n_jobs > 1``, else ``"serial"``. ``"dask"`` runs the
        chunks as ``dask.delayed`` tasks on the current scheduler (install the ``dask`` extra).
    progress : bool, default False
        Show a progress bar over chunks.

    Returns
    -------
    Simulation

    Examples
    --------
    >>> from scipy import stats
    >>> import actuarial as act
    >>> line = act.CompoundModel(stats.poisson(3), stats.expon(scale=1e6))
    >>> sim = act.simulate(line, 200_000, rng=7)
    >>> bool(abs(sim.mean() - 3e6) < 4 * sim.estimate("mean").std_error)
    True
    """
    if isinstance(model, CompoundModel):
        lines: tuple[CompoundModel, ...] = (model,)
    elif isinstance(model, Portfolio):
        lines = model.lines
    else:
        raise InvalidTypeError(
            f"model must be a CompoundModel or a Portfolio; got {type(model).__name__}"
        )
    n_years = check_int(n_years, "n_years", minimum=1)
    chunk_size = check_int(chunk_size, "chunk_size", minimum=1)
    backend, n_jobs = resolve_backend(backend, n_jobs)
    root = root_seed_sequence(rng)
    sizes = chunk_sizes(n_years, chunk_size)
    out = np.empty((n_years, len(lines)), dtype=np.float64)
    offsets = np.concatenate(([0], np.cumsum(sizes)))
    task = partial(_simulate_chunk, lines, root)
    for i, block in run_chunks(task, sizes, backend=backend, n_jobs=n_jobs, progress=progress):
        out[offsets[i] : offsets[i + 1]] = block
    return Simulation(
        losses=out,
        line_names=tuple(m.name for m in lines),
        model=model,
        seed_entropy=int(root.entropy),  # type: ignore[arg-type]
        chunk_size=chunk_size,
        spawn_key=tuple(int(k) for k in root.spawn_key),
    )

