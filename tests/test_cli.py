"""The command line: thin, exit codes, one-line errors."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from actuarial.cli import main

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "examples" / "demo.toml"


def test_price_csv(tmp_path, capsys):
    out = tmp_path / "premiums.csv"
    assert main(["price", "--config", str(DEMO), "--n-years", "5000", "--format", "csv",
                 "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("cover_id,") and "technical_premium" in text


def test_capital_text(capsys):
    assert main(["capital", "--config", str(DEMO), "--n-years", "5000", "--seed", "3"]) == 0
    assert "Solvency II" in capsys.readouterr().out


def test_fit_json(tmp_path, capsys):
    out = tmp_path / "fits.json"
    assert main(["fit", "--config", str(DEMO), "--n-years", "2000", "--out", str(out)]) == 0
    payload = json.loads(out.read_text())
    assert payload["n_losses"] >= 100
    assert payload["severity"]["family"] in payload["comparison"]


def test_bad_config_one_line_nonzero(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text(DEMO.read_text().replace("[run]", "[run]\nbogus = 1"))
    assert main(["simulate", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "run.bogus" in err
    assert not (tmp_path / "reports").exists()


def test_missing_config_exit_code():
    proc = subprocess.run(
        [sys.executable, "-m", "actuarial.cli", "report", "--config", "nope.toml"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr and "not found" in proc.stderr


def test_debug_shows_traceback(tmp_path):
    with pytest.raises(Exception):  # noqa: B017
        main(["simulate", "--config", str(tmp_path / "nope.toml"), "--debug"])
