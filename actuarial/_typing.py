"""Type aliases shared across the package."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["ArrayLike", "FloatArray", "RNGLike"]

#: Anything :func:`numpy.random.default_rng` accepts (SPEC 7).
RNGLike: TypeAlias = int | np.random.SeedSequence | np.random.Generator | None
#: One-dimensional numeric input: arrays, pandas Series, sequences of numbers.
ArrayLike: TypeAlias = npt.ArrayLike | pd.Series | Sequence[float]
FloatArray: TypeAlias = npt.NDArray[np.float64]
