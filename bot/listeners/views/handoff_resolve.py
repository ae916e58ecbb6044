"""Resolving a handoff from its card: an optional note, and optionally a product gap."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.db.models import Handoff, Person
from bot.listeners import handoff_gaps
from bot.listeners.acting import Caller
from bot.listeners.handoff_flow import change_handoff
from bot.listeners.wiring import wire
from bot.services import handoffs
from bot.slack import forms, metadata
from bot.slack.ids import Callback, Field


def resolve(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    deps = caller.deps
    note = (forms.text_value(view["state"]["values"], Field.NOTE) or "").strip() or None
    draft, errors = handoff_gaps.read(view, deps.config)
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    logged = handoff_gaps.Logged()

    def change(session: Session, handoff: Handoff, person: Person) -> object:
        now = deps.clock.now()
        event = handoffs.resolve(
            session=session, handoff=handoff, actor=person, note=note, config=deps.config, now=now
        )
        handoff_gaps.log_on(
            session, handoff, person, draft, config=deps.config, now=now, logged=logged
        )
        return event

    change_handoff(
        caller,
        handoff_id=metadata.HandoffReply.of(view).handoff_id,
        change=change,
        done="resolved",
    )
    handoff_gaps.send_offers(caller.client, caller.user_id, logged)


def register(app: App) -> None:
    wire(app.view, Callback.HANDOFF_RESOLVE, handler=resolve)
