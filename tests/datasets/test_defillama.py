"""from_defillama on a small hand-written fixture in DeFiLlama's hacks API format (no network)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from actuarial.datasets import DroppedRowsWarning, from_defillama, load_hacks
from actuarial.datasets._defillama import DEFILLAMA_HACKS_PAGE
from actuarial.exceptions import DataFormatError, InvalidTypeError

FIXTURE = Path(__file__).with_name("fixtures") / "defillama_hacks.json"


@pytest.fixture()
def records():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def test_fixture_is_converted_field_by_field(records):
    out = from_defillama(records)
    # expected values written by hand from the fixture and the documented mapping
    assert out["id"].tolist() == [
        "2022-03-23-ronin",
        "2023-03-13-euler-finance",
        "2024-07-01-some-cex",
        "2024-07-01-some-cex-2",
        "2023-11-14-access-demo",
    ]
    assert out["date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2022-03-23",
        "2023-03-13",
        "2024-07-01",
        "2024-07-01",
        "2023-11-14",
    ]
    assert out["category"].astype(str).tolist() == ["bridge", "defi", "cex", "other", "wallet"]
    assert out["chain"].tolist()[:2] == ["multiple", "ethereum"]
    assert pd.isna(out.loc[2, "chain"]) and out.loc[3, "chain"] == "bsc"
    assert out["technique"].astype(str).tolist() == [
        "private-key-compromise",
        "flash-loan-attack",
        "other",
        "insider-rug-pull",
        "access-control",
    ]
    assert out["amount_usd"].tolist() == [624e6, 197e6, 12e6, 2500000.5, 3e6]
    assert out["returned_usd"].tolist()[:2] == [5.8e6, 197e6]
    assert pd.isna(out.loc[2, "returned_usd"]) and out.loc[3, "returned_usd"] == 0.0
    assert out["reimbursed_usd"].isna().all()
    assert out.loc[2, "source_url"] == DEFILLAMA_HACKS_PAGE


def test_notes_keep_defillama_strings_and_flag_fallbacks(records):
    notes = from_defillama(records)["notes"]
    assert "technique=Flashloan Price Oracle Attack" in notes[1]
    assert "technique not in our vocabulary: set to other" in notes[2]
    assert "no source in the record" in notes[2]
    assert "targetType unknown: category set to other" in notes[3]
    assert "not in our vocabulary" not in notes[3]  # classification Rugpull maps it


def test_same_columns_and_dtypes_as_the_bundled_hacks(records):
    out = from_defillama(records)
    bundled = load_hacks()
    assert list(out.columns) == list(bundled.columns)
    assert out.dtypes.astype(str).to_dict() == bundled.dtypes.astype(str).to_dict()


def test_a_dataframe_of_records_is_accepted(records):
    pd.testing.assert_frame_equal(from_defillama(pd.DataFrame(records)), from_defillama(records))


def test_invalid_record_raises_or_is_dropped_with_a_count(records):
    records[1]["amount"] = None
    records[4]["returnedFunds"] = 5e6  # above the amount of 3e6
    with pytest.raises(DataFormatError) as info:
        from_defillama(records)
    assert "DeFiLlama records: record 2, column 'amount_usd', empty value" in str(info.value)
    assert "record 5, column 'returned_usd'" in str(info.value)
    with pytest.warns(DroppedRowsWarning, match="dropped 2 invalid record"):
        out = from_defillama(records, drop_invalid=True)
    assert len(out) == 3 and out.attrs["n_dropped"] == 2


def test_bad_container_types():
    with pytest.raises(InvalidTypeError, match="records"):
        from_defillama({"name": "x"})
    with pytest.raises(InvalidTypeError, match=r"records\[1\]"):
        from_defillama([{"name": "x"}, "y"])
    assert from_defillama([]).empty
