"""drafting provenance: context snapshots, generation records, read-path indexes

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

WRITE_ONCE = ("contextsnapshot", "generation")


def _write_once_up(dialect: str) -> None:
    """Snapshots and provenance are evidence: refuse UPDATE and DELETE like the chained tables."""
    for table in WRITE_ONCE:
        if dialect == "sqlite":
            for verb in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER {table}_append_only_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
                )
        else:
            # latido_append_only() was created by migration 0001.
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION latido_append_only()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION latido_append_only()"
            )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "contextsnapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("data", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["draft.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contextsnapshot_draft_id", "contextsnapshot", ["draft_id"])
    op.create_table(
        "generation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=True),
        sa.Column("snapshot_id", sa.Integer(), nullable=True),
        sa.Column("purpose", sa.String(length=40), nullable=False),
        sa.Column("provider", sa.String(length=40), nullable=False),
        sa.Column("model", sa.String(length=200), nullable=False),
        sa.Column("base_url_host", sa.String(length=255), nullable=False),
        sa.Column("prompt_hash", sa.String(length=64), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("first_token_ms", sa.Float(), nullable=True),
        sa.Column("prompt_tokens", sa.Integer(), nullable=False),
        sa.Column("completion_tokens", sa.Integer(), nullable=False),
        sa.Column("finish_reason", sa.String(length=24), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["draft.id"]),
        sa.ForeignKeyConstraint(["revision_id"], ["revision.id"]),
        sa.ForeignKeyConstraint(["snapshot_id"], ["contextsnapshot.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_generation_draft_id", "generation", ["draft_id"])
    op.create_index("ix_generation_revision_id", "generation", ["revision_id"])
    _write_once_up(dialect)
    # Read paths of the conversation view and the filtered inbox.
    op.create_index("ix_interaction_customer_channel", "interaction", ["customer_id", "channel", "direction", "occurred_at"])
    op.create_index("ix_workitem_customer_status", "workitem", ["customer_id", "status"])
    op.create_index("ix_workitem_status_escalated_received", "workitem", ["status", "escalated", "received_at"])
    # Snapshots now have their own table; SQLite >= 3.35 and PostgreSQL both drop a plain column in place,
    # which avoids rebuilding `draft` while other tables point at it.
    op.execute("ALTER TABLE draft DROP COLUMN context_snapshot")


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.execute("ALTER TABLE draft ADD COLUMN context_snapshot VARCHAR DEFAULT '' NOT NULL")
    op.drop_index("ix_workitem_status_escalated_received", table_name="workitem")
    op.drop_index("ix_workitem_customer_status", table_name="workitem")
    op.drop_index("ix_interaction_customer_channel", table_name="interaction")
    for table in WRITE_ONCE:
        if dialect == "sqlite":
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{verb}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_index("ix_generation_revision_id", table_name="generation")
    op.drop_index("ix_generation_draft_id", table_name="generation")
    op.drop_table("generation")
    op.drop_index("ix_contextsnapshot_draft_id", table_name="contextsnapshot")
    op.drop_table("contextsnapshot")
