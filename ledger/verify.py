"""`ggzy verify`: recompute the hash chain, every record's hash, the record totals and the hash of every imported
file kept in the ledger — in one snapshot of the ledger (an import committing meanwhile is either wholly seen or
not at all), and streaming: records, amendments and links are read a page at a time and folded into one running
digest per batch, kept files a part at a time, so memory does not grow with the size of the ledger
(benchmarks/bench_verify.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from ggzy.ledger.chain import (
    CHAINED,
    GENESIS,
    BatchDigest,
    link_of,
    record_hash,
    reimports_query,
    resolutions_query,
    row_content,
)
from ggzy.ledger.models import RECORD_FIELDS, ChainLink, RecordAmendment
from ggzy.ledger.record_totals import differences
from ggzy.ledger.sources import check_sources
from ggzy.ledger.store import read_snapshot
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

PAGE = 20_000  # rows per read: enough to amortise a round trip, small against any memory


@dataclass
class Break:
    """The first place where the ledger no longer matches its hashes."""

    where: str
    detail: str

    def as_json(self) -> dict[str, str]:
        return {"where": self.where, "detail": self.detail}


def _record_pages(conn: Connection) -> Iterator[Sequence[Any]]:
    """Every record, in id order, a page at a time (keyset pages: each is an index range scan)."""
    columns = ", ".join((*RECORD_FIELDS, "id", "batch_id", "source_file", "source_sheet", "source_row",
                         "content_sha256"))
    marker = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    # the driver's own cursor, in this connection's transaction: no per-row or per-value processing (a third of
    # the time at a million records); dates come back as the YYYY-MM-DD the hash was taken of
    cursor = conn.connection.cursor()
    last = 0
    try:
        while True:
            cursor.execute(f"SELECT {columns} FROM trade_record WHERE id > {marker} ORDER BY id LIMIT {PAGE}", (last,))
            page = cursor.fetchall()
            if not page:
                return
            yield page
            last = page[-1][len(RECORD_FIELDS)]
    finally:
        cursor.close()


def _pages(conn: Connection, query: Callable[[int], Any]) -> Iterator[Any]:
    """Rows of ``query(after_id)`` (ordered by id, limited to a page), page after page."""
    last = 0
    while True:
        page = conn.execute(query(last)).all()
        if not page:
            return
        yield from page
        last = page[-1].id


def _fold_records(conn: Connection, digests: dict[int, BatchDigest]) -> dict[int, Any]:
    """Feed every record into its batch's digest; returns each batch's first record whose fields no longer
    match its stored hash."""
    count = len(RECORD_FIELDS)
    changed: dict[int, Any] = {}
    for page in _record_pages(conn):
        for row in page:
            record_id, batch_id, source_file, sheet, source_row, stored = row[count:]
            if batch_id not in changed and record_hash(row[:count]) != stored:
                changed[batch_id] = (record_id, source_file, sheet, source_row)
            digest = digests.get(batch_id)
            if digest is None:
                digest = digests[batch_id] = BatchDigest()
            digest.add_record(stored, sheet, source_row)
    return changed


def verify(engine: Engine) -> tuple[int, list[Break]]:
    """Recompute record hashes, batch digests, every link, the record totals and the kept files' hashes, in one
    snapshot.

    Returns (links checked, breaks); the first break is the first link (in chain order) that fails.
    """
    with read_snapshot(engine) as conn:
        digests: dict[int, BatchDigest] = {}
        changed = _fold_records(conn, digests)
        for amendment in _pages(conn, lambda after: reimports_query(after_id=after, limit=PAGE)):
            digests.setdefault(amendment.batch_id, BatchDigest()).add_reimport(amendment._mapping)
        for resolution in _pages(conn, lambda after: resolutions_query(after_id=after, limit=PAGE)):
            digests.setdefault(resolution.batch_id, BatchDigest()).add_resolution(resolution._mapping)
        breaks: list[Break] = []
        checked, previous = 0, GENESIS
        chained: dict[str, set[int]] = {kind: set() for kind in CHAINED}
        for page in _link_pages(conn):
            rows = _chained_rows(conn, page)
            for link in page:
                checked += 1
                chained.setdefault(link.kind, set()).add(link.ref_id)
                found = _check_link(link, previous, rows.get((link.kind, link.ref_id)), digests, changed)
                if found is not None:
                    breaks.append(found)
                previous = link.link
        breaks += _unchained(conn, set(digests), chained)
        breaks += [Break(f"batch {batch_id}", detail) for batch_id, detail in check_sources(conn)]
        drift = differences(conn)
        if drift:
            breaks.append(Break("record_total", f"{len(drift)} group(s) of the stored totals differ from the "
                                                f"records, e.g. {drift[0]['group']}"))
    return checked, breaks


def _link_pages(conn: Connection) -> Iterator[Sequence[Any]]:
    links = ChainLink.__table__
    last = 0
    while page := conn.execute(select(links).where(links.c.id > last).order_by(links.c.id).limit(PAGE)).all():
        yield page
        last = page[-1].id


def _chained_rows(conn: Connection, links: Sequence[Any]) -> dict[tuple[str, int], Any]:
    """The rows a page of links covers, read a kind at a time: (kind, id) → row."""
    rows: dict[tuple[str, int], Any] = {}
    for kind, table in CHAINED.items():
        wanted = sorted({link.ref_id for link in links if link.kind == kind})
        for start in range(0, len(wanted), 5000):
            chunk = wanted[start:start + 5000]
            rows |= {(kind, row.id): row._mapping for row in conn.execute(select(table).where(table.c.id.in_(chunk)))}
    return rows


def _check_link(link: Any, previous: str, row: Any, digests: dict[int, BatchDigest],
                changed: dict[int, Any]) -> Break | None:
    """The break this link shows, if any: a reordered chain, a changed record, row or link."""
    where = f"chain link {link.id} ({link.kind} {link.ref_id})"
    if link.kind not in CHAINED:
        return Break(where, f"it names an unknown kind {link.kind!r}: a link was forged")
    if link.previous != previous:
        return Break(where, "its previous link is not the link before it: a link was removed, inserted or reordered")
    if link.kind == "batch" and link.ref_id in changed:
        record_id, source_file, sheet, source_row = changed[link.ref_id]
        return Break(where, f"record {record_id} ({source_file}:{sheet}:{source_row}) was changed after posting: "
                            "its fields no longer match its hash")
    if row is None:
        return Break(where, f"the {link.kind} it covers is gone")
    if row_content(link.kind, row, digests.get(link.ref_id) if link.kind == "batch" else None) \
            != link.content_sha256:
        return Break(where, f"the {link.kind} it covers was changed after it was written")
    if link_of(previous, link.content_sha256) != link.link:
        return Break(where, "the link itself was rewritten")
    return None


def _unchained(conn: Connection, batches_with_rows: set[int], chained: dict[str, set[int]]) -> list[Break]:
    """Rows the chain does not cover: a batch holding records or re-imports, a correction, a period event, a
    resolution the user confirmed."""
    found = []
    if unchained := sorted(batches_with_rows - chained["batch"]):
        found.append(Break(f"batch {unchained[0]}", "holds records but is not in the chain"))
    amendments, resolutions = RecordAmendment.__table__, CHAINED["resolution"]
    for kind, table, condition in (("amendment", amendments, amendments.c.kind != "reimport"),
                                   ("period", CHAINED["period"], None),
                                   ("resolution", resolutions, resolutions.c.how == "confirmed")):
        query = select(table.c.id).order_by(table.c.id)
        if condition is not None:
            query = query.where(condition)
        for (row_id,) in conn.execute(query):  # corrections and period events: a few per month
            if row_id not in chained[kind]:
                found.append(Break(f"{kind} {row_id}", "is not in the chain: it was written behind the tool's back"))
                break
    # resolutions written before revision 0006 name no operator and no link covers them; one written after the first
    # that does cannot be one of them
    first_covered = select(func.min(resolutions.c.id)).where(resolutions.c.operator.is_not(None)).scalar_subquery()
    forged = conn.execute(select(resolutions.c.id).where(resolutions.c.operator.is_(None),
                                                         resolutions.c.id > first_covered).limit(1)).scalar()
    if forged is not None:
        found.append(Break(f"resolution {forged}", "is not in the chain: it was written behind the tool's back"))
    return found
