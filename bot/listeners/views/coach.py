"""Saving `/coach settings`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import coach as coach_blocks
from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import manager_digest, preferences
from bot.services.errors import InvalidInput
from bot.slack import metadata, settings_forms
from bot.slack.ids import Callback, Field
from bot.slack.messenger import reply_privately


def save_settings(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    read = settings_forms.read_settings(view["state"]["values"])
    if read.errors or read.start is None or read.end is None:
        ack(response_action="errors", errors=read.errors)
        return
    start, end, days, digest_at = read.start, read.end, read.days, read.digest_at
    values = view["state"]["values"]
    weekly = values.get(Field.WEEKLY_REPORT.value, {}).get(Field.WEEKLY_REPORT.value)
    try:  # acked once committed: an ack never waits inside a transaction
        with caller.acting() as (session, who):
            preferences.update(
                person=who.person, start=start, end=end, days=days, digest_at=digest_at
            )
            if weekly is not None:  # only managers' forms carry the box
                manager_digest.set_weekly_digest(
                    session=session,
                    workspace=who.workspace,
                    person=who.person,
                    on=bool(weekly.get("selected_options")),
                    config=caller.deps.config,
                    now=caller.now(),
                )
            prefs = preferences.for_person(who.person, caller.deps.config)
    except InvalidInput as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    ack()
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=metadata.Settings.of(view).response_url,
        text=coach_blocks.saved_text(prefs.hours, prefs.digest_at),
    )


def register(app: App) -> None:
    wire(app.view, Callback.COACH_SETTINGS, handler=save_settings)
