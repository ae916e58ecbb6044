"""The new-handoff form: checked field by field, saved only when it is all valid.

Field problems go back into the modal (``response_action="errors"``) before anything is
written; only a valid form is acknowledged and saved.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.listeners.handoff_flow import actor, create_handoff
from bot.services import handoffs
from bot.services.errors import InvalidInput
from bot.slack import forms
from bot.slack.directory import fetch_profile
from bot.slack.errors import guarded
from bot.slack.ids import Callback, Field


def register(app: App, deps: Deps) -> None:
    @app.view(Callback.HANDOFF_NEW.value)
    @guarded
    def new_handoff(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        user_id = body["user"]["id"]
        draft, errors = forms.read_handoff_view(view)
        with deps.transaction() as session:
            rep = actor(deps, session, client, team_id=context["team_id"], user_id=user_id).person
            today = deps.clock.now().astimezone(handoffs.time_zone(rep, deps.config)).date()
        errors = handoffs.validate(draft, today=today) | errors
        if draft.assignee_slack_id and Field.ASSIGNEE not in errors:
            if draft.assignee_slack_id == user_id:
                errors[Field.ASSIGNEE] = "Hand it to an SE rather than to yourself."
            else:
                try:
                    fetch_profile(client, draft.assignee_slack_id)
                except InvalidInput as exc:
                    errors |= exc.errors
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        create_handoff(
            deps,
            client,
            team_id=context["team_id"],
            rep_slack_id=user_id,
            draft=draft,
            response_url=forms.metadata(view).get("response_url") or None,
        )
