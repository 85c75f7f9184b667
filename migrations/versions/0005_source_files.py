"""Issue 16: the imported files themselves are kept in the ledger (source_file: each file's bytes once, by SHA-256,
in parts), with each batch's size of it and the names of its sheets' columns, so a record's source row can be
shown cell by cell and the original file written back out; an amendment keeps the money unit it was given in.

Existing rows keep NULL in the new columns (their files were not kept; their amendments show 元): the hash chain
covers every column, and a later column enters a row's digest only when it holds a value, so the links written
before this revision still verify.

Revision ID: 0005_source_files
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_source_files"
down_revision = "0004_reimport_and_profiles"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_file",
        sa.Column("id", sa.Integer, primary_key=True), sa.Column("sha256", sa.String, nullable=False),
        sa.Column("part", sa.Integer, nullable=False), sa.Column("data", sa.LargeBinary, nullable=False))
    op.create_index("uq_source_file_part", "source_file", ["sha256", "part"], unique=True)
    op.add_column("import_batch", sa.Column("source_bytes", sa.BigInteger))
    op.add_column("import_batch", sa.Column("sheet_columns", sa.Text))
    op.add_column("record_amendment", sa.Column("unit", sa.String))
