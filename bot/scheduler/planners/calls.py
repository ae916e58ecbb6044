"""Call DMs: tips before a call (never late), and the debrief request after it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from bot.blocks import precall as precall_blocks
from bot.blocks.common import Blocks
from bot.coaching import tips as tip_rules
from bot.config import DealCoachConfig, Tip, TipRole
from bot.db.models import Call, CallState, DueWork, DueWorkKind, Person
from bot.scheduler.planners.base import Delivery, Planner, Skip
from bot.services import calls, handoffs, people, tip_history
from bot.services.deal_context import for_deal


def _call(work: DueWork) -> tuple[Session, Call] | None:
    session = object_session(work)
    if session is None or work.call_id is None:
        return None
    call = session.get(Call, work.call_id)
    if call is None or call.state is CallState.CANCELLED:
        return None
    return session, call


def precall_tips(work: DueWork, config: DealCoachConfig) -> Delivery | Skip | None:
    """3-5 tips for the recipient's part in the call, under the deal's current state.

    ``claimed_at`` is the moment this sweep claimed the row: if the call has started by
    then (the workers were down), the tips are recorded as missed instead of sent late.
    """
    found = _call(work)
    if found is None:
        return None
    session, call = found
    now = work.claimed_at or work.due_at
    if now >= call.starts_at:
        return Skip(f"call #{call.id} had started when the tips were due to go out")
    person = people.find_person(
        session=session, workspace=call.workspace, slack_user_id=work.recipient_slack_id
    )
    if person is None or person.id not in (call.rep_id, call.se_id):
        return None
    role: TipRole = "rep" if person.id == call.rep_id else "se"
    text, blocks, chosen = _tips_message(session, call, person, role, config, now)
    person_id, call_id, tip_ids = person.id, call.id, [tip.id for tip in chosen]

    def record(session: Session, work: DueWork, now: datetime) -> None:
        tip_history.record_deliveries(
            session=session,
            person=session.get_one(Person, person_id),
            call_id=call_id,
            tip_ids=tip_ids,
            now=now,
        )

    return Delivery(
        call.workspace.slack_team_id,
        work.recipient_slack_id,
        text,
        blocks,
        on_sent=record,
        punctual=True,
    )


def _tips_message(
    session: Session,
    call: Call,
    person: Person,
    role: TipRole,
    config: DealCoachConfig,
    now: datetime,
) -> tuple[str, Blocks, list[Tip]]:
    """The tips that fit this person, this call and the deal as it stands, drawn as a DM."""
    context = for_deal(session=session, deal=call.deal, config=config)
    open_handoffs = calls.open_handoffs(session=session, deal=call.deal)
    history = tip_history.history(session=session, person=person)
    chosen = tip_rules.choose(
        config.tips,
        role=role,
        call_type=call.call_type,
        state=tip_rules.DealState(
            qualification_gaps=len(context.gaps),
            open_handoffs=len(open_handoffs),
            confirmed_problem=context.paraphrase is not None,
        ),
        previous=history.previous,
        last_sent=history.last_sent,
    )
    text, blocks = precall_blocks.tips_dm(
        call,
        recipient=person.slack_user_id,
        tips=chosen,
        deal=precall_blocks.DealLines(
            confirmed_problem=context.paraphrase,
            gaps=context.gaps,
            open_handoffs=tuple(open_handoffs),
        ),
        tz=handoffs.time_zone(person, config),
        now=now,
    )
    return text, blocks, chosen


def debrief_request(work: DueWork, config: DealCoachConfig) -> Delivery | Skip | None:
    """To the rep once the call should be over (late after an outage is still useful),
    unless they already debriefed it."""
    found = _call(work)
    if found is None:
        return None
    _, call = found
    if call.state is not CallState.SCHEDULED:
        return None
    text, blocks = precall_blocks.debrief_request(call)
    # The rep was on the call a moment ago, so this follows it rather than working hours.
    return Delivery(
        call.workspace.slack_team_id, work.recipient_slack_id, text, blocks, punctual=True
    )


PLANNERS: dict[DueWorkKind, Planner] = {
    DueWorkKind.PRECALL_TIPS: precall_tips,
    DueWorkKind.DEBRIEF_REQUEST: debrief_request,
}
