"""Shared fixtures: the optional real-data folder (skip cleanly when absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def find_data_dir() -> Path | None:
    env = os.environ.get("ACTUARIAL_DATA_DIR")
    cand = Path(env) if env else REPO.parent / "shared" / "data"
    return cand if (cand / "prices").is_dir() else None


@pytest.fixture(scope="session")
def data_dir() -> Path:
    d = find_data_dir()
    if d is None:
        pytest.skip(
            "real price data absent: set ACTUARIAL_DATA_DIR to the shared/data folder "
            "(with prices/) or place it at <repo>/../shared/data"
        )
    return d
