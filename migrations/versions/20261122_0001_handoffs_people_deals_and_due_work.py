"""handoffs, people, deals and due work

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import bot.db.base

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "workspace",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slack_team_id", sa.String(length=32), nullable=False),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workspace")),
        sa.UniqueConstraint("slack_team_id", name=op.f("uq_workspace_slack_team_id")),
    )
    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("slack_user_id", sa.String(length=32), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum("rep", "se", "se_manager", "other", name="role", native_enum=False, length=24),
            nullable=False,
        ),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("profile_fetched_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_person_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
        sa.UniqueConstraint(
            "workspace_id", "slack_user_id", name=op.f("uq_person_workspace_id_slack_user_id")
        ),
    )
    op.create_table(
        "deal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=150), nullable=False),
        sa.Column("name_key", sa.String(length=150), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=True),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["person.id"], name=op.f("fk_deal_owner_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_deal_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deal")),
        sa.UniqueConstraint("workspace_id", "name_key", name=op.f("uq_deal_workspace_id_name_key")),
    )
    op.create_table(
        "handoff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("rep_id", sa.Integer(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "open",
                "accepted",
                "declined",
                "resolved",
                name="handoffstate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("business_impact", sa.Text(), nullable=True),
        sa.Column("tried", sa.Text(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deal_value", sa.BigInteger(), nullable=True),
        sa.Column("rep_hours", sa.Double(), nullable=False),
        sa.Column("assignment", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=True),
        sa.Column("message_ts", sa.String(length=32), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("closed_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["person.id"], name=op.f("fk_handoff_assignee_id_person")
        ),
        sa.ForeignKeyConstraint(["deal_id"], ["deal.id"], name=op.f("fk_handoff_deal_id_deal")),
        sa.ForeignKeyConstraint(["rep_id"], ["person.id"], name=op.f("fk_handoff_rep_id_person")),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_handoff_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff")),
    )
    with op.batch_alter_table("handoff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoff_assignee_id"), ["assignee_id", "state"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_handoff_rep_id"), ["rep_id", "state"], unique=False)

    op.create_table(
        "due_work",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "handoff_acknowledge",
                "handoff_escalate",
                "handoff_deadline",
                name="dueworkkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("dedupe_key", sa.String(length=200), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=True),
        sa.Column("recipient_slack_id", sa.String(length=32), nullable=False),
        sa.Column("due_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "due",
                "claimed",
                "sent",
                "cancelled",
                "failed",
                name="dueworkstate",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("claimed_by", sa.String(length=100), nullable=True),
        sa.Column("claimed_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("sent_at", bot.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoff.id"],
            name=op.f("fk_due_work_handoff_id_handoff"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_due_work_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_due_work")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_due_work_dedupe_key")),
    )
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_due_work_handoff_id"), ["handoff_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_due_work_state"), ["state", "due_at"], unique=False)

    op.create_table(
        "handoff_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handoff_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "opened",
                "accepted",
                "declined",
                "resolved",
                "reassigned",
                "detail_requested",
                "detail_given",
                "nudged",
                "escalated",
                "deadline_passed",
                name="handoffeventkind",
                native_enum=False,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("at", bot.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["person.id"], name=op.f("fk_handoff_event_actor_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["handoff_id"],
            ["handoff.id"],
            name=op.f("fk_handoff_event_handoff_id_handoff"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_event")),
    )
    with op.batch_alter_table("handoff_event", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoff_event_handoff_id"), ["handoff_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("handoff_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_event_handoff_id"))

    op.drop_table("handoff_event")
    with op.batch_alter_table("due_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_due_work_state"))
        batch_op.drop_index(batch_op.f("ix_due_work_handoff_id"))

    op.drop_table("due_work")
    with op.batch_alter_table("handoff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_rep_id"))
        batch_op.drop_index(batch_op.f("ix_handoff_assignee_id"))

    op.drop_table("handoff")
    op.drop_table("deal")
    op.drop_table("person")
    op.drop_table("workspace")
