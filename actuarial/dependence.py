"""Dependence between lines of cover: a common-shock crisis year and copulas.

Two mechanisms, usable together, are provided; :func:`actuarial.simulate_book` composes them
through :class:`Dependence`.

**Crisis year (common shock).** Each simulated year is a *crisis year* with probability
``probability``. In a crisis year the incident rate of every subject of cover type ``t`` is
multiplied by ``multipliers[t]``; all cover types are hit in the same years, as 2022 hit
stablecoins (UST, USDD), centralised lenders (Celsius, Voyager, FTX) and on-chain credit
pools at once. With ``preserve_mean=True`` (default) the given rate is read as the long-run
average: normal years use ``rate / (1 - p + p m)`` and crisis years ``m`` times that, so the
expected number of incidents, hence the expected loss, is unchanged and switching the crisis
off changes only the shape of the distribution.

**Copula on line totals (sample reordering).** A :class:`GaussianCopula` or
:class:`StudentTCopula` couples the annual totals of the lines by reordering simulated years,
in the manner of Iman and Conover (1982) and Arbenz, Hummel and Mainik (2012): for each line
the simulated years are permuted so that the ranks of the line's annual totals equal the ranks
of a sample drawn from the copula. Every line keeps its simulated marginal distribution
exactly; the joint ranks follow the copula. The reordering acts on whole simulated years of
a line, so covers of one line keep their joint behaviour (concentration on a subject).
Years with tied totals (many years without claims) are ordered at random among themselves,
which lowers the rank correlation that can be reached on sparse lines.

References
----------
Iman, R. L. and Conover, W. J. (1982). A distribution-free approach to inducing rank
correlation among input variables. *Communications in Statistics B*, 11(3), 311-334.

Arbenz, P., Hummel, C. and Mainik, G. (2012). Copula based hierarchical risk aggregation
through sample reordering. *Insurance: Mathematics and Economics*, 51(1), 122-133.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from scipy import stats

from actuarial._rng import as_generator
from actuarial._typing import FloatArray, RNGLike
from actuarial._validation import check_in_unit_interval, check_int, check_positive
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = [
    "Copula",
    "CrisisShock",
    "Dependence",
    "GaussianCopula",
    "StudentTCopula",
    "exchangeable_correlation",
    "reorder_by_copula",
]


def exchangeable_correlation(dim: int, rho: float) -> FloatArray:
    """Correlation matrix with ones on the diagonal and ``rho`` elsewhere.

    Parameters
    ----------
    dim : int
        Number of lines (>= 1).
    rho : float
        Common correlation, in ``(-1 / (dim - 1), 1)`` so that the matrix is positive definite.

    Examples
    --------
    >>> exchangeable_correlation(3, 0.5)
    array([[1. , 0.5, 0.5],
           [0.5, 1. , 0.5],
           [0.5, 0.5, 1. ]])
    """
    dim = check_int(dim, "dim", minimum=1)
    rho = float(rho)
    lower = -1.0 / (dim - 1) if dim > 1 else -1.0
    if not (lower < rho < 1.0) and dim > 1:
        raise InvalidInputError(f"rho must lie in ({lower:.4g}, 1) for dim={dim}; got {rho!r}")
    out = np.full((dim, dim), rho)
    np.fill_diagonal(out, 1.0)
    return out


def _check_correlation(corr: Any) -> FloatArray:
    try:
        c = np.array(corr, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidTypeError("corr must be a square numeric matrix") from None
    if c.ndim != 2 or c.shape[0] != c.shape[1] or c.shape[0] < 1:
        raise InvalidInputError(f"corr must be a square matrix; got shape {c.shape}")
    if not np.all(np.isfinite(c)):
        raise InvalidInputError("corr must contain only finite values")
    if not np.allclose(c, c.T, atol=1e-12):
        raise InvalidInputError("corr must be symmetric")
    if not np.allclose(np.diag(c), 1.0, atol=1e-12):
        raise InvalidInputError("corr must have ones on its diagonal")
    if np.any(np.abs(c) > 1.0):
        raise InvalidInputError("corr entries must lie in [-1, 1]")
    eig = np.linalg.eigvalsh(c)
    if eig.min() < -1e-10:
        raise InvalidInputError(
            f"corr must be positive semi-definite; its smallest eigenvalue is {eig.min():.3g}"
        )
    c.setflags(write=False)
    return c


def _cholesky(c: FloatArray) -> FloatArray:
    """Cholesky factor, tolerating a singular (e.g. comonotone) correlation matrix."""
    try:
        return np.asarray(np.linalg.cholesky(c), dtype=np.float64)
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(c)
        return vecs * np.sqrt(np.clip(vals, 0.0, None))


@runtime_checkable
class Copula(Protocol):
    """What a copula must offer to couple lines: its dimension and a sampler of scores.

    ``scores(n, rng=rng)`` returns an ``(n, dim)`` array whose columns have continuous
    marginals and whose ranks follow the copula (uniforms themselves, or any monotone
    transform).
    """

    @property
    def dim(self) -> int:
        """Number of coupled lines."""
        ...

    def scores(self, n: int, *, rng: RNGLike = None) -> FloatArray:
        """``n`` draws, shape ``(n, dim)``, whose joint ranks follow the copula.

        ``rng`` (keyword-only) is an int seed, a ``SeedSequence``, a ``Generator`` or None
        (SPEC 7); a ``Generator`` is used as is, so its stream advances.
        """
        ...

    def marginal(self, indices: Any) -> Copula:
        """The copula of the lines ``indices`` (in that order)."""
        ...


@dataclass(frozen=True)
class GaussianCopula:
    """Gaussian copula with correlation matrix ``corr``.

    Parameters
    ----------
    corr : array_like, shape (d, d)
        Correlation matrix of the underlying normal vector (symmetric, unit diagonal,
        positive semi-definite). Its entries are *not* the rank correlations of the coupled
        losses: for the Gaussian copula Spearman's rho is ``(6 / pi) asin(r / 2)``.

    Examples
    --------
    >>> cop = GaussianCopula(exchangeable_correlation(2, 0.6))
    >>> u = cop.sample(20_000, rng=1)
    >>> from scipy import stats
    >>> bool(abs(stats.spearmanr(u).statistic - 6 / np.pi * np.arcsin(0.3)) < 0.02)
    True
    """

    corr: FloatArray

    def __post_init__(self) -> None:
        object.__setattr__(self, "corr", _check_correlation(self.corr))

    @property
    def dim(self) -> int:
        """Number of coupled lines."""
        return int(self.corr.shape[0])

    def scores(self, n: int, *, rng: RNGLike = None) -> FloatArray:
        """Correlated standard normals, shape ``(n, dim)`` (ranks follow the copula)."""
        n = check_int(n, "n", minimum=0)
        z = as_generator(rng).standard_normal((n, self.dim))
        return z @ _cholesky(self.corr).T

    def marginal(self, indices: Any) -> GaussianCopula:
        """The copula of the lines ``indices`` (a sub-matrix of ``corr``)."""
        idx = np.asarray(indices, dtype=np.int64)
        return GaussianCopula(self.corr[np.ix_(idx, idx)])

    def sample(self, n: int, *, rng: RNGLike = None) -> FloatArray:
        """Draw ``n`` points of the copula (uniform marginals), shape ``(n, dim)``."""
        n = check_int(n, "n", minimum=1)
        return stats.norm.cdf(self.scores(n, rng=rng))


@dataclass(frozen=True)
class StudentTCopula:
    """Student t copula with correlation ``corr`` and ``df`` degrees of freedom.

    For the same ``corr`` it has more joint extremes than the Gaussian copula (tail
    dependence coefficient ``2 t_{df+1}(-sqrt((df + 1)(1 - r) / (1 + r)))``).

    Examples
    --------
    >>> cop = StudentTCopula(exchangeable_correlation(2, 0.5), df=4)
    >>> cop.sample(5, rng=0).shape
    (5, 2)
    """

    corr: FloatArray
    df: float = 4.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "corr", _check_correlation(self.corr))
        object.__setattr__(self, "df", check_positive(self.df, "df"))

    @property
    def dim(self) -> int:
        """Number of coupled lines."""
        return int(self.corr.shape[0])

    def scores(self, n: int, *, rng: RNGLike = None) -> FloatArray:
        """Multivariate t draws, shape ``(n, dim)`` (ranks follow the copula)."""
        n = check_int(n, "n", minimum=0)
        gen = as_generator(rng)
        z = gen.standard_normal((n, self.dim)) @ _cholesky(self.corr).T
        w = gen.chisquare(self.df, size=(n, 1)) / self.df
        return z / np.sqrt(w)

    def marginal(self, indices: Any) -> StudentTCopula:
        """The copula of the lines ``indices`` (same ``df``, a sub-matrix of ``corr``)."""
        idx = np.asarray(indices, dtype=np.int64)
        return StudentTCopula(self.corr[np.ix_(idx, idx)], self.df)

    def sample(self, n: int, *, rng: RNGLike = None) -> FloatArray:
        """Draw ``n`` points of the copula (uniform marginals), shape ``(n, dim)``."""
        n = check_int(n, "n", minimum=1)
        return stats.t.cdf(self.scores(n, rng=rng), self.df)


def _random_ranks(x: FloatArray, rng: np.random.Generator) -> np.ndarray:
    """Ordering of ``x`` ascending with ties broken at random."""
    return np.lexsort((rng.random(x.size), x))


def reorder_by_copula(
    totals: FloatArray, copula: Copula, *, rng: RNGLike = None
) -> np.ndarray:
    """Row permutations that give the columns of ``totals`` the copula's ranks.

    Parameters
    ----------
    totals : ndarray, shape (n, d)
        Simulated annual totals of ``d`` lines (independent columns).
    copula : Copula
        Target dependence; ``copula.dim`` must equal ``d``.
    rng : int, SeedSequence, Generator or None
        Randomness for the copula sample and for breaking ties.

    Returns
    -------
    ndarray of int, shape (n, d)
        ``perm[:, j]`` is the order in which to read the years of line ``j``:
        ``totals[perm[:, j], j]`` has the same values as ``totals[:, j]`` and, jointly over
        ``j``, the ranks of a sample of the copula.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.exponential(size=(10_000, 2))
    >>> perm = reorder_by_copula(x, GaussianCopula([[1, 0.9], [0.9, 1]]), rng=1)
    >>> y = np.column_stack([x[perm[:, j], j] for j in range(2)])
    >>> bool(np.allclose(np.sort(y, axis=0), np.sort(x, axis=0)))   # marginals kept
    True
    >>> bool(stats.spearmanr(y).statistic > 0.85)
    True
    """
    x = np.asarray(totals, dtype=np.float64)
    if x.ndim != 2:
        raise InvalidInputError(f"totals must be a 2-D array (years x lines); got {x.shape}")
    if not isinstance(copula, Copula):
        raise InvalidTypeError(
            "copula must be a GaussianCopula, a StudentTCopula or offer dim and scores()"
        )
    if copula.dim != x.shape[1]:
        raise InvalidInputError(
            f"copula has dimension {copula.dim} but totals has {x.shape[1]} line(s)"
        )
    gen = as_generator(rng)
    n, d = x.shape
    if n == 0:
        return np.zeros((0, d), dtype=np.int64)
    target_rank = np.argsort(np.argsort(copula.scores(n, rng=gen), axis=0), axis=0)
    perm = np.empty((n, d), dtype=np.int64)
    for j in range(d):
        order = _random_ranks(x[:, j], gen)  # years of line j, smallest total first
        perm[:, j] = order[target_rank[:, j]]
    return perm


@dataclass(frozen=True)
class CrisisShock:
    """A common-shock crisis year that multiplies incident rates jointly.

    Parameters
    ----------
    probability : float
        Probability that a year is a crisis year, in (0, 1).
    multipliers : mapping cover type -> float
        Factor (> 0) on the incident rate of each cover type in a crisis year; types not
        listed keep factor 1.
    preserve_mean : bool, default True
        Read the risk model's rate as the long-run average (normal and crisis years
        together) and rescale so that the expected incident count is unchanged. With False
        the rate is the normal-year rate and crises add to it.

    Examples
    --------
    >>> shock = CrisisShock(0.1, {"depeg": 5.0, "default": 6.0})
    >>> normal, crisis = shock.factors("depeg")
    >>> round(normal, 4), round(crisis, 4), round(0.9 * normal + 0.1 * crisis, 12)
    (0.7143, 3.5714, 1.0)
    """

    probability: float
    multipliers: Mapping[str, float] = field(default_factory=dict)
    preserve_mean: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "probability", check_in_unit_interval(self.probability, "probability")
        )
        if not isinstance(self.multipliers, Mapping):
            raise InvalidTypeError("multipliers must be a mapping from cover type to a factor")
        clean = {
            str(k): check_positive(v, f"multipliers[{k!r}]") for k, v in self.multipliers.items()
        }
        object.__setattr__(self, "multipliers", clean)
        object.__setattr__(self, "preserve_mean", bool(self.preserve_mean))

    def factors(self, cover_type: str) -> tuple[float, float]:
        """Rate factors ``(normal year, crisis year)`` for ``cover_type``."""
        m = float(self.multipliers.get(cover_type, 1.0))
        base = 1.0 / (1.0 - self.probability + self.probability * m) if self.preserve_mean else 1.0
        return base, base * m

    def draw(self, n: int, *, rng: RNGLike = None) -> np.ndarray:
        """Crisis indicator (bool) for ``n`` simulated years."""
        n = check_int(n, "n", minimum=0)
        return as_generator(rng).random(n) < self.probability


@dataclass(frozen=True)
class Dependence:
    """How the lines of a book depend on each other.

    Parameters
    ----------
    crisis : CrisisShock, optional
        Common shock on incident rates; None for no crisis years.
    copula : GaussianCopula or StudentTCopula, optional
        Copula on the annual totals of the lines, applied by sample reordering within each
        chunk of simulated years and separately within crisis and normal years (so the
        crisis years stay common to all lines).
    lines : tuple of str, optional
        Order of the lines (cover types) in the copula's correlation matrix. Required with
        a copula.

    Examples
    --------
    >>> dep = Dependence(crisis=CrisisShock(0.1, {"depeg": 4.0}),
    ...                  copula=GaussianCopula(exchangeable_correlation(2, 0.3)),
    ...                  lines=("hack", "depeg"))
    >>> dep.is_independent, Dependence().is_independent
    (False, True)
    """

    crisis: CrisisShock | None = None
    copula: Copula | None = None
    lines: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.crisis is not None and not isinstance(self.crisis, CrisisShock):
            raise InvalidTypeError(
                f"crisis must be a CrisisShock or None; got {type(self.crisis).__name__}"
            )
        if self.copula is not None and not isinstance(self.copula, Copula):
            raise InvalidTypeError(
                "copula must be a GaussianCopula, a StudentTCopula or None; got "
                f"{type(self.copula).__name__}"
            )
        lines = tuple(str(v) for v in self.lines)
        object.__setattr__(self, "lines", lines)
        if self.copula is not None:
            if len(lines) != self.copula.dim:
                raise InvalidInputError(
                    f"lines must name the {self.copula.dim} line(s) of the copula in order; "
                    f"got {list(lines)}"
                )
            if len(set(lines)) != len(lines):
                raise InvalidInputError(f"lines must be unique; got {list(lines)}")

    @property
    def is_independent(self) -> bool:
        """True when neither a crisis shock nor a copula is set."""
        return self.crisis is None and self.copula is None

    def describe(self) -> str:
        """One-paragraph description of the mechanism, for reports."""
        parts = []
        if self.crisis is not None:
            mult = ", ".join(f"{k} x{v:g}" for k, v in self.crisis.multipliers.items())
            parts.append(
                f"crisis year with probability {self.crisis.probability:g} "
                f"(rate multipliers {mult or 'none'}; "
                f"{'mean-preserving' if self.crisis.preserve_mean else 'additive'})"
            )
        if self.copula is not None:
            name = type(self.copula).__name__
            extra = f", df={self.copula.df:g}" if isinstance(self.copula, StudentTCopula) else ""
            parts.append(f"{name}{extra} on annual line totals of {', '.join(self.lines)}")
        return "; ".join(parts) if parts else "independent lines"

    def __str__(self) -> str:
        return self.describe()

