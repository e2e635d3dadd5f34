"""The ``actuarial`` command: a thin layer over the library (no modelling logic here).

Subcommands::

    actuarial fit      --config C [--out fits.json]      fit the market models, print summaries
    actuarial simulate --config C [--n-years N]          simulate the book, print the summary
    actuarial price    --config C [--format text|csv|json] [--out F]   premium table per cover
    actuarial capital  --config C [--format ...]          required capital, allocation, layers
    actuarial report   --config C [--out DIR]            write the reserve report

Common options: ``--seed``, ``--n-years``, ``--quiet`` (no progress bar), ``--debug`` (show
tracebacks). Exit status 0 on success; on bad input, one line on stderr and status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from actuarial.exceptions import ActuarialError
from actuarial.report import (
    fit_market,
    headline_text,
    load_config,
    reserve_report,
    run,
    run_book,
)
from actuarial.report.config import Config

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", required=True, type=Path, help="TOML configuration file")
    common.add_argument("--seed", "--rng", dest="seed", type=int, help="override run.seed")
    common.add_argument("--n-years", type=int, help="override run.n_years")
    common.add_argument("--out", type=Path, help="output file or directory")
    common.add_argument("--format", choices=("text", "csv", "json"), default="text",
                        help="format of printed tables (default text)")
    common.add_argument("--quiet", action="store_true", help="no progress bar")
    common.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser = argparse.ArgumentParser(
        prog="actuarial",
        description="Pricing and backstop sizing for crypto insurance.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("fit", "fit frequency and severity models to the loss record"),
        ("simulate", "simulate the annual claims of the book"),
        ("price", "premium table of the book's covers"),
        ("capital", "required capital, allocation and backstop layers"),
        ("report", "write the reserve report (HTML, CSV, Excel)"),
    ):
        sub.add_parser(name, parents=[common], help=text, description=text)
    return parser


def _config(args: argparse.Namespace) -> Config:
    overrides: dict[str, Any] = {}
    if args.seed is not None:
        overrides["run.seed"] = args.seed
    if args.n_years is not None:
        overrides["run.n_years"] = args.n_years
    return load_config(args.config, overrides=overrides)


def _emit(frame: pd.DataFrame, args: argparse.Namespace, title: str) -> None:
    if args.format == "csv":
        text = frame.to_csv()
    elif args.format == "json":
        text = frame.to_json(orient="index", indent=2, default_handler=str)
    else:
        text = f"{title}\n{frame.to_string(float_format=lambda v: f'{v:,.6g}')}\n"
    if args.out is not None and args.command != "report":
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)


def _fit(args: argparse.Namespace, cfg: Config) -> None:
    m = fit_market(cfg)
    print(m.comparison.to_string(float_format=lambda v: f"{v:,.6g}"))
    print(f"\nchosen severity: {m.chosen_name} ({m.chosen_reason})")
    print(m.chosen.summary())
    print(m.frequency_fit.summary())
    print(f"\n{m.hill}")
    if args.out is not None:
        payload = {
            "completeness_threshold_usd": m.threshold,
            "n_losses": len(m.sample),
            "severity": {
                "family": m.chosen_name,
                "params": {k: float(v) for k, v in m.chosen.params.items()},
                "loglik": float(m.chosen.loglik),
                "aic": float(m.chosen.aic),
            },
            "comparison": json.loads(m.comparison.to_json(orient="index")),
            "frequency": {
                "family": cfg.models.frequency_family,
                "params": {k: float(v) for k, v in m.frequency_fit.params.items()},
                "loglik": float(m.frequency_fit.loglik),
                "next_year": m.next_year,
                "predictive_mean": float(m.predictive.mean()),
                "predictive_p99": float(m.predictive.ppf(0.99)),
            },
            "hill": {"k": m.hill.k, "tail_index": float(m.hill.tail_index),
                     "std_err": float(m.hill.std_err)},
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        print(f"wrote {args.out}")


def _book_command(args: argparse.Namespace, cfg: Config) -> None:
    b = run_book(cfg)
    if args.command == "simulate":
        _emit(b.sim.summary(), args, str(b.sim).splitlines()[0])
    elif args.command == "price":
        _emit(b.premiums.table, args, str(b.premiums).splitlines()[0])
    else:
        table = pd.DataFrame({k: v.summary() for k, v in b.requirements.items()}).T
        table["coverage_ratio"] = [v.coverage_ratio(b.available) for v in
                                   b.requirements.values()]
        _emit(table, args, f"Required capital (available USD {b.available:,.0f})")
        if args.format == "text":
            print(b.allocation_lines["co-tvar"])
            if b.layers is not None:
                print(b.layers)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``actuarial`` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        cfg = _config(args)
        if args.command == "fit":
            _fit(args, cfg)
        elif args.command == "report":
            results = run(cfg, progress=not args.quiet)
            print(headline_text(results))
            path = reserve_report(results, out=args.out)
            print(f"reserve report: {path}")
        else:
            _book_command(args, cfg)
    except (ActuarialError, ValueError, TypeError, OSError) as exc:
        if args.debug:
            raise
        print(f"actuarial {args.command}: error: {exc}".splitlines()[0], file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
