"""Ranking GARCH-family specifications by an information criterion."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from actuarial._typing import ArrayLike
from actuarial.exceptions import ConvergenceError, InvalidInputError, InvalidTypeError
from actuarial.volatility._fit import fit, ljung_box
from actuarial.volatility._spec import VolatilitySpec

__all__ = ["DEFAULT_CANDIDATES", "select"]

#: GARCH(1,1), GJR-GARCH(1,1,1) and EGARCH(1,1,1) with normal, t and skewed-t shocks.
DEFAULT_CANDIDATES: tuple[dict[str, Any], ...] = tuple(
    {"vol": v, "o": o, "dist": d}
    for v, o in (("garch", 0), ("gjr", 1), ("egarch", 1))
    for d in ("normal", "t", "skewt")
)


def select(
    returns: ArrayLike,
    candidates: Iterable[Mapping[str, Any] | VolatilitySpec] | None = None,
    *,
    criterion: str = "bic",
    **common: Any,
) -> pd.DataFrame:
    """Fit each candidate specification and rank them by ``criterion``.

    Parameters
    ----------
    returns : array_like or Series
        The series, as for :func:`fit`.
    candidates : iterable of dict or VolatilitySpec, optional
        Keyword sets of :func:`fit` (``{"vol": "gjr", "dist": "t"}``);
        :data:`DEFAULT_CANDIDATES` when omitted.
    criterion : {"bic", "aic"}
        Ranking criterion (smaller is better).
    **common
        Keywords passed to every fit (e.g. ``mean="zero"``, ``scale=100``).

    Returns
    -------
    pandas.DataFrame
        One row per candidate (indexed by its label), best first: ``loglik``, ``aic``,
        ``bic``, ``n_params``, ``persistence``, ``lb_pvalue`` (Ljung-Box, squared
        standardised residuals, lag 10), ``converged``. A candidate that fails to
        converge stays in the table, last, with NaN figures.

    Examples
    --------
    >>> import numpy as np
    >>> r = np.random.default_rng(4).standard_t(5, size=800)
    >>> table = select(r, [{"dist": "normal"}, {"dist": "t"}])
    >>> table.index[0]
    'constant-GARCH(1,1)-t'
    """
    if criterion not in ("bic", "aic"):
        raise InvalidInputError(f"criterion must be 'bic' or 'aic'; got {criterion!r}")
    rows = {}
    for cand in DEFAULT_CANDIDATES if candidates is None else candidates:
        if isinstance(cand, VolatilitySpec):
            kw = cand.to_dict()
        elif isinstance(cand, Mapping):
            kw = dict(cand)
        else:
            raise InvalidTypeError(
                f"candidates must hold dicts of fit keywords; got {type(cand).__name__}"
            )
        kw = {**common, **kw}
        label = VolatilitySpec(
            **{k: v for k, v in kw.items() if k in VolatilitySpec.__dataclass_fields__}
        ).label
        try:
            f = fit(returns, **kw)
        except ConvergenceError:
            rows[label] = {
                "loglik": np.nan,
                "aic": np.nan,
                "bic": np.nan,
                "n_params": np.nan,
                "persistence": np.nan,
                "lb_pvalue": np.nan,
                "converged": False,
            }
            continue
        rows[label] = {
            "loglik": f.loglik,
            "aic": f.aic,
            "bic": f.bic,
            "n_params": len(f.params),
            "persistence": f.persistence,
            "lb_pvalue": float(ljung_box(f, [10])["lb_pvalue"].iloc[0]),
            "converged": f.converged,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "model"
    return table.sort_values(criterion, na_position="last", kind="stable")
