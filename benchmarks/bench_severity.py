"""Time ``actuarial.severity.compare`` over every family on 1,000 synthetic losses.

Run: ``.venv/bin/python benchmarks/bench_severity.py``. Prints the median wall time of
several runs, and the time of a single fit per family for reference.
"""

from __future__ import annotations

import statistics
import time
import warnings

import numpy as np
from scipy import stats

import actuarial.severity as sev

FAMILIES = [*sev.FAMILIES, "spliced"]
REPEATS = 5


def main() -> None:
    rng = np.random.default_rng(2024)
    dist = stats.lognorm(2.0, scale=1e6)
    t = 1e6
    x = dist.isf(rng.uniform(size=1000) * dist.sf(t))  # 1,000 losses truncated at 1e6
    u = float(np.quantile(x, 0.9))
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            table = sev.compare(x, FAMILIES, truncation=t, threshold=u)
        times.append(time.perf_counter() - start)
    print(table[["k", "loglik", "aic", "ks", "converged"]].to_string())
    print(f"\ncompare() over {len(FAMILIES)} families on {x.size} losses: median "
          f"{statistics.median(times):.3f} s over {REPEATS} runs "
          f"(min {min(times):.3f} s, max {max(times):.3f} s)")
    for fam in FAMILIES:
        kw = {"threshold": u} if fam in ("spliced",) else {}
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sev.fit(x, fam, truncation=t, **kw)
        print(f"  fit {fam:<12s} {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
