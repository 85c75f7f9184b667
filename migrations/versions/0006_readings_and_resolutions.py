"""Issue 15 follow-ups: a batch records the digest of the vocabulary it was read with (a file already imported is
read again when the vocabulary changed since, and when that reading changes nothing, nothing is written); a
resolved held row names the record it was resolved onto, and a resolution the user confirmed (`ggzy resolve`)
keeps its author and reason and is a link of the hash chain.

Existing rows keep NULL in the new columns: the hash chain covers every column, and a later column enters a
row's digest only when it holds a value, so the links written before this revision still verify.

Revision ID: 0006_readings_and_resolutions
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_readings_and_resolutions"
down_revision = "0005_source_files"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("import_batch", sa.Column("vocabulary_sha256", sa.String))
    if op.get_bind().dialect.name == "sqlite":  # SQLite adds a reference only with the column, written inline
        op.execute("ALTER TABLE quarantine_resolution ADD COLUMN record_id INTEGER REFERENCES trade_record (id)")
    else:
        op.add_column("quarantine_resolution",
                      sa.Column("record_id", sa.Integer, sa.ForeignKey("trade_record.id")))
    op.add_column("quarantine_resolution", sa.Column("operator", sa.String))
    op.add_column("quarantine_resolution", sa.Column("reason", sa.Text))
