"""Customer calls scheduled with `/precall`, and the DMs that go with them.

Scheduling a call writes its due work in the same transaction: a tips DM for the rep
and one for the SE at the lead time, and a debrief request to the rep once the call
should be over. The sweep sends them (see :mod:`bot.scheduler.planners.calls`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from bot.config import CallType, DealCoachConfig
from bot.db.models import (
    Call,
    CallState,
    Deal,
    DueWorkKind,
    Handoff,
    Person,
    Workspace,
)
from bot.services import deals, handoffs, nudges
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound


@dataclass(frozen=True)
class CallDraft:
    deal_name: str
    starts_at: datetime
    call_type: CallType = CallType.DISCOVERY
    se_slack_id: str | None = None
    #: ``None``: the configured default length.
    length_minutes: int | None = None


def schedule(
    *,
    session: Session,
    workspace: Workspace,
    rep: Person,
    se: Person | None,
    draft: CallDraft,
    config: DealCoachConfig,
    now: datetime,
) -> Call:
    """Write the call and its three DMs: tips to the rep and the SE, the debrief request."""
    deal_name = draft.deal_name.strip()
    if not deal_name:
        raise InvalidInput(
            {"deal": "Name the deal first, e.g. `/precall Acme Corp tomorrow 10am`."}
        )
    if len(deal_name) > deals.DEAL_NAME_MAX:
        raise InvalidInput({"deal": f"Keep the deal name under {deals.DEAL_NAME_MAX} characters."})
    if draft.starts_at <= now:
        raise InvalidInput({"when": "That time has already passed; pick a later one."})
    if se is not None and se.id == rep.id:
        raise InvalidInput({"se": "Name the SE joining you, or leave `with @se` out."})
    deal = deals.find_or_create(
        session=session, workspace=workspace, name=deal_name, owner=rep, now=now
    )
    call = Call(
        workspace_id=workspace.id,
        deal=deal,
        rep=rep,
        se=se,
        call_type=draft.call_type,
        starts_at=draft.starts_at,
        length_minutes=draft.length_minutes or config.coaching.call_minutes,
        state=CallState.SCHEDULED,
        created_at=now,
    )
    session.add(call)
    session.flush()
    tips_at = max(now, call.starts_at - timedelta(minutes=config.coaching.precall_lead_minutes))
    for person in [rep, *([se] if se is not None else [])]:
        _due(
            session,
            call,
            DueWorkKind.PRECALL_TIPS,
            f"call:{call.id}:tips:{person.slack_user_id}",
            person.slack_user_id,
            tips_at,
            now,
        )
    _due(
        session,
        call,
        DueWorkKind.DEBRIEF_REQUEST,
        f"call:{call.id}:debrief",
        rep.slack_user_id,
        ends_at(call),
        now,
    )
    return call


def ends_at(call: Call) -> datetime:
    return call.starts_at + timedelta(minutes=call.length_minutes)


def tips_due_at(call: Call, config: DealCoachConfig) -> datetime:
    return call.starts_at - timedelta(minutes=config.coaching.precall_lead_minutes)


def get(*, session: Session, workspace: Workspace, call_id: int) -> Call:
    call = session.get(
        Call, call_id, options=[joinedload(Call.deal), joinedload(Call.rep), joinedload(Call.se)]
    )
    if call is None or call.workspace_id != workspace.id:
        raise NotFound(f"I can't find call #{call_id}. `/precall list` shows your upcoming calls.")
    return call


def upcoming(*, session: Session, person: Person, now: datetime) -> list[Call]:
    """Scheduled calls this person is on (as rep or SE) that have not started, soonest first."""
    return list(
        session.scalars(
            select(Call)
            .where(
                (Call.rep_id == person.id) | (Call.se_id == person.id),
                Call.state == CallState.SCHEDULED,
                Call.starts_at > now,
            )
            .order_by(Call.starts_at)
        )
    )


def cancel(*, session: Session, call: Call, actor: Person, now: datetime) -> None:
    """Cancel a call that has not happened, and every DM still waiting for it."""
    if actor.id not in (call.rep_id, call.se_id):
        raise NotAllowed(f"Only the people on call #{call.id} can cancel it; nothing changed.")
    if call.state is not CallState.SCHEDULED or call.starts_at <= now:
        raise InvalidTransition(
            f"Call #{call.id} has already {'started' if call.starts_at <= now else 'ended'}, "
            "so there is nothing to cancel."
        )
    call.state = CallState.CANCELLED
    nudges.cancel(session=session, call_id=call.id)


def mark_debriefed(call: Call) -> None:
    if call.state is CallState.SCHEDULED:
        call.state = CallState.DEBRIEFED


def latest_for_deal(*, session: Session, deal: Deal, now: datetime) -> Call | None:
    """The call on this deal that started most recently (the one a debrief is about)."""
    return session.scalars(
        select(Call)
        .where(
            Call.deal_id == deal.id,
            Call.state != CallState.CANCELLED,
            Call.starts_at <= now,
        )
        .order_by(Call.starts_at.desc())
        .limit(1)
    ).first()


def se_for_deal(*, session: Session, deal: Deal, now: datetime) -> Person | None:
    """The SE on a deal: of its latest call that had one, else of its latest handoff."""
    call_se = session.scalars(
        select(Person)
        .join(Call, Call.se_id == Person.id)
        .where(Call.deal_id == deal.id, Call.state != CallState.CANCELLED, Call.starts_at <= now)
        .order_by(Call.starts_at.desc())
        .limit(1)
    ).first()
    if call_se is not None:
        return call_se
    return session.scalars(
        select(Person)
        .join(Handoff, Handoff.assignee_id == Person.id)
        .where(Handoff.deal_id == deal.id)
        .order_by(Handoff.created_at.desc(), Handoff.id.desc())
        .limit(1)
    ).first()


def open_handoffs(*, session: Session, deal: Deal) -> list[Handoff]:
    return list(
        session.scalars(
            select(Handoff)
            .where(Handoff.deal_id == deal.id, Handoff.state.in_(handoffs.ACTIVE_STATES))
            .order_by(Handoff.created_at)
        )
    )


def _due(
    session: Session,
    call: Call,
    kind: DueWorkKind,
    key: str,
    recipient_slack_id: str,
    due_at: datetime,
    now: datetime,
) -> None:
    work = nudges.schedule(
        session=session,
        workspace_id=call.workspace_id,
        kind=kind,
        key=key,
        recipient_slack_id=recipient_slack_id,
        due_at=due_at,
        now=now,
    )
    if work is not None:
        work.call_id = call.id
