"""Snooze buttons on every nudge: a day, a week, or until a date (with a reason)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import snooze as snooze_blocks
from bot.deps import Deps
from bot.listeners.handoff_flow import actor
from bot.services import preferences, snoozes
from bot.slack.errors import guarded
from bot.slack.ids import Action
from bot.slack.messenger import reply_privately

_LENGTHS = {Action.SNOOZE_DAY: timedelta(days=1), Action.SNOOZE_WEEK: timedelta(days=7)}


def apply_snooze(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    subject: str,
    until: datetime,
    reason: str | None,
    response_url: str | None,
) -> None:
    """Record the snooze and confirm it privately."""
    with deps.transaction() as session:
        who = actor(deps, session, client, team_id=team_id, user_id=user_id)
        snoozes.snooze(
            session=session,
            workspace=who.workspace,
            person=who.person,
            subject=subject,
            until=until,
            reason=reason,
            now=deps.clock.now(),
        )
    text = snooze_blocks.snoozed_text(snooze_blocks.subject_label(subject), until)
    reply_privately(client, user_id=user_id, response_url=response_url, text=text)


def register(app: App, deps: Deps) -> None:
    @guarded
    def snooze_for(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        action = body["actions"][0]
        apply_snooze(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user"]["id"],
            subject=action["value"],
            until=deps.clock.now() + _LENGTHS[Action(action["action_id"])],
            reason=None,
            response_url=body.get("response_url"),
        )

    for action in _LENGTHS:
        app.action(action.value)(snooze_for)

    @app.action(Action.SNOOZE_UNTIL.value)
    @guarded
    def snooze_until(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        subject = body["actions"][0]["value"]
        with deps.transaction() as session:
            who = actor(
                deps, session, client, team_id=context["team_id"], user_id=body["user"]["id"]
            )
            tz = preferences.for_person(who.person, deps.config).tz
        tomorrow = (deps.clock.now().astimezone(tz) + timedelta(days=1)).date()
        client.views_open(
            trigger_id=body["trigger_id"],
            view=snooze_blocks.snooze_until_modal(
                subject=subject,
                label=snooze_blocks.subject_label(subject),
                response_url=body.get("response_url"),
                today=tomorrow,
            ),
        )
