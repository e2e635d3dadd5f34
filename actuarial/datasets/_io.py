"""Loaders of the bundled datasets and of a user's CSV file in the same schema."""

from __future__ import annotations

import csv
import io
import os
import warnings
from collections.abc import Iterable
from typing import IO, Any, Literal

import numpy as np
import pandas as pd

from actuarial.datasets._schema import (
    Problem,
    TableSchema,
    data_root,
    finalise,
    format_problems,
    schema,
    summarise_problems,
    to_timestamp,
    validate_table,
)
from actuarial.exceptions import ActuarialWarning, DataFormatError, InvalidInputError

__all__ = [
    "DroppedRowsWarning",
    "load_defaults",
    "load_depegs",
    "load_hacks",
    "load_stablecoins",
    "read_events",
]

EventKind = Literal["hacks", "depegs", "defaults"]
_KINDS = ("hacks", "depegs", "defaults")


class DroppedRowsWarning(ActuarialWarning):
    """Invalid rows were dropped from a data file at the caller's request."""


def _read_rows(stream: IO[str], source: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, records and the line number each record starts on (csv-quoting aware)."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        raise DataFormatError(f"{source}: the file is empty (no header line)") from None
    except csv.Error as exc:
        raise DataFormatError(f"{source}: line 1: malformed CSV ({exc})") from exc
    records: list[list[str]] = []
    lines: list[int] = []
    start = reader.line_num + 1
    while True:
        try:
            rec = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise DataFormatError(f"{source}: line {start}: malformed CSV ({exc})") from exc
        if rec and any(cell.strip() for cell in rec):
            records.append(rec)
            lines.append(start)
        start = reader.line_num + 1
    return [h.strip() for h in header], records, lines


def _raw_frame(
    header: list[str],
    records: list[list[str]],
    lines: list[int],
    schema_: TableSchema,
    source: str,
    strict: bool,
) -> tuple[pd.DataFrame, list[tuple[int, str]], list[str]]:
    """Strings per column, rows with a wrong field count, absent optional columns (empty)."""
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise DataFormatError(f"{source}: header (line 1) repeats column(s) {dupes}")
    expected = schema_.column_names
    if strict and header != expected:
        raise DataFormatError(
            f"{source}: header (line 1) is {header}; the manifest expects exactly {expected}"
        )
    missing = [c.name for c in schema_.columns if c.required and c.name not in header]
    if missing:
        raise DataFormatError(
            f"{source}: header (line 1) lacks required column(s) {missing}; a {schema_.name} "
            f"file needs {[c.name for c in schema_.columns if c.required]} and may have "
            f"{[c.name for c in schema_.columns if not c.required]}"
        )
    width = len(header)
    bad_width = [
        (pos, f"has {len(rec)} fields, the header has {width}")
        for pos, rec in enumerate(records)
        if len(rec) != width
    ]
    padded = [(rec + [""] * width)[:width] for rec in records]
    table = (
        pd.DataFrame(padded, columns=header, dtype=object)
        if padded
        else pd.DataFrame({h: pd.Series([], dtype=object) for h in header})
    )
    table = table.apply(lambda col: col.str.strip()) if len(table) else table
    absent = [name for name in expected if name not in table.columns]
    for name in absent:
        table[name] = ""
    ordered = expected + [h for h in header if h not in expected]
    return table[ordered], bad_width, absent


def _resolve(
    raw: pd.DataFrame,
    schema_: TableSchema,
    *,
    source: str,
    lines: list[int] | None,
    strict: bool,
    drop_invalid: bool,
    extra_problems: Iterable[tuple[int, str]] = (),
    absent: Iterable[str] = (),
    unit: str = "row",
) -> pd.DataFrame:
    """Validate ``raw``; raise on problems, or drop the invalid rows and warn."""
    typed, problems = validate_table(raw, schema_, strict=strict, absent=absent)
    problems = [Problem(pos, None, msg) for pos, msg in extra_problems] + problems
    if not problems:
        typed = finalise(typed, schema_)
        typed.attrs["n_dropped"] = 0
        return typed
    problems.sort(key=lambda p: p.row if p.row is not None else -1)
    messages = format_problems(problems, source, lines, unit)
    if not drop_invalid:
        hint = "" if strict else "\nFix the file, or pass drop_invalid=True to drop these rows."
        raise DataFormatError(
            f"{len(problems)} problem(s) in {source}:\n  {summarise_problems(messages)}{hint}"
        )
    bad_rows = sorted({p.row for p in problems if p.row is not None})
    keep = np.ones(len(typed), dtype=bool)
    keep[bad_rows] = False
    out = finalise(typed[keep], schema_)
    out.attrs["n_dropped"] = len(bad_rows)
    out.attrs["dropped_rows"] = tuple(r + 1 for r in bad_rows)
    warnings.warn(
        f"dropped {len(bad_rows)} invalid {unit}(s) of {source} (kept {len(out)}):\n  "
        + summarise_problems(messages),
        DroppedRowsWarning,
        stacklevel=3,
    )
    return out


def read_events(
    path: str | os.PathLike[str],
    kind: EventKind = "hacks",
    *,
    drop_invalid: bool = False,
) -> pd.DataFrame:
    """Read a user's CSV file of events in the schema of a bundled dataset.

    Parameters
    ----------
    path : str or os.PathLike
        UTF-8 CSV file with a header row. It must have the required columns of ``kind``
        (see ``manifest()[kind]["columns"]``); optional columns may be absent (read as
        missing) and extra columns are kept as strings after the schema's columns.
    kind : {"hacks", "depegs", "defaults"}, default "hacks"
        Schema to validate against.
    drop_invalid : bool, default False
        If False, any invalid row raises. If True, invalid rows are dropped, a
        :class:`DroppedRowsWarning` names each problem, and the number dropped is stored in
        ``result.attrs["n_dropped"]`` (their 1-based data row numbers in
        ``result.attrs["dropped_rows"]``). A missing column always raises.

    Returns
    -------
    pandas.DataFrame
        Typed like the bundled loaders: dates ``datetime64[ns]``, amounts ``float64``,
        categories as ``Categorical`` with the allowed values, in file order.

    Raises
    ------
    DataFormatError
        Naming the file, the data row (1-based) with its line number and the column, for:
        a missing required column, a non-date in a date column, a negative or non-numeric
        amount, ``returned_usd`` above ``amount_usd``, a duplicate id, an unknown category,
        an empty required value, a row with the wrong number of fields.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> from actuarial.datasets import read_events
    >>> text = (
    ...     "id,date,name,category,technique,amount_usd,returned_usd\\n"
    ...     "a,2024-05-01,Example Protocol,defi,access-control,12500000,2500000\\n"
    ... )
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = pathlib.Path(tmp) / "my_hacks.csv"
    ...     _ = path.write_text(text)
    ...     events = read_events(path, kind="hacks")
    >>> row = events.iloc[0]
    >>> str(row["date"].date()), float(row["amount_usd"]), float(row["returned_usd"])
    ('2024-05-01', 12500000.0, 2500000.0)
    """
    if kind not in _KINDS:
        raise InvalidInputError(f"kind must be one of {_KINDS}, got {kind!r}")
    if not isinstance(drop_invalid, bool):
        raise InvalidInputError(f"drop_invalid must be True or False, got {drop_invalid!r}")
    source = os.fspath(path)
    schema_ = schema(kind)
    try:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            header, records, lines = _read_rows(stream, source)
    except UnicodeDecodeError as exc:
        raise DataFormatError(f"{source}: not UTF-8 text ({exc})") from exc
    raw, bad_width, absent = _raw_frame(header, records, lines, schema_, source, strict=False)
    return _resolve(
        raw,
        schema_,
        source=source,
        lines=lines,
        strict=False,
        drop_invalid=drop_invalid,
        extra_problems=bad_width,
        absent=absent,
    )


def _load_bundled(name: str) -> pd.DataFrame:
    schema_ = schema(name)
    resource = data_root().joinpath(schema_.file)
    source = f"bundled {schema_.file}"
    if not resource.is_file():
        raise DataFormatError(f"{source} is missing from the installed package")
    text = resource.read_text(encoding="utf-8-sig")
    header, records, lines = _read_rows(io.StringIO(text, newline=""), source)
    raw, bad_width, _ = _raw_frame(header, records, lines, schema_, source, strict=True)
    return _resolve(
        raw,
        schema_,
        source=source,
        lines=lines,
        strict=True,
        drop_invalid=False,
        extra_problems=bad_width,
    )


def load_hacks(
    since: Any = None,
    until: Any = None,
    min_amount: float | None = None,
    categories: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Thefts and exploits of crypto assets, 2016-2025, one row per incident.

    The file is validated against ``manifest.toml`` on every load. It is complete for
    losses of at least USD 10 million at the time (``manifest()["hacks"]
    ["completeness_threshold_usd"]``): use that as the truncation point of a severity fit;
    rows between USD 1 and 10 million are incomplete by design. See ``datasets/README.md``
    for the data dictionary, sources and known biases.

    Parameters
    ----------
    since, until : date-like or int, optional
        Keep incidents on or after ``since`` and on or before ``until`` (inclusive). An int
        is a year: ``since=2020`` means 2020-01-01, ``until=2023`` means 2023-12-31.
    min_amount : float, optional
        Keep incidents with ``amount_usd >= min_amount`` (USD).
    categories : str or iterable of str, optional
        Keep these categories (defi, bridge, cex, wallet, custody, other).

    Returns
    -------
    pandas.DataFrame
        Columns id, date (``datetime64[ns]``), name, category (Categorical), chain,
        technique (Categorical), amount_usd, returned_usd, reimbursed_usd (float USD, NaN
        when unknown), source_url, notes; sorted by date then id.

    Examples
    --------
    >>> from actuarial.datasets import load_hacks
    >>> big = load_hacks(since=2022, until=2022, min_amount=1e8)
    >>> bool((big["amount_usd"] >= 1e8).all()), big["date"].dt.year.unique().tolist()
    (True, [2022])
    """
    frame = _load_bundled("hacks")
    keep = np.ones(len(frame), dtype=bool)
    if since is not None:
        keep &= (frame["date"] >= to_timestamp(since, "since")).to_numpy()
    if until is not None:
        keep &= (frame["date"] <= to_timestamp(until, "until", end=True)).to_numpy()
    if min_amount is not None:
        if isinstance(min_amount, bool) or not isinstance(min_amount, int | float | np.number):
            raise InvalidInputError(f"min_amount must be a number of USD, got {min_amount!r}")
        if not np.isfinite(min_amount) or min_amount < 0:
            raise InvalidInputError(
                f"min_amount must be a finite non-negative amount of USD, got {min_amount!r}"
            )
        keep &= (frame["amount_usd"] >= float(min_amount)).to_numpy()
    if categories is not None:
        wanted = [categories] if isinstance(categories, str) else list(categories)
        allowed = list(frame["category"].cat.categories)
        unknown = [c for c in wanted if c not in allowed]
        if unknown or not wanted:
            raise InvalidInputError(
                f"categories must name one or more of {allowed}; got unknown {unknown}"
                if unknown
                else f"categories is empty; name one or more of {allowed}"
            )
        keep &= frame["category"].isin(wanted).to_numpy()
    out = frame[keep].reset_index(drop=True)
    out.attrs = {}
    return out


def load_depegs() -> pd.DataFrame:
    """Stablecoin depeg episodes (daily close below 0.98), 2016-2025, one row per episode.

    Validated against ``manifest.toml`` on every load. The episode rule is in
    ``manifest()["depegs"]["rule"]`` and :func:`find_depeg_episodes`.

    Returns
    -------
    pandas.DataFrame
        Columns id, stablecoin, design (Categorical), start_date, end_date
        (``datetime64[ns]``, NaT when open or not reported), min_price (float USD),
        ``days_below_0.98`` (nullable Int64), recovered (nullable boolean), cause,
        price_file, source_url, notes.

    Examples
    --------
    >>> from actuarial.datasets import load_depegs
    >>> depegs = load_depegs()
    >>> bool((depegs["min_price"] < 0.98).all())
    True
    """
    out = _load_bundled("depegs")
    out.attrs = {}
    return out


def load_defaults() -> pd.DataFrame:
    """Credit events in crypto lending, 2014-2025, one row per event.

    Validated against ``manifest.toml`` on every load.

    Returns
    -------
    pandas.DataFrame
        Columns id, date, entity, counterparty, type (Categorical: cefi-insolvency,
        onchain-credit-default, defi-bad-debt), exposure_usd (float USD), recovery_rate
        (fraction, USD basis), recovery_as_of, status, source_url, notes.

    Examples
    --------
    >>> from actuarial.datasets import load_defaults
    >>> sorted(load_defaults()["type"].cat.categories)
    ['cefi-insolvency', 'defi-bad-debt', 'onchain-credit-default']
    """
    out = _load_bundled("defaults")
    out.attrs = {}
    return out


def load_stablecoins() -> pd.DataFrame:
    """Major USD stablecoins with launch and end dates, the exposure for depeg frequency.

    Validated against ``manifest.toml`` on every load. Pass the result to
    :func:`stablecoin_years` for stablecoin-years at risk per year.

    Returns
    -------
    pandas.DataFrame
        Columns stablecoin, name, issuer, design (Categorical), peg, launch_date, end_date
        (``datetime64[ns]``; launch_date NaT when not sourced, end_date NaT while live),
        source_url, notes.

    Examples
    --------
    >>> from actuarial.datasets import load_stablecoins
    >>> coins = load_stablecoins()
    >>> bool(coins["stablecoin"].is_unique)
    True
    """
    out = _load_bundled("stablecoins")
    out.attrs = {}
    return out
