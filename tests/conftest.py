"""Test-suite configuration and fixtures shared by every folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

# Scripts that produced the frozen reference values are kept beside the numbers; they are
# not tests and must not run on collection.
collect_ignore_glob = ["reference/*"]


def find_data_dir() -> Path | None:
    """The optional reference-data folder: ``ACTUARIAL_DATA_DIR`` or ``<repo>/../shared/data``."""
    env = os.environ.get("ACTUARIAL_DATA_DIR")
    cand = Path(env) if env else REPO.parent / "shared" / "data"
    return cand if (cand / "prices").is_dir() else None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The reference price data; the test skips with a message when it is absent."""
    d = find_data_dir()
    if d is None:
        pytest.skip(
            "real price data absent: set ACTUARIAL_DATA_DIR to the shared/data folder "
            "(with prices/) or place it at <repo>/../shared/data"
        )
    return d
