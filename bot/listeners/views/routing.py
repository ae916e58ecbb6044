"""The "pick someone else" form on a "route this" message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.acting import Caller
from bot.listeners.routing_flow import assign_held
from bot.listeners.wiring import wire
from bot.services.errors import InvalidInput
from bot.slack import forms, metadata
from bot.slack.directory import fetch_profile
from bot.slack.ids import Callback, Field


def pick_someone(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    se_slack_id = forms.user_value(view["state"]["values"], Field.ASSIGNEE)
    if se_slack_id is None:
        ack(response_action="errors", errors={Field.ASSIGNEE.value: "Pick the SE to route it to."})
        return
    try:
        fetch_profile(caller.client, se_slack_id)
    except InvalidInput as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    ack()
    assign_held(
        caller, unrouted_id=metadata.RoutePick.of(view).unrouted_id, se_slack_id=se_slack_id
    )


def register(app: App) -> None:
    wire(app.view, Callback.ROUTE_PICK, handler=pick_someone)
