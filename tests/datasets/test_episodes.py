"""Unit tests of the depeg-episode rule on small SYNTHETIC price series.

Every series here is made up for the test (synthetic), not market data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from actuarial.datasets.episodes import find_depeg_episodes, read_close

COLUMNS = ["start_date", "end_date", "min_price", "days_below", "recovered"]


def synthetic(values: list[float], start: str = "2021-01-01") -> pd.Series:
    """Synthetic daily close series starting at ``start``."""
    return pd.Series(values, index=pd.date_range(start, periods=len(values), freq="D"))


def day(n: int, start: str = "2021-01-01") -> pd.Timestamp:
    return pd.Timestamp(start) + pd.Timedelta(days=n)


def test_synthetic_no_episode_gives_empty_frame_with_columns() -> None:
    out = find_depeg_episodes(synthetic([1.0, 0.99, 0.98, 1.01]))
    assert list(out.columns) == COLUMNS
    assert out.empty


def test_synthetic_threshold_is_strict() -> None:
    # a close exactly at the threshold is not below it
    assert find_depeg_episodes(synthetic([1.0, 0.98, 1.0])).empty
    assert len(find_depeg_episodes(synthetic([1.0, 0.9799] + [1.0] * 7))) == 1


def test_synthetic_gap_of_6_merges() -> None:
    values = [1.0, 0.95] + [1.0] * 6 + [0.96] + [1.0] * 7
    out = find_depeg_episodes(synthetic(values))
    assert len(out) == 1
    ep = out.iloc[0]
    assert ep["start_date"] == day(1)
    assert ep["end_date"] == day(8)
    assert ep["days_below"] == 2
    assert ep["min_price"] == pytest.approx(0.95)
    assert bool(ep["recovered"])


def test_synthetic_gap_of_7_does_not_merge() -> None:
    values = [1.0, 0.95] + [1.0] * 7 + [0.96] + [1.0] * 7
    out = find_depeg_episodes(synthetic(values))
    assert len(out) == 2
    assert list(out["start_date"]) == [day(1), day(9)]
    assert list(out["end_date"]) == [day(1), day(9)]
    assert list(out["days_below"]) == [1, 1]
    assert out["recovered"].all()


def test_synthetic_merge_gap_parameter() -> None:
    values = [1.0, 0.95, 1.0, 1.0, 0.96, 1.0, 1.0, 1.0]
    assert len(find_depeg_episodes(synthetic(values), merge_gap=2)) == 2
    assert len(find_depeg_episodes(synthetic(values), merge_gap=3)) == 1


def test_synthetic_open_episode_at_series_end() -> None:
    # six observations after the last below one: fewer than merge_gap = 7, so still open
    values = [1.0, 0.9, 0.92] + [1.0] * 6
    out = find_depeg_episodes(synthetic(values))
    assert len(out) == 1
    ep = out.iloc[0]
    assert ep["start_date"] == day(1)
    assert pd.isna(ep["end_date"])
    assert not bool(ep["recovered"])
    assert ep["days_below"] == 2
    assert ep["min_price"] == pytest.approx(0.9)


def test_synthetic_episode_recovered_with_exactly_merge_gap_after() -> None:
    values = [1.0, 0.9, 0.92] + [1.0] * 7
    ep = find_depeg_episodes(synthetic(values)).iloc[0]
    assert bool(ep["recovered"])
    assert ep["end_date"] == day(2)


def test_synthetic_series_ending_below_is_open() -> None:
    out = find_depeg_episodes(synthetic([1.0, 1.0, 0.5]))
    assert pd.isna(out.iloc[0]["end_date"])
    assert not bool(out.iloc[0]["recovered"])


def test_synthetic_nan_closes_are_dropped_not_gaps() -> None:
    # NaNs between two dips do not count as observations at or above the threshold:
    # three NaNs + four good closes = four observations between the dips, so they merge
    values = [1.0, 0.95] + [np.nan] * 3 + [1.0] * 4 + [0.96] + [1.0] * 7
    out = find_depeg_episodes(synthetic(values))
    assert len(out) == 1
    assert out.iloc[0]["days_below"] == 2
    assert out.iloc[0]["end_date"] == day(9)


def test_synthetic_nan_does_not_extend_or_count() -> None:
    # a NaN inside a dip neither counts as below nor breaks the episode
    values = [1.0, 0.95, np.nan, 0.96] + [1.0] * 7
    out = find_depeg_episodes(synthetic(values))
    assert len(out) == 1
    assert out.iloc[0]["days_below"] == 2
    # trailing NaNs are not observations, so they cannot make an episode recovered
    values = [1.0, 0.95] + [1.0] * 3 + [np.nan] * 10
    assert not bool(find_depeg_episodes(synthetic(values)).iloc[0]["recovered"])


def test_synthetic_min_price_includes_closes_between_merged_runs() -> None:
    values = [1.0, 0.97, 1.0, 0.96, 1.0, 0.975] + [1.0] * 7
    ep = find_depeg_episodes(synthetic(values)).iloc[0]
    assert ep["min_price"] == pytest.approx(0.96)
    assert ep["days_below"] == 3
    assert ep["start_date"] == day(1)
    assert ep["end_date"] == day(5)


def test_synthetic_episodes_in_date_order_and_dtypes() -> None:
    values = [0.9] + [1.0] * 8 + [0.8] + [1.0] * 8 + [0.7]
    out = find_depeg_episodes(synthetic(values))
    assert list(out["start_date"]) == sorted(out["start_date"])
    assert len(out) == 3
    assert pd.api.types.is_datetime64_any_dtype(out["start_date"])
    assert pd.api.types.is_datetime64_any_dtype(out["end_date"])
    assert out["days_below"].dtype == np.int64
    assert out["recovered"].dtype == bool
    assert out["min_price"].dtype == np.float64


def test_synthetic_custom_threshold() -> None:
    values = [1.0, 0.995, 1.0] + [1.0] * 7
    assert find_depeg_episodes(synthetic(values)).empty
    assert len(find_depeg_episodes(synthetic(values), threshold=0.999)) == 1


def test_input_is_not_modified() -> None:
    close = synthetic([1.0, np.nan, 0.9, 1.0])
    before = close.copy()
    find_depeg_episodes(close)
    pd.testing.assert_series_equal(close, before)


@pytest.mark.parametrize(
    ("close", "kwargs", "name"),
    [
        ([1.0, 0.9], {}, "close"),  # a list, not a Series
        (pd.Series([1.0, 0.9]), {}, "close"),  # RangeIndex, not DatetimeIndex
        (
            pd.Series([1.0, 0.9], index=pd.to_datetime(["2021-01-02", "2021-01-01"])),
            {},
            "close",
        ),
        (
            pd.Series([1.0, 0.9], index=pd.to_datetime(["2021-01-01", "2021-01-01"])),
            {},
            "close",
        ),
        (synthetic([1.0, 0.0]), {}, "close"),
        (synthetic([1.0, -0.5]), {}, "close"),
        (synthetic([1.0, 0.9]), {"threshold": 0.0}, "threshold"),
        (synthetic([1.0, 0.9]), {"threshold": 2.0}, "threshold"),
        (synthetic([1.0, 0.9]), {"threshold": float("nan")}, "threshold"),
        (synthetic([1.0, 0.9]), {"merge_gap": 0}, "merge_gap"),
        (synthetic([1.0, 0.9]), {"merge_gap": -3}, "merge_gap"),
        (synthetic([1.0, 0.9]), {"merge_gap": 2.5}, "merge_gap"),
    ],
)
def test_bad_input_raises_value_error_naming_argument(
    close: object, kwargs: dict[str, object], name: str
) -> None:
    with pytest.raises(ValueError, match=name):
        find_depeg_episodes(close, **kwargs)  # type: ignore[arg-type]


def test_read_close_parses_yahoo_csv_with_nulls(tmp_path) -> None:
    path = tmp_path / "SYNTH-USD.csv"
    path.write_text(
        "Date,Open,High,Low,Close,Adj Close,Volume\n"
        "2021-01-01,1.0,1.0,1.0,1.001,1.001,10\n"
        "2021-01-02,null,null,null,null,null,null\n"
        "2021-01-03,1.0,1.0,0.9,0.95,0.95,12\n",
        encoding="utf-8",
    )
    close = read_close(path)
    assert isinstance(close.index, pd.DatetimeIndex)
    assert close.index.name == "date"
    assert close.dtype == np.float64
    assert close.iloc[0] == pytest.approx(1.001)
    assert np.isnan(close.iloc[1])
    assert close.iloc[2] == pytest.approx(0.95)


def test_read_close_rejects_missing_close_column(tmp_path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("Date,Open\n2021-01-01,1.0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="Close"):
        read_close(path)
