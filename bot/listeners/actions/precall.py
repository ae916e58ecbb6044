"""Buttons on pre-call DMs: Helpful / Not helpful under each tip, and "Write the paraphrase"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import precall as precall_blocks
from bot.deps import Deps
from bot.listeners.coaching_flow import open_debrief
from bot.listeners.handoff_flow import actor
from bot.services import tip_history
from bot.slack.errors import guarded
from bot.slack.ids import Action


def register(app: App, deps: Deps) -> None:
    @guarded
    def tip_feedback(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        pressed = body["actions"][0]
        helpful = pressed["action_id"] == Action.TIP_HELPFUL.value
        call_id, _, tip_id = str(pressed["value"]).partition(":")
        with deps.transaction() as session:
            who = actor(
                deps, session, client, team_id=context["team_id"], user_id=body["user"]["id"]
            )
            tip_history.record_feedback(
                session=session,
                person=who.person,
                call_id=int(call_id),
                tip_id=tip_id,
                helpful=helpful,
                now=deps.clock.now(),
            )
        message = body["message"]
        client.chat_update(
            channel=body["channel"]["id"],
            ts=message["ts"],
            text=message.get("text") or "",
            blocks=precall_blocks.with_feedback(message["blocks"], tip_id=tip_id, helpful=helpful),
        )

    for action in (Action.TIP_HELPFUL, Action.TIP_NOT_HELPFUL):
        app.action(action.value)(tip_feedback)

    @app.action(Action.DEBRIEF_OPEN.value)
    @guarded
    def debrief_from_call(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        open_debrief(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user"]["id"],
            trigger_id=body["trigger_id"],
            call_id=int(body["actions"][0]["value"]),
        )
