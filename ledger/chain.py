"""The ledger's hash chain: every batch, amendment, period event and confirmed resolution, in the order written,
linked by ``link = SHA-256(previous link ‖ content digest)``. A batch's content digest covers its provenance and, in
order, each posted record's content hash and source row, then each voided record it imported again (a
``reimport`` amendment, in full), then each held row it resolved; each record's content hash covers its fields.
So an UPDATE, INSERT or DELETE made behind the tool's back breaks a hash that ``verify`` recomputes
(ledger/verify.py).

Every column of a chained table is hashed: the columns a table had when the chain began, in that order (the
digests written then must still verify), then every later column, by name, as ``name=value`` when it holds a
value. A column added to a model therefore enters the chain without anyone listing it (tests/test_chain.py).

Content is always canonicalised from the rows as the database returns them (read back in the same
transaction when written), so both databases' own datetime and number forms give the same digest.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl
from ggzy.ledger.models import (
    RECORD_FIELDS,
    ChainLink,
    ImportBatch,
    PeriodEvent,
    QuarantineResolution,
    RecordAmendment,
    TradeRecord,
)
from sqlalchemy import Table, insert, select
from sqlalchemy.engine import Connection

GENESIS = "0" * 64
SEPARATOR = "\x1f"
MISSING = "\x00"

#: the columns each chained table had when the chain began (revision 0003), in the order hashed then. Frozen on
#: purpose: changing it would break every existing link. Later columns are hashed by ``hashed_columns``.
FIRST_FORM: dict[str, tuple[str, ...]] = {
    "import_batch": ("id", "file_name", "sha256", "sheets", "title", "profile", "operator", "imported_at", "rows",
                     "posted", "unchanged", "quarantined", "conflicts"),
    "record_amendment": ("id", "record_id", "kind", "category", "subcategory", "project_code", "section_code", "name",
                         "region", "status", "method", "budget_fen", "control_price_fen", "reserve_fen", "deal_fen",
                         "winner", "bidders", "trade_date", "period", "changes_json", "reason", "operator",
                         "created_at"),
    "period_event": ("id", "period", "action", "reason", "operator", "at", "digest"),
    # chained from revision 0006 on: the resolutions a user confirmed (`ggzy resolve`)
    "quarantine_resolution": ("id", "quarantined_row_id", "batch_id", "how", "resolved_at", "record_id", "operator",
                              "reason"),
}
CHAINED: dict[str, Table] = {"batch": ImportBatch.__table__, "amendment": RecordAmendment.__table__,
                             "period": PeriodEvent.__table__, "resolution": QuarantineResolution.__table__}


def hashed_columns(table: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(columns always hashed, in order; later columns hashed when they hold a value, by name): every column."""
    first = FIRST_FORM[table.name]
    return first, tuple(sorted(c.name for c in table.columns if c.name not in first))


def _text(value: Any) -> str:
    return MISSING if value is None else str(value)


def canonical(row: Mapping[Any, Any], table: Table) -> str:
    """The text a chained row's digest is taken of."""
    first, later = hashed_columns(table)
    parts = [_text(row[c]) for c in first]
    parts += [f"{c}={row[c]}" for c in later if row[c] is not None]
    return SEPARATOR.join(parts)


def record_hash(values: Iterable[Any]) -> str:
    """Content hash of one record version: its RECORD_FIELDS values, in order, joined by U+001F, a missing value
    as U+0000 (dates as YYYY-MM-DD, numbers in decimal)."""
    return hashlib.sha256(SEPARATOR.join([MISSING if v is None else str(v) for v in values]).encode()).hexdigest()


def with_content_sha256(records: pl.DataFrame) -> pl.DataFrame:
    """``record_hash`` of each row of a frame (same content ⇒ unchanged on re-import), computed column-wise."""
    text = pl.concat_str([pl.col(f).cast(pl.String).fill_null(MISSING) for f in RECORD_FIELDS], separator=SEPARATOR)
    digests = [hashlib.sha256(t.encode()).hexdigest() for t in records.select(text.alias("t"))["t"].to_list()]
    return records.with_columns(pl.Series("content_sha256", digests, dtype=pl.String))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def link_of(previous: str, content: str) -> str:
    return _sha(previous + content)


class BatchDigest:
    """The running digest of a batch's records (content hash, sheet, row, in id order) and of the voided records it
    imported again (their amendment rows, in id order): fed row by row, so no batch is ever held whole."""

    def __init__(self) -> None:
        self.records = hashlib.sha256()
        self.reimports: Any = None
        self.resolutions: Any = None

    def add_record(self, content_sha256: str, sheet: str, source_row: int) -> None:
        self.records.update(f"{content_sha256}{SEPARATOR}{sheet}{SEPARATOR}{source_row}\n".encode())

    def add_records(self, records: pl.DataFrame) -> None:
        """``add_record`` of every row of a frame (content_sha256, source_sheet, source_row), a slice at a time:
        one update per slice hashes the same bytes as one per row, without a million Python calls."""
        line = pl.concat_str([pl.col(c).cast(pl.String).fill_null("None")  # what add_record's f-string writes
                              for c in ("content_sha256", "source_sheet", "source_row")], separator=SEPARATOR)
        for piece in records.select(line.alias("line")).iter_slices(100_000):
            self.records.update(("\n".join(piece["line"].to_list()) + "\n").encode())

    def add_reimport(self, amendment: Mapping[Any, Any]) -> None:
        if self.reimports is None:
            self.reimports = hashlib.sha256()
        self.reimports.update(f"{_sha(canonical(amendment, CHAINED['amendment']))}\n".encode())

    def add_resolution(self, resolution: Mapping[Any, Any]) -> None:
        if self.resolutions is None:
            self.resolutions = hashlib.sha256()
        self.resolutions.update(f"{_sha(canonical(resolution, CHAINED['resolution']))}\n".encode())

    def content(self, batch: Mapping[Any, Any]) -> str:
        """The batch's content digest. A batch without re-imports or resolutions hashes as it did before they
        existed."""
        text = "batch" + SEPARATOR + canonical(batch, CHAINED["batch"]) + SEPARATOR + self.records.hexdigest()
        if self.reimports is not None:
            text += SEPARATOR + "reimports" + SEPARATOR + self.reimports.hexdigest()
        if self.resolutions is not None:
            text += SEPARATOR + "resolutions" + SEPARATOR + self.resolutions.hexdigest()
        return _sha(text)


def reimports_query(batch_id: int | None = None, after_id: int = 0, limit: int | None = None) -> Any:
    table = RecordAmendment.__table__
    query = select(table).where(table.c.kind == "reimport", table.c.id > after_id).order_by(table.c.id)
    if batch_id is not None:
        query = query.where(table.c.batch_id == batch_id)
    return query.limit(limit) if limit else query


def resolutions_query(batch_id: int | None = None, after_id: int = 0, limit: int | None = None) -> Any:
    """The held rows an import resolved, covered by its batch's link: those written from revision 0006 on (they
    name their operator; a resolution the user confirmed has a link of its own)."""
    table = QuarantineResolution.__table__
    query = select(table).where(table.c.operator.is_not(None), table.c.how != "confirmed",
                                table.c.id > after_id).order_by(table.c.id)
    if batch_id is not None:
        query = query.where(table.c.batch_id == batch_id)
    return query.limit(limit) if limit else query


def batch_digest(conn: Connection, batch_id: int, records: pl.DataFrame | None = None) -> BatchDigest:
    """The digest of one batch from the database (``records``: its posted records in id order, with columns
    content_sha256, source_sheet and source_row, when the caller has them: saves reading them back)."""
    digest = BatchDigest()
    if records is None:
        table = TradeRecord.__table__
        rows = conn.execute(select(table.c.content_sha256, table.c.source_sheet, table.c.source_row)
                            .where(table.c.batch_id == batch_id).order_by(table.c.id))
        for content_sha256, sheet, source_row in rows:
            digest.add_record(content_sha256, sheet, source_row)
    elif records.height:
        digest.add_records(records)
    for row in conn.execute(reimports_query(batch_id)):
        digest.add_reimport(row._mapping)
    for row in conn.execute(resolutions_query(batch_id)):
        digest.add_resolution(row._mapping)
    return digest


def content_of(conn: Connection, kind: str, ref_id: int, digest: BatchDigest | None = None) -> str:
    """The content digest of one chained row, from the database as it is now (a batch's records and re-imports
    from ``digest`` when the caller has computed it)."""
    table = CHAINED[kind]
    row = conn.execute(select(table).where(table.c.id == ref_id)).first()
    if row is None:
        return "missing " + kind
    return row_content(kind, row._mapping, digest or batch_digest(conn, ref_id) if kind == "batch" else None)


def row_content(kind: str, row: Mapping[Any, Any], digest: BatchDigest | None = None) -> str:
    """The content digest of a chained row as read (a batch's with the digest of its records and re-imports)."""
    if kind == "batch":
        return (digest or BatchDigest()).content(row)
    return _sha(kind + SEPARATOR + canonical(row, CHAINED[kind]))


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


def append(conn: Connection, kind: str, ref_id: int, records: pl.DataFrame | None = None) -> str:
    """Add the link for a row written in this transaction; returns the new head. ``records``: a batch's posted
    records in insertion (= id) order, when the caller has them (see ``batch_digest``)."""
    _lock(conn)
    previous = head(conn)
    content = content_of(conn, kind, ref_id, batch_digest(conn, ref_id, records) if kind == "batch" else None)
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
