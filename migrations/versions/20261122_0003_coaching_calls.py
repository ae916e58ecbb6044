"""coaching calls: scheduled calls, paraphrase versions, tip deliveries and feedback

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("se_id", sa.Integer(), nullable=True),
        sa.Column(
            "call_type",
            sa.Enum(
                "discovery",
                "demo",
                "technical",
                "negotiation",
                name="calltype",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("length_minutes", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "scheduled",
                "debriefed",
                "cancelled",
                name="callstate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_call_deal_id_deal")),
        sa.ForeignKeyConstraint(["rep_id"], ["person.id"], name=op.f("fk_call_rep_id_person")),
        sa.ForeignKeyConstraint(["se_id"], ["person.id"], name=op.f("fk_call_se_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_call_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call")),
    )
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_call_deal_id"), ["deal_id", "starts_at"], unique=False)

    op.create_table(
        "paraphrase",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("findings", sa.Text(), nullable=False),
        sa.Column("se_id", sa.Integer(), nullable=True),
        sa.Column("sent_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("correction", sa.Text(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["person.id"], name=op.f("fk_paraphrase_author_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("fk_paraphrase_call_id_call"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"], ["person.id"], name=op.f("fk_paraphrase_confirmed_by_id_person")
        ),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_paraphrase_deal_id_deal")),
        sa.ForeignKeyConstraint(["se_id"], ["person.id"], name=op.f("fk_paraphrase_se_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_paraphrase_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_paraphrase")),
        sa.UniqueConstraint("deal_id", "version", name=op.f("uq_paraphrase_deal_id_version")),
    )

    op.create_table(
        "tip_delivery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=True),
        sa.Column("tip_id", sa.String(length=48), nullable=False),
        sa.Column("delivered_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("fk_tip_delivery_call_id_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_tip_delivery_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_delivery")),
    )
    with op.batch_alter_table("tip_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tip_delivery_person_id"), ["person_id", "delivered_at"], unique=False
        )

    op.create_table(
        "tip_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("call_id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.String(length=48), nullable=False),
        sa.Column("helpful", sa.Boolean(), nullable=False),
        sa.Column("at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["call.id"],
            name=op.f("fk_tip_feedback_call_id_call"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_tip_feedback_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tip_feedback")),
        sa.UniqueConstraint(
            "person_id",
            "call_id",
            "tip_id",
            name=op.f("uq_tip_feedback_person_id_call_id_tip_id"),
        ),
    )
    with op.batch_alter_table("tip_feedback", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tip_feedback_tip_id"), ["tip_id"], unique=False)

    # New kinds of due work (precall_tips, debrief_request) and the "missed" state need no
    # DDL: enums are stored as plain strings.
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.add_column(sa.Column("call_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_due_work_call_id"), ["call_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_due_work_call_id_call"),
            "call",
            ["call_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_due_work_call_id_call"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_due_work_call_id"))
        batch_op.drop_column("call_id")

    with op.batch_alter_table("tip_feedback", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_feedback_tip_id"))

    op.drop_table("tip_feedback")
    with op.batch_alter_table("tip_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tip_delivery_person_id"))

    op.drop_table("tip_delivery")
    op.drop_table("paraphrase")
    with op.batch_alter_table("call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_deal_id"))

    op.drop_table("call")
