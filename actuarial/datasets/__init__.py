"""Bundled loss datasets (hacks, stablecoin depegs, credit defaults) and their tools.

The CSV files and their data dictionary live in ``datasets/`` of the source tree and ship
inside the wheel; ``manifest.toml`` declares each file's schema, and every load validates the
file against it. User files in the same schema are read with :func:`read_events`, DeFiLlama
hacks records are converted with :func:`from_defillama`, and :func:`annual_counts` turns
events into the count table the frequency models take.

Examples
--------
>>> import actuarial.datasets as ds
>>> hacks = ds.load_hacks(min_amount=ds.manifest()["hacks"]["completeness_threshold_usd"])
>>> counts = ds.annual_counts(hacks)
>>> int(counts.index.min()), int(counts.index.max()), int(counts["count"].sum()) == len(hacks)
(2016, 2025, True)
"""

from actuarial.datasets._counts import annual_counts, stablecoin_years
from actuarial.datasets._defillama import from_defillama
from actuarial.datasets._io import (
    DroppedRowsWarning,
    load_defaults,
    load_depegs,
    load_hacks,
    load_stablecoins,
    read_events,
)
from actuarial.datasets._schema import bundled_files, manifest
from actuarial.datasets.episodes import find_depeg_episodes, read_close
from actuarial.datasets.prices import (
    CleanedPrices,
    check_price_series,
    clean_prices,
    fetch_prices,
    fill_missing_days,
    load_prices,
    log_returns,
    mask_bad_prints,
    mask_stuck_prices,
    price_cache_dir,
    read_price_file,
)

__all__ = [
    "CleanedPrices",
    "DroppedRowsWarning",
    "annual_counts",
    "bundled_files",
    "check_price_series",
    "clean_prices",
    "fetch_prices",
    "fill_missing_days",
    "find_depeg_episodes",
    "from_defillama",
    "load_defaults",
    "load_depegs",
    "load_hacks",
    "load_prices",
    "load_stablecoins",
    "log_returns",
    "manifest",
    "mask_bad_prints",
    "mask_stuck_prices",
    "price_cache_dir",
    "read_close",
    "read_events",
    "read_price_file",
    "stablecoin_years",
]
