"""Issue 6: amendments and voids, period close/reopen events, the hash chain.

Revision ID: 0003_audit_trail
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_audit_trail"
down_revision = "0002_totals_and_resolutions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "record_amendment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("record_id", sa.Integer, sa.ForeignKey("trade_record.id"), nullable=False),
        sa.Column("kind", sa.String, nullable=False), sa.Column("category", sa.String, nullable=False),
        sa.Column("subcategory", sa.String), sa.Column("project_code", sa.String, nullable=False),
        sa.Column("section_code", sa.String, nullable=False), sa.Column("name", sa.String),
        sa.Column("region", sa.String), sa.Column("status", sa.String, nullable=False), sa.Column("method", sa.String),
        *(sa.Column(c, sa.BigInteger) for c in ("budget_fen", "control_price_fen", "reserve_fen", "deal_fen")),
        sa.Column("winner", sa.String), sa.Column("bidders", sa.Integer),
        sa.Column("trade_date", sa.Date, nullable=False), sa.Column("period", sa.String, nullable=False),
        sa.Column("changes_json", sa.Text, nullable=False), sa.Column("reason", sa.Text, nullable=False),
        sa.Column("operator", sa.String, nullable=False), sa.Column("created_at", sa.DateTime, nullable=False))
    op.create_index("ix_record_amendment_record_id", "record_amendment", ["record_id"])
    op.create_table(
        "period_event",
        sa.Column("id", sa.Integer, primary_key=True), sa.Column("period", sa.String, nullable=False),
        sa.Column("action", sa.String, nullable=False), sa.Column("reason", sa.Text, nullable=False),
        sa.Column("operator", sa.String, nullable=False), sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("digest", sa.String))
    op.create_index("ix_period_event_period", "period_event", ["period"])
    op.create_table(
        "chain_link",
        sa.Column("id", sa.Integer, primary_key=True), sa.Column("kind", sa.String, nullable=False),
        sa.Column("ref_id", sa.Integer, nullable=False), sa.Column("content_sha256", sa.String, nullable=False),
        sa.Column("previous", sa.String, nullable=False), sa.Column("link", sa.String, nullable=False, unique=True))
