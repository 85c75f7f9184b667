"""The ledger's schema: created or upgraded by `ggzy init` (alembic migrations, the current_record view, record
totals and chain links of older ledgers), and required to be there by every other command."""

from __future__ import annotations

from pathlib import Path

from ggzy.errors import LedgerError
from ggzy.ledger.chain import link_unchained_batches
from ggzy.ledger.queries import current_record_sql
from ggzy.ledger.record_totals import needs_rebuild, rebuild
from ggzy.ledger.store import describe, make_engine, no_ledger, write_failure
from ggzy.migrations import migrate
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import SQLModel


def init_schema(engine: Engine) -> list[str]:
    """Create the ledger, or upgrade it through the migrations (idempotent, one transaction); returns the
    revisions applied. Then the current_record view, the record totals of an older ledger and the hash
    chain links of batches from before the chain."""
    if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
        folder = Path(engine.url.database).resolve().parent
        if not folder.is_dir():
            raise LedgerError(f"cannot create ledger {engine.url.database}: folder {folder} does not exist")
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("DROP VIEW IF EXISTS current_record")  # PostgreSQL: a view pins its columns
            applied = migrate(conn, SQLModel.metadata)
            conn.exec_driver_sql(current_record_sql())
            if needs_rebuild(conn):
                rebuild(conn)
            link_unchained_batches(conn)  # a ledger from before the hash chain: its batches join it
    except OperationalError as exc:
        raise write_failure(exc, describe(engine)) from None
    return applied


def require_schema(engine: Engine) -> None:
    """Refuse to work on a database that holds no ledger, or a ledger older than this program (one sentence
    saying what to run, exit 2; the tables' names are the program's business, not the user's)."""
    where = describe(engine)
    try:
        inspector = inspect(engine)
        tables = set(inspector.get_table_names())
        if "trade_record" not in tables:
            raise LedgerError(no_ledger(where))
        views = set(inspector.get_view_names())
        found = {(table, column["name"]) for (_, table), columns in inspector.get_multi_columns().items()
                 for column in columns}
    except OperationalError as exc:
        raise LedgerError(f"cannot open ledger {where}: {str(exc.orig).strip().splitlines()[0]}") from None
    wanted = {(t.name, c.name) for t in SQLModel.metadata.sorted_tables for c in t.columns}
    if wanted - found or "current_record" not in views:
        raise LedgerError(f"the ledger at {where} was made by an older version of ggzy: run `ggzy init` to "
                          "upgrade it (nothing is lost)")


def open_ledger(url: str | None) -> Engine:
    """The engine of an existing, initialised ledger: what every command but ``init`` works on. Never creates
    anything (``make_engine(create=False)``)."""
    engine = make_engine(url, create=False)
    require_schema(engine)
    return engine
