"""The sweep's planners called directly: a real session, a real handoff, no HTTP in between."""

from __future__ import annotations

from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind, Handoff, HandoffEventKind, HandoffState, Person
from bot.scheduler.planners import calls as call_planners
from bot.scheduler.planners import handoffs as planners
from bot.scheduler.planners.base import Delivery, Skip
from bot.services import calls, handoffs, people
from bot.services.calls import CallDraft
from bot.services.handoffs import HandoffDraft
from bot.standin import SlackStandIn
from tests.conftest import REP, SE1, START, TEAM_ID


def open_handoff(session: Session, config: DealCoachConfig) -> Handoff:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)

    def person(slack_user_id: str) -> Person:
        return people.person(
            session=session,
            workspace=workspace,
            slack_user_id=slack_user_id,
            config=config,
            now=START,
        )

    return handoffs.open(
        session=session,
        workspace=workspace,
        rep=person(REP),
        assignee=person(SE1),
        draft=HandoffDraft(deal_name="Acme", problem="SSO fails"),
        config=config,
        now=START,
    )


def acknowledge_row(session: Session) -> DueWork:
    """The first acknowledge nudge (later steps of the SLA are rows of their own)."""
    return session.scalars(
        select(DueWork)
        .where(DueWork.kind == DueWorkKind.HANDOFF_ACKNOWLEDGE)
        .order_by(DueWork.due_at)
    ).first()  # type: ignore[return-value]


def test_the_acknowledge_nudge_goes_to_the_se_while_the_handoff_is_open(
    session: Session, config: DealCoachConfig
) -> None:
    handoff = open_handoff(session, config)
    delivery = planners.acknowledge(acknowledge_row(session), config)
    assert delivery is not None
    assert (delivery.team_id, delivery.channel) == (TEAM_ID, SE1)
    assert delivery.thread_ts is None and not delivery.broadcast  # no card posted yet
    handoff.state = HandoffState.ACCEPTED
    assert planners.acknowledge(acknowledge_row(session), config) is None


def test_once_sent_the_step_is_recorded_and_the_card_redrawn(
    session: Session, config: DealCoachConfig, clock: AdjustableClock
) -> None:
    handoff = open_handoff(session, config)
    work = acknowledge_row(session)
    delivery = planners.acknowledge(work, config)
    assert delivery is not None and delivery.on_sent is not None
    # Without a card there is nothing to redraw, but the nudge is still in the history.
    assert delivery.on_sent(session, work, START) is None
    assert [event.kind for event in handoff.events][-1] is HandoffEventKind.NUDGED
    with SlackStandIn(clock=clock) as standin:
        client = WebClient(token=standin.bot_token, base_url=standin.api_url)
        posted = client.chat_postMessage(channel=SE1, text="card")
        handoffs.record_card(handoff, channel_id=posted["channel"], message_ts=posted["ts"])
        redraw = delivery.on_sent(session, work, START)
        assert redraw is not None
        redraw(client)
        [update] = standin.calls_to("chat.update")
        assert update.args["ts"] == posted["ts"]
        assert "nudge sent" in str(update.args["blocks"])


def test_tips_for_a_call_that_already_started_are_missed_not_sent(
    session: Session, config: DealCoachConfig
) -> None:
    handoff = open_handoff(session, config)  # the rep and the SE exist now
    call = calls.schedule(
        session=session,
        workspace=handoff.workspace,
        rep=handoff.rep,
        se=handoff.assignee,
        draft=CallDraft(deal_name="Acme", starts_at=START + timedelta(days=1)),
        config=config,
        now=START,
    )
    tips = session.scalars(
        select(DueWork).where(DueWork.call_id == call.id, DueWork.kind == DueWorkKind.PRECALL_TIPS)
    ).all()
    assert {work.recipient_slack_id for work in tips} == {REP, SE1}
    on_time = call_planners.precall_tips(tips[0], config)
    assert isinstance(on_time, Delivery) and on_time.punctual
    tips[0].claimed_at = call.starts_at + timedelta(minutes=5)
    late = call_planners.precall_tips(tips[0], config)
    assert isinstance(late, Skip) and f"call #{call.id}" in late.reason
