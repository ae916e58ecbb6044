"""Saving `/coach settings`."""

from __future__ import annotations

from datetime import time
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import coach as coach_blocks
from bot.config import Weekday
from bot.deps import Deps
from bot.listeners.handoff_flow import actor
from bot.services import preferences
from bot.services.errors import InvalidInput
from bot.slack import forms
from bot.slack.errors import guarded
from bot.slack.ids import Callback, Field
from bot.slack.messenger import reply_privately


def _time(values: dict[str, Any], field: Field) -> time | None:
    raw = values.get(field.value, {}).get(field.value, {}).get("selected_time")
    return time.fromisoformat(raw) if raw else None


def register(app: App, deps: Deps) -> None:
    @app.view(Callback.COACH_SETTINGS.value)
    @guarded
    def save_settings(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        values = view["state"]["values"]
        start, end = _time(values, Field.WORK_START), _time(values, Field.WORK_END)
        selected = values.get(Field.WORK_DAYS.value, {}).get(Field.WORK_DAYS.value, {})
        days = [Weekday(o["value"]) for o in selected.get("selected_options") or []]
        digest_at = _time(values, Field.DIGEST_AT)
        if start is None or end is None:
            ack(response_action="errors", errors={Field.WORK_START.value: "Pick both times."})
            return
        with deps.transaction() as session:
            who = actor(
                deps, session, client, team_id=context["team_id"], user_id=body["user"]["id"]
            )
            try:
                preferences.update(
                    person=who.person, start=start, end=end, days=days, digest_at=digest_at
                )
            except InvalidInput as exc:
                ack(response_action="errors", errors=exc.errors)
                return
            ack()
            prefs = preferences.for_person(who.person, deps.config)
        reply_privately(
            client,
            user_id=body["user"]["id"],
            response_url=forms.metadata(view).get("response_url") or None,
            text=coach_blocks.saved_text(prefs.hours, prefs.digest_at),
        )
