"""Chunk scheduling shared by the engines: sizes, backends, order."""

import pytest

from actuarial._chunks import chunk_sizes, resolve_backend, run_chunks
from actuarial.exceptions import InvalidInputError


def _square(size, index):
    return index * index + size


def test_chunk_sizes_cover_every_year():
    assert chunk_sizes(25, 10) == [10, 10, 5]
    assert chunk_sizes(20, 10) == [10, 10]
    assert sum(chunk_sizes(1_000_001, 100_000)) == 1_000_001


@pytest.mark.parametrize("backend", ["serial", "processes", "dask"])
def test_every_backend_gives_the_same_blocks_in_order(backend):
    if backend == "dask":
        pytest.importorskip("dask")
    out = list(run_chunks(_square, [3, 3, 1], backend=backend, n_jobs=2))
    assert out == [(0, 3), (1, 4), (2, 5)]


def test_resolve_backend():
    assert resolve_backend(None, 1) == ("serial", 1)
    assert resolve_backend(None, 2) == ("processes", 2)
    with pytest.raises(InvalidInputError, match="backend"):
        resolve_backend("spark", 1)
    with pytest.raises(InvalidInputError, match="n_jobs"):
        resolve_backend(None, 0)
