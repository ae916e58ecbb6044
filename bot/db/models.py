"""Typed models: the database is the source of truth for deals, handoffs and due work."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Enum,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    case,
    func,
    null,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.coaching.qualification import Answer
from bot.db.base import Base
from bot.domain.enums import CallType, Role

SLACK_ID = 32


def _enum(enum: type[StrEnum]) -> Enum:
    """Store a StrEnum as its value in a plain string column (portable, easy to migrate)."""
    return Enum(
        enum,
        native_enum=False,
        length=24,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class HandoffState(StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    RESOLVED = "resolved"


class HandoffEventKind(StrEnum):
    OPENED = "opened"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    RESOLVED = "resolved"
    REASSIGNED = "reassigned"
    DETAIL_REQUESTED = "detail_requested"
    DETAIL_GIVEN = "detail_given"
    NUDGED = "nudged"
    ESCALATED = "escalated"
    SNOOZED = "snoozed"
    DEADLINE_PASSED = "deadline_passed"


class DueWorkKind(StrEnum):
    HANDOFF_ACKNOWLEDGE = "handoff_acknowledge"
    HANDOFF_ESCALATE = "handoff_escalate"
    HANDOFF_DEADLINE = "handoff_deadline"
    QUALIFICATION_GAPS = "qualification_gaps"
    PRECALL_TIPS = "precall_tips"
    DEBRIEF_REQUEST = "debrief_request"
    MANAGER_DIGEST = "manager_digest"


class DueWorkState(StrEnum):
    DUE = "due"
    CLAIMED = "claimed"
    SENT = "sent"
    CANCELLED = "cancelled"
    FAILED = "failed"
    #: Its moment passed before it could be sent (tips for a call that already started).
    MISSED = "missed"


class Workspace(Base):
    __tablename__ = "workspace"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(SLACK_ID), unique=True)
    created_at: Mapped[datetime]
    #: When the workspace removed the app (or revoked its tokens); its rows are forgotten
    #: once the config's grace period has passed, unless it installs the app again.
    uninstalled_at: Mapped[datetime | None]


class Person(Base):
    """Someone in Slack the bot has dealt with; the role comes from config."""

    __tablename__ = "person"
    __table_args__ = (UniqueConstraint("workspace_id", "slack_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.OTHER)
    time_zone: Mapped[str | None] = mapped_column(String(64))
    profile_fetched_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    #: The person's own working hours (``/coach settings``); ``None`` means the team default.
    work_start: Mapped[time | None]
    work_end: Mapped[time | None]
    #: Working days as "mon,tue,wed,thu,fri"; ``None`` means the team default.
    work_days: Mapped[str | None] = mapped_column(String(40))
    #: When set, nudges wait for one daily digest at this local time instead of coming at once.
    digest_at: Mapped[time | None]
    #: A manager who turned the weekly team digest off in ``/coach settings``.
    weekly_report_off: Mapped[bool] = mapped_column(default=False)


class Deal(Base):
    __tablename__ = "deal"
    __table_args__ = (
        UniqueConstraint("workspace_id", "name_key"),
        UniqueConstraint("workspace_id", "crm_vendor", "crm_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(150))
    #: ``name`` folded for lookups, so "ACME corp" and "Acme Corp" are one deal.
    name_key: Mapped[str] = mapped_column(String(150))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    amount: Mapped[int | None] = mapped_column(BigInteger)
    close_date: Mapped[date | None]
    #: The territory or segment it sells in (e.g. EMEA, Mid-market): what routing matches
    #: against the SEs' coverage in ``routing.ses``.
    territory: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime]
    #: Set when the deal comes from a CRM (``hubspot``/``salesforce``); None for a deal
    #: typed in Slack. ``crm_id`` is unique per workspace and vendor.
    crm_vendor: Mapped[str | None] = mapped_column(String(16))
    crm_id: Mapped[str | None] = mapped_column(String(64))
    #: A link a person can open to see the record in the CRM.
    crm_url: Mapped[str | None] = mapped_column(String(500))
    crm_stage: Mapped[str | None] = mapped_column(String(100))
    #: open / won / lost (:class:`bot.crm.model.DealStatus`); nudges stop once not open.
    crm_status: Mapped[str | None] = mapped_column(String(8))
    crm_updated_at: Mapped[datetime | None]
    crm_owner_email: Mapped[str | None] = mapped_column(String(254))
    #: Deleted in the CRM: kept for history, no longer offered or nudged about.
    crm_deleted_at: Mapped[datetime | None]

    owner: Mapped[Person | None] = relationship()


class DealEventKind(StrEnum):
    RENAMED = "renamed"
    #: Another deal was merged into this one (the other no longer exists).
    MERGED = "merged"


class DealEvent(Base):
    """The audit trail of a deal's identity: who renamed or merged it, when, and from what."""

    __tablename__ = "deal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[DealEventKind] = mapped_column(_enum(DealEventKind))
    #: The old name, or the merged deal's id and name and what moved, as JSON.
    detail: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]

    actor: Mapped[Person | None] = relationship()


class Handoff(Base):
    """A technical problem a rep passed to an SE."""

    __tablename__ = "handoff"
    __table_args__ = (
        Index(None, "assignee_id", "state"),
        Index(None, "rep_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    state: Mapped[HandoffState] = mapped_column(_enum(HandoffState), default=HandoffState.OPEN)
    #: The customer's problem, in the customer's words.
    problem: Mapped[str] = mapped_column(Text)
    business_impact: Mapped[str | None] = mapped_column(Text)
    tried: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None]
    #: What the deal is worth to us, in whole currency units.
    deal_value: Mapped[int | None] = mapped_column(BigInteger)
    #: Hours the rep would have spent solving it personally.
    rep_hours: Mapped[float]
    #: A key of ``routing.areas``: what it is about, chosen in the form or read from the problem.
    product_area: Mapped[str | None] = mapped_column(String(40))
    #: Why routing picked the assignee ("covers SSO and EMEA; 2 open handoffs"); ``None``
    #: when the rep named them.
    routing_reason: Mapped[str | None] = mapped_column(String(200))
    #: How many times it has been assigned; part of the key of its SLA nudges.
    assignment: Mapped[int] = mapped_column(default=1)
    #: Where the assignee's card lives; later updates go into its thread.
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: Optimistic lock: two people acting at once cannot both change the same state.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    workspace: Mapped[Workspace] = relationship()
    deal: Mapped[Deal] = relationship()
    rep: Mapped[Person] = relationship(foreign_keys=[rep_id])
    assignee: Mapped[Person] = relationship(foreign_keys=[assignee_id])
    events: Mapped[list[HandoffEvent]] = relationship(
        back_populates="handoff", order_by="HandoffEvent.id", cascade="all, delete-orphan"
    )


class HandoffEvent(Base):
    """The audit trail: who did what to a handoff, and when."""

    __tablename__ = "handoff_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    handoff_id: Mapped[int] = mapped_column(
        ForeignKey("handoff.id", ondelete="CASCADE"), index=True
    )
    #: ``None`` when the bot itself acted (a nudge, an escalation).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[HandoffEventKind] = mapped_column(_enum(HandoffEventKind))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime]

    handoff: Mapped[Handoff] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship()


class DueWork(Base):
    """A message the scheduler must send at ``due_at``: one row per nudge.

    ``dedupe_key`` makes "at most once per item and stage" a database guarantee.
    """

    __tablename__ = "due_work"
    __table_args__ = (Index(None, "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    kind: Mapped[DueWorkKind] = mapped_column(_enum(DueWorkKind))
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    handoff_id: Mapped[int | None] = mapped_column(
        ForeignKey("handoff.id", ondelete="CASCADE"), index=True
    )
    #: The call this message is about (pre-call tips, the debrief request).
    call_id: Mapped[int | None] = mapped_column(
        ForeignKey("call.id", ondelete="CASCADE"), index=True
    )
    #: The deal this message is about (open qualification gaps before its close date).
    deal_id: Mapped[int | None] = mapped_column(
        ForeignKey("deal.id", ondelete="CASCADE"), index=True
    )
    #: The one person this message goes to (an escalation is one row per recipient).
    recipient_slack_id: Mapped[str] = mapped_column(String(SLACK_ID))
    #: Which step of a graduated escalation this row is (1 = the first nudge).
    step: Mapped[int | None]
    due_at: Mapped[datetime]
    state: Mapped[DueWorkState] = mapped_column(_enum(DueWorkState), default=DueWorkState.DUE)
    #: How many times it was sent, or tried and refused (a claim alone does not count).
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    workspace: Mapped[Workspace] = relationship()
    handoff: Mapped[Handoff | None] = relationship()
    deal: Mapped[Deal | None] = relationship()


class Snooze(Base):
    """Someone asked not to be nudged about one item until a moment, and said why."""

    __tablename__ = "snooze"
    __table_args__ = (Index(None, "person_id", "subject", "until"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: What is snoozed, e.g. "handoff:12" (a :class:`bot.domain.subject.Subject`, written out).
    subject: Mapped[str] = mapped_column(String(100))
    until: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    person: Mapped[Person] = relationship()


class AwayPeriod(Base):
    """Someone is away (``/coach away until <date> [reason]``): routing gives them no work."""

    __tablename__ = "away_period"
    __table_args__ = (Index(None, "person_id", "ends_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    #: The last day away, as they said it: a date in their own time zone.
    until: Mapped[date]
    #: The zone ``until`` was read in, and the end of that day there (the moment they are back).
    time_zone: Mapped[str] = mapped_column(String(64))
    ends_at: Mapped[datetime]
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    #: Set when they came back early (``/coach back``) or said a new date.
    ended_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()


class UnroutedHandoff(Base):
    """A handoff no SE fits yet, held until an SE manager picks one ("route this").

    The handoff itself (and its SLA clock) is written only at assignment, so nothing in
    ``handoff`` or ``due_work`` exists without an SE. The draft is kept whole here because
    a Slack button's value (2,000 characters) cannot carry it.
    """

    __tablename__ = "unrouted_handoff"

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    deal_name: Mapped[str] = mapped_column(String(200))
    #: The rep's draft (problem, impact, what was tried, deadline, value, hours) as JSON.
    draft: Mapped[str] = mapped_column(Text)
    product_area: Mapped[str | None] = mapped_column(String(40))
    territory: Mapped[str | None] = mapped_column(String(40))
    #: The "route this" DMs sent to the managers, as a JSON list of [channel, ts].
    notices: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime]
    #: Set once, by the first manager whose pick is saved; later picks are refused.
    routed_at: Mapped[datetime | None]
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoff.id", ondelete="SET NULL"))

    rep: Mapped[Person] = relationship()


class CallState(StrEnum):
    SCHEDULED = "scheduled"
    #: The rep wrote the paraphrase of the customer's problem after it.
    DEBRIEFED = "debriefed"
    CANCELLED = "cancelled"


class Call(Base):
    """A customer call scheduled with `/precall`: tips before it, a debrief request after."""

    __tablename__ = "call"
    __table_args__ = (Index(None, "deal_id", "starts_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    se_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    call_type: Mapped[CallType] = mapped_column(_enum(CallType))
    starts_at: Mapped[datetime]
    length_minutes: Mapped[int]
    state: Mapped[CallState] = mapped_column(_enum(CallState), default=CallState.SCHEDULED)
    created_at: Mapped[datetime]

    workspace: Mapped[Workspace] = relationship()
    deal: Mapped[Deal] = relationship()
    rep: Mapped[Person] = relationship(foreign_keys=[rep_id])
    se: Mapped[Person | None] = relationship(foreign_keys=[se_id])


class Paraphrase(Base):
    """One version of a rep's paraphrase of the customer's problem, and the SE's verdict.

    Every submission is a new version; the deal's confirmed problem is its newest
    confirmed version (the SE's correction, when they wrote one).
    """

    __tablename__ = "paraphrase"
    __table_args__ = (UniqueConstraint("deal_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id"))
    #: The call it debriefs, when it came from one.
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    #: 1, 2, 3 … per deal.
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    #: The reviewer's score, 0-100, and its findings as a JSON list.
    score: Mapped[int]
    findings: Mapped[str] = mapped_column(Text)
    #: The SE asked to confirm it, and where their card is.
    se_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    sent_at: Mapped[datetime | None]
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    message_ts: Mapped[str | None] = mapped_column(String(32))
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    confirmed_at: Mapped[datetime | None]
    #: The SE's own wording, when they corrected it rather than confirming it as written.
    correction: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]

    deal: Mapped[Deal] = relationship()
    author: Mapped[Person] = relationship(foreign_keys=[author_id])
    se: Mapped[Person | None] = relationship(foreign_keys=[se_id])
    confirmed_by: Mapped[Person | None] = relationship(foreign_keys=[confirmed_by_id])

    @hybrid_property
    def confirmed_text(self) -> str | None:
        """What the SE stood behind: their correction, or the rep's words."""
        if self.confirmed_at is None:
            return None
        return self.correction or self.text

    @confirmed_text.inplace.expression
    @classmethod
    def _confirmed_text_in_sql(cls) -> ColumnElement[str | None]:
        """The same, inside a query."""
        said = func.coalesce(func.nullif(cls.correction, ""), cls.text)
        return case((cls.confirmed_at.is_(None), null()), else_=said)


class TipDelivery(Base):
    """A tip that went to someone before a call: what rotation looks at."""

    __tablename__ = "tip_delivery"
    __table_args__ = (Index(None, "person_id", "delivered_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    tip_id: Mapped[str] = mapped_column(String(48))
    delivered_at: Mapped[datetime]


class TipFeedback(Base):
    """Someone pressed Helpful or Not helpful under a tip (pressing again changes it)."""

    __tablename__ = "tip_feedback"
    __table_args__ = (UniqueConstraint("person_id", "call_id", "tip_id"), Index(None, "tip_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    tip_id: Mapped[str] = mapped_column(String(48))
    helpful: Mapped[bool]
    at: Mapped[datetime]


class DealFramework(Base):
    """The qualification checklist a deal is judged by, kept when the team's default changes."""

    __tablename__ = "deal_framework"

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), unique=True)
    #: A key of ``config/checklists/<framework>.yaml``.
    framework: Mapped[str] = mapped_column(String(40))
    chosen_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    chosen_at: Mapped[datetime]


class QualificationAnswer(Base):
    """One answer to one checklist item, never changed afterwards.

    A new answer is a new row, so the history stays; a deal's standing on an item is its
    latest row. Two people answering at once simply add two rows.
    """

    __tablename__ = "qualification_answer"
    __table_args__ = (Index(None, "deal_id", "framework", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"))
    framework: Mapped[str] = mapped_column(String(40))
    item_key: Mapped[str] = mapped_column(String(40))
    answer: Mapped[Answer] = mapped_column(_enum(Answer))
    evidence: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    answered_at: Mapped[datetime]

    answered_by: Mapped[Person] = relationship()


class SeenRequest(Base):
    """A Slack request already handled, by ``trigger_id`` or ``event_id``: a replay or a
    retry of it is answered without a second effect, on any replica, until ``expires_at``."""

    __tablename__ = "seen_request"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class GapWeight(StrEnum):
    """How badly a deal needs the missing feature."""

    DEAL_BREAKER = "deal_breaker"
    CHALLENGE = "challenge"
    NICE_TO_HAVE = "nice_to_have"


class GapGroup(Base):
    """One need, shared by every deal whose gap is linked to it: revenue at stake adds up here."""

    __tablename__ = "gap_group"
    __table_args__ = (Index(None, "workspace_id", "feature_area"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    feature_area: Mapped[str] = mapped_column(String(60))
    #: The first gap's description: how the group is named in reports.
    title: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]


class ProductGap(Base):
    """A feature one deal needs and the product lacks, as someone logged it."""

    __tablename__ = "product_gap"
    __table_args__ = (Index(None, "workspace_id", "logged_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("gap_group.id"), index=True)
    #: The handoff whose resolve/decline form logged it, if any.
    handoff_id: Mapped[int | None] = mapped_column(ForeignKey("handoff.id", ondelete="SET NULL"))
    logged_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    logged_at: Mapped[datetime]
    #: One of the configured areas, or "Other" with ``area_detail`` saying which.
    feature_area: Mapped[str] = mapped_column(String(60))
    area_detail: Mapped[str | None] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200))
    weight: Mapped[GapWeight] = mapped_column(_enum(GapWeight))
    #: The deal's value when the gap was logged, in whole currency units.
    deal_value: Mapped[int | None] = mapped_column(BigInteger)

    deal: Mapped[Deal] = relationship()
    group: Mapped[GapGroup] = relationship()
    logged_by: Mapped[Person] = relationship()


class CrmSyncState(Base):
    """One workspace's CRM sync: where the last one got to, and who is running one now.

    A sync is claimed with one guarded ``UPDATE`` (like due work), so with many replicas
    only one runs it; a claim older than the lease is presumed lost.
    """

    __tablename__ = "crm_sync_state"

    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), primary_key=True
    )
    vendor: Mapped[str] = mapped_column(String(16))
    #: The latest change already synced; the next sync asks for changes after it.
    cursor: Mapped[datetime | None]
    next_due_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None]
    last_finished_at: Mapped[datetime | None]
    #: Set when the CRM refused our credentials: no sync runs until a person clears it
    #: (``dealcoach crm sync`` does, once the credentials are renewed).
    stopped_reason: Mapped[str | None] = mapped_column(Text)


class CrmWriteState(StrEnum):
    DUE = "due"
    CLAIMED = "claimed"
    WRITTEN = "written"
    FAILED = "failed"


class CrmWriteBack(Base):
    """One note to put on a CRM deal record: written once, retried with backoff."""

    __tablename__ = "crm_write_back"
    __table_args__ = (Index(None, "state", "due_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    deal_id: Mapped[int] = mapped_column(ForeignKey("deal.id", ondelete="CASCADE"), index=True)
    #: What it records: paraphrase, qualification, handoff_opened, handoff_resolved, gap.
    kind: Mapped[str] = mapped_column(String(32))
    #: Makes "never twice" a database guarantee (e.g. ``paraphrase:42``).
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[CrmWriteState] = mapped_column(_enum(CrmWriteState), default=CrmWriteState.DUE)
    due_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None]
    #: The id of the note or task the CRM created.
    crm_note_id: Mapped[str | None] = mapped_column(String(64))
    written_at: Mapped[datetime | None]
    created_at: Mapped[datetime]

    deal: Mapped[Deal] = relationship()
