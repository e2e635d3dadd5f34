"""Throughput of the Monte Carlo engine and the FFT method against the physical limits.

Prints, in one run on this machine (medians of several repetitions):

1. raw ``Generator.lognormal`` draws per second (the ceiling of any Monte Carlo);
2. simulated events per second of ``act.simulate`` on compound Poisson(3) x lognormal(15, 2)
   with a 1e6 xs 9.9e7 layer over 1e6 years, and its ratio to (1);
3. peak memory of ``act.simulate`` at 1e7 years (fresh process, resident set growth);
4. time of ``act.aggregate(..., method="fft")`` at rtol 1e-4 on TVaR 99 %, and the error
   actually achieved against a grid ten times finer.

Run with ``make bench`` or ``python benchmarks/bench_engine.py [--quick]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import subprocess
import sys
import textwrap
import time

import numpy as np
from scipy import stats

import actuarial as act


def model() -> act.CompoundModel:
    return act.CompoundModel(
        frequency=stats.poisson(3.0),
        severity=stats.lognorm(s=2.0, scale=math.exp(15.0)),
        terms=act.Layer(deductible=1e6, limit=9.9e7),
        name="hack",
    )


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_memory_mb(n_years: int) -> tuple[float, float]:
    """Resident-set growth (MB) of a fresh process simulating ``n_years``, and the output size."""
    code = textwrap.dedent(
        f"""
        import math, resource
        from scipy import stats
        import actuarial as act
        line = act.CompoundModel(stats.poisson(3.0), stats.lognorm(s=2.0, scale=math.exp(15.0)),
                                 act.Layer(deductible=1e6, limit=9.9e7))
        act.simulate(line, 1000, rng=0)  # warm up imports and caches
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sim = act.simulate(line, {n_years}, rng=1)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print((peak - base) / 1024, sim.losses.nbytes / 2**20)
        """
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    growth, output = (float(v) for v in out.stdout.split())
    return growth, output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, smaller runs")
    args = parser.parse_args()
    repeat = 3 if args.quick else 5
    n_years = 200_000 if args.quick else 1_000_000
    line = model()

    gen = np.random.default_rng(0)
    n_draws = 3 * n_years
    t_raw = median_time(lambda: gen.lognormal(15.0, 2.0, size=n_draws), repeat)
    raw_rate = n_draws / t_raw

    events = {}

    def run() -> None:
        events["sim"] = act.simulate(line, n_years, rng=1)

    t_sim = median_time(run, repeat)
    n_events = 3.0 * n_years  # expected number of events (sd sqrt(3 n), i.e. < 0.2 %)
    sim_rate = n_events / t_sim

    print("Monte Carlo engine (compound Poisson(3) x lognormal(15, 2), layer 99M xs 1M)")
    print(f"  raw Generator.lognormal      : {raw_rate / 1e6:8.2f} M draws/s")
    print(f"  act.simulate ({n_years:,} years) : {sim_rate / 1e6:8.2f} M events/s "
          f"({t_sim:.3f} s median of {repeat})")
    print(f"  ratio simulate / raw draws   : {sim_rate / raw_rate:8.2f}  (target >= 0.5)")

    big = 2_000_000 if args.quick else 10_000_000
    growth, output = peak_memory_mb(big)
    print(f"  peak memory growth at {big:,} years: {growth:,.0f} MB "
          f"(of which the annual results themselves: {output:,.0f} MB; target < 1 GB)")

    t_fft = median_time(lambda: act.aggregate(line, rtol=1e-4, levels=(0.99,)), repeat)
    agg = act.aggregate(line, rtol=1e-4, levels=(0.99,))
    fine = act.aggregate(line, h=agg.h / 10, n_points=agg.n_points * 16, rtol=1e-4,
                         levels=(0.99,))
    err = abs(agg.tvar(0.99) / fine.tvar(0.99) - 1.0)
    print("FFT aggregate, rtol 1e-4 on TVaR 99 %")
    print(f"  time {t_fft:.3f} s median of {repeat}; {agg.n_points:,} points, "
          f"h = {agg.h:,.0f} USD")
    print(f"  TVaR 99 % = {agg.tvar(0.99):,.0f} USD; relative difference to a 10x finer grid "
          f"{err:.1e}")
    sim = events["sim"]
    e = sim.estimate("tvar", 0.99)
    print(f"  Monte Carlo TVaR 99 % = {e.value:,.0f} ± {e.std_error:,.0f} USD "
          f"(z = {(e.value - agg.tvar(0.99)) / e.std_error:+.2f})")


if __name__ == "__main__":
    main()
