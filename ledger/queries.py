"""Reading the ledger: the records table as queries see it, and scopes as SQL conditions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ggzy.ledger.models import (
    PROVENANCE,
    VERSIONED,
    ImportBatch,
    ImportTotal,
    QuarantinedRow,
    QuarantineResolution,
    TradeRecord,
)
from sqlalchemy import Column, Integer, MetaData, Table, and_, func, literal, not_, select

_VIEWS = MetaData()  # views are not created by create_all: init_schema writes their SQL
#: the view's columns: the record's id first, then trade_record's other columns
VIEW_COLUMNS = ("id", *(c.name for c in TradeRecord.__table__.columns if c.name != "id"))
CURRENT_RECORD = Table(
    "current_record", _VIEWS,
    *(Column(name, TradeRecord.__table__.c[name].type) for name in VIEW_COLUMNS),
    Column("amendment_id", Integer))


def current_record_sql() -> str:
    """The view every query reads records through: each posted record as its latest amendment left it,
    voided records left out. Records are never updated; later versions are rows of record_amendment.

    A version's fields come from the latest amendment (a NULL there is a value: an amendment may clear a field);
    its provenance (batch, source row, content hash) from the latest amendment that has one, else the record's
    own (amendments written before revision 0004 carry none)."""
    def chosen(column: str) -> str:
        if column in VERSIONED:
            return f"CASE WHEN a.id IS NULL THEN r.{column} ELSE a.{column} END AS {column}"
        if column in PROVENANCE:
            return f"COALESCE(a.{column}, r.{column}) AS {column}"
        return f"r.{column}"

    return (f"CREATE VIEW current_record AS SELECT {', '.join(map(chosen, VIEW_COLUMNS))}, a.id AS amendment_id "
            "FROM trade_record r "
            "LEFT JOIN (SELECT record_id, MAX(id) AS latest FROM record_amendment GROUP BY record_id) m "
            "ON m.record_id = r.id LEFT JOIN record_amendment a ON a.id = m.latest "
            "WHERE a.id IS NULL OR a.kind <> 'void'")


@dataclass(frozen=True)
class Scope:
    """Which records a figure or a listing covers; None means any. ``exclude`` scopes are left out."""

    categories: tuple[str, ...] | None = None
    subcategories: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None
    months: tuple[str, ...] | None = None
    exclude: tuple[Scope, ...] = field(default=())
    methods: tuple[str, ...] | None = None  # 交易方式 (公开招标, 比选 …): not in record_total, read from the records


def narrow_categories(categories: tuple[str, ...] | None, subcategories: tuple[str, ...] | None,
                      category_of: dict[str, str]) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None,
                                                             tuple[Scope, ...]]:
    """(categories, subcategories, excludes) of a scope where a subcategory narrows only the category it belongs
    to: 国有产权 and 罚没财物 (a subcategory of 其他交易) together are all of 国有产权 and the 罚没财物 part of
    其他交易 — every other part of 其他交易 is excluded. When every listed category is narrowed (or none can be), the
    subcategories stay a plain condition. ``category_of`` maps a subcategory to its category."""
    if not categories or not subcategories or len(categories) == 1:
        return categories, subcategories, ()
    narrowed = {c for s in subcategories if (c := category_of.get(s)) in categories}
    if not narrowed or narrowed == set(categories):
        return categories, subcategories, ()
    excludes = tuple(Scope(categories=(c,), exclude=(Scope(subcategories=tuple(
        s for s in subcategories if category_of.get(s) == c)),)) for c in categories if c in narrowed)
    return categories, None, excludes


def records_table() -> Table:
    """What every query reads records from: the current version of each record (view current_record)."""
    return CURRENT_RECORD


def scope_condition(scope: Scope, table: Any) -> Any:
    """SQL condition for ``scope``; values are bound parameters, never SQL text."""
    parts: list[Any] = []
    # coalesce: an empty subcategory/region must not turn NOT(x IN …) into NULL and drop the row
    for values, column in ((scope.categories, table.c.category),
                           (scope.subcategories, func.coalesce(table.c.subcategory, "")),
                           (scope.regions, func.coalesce(table.c.region, "")), (scope.months, table.c.period),
                           (scope.methods, func.coalesce(table.c.method, "") if "method" in table.c else None)):
        if values is not None:
            assert column is not None, "a trade method scope is read from the records, not from record_total"
            parts.append(column.in_(values))
    for excluded in scope.exclude:
        parts.append(not_(scope_condition(excluded, table)))
    return and_(*parts) if parts else literal(True)


def known_regions(conn: Any) -> set[str]:
    """The regions the ledger's current records name."""
    table = records_table()
    return {region for (region,) in conn.execute(select(table.c.region).distinct()) if region}


def quarantine_query(batch_id: int | None = None, include_resolved: bool = False) -> Any:
    """Held rows (open ones unless ``include_resolved``), each with how, by which batch and onto which record it
    was resolved (and, confirmed by the user, by whom and why)."""
    from sqlalchemy import select


    held, resolution = QuarantinedRow.__table__, QuarantineResolution.__table__
    query = (select(held, resolution.c.batch_id.label("resolved_by_batch"), resolution.c.how.label("resolved_how"),
                    resolution.c.record_id.label("resolved_record"), resolution.c.operator.label("resolved_operator"),
                    resolution.c.reason.label("resolved_reason"))
             .select_from(held.outerjoin(resolution, resolution.c.quarantined_row_id == held.c.id))
             .order_by(held.c.id))
    if batch_id is not None:
        query = query.where(held.c.batch_id == batch_id)
    if not include_resolved:
        query = query.where(resolution.c.id.is_(None))
    return query


def total_differences_query() -> Any:
    """合计/小计 rows of imported sheets that disagree with the rows above them, with their file."""
    from sqlalchemy import select


    totals, batches = ImportTotal.__table__, ImportBatch.__table__
    return (select(totals, batches.c.file_name).join(batches, batches.c.id == totals.c.batch_id)
            .where(totals.c.status != "ok").order_by(totals.c.id))
