"""Foundations: chunk seed sequences, scipy-style random_state, dates and year length."""

import datetime

import numpy as np
import pandas as pd
import pytest

from actuarial._rng import (
    as_random_state_like,
    chunk_generator,
    chunk_seed_sequence,
    root_seed_sequence,
)
from actuarial._time import DAYS_PER_YEAR, as_timestamp
from actuarial.exceptions import InvalidInputError, InvalidTypeError


@pytest.mark.parametrize(
    "root", [np.random.SeedSequence(5), np.random.SeedSequence(5).spawn(2)[1]]
)
def test_chunk_seed_sequence_is_the_indexed_child(root):
    fresh = np.random.SeedSequence(root.entropy, spawn_key=root.spawn_key)
    children = fresh.spawn(4)
    for i in (0, 3):
        child = chunk_seed_sequence(root, i)
        assert child.spawn_key == children[i].spawn_key
        np.testing.assert_array_equal(child.generate_state(4), children[i].generate_state(4))
    root.spawn(3)  # spawning from the root does not move the chunk streams
    np.testing.assert_array_equal(
        chunk_seed_sequence(root, 3).generate_state(4), children[3].generate_state(4)
    )


def test_chunk_generator_unchanged():
    root = root_seed_sequence(9)
    expected = np.random.Generator(np.random.PCG64(root.spawn(3)[2])).random(5)
    np.testing.assert_array_equal(chunk_generator(root_seed_sequence(9), 2).random(5), expected)


def test_as_random_state_like():
    legacy = np.random.RandomState(1)
    assert as_random_state_like(legacy) is legacy
    gen = np.random.default_rng(1)
    assert as_random_state_like(gen) is gen
    np.testing.assert_array_equal(
        as_random_state_like(7).random(3), np.random.default_rng(7).random(3)
    )
    assert isinstance(as_random_state_like(None), np.random.Generator)
    with pytest.raises(InvalidTypeError, match="rng"):
        as_random_state_like("seed")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "value",
    ["2026-03-01", datetime.date(2026, 3, 1), np.datetime64("2026-03-01"),
     pd.Timestamp("2026-03-01 00:00", tz="UTC")],
)
def test_as_timestamp_accepts_dates(value):
    assert as_timestamp(value, "start") == pd.Timestamp("2026-03-01")
    assert as_timestamp(value, "start").tzinfo is None


@pytest.mark.parametrize("value", ["not a date", None, float("nan"), [1, 2]])
def test_as_timestamp_names_the_argument(value):
    with pytest.raises(InvalidInputError, match="valuation_date must be a date"):
        as_timestamp(value, "valuation_date")


def test_days_per_year():
    assert DAYS_PER_YEAR == 365.25
