"""Conversion of DeFiLlama hacks records to the schema of the bundled hacks dataset.

DeFiLlama publishes its hacks database as a list of JSON records (``https://api.llama.fi/
hacks``). This module only converts records the caller already has; it never fetches.

Mapping (documented once here and in ``datasets/README.md``)
-------------------------------------------------------------
===============  ==========================================================================
ours             DeFiLlama
===============  ==========================================================================
date             ``date`` (unix seconds) as the UTC day
name             ``name``
category         ``bridge`` if ``bridgeHack`` is true, else from ``targetType``
                 (:data:`TARGET_TYPES`); unknown or missing -> ``other``, noted
chain            ``chain`` list: one entry -> that chain, lowercase; several -> ``multiple``
technique        first rule of :data:`TECHNIQUE_RULES` whose keyword occurs in
                 ``technique`` (case-insensitive); else from ``classification``
                 (:data:`CLASSIFICATIONS`); else ``other``, noted
amount_usd       ``amount``
returned_usd     ``returnedFunds`` (empty when null: unknown)
reimbursed_usd   empty (DeFiLlama does not record it)
source_url       ``source``; when empty, the DeFiLlama hacks page, noted
notes            DeFiLlama's own classification, technique and targetType strings
id               ``YYYY-MM-DD-slug`` of the date and name, ``-2``, ``-3`` on collisions
===============  ==========================================================================
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from actuarial.datasets._io import _resolve
from actuarial.datasets._schema import schema
from actuarial.exceptions import InvalidInputError, InvalidTypeError

__all__ = ["CLASSIFICATIONS", "TARGET_TYPES", "TECHNIQUE_RULES", "from_defillama"]

DEFILLAMA_HACKS_PAGE = "https://defillama.com/hacks"

#: Ordered (keywords, technique) rules applied to DeFiLlama's free-text ``technique``;
#: the first rule with a keyword contained in the lowercased text wins.
TECHNIQUE_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        (
            "private key",
            "key compromise",
            "compromised key",
            "leaked key",
            "key leak",
            "seed phrase",
            "mnemonic",
            "multisig compromise",
        ),
        "private-key-compromise",
    ),
    (("rugpull", "rug pull", "rug-pull", "exit scam", "insider"), "insider-rug-pull"),
    (("flash loan", "flashloan", "flash-loan"), "flash-loan-attack"),
    (("oracle", "price manipulation"), "oracle-price-manipulation"),
    (("governance",), "governance-attack"),
    (
        ("front-end", "frontend", "front end", "dns", "domain hijack", "bgp", "supply chain"),
        "front-end-dns",
    ),
    (("phishing", "social engineering", "impersonat"), "social-engineering"),
    (
        ("access control", "unprotected", "permission", "authoriz", "authentication", "initializ"),
        "access-control",
    ),
    (
        (
            "reentrancy",
            "re-entrancy",
            "logic",
            "infinite mint",
            "input validation",
            "signature",
            "overflow",
            "underflow",
            "rounding",
            "precision",
            "calculation",
            "accounting",
            "misconfigur",
            "bug",
        ),
        "smart-contract-logic-bug",
    ),
)

#: DeFiLlama ``classification`` -> technique, used when no technique rule matches.
CLASSIFICATIONS: Mapping[str, str] = {
    "rugpull": "insider-rug-pull",
    "protocol logic": "smart-contract-logic-bug",
    "smart contract language": "smart-contract-logic-bug",
}

#: DeFiLlama ``targetType`` (lowercased) -> category.
TARGET_TYPES: Mapping[str, str] = {
    "defi protocol": "defi",
    "defi": "defi",
    "protocol": "defi",
    "dex": "defi",
    "lending": "defi",
    "stablecoin": "defi",
    "cex": "cex",
    "centralized exchange": "cex",
    "centralised exchange": "cex",
    "exchange": "cex",
    "bridge": "bridge",
    "wallet": "wallet",
    "custodian": "custody",
    "custody": "custody",
}


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _number(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


def _day(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return _text(value)  # left for the validation to report as not a date
    if not math.isfinite(seconds):
        return str(value)
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d")


def _technique(technique: str, classification: str) -> tuple[str, bool]:
    low = technique.lower()
    for keywords, ours in TECHNIQUE_RULES:
        if any(k in low for k in keywords):
            return ours, True
    mapped = CLASSIFICATIONS.get(classification.lower())
    return (mapped, True) if mapped else ("other", False)


def _category(target: str, bridge: Any) -> tuple[str, bool]:
    if bridge is True or _text(bridge).lower() == "true":
        return "bridge", True
    mapped = TARGET_TYPES.get(target.lower())
    return (mapped, True) if mapped else ("other", False)


def _chain(value: Any) -> str:
    if isinstance(value, str):
        return value.strip().lower()
    if isinstance(value, Iterable):
        chains = [_text(c).lower() for c in value if _text(c)]
        if len(chains) > 1:
            return "multiple"
        return chains[0] if chains else ""
    return _text(value).lower()


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed"


def _as_records(records: Any) -> list[Mapping[str, Any]]:
    if isinstance(records, pd.DataFrame):
        return records.to_dict("records")  # type: ignore[return-value]
    if isinstance(records, Mapping) or isinstance(records, str | bytes):
        raise InvalidTypeError(
            "records must be a sequence of DeFiLlama hack records (dicts) or a DataFrame, "
            f"got {type(records).__name__}"
        )
    if not isinstance(records, Sequence | Iterable):
        raise InvalidTypeError(
            f"records must be a sequence of dicts or a DataFrame, got {type(records).__name__}"
        )
    out = list(records)
    for i, rec in enumerate(out):
        if not isinstance(rec, Mapping):
            raise InvalidTypeError(
                f"records[{i}] must be a dict (one DeFiLlama hack record), got "
                f"{type(rec).__name__}"
            )
    return out


def from_defillama(records: Any, *, drop_invalid: bool = False) -> pd.DataFrame:
    """Convert DeFiLlama hacks records to the schema of :func:`load_hacks`.

    Parameters
    ----------
    records : sequence of dict or pandas.DataFrame
        Records in the format of DeFiLlama's public hacks API: ``date`` (unix seconds),
        ``name``, ``classification``, ``technique``, ``amount`` (USD), ``chain`` (list of
        chain names), ``bridgeHack``, ``targetType``, ``returnedFunds``, ``source``; other
        fields are ignored. Nothing is fetched.
    drop_invalid : bool, default False
        As in :func:`read_events`: if False an invalid record (no amount, a negative amount,
        ``returnedFunds`` above ``amount``, ...) raises, naming the record (1-based) and
        column; if True such records are dropped with a :class:`DroppedRowsWarning` and
        the count is in ``result.attrs["n_dropped"]``.

    Returns
    -------
    pandas.DataFrame
        Same columns and dtypes as :func:`load_hacks`, in record order. The mapping of
        DeFiLlama's strings to our vocabulary is in the module docstring; DeFiLlama's own
        strings are kept in ``notes``, with a remark where a value fell back to ``other``.

    Examples
    --------
    >>> from actuarial.datasets import from_defillama
    >>> record = {"date": 1647993600, "name": "Ronin", "classification": "Infrastructure",
    ...           "technique": "Private Key Compromised", "amount": 624000000,
    ...           "chain": ["Ethereum", "Ronin"], "bridgeHack": True,
    ...           "targetType": "DeFi Protocol", "returnedFunds": 5800000,
    ...           "source": "https://example.org/ronin-post-mortem"}
    >>> row = from_defillama([record]).iloc[0]
    >>> row["id"], row["category"], row["chain"], row["technique"]
    ('2022-03-23-ronin', 'bridge', 'multiple', 'private-key-compromise')
    """
    if not isinstance(drop_invalid, bool):
        raise InvalidInputError(f"drop_invalid must be True or False, got {drop_invalid!r}")
    recs = _as_records(records)
    schema_ = schema("hacks")
    rows: list[dict[str, str]] = []
    used: set[str] = set()
    for rec in recs:
        name = _text(rec.get("name"))
        date = _day(rec.get("date"))
        classification = _text(rec.get("classification"))
        technique_text = _text(rec.get("technique"))
        target = _text(rec.get("targetType"))
        technique, known_technique = _technique(technique_text, classification)
        category, known_target = _category(target, rec.get("bridgeHack"))
        notes = [
            f"DeFiLlama: classification={classification or '-'}; "
            f"technique={technique_text or '-'}; targetType={target or '-'}"
        ]
        if not known_technique:
            notes.append("technique not in our vocabulary: set to other")
        if not known_target:
            notes.append("targetType unknown: category set to other")
        source = _text(rec.get("source"))
        if not source:
            source = DEFILLAMA_HACKS_PAGE
            notes.append("no source in the record: DeFiLlama hacks page cited")
        base = f"{date}-{_slug(name)}"
        rid, k = base, 1
        while rid in used:
            k += 1
            rid = f"{base}-{k}"
        used.add(rid)
        rows.append(
            {
                "id": rid,
                "date": date,
                "name": name,
                "category": category,
                "chain": _chain(rec.get("chain")),
                "technique": technique,
                "amount_usd": _number(rec.get("amount")),
                "returned_usd": _number(rec.get("returnedFunds")),
                "reimbursed_usd": "",
                "source_url": source,
                "notes": ". ".join(notes),
            }
        )
    raw = pd.DataFrame(rows, columns=schema_.column_names, dtype=object)
    return _resolve(
        raw,
        schema_,
        source="DeFiLlama records",
        lines=None,
        strict=False,
        drop_invalid=drop_invalid,
        unit="record",
    )
