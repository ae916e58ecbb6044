"""Snoozes: "I know, later". A person pauses nudges about one item until a moment.

A snooze is kept as a row (who, what, until when, why), so it stays visible to the
item's manager; on a handoff it is also written to the handoff's history.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from bot.db.models import (
    DueWork,
    DueWorkState,
    Handoff,
    HandoffEventKind,
    Person,
    Snooze,
    Workspace,
)
from bot.domain.subject import Subject, SubjectKind
from bot.services import handoffs
from bot.services.errors import InvalidInput, NotFound

#: The longest snooze: beyond this an item should be closed or reassigned, not muted.
LONGEST = timedelta(days=90)
REASON_MAX = 500


def subject_of(work: DueWork) -> Subject:
    """What a nudge is about, as snoozes name it: "handoff:12", "deal:4", "call:7"."""
    for kind, subject_id in (
        (SubjectKind.HANDOFF, work.handoff_id),
        (SubjectKind.DEAL, work.deal_id),
        (SubjectKind.CALL, work.call_id),
    ):
        if subject_id is not None:
            return Subject(kind, subject_id)
    return Subject(SubjectKind.DUE_WORK, work.id)


_UNCLEAR = "I can't tell what that snooze button was about; nothing was changed."


def subject_from(text: str) -> Subject:
    """The subject a snooze button or form carries, or ``NotFound`` when it makes no sense."""
    subject = Subject.parse(text)
    if subject is None:
        raise NotFound(_UNCLEAR)
    return subject


_COLUMNS = {
    SubjectKind.HANDOFF: DueWork.handoff_id,
    SubjectKind.DEAL: DueWork.deal_id,
    SubjectKind.CALL: DueWork.call_id,
}


def _rows_about(subject: Subject) -> ColumnElement[bool]:
    column = _COLUMNS.get(subject.kind)
    if column is None:
        raise NotFound(_UNCLEAR)
    condition: ColumnElement[bool] = column == subject.id
    return condition


def snooze(
    *,
    session: Session,
    workspace: Workspace,
    person: Person,
    subject: Subject,
    until: datetime,
    reason: str | None,
    now: datetime,
) -> Snooze:
    """Pause this person's nudges about ``subject`` until ``until``, and say so in its history."""
    reason = (reason or "").strip() or None
    if until <= now:
        raise InvalidInput({"snooze_until": "Pick a date after today."})
    if until - now > LONGEST:
        raise InvalidInput(
            {"snooze_until": "Snooze for 90 days at most; if it's longer, close or reassign it."}
        )
    if reason is not None and len(reason) > REASON_MAX:
        raise InvalidInput({"snooze_reason": f"Keep the reason under {REASON_MAX} characters."})
    rows_about = _rows_about(subject)
    record = Snooze(
        workspace_id=workspace.id,
        person=person,
        subject=str(subject),
        until=until,
        reason=reason,
        created_at=now,
    )
    session.add(record)
    session.execute(
        update(DueWork)
        .where(
            rows_about,
            DueWork.recipient_slack_id == person.slack_user_id,
            DueWork.state == DueWorkState.DUE,
            DueWork.due_at < until,
        )
        .values(due_at=until)
        .execution_options(synchronize_session=False)
    )
    if subject.kind is SubjectKind.HANDOFF:
        handoff = session.get(Handoff, subject.id)
        if handoff is not None and handoff.workspace_id == workspace.id:
            detail = f"{person.slack_user_id} until {until:%Y-%m-%d}" + (
                f": {reason}" if reason else ""
            )
            handoffs.record_event(
                session=session,
                handoff=handoff,
                actor=person,
                kind=HandoffEventKind.SNOOZED,
                detail=detail,
                now=now,
            )
    session.flush()
    return record


def active_until(
    *, session: Session, workspace_id: int, slack_user_id: str, subject: Subject, now: datetime
) -> datetime | None:
    """Until when this person has snoozed ``subject`` (the latest active snooze), if at all."""
    until: datetime | None = session.scalar(
        select(Snooze.until)
        .join(Person, Snooze.person_id == Person.id)
        .where(
            Snooze.workspace_id == workspace_id,
            Person.slack_user_id == slack_user_id,
            Snooze.subject == str(subject),
            Snooze.until > now,
        )
        .order_by(Snooze.until.desc())
        .limit(1)
    )
    return until


def active_for(*, session: Session, person: Person, now: datetime) -> list[Snooze]:
    """This person's snoozes still running, soonest to end first (for App Home)."""
    return list(
        session.scalars(
            select(Snooze)
            .where(Snooze.person_id == person.id, Snooze.until > now)
            .order_by(Snooze.until)
        )
    )


def active_among(
    *, session: Session, workspace_id: int, slack_user_ids: list[str], now: datetime
) -> list[Snooze]:
    """Snoozes still running for any of these people (a manager's view of their team)."""
    if not slack_user_ids:
        return []
    return list(
        session.scalars(
            select(Snooze)
            .join(Person, Snooze.person_id == Person.id)
            .where(
                Snooze.workspace_id == workspace_id,
                Person.slack_user_id.in_(slack_user_ids),
                Snooze.until > now,
            )
            .order_by(Snooze.until)
        )
    )
