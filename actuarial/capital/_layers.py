"""A backstop as a stack of layers: expected loss, probability touched and exhausted."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from actuarial._validation import check_nonnegative
from actuarial.capital._common import annual_claims
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["LayerAnalysis", "backstop_layers"]


@dataclass(frozen=True, eq=False)
class LayerAnalysis:
    """Losses to each layer of a backstop stack (immutable).

    ``table`` has one row per layer (in order of attachment) plus ``unfunded`` for losses
    above the stack, with ``attachment``, ``size``, ``expected_loss``,
    ``expected_loss_se``, ``p_touched`` (``P(X > attachment)``), ``p_exhausted``
    (``P(X >= attachment + size)``) and their standard errors; ``X`` is the annual loss
    net of premiums and expenses.
    """

    table: pd.DataFrame
    premiums: float
    expenses: float
    n: int

    def to_frame(self) -> pd.DataFrame:
        """The layer table (a copy)."""
        return self.table.copy()

    def summary(self) -> pd.DataFrame:
        """The layer table without the standard-error columns."""
        return self.table[["attachment", "size", "expected_loss", "p_touched", "p_exhausted"]]

    def __str__(self) -> str:
        head = (
            f"Backstop layers ({self.n:,} years; premiums {self.premiums:,.0f}, expenses "
            f"{self.expenses:,.0f} USD absorb losses first)"
        )
        return f"{head}\n{self.summary().to_string(float_format=lambda v: f'{v:,.6g}')}"


def backstop_layers(
    claims: Any,
    layers: Mapping[str, float] | Sequence[tuple[str, float]],
    *,
    premiums: float = 0.0,
    expenses: float = 0.0,
) -> LayerAnalysis:
    """Share the annual loss among a stack of backstop layers.

    Parameters
    ----------
    claims : array_like or simulation result
        Simulated annual claims (USD).
    layers : mapping or sequence of (name, size)
        Layers from the bottom up, e.g. ``{"first-loss buffer": 5e6, "staked pool": 2e7,
        "treasury": 5e7}``; sizes in USD (``inf`` for an unlimited top layer).
    premiums, expenses : float
        Premium income and expenses of the year (USD): the loss reaching the stack is
        ``max(claims - premiums + expenses, 0)``.

    Returns
    -------
    LayerAnalysis

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).exponential(1.0, size=200_000)
    >>> t = backstop_layers(x, {"buffer": 1.0, "pool": 2.0}).table
    >>> bool(abs(t.loc["pool", "p_touched"] - np.exp(-1)) < 0.005)   # P(X > 1)
    True
    >>> bool(abs(t.loc["pool", "expected_loss"] - (np.exp(-1) - np.exp(-3))) < 0.005)
    True
    """
    x = annual_claims(claims)
    prem = check_nonnegative(premiums, "premiums")
    exp = check_nonnegative(expenses, "expenses")
    items = list(layers.items()) if isinstance(layers, Mapping) else list(layers)
    if not items:
        raise InvalidInputError("layers must name at least one layer")
    names: list[str] = []
    sizes: list[float] = []
    for i, item in enumerate(items):
        if not (isinstance(item, tuple) and len(item) == 2):
            raise InvalidTypeError(f"layers[{i}] must be a (name, size) pair; got {item!r}")
        name, size = str(item[0]), check_nonnegative(item[1], f"size of layer {item[0]!r}",
                                                     allow_inf=True)
        if size == 0:
            raise InvalidInputError(f"size of layer {name!r} must be positive")
        if math.isinf(size) and i != len(items) - 1:
            raise InvalidInputError(f"only the top layer may be unlimited; {name!r} is not on top")
        if name in names or name == "unfunded":
            raise InvalidInputError(f"layer names must be unique and not 'unfunded'; got {name!r}")
        names.append(name)
        sizes.append(size)
    loss = np.maximum(x - prem + exp, 0.0)
    n = loss.size
    rows = []
    attach = 0.0
    for name, size in [*zip(names, sizes, strict=True), ("unfunded", math.inf)]:
        if name == "unfunded" and math.isinf(attach):
            break
        part = np.clip(loss - attach, 0.0, size)
        touched = float((loss > attach).mean())
        exhausted = float((loss >= attach + size).mean()) if math.isfinite(size) else 0.0
        rows.append(
            {
                "layer": name,
                "attachment": attach,
                "size": size,
                "expected_loss": float(part.mean()),
                "expected_loss_se": float(part.std(ddof=1) / math.sqrt(n)),
                "p_touched": touched,
                "p_touched_se": math.sqrt(touched * (1 - touched) / n),
                "p_exhausted": exhausted,
                "p_exhausted_se": math.sqrt(exhausted * (1 - exhausted) / n),
            }
        )
        attach += size
    return LayerAnalysis(pd.DataFrame(rows).set_index("layer"), prem, exp, n)
