"""Perils: keyword-only rng, legacy RandomState in rvs, docstrings of the public methods."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from actuarial.book import PayoutMixture
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.perils import (
    CollateralShortfall,
    DepegCoverLoss,
    DepegEpisodeModel,
    LGDFit,
    MixedPayout,
    fit_depeg_model,
    load_depeg_exposure,
)

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def model() -> DepegEpisodeModel:
    depegs = pd.read_csv(REPO / "datasets" / "depegs.csv", parse_dates=["start_date", "end_date"])
    return fit_depeg_model(depegs, load_depeg_exposure())


def test_sample_episodes_takes_keyword_only_rng(model):
    design = model.designs[0]
    d1, n1 = model.sample_episodes(design, 50, rng=3)
    d2, n2 = model.sample_episodes(design, 50, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(d1, d2)
    np.testing.assert_array_equal(n1, n2)
    assert (d1 >= 1 - model.threshold).all() and (n1 >= 1).all()
    with pytest.raises(TypeError):
        model.sample_episodes(design, 50, np.random.default_rng(3))  # type: ignore[misc]
    with pytest.raises(InvalidInputError, match="design"):
        model.sample_episodes("no such design", 5, rng=1)
    with pytest.raises(InvalidTypeError, match="rng"):
        model.sample_episodes(design, 5, rng="seed")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "law",
    [MixedPayout(0.5, 0.1, stats.beta(2, 3), scale=10.0),
     PayoutMixture({1.0: 0.3}, stats.beta(2, 5))],
    ids=["MixedPayout", "PayoutMixture"],
)
def test_rvs_accepts_a_legacy_random_state(law):
    a = law.rvs(size=1_000, random_state=np.random.RandomState(4))
    b = law.rvs(size=1_000, random_state=np.random.RandomState(4))
    np.testing.assert_array_equal(a, b)
    state = np.random.RandomState(4)
    law.rvs(size=10, random_state=state)
    assert not np.array_equal(state.random(3), np.random.RandomState(4).random(3))  # advanced
    c = law.rvs(size=1_000, random_state=np.random.default_rng(4))
    np.testing.assert_array_equal(c, law.rvs(size=1_000, random_state=4))
    with pytest.raises(InvalidTypeError, match="rng"):
        law.rvs(size=3, random_state="seed")


def test_mixed_payout_rvs_inverts_the_random_state_uniforms():
    law = MixedPayout(0.5, 0.1, stats.beta(2, 3), scale=10.0)
    u = np.random.RandomState(8).random(20)
    np.testing.assert_allclose(law.rvs(size=20, random_state=np.random.RandomState(8)), law.ppf(u))


@pytest.mark.parametrize(
    ("cls", "names"),
    [
        (MixedPayout, ["cdf", "sf", "ppf", "rvs", "mean", "var", "std", "support"]),
        (CollateralShortfall, ["summary"]),
        (LGDFit, ["aic", "mean", "summary", "to_frame"]),
        (DepegEpisodeModel, ["designs", "summary", "sample_episodes"]),
        (DepegCoverLoss, ["summary"]),
    ],
)
def test_public_members_have_docstrings(cls, names):
    missing = [n for n in names if not inspect.getdoc(getattr(cls, n))]
    assert missing == []
