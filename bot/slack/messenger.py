"""Sending: into a handoff card's thread, DMs, and private replies (plumbing only)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.blocks.common import Blocks
from bot.db.models import Handoff


def to_thread(
    client: WebClient,
    handoff: Handoff,
    text: str,
    blocks: Blocks | None = None,
    *,
    broadcast: bool = False,
) -> None:
    """Post into the card's thread, where every update on a handoff lives."""
    if handoff.channel_id is None or handoff.message_ts is None:
        dm(client, handoff.assignee.slack_user_id, text, blocks)
        return
    client.chat_postMessage(
        channel=handoff.channel_id,
        thread_ts=handoff.message_ts,
        text=text,
        blocks=blocks,
        reply_broadcast=broadcast,
    )


def dm(client: WebClient, slack_user_id: str, text: str, blocks: Blocks | None = None) -> Any:
    return client.chat_postMessage(channel=slack_user_id, text=text, blocks=blocks)


def reply_privately(
    client: WebClient,
    *,
    user_id: str,
    response_url: str | None,
    text: str,
    blocks: Blocks | None = None,
) -> None:
    """An ephemeral reply through the response URL when there is one, else a DM."""
    if response_url:
        WebhookClient(response_url).send(
            text=text, blocks=blocks, response_type="ephemeral", replace_original=False
        )
        return
    dm(client, user_id, text, blocks)
