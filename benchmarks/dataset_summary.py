"""Summary statistics of the bundled loss datasets (for release notes and the data dictionary).

Run:  python benchmarks/dataset_summary.py

Prints, for hacks.csv: rows per year and category, rows at or above the USD 10M completeness
threshold, total gross loss per year, the ten largest incidents; and row counts of the other
files. Everything goes through the public loaders, so the files are validated on the way.
"""

from __future__ import annotations

import pandas as pd

import actuarial.datasets as ds


def main() -> None:
    threshold = ds.manifest()["hacks"]["completeness_threshold_usd"]
    hacks = ds.load_hacks()
    year = hacks["date"].dt.year.rename("year")
    pd.set_option("display.width", 120)

    print(
        f"hacks.csv: {len(hacks)} incidents, {hacks['date'].min().date()} to "
        f"{hacks['date'].max().date()}; {int((hacks['amount_usd'] >= threshold).sum())} at or "
        f"above the USD {threshold / 1e6:.0f}M completeness threshold\n"
    )
    by_cat = pd.crosstab(year, hacks["category"], margins=True, margins_name="total")
    big = (hacks["amount_usd"] >= threshold).groupby(year).sum().rename(">=10M")
    print("Rows per year and category (and rows >= 10M):")
    print(by_cat.join(big).fillna({">=10M": int(big.sum())}).astype(int).to_string(), "\n")

    per_year = (
        hacks.groupby(year).agg(
            gross_loss_musd=("amount_usd", "sum"),
            returned_musd=("returned_usd", "sum"),
            median_musd=("amount_usd", "median"),
        )
        / 1e6
    )
    per_year.loc["total"] = [
        hacks["amount_usd"].sum() / 1e6,
        hacks["returned_usd"].sum() / 1e6,
        hacks["amount_usd"].median() / 1e6,
    ]
    print("Gross loss per year (USD million at the time; returned = known returns only):")
    print(per_year.round(1).to_string(), "\n")

    top = hacks.nlargest(10, "amount_usd")[["date", "name", "category", "technique", "amount_usd"]]
    top = top.assign(date=top["date"].dt.date, amount_musd=(top.pop("amount_usd") / 1e6).round(1))
    print("Ten largest incidents (USD million):")
    print(top.to_string(index=False), "\n")

    depegs = ds.load_depegs()
    defaults = ds.load_defaults()
    coins = ds.load_stablecoins()
    print(
        f"depegs.csv: {len(depegs)} episodes of {depegs['stablecoin'].nunique()} coins; "
        f"{int(depegs['price_file'].notna().sum())} from checked price files, "
        f"{int(depegs['recovered'].eq(False).sum())} open"
    )
    print(
        pd.crosstab(depegs["start_date"].dt.year.rename("year"), depegs["design"]).to_string(),
        "\n",
    )
    print(f"defaults.csv: {len(defaults)} credit events")
    print(pd.crosstab(defaults["date"].dt.year.rename("year"), defaults["type"]).to_string(), "\n")
    print(
        f"stablecoins.csv: {len(coins)} coins, {int(coins['launch_date'].isna().sum())} "
        "without a launch date"
    )


if __name__ == "__main__":
    main()
