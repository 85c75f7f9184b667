"""The imported files themselves, kept in the ledger (table ``source_file``): each file's bytes once, however many
batches read it, in parts of ``PART`` bytes (so no single value nears the 1 GB a PostgreSQL or SQLite field
takes, and neither writing nor verifying holds a whole file twice). Written in the batch's transaction; read
back for a record's raw cells (imports/source_rows.py) and by `ggzy source`; ``verify`` hashes every kept file
to the SHA-256 its batches were imported with (``check_sources``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ggzy.errors import LedgerError, UsageError
from ggzy.ledger.models import ImportBatch, SourceFile, TradeRecord
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

PART = 16 << 20


def store_source(conn: Connection, path: Path, sha256: str) -> int:
    """Keep the file at ``path`` under ``sha256`` unless it is kept already; returns its size in bytes. Raises
    LedgerError (the transaction then writes nothing) when the file no longer has the SHA-256 it was read with:
    it was changed while it was being imported."""
    table = SourceFile.__table__
    parts, size = conn.execute(select(func.count(), func.sum(func.length(table.c.data)))
                               .where(table.c.sha256 == sha256)).one()
    if parts:
        return int(size)
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as handle:
        for part, block in enumerate(iter(lambda: handle.read(PART), b"")):
            digest.update(block)
            size += len(block)
            conn.execute(insert(table).values(sha256=sha256, part=part, data=block))
    if digest.hexdigest() != sha256:
        raise LedgerError(f"{path}: the file changed while it was being imported (its SHA-256 is no longer the one "
                          "read); nothing was written — import it again once it is saved")
    return size


def source_parts(conn: Connection, sha256: str) -> Iterator[bytes]:
    """The kept file's bytes, a part at a time, in order (one part in memory at a time)."""
    table = SourceFile.__table__
    part = 0
    while (found := conn.execute(select(table.c.data).where(table.c.sha256 == sha256, table.c.part == part))
           .scalar()) is not None:
        yield bytes(found)
        part += 1


@dataclass
class KeptFile:
    """A batch's file as kept: its name, SHA-256, size, and the column names of each sheet read."""

    batch_id: int
    file_name: str
    sha256: str
    size: int | None  # None: imported before the ledger kept files
    sheet_columns: str | None

    @property
    def kept(self) -> bool:
        return self.size is not None


def kept_file(conn: Connection, batch_id: int) -> KeptFile | None:
    batches = ImportBatch.__table__
    row = conn.execute(select(batches.c.id, batches.c.file_name, batches.c.sha256, batches.c.source_bytes,
                              batches.c.sheet_columns).where(batches.c.id == batch_id)).first()
    return None if row is None else KeptFile(*row)


def not_kept(found: KeptFile) -> str:
    return (f"batch {found.batch_id} ({found.file_name}) was imported before the ledger kept imported files, so its "
            f"file is not in the ledger; the original has SHA-256 {found.sha256}")


def read_source(conn: Connection, found: KeptFile) -> bytes:
    """The whole file of a batch; LedgerError when it is not kept, or no longer what was imported."""
    if not found.kept:
        raise UsageError(not_kept(found))
    data = b"".join(source_parts(conn, found.sha256))
    if len(data) != found.size or hashlib.sha256(data).hexdigest() != found.sha256:
        raise LedgerError(f"the file of batch {found.batch_id} ({found.file_name}) kept in the ledger is not the file "
                          "imported (changed or missing behind the tool's back); run `ggzy verify`")
    return data


def batch_of_record(conn: Connection, record_id: int) -> int:
    """The batch a record's current version came from (a re-import's own batch, else the posting's)."""
    from ggzy.ledger.queries import records_table

    current = records_table()
    found = conn.execute(select(current.c.batch_id).where(current.c.id == record_id)).scalar()
    if found is None:
        found = conn.execute(select(TradeRecord.__table__.c.batch_id)
                             .where(TradeRecord.__table__.c.id == record_id)).scalar()
    if found is None:
        raise UsageError(f"no record with ID {record_id}; find IDs with `ggzy records`")
    return int(found)


def check_sources(conn: Connection) -> list[tuple[int, str]]:
    """Every kept file against its batches: (first batch id, what is wrong) for each file whose parts are missing,
    out of order or no longer hash to the SHA-256 and size its batches were imported with."""
    batches = ImportBatch.__table__
    wanted = conn.execute(select(batches.c.sha256, batches.c.source_bytes, func.min(batches.c.id).label("first"),
                                 func.min(batches.c.file_name).label("name"))
                          .where(batches.c.source_bytes.is_not(None))
                          .group_by(batches.c.sha256, batches.c.source_bytes).order_by("first")).all()
    problems: list[tuple[int, str]] = []
    for sha256, size, first, name in wanted:
        digest, found = hashlib.sha256(), 0
        for data in source_parts(conn, sha256):
            digest.update(data)
            found += len(data)
        if found == 0:
            problems.append((first, f"its file {name} is no longer kept in the ledger (deleted behind the tool's "
                                    "back)"))
        elif found != size or digest.hexdigest() != sha256:
            problems.append((first, f"its file {name} kept in the ledger no longer hashes to the batch's SHA-256: it "
                                    "was changed behind the tool's back"))
    return problems


def original_file(conn: Connection, batch_id: int | None = None,
                  record_id: int | None = None) -> tuple[KeptFile, bytes]:
    """The file a batch imported (or a record's current version came from) and its bytes, checked against its
    SHA-256; UsageError for an unknown batch or record, or a batch whose file was not kept."""
    if record_id is not None:
        batch_id = batch_of_record(conn, record_id)
    found = kept_file(conn, batch_id) if batch_id is not None else None
    if found is None:
        raise UsageError(f"no import batch {batch_id}; `ggzy records` and `ggzy history ID` name the batches")
    return found, read_source(conn, found)
