"""Posting a file's rows: every row ends posted, unchanged, quarantined or in conflict — in one
transaction, so a failure leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from ggzy.errors import LedgerError
from ggzy.ledger import chain
from ggzy.ledger.bulk import bulk_insert, inserted_id
from ggzy.ledger.chain import with_content_sha256
from ggzy.ledger.closing import refuse_closed_months
from ggzy.ledger.lookup import KEY, existing_records
from ggzy.ledger.models import (
    RECORD_FIELDS,
    VERSIONED,
    ImportBatch,
    ImportTotal,
    QuarantinedRow,
    RecordAmendment,
    RecordTotal,
    TradeRecord,
)
from ggzy.ledger.queries import CURRENT_RECORD
from ggzy.ledger.readings import Earlier, Reading, earlier_readings, is_held_already, settled_reading
from ggzy.ledger.record_totals import signed_totals, totals_frame
from ggzy.ledger.resolving import resolutions, write_resolutions
from ggzy.ledger.sources import store_source
from ggzy.ledger.staging import HeldRow, SheetExtract
from ggzy.ledger.store import describe, write_failure
from ggzy.money import fen_to_decimal
from ggzy.vocab import STATUS_LABELS, vocabulary
from sqlalchemy import insert, select
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
    confirmed: pl.DataFrame  # rows unchanged: their key and content are already in the ledger (+ _record_id,
    #                          content_sha256)
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
                                          _first_row="source_row", _first_i="_i")
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
    # a row that repeats a key whose first row in this file posts, re-imports or is unchanged conflicts with that
    # row, whatever the ledger held before: so the reason is the same at every reading of the file
    keys = keys.with_columns(_live=live, _action=action)
    first_settled = (pl.col("_action").filter(pl.col("_first")).first().over(KEY)).is_in(["post", "reimport",
                                                                                           "unchanged"])
    actions = keys.select("_i", "_existing_id", "_first_sheet", "_first_row", "_first_i", "_next_version", "_latest_id",
                          "content_sha256", "_live", "_action", _same_file=~pl.col("_first") & first_settled)
    by_sheet = {s.sheet: s for s in sheets}
    clashes = actions.filter(pl.col("_action") == "conflict")
    ledger_values = _current_values(conn, clashes.filter("_live")["_existing_id"].to_list())
    for clash, row in zip(clashes.iter_rows(named=True), records[clashes["_i"]].iter_rows(named=True), strict=True):
        key = (row["category"], row["project_code"], row["section_code"])
        label = "/".join(filter(None, key[1:])) + f" ({vocabulary().label(row['category'])})"
        if clash["_live"] and not clash["_same_file"]:
            differ = _differences(ledger_values[clash["_existing_id"]], row)
            why = (f"record {clash['_existing_id']} with the same key {label} is already posted with other values "
                   f"(ledger → this row: {differ}): amend it, or void it and import this row again (it then becomes "
                   "the record's next version), never overwrite")
        else:
            differ = _differences(records.row(clash["_first_i"], named=True), row)
            why = (f"sheet {clash['_first_sheet']} row {clash['_first_row']} of this file has the same key {label} "
                   f"with other values (that row → this row: {differ}): a re-published award? Keep the right one: "
                   "`ggzy resolve` this held row if that row is right, or `ggzy amend` the record that row posted "
                   "and import the file again if this one is")
        record = {k: row[k] for k in (*RECORD_FIELDS, "period")}
        raw_cells = by_sheet[row["source_sheet"]].raw(row["source_row"])
        held.append(_held_json(HeldRow(row["source_sheet"], row["source_row"], raw_cells, [why], record, key),
                               file_name, "conflict", clash["_existing_id"] if clash["_live"] else None))
    action_column = actions["_action"]
    reimport = records.filter(action_column == "reimport").select(columns).with_columns(
        actions.filter(action_column == "reimport").select(
            _record_id="_existing_id", _next_version="_next_version", _latest_id="_latest_id",
            content_sha256="content_sha256"))
    confirmed = records.filter(action_column == "unchanged").select(columns).with_columns(
        actions.filter(action_column == "unchanged").select(_record_id="_existing_id", content_sha256="content_sha256"))
    return Classified(records.filter(action_column == "post").select(columns), reimport, confirmed, held)


#: a field as a conflict reason names it (the words of `ggzy amend --set`; reports/labels.py translates them)
FIELD_WORDS = {"budget_fen": "budget", "control_price_fen": "control_price", "reserve_fen": "reserve",
               "deal_fen": "deal"}


def _current_values(conn: Any, record_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The current version of each record (its latest amendment, else as posted)."""
    if not record_ids:
        return {}
    table = CURRENT_RECORD
    rows = conn.execute(select(table).where(table.c.id.in_(record_ids))).mappings()
    return {row["id"]: dict(row) for row in rows}


def _value_text(field: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if field.endswith("_fen"):
        return f"{fen_to_decimal(int(value), '元').quantize(Decimal('0.01')):,f} 元"
    if field == "status":
        return STATUS_LABELS.get(str(value), str(value))
    return str(value)


def _differences(before: dict[str, Any], after: dict[str, Any]) -> str:
    """The fields in which two versions of a record differ, each with both values (money in 元): 'deal
    12,345,678.90 元 → 12,000,000.00 元, winner 甲 → 乙'."""
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    changed = [f for f in RECORD_FIELDS if text(before.get(f)) != text(after.get(f))]
    return ", ".join(f"{FIELD_WORDS.get(f, f)} {_value_text(f, before.get(f))} → {_value_text(f, after.get(f))}"
                     for f in changed)


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
              operator: str, profile_sha256: str | None = None, vocabulary_sha256: str | None = None,
              strict: bool = False, dry_run: bool = False, progress: Callable[[int], None] | None = None,
              source: Path | None = None) -> FileOutcome:
    """Post the parsed sheets of one file as one batch, atomically — or nothing, when these bytes were read before
    and this reading changes nothing (no row posts, no held row is resolved, every row it holds was held so
    before): then it is ``already_imported``. ``profile_sha256``/``vocabulary_sha256``: digests of the profile's
    reading settings and of the vocabulary, kept with the batch (ledger/readings.py). ``source``: the file itself,
    kept in the ledger with the batch (ledger/sources.py; an importer's callers pass it, synthetic batches do
    not)."""
    profile_sha256 = profile_sha256 or name_fingerprint(profile)
    rows = sum(s.rows for s in sheets)
    totals = [t for s in sheets for t in s.totals]
    outcome = FileOutcome(file=str(path), sha256=sha256, rows=rows, totals=[t.as_json() for t in totals])
    by_sheet = {s.sheet: s for s in sheets}
    for attempt in range(3):  # a concurrent writer may post the same keys first: classify again
        try:
            with engine.begin() as conn:
                readings, previous = settled_reading(conn, sha256, profile_sha256, profile, vocabulary_sha256)
                if previous is not None:  # another process read the same file meanwhile
                    return already_imported(path, previous)
                classified = classify_rows(conn, sheets, path.name)
                to_post = with_content_sha256(classified.to_post)
                earlier = earlier_readings(conn, sha256, profile_sha256)
                held = classified.held
                new_entries = [h for h in held if not is_held_already(h, earlier)]
                settled = _settled(((to_post, "posted"), (classified.reimport, "posted"),
                                    (classified.confirmed, "unchanged")))
                resolved = resolutions(conn, path.name, sha256, settled, new_entries,
                                       lambda sheet, row: by_sheet[sheet].raw(row))
                outcome.posted = to_post.height + classified.reimport.height
                outcome.reimported, outcome.unchanged = classified.reimport.height, classified.confirmed.height
                outcome.conflicts = sum(1 for h in held if h["kind"] == "conflict")
                outcome.quarantined = len(held) - outcome.conflicts
                outcome.quarantine = held
                outcome.resolved = len(resolved)
                if _changes_nothing(earlier, outcome, new_entries, resolved):
                    return _read_again(path, earlier, outcome)
                outcome.status = "posted" if outcome.posted else "nothing_posted"
                new_versions = pl.concat([to_post.select("period"), classified.reimport.select("period")])
                refuse_closed_months(conn, new_versions, path.name)  # before anything is written
                if strict and held:
                    outcome.status = "rejected"
                    outcome.posted = outcome.unchanged = outcome.reimported = outcome.resolved = 0
                    return outcome
                if dry_run:
                    return outcome
                outcome.batch_id = _write(conn, path, sha256, sheets, outcome, to_post, classified.reimport,
                                          new_entries, profile=profile, profile_sha256=profile_sha256,
                                          vocabulary_sha256=vocabulary_sha256, reading=readings + 1,
                                          operator=operator, progress=progress, source=source)
                write_resolutions(conn, outcome.batch_id, resolved, operator)
                chain.append(conn, "batch", outcome.batch_id, to_post)
            return outcome
        except IntegrityError:  # the same file or the same keys were posted concurrently: read the ledger again
            if attempt == 2:
                raise LedgerError(f"{path}: another import keeps posting the same records; try again") from None
        except OperationalError as exc:
            raise write_failure(exc, describe(engine)) from None
    raise AssertionError("unreachable")  # pragma: no cover


SETTLED_SCHEMA = {"category": pl.String, "project_code": pl.String, "section_code": pl.String,
                  "source_sheet": pl.String, "source_row": pl.Int64, "content_sha256": pl.String,
                  "_record_id": pl.Int64, "_how": pl.String}


def _settled(frames: tuple[tuple[pl.DataFrame, str], ...]) -> pl.DataFrame:
    """This reading's rows that post or are unchanged, with how and (when known) their record's ID."""
    parts = [frame.with_columns(_how=pl.lit(how), **({} if "_record_id" in frame.columns
                                                     else {"_record_id": pl.lit(None, pl.Int64)}))
             .select(list(SETTLED_SCHEMA)).cast(SETTLED_SCHEMA) for frame, how in frames if frame.height]  # type: ignore[arg-type]
    return pl.concat(parts) if parts else pl.DataFrame(schema=SETTLED_SCHEMA)


def _changes_nothing(earlier: Earlier, outcome: FileOutcome, new_entries: list[dict[str, Any]],
                     resolved: list[Any]) -> bool:
    """These bytes were read before, and this reading posts nothing, resolves nothing and holds nothing that was
    not held so before."""
    return earlier.batch is not None and not outcome.posted and not new_entries and not resolved


def _write(conn: Any, path: Path, sha256: str, sheets: list[SheetExtract], outcome: FileOutcome,
           to_post: pl.DataFrame, reimport: pl.DataFrame, held: list[dict[str, Any]], *, profile: str,
           profile_sha256: str, vocabulary_sha256: str | None, reading: int, operator: str,
           progress: Callable[[int], None] | None, source: Path | None) -> int:
    """Write the batch, its records, re-imports, record totals, held rows and source totals; returns its ID."""
    now = dt.datetime.now(dt.UTC)
    kept: dict[str, Any] = {}
    if source is not None:
        kept = {"source_bytes": store_source(conn, source, sha256),
                "sheet_columns": json.dumps({s.sheet: s.columns for s in sheets if s.columns is not None},
                                            ensure_ascii=False)}
    batch_id = inserted_id(conn.execute(insert(ImportBatch.__table__).values(
        **kept, file_name=path.name, sha256=sha256, profile=profile, profile_sha256=profile_sha256,
        vocabulary_sha256=vocabulary_sha256, reading=reading, operator=operator,
        sheets=",".join(s.sheet for s in sheets), title=next((s.title for s in sheets if s.title), None),
        imported_at=now, rows=outcome.rows, posted=outcome.posted, unchanged=outcome.unchanged,
        quarantined=outcome.quarantined, conflicts=outcome.conflicts)))
    records = to_post.with_columns(batch_id=pl.lit(batch_id, pl.Int64), source_file=pl.lit(path.name))
    bulk_insert(conn, TradeRecord.__table__, records, progress)
    reimported = _post_reimports(conn, batch_id, path.name, reimport, operator, now)
    bulk_insert(conn, RecordTotal.__table__, totals_frame(records))
    if reimported.height:
        bulk_insert(conn, RecordTotal.__table__, signed_totals(reimported, +1))
    if held:
        conn.execute(insert(QuarantinedRow.__table__), [{**h, "batch_id": batch_id} for h in held])
    totals = [t for s in sheets for t in s.totals]
    if totals:
        conn.execute(insert(ImportTotal.__table__), [
            {"batch_id": batch_id, "source_sheet": t.sheet, "source_row": t.row, "label": t.label,
             "column_name": t.column, "unit": t.unit, "stated": t.stated, "rows_sum": t.rows_sum,
             "difference": t.difference, "record_rows": t.record_rows, "held_rows": t.held_rows,
             "status": t.status} for t in totals])
    return batch_id


def _read_again(path: Path, earlier: Earlier, reading: FileOutcome) -> FileOutcome:
    """A reading of bytes read before that changes nothing: nothing is written; its rows are counted as this
    reading found them (held ones as quarantined or in conflict — still held, or resolved before — the others
    unchanged)."""
    assert earlier.batch is not None
    held = reading.quarantined + reading.conflicts
    return FileOutcome(file=str(path), sha256=reading.sha256, batch_id=earlier.batch.id, status="already_imported",
                       rows=reading.rows, unchanged=reading.rows - held, quarantined=reading.quarantined,
                       conflicts=reading.conflicts, totals=reading.totals, quarantine=reading.quarantine)


def already_imported(path: Path, reading: Reading) -> FileOutcome:
    """A file whose exact bytes were already read under this profile, and that nothing could change since (no row
    of it held, no correction since, the same vocabulary): every row is unchanged."""
    batch = reading.batch
    return FileOutcome(file=str(path), sha256=batch.sha256, batch_id=batch.id, status="already_imported",
                       rows=reading.rows, unchanged=reading.rows - reading.quarantined - reading.conflicts,
                       quarantined=reading.quarantined, conflicts=reading.conflicts)
