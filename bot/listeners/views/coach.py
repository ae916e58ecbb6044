"""Saving `/coach settings`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import coach as coach_blocks
from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import preferences
from bot.services.errors import InvalidInput
from bot.slack import metadata, settings_forms
from bot.slack.ids import Callback
from bot.slack.messenger import reply_privately


def save_settings(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    read = settings_forms.read_settings(view["state"]["values"])
    if read.errors or read.start is None or read.end is None:
        ack(response_action="errors", errors=read.errors)
        return
    start, end, days, digest_at = read.start, read.end, read.days, read.digest_at
    with caller.acting() as (_session, who):
        try:
            preferences.update(
                person=who.person, start=start, end=end, days=days, digest_at=digest_at
            )
        except InvalidInput as exc:
            ack(response_action="errors", errors=exc.errors)
            return
        ack()
        prefs = preferences.for_person(who.person, caller.deps.config)
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=metadata.Settings.of(view).response_url,
        text=coach_blocks.saved_text(prefs.hours, prefs.digest_at),
    )


def register(app: App) -> None:
    wire(app.view, Callback.COACH_SETTINGS, handler=save_settings)
