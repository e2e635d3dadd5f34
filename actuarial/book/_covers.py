"""A validated book of covers, read from a CSV file or a DataFrame."""

from __future__ import annotations

import math
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from actuarial._time import as_timestamp
from actuarial.exceptions import DataFormatError, InvalidInputError, InvalidTypeError

__all__ = ["COVER_TYPES", "Book", "read_book"]

#: Cover types the toolkit models. The order fixes each type's random stream.
COVER_TYPES: tuple[str, ...] = ("hack", "depeg", "default", "custody")

REQUIRED_COLUMNS: tuple[str, ...] = (
    "cover_id",
    "cover_type",
    "subject",
    "category",
    "amount_usd",
    "start",
    "end",
    "premium_usd",
)
OPTIONAL_COLUMNS: tuple[str, ...] = ("deductible", "limit")


def _where(row: int, cover_id: Any, origin: str) -> str:
    if origin.endswith(".csv") or "/" in origin:
        return f"{origin}, line {row + 2} (cover {cover_id!r})"
    return f"row {row} (cover {cover_id!r})"


def _numeric(df: pd.DataFrame, col: str, origin: str, *, default: float | None) -> np.ndarray:
    raw = df[col] if col in df else pd.Series(default, index=df.index, dtype=float)
    values = pd.to_numeric(raw, errors="coerce")
    bad = values.isna() & raw.notna() & (raw.astype(str).str.strip() != "")
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise DataFormatError(
            f"{_where(i, df['cover_id'].iloc[i], origin)}, column {col!r}: expected a number, "
            f"got {raw.iloc[i]!r}"
        )
    if default is not None:
        values = values.fillna(default)
    return values.to_numpy(dtype=np.float64)


def _dates(df: pd.DataFrame, col: str, origin: str) -> pd.DatetimeIndex:
    out = pd.to_datetime(df[col], errors="coerce", format="ISO8601")
    if out.isna().any():
        i = int(np.flatnonzero(out.isna().to_numpy())[0])
        raise DataFormatError(
            f"{_where(i, df['cover_id'].iloc[i], origin)}, column {col!r}: expected an ISO "
            f"date (YYYY-MM-DD), got {df[col].iloc[i]!r}"
        )
    idx = pd.DatetimeIndex(out)
    return idx.tz_localize(None) if idx.tz is not None else idx


def _validate(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise InvalidTypeError(f"a book must be a pandas DataFrame; got {type(frame).__name__}")
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        raise DataFormatError(
            f"{origin}: missing column(s) {missing}; a book needs {list(REQUIRED_COLUMNS)} "
            f"and optionally {list(OPTIONAL_COLUMNS)}"
        )
    if len(frame) == 0:
        raise DataFormatError(f"{origin}: the book has no covers")
    df = frame.reset_index(drop=True)
    for col in ("cover_id", "cover_type", "subject", "category"):
        blank = df[col].isna() | (df[col].astype(str).str.strip() == "")
        if blank.any():
            i = int(np.flatnonzero(blank.to_numpy())[0])
            raise DataFormatError(
                f"{_where(i, df['cover_id'].iloc[i], origin)}, column {col!r}: must not be empty"
            )
    out = pd.DataFrame(
        {
            "cover_id": df["cover_id"].astype(str).str.strip(),
            "cover_type": df["cover_type"].astype(str).str.strip().str.lower(),
            "subject": df["subject"].astype(str).str.strip(),
            "category": df["category"].astype(str).str.strip(),
        }
    )
    dupes = out["cover_id"][out["cover_id"].duplicated()]
    if len(dupes):
        i = int(dupes.index[0])
        raise DataFormatError(
            f"{_where(i, out['cover_id'].iloc[i], origin)}, column 'cover_id': duplicate id"
        )
    unknown = ~out["cover_type"].isin(COVER_TYPES)
    if unknown.any():
        i = int(np.flatnonzero(unknown.to_numpy())[0])
        raise DataFormatError(
            f"{_where(i, out['cover_id'].iloc[i], origin)}, column 'cover_type': unknown type "
            f"{df['cover_type'].iloc[i]!r}; expected one of {list(COVER_TYPES)}"
        )
    amount = _numeric(df, "amount_usd", origin, default=None)
    premium = _numeric(df, "premium_usd", origin, default=None)
    deductible = _numeric(df, "deductible", origin, default=0.0)
    limit = _numeric(df, "limit", origin, default=math.inf)
    checks = (
        ("amount_usd", amount, lambda v: np.isfinite(v) & (v > 0), "a positive amount (USD)"),
        ("premium_usd", premium, lambda v: np.isfinite(v) & (v >= 0), "a premium >= 0 (USD)"),
        ("deductible", deductible, lambda v: np.isfinite(v) & (v >= 0), "a deductible >= 0"),
        ("limit", limit, lambda v: v > 0, "a positive limit (USD) or empty for none"),
    )
    for col, values, ok, what in checks:
        bad = ~ok(values)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise DataFormatError(
                f"{_where(i, out['cover_id'].iloc[i], origin)}, column {col!r}: expected "
                f"{what}, got {values[i]!r}"
            )
    bad = deductible >= amount
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFormatError(
            f"{_where(i, out['cover_id'].iloc[i], origin)}, column 'deductible': the "
            f"deductible {deductible[i]:,.0f} is not below the cover amount {amount[i]:,.0f}, "
            "so the cover can never pay"
        )
    start, end = _dates(df, "start", origin), _dates(df, "end", origin)
    bad = np.asarray(end <= start)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise DataFormatError(
            f"{_where(i, out['cover_id'].iloc[i], origin)}, column 'end': the cover ends "
            f"({end[i].date()}) on or before it starts ({start[i].date()})"
        )
    out["amount_usd"] = amount
    out["start"] = start
    out["end"] = end
    out["premium_usd"] = premium
    out["deductible"] = deductible
    out["limit"] = limit
    # one category per (cover type, subject): the subject's incidents are shared
    key = out.groupby(["cover_type", "subject"])["category"].nunique()
    clash = key[key > 1]
    if len(clash):
        cover_type, subject = clash.index[0]
        rows = out.index[(out["cover_type"] == cover_type) & (out["subject"] == subject)]
        raise DataFormatError(
            f"{origin}: {cover_type} covers on subject {subject!r} (rows {list(rows)}) have "
            "different categories; a subject's incidents are shared, so give it one category"
        )
    return out


@dataclass(frozen=True, eq=False)
class Book:
    """A validated book of covers (immutable).

    Columns of :attr:`covers` (one row per cover):

    ``cover_id`` (unique), ``cover_type`` (one of ``hack``, ``depeg``, ``default``,
    ``custody``), ``subject`` (the protocol, stablecoin or counterparty whose incident
    triggers the cover; covers on one subject are hit by the same incidents), ``category``
    (selects the incident model, e.g. ``lending`` or ``fiat-backed``), ``amount_usd`` (the
    cover amount, the most the cover pays in a year), ``start``, ``end`` (dates; the cover is
    in force on ``[start, end)``), ``premium_usd`` (charged for the whole period),
    ``deductible`` (USD per incident, default 0) and ``limit`` (USD per incident, the width
    of the layer above the deductible, default none).

    Build it with :func:`read_book`, :meth:`from_frame` or ``Book(frame)``: every
    constructor validates the table (see :meth:`from_frame`) and stores a normalised copy.

    Examples
    --------
    >>> import pandas as pd
    >>> book = Book.from_frame(pd.DataFrame({
    ...     "cover_id": ["A", "B"], "cover_type": ["hack", "depeg"],
    ...     "subject": ["Aave v3", "USDC"], "category": ["lending", "fiat-backed"],
    ...     "amount_usd": [1e6, 2e6], "start": ["2026-01-01", "2026-01-01"],
    ...     "end": ["2027-01-01", "2026-07-02"], "premium_usd": [25_000, 4_000]}))
    >>> len(book), book.lines
    (2, ('hack', 'depeg'))
    >>> book.exposure("2026-01-01", "2027-01-01").round(3).tolist()
    [1.0, 0.499]
    """

    covers: pd.DataFrame
    origin: str = "book"

    def __post_init__(self) -> None:
        object.__setattr__(self, "origin", str(self.origin))
        object.__setattr__(self, "covers", _validate(self.covers, self.origin))

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, origin: str = "book") -> Book:
        """Validate ``frame`` (columns as in the class docstring) and return a Book.

        Raises
        ------
        DataFormatError
            Naming the row (or CSV line), the cover and the column of the first problem.
        """
        return cls(frame, origin)

    def __len__(self) -> int:
        return len(self.covers)

    @property
    def cover_ids(self) -> tuple[str, ...]:
        """Cover identifiers in book order."""
        return tuple(self.covers["cover_id"])

    @property
    def lines(self) -> tuple[str, ...]:
        """Cover types present, in the order of :data:`COVER_TYPES`."""
        present = set(self.covers["cover_type"])
        return tuple(t for t in COVER_TYPES if t in present)

    def to_frame(self) -> pd.DataFrame:
        """A copy of the covers table."""
        return self.covers.copy()

    def overlap_days(self, start: Any, end: Any) -> np.ndarray:
        """Days of each cover inside ``[start, end)``."""
        h0, h1 = as_timestamp(start, "start"), as_timestamp(end, "end")
        lo = np.maximum(self.covers["start"].to_numpy(), np.datetime64(h0))
        hi = np.minimum(self.covers["end"].to_numpy(), np.datetime64(h1))
        return np.clip((hi - lo) / np.timedelta64(1, "D"), 0.0, None)

    def exposure(self, start: Any, end: Any) -> pd.Series:
        """Fraction of ``[start, end)`` during which each cover is in force."""
        h0, h1 = as_timestamp(start, "start"), as_timestamp(end, "end")
        if h1 <= h0:
            raise InvalidInputError(f"end ({h1.date()}) must be after start ({h0.date()})")
        frac = self.overlap_days(h0, h1) / ((h1 - h0) / pd.Timedelta(days=1))
        return pd.Series(frac, index=pd.Index(self.cover_ids, name="cover_id"), name="exposure")

    def in_force(self, start: Any, end: Any) -> Book:
        """The covers in force at some time in ``[start, end)``.

        Raises
        ------
        InvalidInputError
            If no cover is in force in the period.
        """
        keep = self.overlap_days(start, end) > 0
        if not keep.any():
            raise InvalidInputError(f"no cover of the book is in force between {start} and {end}")
        return Book(self.covers[keep].reset_index(drop=True), self.origin)

    def select(self, cover_type: str | None = None, subject: str | None = None) -> Book:
        """The covers of one cover type and/or one subject."""
        mask = np.ones(len(self), dtype=bool)
        if cover_type is not None:
            mask &= (self.covers["cover_type"] == cover_type).to_numpy()
        if subject is not None:
            mask &= (self.covers["subject"] == subject).to_numpy()
        if not mask.any():
            raise InvalidInputError(
                f"no cover with cover_type={cover_type!r}, subject={subject!r} in the book"
            )
        return Book(self.covers[mask].reset_index(drop=True), self.origin)

    def concentration(self) -> pd.DataFrame:
        """Cover amount by cover type and subject, largest first, with its share of the book.

        One incident on a subject hits every cover on it, so the largest rows are the
        book's single-event exposures.
        """
        g = self.covers.groupby(["cover_type", "subject"], sort=False)
        out = g.agg(
            category=("category", "first"),
            covers=("cover_id", "size"),
            amount_usd=("amount_usd", "sum"),
        ).sort_values("amount_usd", ascending=False)
        out["share"] = out["amount_usd"] / self.covers["amount_usd"].sum()
        return out

    def summary(self) -> pd.DataFrame:
        """Covers, subjects, cover amount and premium by cover type, with a total row."""
        g = self.covers.groupby("cover_type", sort=False)
        out = g.agg(
            covers=("cover_id", "size"),
            subjects=("subject", "nunique"),
            amount_usd=("amount_usd", "sum"),
            premium_usd=("premium_usd", "sum"),
        ).reindex(list(self.lines))
        out.loc["total"] = [
            len(self),
            self.covers.groupby(["cover_type", "subject"]).ngroups,
            self.covers["amount_usd"].sum(),
            self.covers["premium_usd"].sum(),
        ]
        return out

    def __str__(self) -> str:
        return (
            f"Book of {len(self)} covers from {self.origin}\n"
            f"{self.summary().to_string(float_format=lambda v: f'{v:,.0f}')}"
        )


def read_book(path: str | PathLike[str]) -> Book:
    """Read and validate a book of covers from a CSV file.

    Parameters
    ----------
    path : str or path-like
        CSV with the columns ``cover_id, cover_type, subject, category, amount_usd, start,
        end, premium_usd`` and optionally ``deductible, limit`` (see :class:`Book`).

    Returns
    -------
    Book

    Raises
    ------
    DataFormatError
        Naming the CSV line, the cover and the column of the first problem found.
    """
    p = Path(path)
    if not p.is_file():
        raise InvalidInputError(f"path: no such file {str(p)!r}")
    try:
        frame = pd.read_csv(p, dtype={"cover_id": str}, comment="#", skipinitialspace=True)
    except (pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise DataFormatError(f"{p}: not a readable CSV file ({exc})") from None
    return Book.from_frame(frame, origin=str(p))
