"""Sending handoff messages: the SE's card, its thread, DMs and private replies."""

from __future__ import annotations

import dataclasses
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session

from bot.blocks import handoff as handoff_blocks
from bot.blocks.common import Blocks
from bot.config import DealCoachConfig
from bot.db.models import Handoff
from bot.services import handoffs
from bot.services.deal_context import DealContext, for_deal


def card_context(session: Session, handoff: Handoff, config: DealCoachConfig) -> DealContext:
    """What a card shows beyond the handoff itself: the deal's context and the history."""
    return dataclasses.replace(
        for_deal(session=session, deal=handoff.deal, config=config),
        history=handoff_blocks.history_lines(handoff, handoffs.time_zone(handoff.assignee, config)),
    )


def post_card(client: WebClient, handoff: Handoff, context: DealContext) -> None:
    """DM the assignee their card and remember where it is."""
    text, blocks = handoff_blocks.assignee_card(handoff, context)
    response = client.chat_postMessage(
        channel=handoff.assignee.slack_user_id, text=text, blocks=blocks, unfurl_links=False
    )
    handoffs.record_card(handoff, channel_id=response["channel"], message_ts=response["ts"])


def refresh_card(client: WebClient, handoff: Handoff, context: DealContext) -> None:
    """Redraw the card after a change of state (new status, new buttons)."""
    if handoff.channel_id is None or handoff.message_ts is None:
        return
    text, blocks = handoff_blocks.assignee_card(handoff, context)
    client.chat_update(channel=handoff.channel_id, ts=handoff.message_ts, text=text, blocks=blocks)


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
