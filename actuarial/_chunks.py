"""Fixed-size chunks of simulated years, run serially, on a process pool or with Dask.

Every engine that simulates years (the compound-model engine, the book simulation) cuts them
into chunks of a fixed size and draws chunk ``i`` from the ``i``-th child of one
``SeedSequence`` (:mod:`actuarial._rng`), so the results do not depend on where or in which
order the chunks run. This module only schedules the chunks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Literal

from actuarial._validation import check_int
from actuarial.exceptions import InvalidInputError

__all__ = ["BACKENDS", "Backend", "chunk_sizes", "resolve_backend", "run_chunks"]

Backend = Literal["serial", "processes", "dask"]
BACKENDS: tuple[str, ...] = ("serial", "processes", "dask")


def chunk_sizes(n_years: int, chunk_size: int) -> list[int]:
    """Sizes of the chunks covering ``n_years`` years: full chunks, then the rest."""
    full, rest = divmod(n_years, chunk_size)
    return [chunk_size] * full + ([rest] if rest else [])


def resolve_backend(backend: str | None, n_jobs: int) -> tuple[Backend, int]:
    """Check ``backend`` and ``n_jobs``; default to a process pool when ``n_jobs > 1``."""
    n_jobs = check_int(n_jobs, "n_jobs", minimum=1)
    if backend is None:
        backend = "processes" if n_jobs > 1 else "serial"
    if backend not in BACKENDS:
        raise InvalidInputError(
            f"backend must be 'serial', 'processes' or 'dask'; got {backend!r}"
        )
    return backend, n_jobs  # type: ignore[return-value]


def run_chunks(
    task: Callable[[int, int], Any],
    sizes: list[int],
    *,
    backend: Backend = "serial",
    n_jobs: int = 1,
    progress: bool = False,
    desc: str = "simulating",
) -> Iterator[tuple[int, Any]]:
    """Yield ``(index, task(size, index))`` for every chunk, in index order.

    ``task`` must be picklable for the process pool and Dask (a module-level function or a
    ``functools.partial`` of one).
    """
    wrap: Callable[[Any], Any] = lambda it: it  # noqa: E731
    if progress:
        from tqdm.auto import tqdm

        def wrap(it: Any) -> Any:
            return tqdm(it, total=len(sizes), desc=desc, unit="chunk")

    if backend == "serial" or len(sizes) == 1:
        yield from wrap((i, task(s, i)) for i, s in enumerate(sizes))
    elif backend == "processes":
        with ProcessPoolExecutor(max_workers=n_jobs) as pool:
            futures = [pool.submit(task, s, i) for i, s in enumerate(sizes)]
            yield from wrap((i, f.result()) for i, f in enumerate(futures))
    else:
        try:
            import dask
        except ImportError:  # pragma: no cover - depends on the optional extra
            raise InvalidInputError(
                "backend='dask' needs the optional dependency: pip install 'actuarial[dask]'"
            ) from None
        tasks = [dask.delayed(task)(s, i) for i, s in enumerate(sizes)]
        yield from wrap(enumerate(dask.compute(*tasks)))
