"""Debrief modals: the rep's paraphrase (checked and kept as a new version) and the SE's correction.

Field problems go back into the modal (``response_action="errors"``) before anything is
written; a valid paraphrase is saved and its review lands in the rep's DM.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import debrief as debrief_blocks
from bot.deps import Deps
from bot.listeners.coaching_flow import tell_both
from bot.listeners.handoff_flow import actor
from bot.services import paraphrases
from bot.services.errors import InvalidInput
from bot.slack import call_forms, forms, messenger
from bot.slack.directory import ensure_person, fetch_profile
from bot.slack.errors import guarded
from bot.slack.ids import Callback, Field


def register(app: App, deps: Deps) -> None:
    @app.view(Callback.DEBRIEF.value)
    @guarded
    def debrief(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        user_id = body["user"]["id"]
        draft = call_forms.read_debrief_view(view)
        errors = paraphrases.validate(draft)
        if draft.se_slack_id == user_id:
            errors[Field.SE] = "Pick the SE who was on the call; they confirm it, not you."
        elif draft.se_slack_id:
            try:
                fetch_profile(client, draft.se_slack_id, field=Field.SE.value)
            except InvalidInput as exc:
                errors |= exc.errors
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        now = deps.clock.now()
        with deps.transaction() as session:
            who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
            se = (
                ensure_person(
                    session=session,
                    client=client,
                    workspace=who.workspace,
                    slack_user_id=draft.se_slack_id,
                    config=deps.config,
                    now=now,
                    field=Field.SE.value,
                )
                if draft.se_slack_id
                else None
            )
            submitted = paraphrases.submit(
                session=session,
                workspace=who.workspace,
                author=who.person,
                se=se,
                draft=draft,
                config=deps.config,
                now=now,
            )
            text, blocks = debrief_blocks.review_message(submitted.version, submitted.review)
        messenger.dm(client, user_id, text, blocks)

    @app.view(Callback.DEBRIEF_CORRECT.value)
    @guarded
    def correct(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        context: dict[str, Any],
    ) -> None:
        correction = (forms.text_value(view["state"]["values"], Field.CORRECTION) or "").strip()
        if not correction:
            ack(
                response_action="errors",
                errors={Field.CORRECTION.value: "Write the problem as you heard it."},
            )
            return
        if len(correction) > paraphrases.TEXT_MAX:
            ack(
                response_action="errors",
                errors={
                    Field.CORRECTION.value: f"Keep it under {paraphrases.TEXT_MAX:,} characters."
                },
            )
            return
        ack()
        user_id = body["user"]["id"]
        with deps.transaction() as session:
            who = actor(deps, session, client, team_id=context["team_id"], user_id=user_id)
            version = paraphrases.get(
                session=session,
                workspace=who.workspace,
                paraphrase_id=int(forms.metadata(view)["paraphrase_id"]),
            )
            paraphrases.confirm(
                session=session,
                version=version,
                actor=who.person,
                config=deps.config,
                now=deps.clock.now(),
                correction=correction,
            )
        tell_both(client, version, user_id)
