"""Schemas of the bundled datasets, read from ``manifest.toml``, and validation against them.

A :class:`TableSchema` describes one file (columns, dtypes, primary key, date range); it is
built from the manifest, which is the single source of truth. :func:`validate_table` turns a
table of raw strings into a typed DataFrame and collects every problem with its row, line
and column, so that an error names all of them at once.
"""

from __future__ import annotations

import datetime as _dt
import math
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from actuarial.exceptions import DataFormatError, InvalidInputError

__all__ = [
    "ColumnSpec",
    "Problem",
    "TableSchema",
    "data_root",
    "finalise",
    "format_problems",
    "manifest",
    "schema",
    "summarise_problems",
    "to_timestamp",
    "validate_table",
]

DTYPES = ("string", "date", "float", "int", "bool", "category")
TABLES = ("hacks", "depegs", "defaults", "stablecoins")
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
_MAX_LISTED = 20


def data_root() -> Traversable:
    """Folder holding the bundled CSV files and ``manifest.toml``.

    An installed wheel carries them as ``actuarial/_bundled``; in a source checkout they are
    the top-level ``datasets/`` folder next to the package.
    """
    bundled = resources.files("actuarial").joinpath("_bundled")
    if bundled.joinpath("manifest.toml").is_file():
        return bundled
    checkout = Path(__file__).resolve().parents[2] / "datasets"
    if (checkout / "manifest.toml").is_file():
        return checkout
    raise DataFormatError(
        "the bundled datasets were not found: expected actuarial/_bundled/manifest.toml in "
        f"the installed package or {checkout / 'manifest.toml'} in a source checkout"
    )


def bundled_files() -> dict[str, Traversable]:
    """The bundled files (the manifest and one CSV per table), by file name.

    Examples
    --------
    >>> from actuarial.datasets import bundled_files
    >>> sorted(bundled_files())[:2]
    ['defaults.csv', 'depegs.csv']
    """
    root = data_root()
    names = ["manifest.toml", *(manifest()[t]["file"] for t in TABLES)]
    return {name: root.joinpath(name) for name in names}


def manifest() -> dict[str, Any]:
    """The parsed ``manifest.toml`` of the bundled datasets (a fresh copy on every call).

    Returns
    -------
    dict
        One table per file (``hacks``, ``depegs``, ``defaults``, ``stablecoins``) with its
        file name, description, columns, primary key, inclusion rule, date range and, for
        hacks, the completeness threshold in USD.

    Examples
    --------
    >>> from actuarial.datasets import manifest
    >>> manifest()["hacks"]["completeness_threshold_usd"]
    10000000.0
    """
    text = data_root().joinpath("manifest.toml").read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise DataFormatError(f"the bundled manifest.toml is malformed: {exc}") from exc


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a table: its dtype and constraints (see the manifest's header)."""

    name: str
    dtype: str
    required: bool
    nullable: bool
    description: str = ""
    unit: str | None = None
    values: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    max_column: str | None = None
    min_column: str | None = None

    @classmethod
    def from_manifest(cls, table: str, entry: Mapping[str, Any]) -> ColumnSpec:
        """Build a column from its manifest entry, checking the keys."""
        known = set(cls.__dataclass_fields__)
        unknown = set(entry) - known
        if unknown or "name" not in entry or entry.get("dtype") not in DTYPES:
            raise DataFormatError(
                f"manifest.toml [{table}] column {entry.get('name')!r}: needs a name and a "
                f"dtype in {DTYPES}; unknown keys {sorted(unknown)}"
            )
        values = tuple(entry.get("values", ()))
        if (entry["dtype"] == "category") != bool(values):
            raise DataFormatError(
                f"manifest.toml [{table}] column {entry['name']!r}: a category column needs "
                "`values` and only a category column may have them"
            )
        return cls(
            name=str(entry["name"]),
            dtype=str(entry["dtype"]),
            required=bool(entry.get("required", False)),
            nullable=bool(entry.get("nullable", True)),
            description=str(entry.get("description", "")),
            unit=entry.get("unit"),
            values=values,
            min=entry.get("min"),
            max=entry.get("max"),
            max_column=entry.get("max_column"),
            min_column=entry.get("min_column"),
        )


@dataclass(frozen=True)
class TableSchema:
    """Schema of one dataset file, as declared in ``manifest.toml``."""

    name: str
    file: str
    columns: tuple[ColumnSpec, ...]
    primary_key: str
    date_column: str
    date_range: tuple[pd.Timestamp, pd.Timestamp] | None
    amount_column: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def column_names(self) -> list[str]:
        """Column names in file order."""
        return [c.name for c in self.columns]

    def column(self, name: str) -> ColumnSpec:
        """The spec of column ``name``."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)


def schema(table: str) -> TableSchema:
    """The :class:`TableSchema` of bundled table ``table`` (hacks, depegs, defaults, ...)."""
    if table not in TABLES:
        raise DataFormatError(f"unknown dataset {table!r}; expected one of {TABLES}")
    entry = manifest().get(table)
    if not isinstance(entry, Mapping) or "columns" not in entry:
        raise DataFormatError(f"manifest.toml has no [{table}] table with columns")
    columns = tuple(ColumnSpec.from_manifest(table, c) for c in entry["columns"])
    rng = entry.get("date_range")
    date_range = (pd.Timestamp(rng[0]), pd.Timestamp(rng[1])) if rng else None
    return TableSchema(
        name=table,
        file=str(entry["file"]),
        columns=columns,
        primary_key=str(entry["primary_key"]),
        date_column=str(entry["date_column"]),
        date_range=date_range,
        amount_column=entry.get("amount_column"),
        meta={k: v for k, v in entry.items() if k != "columns"},
    )


@dataclass(frozen=True)
class Problem:
    """One invalid cell or row: 0-based data row position, column (None: whole row)."""

    row: int | None
    column: str | None
    message: str


def format_problems(
    problems: Sequence[Problem], source: str, lines: Sequence[int] | None, unit: str = "row"
) -> list[str]:
    """Readable lines ``source: row 3 (line 4), column 'x': message``."""
    out = []
    for p in problems:
        parts = []
        if p.row is not None:
            loc = f"{unit} {p.row + 1}"
            if lines is not None:
                loc += f" (line {lines[p.row]})"
            parts.append(loc)
        if p.column is not None:
            parts.append(f"column {p.column!r}")
        parts.append(p.message)
        out.append(f"{source}: " + ", ".join(parts))
    return out


def summarise_problems(lines: list[str]) -> str:
    """The first problems, one per line, and how many more there are."""
    shown = lines[:_MAX_LISTED]
    more = len(lines) - len(shown)
    return "\n  ".join(shown) + (f"\n  ... and {more} more" if more else "")


def _fmt(x: float) -> str:
    return f"{x:.10g}"


def _parse_column(
    spec: ColumnSpec, raw: pd.Series, problems: list[Problem], absent: bool = False
) -> pd.Series:
    """Typed column from stripped strings ('' = missing); problems appended, bad cells NA.

    ``absent``: the column was not in the file (an optional column), so it is all missing.
    """
    missing = raw == ""
    if not spec.nullable and not absent:
        for pos in np.flatnonzero(missing.to_numpy()):
            problems.append(Problem(int(pos), spec.name, "empty value (the column is required)"))
    present = ~missing
    if spec.dtype == "string":
        return pd.Series([None if m else v for m, v in zip(missing, raw, strict=True)])
    if spec.dtype == "date":
        parsed = pd.to_datetime(raw.where(present), format="%Y-%m-%d", errors="coerce")
        for pos in np.flatnonzero((present & parsed.isna()).to_numpy()):
            problems.append(
                Problem(int(pos), spec.name, f"{raw.iloc[pos]!r} is not a date (YYYY-MM-DD)")
            )
        return parsed.astype("datetime64[ns]")
    if spec.dtype in ("float", "int"):
        values = pd.to_numeric(raw.where(present), errors="coerce").astype("float64")
        bad = present & (values.isna() | ~np.isfinite(values.fillna(0.0)))
        for pos in np.flatnonzero(bad.to_numpy()):
            problems.append(Problem(int(pos), spec.name, f"{raw.iloc[pos]!r} is not a number"))
        values = values.where(~bad)
        if spec.dtype == "int":
            frac = values.notna() & (values != np.round(values))
            for pos in np.flatnonzero(frac.to_numpy()):
                problems.append(
                    Problem(int(pos), spec.name, f"{raw.iloc[pos]!r} is not a whole number")
                )
            values = values.where(~frac)
        if spec.min is not None:
            low = values < spec.min
            word = "negative value" if spec.min == 0 else "value"
            for pos in np.flatnonzero(low.to_numpy()):
                problems.append(
                    Problem(
                        int(pos),
                        spec.name,
                        f"{word} {_fmt(values.iloc[pos])} (must be >= {_fmt(spec.min)})",
                    )
                )
            values = values.where(~low)
        if spec.max is not None:
            high = values > spec.max
            for pos in np.flatnonzero(high.to_numpy()):
                problems.append(
                    Problem(
                        int(pos),
                        spec.name,
                        f"value {_fmt(values.iloc[pos])} (must be <= {_fmt(spec.max)})",
                    )
                )
            values = values.where(~high)
        if spec.dtype == "int":
            return values.round().astype("Int64" if spec.nullable else "float64")
        return values
    if spec.dtype == "bool":
        low = raw.str.lower()
        ok = low.isin(_TRUE | _FALSE)
        for pos in np.flatnonzero((present & ~ok).to_numpy()):
            problems.append(
                Problem(int(pos), spec.name, f"{raw.iloc[pos]!r} is not a boolean (True/False)")
            )
        return pd.Series(
            [pd.NA if not v else (v in _TRUE) for v in low.where(ok, "")], dtype="boolean"
        )
    # category
    known = raw.isin(spec.values)
    for pos in np.flatnonzero((present & ~known).to_numpy()):
        problems.append(
            Problem(
                int(pos),
                spec.name,
                f"unknown value {raw.iloc[pos]!r}; allowed: {', '.join(spec.values)}",
            )
        )
    return pd.Series(pd.Categorical(raw.where(known), categories=list(spec.values)))


def _finalise_dtype(spec: ColumnSpec, col: pd.Series) -> pd.Series:
    """Non-nullable int/bool columns become plain int64/bool once invalid rows are gone."""
    if spec.nullable or col.isna().any():
        return col
    if spec.dtype == "int":
        return col.astype("int64")
    if spec.dtype == "bool":
        return col.astype("bool")
    return col


def _cross_checks(
    schema_: TableSchema, typed: dict[str, pd.Series], strict: bool, problems: list[Problem]
) -> None:
    for spec in schema_.columns:
        col = typed[spec.name]
        if spec.max_column:
            other = typed[spec.max_column]
            over = (col > other).fillna(False).to_numpy(dtype=bool)
            for pos in np.flatnonzero(over):
                problems.append(
                    Problem(
                        int(pos),
                        spec.name,
                        f"{spec.name} {_fmt(col.iloc[pos])} exceeds {spec.max_column} "
                        f"{_fmt(other.iloc[pos])}",
                    )
                )
        if spec.min_column:
            other = typed[spec.min_column]
            under = (col < other).fillna(False).to_numpy(dtype=bool)
            for pos in np.flatnonzero(under):
                problems.append(
                    Problem(
                        int(pos),
                        spec.name,
                        f"{col.iloc[pos].date()} is before {spec.min_column} "
                        f"{other.iloc[pos].date()}",
                    )
                )
    key = typed[schema_.primary_key]
    first_seen: dict[Any, int] = {}
    for i, value in enumerate(key):
        if value is None or (isinstance(value, float) and math.isnan(value)):
            continue
        if value in first_seen:
            problems.append(
                Problem(
                    i,
                    schema_.primary_key,
                    f"duplicate {schema_.primary_key} {value!r} (first in row "
                    f"{first_seen[value] + 1})",
                )
            )
        else:
            first_seen[value] = i
    if strict and schema_.date_range is not None:
        lo, hi = schema_.date_range
        dates = typed[schema_.date_column]
        outside = ((dates < lo) | (dates > hi)).fillna(False).to_numpy(dtype=bool)
        for pos in np.flatnonzero(outside):
            problems.append(
                Problem(
                    int(pos),
                    schema_.date_column,
                    f"{dates.iloc[pos].date()} is outside the covered range "
                    f"{lo.date()} to {hi.date()}",
                )
            )


def validate_table(
    raw: pd.DataFrame, schema_: TableSchema, *, strict: bool, absent: Iterable[str] = ()
) -> tuple[pd.DataFrame, list[Problem]]:
    """Typed DataFrame from a table of stripped strings, and every problem found.

    ``raw`` holds the schema's columns (absent optional ones as empty strings) plus any
    extra columns, which are kept as strings after the schema's; ``absent`` names the
    optional columns the file lacked (all missing, not an error). ``strict`` (bundled files)
    also checks that dates lie in the manifest's date range. Invalid cells are NA in the
    result; the caller decides whether to raise or drop the rows named in the problems.
    """
    problems: list[Problem] = []
    lacking = set(absent)
    typed = {
        spec.name: _parse_column(
            spec, raw[spec.name].reset_index(drop=True), problems, spec.name in lacking
        )
        for spec in schema_.columns
    }
    _cross_checks(schema_, typed, strict, problems)
    out = pd.DataFrame(typed)
    for extra in raw.columns:
        if extra not in typed:
            values = raw[extra].reset_index(drop=True)
            out[extra] = values.where(values != "")
    return out, problems


def finalise(frame: pd.DataFrame, schema_: TableSchema) -> pd.DataFrame:
    """Plain int64/bool dtypes where a non-nullable column has no missing value left."""
    out = frame.reset_index(drop=True)
    for spec in schema_.columns:
        out[spec.name] = _finalise_dtype(spec, out[spec.name])
    return out


def to_timestamp(value: Any, name: str, *, end: bool = False) -> pd.Timestamp:
    """A date argument as a Timestamp: an int year means 1 Jan (or 31 Dec if ``end``)."""
    if isinstance(value, bool):
        raise InvalidInputError(f"{name} must be a date or a year, got {value!r}")
    if isinstance(value, int | np.integer):
        return pd.Timestamp(int(value), 12 if end else 1, 31 if end else 1)
    if isinstance(value, str | _dt.date | pd.Timestamp | np.datetime64):
        try:
            return pd.Timestamp(value)
        except ValueError:
            pass
    raise InvalidInputError(
        f"{name} must be a date (ISO string, datetime.date, Timestamp) or an int year, "
        f"got {value!r}"
    )
