"""Random-number handling following SPEC 7.

Every public function that draws takes a keyword-only ``rng`` (an int seed, a
``SeedSequence``, a ``Generator`` or None) and normalises it here, once. Parallel and chunked
work derives one child ``SeedSequence`` per fixed-size chunk *by index*, so chunk ``i`` always
draws the same numbers whatever order or worker it runs in.
"""

from __future__ import annotations

import numpy as np

from actuarial._typing import RNGLike
from actuarial.exceptions import InvalidTypeError

__all__ = ["as_generator", "chunk_generator", "root_seed_sequence"]


def as_generator(rng: RNGLike) -> np.random.Generator:
    """Return a ``numpy.random.Generator`` for ``rng`` (SPEC 7 normalisation)."""
    if rng is not None and not isinstance(
        rng, int | np.integer | np.random.SeedSequence | np.random.Generator
    ):
        raise InvalidTypeError(
            "rng must be None, an int seed, a numpy.random.SeedSequence or a "
            f"numpy.random.Generator; got {type(rng).__name__}"
        )
    return np.random.default_rng(rng)


def root_seed_sequence(rng: RNGLike) -> np.random.SeedSequence:
    """Return the ``SeedSequence`` from which chunk streams are derived.

    An int, None or ``SeedSequence`` is used directly. A ``Generator`` is consumed: 128 bits
    are drawn from it to seed the sequence, so that passing the same generator state gives
    the same result.
    """
    if isinstance(rng, np.random.SeedSequence):
        return rng
    if isinstance(rng, np.random.Generator):
        hi, lo = (int(v) for v in rng.integers(0, 2**63, size=2, dtype=np.int64))
        return np.random.SeedSequence((hi << 64) | lo)
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.SeedSequence(None if rng is None else int(rng))
    raise InvalidTypeError(
        "rng must be None, an int seed, a numpy.random.SeedSequence or a "
        f"numpy.random.Generator; got {type(rng).__name__}"
    )


def chunk_generator(root: np.random.SeedSequence, index: int) -> np.random.Generator:
    """Generator of chunk ``index``: the ``index``-th child of ``root``, built statelessly."""
    child = np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, int(index)), pool_size=root.pool_size
    )
    return np.random.Generator(np.random.PCG64(child))
