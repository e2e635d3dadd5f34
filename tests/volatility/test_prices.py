"""Price loading and the cleaning rules (synthetic series unless marked real data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from actuarial.datasets.prices import (
    _klines_to_frame,
    check_price_series,
    clean_prices,
    fill_missing_days,
    load_prices,
    log_returns,
    mask_bad_prints,
    mask_stuck_prices,
    read_price_file,
)
from actuarial.exceptions import DataFormatError, InvalidInputError, InvalidTypeError

YAHOO = (
    "Date,Open,High,Low,Close,Adj Close,Volume\n"
    "2021-04-03,0.000000,1.26,0.000000,0.889,0.889,7023338\n"
    "2021-04-04,0.889,0.91,0.844,0.872,0.872,29514994\n"
    "2021-04-05,null,null,null,null,null,null\n"
    "2021-04-06,0.88,0.9,0.87,0.89,0.89,100\n"
)


def days(n: int, start: str = "2021-01-01") -> pd.DatetimeIndex:
    return pd.date_range(start, periods=n, name="date")


def test_read_yahoo_and_simple_formats(tmp_path):
    (tmp_path / "FEI-USD.csv").write_text(YAHOO)
    (tmp_path / "ABC.csv").write_text("date,close\n2021-01-01,2\n2021-01-02,3\n")
    f = read_price_file(tmp_path / "FEI-USD.csv")
    assert list(f.columns) == ["open", "high", "low", "close", "adj_close", "volume"]
    assert np.isnan(f.loc["2021-04-05", "close"])
    both = load_prices(["FEI", "ABC"], path=tmp_path)
    assert list(both.columns) == ["FEI", "ABC"]
    assert both["ABC"].dropna().tolist() == [2.0, 3.0]


def test_load_prices_search_order_and_errors(tmp_path, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for sub in ("a", "b"):
        (tmp_path / sub / "XYZ-USD.csv").write_text("date,close\n2021-01-01,1\n")
    monkeypatch.setenv("ACTUARIAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ACTUARIAL_CACHE_DIR", str(tmp_path / "cache"))
    with pytest.raises(DataFormatError, match="source="):
        load_prices("XYZ")
    assert load_prices("XYZ", source="b").shape == (1, 1)
    with pytest.raises(FileNotFoundError, match=r"ACTUARIAL_DATA_DIR.*fetch_prices"):
        load_prices("NOPE")
    with pytest.raises(InvalidInputError, match="field"):
        load_prices("XYZ", source="a", field="bid")


def test_malformed_files(tmp_path):
    (tmp_path / "A.csv").write_text("date,price\n2021-01-01,1\n")
    with pytest.raises(DataFormatError, match="close"):
        read_price_file(tmp_path / "A.csv")
    (tmp_path / "B.csv").write_text("date,close\n2021-01-02,1\n2021-01-01,1\n")
    with pytest.raises(DataFormatError, match="not sorted"):
        read_price_file(tmp_path / "B.csv")
    (tmp_path / "C.csv").write_text("date,close\n2021-01-01,1\n2021-01-01,1\n")
    with pytest.raises(DataFormatError, match="duplicated"):
        read_price_file(tmp_path / "C.csv")
    (tmp_path / "D.csv").write_text("date,close\n2021-01-01,abc\n")
    with pytest.raises(DataFormatError, match="non-numeric"):
        read_price_file(tmp_path / "D.csv")


def test_rule_bad_prints():
    f = pd.DataFrame(
        {
            "open": [1.0, 1.0, 1.0],
            "high": [1.1, 0.5, 1.1],
            "low": [0.0, 0.9, 1.05],
            "close": [1.0, 1.0, 1.0],
        },
        index=days(3),
    )
    out = mask_bad_prints(f)
    assert np.isnan(out["low"].iloc[0]) and np.isnan(out["low"].iloc[2])
    assert np.isnan(out["high"].iloc[1]) and out["low"].iloc[1] == 0.9
    assert out["close"].tolist() == [1.0, 1.0, 1.0]


def test_rule_stuck():
    s = pd.Series([1.0, 2, 2, 2, 2, 2, 2, 3, 3], index=days(9))
    out = mask_stuck_prices(s, max_repeats=5)
    assert out.isna().sum() == 5 and out.iloc[1] == 2.0
    assert mask_stuck_prices(s, max_repeats=6).isna().sum() == 0


def test_rule_fill_missing_days_geometric_interpolation():
    s = pd.Series(
        [1.0, 8.0, 1.0], index=pd.to_datetime(["2021-01-01", "2021-01-04", "2021-01-10"])
    )
    out = fill_missing_days(s, max_gap=3)
    assert len(out) == 10
    np.testing.assert_allclose(out.iloc[:4], [1, 2, 4, 8])
    assert out.iloc[4:9].isna().all()  # a 5-day gap stays missing


def test_clean_prices_reports_every_change():
    s = pd.Series([1.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.99], index=days(9), name="X")
    c = clean_prices(s, max_repeats=3, max_gap=1)
    rules = c.changes.groupby("rule").size().to_dict()
    assert rules["bad_print"] == 1
    assert rules["stuck"] == 5
    assert "X" in c.summary()


def test_log_returns_and_bad_input():
    s = pd.Series([100.0, 110.0, 99.0], index=days(3))
    np.testing.assert_allclose(log_returns(s), 100 * np.diff(np.log(s.to_numpy())))
    with pytest.raises(InvalidInputError, match="missing"):
        log_returns(pd.Series([1.0, np.nan, 1.0], index=days(3)))
    with pytest.raises(InvalidInputError, match="positive"):
        log_returns(pd.Series([1.0, -1.0], index=days(2)))
    with pytest.raises(InvalidInputError, match="duplicated"):
        check_price_series(pd.Series([1.0, 1.0], index=pd.to_datetime(["2021-01-01"] * 2)))
    with pytest.raises(InvalidTypeError, match="DatetimeIndex"):
        check_price_series(pd.Series([1.0, 2.0]))


def test_fetch_parser_offline():
    rows = [
        [1609459200000, "1", "2", "0.5", "29000.5", "0"],
        [1609545600000, "1", "2", "0.5", "29500.0", "0"],
    ]
    f = _klines_to_frame(rows)
    assert f.index[0] == pd.Timestamp("2021-01-01") and f["close"].iloc[1] == 29500.0


def test_real_files_load_and_clean(data_dir):
    """Real data: every price file reads, and the FEI zero Low is a bad print."""
    fei = read_price_file(data_dir / "prices/yahoo-stablecoins-2017-2022/FEI-USD.csv")
    assert fei["low"].iloc[0] == 0.0 and np.isnan(mask_bad_prints(fei)["low"].iloc[0])
    both = load_prices(["BTC", "ETH"], path=data_dir)
    assert both.shape == (971, 2) and both.notna().all().all()
