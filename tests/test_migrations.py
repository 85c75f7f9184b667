"""`ggzy init` upgrades a ledger of the first released schema (a real one, made by that release's code: its
SQLite dump is tests/fixtures/first-release-ledger.sql) through the alembic migrations, on SQLite and
PostgreSQL, and the upgraded schema is the schema a new ledger gets."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel
from support import EXAMPLES, run

DUMP = Path(__file__).parent / "fixtures" / "first-release-ledger.sql"
JULY = EXAMPLES / "haidong-2022Q3" / "海东市2022年07月交易明细.xlsx"
# a ledger made by revision 0003's code (commit 05ea064): july.xlsx posted, corrected.xlsx held a conflict on
# record 2 (and an invalid row), record 1 amended, record 2 voided, 2022-07 closed and reopened
AUDIT_DUMP = Path(__file__).parent / "fixtures" / "audit-trail-ledger.sql"
CORRECTED = Path(__file__).parent / "fixtures" / "audit-trail-corrected.xlsx"
# a ledger made by revision 0004's code (tests/fixtures/make_revision_0004_ledger.py): a posted, record 1 amended in
# 万元 (no unit kept then), record 2 voided, b re-imported record 2's key and held an invalid row, 2022-07 closed and
# reopened — its files were not kept
REVISION_0004_DUMP = Path(__file__).parent / "fixtures" / "revision-0004-ledger.sql"
REVISION_0004_A = Path(__file__).parent / "fixtures" / "revision-0004-a.xlsx"
HEAD = "0006_readings_and_resolutions"


def first_release_ledger(url: str) -> None:
    """A ledger as the first release left it: 173 July records of Haidong and one reconciliation run."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.executescript(DUMP.read_text(encoding="utf-8"))
        return
    from alembic import command
    from ggzy.migrations import _config

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        command.upgrade(_config(conn, SQLModel.metadata), "0001_first_release")
        for line in DUMP.read_text(encoding="utf-8").splitlines():
            if line.startswith("INSERT INTO"):
                conn.exec_driver_sql(line.replace("%", "%%"))
        conn.exec_driver_sql("DELETE FROM alembic_version")  # the release had no migrations table
        conn.exec_driver_sql("DROP TABLE alembic_version")
        for table in ("import_batch", "trade_record", "reconciliation_run"):  # COPY-free inserts set ids by hand
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                 f"(SELECT MAX(id) FROM {table}))")
    engine.dispose()


def audit_trail_ledger(url: str, dump: Path = AUDIT_DUMP, revision: str = "0003_audit_trail") -> None:
    """The revision-0003 ledger of AUDIT_DUMP (or another revision's ``dump``), on SQLite as dumped; on PostgreSQL
    its rows copied into that revision's schema (through SQLAlchemy, which turns SQLite's 0/1 into booleans)."""
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            conn.executescript(dump.read_text(encoding="utf-8"))
        return
    from alembic import command
    from ggzy.migrations import _config
    from sqlalchemy import MetaData

    source = sqlite3.connect(":memory:")
    source.executescript(dump.read_text(encoding="utf-8"))
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as conn:
        command.upgrade(_config(conn, SQLModel.metadata), revision)
        metadata = MetaData()
        metadata.reflect(conn)
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            cursor = source.execute(f"SELECT * FROM {table.name}")
            rows = [dict(zip([d[0] for d in cursor.description], row, strict=True)) for row in cursor]
            if rows:
                conn.execute(table.insert(), rows)
            if "id" in table.c and rows:
                conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                     f"(SELECT MAX(id) FROM {table.name}))")
    engine.dispose()


def schema(url: str) -> dict[str, object]:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    inspector = inspect(engine)
    found: dict[str, object] = {}
    for table in sorted(inspector.get_table_names()):
        if table == "alembic_version":
            continue
        found[table] = ({(c["name"], c["nullable"]) for c in inspector.get_columns(table)},
                        {(i["name"], tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table)
                         if not i["name"].startswith("sqlite_autoindex")})
    found["views"] = sorted(inspector.get_view_names())
    engine.dispose()
    return found


def test_first_release_ledger_upgrades_and_keeps_working(empty_url: str, tmp_path: Path) -> None:
    ledger_url = empty_url
    first_release_ledger(ledger_url)
    result = run(ledger_url, "init")
    assert result.exit_code == 0
    assert f"已升级: 0001_first_release → {HEAD}" in result.stdout
    assert "已升级" not in run(ledger_url, "init").stdout  # up to date: nothing more to apply
    listed = json.loads(run(ledger_url, "records", "--format", "json").stdout)["records"]
    assert len(listed) == 173 and {r["source_file"] for r in listed} == {"海东市2022年07月交易明细.xlsx"}
    # the same file again: already imported; a re-saved copy (other bytes, same rows): every row unchanged,
    # because the migration recomputed the content hashes in the current form
    again = json.loads(run(ledger_url, "import", str(JULY), "--format", "json", "--no-check").stdout)["files"][0]
    assert again["status"] == "already_imported"
    copy = tmp_path / "copy.xlsx"
    wb = openpyxl.load_workbook(JULY)
    wb.properties.title = "copy"
    wb.save(copy)
    resaved = json.loads(run(ledger_url, "import", str(copy), "--format", "json", "--no-check").stdout)["files"][0]
    assert (resaved["unchanged"], resaved["posted"], resaved["conflicts"]) == (173, 0, 0)
    # measures read record totals that init built for the old records: the same as a fresh ledger's
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    run(fresh, "init")
    run(fresh, "import", str(JULY), "--no-check")
    rates = [json.loads(run(url, "rates", "--by", "category", "--format", "json").stdout)
             for url in (ledger_url, fresh)]
    assert rates[0] == rates[1]
    record_id = listed[0]["id"]
    assert run(ledger_url, "amend", str(record_id), "--set", "winner=甲", "--reason", "升级后更正").exit_code == 0
    # the old batch joined the hash chain at the upgrade; the re-saved copy and the amendment follow it
    assert json.loads(run(ledger_url, "verify", "--format", "json").stdout) == {"links": 3, "ok": True, "breaks": []}
    assert run(ledger_url, "report", "--out", str(tmp_path / "r.xlsx")).exit_code in (0, 1)


def test_an_audit_trail_ledger_upgrades_its_chain_verifies_and_its_voided_key_is_free(empty_url: str) -> None:
    """Links written by revision 0003 still verify after the upgrade (later columns enter a digest only when
    they hold a value), and the conflict held before the void posts when its file is imported again."""
    audit_trail_ledger(empty_url)
    result = run(empty_url, "init")
    assert result.exit_code == 0 and f"已升级: 0003_audit_trail → {HEAD}" in result.stdout
    assert json.loads(run(empty_url, "verify", "--format", "json").stdout) == {"links": 6, "ok": True, "breaks": []}
    assert [r["id"] for r in json.loads(run(empty_url, "records", "--format", "json").stdout)["records"]] == [1, 3]
    again = run(empty_url, "import", str(CORRECTED), "--format", "json", "--no-check")
    item = json.loads(again.stdout)["files"][0]
    assert again.exit_code == 1  # the invalid row is still held (its entry of the first reading stands for it)
    assert (item["status"], item["rows"], item["posted"], item["reimported"], item["unchanged"],
            item["quarantined"], item["conflicts"], item["resolved"]) == ("posted", 4, 1, 1, 2, 1, 0, 1)
    listed = {r["id"]: r for r in json.loads(run(empty_url, "records", "--format", "json").stdout)["records"]}
    assert listed[2]["deal_fen"] == 1_200_000_000 and listed[2]["source_file"] == "audit-trail-corrected.xlsx"
    versions = json.loads(run(empty_url, "history", "2", "--format", "json").stdout)["versions"]
    assert [v["kind"] for v in versions] == ["posted", "void", "reimport"]
    assert versions[2]["changes"] == {"deal_fen": [1_234_567_890, 1_200_000_000]}
    assert json.loads(run(empty_url, "verify", "--format", "json").stdout) == {"links": 7, "ok": True, "breaks": []}
    assert json.loads(run(empty_url, "import", str(CORRECTED), "--format", "json", "--no-check")
                      .stdout)["files"][0]["status"] == "already_imported"


def test_a_revision_0004_ledger_upgrades_verifies_and_keeps_files_from_then_on(empty_url: str,
                                                                              tmp_path: Path) -> None:
    """Links written before revision 0005 still verify (its new columns are NULL in old rows, and a later column
    enters a digest only when it holds a value); old batches say their file was not kept, old amendments show 元;
    what is imported and amended after the upgrade keeps its file and its unit, and the chain goes on verifying."""
    audit_trail_ledger(empty_url, REVISION_0004_DUMP, "0004_reimport_and_profiles")
    result = run(empty_url, "init")
    assert result.exit_code == 0 and f"已升级: 0004_reimport_and_profiles → {HEAD}" in result.stdout
    assert json.loads(run(empty_url, "verify", "--format", "json").stdout) == {"links": 6, "ok": True, "breaks": []}
    # before the upgrade: no file, no unit
    refused = run(empty_url, "source", "1", "-o", str(tmp_path / "a.xlsx"))
    assert refused.exit_code == 2 and "imported before the ledger kept imported files" in refused.stderr
    assert not (tmp_path / "a.xlsx").exists()
    old = run(empty_url, "history", "1")
    assert "成交金额(元) 120,000.00 → 125,000.00" in old.stdout and "原始文件未存入台账" in old.stdout
    versions = json.loads(run(empty_url, "history", "2", "--format", "json").stdout)["versions"]
    assert [(v["kind"], v["unit"], v["raw"]) for v in versions] == [("posted", None, None), ("void", None, None),
                                                                    ("reimport", None, None)]
    # after it: a file read again under another name is a new batch whose file is kept; an amendment keeps 万元
    copy = tmp_path / "again.xlsx"
    wb = openpyxl.load_workbook(REVISION_0004_A)
    wb.properties.title = "again"
    wb.save(copy)
    item = json.loads(run(empty_url, "import", str(copy), "--format", "json", "--no-check").stdout)["files"][0]
    assert (item["status"], item["unchanged"], item["conflicts"]) == ("nothing_posted", 2, 1)  # record 1 amended since
    assert run(empty_url, "amend", "3", "--set", "deal=86.1", "--unit", "万元", "--reason", "结算").exit_code == 0
    assert run(empty_url, "source", str(item["batch_id"]), "-o", str(tmp_path / "out.xlsx")).exit_code == 0
    assert (tmp_path / "out.xlsx").read_bytes() == copy.read_bytes()
    assert json.loads(run(empty_url, "verify", "--format", "json").stdout) == {"links": 8, "ok": True, "breaks": []}
    report = tmp_path / "r.xlsx"
    assert run(empty_url, "report", "--period", "2022-07", "--out", str(report)).exit_code in (0, 1)
    trail = list(openpyxl.load_workbook(report)["更正与作废"].iter_rows(values_only=True))
    changes = {(row[1], row[10], row[11], row[12]) for row in trail[1:]}
    assert (1, "成交金额(元)", 120000, 125000) in changes  # the old amendment: no unit kept, shown in 元
    assert (3, "成交金额(万元)", 86, 86.1) in changes  # the new one in the unit it was given in


def test_upgraded_schema_is_the_new_ledger_schema(empty_url: str, tmp_path: Path,
                                                  request: pytest.FixtureRequest) -> None:
    first_release_ledger(empty_url)
    run(empty_url, "init")
    new = f"sqlite:///{tmp_path / 'new.db'}" if empty_url.startswith("sqlite") else request.getfixturevalue("pg_url")
    run(new, "init")
    upgraded, created = schema(empty_url), schema(new)
    assert upgraded == created
    assert created["views"] == ["current_record"]


def test_migrations_are_in_a_line_ending_at_the_models() -> None:
    """Every revision names its predecessor; the head is what `migrate` stamps a new ledger with."""
    from alembic.script import ScriptDirectory
    from ggzy.migrations import HERE, _config

    scripts = ScriptDirectory.from_config(_config(None, SQLModel.metadata))
    heads = scripts.get_heads()
    assert heads == [HEAD]
    chain = [s.revision for s in scripts.walk_revisions()]
    assert chain == [HEAD, "0005_source_files", "0004_reimport_and_profiles", "0003_audit_trail",
                     "0002_totals_and_resolutions", "0001_first_release"]
    assert all(re.match(r"\d{4}_", p.name) for p in (HERE / "versions").glob("0*.py"))
