"""`/debrief <deal>`: write the customer's problem in your own words, get it checked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import debrief as debrief_blocks
from bot.listeners.acting import Caller
from bot.listeners.coaching_flow import open_debrief
from bot.listeners.wiring import wire
from bot.slack import call_forms


def debrief_command(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    command = body  # a slash command's payload is the whole body
    parsed = call_forms.parse_debrief(command.get("text") or "")
    if isinstance(parsed, call_forms.DebriefHelp):
        ack(text=debrief_blocks.HELP_TEXT)
        return
    if isinstance(parsed, call_forms.CommandError):
        ack(text=parsed.message)
        return
    ack()
    open_debrief(
        caller,
        trigger_id=command["trigger_id"],
        deal_name=parsed.deal,
        response_url=command.get("response_url"),
    )


def register(app: App) -> None:
    wire(app.command, "/debrief", handler=debrief_command)
