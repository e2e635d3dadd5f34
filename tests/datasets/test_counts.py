"""annual_counts and stablecoin_years against hand computations and plain loops."""

from __future__ import annotations

import warnings
from collections import Counter

import numpy as np
import pandas as pd
import pytest

import actuarial.datasets as ds
from actuarial.exceptions import InvalidInputError, InvalidTypeError
from actuarial.frequency._data import prepare_counts

EVENTS = pd.DataFrame(
    {
        "id": ["a", "b", "c", "d", "e"],
        "date": pd.to_datetime(
            ["2019-02-01", "2019-11-30", "2021-05-05", "2021-05-20", "2022-12-31"]
        ),
        "category": pd.Categorical(
            ["defi", "cex", "defi", "defi", "cex"], categories=["defi", "cex", "bridge"]
        ),
        "amount_usd": [5e6, 2e7, 3e7, np.nan, 1e7],
    }
)


def test_yearly_counts_are_zero_filled_inside_the_range():
    table = ds.annual_counts(EVENTS)
    assert table.index.name == "period" and table.index.dtype == np.int64
    assert table["count"].to_dict() == {2019: 2, 2020: 0, 2021: 2, 2022: 1}
    assert table["count"].dtype == np.int64


def test_grouped_counts_cover_every_category_and_year():
    table = ds.annual_counts(EVENTS, by="category")
    assert len(table) == 4 * 3
    got = {
        (p, c): n for p, c, n in zip(table.index, table["category"], table["count"], strict=True)
    }
    assert got[(2019, "defi")] == 1 and got[(2019, "cex")] == 1 and got[(2019, "bridge")] == 0
    assert got[(2020, "defi")] == 0 and got[(2021, "defi")] == 2 and got[(2022, "cex")] == 1
    assert isinstance(table["category"].dtype, pd.CategoricalDtype)


def test_min_amount_and_explicit_range():
    table = ds.annual_counts(EVENTS, min_amount=1e7, start=2018, end=2023)
    # NaN amount (event d) is not counted; event a (5e6) is below the threshold
    assert table["count"].to_dict() == {2018: 0, 2019: 1, 2020: 0, 2021: 1, 2022: 1, 2023: 0}
    narrow = ds.annual_counts(EVENTS, start=2020, end=2021)
    assert narrow["count"].to_dict() == {2020: 0, 2021: 2}


def test_month_periods():
    table = ds.annual_counts(EVENTS, freq="month")
    assert isinstance(table.index, pd.PeriodIndex) and table.index.freqstr == "M"
    assert table.index[0] == pd.Period("2019-02", "M")
    assert table.index[-1] == pd.Period("2022-12", "M")
    assert len(table) == 47
    assert table.loc[pd.Period("2021-05", "M"), "count"] == 2
    assert table["count"].sum() == 5
    year_bounds = ds.annual_counts(EVENTS, freq="month", start=2019, end=2022)
    assert len(year_bounds) == 48 and year_bounds.index[0] == pd.Period("2019-01", "M")


def test_bundled_hacks_counts_match_a_plain_loop():
    hacks = ds.load_hacks()
    table = ds.annual_counts(hacks, by="category", min_amount=1e7)
    loop = Counter(
        (d.year, c)
        for d, c, a in zip(hacks["date"], hacks["category"], hacks["amount_usd"], strict=True)
        if a >= 1e7
    )
    for period, cat, n in zip(table.index, table["category"], table["count"], strict=True):
        assert n == loop.get((period, cat), 0)
    assert table["count"].sum() == sum(loop.values())


def test_exposure_is_attached_and_table_feeds_the_frequency_module():
    exposure = pd.Series([2.0, 2.5, 3.0, 4.0], index=[2019, 2020, 2021, 2022])
    table = ds.annual_counts(EVENTS, exposure=exposure)
    assert table["exposure"].tolist() == [2.0, 2.5, 3.0, 4.0]
    data = prepare_counts(table)
    np.testing.assert_array_equal(data.counts, [2, 0, 2, 1])
    np.testing.assert_array_equal(data.exposure, [2.0, 2.5, 3.0, 4.0])
    monthly = prepare_counts(ds.annual_counts(EVENTS, freq="month"))
    assert isinstance(monthly.periods, pd.PeriodIndex)


def test_grouped_exposure_drops_empty_cells_and_rejects_uncovered_events():
    frame = pd.DataFrame(
        {
            "period": [2019, 2019, 2020, 2021, 2021, 2022, 2022],
            "category": ["defi", "cex", "defi", "defi", "cex", "defi", "cex"],
            "exposure": [1.0, 1.0, 1.0, 2.0, 0.5, 2.0, 1.0],
        }
    )
    table = ds.annual_counts(EVENTS, by="category", exposure=frame)
    # (2020, cex) and every bridge cell have no exposure and no event: left out
    assert len(table) == 7
    assert (table["exposure"] > 0).all()
    assert table.loc[2021].set_index("category")["count"].to_dict() == {"defi": 2, "cex": 0}
    with pytest.raises(InvalidInputError, match=r"period 2022 \(category='cex'\)"):
        ds.annual_counts(EVENTS, by="category", exposure=frame.iloc[:-1])
    # exposure split by category but counts not: summed over categories
    total = ds.annual_counts(EVENTS, exposure=frame)
    assert total["exposure"].tolist() == [2.0, 1.0, 2.5, 3.0]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"by": "chain"}, InvalidInputError, "chain"),
        ({"freq": "week"}, InvalidInputError, "freq"),
        ({"date_col": "when"}, InvalidInputError, "date_col"),
        ({"start": 2023, "end": 2020}, InvalidInputError, "after"),
        ({"exposure": [1, 2]}, InvalidTypeError, "exposure"),
        ({"exposure": pd.Series([1.0], index=[2019]), "by": "category"}, InvalidInputError, "by"),
        (
            {"exposure": pd.Series([1.0] * 4, index=[2019, 2020, 2021, 2022]), "freq": "month"},
            InvalidInputError,
            "month",
        ),
    ],
)
def test_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        ds.annual_counts(EVENTS, **kwargs)


def test_depegs_use_start_date_and_no_date_column_is_an_error():
    table = ds.annual_counts(ds.load_depegs())
    assert table["count"].sum() == len(ds.load_depegs())
    with pytest.raises(InvalidInputError, match="date_col"):
        ds.annual_counts(pd.DataFrame({"x": [1]}))
    with pytest.raises(InvalidTypeError, match="df"):
        ds.annual_counts([1, 2])


COINS = pd.DataFrame(
    {
        "stablecoin": ["A", "B", "C"],
        "design": pd.Categorical(["fiat-backed", "algorithmic", "fiat-backed"]),
        "launch_date": pd.to_datetime(["2020-07-01", "2019-01-01", "2021-03-15"]),
        "end_date": pd.to_datetime([None, "2020-03-01", None]),
    }
)


def test_stablecoin_years_against_hand_computation():
    got = ds.stablecoin_years(COINS, by=None, start=2019, end=2021)
    # 2019: B all year. 2020 (leap, 366 days): A Jul 1-Dec 31 = 184 days, B Jan 1-Feb 29 =
    # 60 days. 2021: A all year, C Mar 15-Dec 31 = 292 days of 365.
    expected = {2019: 1.0, 2020: (184 + 60) / 366, 2021: 1.0 + 292 / 365}
    assert got.index.tolist() == [2019, 2020, 2021]
    np.testing.assert_allclose(got["exposure"].to_numpy(), list(expected.values()), rtol=1e-12)


def test_stablecoin_years_by_design_and_by_month():
    got = ds.stablecoin_years(COINS, by="design", start=2020, end=2020)
    by_design = dict(zip(got["design"], got["exposure"], strict=True))
    assert by_design == pytest.approx({"algorithmic": 60 / 366, "fiat-backed": 184 / 366})
    monthly = ds.stablecoin_years(COINS, by=None, freq="month", start="2020-01", end="2020-12")
    assert monthly.loc[pd.Period("2020-02", "M"), "exposure"] == pytest.approx(29 / 366)
    assert monthly.loc[pd.Period("2020-07", "M"), "exposure"] == pytest.approx(31 / 366)
    assert monthly["exposure"].sum() == pytest.approx((184 + 60) / 366)
    # default range: first launch year to the end of the year of the latest date
    assert ds.stablecoin_years(COINS, by=None).index.tolist() == [2019, 2020, 2021]


def test_stablecoin_years_undated_coins_raise_or_are_dropped_with_a_warning():
    coins = ds.load_stablecoins()
    undated = sorted(coins.loc[coins["launch_date"].isna(), "stablecoin"])
    if not undated:
        pytest.skip("every bundled coin has a launch date")
    with pytest.raises(InvalidInputError, match="drop_undated=True"):
        ds.stablecoin_years(coins)
    with pytest.warns(ds.DroppedRowsWarning, match="understated"):
        table = ds.stablecoin_years(coins, drop_undated=True)
    assert table.attrs["n_dropped"] == len(undated)
    assert sorted(table.attrs["dropped"]) == undated


def test_depeg_counts_with_stablecoin_exposure():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ds.DroppedRowsWarning)
        exposure = ds.stablecoin_years(ds.load_stablecoins(), drop_undated=True)
    table = ds.annual_counts(ds.load_depegs(), by="design", exposure=exposure)
    assert (table["exposure"] > 0).all()
    assert table["count"].sum() == len(ds.load_depegs())
    data = prepare_counts(table)
    assert len(data.counts) == len(table)
