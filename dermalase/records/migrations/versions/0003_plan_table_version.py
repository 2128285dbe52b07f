"""Plans keep the column response tables' model version.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

A nullable column: plans stored before this revision keep None (unknown), as do plans
made by another dermalase version than the one that stores them.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add plan.table_version."""
    with op.batch_alter_table("plan") as batch:
        batch.add_column(sa.Column("table_version", sa.String(length=40), nullable=True))


def downgrade() -> None:
    """Drop plan.table_version."""
    with op.batch_alter_table("plan") as batch:
        batch.drop_column("table_version")
