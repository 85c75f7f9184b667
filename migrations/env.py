"""alembic environment: migrations run on the connection `ggzy init` passes in (never a URL from a file)."""

from __future__ import annotations

import ggzy.ledger.models  # noqa: F401  (registers the tables)
from alembic import context
from sqlmodel import SQLModel

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=SQLModel.metadata)
with context.begin_transaction():
    context.run_migrations()
