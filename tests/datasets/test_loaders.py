"""Bundled datasets: every file loads, matches its manifest schema and respects its rules."""

from __future__ import annotations

import csv
import re
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import actuarial.datasets as ds
from actuarial.exceptions import InvalidInputError

ROOT = Path(__file__).resolve().parents[2]
DATASETS = ROOT / "datasets"
MANIFEST = tomllib.loads((DATASETS / "manifest.toml").read_text(encoding="utf-8"))
LOADERS = {
    "hacks": ds.load_hacks,
    "depegs": ds.load_depegs,
    "defaults": ds.load_defaults,
    "stablecoins": ds.load_stablecoins,
}
PANDAS_DTYPES = {"float": "float64", "date": "datetime64[ns]"}


def test_dropped_rows_warning_is_an_actuarial_warning():
    assert issubclass(ds.DroppedRowsWarning, ds._io.ActuarialWarning)


def test_manifest_function_returns_the_file():
    assert ds.manifest() == MANIFEST
    assert MANIFEST["hacks"]["completeness_threshold_usd"] == 10_000_000


@pytest.mark.parametrize("name", list(LOADERS))
def test_bundled_file_matches_manifest(name):
    table = MANIFEST[name]
    with (DATASETS / table["file"]).open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
        n_rows = sum(1 for _ in csv.reader(fh))
    assert header == [c["name"] for c in table["columns"]]

    frame = LOADERS[name]()
    assert list(frame.columns) == header
    assert len(frame) == n_rows
    assert frame[table["primary_key"]].is_unique
    for col in table["columns"]:
        series = frame[col["name"]]
        if col["dtype"] in PANDAS_DTYPES:
            assert str(series.dtype) == PANDAS_DTYPES[col["dtype"]], col["name"]
        elif col["dtype"] == "category":
            assert list(series.cat.categories) == col["values"]
        if not col["nullable"]:
            assert series.notna().all(), f"{name}.{col['name']} has missing values"
        if col.get("min") is not None:
            assert (series.dropna() >= col["min"]).all()
    lo, hi = (pd.Timestamp(d) for d in table["date_range"])
    dates = frame[table["date_column"]].dropna()
    assert dates.between(lo, hi).all()
    if table["sort_by"]:
        order = frame.sort_values(table["sort_by"], kind="mergesort").index
        assert list(order) == list(frame.index), f"{name} is not sorted by {table['sort_by']}"


@pytest.mark.parametrize("name", list(LOADERS))
def test_every_row_has_a_web_source(name):
    frame = LOADERS[name]()
    assert frame["source_url"].str.match(r"^https?://\S+$").all()


def test_hacks_rules():
    hacks = ds.load_hacks()
    assert len(hacks) > 300
    pattern = re.compile(r"^\d{4}-\d{2}-\d{2}-[a-z0-9]+(-[a-z0-9]+)*$")
    assert hacks["id"].map(lambda s: bool(pattern.match(s))).all()
    assert (hacks["id"].str[:10] == hacks["date"].dt.strftime("%Y-%m-%d")).all()
    returned = hacks["returned_usd"].fillna(0)
    assert (returned <= hacks["amount_usd"]).all()
    assert (hacks["amount_usd"] >= MANIFEST["hacks"]["reporting_floor_usd"]).all()
    assert set(hacks["date"].dt.year) == set(range(2016, 2026))


def test_depegs_and_defaults_ids_in_date_order():
    depegs = ds.load_depegs()
    assert list(depegs["id"]) == [f"D{i:04d}" for i in range(1, len(depegs) + 1)]
    assert (depegs["min_price"] < MANIFEST["depegs"]["rule"]["threshold"]).all()
    defaults = ds.load_defaults()
    assert list(defaults["id"]) == [f"C{i:04d}" for i in range(1, len(defaults) + 1)]
    assert defaults["recovery_rate"].dropna().between(0, 1).all()


def test_depegs_name_stablecoins_of_the_same_design():
    coins = ds.load_stablecoins().set_index("stablecoin")
    depegs = ds.load_depegs()
    assert set(depegs["stablecoin"]) <= set(coins.index)
    design = coins.loc[depegs["stablecoin"], "design"].astype(str).to_numpy()
    np.testing.assert_array_equal(design, depegs["design"].astype(str).to_numpy())


def test_load_hacks_filters_match_a_plain_mask():
    everything = ds.load_hacks()
    got = ds.load_hacks(since="2021-06-01", until=2023, min_amount=5e7, categories=["cex"])
    mask = (
        (everything["date"] >= "2021-06-01")
        & (everything["date"] <= "2023-12-31")
        & (everything["amount_usd"] >= 5e7)
        & (everything["category"] == "cex")
    )
    pd.testing.assert_frame_equal(got, everything[mask].reset_index(drop=True))
    assert len(ds.load_hacks(categories="bridge")) == int(
        (everything["category"] == "bridge").sum()
    )


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"categories": ["dex"]}, "categories"),
        ({"categories": []}, "categories"),
        ({"min_amount": -1.0}, "min_amount"),
        ({"min_amount": "big"}, "min_amount"),
        ({"since": "not a date"}, "since"),
        ({"until": True}, "until"),
    ],
)
def test_load_hacks_rejects_bad_arguments(kwargs, match):
    with pytest.raises(InvalidInputError, match=match):
        ds.load_hacks(**kwargs)


def test_bundled_file_is_validated_on_every_load(monkeypatch, tmp_path):
    # a corrupted copy of the bundled folder: a negative amount must fail the load
    for path in DATASETS.glob("*.*"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    text = (tmp_path / "hacks.csv").read_text(encoding="utf-8").splitlines()
    fields = next(csv.reader([text[1]]))
    fields[6] = "-5"
    text[1] = ",".join(f'"{f}"' for f in fields)
    (tmp_path / "hacks.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    monkeypatch.setattr(ds._schema, "data_root", lambda: tmp_path)
    monkeypatch.setattr(ds._io, "data_root", lambda: tmp_path)
    with pytest.raises(ds._io.DataFormatError, match=r"row 1 \(line 2\), column 'amount_usd'"):
        ds.load_hacks()


def test_readme_documents_every_column_and_the_current_row_counts():
    readme = (DATASETS / "README.md").read_text(encoding="utf-8")
    for name, table in MANIFEST.items():
        if not isinstance(table, dict) or "columns" not in table:
            continue
        assert f"## {table['file']}" in readme
        for col in table["columns"]:
            assert f"| `{col['name']}` |" in readme, f"{name}.{col['name']} undocumented"
        rows = len(LOADERS[name]())
        assert re.search(rf"\| `{re.escape(table['file'])}` \| [^|]+ \| {rows} \|", readme), (
            f"README.md states a row count for {table['file']} other than {rows}"
        )
    hacks = ds.load_hacks()
    n_big = int((hacks["amount_usd"] >= 1e7).sum())
    assert f"({n_big} rows" in readme and f"could document ({len(hacks) - n_big} rows)" in readme
    assert "Last updated: **2026-11-23**" in readme
    assert str(MANIFEST["last_updated"]) == "2026-11-23"
