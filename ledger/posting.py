"""Posting a file's rows: every row ends posted, unchanged, quarantined or in conflict — in one
transaction, so a failure leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from ggzy.errors import LedgerError
from ggzy.ledger import chain
from ggzy.ledger.bulk import bulk_insert, inserted_id
from ggzy.ledger.chain import with_content_sha256
from ggzy.ledger.closing import refuse_closed_months
from ggzy.ledger.lookup import KEY, existing_records, reading_is_stale, readings_of
from ggzy.ledger.models import (
    RECORD_FIELDS,
    VERSIONED,
    ImportBatch,
    ImportTotal,
    QuarantinedRow,
    QuarantineResolution,
    RecordAmendment,
    RecordTotal,
    TradeRecord,
)
from ggzy.ledger.queries import quarantine_query
from ggzy.ledger.record_totals import signed_totals, totals_frame
from ggzy.ledger.sources import store_source
from ggzy.ledger.staging import HeldRow, SheetExtract
from ggzy.ledger.store import describe, write_failure
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

NaturalKey = tuple[str, str, str]


@dataclass
class FileOutcome:
    """What one file's import did; ``rows == posted + unchanged + quarantined + conflicts``."""

    file: str
    sha256: str
    batch_id: int | None = None
    status: str = "posted"  # posted | nothing_posted | already_imported | rejected
    rows: int = 0
    posted: int = 0
    unchanged: int = 0
    quarantined: int = 0
    conflicts: int = 0
    reimported: int = 0  # of the posted rows, those posted as the next version of a voided record
    resolved: int = 0  # rows held by earlier imports that this one resolved
    totals: list[dict[str, Any]] = field(default_factory=list)  # 合计/小计 checks
    quarantine: list[dict[str, Any]] = field(default_factory=list)  # reasons, for the terminal

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("quarantine")
        return data


def name_fingerprint(profile: str) -> str:
    """The profile digest of a caller that names its profile but has no settings to hash (tests, benchmarks)."""
    return hashlib.sha256(f"profile name {profile}".encode()).hexdigest()


@dataclass
class Reading:
    """The latest batch that read a file under a profile, and how many of its rows are still held."""

    batch: ImportBatch
    quarantined: int
    conflicts: int


def existing_batch(engine: Engine, sha256: str, profile_sha256: str | None = None,
                   profile: str = "auto") -> Reading | None:
    """The reading of this file under this profile, when reading it again would change nothing; None when the
    file must be read: never read so, or a conflict it held has since had its record corrected (voided: the row
    can post as the record's next version; amended: it may now be unchanged)."""
    with engine.connect() as conn:
        return _readings(conn, sha256, profile_sha256 or name_fingerprint(profile), profile)[1]


def _readings(conn: Any, sha256: str, profile_sha256: str, profile: str) -> tuple[int, Reading | None]:
    """How many times this file was read under this profile, and its latest reading unless it is stale."""
    readings = conn.execute(readings_of(sha256, profile_sha256, profile)).all()
    if not readings or reading_is_stale(conn, [r.id for r in readings]):
        return len(readings), None
    latest = readings[-1]
    still_held = dict(conn.execute(quarantine_query(latest.id).order_by(None).with_only_columns(
        QuarantinedRow.__table__.c.kind, func.count()).group_by(QuarantinedRow.__table__.c.kind)).all())
    return len(readings), Reading(ImportBatch.model_validate(latest._mapping), still_held.get("invalid", 0),
                                  still_held.get("conflict", 0))


def _held_json(held: HeldRow, file_name: str, kind: str, existing_id: int | None = None) -> dict[str, Any]:
    record = None
    if held.record is not None:
        record = json.dumps({k: str(v) if isinstance(v, dt.date) else v for k, v in held.record.items()},
                            ensure_ascii=False)
    category, project_code, section_code = held.key or (None, None, None)
    return {"kind": kind, "source_file": file_name, "source_sheet": held.sheet, "source_row": held.row,
            "reasons": "; ".join(held.reasons), "raw_json": json.dumps(held.raw, ensure_ascii=False),
            "record_json": record, "existing_record_id": existing_id, "category": category,
            "project_code": project_code, "section_code": section_code}


@dataclass
class Classified:
    to_post: pl.DataFrame  # rows whose key is new
    reimport: pl.DataFrame  # rows whose key is a voided record's: its next version (+ _record_id, _next_version,
    #                        _latest_id, content_sha256)
    confirmed: pl.DataFrame  # rows unchanged: their key and content are already in the ledger
    held: list[dict[str, Any]]


def classify_rows(conn: Any, sheets: list[SheetExtract], file_name: str) -> Classified:
    """Which rows to post, which re-import a voided key, which are unchanged, which are held — against the ledger
    as it is now.

    Works on the key columns only (a narrow frame), so a million-row file is not copied for the lookup.
    Content hashes are computed here only for rows that must be compared (their key is in the ledger or
    repeats in the file); the rows to post get theirs while they are written (``post_file``).
    A row is unchanged when it equals the record's version last imported or its current (amended) version.
    """
    records = pl.concat([s.records for s in sheets]) if sheets else pl.DataFrame()
    held = [_held_json(h, file_name, "invalid") for s in sheets for h in s.held]
    columns = [*RECORD_FIELDS, "period", "source_sheet", "source_row"]
    if records.height == 0:
        return Classified(records, records, records, held)
    keys = records.select(*KEY, "source_sheet", "source_row").with_row_index("_i").with_columns(
        _first=pl.struct(KEY).is_first_distinct(), _repeats=pl.len().over(KEY) > 1)
    existing = existing_records(conn, keys.filter("_first").select(KEY))
    keys = keys.join(existing, on=KEY, how="left", maintain_order="left")
    in_ledger = pl.col("_existing_id").is_not_null()
    live = in_ledger & ~pl.col("_voided").fill_null(False)
    compared = keys.select(pl.col("_repeats") | in_ledger).to_series()
    digests = pl.Series("content_sha256", [None] * records.height, dtype=pl.String)
    if compared.any():
        positions = compared.arg_true()
        digests = digests.scatter(positions, with_content_sha256(records[positions])["content_sha256"])
    keys = keys.with_columns(digests)
    firsts = keys.filter("_first").select(*KEY, _first_sha256="content_sha256", _first_sheet="source_sheet",
                                          _first_row="source_row")
    keys = keys.join(firsts, on=KEY, how="left", maintain_order="left")
    content = pl.col("content_sha256")
    # the content a row must match: the live record's (as last imported, or as amended since), else the first
    # row of this file with its key (which posts, or re-imports a voided record)
    matches = (pl.when(live).then((content == pl.col("_existing_sha256"))
                                  | (content == pl.col("_current_sha256")).fill_null(False))
               .otherwise(content == pl.col("_first_sha256")))
    action = (pl.when(pl.col("_first") & ~in_ledger).then(pl.lit("post"))
              .when(pl.col("_first") & in_ledger & ~live).then(pl.lit("reimport"))
              .when(matches).then(pl.lit("unchanged"))
              .otherwise(pl.lit("conflict")))
    actions = keys.select("_i", "_existing_id", "_first_sheet", "_first_row", "_next_version", "_latest_id",
                          "content_sha256", _live=live, _action=action)
    by_sheet = {s.sheet: s for s in sheets}
    clashes = actions.filter(pl.col("_action") == "conflict")
    for clash, row in zip(clashes.iter_rows(named=True), records[clashes["_i"]].iter_rows(named=True), strict=True):
        key = (row["category"], row["project_code"], row["section_code"])
        label = "/".join(filter(None, key[1:])) + f" ({row['category']})"
        if clash["_live"]:
            why = (f"conflict: record {clash['_existing_id']} with the same key {label} is already posted with "
                   "different content; amend it, or void it and import this row again (it then becomes the "
                   "record's next version), never overwrite")
        else:
            why = (f"conflict: sheet {clash['_first_sheet']} row {clash['_first_row']} of this file has the same "
                   f"key {label} with different content (re-published award?)")
        record = {k: row[k] for k in (*RECORD_FIELDS, "period")}
        raw_cells = by_sheet[row["source_sheet"]].raw(row["source_row"])
        held.append(_held_json(HeldRow(row["source_sheet"], row["source_row"], raw_cells, [why], record, key),
                               file_name, "conflict", clash["_existing_id"] if clash["_live"] else None))
    action_column = actions["_action"]
    reimport = records.filter(action_column == "reimport").select(columns).with_columns(
        actions.filter(action_column == "reimport").select(
            _record_id="_existing_id", _next_version="_next_version", _latest_id="_latest_id",
            content_sha256="content_sha256"))
    return Classified(records.filter(action_column == "post").select(columns), reimport,
                      records.filter(action_column == "unchanged").select(columns), held)


def _resolve_earlier(conn: Any, batch_id: int, file_name: str, sha256: str, settled: pl.DataFrame,
                     held: list[dict[str, Any]]) -> int:
    """Resolve rows held by earlier imports: their key is now posted or confirmed unchanged; or the same file's
    same row (the same bytes, read under another profile) was posted or confirmed by this batch; or the same
    file's (by name or bytes) same row was imported again and is held again (superseded by the new entry)."""
    quarantined, resolution, batches = QuarantinedRow.__table__, QuarantineResolution.__table__, ImportBatch.__table__
    open_rows = conn.execute(
        select(quarantined.c.id, quarantined.c.category, quarantined.c.project_code, quarantined.c.section_code,
               quarantined.c.source_file, quarantined.c.source_sheet, quarantined.c.source_row,
               batches.c.sha256.label("file_sha256"))
        .join(batches, batches.c.id == quarantined.c.batch_id)
        .where(quarantined.c.batch_id != batch_id,
               ~quarantined.c.id.in_(select(resolution.c.quarantined_row_id)))).all()
    if not open_rows:
        return 0
    rows = settled.select(*KEY, "source_sheet", "source_row", "_how").rows()
    settled_keys = {(r[0], r[1], r[2]): r[5] for r in rows}
    settled_codes = {(r[1], r[2]): r[5] for r in rows}
    settled_rows = {(r[3], r[4]): r[5] for r in rows}
    held_again = {(h["source_sheet"], h["source_row"]) for h in held}
    now = dt.datetime.now(dt.UTC)
    resolutions = []
    for row in open_rows:
        section = row.section_code or ""
        how = (settled_keys.get((row.category, row.project_code, section)) if row.category
               else settled_codes.get((row.project_code, section)))
        if how is None and row.file_sha256 == sha256:
            how = settled_rows.get((row.source_sheet, row.source_row))
        same_file = row.source_file == file_name or row.file_sha256 == sha256
        if how is None and same_file and (row.source_sheet, row.source_row) in held_again:
            how = "superseded"
        if how is not None:
            resolutions.append({"quarantined_row_id": row.id, "batch_id": batch_id, "how": how, "resolved_at": now})
    if resolutions:
        conn.execute(insert(resolution), resolutions)
    return len(resolutions)


def _post_reimports(conn: Any, batch_id: int, file_name: str, reimport: pl.DataFrame, operator: str,
                    now: dt.datetime) -> pl.DataFrame:
    """Append each re-imported row as its voided record's next version (provenance: this batch and row); returns
    the rows with batch_id, for their record totals (the void took the old version out already)."""
    if reimport.height == 0:
        return reimport
    amendments = RecordAmendment.__table__
    voided = {row.id: row._mapping for row in conn.execute(
        select(amendments).where(amendments.c.id.in_(reimport["_latest_id"].to_list())))}
    rows = []
    for row in reimport.iter_rows(named=True):
        before = voided[row["_latest_id"]]
        changes = {f: [_plain(before[f]), _plain(row[f])] for f in RECORD_FIELDS if before[f] != row[f]}
        rows.append({**{f: row[f] for f in VERSIONED}, "record_id": row["_record_id"], "kind": "reimport",
                     "version": row["_next_version"], "batch_id": batch_id, "source_file": file_name,
                     "source_sheet": row["source_sheet"], "source_row": row["source_row"],
                     "content_sha256": row["content_sha256"], "changes_json": json.dumps(changes, ensure_ascii=False),
                     "reason": f"its key was imported again after the void (batch {batch_id})",
                     "operator": operator, "created_at": now})
    conn.execute(insert(amendments), rows)
    return reimport.with_columns(batch_id=pl.lit(batch_id, pl.Int64))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def post_file(engine: Engine, path: Path, sha256: str, sheets: list[SheetExtract], *, profile: str,
              operator: str, profile_sha256: str | None = None, strict: bool = False, dry_run: bool = False,
              progress: Callable[[int], None] | None = None, source: Path | None = None) -> FileOutcome:
    """Post the parsed sheets of one file as one batch, atomically. ``profile_sha256``: the digest of the
    profile's reading settings (a batch is the file read under one profile). ``source``: the file itself, kept in
    the ledger with the batch (ledger/sources.py; an importer's callers pass it, synthetic batches do not)."""
    profile_sha256 = profile_sha256 or name_fingerprint(profile)
    rows = sum(s.rows for s in sheets)
    totals = [t for s in sheets for t in s.totals]
    outcome = FileOutcome(file=str(path), sha256=sha256, rows=rows, totals=[t.as_json() for t in totals])
    for attempt in range(3):  # a concurrent writer may post the same keys first: classify again
        try:
            with engine.begin() as conn:
                readings, previous = _readings(conn, sha256, profile_sha256, profile)
                if previous is not None:  # another process read the same file meanwhile
                    return already_imported(path, previous)
                classified = classify_rows(conn, sheets, path.name)
                new_versions = pl.concat([classified.to_post.select("period"), classified.reimport.select("period")])
                refuse_closed_months(conn, new_versions, path.name)  # before anything is written
                held = classified.held
                outcome.posted = classified.to_post.height + classified.reimport.height
                outcome.reimported, outcome.unchanged = classified.reimport.height, classified.confirmed.height
                outcome.conflicts = sum(1 for h in held if h["kind"] == "conflict")
                outcome.quarantined = len(held) - outcome.conflicts
                outcome.quarantine = held
                outcome.status = "posted" if outcome.posted else "nothing_posted"
                if strict and held:
                    outcome.status = "rejected"
                    outcome.posted = outcome.unchanged = outcome.reimported = 0
                    return outcome
                if dry_run:
                    return outcome
                now = dt.datetime.now(dt.UTC)
                kept: dict[str, Any] = {}
                if source is not None:
                    kept = {"source_bytes": store_source(conn, source, sha256),
                            "sheet_columns": json.dumps({s.sheet: s.columns for s in sheets if s.columns is not None},
                                                        ensure_ascii=False)}
                batch_id = inserted_id(conn.execute(insert(ImportBatch.__table__).values(**kept,
                    file_name=path.name, sha256=sha256, profile=profile, profile_sha256=profile_sha256,
                    reading=readings + 1, operator=operator, sheets=",".join(s.sheet for s in sheets),
                    title=next((s.title for s in sheets if s.title), None), imported_at=now, rows=outcome.rows,
                    posted=outcome.posted, unchanged=outcome.unchanged, quarantined=outcome.quarantined,
                    conflicts=outcome.conflicts)))
                outcome.batch_id = batch_id
                to_post = with_content_sha256(classified.to_post.with_columns(
                    batch_id=pl.lit(batch_id, pl.Int64), source_file=pl.lit(path.name)))
                bulk_insert(conn, TradeRecord.__table__, to_post, progress)
                reimported = _post_reimports(conn, batch_id, path.name, classified.reimport, operator, now)
                bulk_insert(conn, RecordTotal.__table__, totals_frame(to_post))
                if reimported.height:
                    bulk_insert(conn, RecordTotal.__table__, signed_totals(reimported, +1))
                if held:
                    conn.execute(insert(QuarantinedRow.__table__), [{**h, "batch_id": batch_id} for h in held])
                if totals:
                    conn.execute(insert(ImportTotal.__table__), [
                        {"batch_id": batch_id, "source_sheet": t.sheet, "source_row": t.row, "label": t.label,
                         "column_name": t.column, "unit": t.unit, "stated": t.stated, "rows_sum": t.rows_sum,
                         "difference": t.difference, "record_rows": t.record_rows, "held_rows": t.held_rows,
                         "status": t.status} for t in totals])
                settled = pl.concat([frame.select(*KEY, "source_sheet", "source_row").with_columns(_how=pl.lit(how))
                                     for frame, how in ((classified.to_post, "posted"),
                                                        (classified.reimport, "posted"),
                                                        (classified.confirmed, "unchanged"))])
                outcome.resolved = _resolve_earlier(conn, batch_id, path.name, sha256, settled, held)
                chain.append(conn, "batch", batch_id, to_post)
            return outcome
        except IntegrityError:
            batch = existing_batch(engine, sha256, profile_sha256, profile)
            if batch is not None:  # the same file was imported concurrently
                return already_imported(path, batch)
            if attempt == 2:
                raise LedgerError(f"{path}: another import keeps posting the same records; try again") from None
        except OperationalError as exc:
            raise write_failure(exc, describe(engine)) from None
    raise AssertionError("unreachable")  # pragma: no cover


def already_imported(path: Path, reading: Reading) -> FileOutcome:
    """A file whose exact bytes were already read under this profile: nothing changes. Its rows are counted as
    they stand: those still held as quarantined or in conflict, the others unchanged."""
    batch = reading.batch
    return FileOutcome(file=str(path), sha256=batch.sha256, batch_id=batch.id, status="already_imported",
                       rows=batch.rows, unchanged=batch.rows - reading.quarantined - reading.conflicts,
                       quarantined=reading.quarantined, conflicts=reading.conflicts)
