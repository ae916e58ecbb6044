"""When the sweep has something to do: read-only questions about the due-work table.

The local shell uses these to let time pass like time (stop at every due moment inside
a jump) and to list what is scheduled. Claiming and sending stay in ``services/nudges``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from bot.db.models import Call, Deal, DueWork, DueWorkKind, DueWorkState, Handoff

#: How each kind of row reads in a list of what is scheduled.
KIND_LABELS = {
    DueWorkKind.HANDOFF_ACKNOWLEDGE: "nudge to accept a handoff",
    DueWorkKind.HANDOFF_ESCALATE: "escalation of an unaccepted handoff",
    DueWorkKind.HANDOFF_DEADLINE: "handoff deadline reminder",
    DueWorkKind.QUALIFICATION_GAPS: "open qualification gaps",
    DueWorkKind.PRECALL_TIPS: "tips before a call",
    DueWorkKind.DEBRIEF_REQUEST: "debrief after a call",
    DueWorkKind.MANAGER_DIGEST: "weekly manager digest",
}


@dataclass(frozen=True)
class Scheduled:
    """One message waiting for its moment."""

    due_at: datetime
    kind: DueWorkKind
    recipient_slack_id: str
    deal_name: str | None

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.value.replace("_", " "))


def next_due_at(session: Session, *, after: datetime, until: datetime) -> datetime | None:
    """The earliest moment in ``(after, until]`` at which a waiting row falls due."""
    return session.scalar(
        select(func.min(DueWork.due_at)).where(
            DueWork.state == DueWorkState.DUE,
            DueWork.due_at > after,
            DueWork.due_at <= until,
        )
    )


def first_due_at(session: Session, *, after: datetime) -> datetime | None:
    """The earliest moment after ``after`` at which a waiting row falls due, if any."""
    return session.scalar(
        select(func.min(DueWork.due_at)).where(
            DueWork.state == DueWorkState.DUE, DueWork.due_at > after
        )
    )


def scheduled(session: Session, *, limit: int = 50) -> list[Scheduled]:
    """What is waiting to be sent, soonest first."""
    deal = aliased(Deal)
    deal_id = func.coalesce(DueWork.deal_id, Handoff.deal_id, Call.deal_id)
    rows = session.execute(
        select(DueWork.due_at, DueWork.kind, DueWork.recipient_slack_id, deal.name)
        .outerjoin(Handoff, Handoff.id == DueWork.handoff_id)
        .outerjoin(Call, Call.id == DueWork.call_id)
        .outerjoin(deal, deal.id == deal_id)
        .where(DueWork.state == DueWorkState.DUE)
        .order_by(DueWork.due_at, DueWork.id)
        .limit(limit)
    ).all()
    return [Scheduled(due_at, kind, recipient, deal) for due_at, kind, recipient, deal in rows]
