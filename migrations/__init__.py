"""Schema migrations (alembic). `ggzy init` runs them: a new ledger is created at the head revision, an
existing one is upgraded; a ledger made before migrations existed is recognised by its tables first.

The ledger's tables are passed in (``metadata``) rather than imported, so this package imports nothing of
ggzy's: the ledger uses the migrations, never the other way round."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, inspect

HERE = Path(__file__).resolve().parent


def _config(conn: Any, metadata: MetaData) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["connection"] = conn
    config.attributes["metadata"] = metadata  # env.py's target_metadata
    return config


def revision_of_unversioned(tables: set[str]) -> str:
    """The revision a ledger made before migrations existed is at, from the tables it has."""
    if "record_amendment" in tables:
        return "0003_audit_trail"
    if "record_total" in tables:
        return "0002_totals_and_resolutions"
    return "0001_first_release"


def migrate(conn: Any, metadata: MetaData) -> list[str]:
    """Bring the ledger on ``conn`` to the head revision; returns the revisions applied (empty: up to date).
    ``metadata``: the ledger's tables as the code defines them (a new ledger is created from them)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    config = _config(conn, metadata)
    tables = set(inspect(conn).get_table_names())
    if "trade_record" not in tables:  # a new ledger: the current models, stamped as the head
        metadata.create_all(conn)
        command.stamp(config, "head")
        return ["head (new ledger)"]
    if "alembic_version" not in tables:
        command.stamp(config, revision_of_unversioned(tables))
    before = MigrationContext.configure(conn).get_current_revision()
    command.upgrade(config, "head")
    after = MigrationContext.configure(conn).get_current_revision()
    return [] if before == after else [f"{before} → {after}"]
