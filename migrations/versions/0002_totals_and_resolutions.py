"""Issue 3: record totals, quarantine resolutions, 合计 checks; bidders, titles and held rows' keys; the
record content hash over fields joined by U+001F (was JSON); trade_record keeps only its natural-key index.

Revision ID: 0002_totals_and_resolutions
"""

from __future__ import annotations

import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0002_totals_and_resolutions"
down_revision = "0001_first_release"
branch_labels = None
depends_on = None

#: the record fields the content hash covers, in order, as of this revision (frozen here on purpose)
HASHED = ("category", "subcategory", "project_code", "section_code", "name", "region", "status", "method",
          "budget_fen", "control_price_fen", "reserve_fen", "deal_fen", "winner", "trade_date", "bidders")


def _rehash(conn: sa.Connection) -> None:
    """Recompute every record's content hash in the new form, so re-imports still find them unchanged."""
    records = sa.table("trade_record", sa.column("id", sa.Integer), sa.column("trade_date", sa.Date),
                       sa.column("content_sha256", sa.String),
                       *(sa.column(c) for c in HASHED if c != "trade_date"))
    rows = conn.execute(sa.select(records.c.id, *(records.c[c] for c in HASHED))).all()
    updates = []
    for row in rows:
        text = "\x1f".join("\x00" if v is None else str(v) for v in row[1:])
        updates.append({"record_id": row[0], "digest": hashlib.sha256(text.encode()).hexdigest()})
    if updates:
        conn.execute(records.update().where(records.c.id == sa.bindparam("record_id"))
                     .values(content_sha256=sa.bindparam("digest")), updates)


def upgrade() -> None:
    op.add_column("import_batch", sa.Column("title", sa.String))
    op.add_column("trade_record", sa.Column("bidders", sa.Integer))
    for column in ("batch_id", "category", "region", "period"):
        op.drop_index(f"ix_trade_record_{column}", table_name="trade_record")
    for column in ("category", "project_code", "section_code"):
        op.add_column("quarantined_row", sa.Column(column, sa.String))
    op.create_index("ix_quarantined_row_project_code", "quarantined_row", ["project_code"])
    op.create_table(
        "record_total",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("category", sa.String, nullable=False), sa.Column("subcategory", sa.String),
        sa.Column("region", sa.String), sa.Column("period", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False),
        *(sa.Column(c, sa.Boolean, nullable=False) for c in ("has_budget", "has_control_price", "has_reserve",
                                                            "has_deal", "has_bidders")),
        sa.Column("records", sa.Integer, nullable=False),
        *(sa.Column(c, sa.BigInteger, nullable=False) for c in ("budget_fen", "control_price_fen", "reserve_fen",
                                                               "deal_fen", "bidders")))
    op.create_index("ix_record_total_batch_id", "record_total", ["batch_id"])
    op.create_table(
        "quarantine_resolution",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("quarantined_row_id", sa.Integer, sa.ForeignKey("quarantined_row.id"), nullable=False,
                  unique=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("how", sa.String, nullable=False), sa.Column("resolved_at", sa.DateTime, nullable=False))
    op.create_index("ix_quarantine_resolution_batch_id", "quarantine_resolution", ["batch_id"])
    op.create_table(
        "import_total",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("batch_id", sa.Integer, sa.ForeignKey("import_batch.id"), nullable=False),
        sa.Column("source_sheet", sa.String, nullable=False), sa.Column("source_row", sa.Integer, nullable=False),
        *(sa.Column(c, sa.String, nullable=False) for c in ("label", "column_name", "unit", "stated", "rows_sum",
                                                           "difference")),
        sa.Column("record_rows", sa.Integer, nullable=False), sa.Column("held_rows", sa.Integer, nullable=False),
        sa.Column("status", sa.String, nullable=False))
    op.create_index("ix_import_total_batch_id", "import_total", ["batch_id"])
    _rehash(op.get_bind())  # record totals are rebuilt by `ggzy init` once the current_record view exists
