"""The new-handoff form: checked field by field, saved only when it is all valid.

Field problems go back into the modal (``response_action="errors"``) before anything is
written; only a valid form is acknowledged and saved.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.listeners.acting import Caller
from bot.listeners.handoff_flow import create_handoff
from bot.listeners.wiring import wire
from bot.services import handoffs
from bot.services.errors import InvalidInput
from bot.slack import forms, metadata
from bot.slack.directory import fetch_profile
from bot.slack.ids import Callback, Field


def new_handoff(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    draft, errors = forms.read_handoff_view(view, currency=caller.deps.config.locale.currency)
    today = caller.now().astimezone(caller.preferences().tz).date()  # read only, before the ack
    errors = handoffs.validate(draft, today=today, rep_slack_id=caller.user_id) | errors
    if draft.assignee_slack_id and Field.ASSIGNEE not in errors:
        try:
            fetch_profile(caller.client, draft.assignee_slack_id)
        except InvalidInput as exc:
            errors |= exc.errors
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    create_handoff(caller, draft=draft, response_url=metadata.NewHandoff.of(view).response_url)


def register(app: App) -> None:
    wire(app.view, Callback.HANDOFF_NEW, handler=new_handoff)
