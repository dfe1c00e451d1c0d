"""indexes for the approval history's sorts: edit % and customer name

Sorting the history by edit % or by customer used to sort every decision to
show a page. With these indexes a page walks the edit metrics in edit % order,
or the customers in name order and their drafts (storage/history.py).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_editmetric_edit_pct_review", "editmetric", ["edit_pct", "review_id"])
    op.create_index("ix_customer_name", "customer", ["name"])


def downgrade() -> None:
    op.drop_index("ix_customer_name", table_name="customer")
    op.drop_index("ix_editmetric_edit_pct_review", table_name="editmetric")
