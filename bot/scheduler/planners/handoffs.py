"""Handoff nudges: acknowledgement, escalation, and a deadline that passed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import cards
from bot.blocks import handoff as handoff_blocks
from bot.config import DealCoachConfig, EscalationStep
from bot.db.models import DueWork, DueWorkKind, HandoffEventKind, HandoffState
from bot.scheduler.planners.base import Delivery, Followup, OnSent, Planner
from bot.services import handoffs


def _record(kind: HandoffEventKind, config: DealCoachConfig) -> OnSent:
    """Write the event, then redraw the SE's card so its history shows this step."""

    def record(session: Session, work: DueWork, now: datetime) -> Followup | None:
        handoff = work.handoff
        if handoff is None:
            return None
        handoffs.record_bot_event(
            session=session,
            handoff=handoff,
            kind=kind,
            detail=f"{work.kind.value} to {work.recipient_slack_id}",
            now=now,
        )
        return cards.redraw(session, handoff, config)

    return record


def _step(work: DueWork, config: DealCoachConfig) -> EscalationStep:
    steps = config.sla.steps()
    return steps[min(max((work.step or 1) - 1, 0), len(steps) - 1)]


def acknowledge(work: DueWork, config: DealCoachConfig) -> Delivery | None:
    """To the SE, in the card's thread (broadcast, so the DM shows it too)."""
    handoff = work.handoff
    if handoff is None or handoff.state is not HandoffState.OPEN:
        return None
    text, blocks = handoff_blocks.acknowledge_nudge(
        handoff, business_hours=_step(work, config).after_hours, again=(work.step or 1) > 1
    )
    in_thread = handoff.channel_id is not None
    return Delivery(
        handoff.workspace.slack_team_id,
        handoff.channel_id or work.recipient_slack_id,
        text,
        blocks,
        thread_ts=handoff.message_ts if in_thread else None,
        broadcast=in_thread,
        on_sent=_record(HandoffEventKind.NUDGED, config),
        urgency=work.step or 1,
    )


def escalate(work: DueWork, config: DealCoachConfig) -> Delivery | None:
    """To each SE manager (with a Reassign button) and to the rep (for their peace of mind)."""
    handoff = work.handoff
    if handoff is None or handoff.state is not HandoffState.OPEN:
        return None
    if work.recipient_slack_id == handoff.rep.slack_user_id:
        text, blocks = handoff_blocks.escalation_for_rep(
            handoff, managers=handoffs.managers(handoff, config)
        )
    else:
        step = _step(work, config)
        text, blocks = handoff_blocks.escalation_for_manager(
            handoff, business_hours=step.after_hours, suggest_reassign=step.suggest_reassign
        )
    return Delivery(
        handoff.workspace.slack_team_id,
        work.recipient_slack_id,
        text,
        blocks,
        on_sent=_record(HandoffEventKind.ESCALATED, config),
        urgency=(work.step or 1) + 1,
    )


def deadline(work: DueWork, config: DealCoachConfig) -> Delivery | None:
    """To the SE who accepted it, once its deadline has passed unresolved."""
    handoff = work.handoff
    if handoff is None or handoff.state is not HandoffState.ACCEPTED or handoff.deadline is None:
        return None
    text, blocks = handoff_blocks.deadline_nudge(handoff)
    return Delivery(
        handoff.workspace.slack_team_id,
        work.recipient_slack_id,
        text,
        blocks,
        on_sent=_record(HandoffEventKind.DEADLINE_PASSED, config),
        urgency=2,
    )


PLANNERS: dict[DueWorkKind, Planner] = {
    DueWorkKind.HANDOFF_ACKNOWLEDGE: acknowledge,
    DueWorkKind.HANDOFF_ESCALATE: escalate,
    DueWorkKind.HANDOFF_DEADLINE: deadline,
}
