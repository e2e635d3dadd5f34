"""Check datasets/depegs.csv against the depeg-episode rule run on the reference price files.

The price files are public market data that the project does not ship. They are read from the
directory named by ``ACTUARIAL_DATA_DIR`` or, failing that, ``<repo root>/../shared/data``; the
tests skip with a message when that directory (or one of the listed files) is absent.

The rule's parameters and the list of checked price files are read from
``datasets/manifest.toml`` (``[depegs.rule]``). For every file listed in ``price_files``:

(a) every episode the rule finds has a row in depegs.csv for the same stablecoin whose
    start_date is within ``start_tolerance_days`` (3) of the episode's start;
(b) every row whose ``price_file`` is that file equals an episode found in it exactly
    (start_date, end_date, days_below_0.98, recovered; min_price within 1e-6).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pandas as pd
import pytest

from actuarial.datasets.episodes import find_depeg_episodes, read_close

REPO_ROOT = Path(__file__).resolve().parents[2]
DEPEGS_CSV = REPO_ROOT / "datasets" / "depegs.csv"
STABLECOINS_CSV = REPO_ROOT / "datasets" / "stablecoins.csv"
MANIFEST = REPO_ROOT / "datasets" / "manifest.toml"
RULE = tomllib.loads(MANIFEST.read_text(encoding="utf-8"))["depegs"]["rule"]
HEADER = [
    "id",
    "stablecoin",
    "design",
    "start_date",
    "end_date",
    "min_price",
    "days_below_0.98",
    "recovered",
    "cause",
    "price_file",
    "source_url",
    "notes",
]
# Yahoo tickers that stablecoins.csv spells differently because two coins share the ticker.
TICKER_ALIASES = dict(RULE["ticker_aliases"])
START_TOLERANCE = pd.Timedelta(days=RULE["start_tolerance_days"])


def _data_dir() -> Path:
    env = os.environ.get(RULE["data_dir_env"])
    if env:
        return Path(env)
    return (REPO_ROOT / RULE["data_dir_default"]).resolve()


def _checked_files() -> list[str]:
    return list(RULE["price_files"])


def test_excluded_files_are_not_checked_and_give_a_reason() -> None:
    excluded = RULE["excluded_price_files"]
    assert excluded, "the SBD exclusion is recorded in the manifest"
    for entry in excluded:
        assert entry["path"] not in _checked_files()
        assert len(entry["reason"]) > 20


def _stablecoin_of(rel_path: str) -> str:
    ticker = Path(rel_path).name.removesuffix(".csv").removesuffix("-USD")
    return TICKER_ALIASES.get(ticker, ticker)


@pytest.fixture(scope="module")
def depegs() -> pd.DataFrame:
    table = pd.read_csv(DEPEGS_CSV, dtype=str, keep_default_na=False)
    assert list(table.columns) == HEADER
    out = table.copy()
    out["start_date"] = pd.to_datetime(table["start_date"], format="%Y-%m-%d")
    out["end_date"] = pd.to_datetime(table["end_date"].replace("", None), format="%Y-%m-%d")
    return out


@pytest.fixture(scope="module")
def data_dir() -> Path:
    path = _data_dir()
    if not path.is_dir():
        pytest.skip(
            f"reference price data not found at {path}; set ACTUARIAL_DATA_DIR to the "
            "shared data directory to run the depeg data-vs-rule checks"
        )
    return path


def test_checked_list_is_not_empty() -> None:
    files = _checked_files()
    assert files, "no price file listed in manifest.toml [depegs.rule] price_files"
    assert len(files) == len(set(files)), "a price file is listed twice"


def test_price_file_rows_name_a_checked_file(depegs: pd.DataFrame) -> None:
    listed = set(_checked_files())
    used = set(depegs.loc[depegs["price_file"] != "", "price_file"])
    assert used <= listed, f"rows cite price files not in the checked list: {used - listed}"


def test_depeg_rows_are_ordered_and_name_known_stablecoins(depegs: pd.DataFrame) -> None:
    assert list(depegs["id"]) == [f"D{i:04d}" for i in range(1, len(depegs) + 1)]
    assert depegs["start_date"].is_monotonic_increasing, "rows are not in date order"
    coins = pd.read_csv(STABLECOINS_CSV, dtype=str, keep_default_na=False)
    assert not coins["stablecoin"].duplicated().any(), "duplicated ticker in stablecoins.csv"
    design = dict(zip(coins["stablecoin"], coins["design"], strict=True))
    unknown = set(depegs["stablecoin"]) - set(design)
    assert not unknown, f"depegs.csv names stablecoins missing from stablecoins.csv: {unknown}"
    for _, row in depegs.iterrows():
        assert row["design"] == design[row["stablecoin"]], f"{row['id']}: design differs"
    for rel_path in _checked_files():
        assert _stablecoin_of(rel_path) in design, f"{rel_path}: coin not in stablecoins.csv"


@pytest.mark.parametrize("rel_path", _checked_files())
def test_depegs_match_rule(rel_path: str, depegs: pd.DataFrame, data_dir: Path) -> None:
    path = data_dir / rel_path
    if not path.is_file():
        pytest.skip(f"price file {path} not found in the reference data directory")
    episodes = find_depeg_episodes(
        read_close(path), threshold=RULE["threshold"], merge_gap=RULE["merge_gap"]
    )
    coin = _stablecoin_of(rel_path)
    coin_rows = depegs[depegs["stablecoin"] == coin]

    # (a) every episode found has a row for the same coin starting within 3 days
    for ep in episodes.itertuples():
        gap = (coin_rows["start_date"] - ep.start_date).abs()
        assert (gap <= START_TOLERANCE).any(), (
            f"{rel_path}: episode starting {ep.start_date.date()} has no {coin} row in "
            "depegs.csv starting within 3 days"
        )

    # (b) every row citing this file equals an episode exactly
    file_rows = depegs[depegs["price_file"] == rel_path]
    assert not file_rows.duplicated(subset=["start_date"]).any(), f"{rel_path}: duplicated rows"
    for _, row in file_rows.iterrows():
        rid = row["id"]
        assert row["stablecoin"] == coin, f"{rid}: stablecoin {row['stablecoin']} != {coin}"
        match = episodes[episodes["start_date"] == row["start_date"]]
        assert len(match) == 1, f"{rid}: no episode in {rel_path} starts {row['start_date']}"
        ep = match.iloc[0]
        if pd.isna(ep["end_date"]):
            assert pd.isna(row["end_date"]), f"{rid}: episode is open but end_date is set"
        else:
            assert row["end_date"] == ep["end_date"], f"{rid}: end_date differs"
        assert int(row["days_below_0.98"]) == ep["days_below"], f"{rid}: days_below differs"
        assert row["recovered"] == str(bool(ep["recovered"])), f"{rid}: recovered differs"
        tol = RULE["min_price_tolerance"]
        assert abs(float(row["min_price"]) - ep["min_price"]) <= tol, f"{rid}: min_price differs"
