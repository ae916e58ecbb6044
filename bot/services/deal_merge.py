"""Renaming a deal, and merging a deal that was split by a typo into the one that stays.

Both are services over a session: they flush, and the caller owns the transaction, so a
merge moves every row that points at the deal or none of them. Each leaves a
:class:`~bot.db.models.DealEvent` saying who did it, when, and what moved.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Column, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.coaching import deal_names
from bot.db.base import Base
from bot.db.models import (
    Call,
    Deal,
    DealEvent,
    DealEventKind,
    DealFramework,
    DueWork,
    DueWorkState,
    Handoff,
    Paraphrase,
    Person,
    QualificationAnswer,
    Snooze,
)
from bot.services import deals
from bot.services.errors import InvalidInput, NotAllowed


@dataclass(frozen=True)
class MergePreview:
    """What a merge would move, for the confirmation the manager sees first."""

    source_id: int
    source_name: str
    target_id: int
    target_name: str
    handoffs: int
    calls: int
    paraphrases: int
    answers: int
    nudges: int
    snoozes: int
    #: The merged deal's qualification framework, dropped when the target has its own.
    framework_dropped: bool
    #: Rows of any other table that points at a deal: (table, how many).
    other: tuple[tuple[str, int], ...] = ()


def rename(
    *, session: Session, deal: Deal, new_name: str, actor: Person, now: datetime
) -> DealEvent:
    """Give ``deal`` a new name; refused when another deal already goes by it."""
    if refused := deals.check_name(new_name):
        raise InvalidInput({"name": refused.message})
    new_name = deals.clean_name(new_name)
    key = deal_names.normalized_key(new_name)
    others = session.scalars(
        select(Deal).where(Deal.workspace_id == deal.workspace_id, Deal.id != deal.id)
    )
    for other in others:
        if deal_names.normalized_key(other.name) == key:
            raise InvalidInput(
                {
                    "name": f"“{other.name}” is already a deal. To make them one, merge: "
                    f'`/coach merge "{deal.name}" into "{other.name}"`.'
                }
            )
    old_name = deal.name
    deal.name, deal.name_key = new_name, deals.name_key(new_name)
    event = DealEvent(
        workspace_id=deal.workspace_id,
        deal_id=deal.id,
        actor_id=actor.id,
        kind=DealEventKind.RENAMED,
        detail=json.dumps({"from": old_name, "to": new_name}),
        at=now,
    )
    session.add(event)
    session.flush()
    return event


def preview(*, session: Session, source: Deal, target: Deal) -> MergePreview:
    """What :func:`merge` would move from ``source`` to ``target``; refuses what merge refuses."""
    _check(source, target)

    def count(column: InstrumentedAttribute[Any] | Column[Any]) -> int:
        return int(session.scalar(select(func.count()).where(column == source.id)) or 0)

    return MergePreview(
        source_id=source.id,
        source_name=source.name,
        target_id=target.id,
        target_name=target.name,
        handoffs=count(Handoff.deal_id),
        calls=count(Call.deal_id),
        paraphrases=count(Paraphrase.deal_id),
        answers=count(QualificationAnswer.deal_id),
        nudges=int(
            session.scalar(
                select(func.count()).where(
                    DueWork.deal_id == source.id, DueWork.state == DueWorkState.DUE
                )
            )
            or 0
        ),
        snoozes=int(
            session.scalar(select(func.count()).where(Snooze.subject == f"deal:{source.id}")) or 0
        ),
        framework_dropped=_framework(session, source) is not None
        and _framework(session, target) is not None,
        other=tuple(
            (column.table.name, found)
            for column in _plain_deal_references()
            if column.table.name not in _NAMED and (found := count(column))
        ),
    )


def merge(
    *, session: Session, source: Deal, target: Deal, actor: Person, now: datetime
) -> MergePreview:
    """Move everything about ``source`` to ``target`` and delete ``source``.

    Paraphrase versions are renumbered after the target's own; a pending gaps reminder
    of the source is cancelled when the target has one (one reminder per deal); the
    target keeps its own owner, amount, close date and framework, taking the source's
    only where it has none.
    """
    moved = preview(session=session, source=source, target=target)
    for column in _plain_deal_references():
        session.execute(
            update(column.table).where(column == source.id).values({column.name: target.id})
        )
    last_version = session.scalar(
        select(func.max(Paraphrase.version)).where(Paraphrase.deal_id == target.id)
    )
    session.execute(
        update(Paraphrase)
        .where(Paraphrase.deal_id == source.id)
        .values(deal_id=target.id, version=Paraphrase.version + (last_version or 0))
    )
    _move_reminders(session, source, target, now)
    session.execute(
        update(Snooze)
        .where(Snooze.subject == f"deal:{source.id}")
        .values(subject=f"deal:{target.id}")
    )
    source_framework, target_framework = _framework(session, source), _framework(session, target)
    if source_framework is not None:
        if target_framework is None:
            source_framework.deal_id = target.id
        else:
            session.delete(source_framework)
    target.owner_id = target.owner_id or source.owner_id
    target.amount = target.amount if target.amount is not None else source.amount
    target.close_date = target.close_date or source.close_date
    session.add(
        DealEvent(
            workspace_id=target.workspace_id,
            deal_id=target.id,
            actor_id=actor.id,
            kind=DealEventKind.MERGED,
            detail=json.dumps(asdict(moved), default=str),
            at=now,
        )
    )
    session.flush()
    session.expire_all()
    session.delete(session.get_one(Deal, moved.source_id))
    session.flush()
    return moved


#: Tables whose rows need more than a new deal id when they move (see :func:`merge`).
_SPECIAL = frozenset({"deal", "paraphrase", "due_work", "deal_framework"})
#: Plain references the preview names itself.
_NAMED = frozenset({"handoff", "call", "qualification_answer", "deal_event"})


def _plain_deal_references() -> list[Column[Any]]:
    """Every column pointing at a deal whose rows simply follow it: handoffs, calls,
    checklist answers, deal events, and any table added later that points at a deal."""
    return [
        column
        for table in Base.metadata.sorted_tables
        if table.name not in _SPECIAL
        for column in table.columns
        if any(key.column.table.name == "deal" for key in column.foreign_keys)
    ]


def _check(source: Deal, target: Deal) -> None:
    if source.id == target.id:
        raise InvalidInput({"deal": f"“{source.name}” is the same deal; name two different ones."})
    if source.workspace_id != target.workspace_id:
        raise NotAllowed("Those deals belong to different workspaces; they can't be merged.")


def _framework(session: Session, deal: Deal) -> DealFramework | None:
    return session.scalar(select(DealFramework).where(DealFramework.deal_id == deal.id))


def _move_reminders(session: Session, source: Deal, target: Deal, now: datetime) -> None:
    """Pending reminders follow the deal, unless the target already has one of that kind."""
    pending = session.scalars(
        select(DueWork).where(DueWork.deal_id == source.id, DueWork.state == DueWorkState.DUE)
    ).all()
    for work in pending:
        has_own = session.scalar(
            select(DueWork.id).where(
                DueWork.deal_id == target.id,
                DueWork.kind == work.kind,
                DueWork.state == DueWorkState.DUE,
            )
        )
        if has_own is None:
            work.deal_id = target.id
        else:
            work.state = DueWorkState.CANCELLED
            work.last_error = f"deal merged into #{target.id} at {now.isoformat()}"
    session.execute(update(DueWork).where(DueWork.deal_id == source.id).values(deal_id=target.id))
