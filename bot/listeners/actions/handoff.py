"""Buttons on a handoff: accept and resolve act at once; the others open a short form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks import handoff as handoff_blocks
from bot.db.models import Handoff, Person
from bot.deps import Deps
from bot.listeners.events.home import publish_home
from bot.listeners.handoff_flow import change_handoff, load_for
from bot.services import handoffs
from bot.slack.errors import guarded
from bot.slack.ids import Action, Callback

#: Buttons that open a one-field modal: action → (callback of the modal, verb checked first).
_FORMS = {
    Action.HANDOFF_DECLINE: (Callback.HANDOFF_DECLINE, "decline"),
    Action.HANDOFF_ASK_DETAIL: (Callback.HANDOFF_ASK_DETAIL, "ask about"),
    Action.HANDOFF_ANSWER_DETAIL: (Callback.HANDOFF_ANSWER_DETAIL, "answer on"),
    Action.HANDOFF_REASSIGN: (Callback.HANDOFF_REASSIGN, "reassign"),
}


def _handoff_id(body: dict[str, Any]) -> int:
    return int(body["actions"][0]["value"])


def _refresh_home_if_there(
    deps: Deps, client: WebClient, body: dict[str, Any], team_id: str
) -> None:
    """A button pressed on App Home acts in place: the Home is redrawn right after."""
    if (body.get("view") or {}).get("type") == "home":
        publish_home(deps, client, team_id=team_id, user_id=body["user"]["id"])


def register(app: App, deps: Deps) -> None:
    @guarded
    def act_at_once(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        """Accept and Mark resolved need no form: change, redraw, tell the thread and rep."""
        ack()
        action = Action(body["actions"][0]["action_id"])
        accepting = action is Action.HANDOFF_ACCEPT

        def change(session: Session, handoff: Handoff, person: Person) -> object:
            now = deps.clock.now()
            if accepting:
                return handoffs.accept(
                    session=session, handoff=handoff, actor=person, config=deps.config, now=now
                )
            return handoffs.resolve(
                session=session,
                handoff=handoff,
                actor=person,
                note=None,
                config=deps.config,
                now=now,
            )

        change_handoff(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user"]["id"],
            handoff_id=_handoff_id(body),
            change=change,
            done="accepted" if accepting else "resolved",
        )
        _refresh_home_if_there(deps, client, body, context["team_id"])

    for action in (Action.HANDOFF_ACCEPT, Action.HANDOFF_RESOLVE):
        app.action(action.value)(act_at_once)

    @guarded
    def open_form(
        ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]
    ) -> None:
        ack()
        callback, verb = _FORMS[Action(body["actions"][0]["action_id"])]
        handoff = load_for(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user"]["id"],
            handoff_id=_handoff_id(body),
            verb=verb,
        )
        client.views_open(
            trigger_id=body["trigger_id"], view=handoff_blocks.reason_modal(handoff, callback)
        )

    for action in _FORMS:
        app.action(action.value)(open_form)
