"""alembic environment: migrations run on the connection `ggzy init` passes in (never a URL from a file)."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes["connection"]
# the ledger's tables, handed over by ggzy.migrations.migrate (this package imports nothing of the ledger's)
context.configure(connection=connection, target_metadata=context.config.attributes["metadata"])
with context.begin_transaction():
    context.run_migrations()
