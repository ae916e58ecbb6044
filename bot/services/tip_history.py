"""Which tips went to whom (for rotation), and what people said about them.

Feedback is one row per person, call and tip: pressing the other button later changes
the answer rather than counting twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Person, TipDelivery, TipFeedback, Workspace
from bot.services.errors import NotAllowed


@dataclass(frozen=True)
class History:
    #: The tip ids of this person's previous DM.
    previous: frozenset[str]
    #: When each tip last went to them.
    last_sent: dict[str, datetime]


@dataclass(frozen=True)
class Counts:
    helpful: int = 0
    not_helpful: int = 0


def history(*, session: Session, person: Person) -> History:
    rows = session.execute(
        select(TipDelivery.tip_id, func.max(TipDelivery.delivered_at))
        .where(TipDelivery.person_id == person.id)
        .group_by(TipDelivery.tip_id)
    ).all()
    last_sent: dict[str, datetime] = {tip_id: at for tip_id, at in rows}
    if not last_sent:
        return History(frozenset(), {})
    newest = max(last_sent.values())
    previous = session.scalars(
        select(TipDelivery.tip_id).where(
            TipDelivery.person_id == person.id, TipDelivery.delivered_at == newest
        )
    ).all()
    return History(frozenset(previous), last_sent)


def record_deliveries(
    *, session: Session, person: Person, call_id: int | None, tip_ids: Iterable[str], now: datetime
) -> None:
    for tip_id in tip_ids:
        session.add(
            TipDelivery(person_id=person.id, call_id=call_id, tip_id=tip_id, delivered_at=now)
        )
    session.flush()


def record_feedback(
    *,
    session: Session,
    person: Person,
    call_id: int,
    tip_id: str,
    helpful: bool,
    now: datetime,
) -> TipFeedback:
    """Keep this person's verdict on a tip they were sent for this call."""
    delivered = session.scalar(
        select(TipDelivery.id).where(
            TipDelivery.person_id == person.id,
            TipDelivery.call_id == call_id,
            TipDelivery.tip_id == tip_id,
        )
    )
    if delivered is None:
        raise NotAllowed("That tip wasn't sent to you, so your feedback wasn't recorded.")
    where = (
        TipFeedback.person_id == person.id,
        TipFeedback.call_id == call_id,
        TipFeedback.tip_id == tip_id,
    )
    feedback = session.scalars(select(TipFeedback).where(*where)).first()
    if feedback is None:
        feedback = TipFeedback(
            person_id=person.id, call_id=call_id, tip_id=tip_id, helpful=helpful, at=now
        )
        try:
            with session.begin_nested():
                session.add(feedback)
        except IntegrityError:  # a double click raced us: update the row it wrote
            feedback = session.scalars(select(TipFeedback).where(*where)).one()
    feedback.helpful = helpful
    feedback.at = now
    session.flush()
    return feedback


def counts(*, session: Session, workspace: Workspace) -> dict[str, Counts]:
    """Helpful and not-helpful answers per tip id in this workspace."""
    rows = session.execute(
        select(
            TipFeedback.tip_id,
            func.sum(case((TipFeedback.helpful.is_(True), 1), else_=0)),
            func.sum(case((TipFeedback.helpful.is_(True), 0), else_=1)),
        )
        .join(Person, Person.id == TipFeedback.person_id)
        .where(Person.workspace_id == workspace.id)
        .group_by(TipFeedback.tip_id)
    ).all()
    return {
        tip_id: Counts(int(helpful or 0), int(unhelpful or 0))
        for tip_id, helpful, unhelpful in rows
    }
