"""Buttons on pre-call DMs: Helpful / Not helpful under each tip, and "Write the paraphrase"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import precall as precall_blocks
from bot.listeners.acting import Caller
from bot.listeners.coaching_flow import open_debrief
from bot.listeners.wiring import wire
from bot.services import tip_history
from bot.slack.ids import Action


def tip_feedback(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    pressed = body["actions"][0]
    helpful = pressed["action_id"] == Action.TIP_HELPFUL.value
    call_id, _, tip_id = str(pressed["value"]).partition(":")
    with caller.acting() as (session, who):
        tip_history.record_feedback(
            session=session,
            person=who.person,
            call_id=int(call_id),
            tip_id=tip_id,
            helpful=helpful,
            now=caller.now(),
        )
    message = body["message"]
    caller.client.chat_update(
        channel=body["channel"]["id"],
        ts=message["ts"],
        text=message.get("text") or "",
        blocks=precall_blocks.with_feedback(message["blocks"], tip_id=tip_id, helpful=helpful),
    )


def debrief_from_call(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    open_debrief(caller, trigger_id=body["trigger_id"], call_id=int(body["actions"][0]["value"]))


def register(app: App) -> None:
    wire(app.action, Action.TIP_HELPFUL, Action.TIP_NOT_HELPFUL, handler=tip_feedback)
    wire(app.action, Action.DEBRIEF_OPEN, handler=debrief_from_call)
