"""The SE's handoff card: the one path that gathers its context, draws it, posts and redraws it.

Listeners and the scheduler's planners both use it. The card is drawn inside the caller's
transaction (it reads the deal's gaps and the handoff's history); redrawing it on Slack
happens after the commit.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.blocks import handoff as handoff_blocks
from bot.config import DealCoachConfig
from bot.db.models import Handoff
from bot.domain.deal_context import DealContext
from bot.services import handoffs
from bot.services.deal_context import for_deal

#: A card drawn inside the transaction, to be sent once it has committed.
Redraw = Callable[[WebClient], None]


def context(session: Session, handoff: Handoff, config: DealCoachConfig) -> DealContext:
    """What a card shows beyond the handoff itself: the deal's context and the history."""
    return dataclasses.replace(
        for_deal(session=session, deal=handoff.deal, config=config),
        history=tuple(handoff.events),
        time_zone=handoffs.time_zone(handoff.assignee, config),
        product_area=config.routing.area_name(handoff.product_area),
    )


def post(client: WebClient, session: Session, handoff: Handoff, config: DealCoachConfig) -> None:
    """DM the assignee their card and remember where it is."""
    text, blocks = handoff_blocks.assignee_card(handoff, context(session, handoff, config))
    response = client.chat_postMessage(
        channel=handoff.assignee.slack_user_id, text=text, blocks=blocks, unfurl_links=False
    )
    handoffs.record_card(handoff, channel_id=response["channel"], message_ts=response["ts"])


@dataclasses.dataclass(frozen=True)
class NewCard:
    """A new card drawn inside the transaction, to post once it has committed."""

    handoff_id: int
    channel: str
    text: str
    blocks: list[Any]

    def send(self, client: WebClient) -> tuple[str, str]:
        """Post it; where it went (channel id, message ts)."""
        response = client.chat_postMessage(
            channel=self.channel, text=self.text, blocks=self.blocks, unfurl_links=False
        )
        return response["channel"], response["ts"]


def draw(session: Session, handoff: Handoff, config: DealCoachConfig) -> NewCard:
    """The assignee's new card, for :meth:`NewCard.send` after the commit."""
    text, blocks = handoff_blocks.assignee_card(handoff, context(session, handoff, config))
    return NewCard(handoff.id, handoff.assignee.slack_user_id, text, list(blocks))


def redraw(session: Session, handoff: Handoff, config: DealCoachConfig) -> Redraw | None:
    """The card as it stands now, to send after the commit (``None``: no card was posted)."""
    channel, ts = handoff.channel_id, handoff.message_ts
    if channel is None or ts is None:
        return None
    text, blocks = handoff_blocks.assignee_card(handoff, context(session, handoff, config))

    def send(client: WebClient) -> None:
        client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)

    return send
