"""`/debrief <deal>`: write the customer's problem in your own words, get it checked."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import debrief as debrief_blocks
from bot.listeners import deal_choice
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
    response_url = command.get("response_url")
    deal_name = parsed.deal
    if deal_name:
        deal_name = deal_choice.settle(
            caller, deal_name, pending={deal_choice.COMMAND: "debrief"}, response_url=response_url
        )
        if deal_name is None:
            return
    open_debrief(
        caller, trigger_id=command["trigger_id"], deal_name=deal_name, response_url=response_url
    )


def resume(
    caller: Caller,
    _choice: dict[str, Any],
    *,
    deal_name: str,
    trigger_id: str,
    response_url: str | None,
) -> None:
    """Open the debrief for the deal the person picked."""
    open_debrief(caller, trigger_id=trigger_id, deal_name=deal_name, response_url=response_url)


def register(app: App) -> None:
    wire(app.command, "/debrief", handler=debrief_command)
