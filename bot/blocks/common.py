"""Small pieces every surface shares."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from slack_sdk.models.blocks import Block, PlainTextObject
from slack_sdk.models.views import View

from bot.slack.metadata import Metadata

Blocks = list[dict[str, Any]]

#: Slack caps a section's text at 3,000 characters and a message's fallback text at 40,000.
SECTION_TEXT_MAX = 3000


def escape(text: str) -> str:
    """Make user text safe inside mrkdwn: Slack reads &, < and > as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mention(slack_user_id: str) -> str:
    return f"<@{slack_user_id}>"


def quote(text: str) -> str:
    """User text as a mrkdwn block quote, escaped and cut to fit a section."""
    body = "\n".join(f">{line}" for line in escape(text).splitlines() or [""])
    return clip(body, SECTION_TEXT_MAX - 200)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def to_dicts(blocks: list[Block]) -> Blocks:
    """Block Kit objects to the JSON Slack takes (``to_dict`` validates each one on the
    way: a block Slack would refuse raises ``SlackObjectFormationError`` here)."""
    return [block.to_dict() for block in blocks]


def modal(
    callback: StrEnum,
    title: str,
    submit: str | None,
    blocks: list[Block],
    private_metadata: Metadata | dict[str, Any],
    *,
    close: str = "Cancel",
) -> dict[str, Any]:
    """A validated modal view: titles are cut to Slack's 24 characters, metadata is JSON."""
    view = View(
        type="modal",
        callback_id=callback.value,
        title=PlainTextObject(text=clip(title, 24)),
        submit=PlainTextObject(text=submit) if submit else None,
        close=PlainTextObject(text=close),
        blocks=blocks,
        private_metadata=private_metadata.to_json()
        if isinstance(private_metadata, Metadata)
        else json.dumps(private_metadata),
    )
    view.validate_json()
    return view.to_dict()
