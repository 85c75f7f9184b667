"""Which held rows an import resolves. A held row is resolved only by a row that is it, so nothing is ever resolved
onto a record that does not hold its content:

- the same source row read again (the same bytes, or the same file name with the row's project and section codes —
  and its category, when the row gave one — as the held row read them, or the same cells) that posts or is
  unchanged: resolved onto that record; held again with other reasons: superseded by the new entry;
- a conflict whose parsed content equals a row posted or found unchanged (the record now holds exactly that
  content), or an unreadable row whose cells equal those of such a row (the same row read with other words);
- the user, who names the record that holds it and says why (``confirm``, `ggzy resolve`).

A row that merely shares a project code or a key with a record is not resolved: it stays held, and the quarantine
listing names the record with its key so the user can confirm it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import polars as pl
from ggzy.errors import UsageError
from ggzy.ledger import chain
from ggzy.ledger.bulk import inserted_id
from ggzy.ledger.chain import record_hash
from ggzy.ledger.models import RECORD_FIELDS, ImportBatch, QuarantinedRow, QuarantineResolution, TradeRecord
from ggzy.ledger.queries import CURRENT_RECORD
from sqlalchemy import func, insert, select, tuple_
from sqlalchemy.engine import Connection, Engine

RawCells = Callable[[str, int], dict[str, Any]]  # (sheet, row) → the row's cells as read, header → text

#: what makes two held entries of the same bytes the same entry (a reading that holds it again adds nothing); the
#: record a conflict names is in its reasons (a row conflicting with another row of its file names none, or the
#: record that row became)
IDENTITY = ("source_sheet", "source_row", "kind", "reasons", "raw_json", "record_json")


def identity(entry: Any) -> tuple[Any, ...]:
    return tuple(entry[c] for c in IDENTITY)


@dataclass
class Resolution:
    """A held row this import resolves: how, and where its record is (a record ID, or the key of a row this
    import posts: its ID is known once it is written)."""

    held_id: int
    how: str  # posted | unchanged | superseded
    record_id: int | None = None
    key: tuple[str, str, str] | None = None


def held_content_sha256(record_json: str | None) -> str | None:
    """The content hash of a conflict's parsed record (None for a row that could not be read)."""
    if not record_json:
        return None
    record = json.loads(record_json)
    return record_hash(record.get(f) for f in RECORD_FIELDS)


def _agrees(held: Any, key: tuple[Any, Any, Any], cells: dict[str, Any] | None) -> bool:
    """A row in the held row's place (same file name, sheet and row, other bytes) is it when it has the codes the
    held row read (and its category, if it read one), or exactly its cells."""
    category, code, section = key
    if held.project_code is not None and held.project_code == code and (held.section_code or "") == (section or "") \
            and held.category in (None, category):
        return True
    return cells is not None and json.loads(held.raw_json) == cells


def open_held_rows(conn: Connection) -> list[Any]:
    """Every held row no resolution covers, with the SHA-256 of the file it was read from."""
    held, resolution, batches = QuarantinedRow.__table__, QuarantineResolution.__table__, ImportBatch.__table__
    return list(conn.execute(
        select(held, batches.c.sha256.label("file_sha256"))
        .join(batches, batches.c.id == held.c.batch_id)
        .where(~held.c.id.in_(select(resolution.c.quarantined_row_id))).order_by(held.c.id)).all())


def resolutions(conn: Connection, file_name: str, sha256: str, settled: pl.DataFrame, held: list[dict[str, Any]],
                raw_cells: RawCells) -> list[Resolution]:
    """The held rows of earlier imports that this reading resolves (see the module's rules). ``settled``: this
    reading's rows that post or are unchanged (KEY, source_sheet, source_row, content_sha256, _how, _record_id);
    ``held``: the entries it will add (rows held again identically are not among them: the earlier entry stands)."""
    open_rows = open_held_rows(conn)
    if not open_rows:
        return []
    places = {(r.source_sheet, r.source_row) for r in open_rows
              if r.file_sha256 == sha256 or r.source_file == file_name}
    contents = {c for r in open_rows if r.kind == "conflict" and (c := held_content_sha256(r.record_json))}
    codes = {r.project_code for r in open_rows if r.kind == "invalid" and r.project_code is not None}
    wanted = settled.filter(
        pl.struct("source_sheet", "source_row").is_in([{"source_sheet": s, "source_row": n} for s, n in places])
        | pl.col("content_sha256").is_in(list(contents)) | pl.col("project_code").is_in(list(codes)))
    rows = list(wanted.iter_rows(named=True))
    at_place = {(r["source_sheet"], r["source_row"]): r for r in rows}
    by_content = {r["content_sha256"]: r for r in rows if r["content_sha256"] in contents}
    by_code: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_code.setdefault(r["project_code"], []).append(r)
    held_at = {(h["source_sheet"], h["source_row"]): h for h in held}
    cells: dict[tuple[str, int], dict[str, Any]] = {}

    def cells_of(row: dict[str, Any]) -> dict[str, Any]:
        place = (row["source_sheet"], row["source_row"])
        if place not in cells:
            cells[place] = raw_cells(*place)
        return cells[place]

    def key_of(row: dict[str, Any]) -> tuple[Any, Any, Any]:
        return row["category"], row["project_code"], row["section_code"]

    found: list[Resolution] = []
    for entry in open_rows:
        same_bytes, same_name = entry.file_sha256 == sha256, entry.source_file == file_name
        place = (entry.source_sheet, entry.source_row)
        match = None
        if same_bytes or same_name:
            new = at_place.get(place)
            if new is not None and (same_bytes or _agrees(entry, key_of(new), cells_of(new))):
                match = new
        if match is None and entry.kind == "conflict":
            match = by_content.get(held_content_sha256(entry.record_json) or "")
        if match is None and entry.kind == "invalid" and entry.project_code is not None:
            raw = json.loads(entry.raw_json)
            match = next((r for r in by_code.get(entry.project_code, []) if cells_of(r) == raw), None)
        if match is not None:
            found.append(Resolution(entry.id, match["_how"], match["_record_id"], key_of(match)))
            continue
        again = held_at.get(place) if same_bytes or same_name else None
        if again is not None and (same_bytes or _agrees(entry, (again["category"], again["project_code"],
                                                                again["section_code"]),
                                                        json.loads(again["raw_json"]))):
            found.append(Resolution(entry.id, "superseded"))
    return found


def write_resolutions(conn: Connection, batch_id: int, found: list[Resolution], operator: str) -> None:
    """Append the resolutions, each with the record it was resolved onto (looked up by key for rows posted by this
    batch) and the operator of the import; the batch's link covers them (chain.batch_digest)."""
    if not found:
        return
    records = TradeRecord.__table__
    keys = {r.key for r in found if r.record_id is None and r.how != "superseded" and r.key is not None}
    ids: dict[tuple[Any, ...], int] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys)[start:start + 500]
        ids |= {(c, p, s): i for i, c, p, s in conn.execute(
            select(records.c.id, records.c.category, records.c.project_code, records.c.section_code)
            .where(tuple_(records.c.category, records.c.project_code, records.c.section_code).in_(chunk)))}
    now = dt.datetime.now(dt.UTC)
    conn.execute(insert(QuarantineResolution.__table__), [
        {"quarantined_row_id": r.held_id, "batch_id": batch_id, "how": r.how, "resolved_at": now,
         "record_id": r.record_id if r.record_id is not None else ids.get(r.key) if r.key else None,
         "operator": operator, "reason": None} for r in found])


class ResolveError(UsageError):
    """A resolution that cannot be made as asked (exit 2, nothing written)."""


def confirm(engine: Engine, held_id: int, record_id: int | None, reason: str, operator: str) -> dict[str, Any]:
    """The user resolves a held row onto the record that holds it (a conflict: its record by default), saying why:
    appended with the author and reason, and a link of the hash chain. Refused for a row already resolved, an
    unknown or voided record, or a record under another key than the one the row gave."""
    if not reason.strip():
        raise ResolveError("--reason is required: say why this record holds the row (it is kept with it)")
    held, resolution, current = QuarantinedRow.__table__, QuarantineResolution.__table__, CURRENT_RECORD
    with engine.begin() as conn:
        entry = conn.execute(select(held).where(held.c.id == held_id)).first()
        if entry is None:
            raise ResolveError(f"no held row {held_id}; `ggzy quarantine` lists them with their IDs")
        done = conn.execute(select(resolution).where(resolution.c.quarantined_row_id == held_id)).first()
        if done is not None:
            raise ResolveError(f"held row {held_id} was already resolved ({done.how}, batch {done.batch_id})")
        record_id = record_id if record_id is not None else entry.existing_record_id
        if record_id is None and entry.kind == "conflict":
            # two rows of one file with one key: the first posted; the record under the key is the one it conflicts with
            under_key = conn.execute(select(current.c.id).where(
                current.c.category == entry.category, current.c.project_code == entry.project_code,
                func.coalesce(current.c.section_code, "") == (entry.section_code or ""))).scalars().all()
            record_id = under_key[0] if len(under_key) == 1 else None
        if record_id is None:
            raise ResolveError(f"held row {held_id} names no record: give the record that holds it, --record ID "
                               "(`ggzy records` lists them)")
        record = conn.execute(select(current).where(current.c.id == record_id)).first()
        if record is None:
            raise ResolveError(f"record {record_id} is not in the ledger (unknown or voided); a held row is "
                               "resolved onto a current record")
        for name, value in (("category", entry.category), ("project code", entry.project_code),
                            ("section code", entry.section_code)):
            column = {"category": "category", "project code": "project_code", "section code": "section_code"}[name]
            if value is not None and (value or "") != (getattr(record, column) or ""):
                raise ResolveError(f"record {record_id} has {name} {getattr(record, column) or '—'}, held row "
                                   f"{held_id} {value or '—'}: it cannot hold that row")
        resolution_id = inserted_id(conn.execute(insert(resolution).values(
            quarantined_row_id=held_id, batch_id=record.batch_id, how="confirmed",
            resolved_at=dt.datetime.now(dt.UTC), record_id=record_id, operator=operator, reason=reason)))
        chain.append(conn, "resolution", resolution_id)
    return {"held_id": held_id, "record_id": record_id, "resolution_id": resolution_id, "how": "confirmed"}
