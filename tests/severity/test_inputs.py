"""Bad input: clear errors naming the argument."""

from __future__ import annotations

import numpy as np
import pytest

import actuarial.severity as sev
from actuarial.exceptions import InvalidInputError, InvalidTypeError

X = np.array([1.0, 2.0, 3.5, 7.0, 12.0, 30.0])


@pytest.mark.parametrize(
    ("losses", "match"),
    [
        ([], "losses must contain at least 2"),
        ([5.0], "losses must contain at least 2"),
        ([1.0, np.nan, 3.0], "losses contains 1 NaN"),
        ([1.0, 0.0, 3.0], "losses must be strictly positive"),
        ([1.0, -2.0, 3.0], "losses must be strictly positive"),
    ],
)
def test_bad_losses(losses, match):
    with pytest.raises(InvalidInputError, match=match):
        sev.fit(losses, "lognormal")


def test_non_numeric_losses():
    with pytest.raises(InvalidTypeError, match="losses must be numeric"):
        sev.fit(["a", "b"], "lognormal")


def test_truncation_above_every_loss():
    with pytest.raises(InvalidInputError, match=r"truncation .* above every loss"):
        sev.fit(X, "lognormal", truncation=100.0)


def test_losses_below_their_truncation_point_are_an_error():
    with pytest.raises(InvalidInputError, match=r"2 loss\(es\) lie below their truncation"):
        sev.fit(X, "lognormal", truncation=3.0)


def test_per_loss_truncation_wrong_length():
    with pytest.raises(InvalidInputError, match="truncation must be a scalar or hold one"):
        sev.fit(X, "lognormal", truncation=[0.5, 0.5])


def test_negative_truncation():
    with pytest.raises(InvalidInputError, match="truncation must be a non-negative"):
        sev.fit(X, "lognormal", truncation=-1.0)


def test_censoring_wrong_length():
    with pytest.raises(InvalidInputError, match="censoring must be a one-dimensional array of 6"):
        sev.fit(X, "lognormal", censoring=[True, False])


def test_censoring_not_boolean():
    with pytest.raises(InvalidTypeError, match="censoring must hold booleans"):
        sev.fit(X, "lognormal", censoring=[0, 1, 2, 0, 0, 0])


def test_all_censored():
    with pytest.raises(InvalidInputError, match="censoring flags every loss"):
        sev.fit(X, "lognormal", censoring=np.ones(6, bool))


def test_weights_wrong_length_and_sign():
    with pytest.raises(InvalidInputError, match="weights must hold one value per loss"):
        sev.fit(X, "lognormal", weights=[1.0, 2.0])
    with pytest.raises(InvalidInputError, match="weights must be strictly positive"):
        sev.fit(X, "lognormal", weights=[1.0, 2.0, 0.0, 1.0, 1.0, 1.0])


def test_unknown_family():
    with pytest.raises(InvalidInputError, match="family 'pareto3' is not known; expected one"):
        sev.fit(X, "pareto3")
    with pytest.raises(InvalidTypeError, match="family must be a family name"):
        sev.fit(X, 3)


def test_threshold_rules():
    with pytest.raises(InvalidInputError, match="threshold is not used by the 'lognormal'"):
        sev.fit(X, "lognormal", threshold=2.0)
    with pytest.raises(InvalidInputError, match="spliced family needs threshold="):
        sev.fit(X, "spliced")
    with pytest.raises(InvalidInputError, match="at least 2 losses above threshold"):
        sev.fit(X, "gpd", threshold=25.0)
    with pytest.raises(InvalidInputError, match="below the Pareto scale"):
        sev.fit(X, "pareto", threshold=2.0)
    with pytest.raises(InvalidInputError, match="threshold must be a positive"):
        sev.fit(X, "gpd", threshold=-1.0)


def test_spliced_options():
    with pytest.raises(InvalidInputError, match="tail_weight must be one of"):
        sev.Spliced(tail_weight="mle")
    with pytest.raises(InvalidInputError, match="body must be a family supported"):
        sev.Spliced(body="gpd")
    with pytest.raises(InvalidInputError, match="tail_weight='empirical' needs untruncated"):
        sev.fit(np.geomspace(1, 100, 30), sev.Spliced(tail_weight="empirical"),
                truncation=0.5, threshold=20.0)


def test_errors_argument():
    with pytest.raises(InvalidInputError, match="errors must be 'warn' or 'raise'"):
        sev.fit(X, "lognormal", errors="ignore")


def test_start_missing_parameter():
    with pytest.raises(InvalidInputError, match="start is missing parameter"):
        sev.fit(X, "lognormal", start={"s": 1.0})


def test_compare_inputs():
    with pytest.raises(InvalidInputError, match="families must be a non-empty list"):
        sev.compare(X, "lognormal")
    with pytest.raises(InvalidInputError, match="families must be distinct"):
        sev.compare(X, ["lognormal", "lognormal"])


def test_from_params_checks():
    with pytest.raises(InvalidInputError, match=r"params\['s'\] must lie in \(0, inf\)"):
        sev.from_params("lognormal", {"s": -1.0, "scale": 1.0})
    with pytest.raises(InvalidInputError, match="needs its 'scale'"):
        sev.from_params("pareto", {"b": 1.5})
    with pytest.raises(InvalidInputError, match="unknown name"):
        sev.from_params("lognormal", {"s": 1.0, "scale": 1.0, "mu": 2.0})
