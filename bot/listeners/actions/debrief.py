"""Buttons on a paraphrase: the rep revises or sends it; the SE confirms or corrects it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import debrief as debrief_blocks
from bot.deps import Deps
from bot.listeners.coaching_flow import open_debrief, review_for, tell_both
from bot.listeners.handoff_flow import actor
from bot.services import paraphrases
from bot.slack import messenger
from bot.slack.errors import guarded
from bot.slack.ids import Action


def _version_id(body: dict[str, Any]) -> int:
    return int(body["actions"][0]["value"])


def register(app: App, deps: Deps) -> None:
    @app.action(Action.DEBRIEF_REVISE.value)
    @guarded
    def revise(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        ack()
        open_debrief(
            deps,
            client,
            team_id=context["team_id"],
            user_id=body["user"]["id"],
            trigger_id=body["trigger_id"],
            version_id=_version_id(body),
        )

    @app.action(Action.DEBRIEF_SEND.value)
    @guarded
    def send(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        """Post the SE's card (before the commit: if Slack refuses it, nothing is marked sent)."""
        ack()
        with deps.transaction() as session:
            who = actor(
                deps, session, client, team_id=context["team_id"], user_id=body["user"]["id"]
            )
            version = paraphrases.get(
                session=session, workspace=who.workspace, paraphrase_id=_version_id(body)
            )
            se = paraphrases.send_to_se(
                session=session, version=version, actor=who.person, now=deps.clock.now()
            )
            text, blocks = debrief_blocks.se_card(version)
            posted = messenger.dm(client, se.slack_user_id, text, blocks)
            paraphrases.record_card(version, channel_id=posted["channel"], message_ts=posted["ts"])
            text, blocks = debrief_blocks.sent_note(version, review_for(deps, version))
        client.chat_update(
            channel=body["channel"]["id"], ts=body["message"]["ts"], text=text, blocks=blocks
        )

    @app.action(Action.DEBRIEF_CONFIRM.value)
    @guarded
    def confirm(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        ack()
        user_id = body["user"]["id"]
        with deps.transaction() as session:
            who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
            version = paraphrases.get(
                session=session, workspace=who.workspace, paraphrase_id=_version_id(body)
            )
            paraphrases.confirm(
                session=session,
                version=version,
                actor=who.person,
                config=deps.config,
                now=deps.clock.now(),
            )
        tell_both(client, version, user_id)

    @app.action(Action.DEBRIEF_CORRECT.value)
    @guarded
    def correct(ack: Ack, body: dict[str, Any], client: WebClient, context: dict[str, Any]) -> None:
        ack()
        with deps.transaction() as session:
            who = actor(
                deps, session, client, team_id=context["team_id"], user_id=body["user"]["id"]
            )
            version = paraphrases.get(
                session=session, workspace=who.workspace, paraphrase_id=_version_id(body)
            )
            paraphrases.check_confirm(
                session=session, version=version, actor=who.person, config=deps.config
            )
            view = debrief_blocks.correct_modal(version)
        client.views_open(trigger_id=body["trigger_id"], view=view)
