"""Where a difference sits: the ledger side of one published figure broken down by category, month, region
and source file, and the records in its scope. The report and the web view both call these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ggzy.ledger.models import ImportBatch
from ggzy.ledger.queries import Scope, records_table, scope_condition
from ggzy.money import FEN_PER_UNIT
from ggzy.rules.engine import RuleSet, aggregate
from ggzy.rules.published import scope_from_text
from sqlalchemy import and_, func, select
from sqlalchemy.engine import Engine

DIMENSIONS = ("category", "month", "region", "batch")
#: the columns a record listing shows (money in fen; writers convert)
RECORD_COLUMNS = ("id", "name", "winner", "region", "period", "category", "subcategory", "status", "project_code",
                  "section_code", "budget_fen", "control_price_fen", "reserve_fen", "deal_fen", "trade_date",
                  "source_file", "source_sheet", "source_row", "batch_id")


@dataclass
class BreakdownRow:
    group: str | int | None  # a category (canonical), a month, a region, or a batch id
    label: str  # what to show: the region, the month, the file name …
    value: Decimal | None  # the measure in the figure's unit (percent for a rate)
    records: int


@dataclass
class Breakdown:
    """A (figure, measure) result of a run and its ledger side by dimension."""

    result: dict[str, Any]
    scope: Scope
    by: dict[str, list[BreakdownRow]] = field(default_factory=dict)


def in_figure_unit(value: int | Fraction | None, kind: str, unit: str) -> Decimal | None:
    """A ledger value (fen, ratio, count) in the unit a published figure is written in; exact for money."""
    if value is None:
        return None
    if kind == "money":
        return Decimal(int(value)) / FEN_PER_UNIT[unit]
    if kind in ("rate", "number"):
        ratio = Fraction(value) * (100 if kind == "rate" else 1)
        return (Decimal(ratio.numerator) / Decimal(ratio.denominator)).quantize(Decimal("1e-8"))
    return Decimal(int(value))


def breakdown(engine: Engine, rules: RuleSet, result: dict[str, Any]) -> Breakdown:
    """The ledger value of ``result``'s measure per category, month, region and source file, in its unit."""
    scope = scope_from_text(result["scope"])
    name = result["measure"]
    kind = rules.measure(name).kind
    counted = "count" in rules.measures
    names = [name, "count"] if counted and name != "count" else [name]
    out = Breakdown(result, scope)
    files = batch_files(engine)
    for dimension in DIMENSIONS:
        rows = []
        for row in aggregate(engine, rules, names, scope, [dimension]):
            group = row.group[dimension]
            label = files.get(group, str(group)) if dimension == "batch" else (group or "—")
            rows.append(BreakdownRow(group, str(label), in_figure_unit(row.value(rules, name), kind, result["unit"]),
                                     row.sums["count"] if counted else 0))
        rows.sort(key=lambda r: (r.value is None, -abs(r.value) if r.value is not None else 0))
        out.by[dimension] = rows
    return out


def batch_files(engine: Engine) -> dict[Any, str]:
    """Batch id → the name of the file it imported."""
    table = ImportBatch.__table__
    with engine.connect() as conn:
        return {r.id: r.file_name for r in conn.execute(select(table.c.id, table.c.file_name))}


def scope_records(engine: Engine, scope: Scope, limit: int | None = None, offset: int = 0,
                  order: str = "deal", batch_id: int | None = None,
                  every_column: bool = False) -> tuple[list[dict[str, Any]], int]:
    """The current records in ``scope`` (and of one import batch, when given), largest deal first, by id, or by
    month then id (``order="period"``, the listing of `ggzy records`), and how many there are in all.
    ``every_column``: each record with all its columns (`records --format json`), not only the shown ones."""
    table = records_table()
    condition = scope_condition(scope, table)
    if batch_id is not None:
        condition = and_(condition, table.c.batch_id == batch_id)
    orderings: dict[str, list[Any]] = {"deal": [table.c.deal_fen.desc().nulls_last(), table.c.id],
                                       "id": [table.c.id], "period": [table.c.period, table.c.id]}
    ordering = orderings[order]
    columns = list(table.c) if every_column else [table.c[c] for c in RECORD_COLUMNS]
    query = select(*columns).where(condition).order_by(*ordering).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(table).where(condition)).scalar_one()
        return [dict(r._mapping) for r in conn.execute(query)], int(total)
