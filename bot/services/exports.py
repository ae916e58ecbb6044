"""Rows a product team or a BI tool would load: every product gap, every handoff.

Plain dictionaries with stable column names, one per row, across every workspace (the
Slack team id is a column). Times are ISO 8601 in UTC.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from bot.coaching import working_hours
from bot.config import DealCoachConfig
from bot.db.models import Handoff, HandoffEventKind, ProductGap, Workspace
from bot.services import preferences

Row = dict[str, Any]

GAP_COLUMNS = (
    "id", "slack_team_id", "deal", "deal_value", "feature_area", "area_detail",
    "description", "weight", "weight_factor", "revenue_at_stake", "need_id", "need",
    "logged_by", "logged_at", "handoff_id",
)  # fmt: skip
HANDOFF_COLUMNS = (
    "id", "slack_team_id", "deal", "deal_value", "rep", "assignee", "state", "problem",
    "rep_hours", "created_at", "accepted_at", "business_hours_to_accept", "closed_at",
    "assignments",
)  # fmt: skip


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def gaps(
    *, session: Session, config: DealCoachConfig, since: datetime | None = None
) -> Iterator[Row]:
    query = (
        select(ProductGap, Workspace.slack_team_id)
        .join(Workspace, Workspace.id == ProductGap.workspace_id)
        .options(
            joinedload(ProductGap.deal),
            joinedload(ProductGap.group),
            joinedload(ProductGap.logged_by),
        )
        .order_by(ProductGap.logged_at, ProductGap.id)
    )
    if since is not None:
        query = query.where(ProductGap.logged_at >= since)
    for gap, team_id in session.execute(query):
        factor = config.product_gaps.weights.of(gap.weight.value)
        yield {
            "id": gap.id,
            "slack_team_id": team_id,
            "deal": gap.deal.name,
            "deal_value": gap.deal_value,
            "feature_area": gap.feature_area,
            "area_detail": gap.area_detail,
            "description": gap.description,
            "weight": gap.weight.value,
            "weight_factor": factor,
            "revenue_at_stake": None if gap.deal_value is None else gap.deal_value * factor,
            "need_id": gap.group_id,
            "need": gap.group.title,
            "logged_by": gap.logged_by.slack_user_id,
            "logged_at": _time(gap.logged_at),
            "handoff_id": gap.handoff_id,
        }


def handoffs(
    *, session: Session, config: DealCoachConfig, since: datetime | None = None
) -> Iterator[Row]:
    query = (
        select(Handoff)
        .options(
            joinedload(Handoff.workspace),
            joinedload(Handoff.deal),
            joinedload(Handoff.rep),
            joinedload(Handoff.assignee),
            selectinload(Handoff.events),
        )
        .order_by(Handoff.created_at, Handoff.id)
    )
    if since is not None:
        query = query.where(Handoff.created_at >= since)
    for handoff in session.scalars(query):
        accepted = next((e.at for e in handoff.events if e.kind is HandoffEventKind.ACCEPTED), None)
        prefs = preferences.for_person(handoff.assignee, config)
        hours = None
        if accepted is not None:
            hours = round(
                working_hours.business_hours_between(
                    handoff.created_at, accepted, tz=prefs.tz, hours=prefs.hours
                ),
                2,
            )
        yield {
            "id": handoff.id,
            "slack_team_id": handoff.workspace.slack_team_id,
            "deal": handoff.deal.name,
            "deal_value": handoff.deal_value,
            "rep": handoff.rep.slack_user_id,
            "assignee": handoff.assignee.slack_user_id,
            "state": handoff.state.value,
            "problem": handoff.problem,
            "rep_hours": handoff.rep_hours,
            "created_at": _time(handoff.created_at),
            "accepted_at": _time(accepted),
            "business_hours_to_accept": hours,
            "closed_at": _time(handoff.closed_at),
            "assignments": handoff.assignment,
        }
