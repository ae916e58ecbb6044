"""`/coach settings` and `/coach help`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import coach as coach_blocks
from bot.listeners.acting import Caller
from bot.listeners.commands import coach_merge
from bot.listeners.wiring import wire
from bot.services import preferences

USAGE = "Try `/coach settings` for your working hours and digest, or `/coach help`."


def open_settings(caller: Caller, *, trigger_id: str, response_url: str | None) -> None:
    with caller.acting() as (_session, who):
        prefs = preferences.for_person(who.person, caller.deps.config)
    caller.client.views_open(
        trigger_id=trigger_id,
        view=coach_blocks.settings_modal(
            prefs.hours, digest_at=prefs.digest_at, tz_name=str(prefs.tz), response_url=response_url
        ),
    )


def coach(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    word = (body.get("text") or "").strip().lower()
    if word in {"", "help", "?"}:
        ack(text=coach_blocks.HELP_TEXT)
        return
    if coach_merge.is_merge(word):
        ack()
        coach_merge.merge_command(
            caller, text=body.get("text") or "", response_url=body.get("response_url")
        )
        return
    if word != "settings":
        ack(text=f"I don't know `/coach {word[:40]}`. {USAGE}")
        return
    ack()
    open_settings(caller, trigger_id=body["trigger_id"], response_url=body.get("response_url"))


def register(app: App) -> None:
    wire(app.command, "/coach", handler=coach)
