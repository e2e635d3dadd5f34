"""Shared fixtures: the SYNTHETIC data sets and R reference values of tests/reference.

The data are made-up counts drawn from known models (tests/reference/frequency/
make_synthetic.py); the reference values come from R (make_reference.R beside them).
"""

from pathlib import Path

import pandas as pd
import pytest

REF_DIR = Path(__file__).resolve().parents[1] / "reference" / "frequency"


def read_synthetic(name: str) -> pd.DataFrame:
    """One synthetic table, period as index (monthly periods as a PeriodIndex)."""
    frame = pd.read_csv(REF_DIR / f"synthetic_{name}.csv")
    if name == "monthly":
        frame["period"] = pd.PeriodIndex(frame["period"], freq="M")
    return frame.set_index("period")


@pytest.fixture(scope="session")
def r_values():
    """Function case -> {quantity: value} of the frozen R output."""
    table = pd.read_csv(REF_DIR / "reference_values.csv")

    def get(case: str) -> dict[str, float]:
        rows = table[table["case"] == case]
        assert len(rows), case
        return dict(zip(rows["quantity"], rows["value"].astype(float), strict=True))

    return get


@pytest.fixture(scope="session")
def synthetic():
    """Function name -> synthetic table (see :func:`read_synthetic`)."""
    return read_synthetic


@pytest.fixture(scope="session")
def annual():
    return read_synthetic("annual")
