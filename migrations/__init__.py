"""Schema migrations (alembic). `ggzy init` runs them: a new ledger is created at the head revision, an
existing one is upgraded; a ledger made before migrations existed is recognised by its tables first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from sqlmodel import SQLModel

HERE = Path(__file__).resolve().parent


def _config(conn: Any) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = conn
    return config


def revision_of_unversioned(tables: set[str]) -> str:
    """The revision a ledger made before migrations existed is at, from the tables it has."""
    if "record_amendment" in tables:
        return "0003_audit_trail"
    if "record_total" in tables:
        return "0002_totals_and_resolutions"
    return "0001_first_release"


def migrate(conn: Any) -> list[str]:
    """Bring the ledger on ``conn`` to the head revision; returns the revisions applied (empty: up to date)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = _config(conn)
    tables = set(inspect(conn).get_table_names())
    if "trade_record" not in tables:  # a new ledger: the current models, stamped as the head
        SQLModel.metadata.create_all(conn)
        command.stamp(config, "head")
        return ["head (new ledger)"]
    if "alembic_version" not in tables:
        command.stamp(config, revision_of_unversioned(tables))
    before = MigrationContext.configure(conn).get_current_revision()
    command.upgrade(config, "head")
    after = MigrationContext.configure(conn).get_current_revision()
    return [] if before == after else [f"{before} → {after}"]
