"""Allocation of a book's capital to lines or covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from actuarial._allocation import ALLOCATION_METHODS, allocate_matrix, tail_weights
from actuarial._validation import check_in_unit_interval
from actuarial.book import BookSimulation
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["Allocation", "allocate"]


@dataclass(frozen=True, eq=False)
class Allocation:
    """Capital allocated to lines or covers (immutable).

    ``table`` has one row per line (or cover): ``mean`` (expected claims),
    ``allocation`` (its share of the allocated total; for the Euler methods its contribution
    ``E_w[X_j]``), ``allocation_se`` (approximate Monte Carlo error), ``capital``
    (``allocation - mean``: its share of the capital above expected claims), ``share`` and
    ``standalone`` (the TVaR of the line on its own); ``diversification`` is
    ``1 - TVaR(total) / sum(standalone)``.
    """

    table: pd.DataFrame
    method: str
    level: float
    total: float
    diversification: float

    def to_frame(self) -> pd.DataFrame:
        """The allocation table with a total row."""
        out = self.table.copy()
        out.loc["total"] = out.sum(numeric_only=True)
        out.loc["total", "allocation_se"] = np.nan
        return out

    def summary(self) -> pd.DataFrame:
        """Same as :meth:`to_frame`."""
        return self.to_frame()

    def __str__(self) -> str:
        head = (
            f"Capital allocation by {self.method} at {self.level:.2%}: total "
            f"{self.total:,.0f} USD; diversification benefit {self.diversification:.1%}"
        )
        return f"{head}\n{self.to_frame().to_string(float_format=lambda v: f'{v:,.4g}')}"


def allocate(
    claims: Any,
    *,
    by: Literal["line", "cover"] = "line",
    method: str = "co-tvar",
    level: float = 0.99,
    lines: tuple[str, ...] | None = None,
    capital: float | None = None,
) -> Allocation:
    """Allocate the risk measure of a book's total claims to its lines or covers.

    Parameters
    ----------
    claims : BookSimulation, DataFrame or ndarray (n_years, k)
        Simulated claims; a DataFrame's columns (or ``col0``, ``col1``, ... for an array)
        name the lines.
    by : {"line", "cover"}, default "line"
        For a BookSimulation: allocate to cover types or to individual covers.
    method : {"co-tvar", "co-var", "covariance", "proportional"}, default "co-tvar"
        Euler contributions to TVaR (atom-safe; adding up exactly to the TVaR of the total),
        to VaR, covariance shares or shares in proportion to stand-alone TVaR.
    level : float, default 0.99
    lines : tuple of str, optional
        Restrict to these lines (each must exist and have claims).
    capital : float, optional
        Amount to share for ``covariance`` and ``proportional`` (default: TVaR of the total).

    Returns
    -------
    Allocation

    Raises
    ------
    InvalidInputError
        For a line with no covers or no simulated claims, naming it.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).exponential(size=(50_000, 3))
    >>> a = allocate(x, method="co-tvar", level=0.99)
    >>> from actuarial.risk import tvar
    >>> bool(np.isclose(a.table["allocation"].sum(), tvar(x.sum(axis=1), 0.99)))
    True
    """
    level = check_in_unit_interval(level, "level")
    if method not in ALLOCATION_METHODS:
        raise InvalidInputError(
            f"method must be one of {list(ALLOCATION_METHODS)}; got {method!r}"
        )
    if isinstance(claims, BookSimulation):
        if by == "line":
            names, matrix = claims.line_names, claims.line_losses
        elif by == "cover":
            names, matrix = claims.cover_ids, claims.claims
        else:
            raise InvalidInputError(f"by must be 'line' or 'cover'; got {by!r}")
    elif isinstance(claims, pd.DataFrame):
        names, matrix = tuple(str(c) for c in claims.columns), claims.to_numpy(dtype=float)
    elif isinstance(claims, np.ndarray):
        matrix = np.asarray(claims, dtype=float)
        if matrix.ndim != 2:
            raise InvalidInputError(f"claims must be 2-D (years x lines); got {matrix.shape}")
        names = tuple(f"col{j}" for j in range(matrix.shape[1]))
    else:
        raise InvalidTypeError(
            "claims must be a BookSimulation, a DataFrame or a 2-D array; got "
            f"{type(claims).__name__}"
        )
    if lines is not None:
        unknown = [ln for ln in lines if ln not in names]
        if unknown:
            raise InvalidInputError(
                f"cannot allocate to line(s) {unknown}: the book has no such covers "
                f"(lines present: {list(names)})"
            )
        idx = [names.index(ln) for ln in lines]
        names, matrix = tuple(lines), matrix[:, idx]
    alloc, se, total = allocate_matrix(
        matrix, names, method=method, level=level, total_capital=capital,  # type: ignore[arg-type]
        allow_empty=by == "cover" and isinstance(claims, BookSimulation),
    )
    standalone = np.array(
        [float(tail_weights(matrix[:, j], level) @ matrix[:, j]) for j in range(len(names))]
    )
    mean = matrix.mean(axis=0)
    table = pd.DataFrame(
        {
            "mean": mean,
            "allocation": alloc,
            "allocation_se": se,
            "capital": alloc - mean,
            "share": alloc / total if total else np.nan,
            "standalone": standalone,
        },
        index=pd.Index(names, name="line" if by == "line" else "cover_id"),
    )
    s = matrix.sum(axis=1)
    total_tvar = float(tail_weights(s, level) @ s)
    div = 1.0 - total_tvar / standalone.sum() if standalone.sum() > 0 else np.nan
    return Allocation(table, method, level, total, float(div))
