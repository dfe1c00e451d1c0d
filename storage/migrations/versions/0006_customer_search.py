"""per-customer full-text search: interaction_fts also indexes customer_id (SQLite)

A customer's older history used to be found by matching the message's words
across every customer's interactions and then keeping that customer's rows: on
a million interactions that walks hundreds of thousands of matches to keep a
dozen. With customer_id as a third FTS5 column, `customer_id : "42" AND ...`
walks that customer's rows only (storage/search.py).

PostgreSQL needs no new index: with the customer named in the query, the
planner reads the customer's rows through ix_interaction_customer_time and
rechecks the tsvector on those few rows.

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

_TRIGGERS = ("insert", "delete", "update")


def _recreate(columns: tuple[str, ...]) -> None:
    """interaction_fts over `columns`, rebuilt from the interaction table, and the triggers that keep it in step."""
    for suffix in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS interaction_fts_{suffix}")
    op.execute("DROP TABLE IF EXISTS interaction_fts")
    names = ", ".join(columns)
    op.execute(
        f"CREATE VIRTUAL TABLE interaction_fts USING fts5({names}, content='interaction', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    # An external-content table reindexes itself from the content table.
    op.execute("INSERT INTO interaction_fts(interaction_fts) VALUES ('rebuild')")
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    # Every name in these statements is one of this file's constants; nothing comes from outside.
    insert = f"INSERT INTO interaction_fts(rowid, {names}) VALUES (new.id, {new});"  # noqa: S608
    delete = f"INSERT INTO interaction_fts(interaction_fts, rowid, {names}) VALUES ('delete', old.id, {old});"  # noqa: S608
    op.execute(f"CREATE TRIGGER interaction_fts_insert AFTER INSERT ON interaction BEGIN {insert} END")
    op.execute(f"CREATE TRIGGER interaction_fts_delete AFTER DELETE ON interaction BEGIN {delete} END")
    op.execute(f"CREATE TRIGGER interaction_fts_update AFTER UPDATE ON interaction BEGIN {delete} {insert} END")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(("subject", "body", "customer_id"))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _recreate(("subject", "body"))
