"""`/debrief <deal>`: write the customer's problem in your own words, get it checked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import debrief as debrief_blocks
from bot.deps import Deps
from bot.listeners.coaching_flow import open_debrief
from bot.slack import call_forms
from bot.slack.errors import guarded


def register(app: App, deps: Deps) -> None:
    @app.command("/debrief")
    @guarded
    def debrief_command(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        command = body  # a slash command's payload is the whole body
        parsed = call_forms.parse_debrief(command.get("text") or "")
        if isinstance(parsed, call_forms.DebriefHelp):
            ack(text=debrief_blocks.HELP_TEXT)
            return
        ack()
        open_debrief(
            deps,
            client,
            team_id=context["team_id"],
            user_id=command["user_id"],
            trigger_id=command["trigger_id"],
            deal_name=parsed.deal,
            response_url=command.get("response_url"),
        )
