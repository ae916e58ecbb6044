"""routing: handoffs waiting for an SE manager to pick an SE

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unrouted_handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("deal_name", sa.String(length=200), nullable=False),
        sa.Column("draft", sa.Text(), nullable=False),
        sa.Column("product_area", sa.String(length=40), nullable=True),
        sa.Column("territory", sa.String(length=40), nullable=True),
        sa.Column("notices", sa.Text(), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("routed_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoff.id"],
            name=op.f("fk_unrouted_handoff_handoff_id_handoff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["rep_id"],
            ["person.id"],
            name=op.f("fk_unrouted_handoff_rep_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_unrouted_handoff_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unrouted_handoff")),
    )


def downgrade() -> None:
    op.drop_table("unrouted_handoff")
