"""`/coach settings` and `/coach help`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import coach as coach_blocks
from bot.deps import Deps
from bot.listeners.handoff_flow import actor
from bot.services import preferences
from bot.slack.errors import guarded

USAGE = "Try `/coach settings` for your working hours and digest, or `/coach help`."


def open_settings(
    deps: Deps,
    client: WebClient,
    *,
    team_id: str,
    user_id: str,
    trigger_id: str,
    response_url: str | None,
) -> None:
    with deps.transaction() as session:
        who = actor(deps, session, client, team_id=team_id, user_id=user_id)
        prefs = preferences.for_person(who.person, deps.config)
    client.views_open(
        trigger_id=trigger_id,
        view=coach_blocks.settings_modal(
            prefs.hours, digest_at=prefs.digest_at, tz_name=str(prefs.tz), response_url=response_url
        ),
    )


def register(app: App, deps: Deps) -> None:
    @app.command("/coach")
    @guarded
    def coach(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        word = (body.get("text") or "").strip().lower()
        if word in {"", "help", "?"}:
            ack(text=coach_blocks.HELP_TEXT)
            return
        if word != "settings":
            ack(text=f"I don't know `/coach {word[:40]}`. {USAGE}")
            return
        ack()
        open_settings(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user_id"],
            trigger_id=body["trigger_id"],
            response_url=body.get("response_url"),
        )
