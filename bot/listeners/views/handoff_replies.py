"""The short forms behind a handoff card's buttons: decline, ask, answer, reassign.

Field problems go back into the modal (``response_action="errors"``) before anything is
written; only a valid form is acknowledged and saved.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot import cards
from bot.blocks import handoff as handoff_blocks
from bot.db.models import Handoff, Person, Workspace
from bot.domain.fields import HandoffField
from bot.listeners import handoff_gaps
from bot.listeners.acting import Caller
from bot.listeners.handoff_flow import change_handoff
from bot.listeners.wiring import wire
from bot.services import handoffs
from bot.services.errors import InvalidInput
from bot.slack import forms, messenger, metadata
from bot.slack.directory import fetch_profile
from bot.slack.ids import Callback, Field

#: The one-field forms on a handoff: their field, and the update line's verb (``None``:
#: the listener sends its own messages).
_WRITTEN: dict[Callback, tuple[Field, str | None]] = {
    Callback.HANDOFF_DECLINE: (Field.REASON, "declined"),
    Callback.HANDOFF_ASK_DETAIL: (Field.QUESTION, None),
    Callback.HANDOFF_ANSWER_DETAIL: (Field.ANSWER, None),
}


def one_field(
    view: dict[str, Any], field: Field, ack: Ack, also: dict[str, str] | None = None
) -> str | None:
    """The form's one text answer, or ``None`` after sending the field errors back
    (``also``: errors in the form's other fields, such as its product gap)."""
    text = (forms.text_value(view["state"]["values"], field) or "").strip()
    error = handoffs.reply_error(HandoffField(field.value), text)
    errors = ({field.value: error} if error is not None else {}) | (also or {})
    if errors:
        ack(response_action="errors", errors=errors)
        return None
    ack()
    return text


def _handoff_id(view: dict[str, Any]) -> int:
    return metadata.HandoffReply.of(view).handoff_id


def written_change(ack: Ack, view: dict[str, Any], caller: Caller) -> tuple[Handoff, str] | None:
    """Decline, ask or answer: the form's text goes to the matching service call."""
    callback = Callback(view["callback_id"])
    field, done = _WRITTEN[callback]
    deps = caller.deps
    gap, gap_errors = (
        handoff_gaps.read(view, deps.config) if callback is Callback.HANDOFF_DECLINE else (None, {})
    )
    text = one_field(view, field, ack, gap_errors)
    if text is None:
        return None
    logged = handoff_gaps.Logged()

    def change(session: Session, handoff: Handoff, person: Person) -> object:
        common: dict[str, Any] = {
            "session": session,
            "handoff": handoff,
            "actor": person,
            "config": deps.config,
            "now": deps.clock.now(),
        }
        if callback is Callback.HANDOFF_DECLINE:
            event = handoffs.decline(reason=text, **common)
            handoff_gaps.log_on(
                session, handoff, person, gap, config=deps.config, now=common["now"], logged=logged
            )
            return event
        if callback is Callback.HANDOFF_ASK_DETAIL:
            return handoffs.request_detail(question=text, **common)
        return handoffs.give_detail(answer=text, **common)

    handoff = change_handoff(caller, handoff_id=_handoff_id(view), change=change, done=done)
    handoff_gaps.send_offers(caller.client, caller.user_id, logged)
    return handoff, text


def decline(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    changed = written_change(ack, view, caller)
    if changed is not None:
        handoff, reason = changed
        messenger.to_thread(caller.client, handoff, f"Reason: {reason}")
        messenger.dm(caller.client, handoff.rep.slack_user_id, f"Their reason: {reason}")


def ask_detail(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    changed = written_change(ack, view, caller)
    if changed is not None:
        handoff, question = changed
        text, blocks = handoff_blocks.detail_question(handoff, caller.user_id, question)
        messenger.to_thread(caller.client, handoff, text + ":\n" + question)
        messenger.dm(caller.client, handoff.rep.slack_user_id, text, blocks)


def answer_detail(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    changed = written_change(ack, view, caller)
    if changed is not None:
        handoff, answer = changed
        user_id = caller.user_id
        messenger.to_thread(
            caller.client, handoff, f"<@{user_id}> answered on handoff #{handoff.id}:\n{answer}"
        )
        messenger.dm(
            caller.client, user_id, f"Sent to <@{handoff.assignee.slack_user_id}>. Thanks!"
        )


def reassign(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    values = view["state"]["values"]
    new_id = forms.user_value(values, Field.ASSIGNEE) or forms.option_value(
        values, Field.ROUTE_CANDIDATE
    )
    if new_id is None:
        ack(response_action="errors", errors={Field.ASSIGNEE.value: "Pick the new SE."})
        return
    try:
        fetch_profile(caller.client, new_id)
    except InvalidInput as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    ack()
    user_id, deps = caller.user_id, caller.deps
    profiles = caller.profiles({new_id: "assignee"})
    previous: dict[str, str | None] = {}

    def change(session: Session, handoff: Handoff, person: Person) -> object:
        previous.update(channel=handoff.channel_id, ts=handoff.message_ts)
        workspace = session.get_one(Workspace, handoff.workspace_id)
        event = handoffs.reassign(
            session=session,
            handoff=handoff,
            actor=person,
            new_assignee=caller.person(session, workspace, new_id, profiles),
            config=deps.config,
            now=deps.clock.now(),
        )
        cards.post(caller.client, session, handoff, deps.config)
        return event

    handoff = change_handoff(
        caller, handoff_id=_handoff_id(view), change=change, done=None, profiles=profiles
    )
    line = handoff_blocks.update_line(handoff, user_id, f"reassigned to <@{new_id}>")
    if previous.get("channel") and previous.get("ts"):
        text, blocks = handoff_blocks.reassigned_card(handoff, line)
        caller.client.chat_update(
            channel=str(previous["channel"]), ts=str(previous["ts"]), text=text, blocks=blocks
        )
    if user_id != handoff.rep.slack_user_id:
        messenger.dm(caller.client, handoff.rep.slack_user_id, line)


def register(app: App) -> None:
    wire(app.view, Callback.HANDOFF_DECLINE, handler=decline)
    wire(app.view, Callback.HANDOFF_ASK_DETAIL, handler=ask_detail)
    wire(app.view, Callback.HANDOFF_ANSWER_DETAIL, handler=answer_detail)
    wire(app.view, Callback.HANDOFF_REASSIGN, handler=reassign)
