"""The ledger's schema: created or upgraded by `ggzy init` (alembic migrations, the current_record view, record
totals and chain links of older ledgers), and required to be there by every other command."""

from __future__ import annotations

from pathlib import Path

from ggzy.errors import LedgerError
from ggzy.ledger.chain import link_unchained_batches
from ggzy.ledger.queries import current_record_sql
from ggzy.ledger.record_totals import needs_rebuild, rebuild
from ggzy.ledger.store import describe, write_failure
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
            applied = migrate(conn)
            conn.exec_driver_sql(current_record_sql())
            if needs_rebuild(conn):
                rebuild(conn)
            link_unchained_batches(conn)  # a ledger from before the hash chain: its batches join it
    except OperationalError as exc:
        raise write_failure(exc, describe(engine)) from None
    return applied


def require_schema(engine: Engine) -> None:
    """Refuse to work on a ledger that was never initialised (clear message, exit 2)."""
    try:
        tables = set(inspect(engine).get_table_names())
    except OperationalError as exc:
        raise LedgerError(f"cannot open ledger {describe(engine)}: {exc.orig}") from None
    missing = {t.name for t in SQLModel.metadata.sorted_tables} - tables
    if not missing and "current_record" not in set(inspect(engine).get_view_names()):
        missing = {"current_record"}
    if missing:
        raise LedgerError(
            f"ledger {describe(engine)} is not initialised (missing {', '.join(sorted(missing))}): "
            "run `ggzy init` first"
        )
