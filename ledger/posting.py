"""Posting a file's rows: every row ends posted, unchanged, quarantined or in conflict — in one
transaction, so a failure leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
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
from ggzy.ledger.models import (
    RECORD_FIELDS,
    ImportBatch,
    ImportTotal,
    QuarantinedRow,
    QuarantineResolution,
    RecordTotal,
    TradeRecord,
)
from ggzy.ledger.record_totals import totals_frame
from ggzy.ledger.staging import HeldRow, SheetExtract
from ggzy.ledger.store import describe, write_failure
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import col

KEY = ["category", "project_code", "section_code"]
NaturalKey = tuple[str, str, str]


@dataclass
class FileOutcome:
    """What one file's import did; ``rows == posted + unchanged + quarantined + conflicts``."""

    file: str
    sha256: str
    batch_id: int | None = None
    status: str = "posted"  # posted | already_imported | rejected
    rows: int = 0
    posted: int = 0
    unchanged: int = 0
    quarantined: int = 0
    conflicts: int = 0
    resolved: int = 0  # rows held by earlier imports that this one resolved
    totals: list[dict[str, Any]] = field(default_factory=list)  # 合计/小计 checks
    quarantine: list[dict[str, Any]] = field(default_factory=list)  # reasons, for the terminal

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("quarantine")
        return data


def existing_batch(engine: Engine, sha256: str) -> ImportBatch | None:
    with engine.connect() as conn:
        row = conn.execute(select(ImportBatch).where(col(ImportBatch.sha256) == sha256)).first()
    return ImportBatch.model_validate(row._mapping) if row else None


def _existing_records(conn: Any, keys: pl.DataFrame) -> pl.DataFrame:
    """Records already posted under any of ``keys``: KEY + _existing_id, _existing_sha256.

    Looked up per category and chunk of project codes, so the unique (category, project_code, …) index
    serves it; plain driver SQL, because compiling thousands of statements would cost more than the lookups.
    """
    found: list[tuple[Any, ...]] = []
    columns = "category, project_code, section_code, id, content_sha256"
    postgres = conn.dialect.name == "postgresql"
    for (category,), group in keys.group_by("category"):
        codes = group["project_code"].unique().to_list()
        if postgres:
            found += conn.exec_driver_sql(f"SELECT {columns} FROM trade_record WHERE category = %s AND "
                                          "project_code = ANY(%s)", (category, codes)).all()
            continue
        for start in range(0, len(codes), 5000):
            chunk = codes[start:start + 5000]
            found += conn.exec_driver_sql(f"SELECT {columns} FROM trade_record WHERE category = ? AND project_code "
                                          f"IN ({', '.join('?' * len(chunk))})", (category, *chunk)).all()
    schema = {"category": pl.String, "project_code": pl.String, "section_code": pl.String,
              "_existing_id": pl.Int64, "_existing_sha256": pl.String}
    return pl.DataFrame([tuple(r) for r in found], schema=schema, orient="row")


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
    to_post: pl.DataFrame
    confirmed: pl.DataFrame  # rows unchanged: their key and content are already in the ledger
    held: list[dict[str, Any]]


def classify_rows(conn: Any, sheets: list[SheetExtract], file_name: str) -> Classified:
    """Which rows to post, which are unchanged, which are held — against the ledger as it is now.

    Works on the key columns only (a narrow frame), so a million-row file is not copied for the lookup.
    Content hashes are computed here only for rows that must be compared (their key is in the ledger or
    repeats in the file); the rows to post get theirs while they are written (``post_file``).
    """
    records = pl.concat([s.records for s in sheets]) if sheets else pl.DataFrame()
    held = [_held_json(h, file_name, "invalid") for s in sheets for h in s.held]
    columns = [*RECORD_FIELDS, "period", "source_sheet", "source_row"]
    if records.height == 0:
        return Classified(records, records, held)
    keys = records.select(*KEY, "source_sheet", "source_row").with_row_index("_i").with_columns(
        _first=pl.struct(KEY).is_first_distinct(), _repeats=pl.len().over(KEY) > 1)
    existing = _existing_records(conn, keys.filter("_first").select(KEY))
    keys = keys.join(existing, on=KEY, how="left", maintain_order="left")
    in_ledger = pl.col("_existing_id").is_not_null()
    compared = keys.select(pl.col("_repeats") | in_ledger).to_series()
    digests = pl.Series("content_sha256", [None] * records.height, dtype=pl.String)
    if compared.any():
        positions = compared.arg_true()
        digests = digests.scatter(positions, with_content_sha256(records[positions])["content_sha256"])
    keys = keys.with_columns(digests)
    firsts = keys.filter("_first").select(*KEY, _first_sha256="content_sha256", _first_sheet="source_sheet",
                                          _first_row="source_row")
    keys = keys.join(firsts, on=KEY, how="left", maintain_order="left")
    # the content a row must match: the ledger's, else the first row of this file with its key
    expected = pl.when(in_ledger).then(pl.col("_existing_sha256")).otherwise(pl.col("_first_sha256"))
    action = (pl.when(pl.col("_first") & ~in_ledger).then(pl.lit("post"))
              .when(pl.col("content_sha256") == expected).then(pl.lit("unchanged"))
              .otherwise(pl.lit("conflict")))
    actions = keys.select("_i", "_existing_id", "_first_sheet", "_first_row", _action=action)
    by_sheet = {s.sheet: s for s in sheets}
    clashes = actions.filter(pl.col("_action") == "conflict")
    for clash, row in zip(clashes.iter_rows(named=True), records[clashes["_i"]].iter_rows(named=True), strict=True):
        key = (row["category"], row["project_code"], row["section_code"])
        label = "/".join(filter(None, key[1:])) + f" ({row['category']})"
        if clash["_existing_id"] is not None:
            why = (f"conflict: record {clash['_existing_id']} with the same key {label} is already posted with "
                   "different content; amend it or void it, never overwrite")
        else:
            why = (f"conflict: sheet {clash['_first_sheet']} row {clash['_first_row']} of this file has the same "
                   f"key {label} with different content (re-published award?)")
        record = {k: row[k] for k in (*RECORD_FIELDS, "period")}
        raw_cells = by_sheet[row["source_sheet"]].raw(row["source_row"])
        held.append(_held_json(HeldRow(row["source_sheet"], row["source_row"], raw_cells, [why], record, key),
                               file_name, "conflict", clash["_existing_id"]))
    action_column = actions["_action"]
    return Classified(records.filter(action_column == "post").select(columns),
                      records.filter(action_column == "unchanged").select(columns), held)


def _resolve_earlier(conn: Any, batch_id: int, file_name: str, settled: pl.DataFrame,
                     held: list[dict[str, Any]]) -> int:
    """Resolve rows held by earlier imports: their key is now posted or confirmed unchanged, or the
    same file's same row was imported again and is held again (superseded by the new entry)."""
    quarantined, resolution = QuarantinedRow.__table__, QuarantineResolution.__table__
    open_rows = conn.execute(
        select(quarantined.c.id, quarantined.c.category, quarantined.c.project_code, quarantined.c.section_code,
               quarantined.c.source_file, quarantined.c.source_sheet, quarantined.c.source_row)
        .where(quarantined.c.batch_id != batch_id,
               ~quarantined.c.id.in_(select(resolution.c.quarantined_row_id)))).all()
    if not open_rows:
        return 0
    settled_keys = {(r[0], r[1], r[2]): r[3] for r in settled.select(*KEY, "_how").iter_rows()}
    settled_codes = {(r[1], r[2]): r[3] for r in settled.select(*KEY, "_how").iter_rows()}
    held_again = {(h["source_sheet"], h["source_row"]) for h in held}
    now = dt.datetime.now(dt.UTC)
    resolutions = []
    for row in open_rows:
        section = row.section_code or ""
        how = (settled_keys.get((row.category, row.project_code, section)) if row.category
               else settled_codes.get((row.project_code, section)))
        if how is None and row.source_file == file_name and (row.source_sheet, row.source_row) in held_again:
            how = "superseded"
        if how is not None:
            resolutions.append({"quarantined_row_id": row.id, "batch_id": batch_id, "how": how, "resolved_at": now})
    if resolutions:
        conn.execute(insert(resolution), resolutions)
    return len(resolutions)


def post_file(engine: Engine, path: Path, sha256: str, sheets: list[SheetExtract], *, profile: str,
              operator: str, strict: bool = False, dry_run: bool = False,
              progress: Callable[[int], None] | None = None) -> FileOutcome:
    """Post the parsed sheets of one file as one batch, atomically."""
    rows = sum(s.rows for s in sheets)
    totals = [t for s in sheets for t in s.totals]
    outcome = FileOutcome(file=str(path), sha256=sha256, rows=rows, totals=[t.as_json() for t in totals])
    for attempt in range(3):  # a concurrent writer may post the same keys first: classify again
        try:
            with engine.begin() as conn:
                classified = classify_rows(conn, sheets, path.name)
                refuse_closed_months(conn, classified.to_post, path.name)  # before anything is written
                held = classified.held
                outcome.posted, outcome.unchanged = classified.to_post.height, classified.confirmed.height
                outcome.conflicts = sum(1 for h in held if h["kind"] == "conflict")
                outcome.quarantined = len(held) - outcome.conflicts
                outcome.quarantine = held
                if strict and held:
                    outcome.status = "rejected"
                    outcome.posted = outcome.unchanged = 0
                    return outcome
                if dry_run:
                    return outcome
                batch_id = inserted_id(conn.execute(insert(ImportBatch.__table__).values(
                    file_name=path.name, sha256=sha256, profile=profile, operator=operator,
                    sheets=",".join(s.sheet for s in sheets), title=next((s.title for s in sheets if s.title), None),
                    imported_at=dt.datetime.now(dt.UTC), rows=outcome.rows,
                    posted=outcome.posted, unchanged=outcome.unchanged, quarantined=outcome.quarantined,
                    conflicts=outcome.conflicts)))
                outcome.batch_id = batch_id
                to_post = with_content_sha256(classified.to_post.with_columns(
                    batch_id=pl.lit(batch_id, pl.Int64), source_file=pl.lit(path.name)))
                bulk_insert(conn, TradeRecord.__table__, to_post, progress)
                bulk_insert(conn, RecordTotal.__table__, totals_frame(to_post))
                if held:
                    conn.execute(insert(QuarantinedRow.__table__), [{**h, "batch_id": batch_id} for h in held])
                if totals:
                    conn.execute(insert(ImportTotal.__table__), [
                        {"batch_id": batch_id, "source_sheet": t.sheet, "source_row": t.row, "label": t.label,
                         "column_name": t.column, "unit": t.unit, "stated": t.stated, "rows_sum": t.rows_sum,
                         "difference": t.difference, "record_rows": t.record_rows, "held_rows": t.held_rows,
                         "status": t.status} for t in totals])
                settled = pl.concat([classified.to_post.select(KEY).with_columns(_how=pl.lit("posted")),
                                     classified.confirmed.select(KEY).with_columns(_how=pl.lit("unchanged"))])
                outcome.resolved = _resolve_earlier(conn, batch_id, path.name, settled, held)
                chain.append(conn, "batch", batch_id,
                             to_post.select("content_sha256", "source_sheet", "source_row").rows())
            return outcome
        except IntegrityError:
            batch = existing_batch(engine, sha256)
            if batch is not None:  # the same file was imported concurrently
                return already_imported(path, batch)
            if attempt == 2:
                raise LedgerError(f"{path}: another import keeps posting the same records; try again") from None
        except OperationalError as exc:
            raise write_failure(exc, describe(engine)) from None
    raise AssertionError("unreachable")  # pragma: no cover


def already_imported(path: Path, batch: ImportBatch) -> FileOutcome:
    """A file whose exact bytes are already in the ledger: nothing changes."""
    return FileOutcome(file=str(path), sha256=batch.sha256, batch_id=batch.id, status="already_imported",
                       rows=batch.rows, unchanged=batch.rows)
