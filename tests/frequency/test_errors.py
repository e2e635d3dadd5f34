"""Bad input raises clear errors naming the argument."""

import numpy as np
import pandas as pd
import pytest

import actuarial.frequency as fq
from actuarial.exceptions import InvalidInputError, InvalidTypeError

YEARS = range(2015, 2025)
COUNTS = pd.Series([3, 5, 4, 6, 8, 7, 9, 12, 10, 11], index=YEARS)


@pytest.mark.parametrize(
    ("counts", "match"),
    [
        (pd.Series([3, -1, 4, 5], index=range(4)), "counts must be non-negative"),
        (pd.Series([3, 1.5, 4, 5], index=range(4)), "counts must be whole numbers"),
        (pd.Series([3, np.nan, 4, 5], index=range(4)), "counts contains"),
        (pd.Series([3, 1, 4], index=["a", "b", "c"]), "counts must be indexed by period"),
        (pd.DataFrame({"n": [1, 2, 3]}), "'count' column"),
    ],
)
def test_bad_counts(counts, match):
    with pytest.raises((InvalidInputError, InvalidTypeError), match=match):
        fq.fit(counts, "poisson")


def test_bad_exposure():
    with pytest.raises(InvalidInputError, match="exposure must have one value per observation"):
        fq.fit(COUNTS, "poisson", exposure=np.ones(9))
    with pytest.raises(InvalidInputError, match="exposure must be positive"):
        fq.fit(COUNTS, "poisson", exposure=np.r_[np.ones(9), 0.0])
    with pytest.raises(InvalidInputError, match="exposure must be positive"):
        fq.fit(COUNTS, "poisson", exposure=np.r_[np.ones(9), -2.0])
    with pytest.raises(InvalidInputError, match="exposure has no value for period 2019"):
        fq.fit(
            COUNTS,
            "poisson",
            exposure=pd.Series(np.ones(9), index=[*range(2015, 2019), *range(2020, 2025)]),
        )
    with pytest.raises(InvalidInputError, match="exposure has no value for period"):
        fq.fit(COUNTS, "poisson", exposure=np.r_[np.ones(9), np.nan])
    table = COUNTS.to_frame("count").assign(exposure=1.0)
    with pytest.raises(InvalidInputError, match="exposure was given both"):
        fq.fit(table, "poisson", exposure=np.ones(10))


def test_trend_needs_enough_periods():
    short = pd.Series([3, 5], index=[2023, 2024])
    with pytest.raises(InvalidInputError, match="trend='linear' needs at least 3"):
        fq.fit(short, "poisson", trend="linear")
    with pytest.raises(InvalidInputError, match=r"trend.*period"):
        fq.fit(COUNTS, "poisson", trend="period")
    with pytest.raises(InvalidInputError, match="trend must be"):
        fq.fit(COUNTS, "poisson", trend="quadratic")
    tiny = pd.Series([3, 5, 4], index=[2022, 2023, 2024])
    with pytest.raises(InvalidInputError, match="trend: the model has 3 parameters"):
        fq.fit(tiny, "negbin", trend="linear")


def test_bad_family_and_covariates():
    with pytest.raises(InvalidInputError, match="family must be one of"):
        fq.fit(COUNTS, "binomial")
    with pytest.raises(InvalidInputError, match="covariates names columns"):
        fq.fit(COUNTS.to_frame("count"), "poisson", covariates=["size"])
    with pytest.raises(InvalidInputError, match="covariates given as column names"):
        fq.fit(COUNTS, "poisson", covariates="size")
    with pytest.raises(InvalidInputError, match="covariates must have one row"):
        fq.fit(COUNTS, "poisson", covariates=pd.DataFrame({"x": [1.0, 2.0]}))
    with pytest.raises(InvalidInputError, match="collinear"):
        fq.fit(COUNTS, "poisson", trend="linear", covariates=pd.DataFrame({"t2": np.arange(10.0)}))
    with pytest.raises(InvalidInputError, match="zero count"):
        fq.fit(pd.Series([0, 1, 2, 3], index=range(4)), "ztpoisson")


def test_rates_and_dispersion_errors():
    with pytest.raises(InvalidInputError, match="exposure must have one value per count"):
        fq.unit_rates([1, 2], [1.0])
    with pytest.raises(InvalidInputError, match="exposure is required"):
        fq.unit_rates([1, 2])
    with pytest.raises(InvalidInputError, match="level"):
        fq.unit_rates([1, 2], [1.0, 1.0], level=95)
    with pytest.raises(InvalidInputError, match="counts must be whole numbers"):
        fq.unit_rates([1.5, 2], [1.0, 1.0])
    with pytest.raises(InvalidInputError, match="exposure must be positive for every group"):
        fq.unit_rates([0, 2], [0.0, 1.0])
    cells = pd.DataFrame({"g": ["a", "b"], "count": [1, 2], "exposure": [1.0, 1.0]})
    with pytest.raises(InvalidInputError, match="epv='poisson'"):
        fq.buhlmann_straub(cells, by="g")
    with pytest.raises(InvalidInputError, match="by"):
        fq.buhlmann_straub(cells, by="design")
    with pytest.raises(InvalidInputError, match="at least two groups"):
        fq.buhlmann_straub(cells.assign(g="a"), by="g", epv="poisson")
    with pytest.raises(InvalidInputError, match="exposure"):
        fq.buhlmann_straub(cells.assign(exposure=[0.0, 1.0]), by="g", epv="poisson")
    with pytest.raises(InvalidTypeError, match="DataFrame"):
        fq.buhlmann_straub([1, 2], by="g")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="within='year'"):
        fq.dispersion_test(COUNTS, within="year")
    with pytest.raises(InvalidInputError, match="within must be"):
        fq.dispersion_test(COUNTS, within="month")
