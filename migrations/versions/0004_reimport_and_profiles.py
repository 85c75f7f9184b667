"""Issue 15: a voided record's key can be imported again as the record's next version (record_amendment carries
a version number and the provenance of the version it holds); a batch is a file read under one profile
(import_batch.profile_sha256; unique with the file's SHA-256 and the reading's number instead of the SHA-256
alone: a file is read again when a conflict it held had its record corrected since).

Existing rows keep NULL in the new columns: the hash chain covers every column, and a later column enters a
row's digest only when it holds a value, so the links written before this revision still verify.

Revision ID: 0004_reimport_and_profiles
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_reimport_and_profiles"
down_revision = "0003_audit_trail"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("import_batch", sa.Column("profile_sha256", sa.String))
    op.add_column("import_batch", sa.Column("reading", sa.Integer))
    op.drop_index("ix_import_batch_sha256", table_name="import_batch")
    op.create_index("ix_import_batch_sha256", "import_batch", ["sha256"])
    op.create_index("uq_import_batch_reading", "import_batch", ["sha256", "profile_sha256", "reading"], unique=True)
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only with the column, written inline
        op.execute("ALTER TABLE record_amendment ADD COLUMN batch_id INTEGER REFERENCES import_batch (id)")
    else:
        op.add_column("record_amendment", sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id")))
    for column in (sa.Column("version", sa.Integer), sa.Column("source_file", sa.String),
                   sa.Column("source_sheet", sa.String), sa.Column("source_row", sa.Integer),
                   sa.Column("content_sha256", sa.String)):
        op.add_column("record_amendment", column)
    op.drop_index("ix_record_amendment_record_id", table_name="record_amendment")
    op.create_index("uq_record_amendment_version", "record_amendment", ["record_id", "version"], unique=True)
