"""Generate the SYNTHETIC count data used by the frequency tests and R references.

These are made-up numbers drawn from known models with a fixed seed; they are not hack or
depeg data. Run once: ``python make_synthetic.py`` (writes the CSV files beside it).
"""

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
rng = np.random.default_rng(20240607)

# 1. Annual counts 2008-2024 with exposure (e.g. protocols covered) and an NB2 trend.
years = np.arange(2008, 2025)
exposure = np.round(np.linspace(20, 180, years.size) * rng.uniform(0.8, 1.2, years.size), 1)
mu = exposure * np.exp(-2.0 + 0.08 * (years - years[0]))
alpha = 0.25
annual = pd.DataFrame(
    {
        "period": years,
        "count": rng.negative_binomial(1 / alpha, 1 / (1 + alpha * mu)),
        "exposure": exposure,
    }
)
annual.to_csv(HERE / "synthetic_annual.csv", index=False)

# 2. Counts by year x category (Poisson with category and year effects), for covariates and
#    per-period effects.
cats = ["bridge", "defi", "exchange"]
rows = []
for y in range(2015, 2025):
    for j, c in enumerate(cats):
        rate = np.exp(1.0 + 0.5 * j + 0.1 * (y - 2015) + rng.normal(0, 0.15))
        rows.append({"period": y, "category": c, "count": rng.poisson(rate)})
pd.DataFrame(rows).to_csv(HERE / "synthetic_grouped.csv", index=False)

# 3. Zero-inflated NB counts with a linear trend (n = 120 periods, e.g. months).
n = 120
t = np.arange(n)
mu = np.exp(0.6 + 0.008 * t)
structural = rng.uniform(size=n) < 0.3
y = np.where(structural, 0, rng.negative_binomial(1 / 0.4, 1 / (1 + 0.4 * mu)))
pd.DataFrame({"period": t, "count": y}).to_csv(HERE / "synthetic_zeroinfl.csv", index=False)

# 4. Zero-truncated Poisson counts (incidents per hacked protocol), with a size covariate.
x = np.round(rng.uniform(-1, 1, 400), 3)
lam = np.exp(0.3 + 0.6 * x)
draws = rng.poisson(lam)
keep = draws > 0
pd.DataFrame({"period": np.arange(keep.sum()), "count": draws[keep], "x": x[keep]}).to_csv(
    HERE / "synthetic_ztp.csv", index=False
)

# 5. Cells group x year with exposure, for Buhlmann-Straub (Poisson with gamma group rates).
groups = ["algorithmic", "crypto-backed", "fiat-backed", "commodity", "hybrid"]
rates = rng.gamma(2.0, 0.05, len(groups))
cells = []
for g, r in zip(groups, rates, strict=True):
    for yr in range(2018, 2025):
        m = float(np.round(rng.uniform(2, 40), 2))
        cells.append({"design": g, "period": yr, "count": rng.poisson(r * m), "exposure": m})
pd.DataFrame(cells).to_csv(HERE / "synthetic_credibility.csv", index=False)

# 6. Monthly counts 2019-01..2024-12 with within-year clustering (gamma month effects).
months = pd.period_range("2019-01", "2024-12", freq="M")
base = np.exp(0.8 + 0.15 * (months.year - 2019))
monthly = rng.poisson(base * rng.gamma(2.0, 0.5, len(months)))
pd.DataFrame({"period": months.astype(str), "count": monthly}).to_csv(
    HERE / "synthetic_monthly.csv", index=False
)
