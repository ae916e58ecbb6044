"""Snooze buttons for every nudge, and the "until a date" form."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.blocks.common import escape
from bot.domain.subject import Subject
from bot.slack.ids import Action, Callback, Field, PerItem, per_item
from bot.slack.metadata import SnoozeUntil


def snooze_actions(subject: Subject) -> dict[str, Any]:
    """The three snooze buttons; their value is what the nudge is about."""
    value = str(subject)
    block = ActionsBlock(
        block_id=per_item(PerItem.SNOOZE, subject),
        elements=[
            ButtonElement(text="Snooze 1 day", action_id=Action.SNOOZE_DAY.value, value=value),
            ButtonElement(text="Snooze 1 week", action_id=Action.SNOOZE_WEEK.value, value=value),
            ButtonElement(text="Snooze until…", action_id=Action.SNOOZE_UNTIL.value, value=value),
        ],
    )
    block.validate_json()
    return block.to_dict()


def snooze_until_modal(
    *, subject: str, label: str, response_url: str | None, today: date
) -> dict[str, Any]:
    view = View(
        type="modal",
        callback_id=Callback.SNOOZE_UNTIL.value,
        title=PlainTextObject(text="Snooze"),
        submit=PlainTextObject(text="Snooze"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=SnoozeUntil(subject=subject, response_url=response_url).to_json(),
        blocks=[
            SectionBlock(
                text=MarkdownTextObject(
                    text=f"No nudges about *{escape(label)}* until the morning of:"
                )
            ),
            InputBlock(
                block_id=Field.SNOOZE_UNTIL.value,
                label="Until",
                element=DatePickerElement(
                    action_id=Field.SNOOZE_UNTIL.value, initial_date=today.isoformat()
                ),
            ),
            InputBlock(
                block_id=Field.SNOOZE_REASON.value,
                label="Why (your manager sees this)",
                element=PlainTextInputElement(
                    action_id=Field.SNOOZE_REASON.value,
                    placeholder="Customer is on holiday until the 3rd",
                    max_length=500,
                ),
            ),
        ],
    )
    view.validate_json()
    return view.to_dict()


def snoozed_text(label: str, until: datetime) -> str:
    return (
        f"Snoozed: no nudges about {escape(label)} until {until:%a %d %b}. "
        "Anything new from the others still reaches you."
    )


def subject_label(subject: Subject | str) -> str:
    """ "handoff:12" → "handoff #12" (text that is no subject is shown as it is)."""
    parsed = Subject.parse(subject) if isinstance(subject, str) else subject
    return parsed.label if parsed is not None else str(subject)
