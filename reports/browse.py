"""Read-only look-ups behind the web view: the ledger's months, one record with everything that explains it
(source row with its raw cells read from the kept file, batch, versions, chain links), one batch, held rows by
kind. Only SELECTs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ggzy.imports.source_cells import SourceRow, source_row
from ggzy.ledger.models import ChainLink, ImportBatch, QuarantinedRow, RecordAmendment, RecordTotal, TradeRecord
from ggzy.ledger.queries import quarantine_query, records_table
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Engine


def months(engine: Engine) -> list[dict[str, Any]]:
    """Every month of the ledger: records, deals and deal amount (fen), from the record totals."""
    totals = RecordTotal.__table__
    deal = totals.c.status == "deal"
    query = (select(totals.c.period, func.sum(totals.c.records).label("records"),
                    func.sum(case((deal, totals.c.records), else_=0)).label("deals"),
                    func.sum(case((deal, totals.c.deal_fen), else_=0)).label("deal_fen"))
             .group_by(totals.c.period).having(func.sum(totals.c.records) != 0).order_by(totals.c.period))
    with engine.connect() as conn:
        return [{"period": r.period, "records": int(r.records), "deals": int(r.deals or 0),
                 "deal_fen": int(r.deal_fen or 0)} for r in conn.execute(query)]


def fingerprint(engine: Engine) -> tuple[Any, ...]:
    """Changes whenever the ledger does (every write appends a chain link or a run): a cache key."""
    from ggzy.ledger.models import ReconciliationRun

    with engine.connect() as conn:
        links = conn.execute(select(func.count(), func.max(ChainLink.__table__.c.id))).one()
        return (*links, conn.execute(select(func.max(ReconciliationRun.__table__.c.id))).scalar())


@dataclass
class RecordView:
    current: dict[str, Any] | None  # None when voided
    posted: dict[str, Any]
    batch: dict[str, Any]  # the batch of the source below
    history: list[dict[str, Any]]
    source: SourceRow  # the row its current version came from (as posted, or re-imported), read from the kept file
    held: list[dict[str, Any]] = field(default_factory=list)  # rows held from the same source row, or in conflict
    links: list[dict[str, Any]] = field(default_factory=list)  # chain links of its batches and its corrections


def record(engine: Engine, record_id: int) -> RecordView | None:
    from ggzy.ledger.audit import history

    records, current, batches = TradeRecord.__table__, records_table(), ImportBatch.__table__
    held, amendments, links = QuarantinedRow.__table__, RecordAmendment.__table__, ChainLink.__table__
    with engine.connect() as conn:
        posted = conn.execute(select(records).where(records.c.id == record_id)).mappings().first()
        if posted is None:
            return None
        now = conn.execute(select(current).where(current.c.id == record_id)).mappings().first()
        where = now or posted  # a re-imported record's values come from the batch that re-imported it
        batch = conn.execute(select(batches).where(batches.c.id == where["batch_id"])).mappings().one()
        held_rows = conn.execute(select(held).where(or_(
            held.c.existing_record_id == record_id,
            and_(held.c.source_file == where["source_file"], held.c.source_sheet == where["source_sheet"],
                 held.c.source_row == where["source_row"])))).mappings().all()
        amendment_ids = [a for (a,) in conn.execute(select(amendments.c.id).where(amendments.c.record_id == record_id))]
        batch_ids = {posted["batch_id"], batch["id"]}
        chain = conn.execute(select(links).where(or_(and_(links.c.kind == "batch", links.c.ref_id.in_(batch_ids)),
                                                     and_(links.c.kind == "amendment",
                                                          links.c.ref_id.in_(amendment_ids or [-1]))))
                             .order_by(links.c.id)).mappings().all()
    source = source_row(engine, batch["id"], where["source_sheet"], where["source_row"])
    return RecordView(dict(now) if now else None, dict(posted), dict(batch), history(engine, record_id), source,
                      [{**dict(h), "raw": json.loads(h["raw_json"] or "{}")} for h in held_rows],
                      [dict(c) for c in chain])


def original(engine: Engine, batch_id: int) -> tuple[str, bytes] | None:
    """A batch's file name and bytes as kept in the ledger; None when the batch is unknown or its file not kept."""
    from ggzy.errors import UsageError
    from ggzy.ledger.sources import original_file

    with engine.connect() as conn:
        try:
            found, data = original_file(conn, batch_id)
        except UsageError:
            return None
    return found.file_name, data


def missing_source_text(found: SourceRow, lang: str) -> str:
    """Why a source row's raw cells cannot be shown, in ``lang``."""
    from ggzy.reports.labels import LABELS

    key = {"not_kept": "raw_not_kept", "no_row": "raw_no_row"}.get(found.missing or "", "raw_no_batch")
    return LABELS[lang][key].format(batch=found.batch_id, sha256=found.sha256, file=found.file_name,
                                    sheet=found.sheet, row=found.row)


def batch(engine: Engine, batch_id: int) -> dict[str, Any] | None:
    batches, links = ImportBatch.__table__, ChainLink.__table__
    with engine.connect() as conn:
        row = conn.execute(select(batches).where(batches.c.id == batch_id)).mappings().first()
        if row is None:
            return None
        link = conn.execute(select(links).where(links.c.kind == "batch", links.c.ref_id == batch_id)).mappings().first()
    return {**dict(row), "chain": dict(link) if link else None}


def held_rows(engine: Engine, kind: str | None = None, batch_id: int | None = None) -> list[dict[str, Any]]:
    """Open held rows (invalid or in conflict), oldest first."""
    query = quarantine_query(batch_id)
    if kind:
        query = query.where(QuarantinedRow.__table__.c.kind == kind)
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query)]
