"""Picking a deal: "did you mean" buttons, the typeahead deal field and its options, and the
merge confirmation. Pure builders: data in, validated Block Kit JSON out.

The command that was waiting for the choice travels in the button's value (see
:func:`encode_pending`), so nothing is written before the person chooses.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ExternalDataSelectElement,
    InputBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from bot.blocks.common import Blocks, clip, escape, to_dicts
from bot.services.deal_merge import MergePreview
from bot.services.deals import DealOption
from bot.slack.ids import Action, Field
from bot.slack.ids import Block as BlockId

Message = tuple[str, Blocks]
#: Slack's limits: a button's value, an option's value and text, options in one answer.
BUTTON_VALUE_MAX = 2000
OPTION_VALUE_MAX = 150
OPTION_TEXT_MAX = 75
OPTIONS_MAX = 100
#: Typed characters before Slack asks for options.
MIN_QUERY_LENGTH = 1
_COMPRESSED = "z:"
#: Option values: a known deal by id, or a new deal by the name typed.
_DEAL, _NEW = "deal:", "new:"


class PendingTooLong(ValueError):
    """The waiting command doesn't fit in a button: open the form with it filled in instead."""


def encode_pending(choice: dict[str, Any]) -> str:
    """A button value carrying ``choice`` (the command and the deal picked), under 2,000
    characters: JSON when it fits, else compressed; :class:`PendingTooLong` if neither does."""
    plain = json.dumps(choice, separators=(",", ":"), ensure_ascii=False)
    if len(plain) <= BUTTON_VALUE_MAX:
        return plain
    packed = _COMPRESSED + base64.b85encode(zlib.compress(plain.encode(), 9)).decode()
    if len(packed) <= BUTTON_VALUE_MAX:
        return packed
    raise PendingTooLong(f"{len(plain)} characters of pending command")


def decode_pending(value: str) -> dict[str, Any]:
    """The ``choice`` an :func:`encode_pending` value carries."""
    if value.startswith(_COMPRESSED):
        value = zlib.decompress(base64.b85decode(value[len(_COMPRESSED) :])).decode()
    decoded = json.loads(value)
    if not isinstance(decoded, dict):
        raise ValueError("a pending command is a JSON object")
    return decoded


def did_you_mean(name: str, candidates: Sequence[DealOption], pending: dict[str, Any]) -> Message:
    """One button per close deal (none when nothing is close), and one to create ``name``.

    Each value is ``pending`` plus ``{"deal_id": …}`` or ``{"new_deal": name}``.
    """
    names = " or ".join(f"*{escape(option.name)}*" for option in candidates)
    text = (
        f"I don't have a deal called “{escape(name)}”. Did you mean {names}?"
        if candidates
        else f"I don't have a deal called “{escape(name)}” yet. Is it a new one?"
    )
    buttons = [
        ButtonElement(
            text=clip(option.name, OPTION_TEXT_MAX),
            action_id=f"{Action.DEAL_PICK.value}.{number}",
            value=encode_pending({**pending, "deal_id": option.deal_id}),
        )
        for number, option in enumerate(candidates)
    ]
    buttons.append(
        ButtonElement(
            text=clip(f"New deal named {name}", OPTION_TEXT_MAX),
            action_id=Action.DEAL_CREATE.value,
            value=encode_pending({**pending, "new_deal": name}),
        )
    )
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id=BlockId.DEAL_CHOICES.value, elements=buttons[:25]),
    ]
    return clip(text, 300), to_dicts(blocks)


def deal_field(
    *, label: str = "Deal", initial: DealOption | None = None, optional: bool = False
) -> dict[str, Any]:
    """The modal's deal field: a typeahead over the workspace's deals (``block_suggestion``)."""
    block = InputBlock(
        block_id=Field.DEAL.value,
        label=label,
        optional=optional,
        hint="Start typing the customer's name; pick “Create …” for a new deal.",
        element=ExternalDataSelectElement(
            action_id=Field.DEAL.value,
            placeholder="Customer name",
            min_query_length=MIN_QUERY_LENGTH,
            initial_option=_option(initial) if initial else None,
        ),
    )
    return to_dicts([block])[0]


@dataclass(frozen=True)
class DealChoice:
    """What the deal field's selected option means: a known deal, or a new one by name."""

    deal_id: int | None = None
    new_name: str | None = None


def options_payload(options: Sequence[DealOption], typed: str) -> dict[str, Any]:
    """The answer to a ``block_suggestion``: deals in the order given (most recently active
    first), at most 100 in all, with "Create …" last when something was typed."""
    typed = " ".join(typed.split())
    create = bool(typed) and len(_NEW + typed) <= OPTION_VALUE_MAX
    shown = list(options[: OPTIONS_MAX - 1 if create else OPTIONS_MAX])
    payload = [_option(option).to_dict() for option in shown]
    if create and not any(option.name.casefold() == typed.casefold() for option in shown):
        payload.append(
            Option(text=clip(f"Create “{typed}”", OPTION_TEXT_MAX), value=_NEW + typed).to_dict()
        )
    return {"options": payload}


def read_choice(value: str | None) -> DealChoice | None:
    """The :class:`DealChoice` an option value from :func:`options_payload` carries."""
    if not value:
        return None
    if value.startswith(_NEW):
        return DealChoice(new_name=value[len(_NEW) :])
    if value.startswith(_DEAL) and value[len(_DEAL) :].isdigit():
        return DealChoice(deal_id=int(value[len(_DEAL) :]))
    return None


def merge_confirmation(preview: MergePreview) -> Message:
    """What a merge will move, with Merge and Cancel buttons (values carry both deal ids)."""
    moves = [
        (preview.handoffs, "handoff"),
        (preview.calls, "call"),
        (preview.paraphrases, "paraphrase"),
        (preview.answers, "checklist answer"),
        (preview.nudges, "pending reminder"),
        (preview.snoozes, "snooze"),
        *((count, table.replace("_", " ")) for table, count in preview.other),
    ]
    listed = ", ".join(
        f"{count} {noun}{'s' if count != 1 else ''}" for count, noun in moves if count
    )
    source, target = escape(preview.source_name), escape(preview.target_name)
    text = (
        f"Merge *{source}* into *{target}*? "
        + (f"This moves {listed} to *{target}*" if listed else f"*{source}* has nothing to move")
        + f", then removes *{source}*. It can't be undone."
    )
    if preview.framework_dropped:
        text += f" *{target}* keeps its own checklist framework."
    ids = json.dumps({"source": preview.source_id, "target": preview.target_id})
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(
            block_id=BlockId.DEAL_MERGE.value,
            elements=[
                ButtonElement(
                    text="Merge",
                    action_id=Action.DEAL_MERGE_CONFIRM.value,
                    value=ids,
                    style="danger",
                ),
                ButtonElement(text="Cancel", action_id=Action.DEAL_MERGE_CANCEL.value, value=ids),
            ],
        ),
    ]
    return clip(text.replace("*", ""), 300), to_dicts(blocks)


def _option(option: DealOption) -> Option:
    return Option(text=clip(option.name, OPTION_TEXT_MAX), value=f"{_DEAL}{option.deal_id}")
