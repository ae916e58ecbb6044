"""Handoffs: a rep passes a technical problem to an SE, and everything that follows.

Every change of state writes a :class:`HandoffEvent` (the audit trail) and keeps the
SLA nudges in ``due_work`` in step with it, in the caller's transaction.
"""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, TypeVar, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Connection, Table, bindparam, func, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.sql.dml import ReturningInsert

from bot.coaching import expert_trap, working_hours
from bot.config import DealCoachConfig
from bot.db import undo
from bot.db.base import Base, UTCDateTime
from bot.db.models import (
    DueWork,
    DueWorkKind,
    DueWorkState,
    Handoff,
    HandoffEvent,
    HandoffEventKind,
    HandoffState,
    Person,
    Workspace,
)
from bot.domain.fields import HandoffField
from bot.domain.limits import HANDOFF_TEXT_MAX
from bot.services import crm_deals, crm_events, deals, nudges, preferences
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound

#: Longest free text we accept, so every card stays inside Slack's 3,000-character sections.
TEXT_MAX = HANDOFF_TEXT_MAX
ACTIVE_STATES = (HandoffState.OPEN, HandoffState.ACCEPTED)
SLA_KINDS = (DueWorkKind.HANDOFF_ACKNOWLEDGE, DueWorkKind.HANDOFF_ESCALATE)
_Row = TypeVar("_Row", bound=Base)


@dataclass(frozen=True)
class HandoffDraft:
    """What a rep filled in, before it is checked."""

    deal_name: str
    problem: str
    business_impact: str | None = None
    tried: str | None = None
    deadline: date | None = None
    deal_value: int | None = None
    rep_hours: float | None = None
    #: ``None`` lets routing pick an SE from the rep's team.
    assignee_slack_id: str | None = None
    #: A key of ``routing.areas`` chosen in the form; ``None``: read from the problem.
    product_area: str | None = None
    #: A deal picked from the form's typeahead; without it ``deal_name`` names the deal.
    deal_id: int | None = None


def validate(
    draft: HandoffDraft,
    *,
    today: date,
    rep_slack_id: str,
    assignee_slack_id: str | None = None,
) -> dict[str, str]:
    """Field → what is wrong and how to write it; empty when the draft is fine.

    The one check for a new handoff, used by the form before anything is written and by
    :func:`open` (``assignee_slack_id``: whoever routing picked when the draft named nobody).
    """
    errors: dict[str, str] = {}
    deal_name = draft.deal_name.strip()
    if not deal_name:
        errors[HandoffField.DEAL] = "Name the deal, e.g. Acme Corp."
    elif len(deal_name) > deals.DEAL_NAME_MAX:
        errors[HandoffField.DEAL] = f"Keep the deal name under {deals.DEAL_NAME_MAX} characters."
    elif refused := deals.check_name(deal_name):
        errors[HandoffField.DEAL] = refused.message
    if not draft.problem.strip():
        errors[HandoffField.PROBLEM] = (
            "Describe the customer's problem in their words, e.g. SSO with Okta fails for EU users."
        )
    for field, text in (
        (HandoffField.PROBLEM, draft.problem),
        (HandoffField.BUSINESS_IMPACT, draft.business_impact),
        (HandoffField.TRIED, draft.tried),
    ):
        if text is not None and len(text) > TEXT_MAX and field not in errors:
            errors[field] = (
                f"That is {len(text):,} characters; keep it under {TEXT_MAX:,} "
                "and link to longer notes."
            )
    if draft.deadline is not None and draft.deadline < today:
        errors[HandoffField.DEADLINE] = (
            f"{draft.deadline:%d %b %Y} is in the past; pick today or a later date."
        )
    if draft.deal_value is not None and draft.deal_value < 0:
        errors[HandoffField.DEAL_VALUE] = "Deal value is an amount of money: 0 or more, e.g. 1500."
    if draft.rep_hours is not None and not 0 < draft.rep_hours <= 1000:
        errors[HandoffField.REP_HOURS] = "Hours is how long it would take you: more than 0, e.g. 8."
    if (assignee_slack_id or draft.assignee_slack_id) == rep_slack_id:
        errors[HandoffField.ASSIGNEE] = "Hand it to an SE rather than to yourself."
    return errors


#: What to write in each one-field reply on a card, said when it is left empty.
_REPLY_HINTS = {
    HandoffField.REASON: "Say why, so the rep knows where to go next.",
    HandoffField.QUESTION: "Ask one specific question.",
    HandoffField.ANSWER: "Write what the SE asked for.",
}


def reply_error(field: HandoffField, text: str) -> str | None:
    """What is wrong with a one-field reply (reason, question, answer), or ``None``."""
    text = text.strip()
    if not text:
        return f"This can't be empty. {_REPLY_HINTS[field]}"
    if len(text) > TEXT_MAX:
        return f"Keep it under {TEXT_MAX:,} characters."
    return None


def time_zone(person: Person, config: DealCoachConfig) -> ZoneInfo:
    return preferences.for_person(person, config).tz


def get(*, session: Session, workspace: Workspace, handoff_id: int) -> Handoff:
    handoff = session.get(
        Handoff,
        handoff_id,
        options=[joinedload(Handoff.deal), joinedload(Handoff.rep), joinedload(Handoff.assignee)],
    )
    if handoff is None or handoff.workspace_id != workspace.id:
        raise NotFound(f"I can't find handoff #{handoff_id}. `/handoff list` shows yours.")
    return handoff


def open(
    *,
    session: Session,
    workspace: Workspace,
    rep: Person,
    assignee: Person,
    draft: HandoffDraft,
    config: DealCoachConfig,
    now: datetime,
    product_area: str | None = None,
    routing_reason: str | None = None,
) -> Handoff:
    """Write the handoff, its first event and its SLA nudges; with what it is about and,
    when routing chose the SE, why."""
    errors = validate(
        draft,
        today=now.astimezone(time_zone(rep, config)).date(),
        rep_slack_id=rep.slack_user_id,
        assignee_slack_id=assignee.slack_user_id,
    )
    if errors:
        raise InvalidInput(errors)
    deal = (
        deals.picked(session=session, workspace=workspace, deal_id=draft.deal_id)
        if draft.deal_id is not None
        else deals.find_or_create(
            session=session, workspace=workspace, name=draft.deal_name, owner=rep, now=now
        )
    )
    handoff = _insert(
        session,
        Handoff,
        workspace_id=workspace.id,
        deal_id=deal.id,
        rep_id=rep.id,
        assignee_id=assignee.id,
        state=HandoffState.OPEN,
        problem=draft.problem.strip(),
        business_impact=(draft.business_impact or "").strip() or None,
        tried=(draft.tried or "").strip() or None,
        deadline=draft.deadline,
        deal_value=draft.deal_value,
        rep_hours=draft.rep_hours or config.revenue.default_hours_per_issue,
        product_area=product_area,
        routing_reason=routing_reason[:200] if routing_reason else None,
        created_at=now,
        updated_at=now,
    )
    opened = {
        "handoff_id": handoff.id,
        "actor_id": rep.id,
        "kind": HandoffEventKind.OPENED,
        "detail": f"to {assignee.slack_user_id}",
        "at": now,
    }
    # A plain INSERT: nothing reads the row back, and undoing the handoff deletes it (its
    # foreign key cascades). The card's history sees it as if loaded, with no SELECT.
    session.execute(_INSERT_EVENT, opened)
    set_committed_value(handoff, "events", [HandoffEvent(**opened)])
    _schedule_sla(session, handoff, config, now)
    crm_events.handoff_opened(session=session, handoff=handoff, now=now)
    return handoff


def trap(handoff: Handoff, config: DealCoachConfig) -> expert_trap.ExpertTrap:
    """The expert-trap figures for this handoff: what doing it yourself would cost."""
    return expert_trap.assess(
        hours=handoff.rep_hours,
        deal_value=handoff.deal_value,
        profile=config.revenue.for_rep(handoff.rep.slack_user_id),
        threshold=config.revenue.roi_threshold,
    )


def managers(handoff: Handoff, config: DealCoachConfig) -> list[str]:
    """SE managers who may act on it: those of the rep's and the assignee's teams."""
    found = config.managers_for(handoff.rep.slack_user_id, handoff.assignee.slack_user_id)
    if found:
        return found
    return list(dict.fromkeys(m for team in config.teams for m in team.se_managers))


def record_card(handoff: Handoff, *, channel_id: str, message_ts: str) -> None:
    """Remember where the assignee's card is, so later updates go into its thread."""
    handoff.channel_id = channel_id
    handoff.message_ts = message_ts


def record_card_at(
    connection: Connection, *, handoff_id: int, channel_id: str, message_ts: str
) -> None:
    """:func:`record_card` in one UPDATE, for a card posted after the handoff committed."""
    connection.execute(
        _RECORD_CARD_AT, {"id_": handoff_id, "channel": channel_id, "ts": message_ts}
    )


#: Built once: it runs after every new card, on a plain connection (the handoff was
#: committed in the step before, so no session holds it).
_RECORD_CARD_AT = (
    update(Handoff)
    .where(Handoff.id == bindparam("id_"))
    .values(channel_id=bindparam("channel"), message_ts=bindparam("ts"))
)


def accept(
    *, session: Session, handoff: Handoff, actor: Person, config: DealCoachConfig, now: datetime
) -> HandoffEvent:
    check(handoff, actor, config, "accept")
    handoff.state = HandoffState.ACCEPTED
    handoff.accepted_at = now
    nudges.cancel(session=session, handoff_id=handoff.id, kinds=SLA_KINDS)
    if handoff.deadline is not None:
        tz = time_zone(handoff.assignee, config)
        day_after = datetime.combine(handoff.deadline + timedelta(days=1), time(0), tz)
        nudges.schedule(
            session=session,
            workspace_id=handoff.workspace_id,
            kind=DueWorkKind.HANDOFF_DEADLINE,
            key=f"handoff:{handoff.id}:deadline:{handoff.deadline.isoformat()}",
            handoff_id=handoff.id,
            recipient_slack_id=handoff.assignee.slack_user_id,
            due_at=working_hours.next_working_moment(
                day_after, tz=tz, hours=preferences.for_person(handoff.assignee, config).hours
            ),
            now=now,
        )
    return _record(session, handoff, actor, HandoffEventKind.ACCEPTED, None, now)


def decline(
    *,
    session: Session,
    handoff: Handoff,
    actor: Person,
    reason: str,
    config: DealCoachConfig,
    now: datetime,
) -> HandoffEvent:
    check(handoff, actor, config, "decline")
    reason = _required_text(reason, HandoffField.REASON)
    handoff.state = HandoffState.DECLINED
    handoff.closed_at = now
    nudges.cancel(session=session, handoff_id=handoff.id)
    return _record(session, handoff, actor, HandoffEventKind.DECLINED, reason, now)


def resolve(
    *,
    session: Session,
    handoff: Handoff,
    actor: Person,
    note: str | None,
    config: DealCoachConfig,
    now: datetime,
) -> HandoffEvent:
    check(handoff, actor, config, "resolve")
    handoff.state = HandoffState.RESOLVED
    handoff.closed_at = now
    nudges.cancel(session=session, handoff_id=handoff.id)
    crm_events.handoff_resolved(session=session, handoff=handoff, note=note, now=now)
    return _record(session, handoff, actor, HandoffEventKind.RESOLVED, note, now)


def reassign(
    *,
    session: Session,
    handoff: Handoff,
    actor: Person,
    new_assignee: Person,
    config: DealCoachConfig,
    now: datetime,
) -> HandoffEvent:
    check(handoff, actor, config, "reassign")
    if new_assignee.id == handoff.assignee_id:
        raise InvalidInput({HandoffField.ASSIGNEE: "That SE already has it; pick someone else."})
    if new_assignee.id == handoff.rep_id:
        raise InvalidInput({HandoffField.ASSIGNEE: "Hand it to an SE rather than back to the rep."})
    previous = handoff.assignee.slack_user_id
    nudges.cancel(session=session, handoff_id=handoff.id)
    handoff.assignee = new_assignee
    handoff.routing_reason = None  # a person chose them, not routing
    handoff.state = HandoffState.OPEN
    handoff.accepted_at = None
    handoff.assignment += 1
    handoff.channel_id = None
    handoff.message_ts = None
    event = _record(
        session,
        handoff,
        actor,
        HandoffEventKind.REASSIGNED,
        f"from {previous} to {new_assignee.slack_user_id}",
        now,
    )
    session.flush()
    _schedule_sla(session, handoff, config, now)
    return event


def request_detail(
    *,
    session: Session,
    handoff: Handoff,
    actor: Person,
    question: str,
    config: DealCoachConfig,
    now: datetime,
) -> HandoffEvent:
    check(handoff, actor, config, "ask about")
    question = _required_text(question, HandoffField.QUESTION)
    return _record(session, handoff, actor, HandoffEventKind.DETAIL_REQUESTED, question, now)


def give_detail(
    *,
    session: Session,
    handoff: Handoff,
    actor: Person,
    answer: str,
    config: DealCoachConfig,
    now: datetime,
) -> HandoffEvent:
    check(handoff, actor, config, "answer on")
    answer = _required_text(answer, HandoffField.ANSWER)
    return _record(session, handoff, actor, HandoffEventKind.DETAIL_GIVEN, answer, now)


def open_for(*, session: Session, person: Person) -> tuple[list[Handoff], list[Handoff]]:
    """This person's active handoffs: (as the rep, as the assignee), oldest first."""

    def query(column: InstrumentedAttribute[int]) -> list[Handoff]:
        return list(
            session.scalars(
                select(Handoff)
                .where(column == person.id, Handoff.state.in_(ACTIVE_STATES))
                .order_by(Handoff.created_at)
            )
        )

    return query(Handoff.rep_id), query(Handoff.assignee_id)


def sla_state(*, session: Session, handoff: Handoff, now: datetime) -> str:
    """Where it stands against its service levels, in a few words (for App Home)."""
    if handoff.state is HandoffState.ACCEPTED:
        if handoff.deadline is not None and handoff.deadline < now.date():
            return f"accepted, past its deadline ({handoff.deadline:%d %b})"
        return "accepted"
    kinds = {event.kind for event in handoff.events}
    if HandoffEventKind.ESCALATED in kinds:
        return "not accepted yet, escalated"
    if HandoffEventKind.NUDGED in kinds:
        return "not accepted yet, nudged"
    next_due = session.scalar(
        select(func.min(DueWork.due_at, type_=UTCDateTime())).where(
            DueWork.handoff_id == handoff.id, DueWork.state == DueWorkState.DUE
        )
    )
    if next_due is None:
        return "open"
    hours = max((next_due - now).total_seconds() / 3600, 0)
    return f"open, answer due in {hours:.0f}h" if hours >= 1 else "open, answer due now"


def record_event(
    *,
    session: Session,
    handoff: Handoff,
    actor: Person,
    kind: HandoffEventKind,
    detail: str | None,
    now: datetime,
) -> HandoffEvent:
    """An event that changes nothing but belongs in the history (a snooze, say)."""
    return _record(session, handoff, actor, kind, detail, now)


def record_bot_event(
    *, session: Session, handoff: Handoff, kind: HandoffEventKind, detail: str, now: datetime
) -> HandoffEvent:
    """An event the bot itself caused: a nudge or an escalation that Slack accepted.

    Only the history row is added: the handoff itself is left alone (no new version, no
    ``updated_at``), so two workers' nudges or a nudge beside someone's click never
    conflict, and a nudged deal does not count as recently active."""
    return _record(session, handoff, None, kind, detail, now, touch=False)


def _insert(session: Session, model: type[_Row], **values: Any) -> _Row:
    """One row by a plain ``INSERT … RETURNING``, handed back as a loaded ORM object: for
    the hot path of a new handoff, where the unit of work's flush costs several times the
    statement (``bench/profile_handoff.py``). Recorded for ``undo`` like any insert."""
    row: _Row = session.scalars(_insert_returning(model), [values]).one()
    undo.note_inserted(row)
    return row


@functools.cache
def _insert_returning(model: type[_Row]) -> ReturningInsert[_Row]:
    """Built once per table (a new handoff's own row runs it)."""
    return insert(model).returning(model)


#: A new handoff's "opened" event: on the table itself, a plain row that nothing reads back.
_INSERT_EVENT = insert(cast(Table, HandoffEvent.__table__))


def _record(
    session: Session,
    handoff: Handoff,
    actor: Person | None,
    kind: HandoffEventKind,
    detail: str | None,
    now: datetime,
    *,
    touch: bool = True,
) -> HandoffEvent:
    event = HandoffEvent(handoff=handoff, actor=actor, kind=kind, detail=detail, at=now)
    session.add(event)
    if touch:
        handoff.updated_at = now
    session.flush()
    return event


def _schedule_sla(
    session: Session, handoff: Handoff, config: DealCoachConfig, now: datetime
) -> None:
    """One row per escalation step and recipient, timed in the assignee's business hours;
    none for a deal the CRM marks won, lost or deleted (its other nudges stop too)."""
    if not crm_deals.still_open(handoff.deal):
        return
    prefs = preferences.for_person(handoff.assignee, config)
    prefix = f"handoff:{handoff.id}:{handoff.assignment}"
    rows: list[nudges.Due] = []
    for number, step in enumerate(config.sla.steps(), start=1):
        due_at = working_hours.add_business_hours(
            now, step.after_hours, tz=prefs.tz, hours=prefs.hours
        )
        rows.extend(
            nudges.Due(
                kind=(
                    DueWorkKind.HANDOFF_ACKNOWLEDGE
                    if recipient == handoff.assignee.slack_user_id
                    else DueWorkKind.HANDOFF_ESCALATE
                ),
                key=f"{prefix}:step{number}:{recipient}",
                recipient_slack_id=recipient,
                due_at=due_at,
                step=number,
            )
            for recipient in _audience(handoff, config, step.notify)
        )
    nudges.schedule_many(
        session=session,
        workspace_id=handoff.workspace_id,
        rows=rows,
        now=now,
        handoff_id=handoff.id,
    )


def _audience(handoff: Handoff, config: DealCoachConfig, notify: Collection[str]) -> list[str]:
    people: list[str] = []
    for audience in notify:
        if audience == "assignee":
            people.append(handoff.assignee.slack_user_id)
        elif audience == "rep":
            people.append(handoff.rep.slack_user_id)
        else:
            people.extend(managers(handoff, config))
    return list(dict.fromkeys(people))


_ROLE_WORDS = {"rep": "the rep", "assignee": "the assigned SE", "manager": "an SE manager"}
_OPEN = frozenset({HandoffState.OPEN})
_ACTIVE = frozenset(ACTIVE_STATES)

#: Who may do what, and from which states: verb → (roles, states).
RULES: dict[str, tuple[frozenset[str], frozenset[HandoffState]]] = {
    "accept": (frozenset({"assignee", "manager"}), _OPEN),
    "decline": (frozenset({"assignee", "manager"}), _OPEN),
    "ask about": (frozenset({"assignee", "manager"}), _ACTIVE),
    "answer on": (frozenset({"rep", "manager"}), _ACTIVE),
    "resolve": (frozenset({"rep", "assignee", "manager"}), _ACTIVE),
    "reassign": (frozenset({"rep", "assignee", "manager"}), _ACTIVE),
}


def check(handoff: Handoff, actor: Person, config: DealCoachConfig, verb: str) -> None:
    """Raise unless ``actor`` may ``verb`` this handoff now (see :data:`RULES`)."""
    roles, states = RULES[verb]
    held = set()
    if actor.id == handoff.rep_id:
        held.add("rep")
    if actor.id == handoff.assignee_id:
        held.add("assignee")
    if actor.slack_user_id in managers(handoff, config):
        held.add("manager")
    if not held & roles:
        who = " or ".join(word for role, word in _ROLE_WORDS.items() if role in roles)
        raise NotAllowed(f"Only {who} can {verb} handoff #{handoff.id}; nothing was changed.")
    if handoff.state not in states:
        raise InvalidTransition(
            f"Handoff #{handoff.id} is already {handoff.state.value}, so there is nothing "
            f"to {verb}."
        )


def _required_text(text: str, field: HandoffField) -> str:
    error = reply_error(field, text)
    if error is not None:
        raise InvalidInput({field: error})
    return text.strip()
