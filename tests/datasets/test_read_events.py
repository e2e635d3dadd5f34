"""read_events: a user's CSV in the bundled schema; every error names file, row and column."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from actuarial.datasets import DroppedRowsWarning, read_events
from actuarial.exceptions import DataFormatError, InvalidInputError

HEADER = (
    "id,date,name,category,chain,technique,amount_usd,returned_usd,reimbursed_usd,source_url,notes"
)
GOOD = [
    "a,2023-01-05,Alpha,defi,ethereum,access-control,20000000,0,,https://example.org/a,",
    "b,2023-02-10,Beta,cex,bitcoin,private-key-compromise,15000000.5,,1000000,https://example.org/b,x",
    "c,2023-03-15,Gamma,bridge,multiple,other,12000000,12000000,,https://example.org/c,",
]


def write(tmp_path, lines, name="events.csv"):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_good_file_is_typed_like_the_bundled_data(tmp_path):
    frame = read_events(write(tmp_path, [HEADER, *GOOD]), kind="hacks")
    assert len(frame) == 3
    assert str(frame["date"].dtype) == "datetime64[ns]"
    assert frame["amount_usd"].tolist() == [20000000.0, 15000000.5, 12000000.0]
    assert frame["returned_usd"].isna().tolist() == [False, True, False]
    assert list(frame["category"].cat.categories) == [
        "defi",
        "bridge",
        "cex",
        "wallet",
        "custody",
        "other",
    ]
    assert frame.attrs["n_dropped"] == 0


def test_optional_columns_may_be_absent_and_extras_are_kept(tmp_path):
    lines = ["id,date,name,category,amount_usd,my_tag", "x,2024-01-01,X,wallet,1e7,keep me"]
    frame = read_events(write(tmp_path, lines), kind="hacks")
    assert frame["technique"].isna().all() and frame["source_url"].isna().all()
    assert frame.loc[0, "my_tag"] == "keep me"
    assert list(frame.columns)[-1] == "my_tag"


# (row to replace GOOD[1] with, column named, words in the message)
BAD_CELLS = [
    (GOOD[1].replace("2023-02-10", "10/02/2023"), "date", "is not a date"),
    (GOOD[1].replace("2023-02-10", "2023-02-30"), "date", "is not a date"),
    (GOOD[1].replace("15000000.5", "-15000000"), "amount_usd", "negative value"),
    (GOOD[1].replace("15000000.5", "15M"), "amount_usd", "is not a number"),
    (GOOD[1].replace("15000000.5", "inf"), "amount_usd", "is not a number"),
    (GOOD[1].replace(",,1000000", ",99000000,1000000"), "returned_usd", "exceeds amount_usd"),
    (GOOD[1].replace(",cex,", ",exchange,"), "category", "unknown value 'exchange'"),
    (GOOD[1].replace("private-key-compromise", "hack"), "technique", "unknown value"),
    (GOOD[1].replace("15000000.5", ""), "amount_usd", "empty value"),
    (GOOD[1].replace("b,", "a,", 1), "id", "duplicate id 'a' (first in row 1)"),
]


@pytest.mark.parametrize(("row", "column", "words"), BAD_CELLS)
def test_bad_cell_names_file_row_line_and_column(tmp_path, row, column, words):
    path = write(tmp_path, [HEADER, GOOD[0], row, GOOD[2]], name="user_hacks.csv")
    with pytest.raises(DataFormatError) as info:
        read_events(path, kind="hacks")
    message = str(info.value)
    expected = f"{path}: row 2 (line 3), column '{column}'"
    assert expected in message
    assert words in message
    assert "drop_invalid=True" in message


def test_missing_required_column_names_file_and_column(tmp_path):
    lines = [HEADER.replace("amount_usd,", ""), "a,2023-01-05,Alpha,defi,ethereum,other,0,,u,"]
    path = write(tmp_path, lines, name="no_amount.csv")
    with pytest.raises(DataFormatError, match=re.escape(f"{path}: header (line 1) lacks")) as info:
        read_events(path, kind="hacks", drop_invalid=True)  # cannot be dropped row by row
    assert "'amount_usd'" in str(info.value)


def test_wrong_field_count_and_line_numbers_after_a_multiline_field(tmp_path):
    note = '"a note\nover two lines"'
    lines = [
        HEADER,
        GOOD[0].rstrip(",") + "," + note,  # lines 2-3
        GOOD[1] + ",surplus",  # line 4
        GOOD[2].replace("12000000,12000000", "12000000,13000000"),  # line 5
    ]
    path = write(tmp_path, lines)
    with pytest.raises(DataFormatError) as info:
        read_events(path)
    message = str(info.value)
    assert f"{path}: row 2 (line 4), has 12 fields, the header has 11" in message
    assert f"{path}: row 3 (line 5), column 'returned_usd'" in message
    assert message.startswith("2 problem(s)")


def test_drop_invalid_drops_only_bad_rows_and_reports_the_count(tmp_path):
    lines = [
        HEADER,
        GOOD[0],
        GOOD[1].replace("15000000.5", "-1"),
        GOOD[2],
        GOOD[2].replace("c,", "d,", 1).replace("2023-03-15", "yesterday"),
    ]
    path = write(tmp_path, lines)
    with pytest.warns(DroppedRowsWarning, match=r"dropped 2 invalid row\(s\)") as record:
        frame = read_events(path, drop_invalid=True)
    assert "row 2 (line 3)" in str(record[0].message)
    assert "row 4 (line 5)" in str(record[0].message)
    assert frame["id"].tolist() == ["a", "c"]
    assert frame.attrs["n_dropped"] == 2
    assert frame.attrs["dropped_rows"] == (2, 4)


@pytest.mark.parametrize("kind", ["depegs", "defaults"])
def test_other_kinds_use_their_own_schema(tmp_path, kind):
    if kind == "depegs":
        lines = [
            "id,stablecoin,design,start_date,end_date,min_price,recovered",
            "D1,XUSD,algorithmic,2022-05-09,,0.1,False",
            "D2,YUSD,hybrid,2022-06-01,2022-05-01,0.9,maybe",
        ]
        bad = {"end_date": "is before start_date", "recovered": "is not a boolean"}
    else:
        lines = [
            "id,date,entity,type,exposure_usd,recovery_rate",
            "C1,2022-07-01,Lender,cefi-insolvency,1e9,0.35",
            "C2,2022-07-02,Other,insolvency,1e8,1.5",
        ]
        bad = {"type": "unknown value 'insolvency'", "recovery_rate": "must be <= 1"}
    path = write(tmp_path, lines)
    with pytest.raises(DataFormatError) as info:
        read_events(path, kind=kind)
    for column, words in bad.items():
        assert f"row 2 (line 3), column '{column}'" in str(info.value)
        assert words in str(info.value)
    first = read_events(write(tmp_path, lines[:2], "one.csv"), kind=kind)
    assert len(first) == 1


def test_bad_arguments_and_empty_file(tmp_path):
    path = write(tmp_path, [HEADER, *GOOD])
    with pytest.raises(InvalidInputError, match="kind"):
        read_events(path, kind="prices")
    with pytest.raises(InvalidInputError, match="drop_invalid"):
        read_events(path, drop_invalid="yes")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(DataFormatError, match="empty"):
        read_events(empty)
    header_only = read_events(write(tmp_path, [HEADER], "header.csv"))
    assert header_only.empty and list(header_only.columns) == HEADER.split(",")
    assert isinstance(header_only, pd.DataFrame)
