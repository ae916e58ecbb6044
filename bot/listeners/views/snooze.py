"""The "snooze until a date" form: nudges resume at the start of that working day."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.coaching import working_hours
from bot.deps import Deps
from bot.listeners.actions.snooze import apply_snooze
from bot.listeners.handoff_flow import actor
from bot.services import preferences
from bot.slack import forms
from bot.slack.errors import guarded
from bot.slack.ids import Callback, Field


def register(app: App, deps: Deps) -> None:
    @app.view(Callback.SNOOZE_UNTIL.value)
    @guarded
    def snooze_until(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        values = view["state"]["values"]
        raw = values.get(Field.SNOOZE_UNTIL.value, {}).get(Field.SNOOZE_UNTIL.value, {})
        reason = (forms.text_value(values, Field.SNOOZE_REASON) or "").strip()
        user_id = body["user"]["id"]
        with deps.transaction() as session:
            who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
            prefs = preferences.for_person(who.person, deps.config)
        today = deps.clock.now().astimezone(prefs.tz).date()
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
        metadata = forms.metadata(view)
        apply_snooze(
            deps,
            client,
            team_id=context["team_id"],
            user_id=user_id,
            subject=metadata.get("subject", ""),
            until=until,
            reason=reason,
            response_url=metadata.get("response_url") or None,
        )
