"""The weekly digest to a manager: the report of each team they manage, then its chart."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session, object_session

from bot.blocks import report as report_blocks
from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind
from bot.reports import chart
from bot.reports.chart import Chart
from bot.reports.figures import Report
from bot.scheduler.planners.base import Delivery, Followup, OnSent, Planner
from bot.services import manager_digest, people, preferences, reports
from bot.slack import permalinks, uploads
from bot.slack.reports import CHART_NOTE

#: Slack's limit on blocks in one message.
MESSAGE_BLOCKS = 50


def _after_sending(config: DealCoachConfig, charts: Sequence[Chart]) -> OnSent:
    """Plan next week's digest in the same transaction; upload the charts afterwards."""

    def on_sent(session: Session, work: DueWork, now: datetime) -> Followup:
        manager_digest.schedule_next(
            session=session,
            workspace=work.workspace,
            manager=work.recipient_slack_id,
            config=config,
            now=now,
        )
        recipient = work.recipient_slack_id

        def upload(client: WebClient) -> None:
            for made in charts:
                uploads.send_to_dm(
                    client,
                    user_id=recipient,
                    data=made.png,
                    filename=made.file_name,
                    title=made.file_name.removesuffix(".png"),
                    alt_text=made.alt_text,
                )

        return upload

    return on_sent


def weekly_digest(work: DueWork, config: DealCoachConfig) -> Delivery | None:
    """``None`` (cancelled) for a manager who opted out or manages no team any more, and
    for a row that came due outside working hours, which is put back for the next
    working moment instead."""
    session = object_session(work)
    manager = work.recipient_slack_id
    if session is None:
        return None
    now = work.claimed_at or work.due_at
    person = people.find_person(session=session, workspace=work.workspace, slack_user_id=manager)
    teams = config.report_teams(manager)
    if not teams or not manager_digest.wants_digest(person, manager, config):
        return None
    plan = manager_digest.plan(work, person, config, now)
    if plan.wait_until is not None:
        manager_digest.resend_later(session=session, work=work, until=plan.wait_until, now=now)
        return None
    tz = preferences.for_person(person, config).tz
    built = [
        reports.build(
            session=session,
            workspace=work.workspace,
            team=team,
            config=config,
            now=now,
            weeks=plan.weeks,
            missed_weeks=plan.missed_weeks,
        )
        for team in teams
    ]
    team_id = work.workspace.slack_team_id

    def message(made: Report) -> tuple[str, list[dict[str, Any]]]:
        links = permalinks.deep_links(team_id, made.oldest_open)
        return report_blocks.report_message(made, tz=tz, card_links=links, chart_note=CHART_NOTE)

    text, blocks = message(built[0])
    for more in built[1:]:
        _, extra = message(more)
        if len(blocks) + 1 + len(extra) > MESSAGE_BLOCKS:
            break
        blocks = [*blocks, {"type": "divider"}, *extra]
    charts = [
        chart.render(r.trend, team=r.team, sla_hours=config.sla.acknowledge_hours) for r in built
    ]
    return Delivery(
        work.workspace.slack_team_id,
        manager,
        text,
        blocks,
        on_sent=_after_sending(config, charts),
        punctual=True,
    )


PLANNERS: dict[DueWorkKind, Planner] = {
    DueWorkKind.MANAGER_DIGEST: weekly_digest,
}
