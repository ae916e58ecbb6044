"""Debrief modals: the rep's paraphrase (checked and kept as a new version) and the SE's correction.

Field problems go back into the modal (``response_action="errors"``) before anything is
written; a valid paraphrase is saved and its review lands in the rep's DM.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import debrief as debrief_blocks
from bot.listeners.acting import Caller
from bot.listeners.coaching_flow import tell_both
from bot.listeners.wiring import wire
from bot.services import paraphrases
from bot.services.errors import InvalidInput
from bot.slack import call_forms, forms, messenger, metadata
from bot.slack.directory import fetch_profile
from bot.slack.ids import Callback, Field


def debrief(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    draft = call_forms.read_debrief_view(view)
    errors = paraphrases.validate(draft)
    if draft.se_slack_id == caller.user_id:
        errors[Field.SE] = "Pick the SE who was on the call; they confirm it, not you."
    elif draft.se_slack_id:
        try:
            fetch_profile(caller.client, draft.se_slack_id, field=Field.SE.value)
        except InvalidInput as exc:
            errors |= exc.errors
    if errors:
        ack(response_action="errors", errors=errors)
        return
    ack()
    profiles = caller.profiles({draft.se_slack_id: Field.SE.value} if draft.se_slack_id else None)
    with caller.acting(profiles) as (session, who):
        se = (
            caller.person(session, who.workspace, draft.se_slack_id, profiles)
            if draft.se_slack_id
            else None
        )
        submitted = paraphrases.submit(
            session=session,
            workspace=who.workspace,
            author=who.person,
            se=se,
            draft=draft,
            config=caller.deps.config,
            now=caller.now(),
        )
        text, blocks = debrief_blocks.review_message(submitted.version, submitted.review)
    messenger.dm(caller.client, caller.user_id, text, blocks)


def correct(ack: Ack, view: dict[str, Any], caller: Caller) -> None:
    correction = (forms.text_value(view["state"]["values"], Field.CORRECTION) or "").strip()
    error = paraphrases.correction_error(correction)
    if error is not None:
        ack(response_action="errors", errors={Field.CORRECTION.value: error})
        return
    ack()
    with caller.acting() as (session, who):
        version = paraphrases.get(
            session=session,
            workspace=who.workspace,
            paraphrase_id=metadata.Correction.of(view).paraphrase_id,
        )
        paraphrases.confirm(
            session=session,
            version=version,
            actor=who.person,
            config=caller.deps.config,
            now=caller.now(),
            correction=correction,
        )
    tell_both(caller.client, version, caller.user_id)


def register(app: App) -> None:
    wire(app.view, Callback.DEBRIEF, handler=debrief)
    wire(app.view, Callback.DEBRIEF_CORRECT, handler=correct)
