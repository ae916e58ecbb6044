"""product gaps and the weekly report

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "gap_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("feature_area", sa.String(length=60), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_gap_group_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gap_group")),
    )
    with op.batch_alter_table("gap_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_gap_group_workspace_id"), ["workspace_id", "feature_area"], unique=False
        )

    op.create_table(
        "product_gap",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("logged_by_id", sa.Integer(), nullable=False),
        sa.Column("logged_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("feature_area", sa.String(length=60), nullable=False),
        sa.Column("area_detail", sa.String(length=100), nullable=True),
        sa.Column("description", sa.String(length=200), nullable=False),
        sa.Column(
            "weight",
            sa.Enum(
                "deal_breaker",
                "challenge",
                "nice_to_have",
                name="gapweight",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("deal_value", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["deal_id"], ["deal.id"], name=op.f("fk_product_gap_deal_id_deal"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["group_id"], ["gap_group.id"], name=op.f("fk_product_gap_group_id_gap_group")
        ),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoff.id"],
            name=op.f("fk_product_gap_handoff_id_handoff"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["logged_by_id"], ["person.id"], name=op.f("fk_product_gap_logged_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_product_gap_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_gap")),
    )
    with op.batch_alter_table("product_gap", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_gap_deal_id"), ["deal_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_product_gap_group_id"), ["group_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_product_gap_workspace_id"), ["workspace_id", "logged_at"], unique=False
        )

    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("weekly_report_off", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("weekly_report_off")

    with op.batch_alter_table("product_gap", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_product_gap_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_product_gap_group_id"))
        batch_op.drop_index(batch_op.f("ix_product_gap_deal_id"))

    op.drop_table("product_gap")
    with op.batch_alter_table("gap_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_gap_group_workspace_id"))

    op.drop_table("gap_group")
