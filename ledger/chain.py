"""The ledger's hash chain: every batch, amendment and period event, in the order written, linked by
``link = SHA-256(previous link ‖ content digest)``. A batch's content digest covers its provenance and, in
order, each posted record's content hash and source row; each record's content hash covers its fields. So an
UPDATE, INSERT or DELETE made behind the tool's back breaks a hash that ``verify`` recomputes.

Content is always canonicalised from the rows as the database returns them (read back in the same
transaction when written), so both databases' own datetime and number forms give the same digest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import polars as pl
from ggzy.ledger.columnar import read_frame, record_dtype
from ggzy.ledger.models import RECORD_FIELDS, ChainLink, ImportBatch, PeriodEvent, RecordAmendment, TradeRecord
from ggzy.ledger.record_totals import differences
from sqlalchemy import insert, select
from sqlalchemy.engine import Connection, Engine

GENESIS = "0" * 64
SEPARATOR = "\x1f"
BATCH_FIELDS = ("id", "file_name", "sha256", "sheets", "title", "profile", "operator", "imported_at", "rows",
                "posted", "unchanged", "quarantined", "conflicts")
AMENDMENT_FIELDS = tuple(c.name for c in RecordAmendment.__table__.columns)
PERIOD_FIELDS = tuple(c.name for c in PeriodEvent.__table__.columns)


def with_content_sha256(records: pl.DataFrame) -> pl.DataFrame:
    """Hash of each record's content (not its provenance): same content ⇒ unchanged on re-import.

    The hashed text is the record's fields in a fixed order, joined by U+001F, a missing value as U+0000.
    """
    text = pl.concat_str([pl.col(f).cast(pl.String).fill_null("\x00") for f in RECORD_FIELDS], separator="\x1f")
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in records.select(text.alias("t"))["t"].to_list()]
    return records.with_columns(pl.Series("content_sha256", digests, dtype=pl.String))


def _canonical(row: Any, fields: tuple[str, ...]) -> str:
    mapping = row._mapping if hasattr(row, "_mapping") else row
    return SEPARATOR.join("\x00" if mapping[f] is None else str(mapping[f]) for f in fields)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def link_of(previous: str, content: str) -> str:
    return _sha(previous + content)


def records_digest(rows: list[tuple[str, str, int]]) -> str:
    """Digest of a batch's records, in id order: (content hash, sheet, row) each."""
    digest = hashlib.sha256()
    for content_sha256, sheet, source_row in rows:
        digest.update(f"{content_sha256}{SEPARATOR}{sheet}{SEPARATOR}{source_row}\n".encode())
    return digest.hexdigest()


def _batch_records(conn: Connection, batch_id: int) -> list[tuple[str, str, int]]:
    table = TradeRecord.__table__
    query = (select(table.c.content_sha256, table.c.source_sheet, table.c.source_row)
             .where(table.c.batch_id == batch_id).order_by(table.c.id))
    return [(digest, sheet, row) for digest, sheet, row in conn.execute(query)]


def content_of(conn: Connection, kind: str, ref_id: int, records: list[tuple[str, str, int]] | None = None) -> str:
    """The content digest of one chained row, from the database as it is now."""
    if kind == "batch":
        row = conn.execute(select(ImportBatch.__table__).where(ImportBatch.__table__.c.id == ref_id)).first()
        if row is None:
            return "missing batch"
        rows = _batch_records(conn, ref_id) if records is None else records
        return _sha("batch" + SEPARATOR + _canonical(row, BATCH_FIELDS) + SEPARATOR + records_digest(rows))
    table = RecordAmendment.__table__ if kind == "amendment" else PeriodEvent.__table__
    fields = AMENDMENT_FIELDS if kind == "amendment" else PERIOD_FIELDS
    row = conn.execute(select(table).where(table.c.id == ref_id)).first()
    return "missing " + kind if row is None else _sha(kind + SEPARATOR + _canonical(row, fields))


CHAIN_LOCK = 0x6767_7A79  # 'ggzy': the advisory lock that serialises appends to the chain


def _lock(conn: Connection) -> None:
    """One writer extends the chain at a time (PostgreSQL; SQLite serialises writers already). An advisory
    lock, held to the end of the transaction: it needs no table privilege beyond what an accountant has."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})")


def head(conn: Connection) -> str:
    table = ChainLink.__table__
    last = conn.execute(select(table.c.link).order_by(table.c.id.desc()).limit(1)).first()
    return last[0] if last else GENESIS


def append(conn: Connection, kind: str, ref_id: int, records: list[tuple[str, str, int]] | None = None) -> str:
    """Add the link for a row written in this transaction; returns the new head. ``records``: a batch's
    posted records in insertion (= id) order, when the caller has them (saves reading them back)."""
    _lock(conn)
    previous = head(conn)
    content = content_of(conn, kind, ref_id, records)
    link = link_of(previous, content)
    conn.execute(insert(ChainLink.__table__).values(kind=kind, ref_id=ref_id, content_sha256=content,
                                                    previous=previous, link=link))
    return link


def link_unchained_batches(conn: Connection) -> int:
    """Chain the batches of a ledger made before the chain existed (``ggzy init``), in id order."""
    batches, links = ImportBatch.__table__, ChainLink.__table__
    chained = select(links.c.ref_id).where(links.c.kind == "batch")
    missing = conn.execute(select(batches.c.id).where(batches.c.id.not_in(chained)).order_by(batches.c.id)).all()
    for (batch_id,) in missing:
        append(conn, "batch", batch_id)
    return len(missing)


@dataclass
class Break:
    """The first place where the ledger no longer matches its hashes."""

    where: str
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"where": self.where, "detail": self.detail}


def verify(engine: Engine) -> tuple[int, list[Break]]:
    """Recompute record hashes, batch digests, every link and the record totals.

    Returns (links checked, breaks); the first break is the first link (in chain order) that fails.
    """
    table = TradeRecord.__table__
    schema = {c.name: record_dtype(c.name) for c in table.columns}
    records = read_frame(engine, select(table).order_by(table.c.id), schema)
    breaks: list[Break] = []
    changed: dict[int, dict[str, Any]] = {}  # batch → its first record whose fields no longer match its hash
    if records.height:
        rehashed = with_content_sha256(records.select(*RECORD_FIELDS, "id", "batch_id", "source_file",
                                                      "source_sheet", "source_row", "content_sha256")
                                       .rename({"content_sha256": "_stored"}))
        for row in rehashed.filter(pl.col("content_sha256") != pl.col("_stored")).iter_rows(named=True):
            changed.setdefault(row["batch_id"], row)
    by_batch: dict[int, list[tuple[str, str, int]]] = {}
    for batch_id, content, sheet, row in records.select("batch_id", "content_sha256", "source_sheet",
                                                        "source_row").iter_rows():
        by_batch.setdefault(batch_id, []).append((content, sheet, row))
    links = ChainLink.__table__
    checked = 0
    with engine.connect() as conn:
        previous = GENESIS
        for link in conn.execute(select(links).order_by(links.c.id)):
            checked += 1
            where = f"chain link {link.id} ({link.kind} {link.ref_id})"
            records_of = by_batch.get(link.ref_id, []) if link.kind == "batch" else None
            content = content_of(conn, link.kind, link.ref_id, records_of)
            if link.previous != previous:
                breaks.append(Break(where, "its previous link is not the link before it: a link was removed, "
                                           "inserted or reordered"))
            elif link.kind == "batch" and link.ref_id in changed:
                first = changed[link.ref_id]
                breaks.append(Break(where, f"record {first['id']} ({first['source_file']}:{first['source_sheet']}:"
                                           f"{first['source_row']}) was changed after posting: its fields no longer "
                                           "match its hash"))
            elif content != link.content_sha256:
                breaks.append(Break(where, f"the {link.kind} it covers was changed after it was written"))
            elif link_of(previous, content) != link.link:
                breaks.append(Break(where, "the link itself was rewritten"))
            previous = link.link
        chained = {r.ref_id for r in conn.execute(select(links.c.ref_id).where(links.c.kind == "batch"))}
        unchained = sorted(set(by_batch) - chained)
        if unchained:
            breaks.append(Break(f"batch {unchained[0]}", "holds records but is not in the chain"))
        drift = differences(conn)
        if drift:
            breaks.append(Break("record_total", f"{len(drift)} group(s) of the stored totals differ from the "
                                                f"records, e.g. {drift[0]['group']}"))
    return checked, breaks
