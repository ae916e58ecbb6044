"""Snooze buttons on every nudge: a day, a week, or until a date (with a reason)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_bolt import Ack, App

from bot.blocks import snooze as snooze_blocks
from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import preferences, snoozes
from bot.slack.ids import Action
from bot.slack.messenger import reply_privately

_LENGTHS = {Action.SNOOZE_DAY: timedelta(days=1), Action.SNOOZE_WEEK: timedelta(days=7)}


def apply_snooze(
    caller: Caller,
    *,
    subject: str,
    until: datetime,
    reason: str | None,
    response_url: str | None,
) -> None:
    """Record the snooze and confirm it privately."""
    about = snoozes.subject_from(subject)
    with caller.acting() as (session, who):
        snoozes.snooze(
            session=session,
            workspace=who.workspace,
            person=who.person,
            subject=about,
            until=until,
            reason=reason,
            now=caller.now(),
        )
    text = snooze_blocks.snoozed_text(snooze_blocks.subject_label(about), until)
    reply_privately(caller.client, user_id=caller.user_id, response_url=response_url, text=text)


def snooze_for(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    action = body["actions"][0]
    apply_snooze(
        caller,
        subject=action["value"],
        until=caller.now() + _LENGTHS[Action(action["action_id"])],
        reason=None,
        response_url=body.get("response_url"),
    )


def snooze_until(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    subject = body["actions"][0]["value"]
    with caller.acting() as (_session, who):
        tz = preferences.for_person(who.person, caller.deps.config).tz
    tomorrow = (caller.now().astimezone(tz) + timedelta(days=1)).date()
    caller.client.views_open(
        trigger_id=body["trigger_id"],
        view=snooze_blocks.snooze_until_modal(
            subject=subject,
            label=snooze_blocks.subject_label(subject),
            response_url=body.get("response_url"),
            today=tomorrow,
        ),
    )


def register(app: App) -> None:
    wire(app.action, *_LENGTHS, handler=snooze_for)
    wire(app.action, Action.SNOOZE_UNTIL, handler=snooze_until)
