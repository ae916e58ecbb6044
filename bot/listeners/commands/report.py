"""`/coach report [team] [weeks]` and the App Home "Full report" button: the team's report
as a DM, with links to the cards waiting longest, then its chart."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import preferences, reports
from bot.slack.ids import Action
from bot.slack.messenger import reply_privately
from bot.slack.reports import send_report


def send_team_report(caller: Caller, *, text: str, response_url: str | None) -> None:
    """Check the request (who may, which team, how many weeks), build the report in one
    read, then DM it and its chart with no transaction open."""
    config = caller.deps.config
    team, weeks = reports.parse_request(text, asker=caller.user_id, config=config)
    with caller.acting() as (session, who):
        report = reports.build(
            session=session,
            workspace=who.workspace,
            team=team,
            config=config,
            now=caller.now(),
            weeks=weeks,
        )
        tz = preferences.for_person(who.person, config).tz
    send_report(
        caller.client,
        user_id=caller.user_id,
        report=report,
        tz=tz,
        sla_hours=config.sla.acknowledge_hours,
    )
    if response_url is None:  # from App Home: the DM itself is the answer
        return
    span = "this week" if weeks == 1 else f"the last {weeks} weeks"
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=response_url,
        text=f":bar_chart: {team.name}'s report for {span} is in our DM, chart included.",
    )


def full_report(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """App Home's "Full report": the button carries the team's name."""
    ack()
    team = str(body["actions"][0].get("value") or "")
    # The weeks are spelled out, so a team whose name ends in a number stays whole.
    send_team_report(caller, text=f"{team} {reports.DEFAULT_WEEKS}", response_url=None)


def register(app: App) -> None:
    wire(app.action, Action.REPORT_FULL, handler=full_report)
