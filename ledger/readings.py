"""Whether a file already imported must be read again. A file is read again whenever reading it again could change
something — it was never read under this profile, the vocabulary changed since its last reading, rows of it are
still held, or records were corrected (amended, voided) since — and a reading that then changes nothing writes
nothing: the import says ``already_imported`` (ledger/posting.py). So importing the same file twice never changes
anything when nothing else changed, and never misses what a change (a void, a word added) makes of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ggzy.ledger.lookup import readings_of
from ggzy.ledger.models import ChainLink, ImportBatch, QuarantinedRow, QuarantineResolution
from ggzy.ledger.resolving import IDENTITY, identity
from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine


@dataclass
class Reading:
    """A batch that read these bytes, and how the file's rows stand now: those still held counted as quarantined or
    in conflict, the others unchanged."""

    batch: ImportBatch
    rows: int
    quarantined: int = 0
    conflicts: int = 0


def existing_batch(engine: Engine, sha256: str, profile_sha256: str, profile: str = "auto",
                   vocabulary_sha256: str | None = None) -> Reading | None:
    """The reading that already holds this file under this profile, when reading it again cannot change anything;
    None when it must be read (``vocabulary_sha256`` None: the caller reads with no vocabulary to compare)."""
    with engine.connect() as conn:
        return settled_reading(conn, sha256, profile_sha256, profile, vocabulary_sha256)[1]


def settled_reading(conn: Connection, sha256: str, profile_sha256: str, profile: str,
                    vocabulary_sha256: str | None) -> tuple[int, Reading | None]:
    """How many batches read this file under this profile, and the latest of them unless reading the file again
    could change something (see the module)."""
    readings = conn.execute(readings_of(sha256, profile_sha256, profile)).all()
    if not readings:
        return 0, None
    latest = readings[-1]
    if vocabulary_sha256 is not None and latest.vocabulary_sha256 != vocabulary_sha256:
        return len(readings), None
    if _rows_still_held(conn, sha256) or _corrected_since(conn, latest.id):
        return len(readings), None
    return len(readings), Reading(ImportBatch.model_validate(latest._mapping), latest.rows)


def _rows_still_held(conn: Connection, sha256: str) -> bool:
    held, resolved, batches = QuarantinedRow.__table__, QuarantineResolution.__table__, ImportBatch.__table__
    return conn.execute(select(held.c.id).join(batches, batches.c.id == held.c.batch_id)
                        .where(batches.c.sha256 == sha256, ~held.c.id.in_(select(resolved.c.quarantined_row_id)))
                        .limit(1)).first() is not None


def _corrected_since(conn: Connection, batch_id: int) -> bool:
    """An amendment or void was written after this batch (in the order of the hash chain, not of clocks); a batch
    with no link (written behind the tool's back) counts as corrected since."""
    links = ChainLink.__table__
    own = conn.execute(select(links.c.id).where(links.c.kind == "batch", links.c.ref_id == batch_id)).scalar()
    if own is None:
        return True
    return conn.execute(select(links.c.id).where(links.c.kind == "amendment", links.c.id > own)
                        .limit(1)).first() is not None


@dataclass
class Earlier:
    """What earlier readings of the same bytes left: the latest batch (under this profile if any), the identity of
    every entry they held (IDENTITY) that is still open and of those resolved since, and the places (sheet, row)
    of the open ones."""

    batch: ImportBatch | None
    open_entries: set[tuple[Any, ...]]
    resolved_entries: set[tuple[Any, ...]]
    open_places: set[tuple[str, int]]


def earlier_readings(conn: Connection, sha256: str, profile_sha256: str) -> Earlier:
    batches, held, resolved = ImportBatch.__table__, QuarantinedRow.__table__, QuarantineResolution.__table__
    rows = conn.execute(select(batches).where(batches.c.sha256 == sha256).order_by(batches.c.id)).all()
    if not rows:
        return Earlier(None, set(), set(), set())
    own = [r for r in rows if r.profile_sha256 == profile_sha256]
    latest = (own or rows)[-1]
    entries = conn.execute(
        select(*(held.c[c] for c in IDENTITY), resolved.c.id.is_not(None).label("resolved"))
        .select_from(held.join(batches, batches.c.id == held.c.batch_id)
                     .outerjoin(resolved, resolved.c.quarantined_row_id == held.c.id))
        .where(batches.c.sha256 == sha256)).all()
    open_entries = {tuple(e)[:-1] for e in entries if not e.resolved}
    return Earlier(ImportBatch.model_validate(latest._mapping), open_entries,
                   {tuple(e)[:-1] for e in entries if e.resolved}, {(e[0], e[1]) for e in open_entries})


def is_held_already(entry: dict[str, Any], earlier: Earlier) -> bool:
    """The same bytes hold this row already with the same cells, reasons and record — an open entry, which stands
    for it; or a resolved one, when no other entry of that row is open (a row accounted for is not opened again, and
    an open entry with other reasons is superseded by this one)."""
    key = identity(entry)
    return key in earlier.open_entries or (key in earlier.resolved_entries
                                           and (entry["source_sheet"], entry["source_row"]) not in earlier.open_places)
