"""The evidence of a failed expectation: for every offending row, what the auditor needs to act without
looking the record up — its name, winner, region and month, the fields the expectation read, and how far
they are off (over budget by …, the rate of that) — largest first.

Values stay in ledger terms (money in fen, rates as ratios); the report writers show them in 元 and %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from ggzy.rules.suites import Finding

#: what every record row shows, before the fields the expectation read
DESCRIPTIVE = ("id", "name", "winner", "region", "month", "category", "project_code", "section_code", "status")
SOURCE = ("source_file", "source_sheet", "source_row")
COLUMN_ARGUMENTS = ("column_A", "column_B", "column", "column_list")
PAIR_GREATER = "expect_column_pair_values_a_to_be_greater_than_b"
BETWEEN = "expect_column_values_to_be_between"


@dataclass(frozen=True)
class EvidenceColumn:
    key: str
    kind: str  # text | money (fen) | rate (ratio) | count | date | excess (same kind as the field compared)


@dataclass
class Evidence:
    """One failed expectation and its offending rows, each a dict keyed by the columns' keys."""

    finding: Finding
    columns: list[EvidenceColumn]
    rows: list[dict[str, Any]] = field(default_factory=list)
    excess_kind: str | None = None  # money | rate | count: what "excess" is measured in


def kind_of(column: str) -> str:
    if column.endswith("_fen"):
        return "money"
    if column.endswith("_rate") or column == "scale_ratio":
        return "rate"
    if column in ("id", "batch_id", "source_row", "bidders", "records", "deals", "deals_with_base",
                  "key_occurrences", "months_outside_title"):
        return "count"
    return "date" if column == "trade_date" else "text"


def columns_read(finding: Finding) -> list[str]:
    """The columns the expectation's arguments name, in argument order (column_A before column_B)."""
    names: list[str] = []
    for argument in COLUMN_ARGUMENTS:
        value = finding.kwargs.get(argument)
        for name in value if isinstance(value, list) else [value]:
            if isinstance(name, str) and name not in names:
                names.append(name)
    return names


def _excess(finding: Finding, row: dict[str, Any]) -> tuple[Any, Fraction | None]:
    """(how far the row is off, that as a share of the limit) for the expectation types that have a limit."""
    kwargs = finding.kwargs
    if finding.type == PAIR_GREATER:  # A ≥ B expected: B above A by …
        a, b = row.get(kwargs.get("column_A", "")), row.get(kwargs.get("column_B", ""))
        if isinstance(a, int | float) and isinstance(b, int | float):
            over = b - a
            return over, Fraction(over) / Fraction(a) if a else None
        return None, None
    if finding.type == BETWEEN:
        value = row.get(kwargs.get("column", ""))
        if not isinstance(value, int | float):
            return None, None
        high, low = kwargs.get("max_value"), kwargs.get("min_value")
        limit = high if high is not None and value > high else low if low is not None and value < low else None
        if limit is None:
            return None, None
        off = value - limit
        if isinstance(off, float):
            off = round(off, 6)  # a ratio off by a ratio: plenty of digits to judge it
        return off, Fraction(off) / Fraction(limit) if limit else None
    return None, None


def evidence(finding: Finding) -> Evidence:
    """The offending rows of ``finding`` with their descriptive fields, the fields read and the excess,
    sorted by the size of the excess (largest first; rows without one keep their order, after)."""
    read = columns_read(finding)
    sample = finding.records[0] if finding.records else {}
    if finding.level == "record":
        keys = [*DESCRIPTIVE, *(c for c in read if c not in DESCRIPTIVE), *SOURCE]
    else:  # a ledger summary row: every column it has, the ones read first
        keys = [*read, *(c for c in sample if c not in read)]
    columns = [EvidenceColumn(k, "text" if k == "month" else kind_of(k)) for k in keys]
    excess_kind = kind_of(read[-1]) if finding.type in (PAIR_GREATER, BETWEEN) and read else None
    if excess_kind is not None:
        columns += [EvidenceColumn("excess", excess_kind), EvidenceColumn("excess_rate", "rate")]
    rows = []
    for record in finding.records:
        row = {k: record.get(k) for k in keys}
        if "month" in keys and row.get("month") is None and isinstance(record.get("trade_date"), dt.date):
            row["month"] = record["trade_date"].strftime("%Y-%m")
        if excess_kind is not None:
            off, share = _excess(finding, record)
            row["excess"], row["excess_rate"] = off, share
        rows.append(row)
    if excess_kind is not None:
        rows.sort(key=lambda r: (r["excess"] is None, -abs(r["excess"] or 0)))
    return Evidence(finding, columns, rows, excess_kind)
