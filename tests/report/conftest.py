"""A small run of the demo configuration, shared by the report tests."""

from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "examples" / "demo.toml"


@pytest.fixture(scope="session")
def demo_config():
    from actuarial.report import load_config

    return load_config(DEMO, overrides={"run.n_years": 20_000})


@pytest.fixture(scope="session")
def demo_results(demo_config):
    from actuarial.report import run

    return run(demo_config)


@pytest.fixture(scope="session")
def demo_report(demo_results, tmp_path_factory):
    from actuarial.report import reserve_report

    return reserve_report(demo_results, out=tmp_path_factory.mktemp("report"))
