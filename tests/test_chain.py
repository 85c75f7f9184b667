"""One definition of a record's fields, and a hash chain that covers every column of what it chains (issue 14):
a column added to a model is hashed without anyone listing it, and changing any column breaks `verify`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from ggzy.ledger.chain import CHAINED, FIRST_FORM, BatchDigest, hashed_columns, record_hash
from ggzy.ledger.models import RECORD_FIELDS, VERSIONED, RecordAmendment, RecordFields, TradeRecord
from ggzy.ledger.store import make_engine
from ggzy.ledger.verify import verify
from sqlalchemy import Column, MetaData, String, Table, TextClause, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from support import GOOD, run, workbook


def test_record_fields_are_written_once_and_both_version_tables_have_them() -> None:
    assert tuple(RecordFields.model_fields) == VERSIONED and VERSIONED[:-1] == RECORD_FIELDS
    money = {c.name: type(c.type).__name__ for c in TradeRecord.__table__.columns if c.name.endswith("_fen")}
    assert money == dict.fromkeys(("budget_fen", "control_price_fen", "reserve_fen", "deal_fen"), "BigInteger")
    assert [(c.name, str(c.type), c.nullable) for c in RecordAmendment.__table__.columns if c.name in VERSIONED] == \
        [(c.name, str(c.type), c.nullable) for c in TradeRecord.__table__.columns if c.name in VERSIONED]


def test_the_record_hash_is_frozen() -> None:
    """The content hash of July's CG-001 as revision 0003 stored it (tests/fixtures/audit-trail-ledger.sql): a
    reordered or renamed field would make every posted record look changed."""
    values = {"category": "procurement", "subcategory": "集中采购", "project_code": "CG-001", "section_code": "01",
              "name": "办公设备", "region": "市本级", "status": "deal", "method": None, "budget_fen": 100_000_000,
              "control_price_fen": None, "reserve_fen": None, "deal_fen": 95_000_050, "winner": None,
              "trade_date": dt.date(2022, 7, 5), "bidders": None}
    assert tuple(values) == RECORD_FIELDS
    assert record_hash(values.values()) == "b16910742c88e7d1f71d36aad3b404a6c137269f3ab87e6595f6b967f2637869"


@pytest.mark.parametrize("height", [1, 7, 100_001])
def test_a_batch_s_records_digest_the_same_fed_as_a_frame_or_row_by_row(height: int) -> None:
    """Posting feeds the frame it wrote; verify feeds rows read back: the two digests must be the same bytes."""
    frame = pl.DataFrame({"content_sha256": [f"{i:064x}" for i in range(height)],
                          "source_sheet": [None if i % 5 == 3 else f"明细{i % 3}" for i in range(height)],
                          "source_row": [i + 2 for i in range(height)]})
    by_frame, by_row = BatchDigest(), BatchDigest()
    by_frame.add_records(frame)
    for content_sha256, sheet, source_row in frame.iter_rows():
        by_row.add_record(content_sha256, sheet, source_row)
    assert by_frame.records.hexdigest() == by_row.records.hexdigest()


@pytest.mark.parametrize("kind", sorted(CHAINED))
def test_every_column_of_a_chained_table_is_hashed(kind: str) -> None:
    table = CHAINED[kind]
    first, later = hashed_columns(table)
    assert set(first) | set(later) == {c.name for c in table.columns}
    assert first == FIRST_FORM[table.name] and not set(first) & set(later)


def test_a_column_added_later_is_hashed_when_it_holds_a_value() -> None:
    """A model that gains a column: rows without a value hash as before (old links still verify), rows with
    one hash differently — nobody had to add it to a list."""
    from ggzy.ledger.chain import canonical

    batches = CHAINED["batch"]
    grown = Table(batches.name, MetaData(), *(Column(c.name, c.type) for c in batches.columns),
                  Column("added_later", String))
    row = {c.name: None for c in grown.columns} | {"id": 1, "file_name": "a.xlsx", "sha256": "s", "rows": 3}
    assert canonical(row, grown) == canonical(row, batches)
    assert canonical(row | {"added_later": "x"}, grown) != canonical(row, batches)


def _others(value: object) -> list[object]:
    """Different values of the same type (several for an integer: a key or a version number may be taken)."""
    if isinstance(value, bool):
        return [not value]
    if isinstance(value, int):
        return [value + 1, value + 2, value - 1]
    if isinstance(value, dt.datetime):
        return [value + dt.timedelta(seconds=1)]
    if isinstance(value, dt.date):
        return [value + dt.timedelta(days=1)]
    return ["x" if value is None else f"{value}x"]


def _change(engine: Engine, statement: TextClause, row_id: int, value: object) -> bool:
    for other in _others(value):
        try:
            with engine.begin() as conn:
                conn.execute(statement, {"value": other, "id": row_id})
            return True
        except IntegrityError:  # a foreign key or a unique version: try the next value
            continue
    return False


def test_changing_any_column_of_any_chained_row_breaks_verify(ledger_url: str, tmp_path: Path) -> None:
    """Every column (but the id that names the row) of a batch, an amendment, a re-import, a period event and a
    resolution (an import's and a confirmed one) is changed behind the tool's back in turn: verify names that row's
    link each time, and is clean once restored."""
    run(ledger_url, "import", str(workbook(tmp_path / "july.xlsx", GOOD)))
    listed = {r["project_code"]: r["id"] for r in json.loads(run(ledger_url, "records", "--format", "json").stdout)
              ["records"]}
    run(ledger_url, "amend", str(listed["CG-001"]), "--set", "winner=甲公司", "--reason", "补充")
    run(ledger_url, "void", str(listed["GC-001"]), "--reason", "作废")
    changed = [list(r) for r in GOOD]
    changed[1][8] = 1
    run(ledger_url, "import", str(workbook(tmp_path / "again.xlsx", changed, sheet="更正")))  # a re-import
    # a held row an import resolves (the same file name, its row corrected), and one the user resolves by hand
    held = [[*GOOD[0][:2], "CG-009", *GOOD[0][3:8], "约九十", GOOD[0][9]]]
    (tmp_path / "v1").mkdir(), (tmp_path / "v2").mkdir()
    run(ledger_url, "import", str(workbook(tmp_path / "v1" / "held.xlsx", held)))
    held[0][8] = 90
    run(ledger_url, "import", str(workbook(tmp_path / "v2" / "held.xlsx", held)))
    conflicting = [[*GOOD[0][:8], 1, GOOD[0][9]], [*held[0][:8], "约九十", held[0][9]]]  # (that one stays held)
    run(ledger_url, "import", str(workbook(tmp_path / "conflict.xlsx", conflicting, sheet="冲突")))
    (entry,) = [e for e in json.loads(run(ledger_url, "quarantine", "--format", "json").stdout)["quarantine"]
                if e["kind"] == "conflict"]
    assert run(ledger_url, "resolve", str(entry["id"]), "--reason", "以台账为准").exit_code == 0
    run(ledger_url, "close", "2022-07", "--reason", "月结")
    engine = make_engine(ledger_url)
    assert verify(engine)[1] == []
    tried = 0
    for kind, table in CHAINED.items():
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(table.select())]
        assert rows, kind
        for row in rows:
            for column in (c.name for c in table.columns if c.name != "id"):
                if row[column] is None and column in FIRST_FORM[table.name]:
                    continue  # a NULL of the first form is hashed as such; tested with the rows that hold one
                statement = text(f"UPDATE {table.name} SET {column} = :value WHERE id = :id")
                assert _change(engine, statement, row["id"], row[column]), (kind, column)
                breaks = verify(engine)[1]
                # a re-import, and a held row an import resolved, are covered by the link of the batch that imported
                # it (moved to another batch, the earlier of the two breaks first)
                by_batch = row.get("kind") == "reimport" or (kind == "resolution" and row["how"] != "confirmed")
                link = f"({kind} {row['id']})" if not by_batch else "(batch "
                # (a confirmed resolution changed into an import's is also seen in that import's batch, earlier)
                assert breaks and (link in breaks[0].where or (kind == "resolution"
                                   and any(link in b.where for b in breaks))), (kind, column, breaks)
                with engine.begin() as conn:
                    conn.execute(statement, {"value": row[column], "id": row["id"]})
                tried += 1
    assert verify(engine)[1] == []
    assert tried > 60
    engine.dispose()
