"""Configuration: every key validated, errors name the key."""

import re

import pytest

from actuarial.exceptions import DataFormatError
from actuarial.report import load_config
from tests.report.conftest import DEMO


def write(tmp_path, text):
    (tmp_path / "book.csv").write_text((DEMO.parent / "book.csv").read_text())
    (tmp_path / "risk_model.csv").write_text((DEMO.parent / "risk_model.csv").read_text())
    path = tmp_path / "c.toml"
    path.write_text(text)
    return path


BASE = """
[book]
covers = "book.csv"
risk_model = "risk_model.csv"
[capital]
available_usd = 1e7
"""


def test_demo_config_loads_and_resolves_paths(demo_config):
    assert demo_config.book.covers.is_absolute() and demo_config.book.covers.exists()
    assert demo_config.run.n_years == 20_000


def test_minimal_config_uses_documented_defaults(tmp_path):
    cfg = load_config(write(tmp_path, BASE))
    assert cfg.pricing.cost_of_capital == 0.06
    assert cfg.data.completeness_threshold_usd == 1e7


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ("[run]\nn_yeras = 5\n", "run.n_yeras"),
        ("[run]\nn_years = 'many'\n", "run.n_years"),
        ("[pricing]\nlevel = 1.5\n", "pricing.level"),
        ("[run]\nlevels = [0.99, 1.0]\n", "run.levels"),
        ("[models]\nseverity_families = ['normal']\n", "models.severity_families"),
        ("[surprise]\nx = 1\n", "surprise"),
    ],
)
def test_bad_keys_are_named(tmp_path, extra, key):
    with pytest.raises(DataFormatError, match=key.replace(".", r"\.")):
        load_config(write(tmp_path, BASE + extra))


def test_missing_files(tmp_path):
    with pytest.raises(DataFormatError, match="not found"):
        load_config(tmp_path / "nope.toml")
    path = write(tmp_path, BASE.replace("book.csv", "missing.csv"))
    with pytest.raises(DataFormatError, match=re.escape("book.covers")):
        load_config(path)


def test_invalid_toml(tmp_path):
    with pytest.raises(DataFormatError, match="TOML"):
        load_config(write(tmp_path, BASE + "[run\n"))
