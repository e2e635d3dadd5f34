"""A report document: titled sections of text, tables and figures, written to disk.

The document model is deliberately plain so that the rendering (HTML with jinja2, CSV and an
Excel workbook) knows nothing about actuarial models, and the pipeline that fills it knows
nothing about markup. Every table is also written as CSV and as a sheet of one workbook.
"""

from __future__ import annotations

import base64
import io
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

__all__ = ["Figure", "ReportDocument", "Section", "Table", "figure_from_axes"]


@dataclass(frozen=True)
class Table:
    """A captioned table; ``name`` is used for its CSV file and workbook sheet."""

    name: str
    caption: str
    frame: pd.DataFrame
    float_format: str | None = None
    index: bool = True
    formats: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Figure:
    """A captioned PNG image, embedded in the HTML as a data URI."""

    name: str
    caption: str
    png: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass(frozen=True)
class Section:
    """A numbered section of the report."""

    key: str
    title: str
    paragraphs: Sequence[str] = ()
    tables: Sequence[Table] = ()
    figures: Sequence[Figure] = ()
    bullets: Sequence[str] = ()


@dataclass(frozen=True)
class ReportDocument:
    """The whole report: a title, a subtitle and its sections."""

    title: str
    subtitle: str
    sections: Sequence[Section] = field(default_factory=tuple)

    def tables(self) -> list[Table]:
        """Every table of every section, in order."""
        return [t for s in self.sections for t in s.tables]

    def to_html(self) -> str:
        """Self-contained HTML (figures embedded, no external resources)."""
        env = Environment(
            loader=PackageLoader("actuarial.report", "templates"),
            autoescape=select_autoescape(["html", "j2"], default=True),
        )
        template = env.get_template("reserve_report.html.j2")
        return template.render(doc=self, render_table=_render_table)

    def write(self, out: str | Path, *, formats: Sequence[str] = ("html", "csv", "xlsx")) -> Path:
        """Write the report into the directory ``out``; return the path of the HTML file.

        The files are written into a temporary directory first and moved into place only
        when everything succeeded, so a failed run never leaves a partial report behind.
        """
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=out.parent, prefix=".report-") as tmp:
            staging = Path(tmp) / "report"
            staging.mkdir()
            html_path = staging / "reserve-report.html"
            if "html" in formats:
                html_path.write_text(self.to_html(), encoding="utf-8")
            if "csv" in formats:
                tables_dir = staging / "tables"
                tables_dir.mkdir()
                for table in self.tables():
                    table.frame.to_csv(tables_dir / f"{_slug(table.name)}.csv", index=table.index)
            if "xlsx" in formats:
                with pd.ExcelWriter(staging / "reserve-report.xlsx", engine="openpyxl") as xl:
                    used: set[str] = set()
                    for table in self.tables():
                        sheet = _sheet_name(table.name, used)
                        table.frame.to_excel(xl, sheet_name=sheet, index=table.index)
            out.mkdir(parents=True, exist_ok=True)
            for item in staging.iterdir():
                target = out / item.name
                if target.is_dir():
                    shutil.rmtree(target)
                elif target.exists():
                    target.unlink()
                shutil.move(str(item), target)
        return out / "reserve-report.html"


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "table"


def _sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "table"
    sheet, i = base, 1
    while sheet in used:
        i += 1
        sheet = f"{base[:25]}_{i}"
    used.add(sheet)
    return sheet


def _render_table(table: Table) -> Markup:
    """HTML of a table; pandas escapes every cell, so user-provided names cannot inject markup."""

    def formatter(column: Any) -> Any:
        spec = table.formats.get(str(column), table.float_format)

        def fmt(v: Any) -> str:
            if isinstance(v, bool | np.bool_) or not isinstance(v, float | np.floating):
                return str(v)
            if pd.isna(v):
                return ""
            return spec.format(v) if spec else _auto_number(float(v))

        return fmt

    html = table.frame.to_html(
        index=table.index,
        escape=True,
        border=0,
        classes="table",
        na_rep="",
        formatters={c: formatter(c) for c in table.frame.columns},
    )
    return Markup(html)  # content escaped by pandas above


def _auto_number(v: float) -> str:
    """Readable default: thousands separators for large values, 4 significant digits else."""
    if v != v or v in (float("inf"), float("-inf")):
        return str(v)
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == 0 or abs(v) >= 1e-4:
        return f"{v:.4g}"
    return f"{v:.2e}"


def figure_from_axes(ax: Any, name: str, caption: str, *, dpi: int = 110) -> Figure:
    """Render the figure of a matplotlib Axes to PNG (closed if pyplot tracks it)."""
    import matplotlib.pyplot as plt

    fig = ax.get_figure()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    if plt.fignum_exists(getattr(fig, "number", -1)):
        plt.close(fig)
    return Figure(name=name, caption=caption, png=buf.getvalue())
