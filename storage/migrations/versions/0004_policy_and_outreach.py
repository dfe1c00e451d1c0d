"""approval policy rules, outreach batches, customer time zones, per-draft sameness, DM signature

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policyrule",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=80), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=80), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_table(
        "outreachbatch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("brief", sa.String(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("selection", sa.String(), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("rate_per_hour", sa.Integer(), nullable=False),
        sa.Column("send_after", sa.DateTime(timezone=True), nullable=True),
        sa.Column("window_start_hour", sa.Integer(), nullable=False),
        sa.Column("window_end_hour", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.add_column("customer", sa.Column("timezone", sa.String(length=64), nullable=False, server_default=""))
    op.add_column("draft", sa.Column("sameness", sa.Float(), nullable=True))
    op.add_column("voiceguide", sa.Column("signature_dm", sa.String(), nullable=False, server_default=""))


def downgrade() -> None:
    # SQLite >= 3.35 and PostgreSQL drop plain columns in place.
    op.execute("ALTER TABLE voiceguide DROP COLUMN signature_dm")
    op.execute("ALTER TABLE draft DROP COLUMN sameness")
    op.execute("ALTER TABLE customer DROP COLUMN timezone")
    op.drop_table("outreachbatch")
    op.drop_table("policyrule")
