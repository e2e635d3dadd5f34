"""Reserve report: run the pipeline for a configuration and write HTML, CSV and Excel.

Examples
--------
>>> import actuarial as act
>>> path = act.report.reserve_report("examples/demo.toml", out="reports")  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from actuarial.report.config import Config, load_config
from actuarial.report.document import Figure, ReportDocument, Section, Table
from actuarial.report.pipeline import (
    BookResults,
    MarketModels,
    ReserveResults,
    fit_market,
    run,
    run_book,
)
from actuarial.report.sections import build_document, headline_text

__all__ = [
    "BookResults",
    "Config",
    "Figure",
    "MarketModels",
    "ReportDocument",
    "ReserveResults",
    "Section",
    "Table",
    "build_document",
    "fit_market",
    "headline_text",
    "load_config",
    "reserve_report",
    "run",
    "run_book",
]


def reserve_report(
    config_or_results: str | Path | Config | ReserveResults,
    out: str | Path | None = None,
    *,
    progress: bool = False,
    overrides: dict[str, Any] | None = None,
) -> Path:
    """Write the reserve report and return the path of its HTML file.

    Parameters
    ----------
    config_or_results : path, Config or ReserveResults
        A TOML configuration file, a validated :class:`Config`, or results of :func:`run`.
    out : path, optional
        Output directory; defaults to the configuration's ``report.out``. It receives
        ``reserve-report.html`` (self-contained), ``reserve-report.xlsx`` and ``tables/*.csv``.
        Files are written to a temporary folder first: a failed run leaves no partial report.
    progress : bool, default False
        Show a progress bar over the pipeline's steps.
    overrides : dict, optional
        ``{"section.key": value}`` applied to a configuration file before validation.
    """
    if isinstance(config_or_results, ReserveResults):
        results = config_or_results
    else:
        cfg = (
            config_or_results
            if isinstance(config_or_results, Config)
            else load_config(config_or_results, overrides=overrides)
        )
        results = run(cfg, progress=progress)
    cfg = results.config
    target = Path(out) if out is not None else cfg.report.out
    if out is None and cfg.source is not None and not target.is_absolute():
        target = (cfg.source.parent / target).resolve()
    return build_document(results).write(target, formats=cfg.report.formats)
