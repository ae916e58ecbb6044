"""qualification: deal frameworks, answers, and gap nudges per deal

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

``due_work.kind`` gains the value "qualification_gaps"; it is a plain VARCHAR(24)
(a non-native enum without a CHECK constraint), so that needs no DDL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deal_framework",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=40), nullable=False),
        sa.Column("chosen_by_id", sa.Integer(), nullable=True),
        sa.Column("chosen_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["chosen_by_id"], ["person.id"], name=op.f("fk_deal_framework_chosen_by_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
            name=op.f("fk_deal_framework_deal_id_deal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal_framework")),
        sa.UniqueConstraint("deal_id", name=op.f("uq_deal_framework_deal_id")),
    )
    op.create_table(
        "qualification_answer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("framework", sa.String(length=40), nullable=False),
        sa.Column("item_key", sa.String(length=40), nullable=False),
        sa.Column(
            "answer",
            sa.Enum("yes", "no", "unknown", name="answer", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("evidence", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=False),
        sa.Column("answered_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["person.id"],
            name=op.f("fk_qualification_answer_answered_by_id_person"),
        ),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deal.id"],
            name=op.f("fk_qualification_answer_deal_id_deal"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qualification_answer")),
    )
    with op.batch_alter_table("qualification_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_qualification_answer_deal_id"),
            ["deal_id", "framework", "item_key"],
            unique=False,
        )

    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.add_column(sa.Column("deal_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_due_work_deal_id_deal"), "deal", ["deal_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_index(batch_op.f("ix_due_work_deal_id"), ["deal_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_due_work_deal_id"))
        batch_op.drop_constraint(batch_op.f("fk_due_work_deal_id_deal"), type_="foreignkey")
        batch_op.drop_column("deal_id")

    with op.batch_alter_table("qualification_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_qualification_answer_deal_id"))

    op.drop_table("qualification_answer")
    op.drop_table("deal_framework")
