"""The first released schema (issue 2): batches, records, quarantined rows, reconciliation runs.

Revision ID: 0001_first_release
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_first_release"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("file_name", sa.String, nullable=False), sa.Column("sha256", sa.String, nullable=False),
        sa.Column("sheets", sa.String, nullable=False), sa.Column("profile", sa.String, nullable=False),
        sa.Column("operator", sa.String, nullable=False), sa.Column("imported_at", sa.DateTime, nullable=False),
        *(sa.Column(c, sa.Integer, nullable=False) for c in ("rows", "posted", "unchanged", "quarantined",
                                                            "conflicts")))
    op.create_index("ix_import_batch_sha256", "import_batch", ["sha256"], unique=True)
    op.create_table(
        "reconciliation_run",
        sa.Column("id", sa.Integer, primary_key=True), sa.Column("ran_at", sa.DateTime, nullable=False),
        *(sa.Column(c, sa.String, nullable=False) for c in ("operator", "published_file", "published_sha256",
                                                           "rules_file", "period")),
        *(sa.Column(c, sa.Integer, nullable=False) for c in ("ok", "discrepancy", "inconsistent")),
        sa.Column("result_json", sa.Text, nullable=False))
    op.create_table(
        "trade_record",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("category", sa.String, nullable=False), sa.Column("subcategory", sa.String),
        sa.Column("project_code", sa.String, nullable=False), sa.Column("section_code", sa.String, nullable=False),
        sa.Column("name", sa.String), sa.Column("region", sa.String), sa.Column("status", sa.String, nullable=False),
        sa.Column("method", sa.String),
        *(sa.Column(c, sa.BigInteger) for c in ("budget_fen", "control_price_fen", "reserve_fen", "deal_fen")),
        sa.Column("winner", sa.String), sa.Column("trade_date", sa.Date, nullable=False),
        sa.Column("period", sa.String, nullable=False), sa.Column("source_file", sa.String, nullable=False),
        sa.Column("source_sheet", sa.String, nullable=False), sa.Column("source_row", sa.Integer, nullable=False),
        sa.Column("content_sha256", sa.String, nullable=False),
        sa.UniqueConstraint("category", "project_code", "section_code", name="uq_natural_key"))
    for column in ("batch_id", "category", "region", "period"):
        op.create_index(f"ix_trade_record_{column}", "trade_record", [column])
    op.create_table(
        "quarantined_row",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False), sa.Column("source_file", sa.String, nullable=False),
        sa.Column("source_sheet", sa.String, nullable=False), sa.Column("source_row", sa.Integer, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False), sa.Column("raw_json", sa.Text, nullable=False),
        sa.Column("record_json", sa.Text),
        sa.Column("existing_record_id", sa.Integer, sa.ForeignKey("trade_record.id")))
    op.create_index("ix_quarantined_row_batch_id", "quarantined_row", ["batch_id"])
