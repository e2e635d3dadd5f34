"""Compound model of crypto hack losses under a cover layer: simulated and exact.

Assumptions (illustrative, stated rather than fitted): three incidents a year on the
covered market, each with a lognormal ground-up loss (median USD 3.3M, sigma 2), and a cover
paying USD 99M xs 1M per incident.
"""

import math

from scipy import stats

import actuarial as act


def main() -> None:
    line = act.CompoundModel(
        frequency=stats.poisson(3.0),
        severity=stats.lognorm(s=2.0, scale=math.exp(15.0)),
        terms=act.Layer(deductible=1e6, limit=9.9e7),
        name="hack",
    )
    print(line.describe())
    sim = act.simulate(line, n_years=1_000_000, rng=2026)
    print(sim)
    exact = act.aggregate(line, method="fft")
    print()
    print(exact)


if __name__ == "__main__":
    main()
