"""delivery attempts, mailbox state, edit metrics, outbox refusals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

WRITE_ONCE = ("deliveryattempt", "editmetric")


def _write_once(dialect: str, table: str) -> None:
    if dialect == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER {table}_append_only_{verb.lower()} BEFORE {verb} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"
            )
    else:
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
    op.add_column("outboxmessage", sa.Column("refused", sa.String(), nullable=False, server_default=""))
    op.add_column("outboxmessage", sa.Column("sent_by", sa.String(length=80), nullable=False, server_default=""))
    op.create_table(
        "deliveryattempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("actor", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["outbox_id"], ["outboxmessage.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deliveryattempt_outbox_id", "deliveryattempt", ["outbox_id"])
    op.create_table(
        "mailboxstate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account", sa.String(length=320), nullable=False),
        sa.Column("folder", sa.String(length=255), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=False),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("account", "folder", name="uq_mailbox_account_folder"),
    )
    op.create_table(
        "editmetric",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("ai_revision_id", sa.Integer(), nullable=True),
        sa.Column("final_revision_id", sa.Integer(), nullable=False),
        sa.Column("words_ai", sa.Integer(), nullable=False),
        sa.Column("words_final", sa.Integer(), nullable=False),
        sa.Column("edit_pct", sa.Float(), nullable=False),
        sa.Column("empathy_added", sa.String(), nullable=False),
        sa.Column("commitments_added", sa.String(), nullable=False),
        sa.Column("commitments_removed", sa.String(), nullable=False),
        sa.Column("findings_resolved", sa.String(), nullable=False),
        sa.Column("findings_overridden", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["review_id"], ["review.id"]),
        sa.ForeignKeyConstraint(["draft_id"], ["draft.id"]),
        sa.ForeignKeyConstraint(["ai_revision_id"], ["revision.id"]),
        sa.ForeignKeyConstraint(["final_revision_id"], ["revision.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("review_id"),
    )
    op.create_index("ix_editmetric_draft_id", "editmetric", ["draft_id"])
    for table in WRITE_ONCE:
        _write_once(dialect, table)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for table in WRITE_ONCE:
        if dialect == "sqlite":
            for verb in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only_{verb}")
        else:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.drop_index("ix_editmetric_draft_id", table_name="editmetric")
    op.drop_table("editmetric")
    op.drop_table("mailboxstate")
    op.drop_index("ix_deliveryattempt_outbox_id", table_name="deliveryattempt")
    op.drop_table("deliveryattempt")
    # SQLite >= 3.35 and PostgreSQL drop plain columns in place.
    op.execute("ALTER TABLE outboxmessage DROP COLUMN sent_by")
    op.execute("ALTER TABLE outboxmessage DROP COLUMN refused")
