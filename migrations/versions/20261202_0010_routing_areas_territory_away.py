"""routing: deal territory, handoff product area and routing reason, away periods

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.add_column(sa.Column("territory", sa.String(length=40), nullable=True))

    with op.batch_alter_table("handoff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("product_area", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("routing_reason", sa.String(length=200), nullable=True))

    op.create_table(
        "away_period",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("ends_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_away_period_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_away_period_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_away_period")),
    )
    with op.batch_alter_table("away_period", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_away_period_person_id"), ["person_id", "ends_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("away_period", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_away_period_person_id"))
    op.drop_table("away_period")

    with op.batch_alter_table("handoff", schema=None) as batch_op:
        batch_op.drop_column("routing_reason")
        batch_op.drop_column("product_area")

    with op.batch_alter_table("deal", schema=None) as batch_op:
        batch_op.drop_column("territory")
