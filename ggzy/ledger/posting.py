"""Posting a file's rows: every row ends posted, unchanged, quarantined or in conflict — in one
transaction, so a failure leaves nothing half-written."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from ggzy.errors import LedgerError
from ggzy.imports.base import ParsedRow
from ggzy.ledger.models import RECORD_FIELDS, ImportBatch, QuarantinedRow, TradeRecord

CHUNK = 5000
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
    quarantine: list[dict[str, Any]] = field(default_factory=list)  # reasons, for the terminal

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("quarantine")
        return data


def content_sha256(record: dict[str, Any]) -> str:
    """Hash of a record's content (not its provenance): same content ⇒ unchanged on re-import."""
    payload = {name: record.get(name) for name in RECORD_FIELDS}
    payload["trade_date"] = str(payload["trade_date"])
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def natural_key(record: dict[str, Any]) -> NaturalKey:
    return record["category"], record["project_code"], record["section_code"]


def existing_batch(engine: Engine, sha256: str) -> ImportBatch | None:
    with engine.connect() as conn:
        row = conn.execute(select(ImportBatch).where(ImportBatch.sha256 == sha256)).first()
    return ImportBatch.model_validate(row._mapping) if row else None


def _existing_records(conn: Any, keys: Iterable[NaturalKey]) -> dict[NaturalKey, tuple[int, str]]:
    """Natural key → (id, content hash) of records already posted, looked up in chunks."""
    by_code: dict[str, list[NaturalKey]] = {}
    for key in keys:
        by_code.setdefault(key[1], []).append(key)
    wanted, found = set().union(*by_code.values()) if by_code else set(), {}
    codes = list(by_code)
    table = TradeRecord.__table__
    for start in range(0, len(codes), 500):
        query = select(table.c.category, table.c.project_code, table.c.section_code, table.c.id,
                       table.c.content_sha256).where(table.c.project_code.in_(codes[start:start + 500]))
        for row in conn.execute(query):
            key = (row.category, row.project_code, row.section_code)
            if key in wanted:
                found[key] = (row.id, row.content_sha256)
    return found


def _quarantine_row(parsed: ParsedRow, file_name: str, kind: str, reasons: list[str],
                    existing_id: int | None = None) -> dict[str, Any]:
    record = None
    if parsed.record is not None:
        record = json.dumps({k: str(v) if isinstance(v, dt.date) else v for k, v in parsed.record.items()},
                            ensure_ascii=False)
    return {"kind": kind, "source_file": file_name, "source_sheet": parsed.sheet, "source_row": parsed.row,
            "reasons": "; ".join(reasons), "raw_json": json.dumps(parsed.raw, ensure_ascii=False),
            "record_json": record, "existing_record_id": existing_id}


def classify_rows(conn: Any, rows: list[ParsedRow], file_name: str
                  ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], int]:
    """(records to post, rows to quarantine, unchanged count) against the ledger as it is now."""
    valid = [r for r in rows if r.record is not None]
    existing = _existing_records(conn, (natural_key(r.record) for r in valid))  # type: ignore[arg-type]
    seen: dict[NaturalKey, tuple[str, ParsedRow]] = {}
    to_post: list[dict[str, Any]] = []
    held: list[dict[str, Any]] = []
    unchanged = 0
    for parsed in rows:
        if parsed.record is None:
            held.append(_quarantine_row(parsed, file_name, "invalid", parsed.reasons))
            continue
        record = parsed.record
        key, digest = natural_key(record), content_sha256(record)
        label = "/".join(filter(None, key))
        if key in existing:  # already in the ledger
            record_id, earlier_digest = existing[key]
            clash = (f"conflict: record {record_id} with the same key {label} is already posted with different "
                     "content; amend it or void it, never overwrite")
        elif key in seen:  # earlier in this same file
            earlier_digest, first = seen[key]
            record_id = None
            clash = (f"conflict: sheet {first.sheet} row {first.row} of this file has the same key {label} with "
                     "different content (re-published award?)")
        else:
            seen[key] = (digest, parsed)
            to_post.append({**record, "content_sha256": digest, "source_file": file_name,
                            "source_sheet": parsed.sheet, "source_row": parsed.row})
            continue
        if earlier_digest == digest:
            unchanged += 1
        else:
            held.append(_quarantine_row(parsed, file_name, "conflict", [clash], record_id))
    return to_post, held, unchanged


def post_file(engine: Engine, path: Path, sha256: str, rows: list[ParsedRow], *, profile: str,
              operator: str, strict: bool = False, dry_run: bool = False,
              progress: Callable[[int], None] | None = None) -> FileOutcome:
    """Post the parsed rows of one file as one batch, atomically."""
    outcome = FileOutcome(file=str(path), sha256=sha256, rows=len(rows))
    for attempt in range(3):  # a concurrent writer may post the same keys first: classify again
        try:
            with engine.begin() as conn:
                to_post, held, unchanged = classify_rows(conn, rows, path.name)
                outcome.posted, outcome.unchanged = len(to_post), unchanged
                outcome.conflicts = sum(1 for h in held if h["kind"] == "conflict")
                outcome.quarantined = len(held) - outcome.conflicts
                outcome.quarantine = held
                if strict and held:
                    outcome.status = "rejected"
                    outcome.posted = outcome.unchanged = 0
                    return outcome
                if dry_run:
                    return outcome
                batch_id = conn.execute(insert(ImportBatch.__table__).values(
                    file_name=path.name, sha256=sha256, profile=profile, operator=operator,
                    sheets=",".join(dict.fromkeys(r.sheet for r in rows)),
                    imported_at=dt.datetime.now(dt.UTC), rows=outcome.rows,
                    posted=outcome.posted, unchanged=unchanged, quarantined=outcome.quarantined,
                    conflicts=outcome.conflicts)).inserted_primary_key[0]
                outcome.batch_id = batch_id
                for start in range(0, len(to_post), CHUNK):
                    chunk = to_post[start:start + CHUNK]
                    conn.execute(insert(TradeRecord.__table__), [{**r, "batch_id": batch_id} for r in chunk])
                    if progress:
                        progress(len(chunk))
                if held:
                    conn.execute(insert(QuarantinedRow.__table__), [{**h, "batch_id": batch_id} for h in held])
            return outcome
        except IntegrityError:
            batch = existing_batch(engine, sha256)
            if batch is not None:  # the same file was imported concurrently
                return already_imported(path, batch)
            if attempt == 2:
                raise LedgerError(f"{path}: another import keeps posting the same records; try again") from None
        except OperationalError as exc:
            raise LedgerError(f"cannot write ledger: {exc.orig}; check the file is writable and not locked "
                              "by another program") from None
    raise AssertionError("unreachable")  # pragma: no cover


def already_imported(path: Path, batch: ImportBatch) -> FileOutcome:
    """A file whose exact bytes are already in the ledger: nothing changes."""
    return FileOutcome(file=str(path), sha256=batch.sha256, batch_id=batch.id, status="already_imported",
                       rows=batch.rows, unchanged=batch.rows)
