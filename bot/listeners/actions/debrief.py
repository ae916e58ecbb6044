"""Buttons on a paraphrase: the rep revises or sends it; the SE confirms or corrects it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import debrief as debrief_blocks
from bot.listeners.acting import Caller
from bot.listeners.coaching_flow import open_debrief, review_for, tell_both
from bot.listeners.wiring import wire
from bot.services import paraphrases
from bot.slack import messenger
from bot.slack.ids import Action


def _version_id(body: dict[str, Any]) -> int:
    return int(body["actions"][0]["value"])


def revise(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    open_debrief(caller, trigger_id=body["trigger_id"], version_id=_version_id(body))


def send(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """Post the SE's card (before the commit: if Slack refuses it, nothing is marked sent)."""
    ack()
    with caller.acting() as (session, who):
        version = paraphrases.get(
            session=session, workspace=who.workspace, paraphrase_id=_version_id(body)
        )
        se = paraphrases.send_to_se(
            session=session, version=version, actor=who.person, now=caller.now()
        )
        text, blocks = debrief_blocks.se_card(version)
        posted = messenger.dm(caller.client, se.slack_user_id, text, blocks)
        paraphrases.record_card(version, channel_id=posted["channel"], message_ts=posted["ts"])
        text, blocks = debrief_blocks.sent_note(version, review_for(caller.deps, version))
    caller.client.chat_update(
        channel=body["channel"]["id"], ts=body["message"]["ts"], text=text, blocks=blocks
    )


def confirm(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    with caller.acting() as (session, who):
        version = paraphrases.get(
            session=session, workspace=who.workspace, paraphrase_id=_version_id(body)
        )
        paraphrases.confirm(
            session=session,
            version=version,
            actor=who.person,
            config=caller.deps.config,
            now=caller.now(),
        )
    tell_both(caller.client, version, caller.user_id)


def correct(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    with caller.acting() as (session, who):
        version = paraphrases.get(
            session=session, workspace=who.workspace, paraphrase_id=_version_id(body)
        )
        paraphrases.check_confirm(
            session=session, version=version, actor=who.person, config=caller.deps.config
        )
        view = debrief_blocks.correct_modal(version)
    caller.client.views_open(trigger_id=body["trigger_id"], view=view)


def register(app: App) -> None:
    wire(app.action, Action.DEBRIEF_REVISE, handler=revise)
    wire(app.action, Action.DEBRIEF_SEND, handler=send)
    wire(app.action, Action.DEBRIEF_CONFIRM, handler=confirm)
    wire(app.action, Action.DEBRIEF_CORRECT, handler=correct)
