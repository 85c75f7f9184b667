"""Corrections that never edit a posted record: amendments and voids appended with their author, time and
reason (record_amendment); the record totals get −old/+new rows in the same transaction; each correction is a
link of the hash chain; a correction touching a closed month is refused. ``history`` lists every version."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

import polars as pl
from ggzy.errors import UsageError
from ggzy.ledger import chain
from ggzy.ledger.bulk import bulk_insert, inserted_id
from ggzy.ledger.chain import record_hash
from ggzy.ledger.closing import refuse_if_closed
from ggzy.ledger.columnar import record_dtype
from ggzy.ledger.models import (
    PROVENANCE,
    RECORD_FIELDS,
    VERSIONED,
    ImportBatch,
    RecordAmendment,
    RecordTotal,
    TradeRecord,
)
from ggzy.ledger.record_totals import signed_totals
from ggzy.money import MoneyError, canonical_unit, fen_to_decimal
from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

#: what `--set NAME=VALUE` accepts: user-facing names (DESIGN.md words) → ledger field
AMENDABLE = {
    "subcategory": "subcategory", "name": "name", "region": "region", "status": "status", "method": "method",
    "budget": "budget_fen", "control_price": "control_price_fen", "reserve": "reserve_fen",
    "reserve_price": "reserve_fen", "deal": "deal_fen", "deal_amount": "deal_fen", "winner": "winner",
    "trade_date": "trade_date", "bidders": "bidders",
}
KEY_FIELDS = ("category", "project_code", "section_code")


class AmendError(UsageError):
    """An amendment that cannot be made as asked (exit 2, nothing written)."""


def _current(conn: Any, record_id: int) -> tuple[dict[str, Any], int]:
    """The record's current version (its latest amendment, else as posted) with its provenance, and the number
    the next version will have; raises for an unknown or voided record."""
    records, amendments = TradeRecord.__table__, RecordAmendment.__table__
    posted = conn.execute(select(records).where(records.c.id == record_id)).first()
    if posted is None:
        raise AmendError(f"no record with ID {record_id}; find IDs with `ggzy records`")
    versions = conn.execute(select(amendments).where(amendments.c.record_id == record_id)
                            .order_by(amendments.c.id)).all()
    latest = versions[-1] if versions else None
    if latest is not None and latest.kind == "void":
        raise AmendError(
            f"record {record_id} was voided on {str(latest.created_at)[:16]} by {latest.operator}, so it cannot be "
            f"amended: import the corrected row (same category, project code {posted.project_code} and section "
            f"code {posted.section_code or '—'}) and it is posted as this record's next version; "
            f"`ggzy history {record_id}` shows every version")
    version = dict(posted._mapping)
    if latest is not None:
        version |= {f: latest._mapping[f] for f in VERSIONED}
        version |= {f: latest._mapping[f] for f in PROVENANCE if latest._mapping[f] is not None}
    return version, len(versions) + 1


def parse_value(field: str, text: str, unit: str) -> Any:
    """A --set value in the field's storage form; AmendError saying how to write it."""
    from ggzy.values import parse_count, parse_date, parse_money
    from ggzy.vocab import vocabulary

    if text.strip() == "" and field not in ("status", "trade_date"):
        return None  # --set winner= clears an optional field
    try:
        if field.endswith("_fen"):
            return parse_money(text, unit)
        if field == "trade_date":
            return parse_date(text)
        if field == "bidders":
            return parse_count(text)
    except (MoneyError, ValueError) as exc:
        raise AmendError(f"--set {field.removesuffix('_fen')}={text}: {exc}") from None
    if field == "status":
        status = vocabulary().status(text)
        if status is None:
            raise AmendError(f"--set status={text}: unknown status; use 成交, 流标, 终止 or 中止")
        return status
    return text


def parse_changes(assignments: tuple[str, ...], unit: str) -> dict[str, Any]:
    """`--set NAME=VALUE` pairs → {ledger field: value}; AmendError for an unknown or unparsable one."""
    try:
        unit = canonical_unit(unit)
    except MoneyError as exc:
        raise AmendError(f"--unit {unit}: {exc}") from None
    changes: dict[str, Any] = {}
    for assignment in assignments:
        name, equals, text = assignment.partition("=")
        name = name.strip()
        if not equals:
            raise AmendError(f"--set {assignment}: write NAME=VALUE, e.g. --set deal=950000.50")
        if name in KEY_FIELDS:
            raise AmendError(f"--set {name}: the natural key (category, project code, section code) cannot be "
                             "amended; void the record and import the corrected row")
        if name not in AMENDABLE:
            raise AmendError(f"--set {name}: unknown field; amendable: {', '.join(sorted(AMENDABLE))}")
        changes[AMENDABLE[name]] = parse_value(AMENDABLE[name], text, unit)
    if not changes:
        raise AmendError("nothing to amend: give at least one --set NAME=VALUE")
    return changes


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _frame(version: dict[str, Any]) -> pl.DataFrame:
    columns = ("batch_id", *VERSIONED)
    return pl.DataFrame([{c: version[c] for c in columns}], schema={c: record_dtype(c) for c in columns})


@dataclass
class Correction:
    record_id: int
    amendment_id: int
    kind: str
    changes: dict[str, list[Any]]

    def as_json(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "amendment_id": self.amendment_id, "kind": self.kind,
                "changes": self.changes}


#: a money field corrected by this factor or more in one amendment with no unit stated: the 元/万元 mix-up
#: (`--set deal=12.5` meant in 万元 is 12.50 元), refused until the unit is said
UNIT_SLIP = 1000


def _unit_slip(record_id: int, diff: dict[str, list[Any]]) -> str | None:
    """The sentence refusing an amendment whose money changes a thousandfold or more, when no unit was given."""
    for field, (before, after) in diff.items():
        if not field.endswith("_fen") or not before or not after:
            continue
        factor = max(before, after) / min(before, after)
        if factor >= UNIT_SLIP:
            name, given = field.removesuffix("_fen"), fen_to_decimal(after, "元")
            return (f"--set {name}={given.normalize():f} would make record {record_id}'s {name} "
                    f"{fen_to_decimal(after, '元'):,.2f} 元 instead of {fen_to_decimal(before, '元'):,.2f} 元 "
                    f"({factor:,.0f} times {'less' if after < before else 'more'}): if the amount is in 万元 or 亿元, "
                    "give --unit 万元 (or 亿元); if 元 is right, give --unit 元; nothing was written")
    return None


def correct(engine: Engine, record_id: int, changes: dict[str, Any] | None, reason: str,
            operator: str, unit: str | None = None, *, unit_stated: bool = True) -> Correction:
    """Amend (``changes``) or void (``changes is None``) a record, in one transaction. Each version has its
    number, unique per record: when another writer corrects the same version first, this one is made again on
    the version that writer left (or refused, if it voided the record). ``unit``: the money unit the amounts
    were given in, kept with an amendment so reports show its before → after in it; ``unit_stated`` False (the
    user gave none, 元 assumed): a thousandfold change of an amount is refused (AmendError)."""
    if not reason.strip():
        raise AmendError("--reason is required: say why the record is corrected (it is kept with the change)")
    for attempt in range(3):
        try:
            return _correct_once(engine, record_id, changes, reason, operator, unit, unit_stated)
        except IntegrityError:
            if attempt == 2:
                raise AmendError(f"record {record_id} keeps being changed by someone else; try again") from None
    raise AssertionError("unreachable")  # pragma: no cover


def _correct_once(engine: Engine, record_id: int, changes: dict[str, Any] | None, reason: str,
                  operator: str, unit: str | None, unit_stated: bool = True) -> Correction:
    kind = "void" if changes is None else "amend"
    with engine.begin() as conn:
        before, number = _current(conn, record_id)
        after = dict(before)
        if changes is not None:
            after |= changes
            after["period"] = after["trade_date"].strftime("%Y-%m")
        diff = {f: [_plain(before[f]), _plain(after[f])] for f in RECORD_FIELDS if before[f] != after[f]}
        if kind == "amend" and not diff:
            raise AmendError(f"record {record_id} already has these values; nothing to amend")
        touched = {before["period"], after["period"]}
        refuse_if_closed(conn, touched, f"{kind} of record {record_id}")
        if kind == "amend" and not unit_stated and (slip := _unit_slip(record_id, diff)):
            raise AmendError(slip)
        after["content_sha256"] = record_hash(after[f] for f in RECORD_FIELDS)
        amendment_id = inserted_id(conn.execute(insert(RecordAmendment.__table__).values(
            record_id=record_id, kind=kind, version=number, **{f: after[f] for f in (*VERSIONED, *PROVENANCE)},
            changes_json=json.dumps(diff, ensure_ascii=False), reason=reason, operator=operator,
            created_at=dt.datetime.now(dt.UTC), unit=canonical_unit(unit) if kind == "amend" and unit else None)))
        corrections = [signed_totals(_frame(before), -1)]
        if kind == "amend":
            corrections.append(signed_totals(_frame(after), +1))
        bulk_insert(conn, RecordTotal.__table__, pl.concat(corrections))
        chain.append(conn, "amendment", amendment_id)
    return Correction(record_id, amendment_id, kind, diff)


def history(engine: Engine, record_id: int) -> list[dict[str, Any]]:
    """Every version of a record: as posted (with its batch and source row), then each amendment, void or
    re-import (a re-import with the batch and source row it came from)."""
    records, amendments, batches = TradeRecord.__table__, RecordAmendment.__table__, ImportBatch.__table__
    with engine.connect() as conn:
        posted = conn.execute(select(records, batches.c.operator, batches.c.imported_at, batches.c.file_name)
                              .join(batches, batches.c.id == records.c.batch_id)
                              .where(records.c.id == record_id)).first()
        if posted is None:
            raise AmendError(f"no record with ID {record_id}; find IDs with `ggzy records`")
        where = {"source_file": posted.source_file, "source_sheet": posted.source_sheet,
                 "source_row": posted.source_row}
        source = f"{posted.source_file}:{posted.source_sheet}:{posted.source_row}"
        versions = [{"version": 0, "kind": "posted", "at": str(posted.imported_at)[:19], "operator": posted.operator,
                     "reason": f"imported in batch {posted.batch_id}", "batch_id": posted.batch_id, "source": source,
                     **where, "unit": None, "changes": {},
                     "values": {f: _plain(posted._mapping[f]) for f in RECORD_FIELDS}}]
        for number, row in enumerate(conn.execute(select(amendments).where(amendments.c.record_id == record_id)
                                                  .order_by(amendments.c.id)), start=1):
            if row.source_file is not None:
                source = f"{row.source_file}:{row.source_sheet}:{row.source_row}"
                where = {"source_file": row.source_file, "source_sheet": row.source_sheet,
                         "source_row": row.source_row}
            versions.append({"version": number, "kind": row.kind, "at": str(row.created_at)[:19],
                             "operator": row.operator, "reason": row.reason, "amendment_id": row.id,
                             "batch_id": row.batch_id if row.batch_id is not None else versions[-1]["batch_id"],
                             "source": source, **where, "unit": row.unit, "changes": json.loads(row.changes_json),
                             "values": {f: _plain(row._mapping[f]) for f in RECORD_FIELDS}})
    return versions
