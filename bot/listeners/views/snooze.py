"""The "snooze until a date" form: nudges resume at the start of that working day."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from slack_bolt import Ack, App

from bot.coaching import working_hours
from bot.listeners.acting import Caller
from bot.listeners.actions.snooze import apply_snooze
from bot.listeners.wiring import wire
from bot.slack import forms, metadata
from bot.slack.ids import Callback, Field


def snooze_until(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    values = view["state"]["values"]
    raw = values.get(Field.SNOOZE_UNTIL.value, {}).get(Field.SNOOZE_UNTIL.value, {})
    reason = (forms.text_value(values, Field.SNOOZE_REASON) or "").strip()
    prefs = caller.preferences()  # read only: the ack does not wait for a writer
    today = caller.now().astimezone(prefs.tz).date()
    errors: dict[str, str] = {}
    try:
        day = date.fromisoformat(raw.get("selected_date") or "")
    except ValueError:
        errors[Field.SNOOZE_UNTIL.value] = "Pick a date from the calendar."
    else:
        if day <= today:
            errors[Field.SNOOZE_UNTIL.value] = "Pick a day after today."
    if not reason:
        errors[Field.SNOOZE_REASON.value] = (
            "Say why in a few words, e.g. waiting for the customer's security review."
        )
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    until = working_hours.next_working_moment(
        datetime.combine(day, time(0), prefs.tz), tz=prefs.tz, hours=prefs.hours
    )
    meta = metadata.SnoozeUntil.of(view)
    apply_snooze(
        caller, subject=meta.subject, until=until, reason=reason, response_url=meta.response_url
    )


def register(app: App) -> None:
    wire(app.view, Callback.SNOOZE_UNTIL, handler=snooze_until)
