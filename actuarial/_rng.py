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

__all__ = [
    "as_generator",
    "as_random_state_like",
    "chunk_generator",
    "chunk_seed_sequence",
    "root_seed_sequence",
]


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


def chunk_seed_sequence(root: np.random.SeedSequence, index: int) -> np.random.SeedSequence:
    """The ``index``-th child of ``root``, built statelessly.

    It equals ``root.spawn(index + 1)[index]`` for a fresh ``root`` but neither depends on nor
    changes how many children ``root`` has already spawned, so chunk ``index`` gets the same
    stream in any worker and in any order.

    Examples
    --------
    >>> root = np.random.SeedSequence(7)
    >>> child = chunk_seed_sequence(root, 2)
    >>> child.spawn_key, bool(child.entropy == root.entropy)
    ((2,), True)
    """
    return np.random.SeedSequence(
        root.entropy, spawn_key=(*root.spawn_key, int(index)), pool_size=root.pool_size
    )


def chunk_generator(root: np.random.SeedSequence, index: int) -> np.random.Generator:
    """Generator of chunk ``index``: the ``index``-th child of ``root``, built statelessly."""
    return np.random.Generator(np.random.PCG64(chunk_seed_sequence(root, index)))


def as_random_state_like(
    random_state: RNGLike | np.random.RandomState,
) -> np.random.Generator | np.random.RandomState:
    """Normalise the ``random_state`` argument of a scipy-style ``rvs``.

    scipy's ``rvs(size, random_state)`` accepts a legacy ``numpy.random.RandomState`` as
    well as the SPEC 7 inputs. A ``RandomState`` is returned unchanged; None, an int, a
    ``SeedSequence`` or a ``Generator`` give a ``Generator`` (:func:`as_generator`). Both
    results offer ``random(size)`` for uniforms on [0, 1) and can be passed on as the
    ``random_state`` of a scipy distribution.

    Examples
    --------
    >>> legacy = np.random.RandomState(3)
    >>> as_random_state_like(legacy) is legacy
    True
    >>> type(as_random_state_like(3)).__name__
    'Generator'
    """
    if isinstance(random_state, np.random.RandomState):
        return random_state
    return as_generator(random_state)
