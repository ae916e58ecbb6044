"""The reminder a deal's owner gets when its close date nears with checklist items open."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session, object_session

from bot.blocks import qualification as qualification_blocks
from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind
from bot.scheduler.planners.base import Delivery, OnSent, Planner
from bot.services import crm_deals, handoffs, qualification
from bot.services.errors import NotFound


def _schedule_next(config: DealCoachConfig) -> OnSent:
    """Once this one went out, the next is due an interval later (if gaps remain then)."""

    def schedule(session: Session, work: DueWork, now: datetime) -> None:
        if work.deal is not None:
            qualification.schedule_gap_nudge(
                session=session, deal=work.deal, config=config, now=now
            )

    return schedule


def gaps(work: DueWork, config: DealCoachConfig) -> Delivery | None:
    """Checked again now: nothing is sent for a deal that closed or has no gaps left."""
    deal = work.deal
    session = object_session(work)
    if deal is None or deal.owner is None or deal.close_date is None or session is None:
        return None
    if not crm_deals.still_open(deal):  # won, lost or deleted in the CRM
        return None
    now = work.claimed_at or work.due_at
    today = now.astimezone(handoffs.time_zone(deal.owner, config)).date()
    if deal.close_date < today:
        return None
    try:
        standing = qualification.standing(
            session=session, deal=deal, config=config, asker=deal.owner.slack_user_id
        )
    except NotFound:
        return None
    if not standing.gaps:
        return None
    text, blocks = qualification_blocks.gap_nudge(standing, today=today)
    return Delivery(
        work.workspace.slack_team_id,
        work.recipient_slack_id,
        text,
        blocks,
        on_sent=_schedule_next(config),
    )


PLANNERS: dict[DueWorkKind, Planner] = {
    DueWorkKind.QUALIFICATION_GAPS: gaps,
}
