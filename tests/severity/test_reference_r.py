"""Fits against frozen R output (fitdistrplus / actuar / evd); see tests/reference/severity."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import actuarial.severity as sev

REF = Path(__file__).resolve().parents[1] / "reference" / "severity"
R_FITS = pd.read_csv(REF / "r_fits.csv")
CASES = sorted({(c, f) for c, f in zip(R_FITS["case"], R_FITS["family"], strict=True)})

# one tolerance per quantity
LOGLIK_REL, PARAM_REL, SE_REL = 1e-6, 1e-4, 2e-2


def _fit(case: str, family: str) -> sev.SeverityFit:
    if case == "untruncated":
        x = pd.read_csv(REF / "sample_untruncated.csv")["loss"]
        return sev.fit(x, family)
    if case == "truncated":
        x = pd.read_csv(REF / "sample_truncated.csv")["loss"]
        return sev.fit(x, family, truncation=0.5)
    data = pd.read_csv(REF / "sample_censored.csv")
    return sev.fit(data["loss"], family, truncation=data["truncation"],
                   censoring=data["censored"].astype(bool))


@pytest.mark.parametrize(("case", "family"), CASES)
def test_against_r(case, family):
    ref = R_FITS[(R_FITS["case"] == case) & (R_FITS["family"] == family)].set_index("param")
    res = _fit(case, family)
    assert res.converged
    assert res.loglik == pytest.approx(ref["loglik"].iloc[0], rel=LOGLIK_REL)
    for name, row in ref.iterrows():
        assert res.params[name] == pytest.approx(row["estimate"], rel=PARAM_REL)
        if np.isfinite(row["std_err"]):
            assert res.bse[name] == pytest.approx(row["std_err"], rel=SE_REL)
