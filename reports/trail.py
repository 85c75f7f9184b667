"""A period's audit trail: the amendments and voids of its records, the source totals (合计/小计 rows) that
disagree with their rows, and the rows held in quarantine — read-only queries shared by the report and the
web view.

A period is the records' months. Amendments count when the record's month before or after the correction
lies in it; totals and held rows count when their file posted records in it or posted none at all (a file
whose every row was held belongs to no month, and is shown rather than lost).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from ggzy.ledger.models import ImportBatch, RecordAmendment, RecordTotal, TradeRecord
from ggzy.ledger.queries import quarantine_query, total_differences_query
from ggzy.periods import parse_period
from sqlalchemy import or_, select
from sqlalchemy.engine import Connection, Engine

MONEY_FIELDS = ("budget_fen", "control_price_fen", "reserve_fen", "deal_fen")


@dataclass
class Change:
    field: str
    before: Any  # money in fen, dates as ISO text
    after: Any


@dataclass
class AmendmentRow:
    amendment_id: int
    record_id: int
    kind: str  # amend | void
    operator: str
    at: dt.datetime
    reason: str
    project_code: str
    section_code: str
    name: str | None
    region: str | None
    period: str
    changes: list[Change] = field(default_factory=list)
    unit: str = "元"  # the money unit the amendment was given in (元 for those written before it was kept)


@dataclass
class Trail:
    amendments: list[AmendmentRow]
    totals: list[dict[str, Any]]
    quarantine: list[dict[str, Any]]


def _months(period: str | None) -> tuple[str, ...] | None:
    return parse_period(period).months if period else None


def period_batches(conn: Connection, months: tuple[str, ...]) -> set[int]:
    """Batches that posted records in ``months``, and batches that posted none (all rows held)."""
    totals, batches = RecordTotal.__table__, ImportBatch.__table__
    touching = {b for (b,) in conn.execute(select(totals.c.batch_id).where(totals.c.period.in_(months)).distinct())}
    empty = {b for (b,) in conn.execute(select(batches.c.id).where(batches.c.posted == 0))}
    return touching | empty


def amendments(conn: Connection, months: tuple[str, ...] | None) -> list[AmendmentRow]:
    """Every amendment and void (of records of ``months``), oldest first, with what each changed."""
    amended, records = RecordAmendment.__table__, TradeRecord.__table__
    query = (select(amended, records.c.period.label("posted_period"))
             .join(records, records.c.id == amended.c.record_id).order_by(amended.c.id))
    if months is not None:
        # the month before an amendment is the posted one or an earlier amendment's: both are checked below
        query = query.where(or_(amended.c.period.in_(months), records.c.period.in_(months),
                                amended.c.record_id.in_(select(amended.c.record_id)
                                                        .where(amended.c.period.in_(months)))))
    rows = []
    for row in conn.execute(query):
        changes = json.loads(row.changes_json or "{}")
        rows.append(AmendmentRow(row.id, row.record_id, row.kind, row.operator, row.created_at, row.reason,
                                 row.project_code, row.section_code, row.name, row.region, row.period,
                                 [Change(f, before, after) for f, (before, after) in changes.items()],
                                 row.unit or "元"))
    return rows


def audit_trail(engine: Engine, period: str | None) -> Trail:
    months = _months(period)
    with engine.connect() as conn:
        held = [dict(r._mapping) for r in conn.execute(quarantine_query())]
        totals = [dict(r._mapping) for r in conn.execute(total_differences_query())]
        if months is not None:
            batches = period_batches(conn, months)
            held = [q for q in held if q["batch_id"] in batches]
            totals = [t for t in totals if t["batch_id"] in batches]
        return Trail(amendments(conn, months), totals, held)
