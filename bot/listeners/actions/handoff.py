"""Buttons on a handoff: accept and resolve act at once; the others open a short form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import gaps as gap_blocks
from bot.blocks import handoff as handoff_blocks
from bot.db.models import Handoff, Person
from bot.listeners.acting import Caller
from bot.listeners.events.home import publish_home
from bot.listeners.handoff_flow import change_handoff, load_for
from bot.listeners.wiring import wire
from bot.services import handoffs
from bot.slack.ids import Action, Callback

#: Buttons that open a one-field modal: action → (callback of the modal, verb checked first).
_FORMS = {
    Action.HANDOFF_DECLINE: (Callback.HANDOFF_DECLINE, "decline"),
    Action.HANDOFF_ASK_DETAIL: (Callback.HANDOFF_ASK_DETAIL, "ask about"),
    Action.HANDOFF_ANSWER_DETAIL: (Callback.HANDOFF_ANSWER_DETAIL, "answer on"),
}
# Reassign opens a form with ranked SEs: bot.listeners.actions.routing.


def _handoff_id(body: dict[str, Any]) -> int:
    return int(body["actions"][0]["value"])


def act_at_once(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """Accept and Mark resolved need no form: change, redraw, tell the thread and rep."""
    ack()
    accepting = Action(body["actions"][0]["action_id"]) is Action.HANDOFF_ACCEPT
    deps = caller.deps

    def change(session: Session, handoff: Handoff, person: Person) -> object:
        now = deps.clock.now()
        if accepting:
            return handoffs.accept(
                session=session, handoff=handoff, actor=person, config=deps.config, now=now
            )
        return handoffs.resolve(
            session=session, handoff=handoff, actor=person, note=None, config=deps.config, now=now
        )

    change_handoff(
        caller,
        handoff_id=_handoff_id(body),
        change=change,
        done="accepted" if accepting else "resolved",
    )
    if (body.get("view") or {}).get("type") == "home":
        # A button pressed on App Home acts in place: the Home is redrawn right after.
        publish_home(caller)


def open_form(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    callback, verb = _FORMS[Action(body["actions"][0]["action_id"])]
    handoff = load_for(caller, handoff_id=_handoff_id(body), verb=verb)
    view = handoff_blocks.reason_modal(handoff, callback)
    if callback is Callback.HANDOFF_DECLINE:  # declining may name a product gap
        view = gap_blocks.with_gap_fields(view, caller.deps.config)
    caller.client.views_open(trigger_id=body["trigger_id"], view=view)


def resolve_pressed(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """On App Home Mark resolved acts in place; on the card it opens the resolve form
    (a note, and the product gap the deal ran into, if any)."""
    if (body.get("view") or {}).get("type") == "home":
        act_at_once(ack, body, caller)
        return
    ack()
    handoff = load_for(caller, handoff_id=_handoff_id(body), verb="resolve")
    caller.client.views_open(
        trigger_id=body["trigger_id"], view=gap_blocks.resolve_modal(handoff, caller.deps.config)
    )


def register(app: App) -> None:
    wire(app.action, Action.HANDOFF_ACCEPT, handler=act_at_once)
    wire(app.action, Action.HANDOFF_RESOLVE, handler=resolve_pressed)
    wire(app.action, *_FORMS, handler=open_form)
