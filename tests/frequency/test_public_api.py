"""The public names of actuarial.frequency are pinned."""

import actuarial.frequency as fq

EXPECTED = {
    "FAMILIES",
    "BuhlmannStraub",
    "DispersionTest",
    "FrequencyFit",
    "LikelihoodRatioTest",
    "UnitRates",
    "buhlmann_straub",
    "dispersion_test",
    "fit",
    "garwood_interval",
    "thin",
    "unit_rates",
}


def test_public_names():
    assert set(fq.__all__) == EXPECTED
    for name in EXPECTED:
        assert hasattr(fq, name)


def test_families():
    assert fq.FAMILIES == ("poisson", "negbin", "zip", "zinb", "ztpoisson")
