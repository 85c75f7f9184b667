"""`ggzy db grant`: PostgreSQL itself refuses an auditor's UPDATE and an accountant's UPDATE/DELETE."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import ProgrammingError
from support import EXAMPLES, run

JULY = EXAMPLES / "haidong-2022Q3" / "海东市2022年07月交易明细.xlsx"
AUGUST = EXAMPLES / "haidong-2022Q3" / "海东市2022年08月交易明细.xlsx"


def as_user(url: str, user: str) -> str:
    scheme, rest = url.split("://", 1)
    return f"{scheme}://{user}@{rest.split('@', 1)[1]}"


def execute(url: str, statement: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    finally:
        engine.dispose()


@pytest.fixture
def shared_ledger(pg_url: str) -> str:
    run(pg_url, "init")
    run(pg_url, "import", str(JULY), "--no-check")
    for login in ("auditor_li", "accountant_wang"):
        execute(pg_url, f"DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{login}') THEN "
                        f"CREATE ROLE {login} LOGIN; END IF; END $$")
    assert run(pg_url, "db", "grant", "--role", "auditor", "auditor_li").exit_code == 0
    assert run(pg_url, "db", "grant", "--role", "accountant", "accountant_wang").exit_code == 0
    return pg_url


@pytest.mark.one_database("PostgreSQL roles (GRANT); a SQLite file has no users")
def test_auditor_reads_and_reconciles_but_cannot_change_anything(shared_ledger: str, tmp_path: Path) -> None:
    auditor = as_user(shared_ledger, "auditor_li")
    assert len(json.loads(run(auditor, "records", "--format", "json").stdout)["records"]) == 173
    assert run(auditor, "verify").exit_code == 0
    published = tmp_path / "p.yaml"
    published.write_text("period: 2022-07\nfigures:\n  - {count: 173}\n", encoding="utf-8")
    assert run(auditor, "reconcile", str(published)).exit_code == 0  # recorded as the auditor's run
    for statement in ("UPDATE trade_record SET deal_fen = 0", "DELETE FROM trade_record",
                      "INSERT INTO period_event (period, action, reason, operator, at) "
                      "VALUES ('2022-07', 'reopen', 'x', 'x', now())", "UPDATE reconciliation_run SET ok = 0"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            execute(auditor, statement)
    result = run(auditor, "import", str(AUGUST), "--no-check")
    assert result.exit_code == 2 and "permission denied" in result.stderr
    assert len(json.loads(run(shared_ledger, "records", "--format", "json").stdout)["records"]) == 173


@pytest.mark.one_database("PostgreSQL roles (GRANT); a SQLite file has no users")
def test_accountant_appends_but_cannot_update_or_delete(shared_ledger: str) -> None:
    accountant = as_user(shared_ledger, "accountant_wang")
    assert run(accountant, "import", str(AUGUST), "--no-check").exit_code == 0
    record_id = json.loads(run(accountant, "records", "--format", "json").stdout)["records"][0]["id"]
    assert run(accountant, "amend", str(record_id), "--set", "winner=甲", "--reason", "更正").exit_code == 0
    assert run(accountant, "close", "2022-07").exit_code == 0
    for statement in ("UPDATE trade_record SET deal_fen = 0", "DELETE FROM record_amendment",
                      "UPDATE chain_link SET link = 'x'", "DELETE FROM period_event", "TRUNCATE record_total"):
        with pytest.raises(ProgrammingError, match="permission denied"):
            execute(accountant, statement)
    assert run(accountant, "verify").exit_code == 0


def test_grant_needs_postgresql_and_an_existing_login(sqlite_url: str, pg_url: str) -> None:
    run(sqlite_url, "init")
    result = run(sqlite_url, "db", "grant", "--role", "auditor", "x")
    assert result.exit_code == 2 and "enforced by PostgreSQL" in result.stderr
    run(pg_url, "init")
    result = run(pg_url, "db", "grant", "--role", "auditor", "nobody_here")
    assert result.exit_code == 2 and "create the login first" in result.stderr
