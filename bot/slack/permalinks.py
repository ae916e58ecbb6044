"""Links to handoff cards, for the report's "waiting longest" list."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reports.figures import OpenHandoff

log = logging.getLogger("dealcoach.permalinks")


def card_links(client: WebClient, cards: Iterable[OpenHandoff]) -> dict[int, str]:
    """Handoff id → permalink of its card; a card Slack no longer has is left out."""
    links: dict[int, str] = {}
    for card in cards:
        if card.channel_id is None or card.message_ts is None:
            continue
        try:
            answer = client.chat_getPermalink(channel=card.channel_id, message_ts=card.message_ts)
        except SlackApiError as exc:
            log.info(
                "no link to a handoff card",
                extra={"handoff": card.id, "error": exc.response.get("error")},
            )
            continue
        links[card.id] = str(answer["permalink"])
    return links


def deep_links(team_id: str, cards: Iterable[OpenHandoff]) -> dict[int, str]:
    """Handoff id → a ``slack://`` deep link to its card, built from the stored channel and
    ts without a Web API call, so the digest's sweep can link cards inside its transaction.

    ``chat.getPermalink`` needs a call per card, and the https permalink needs the
    workspace's domain, which is not stored; the deep link needs only ids we have.
    """
    return {
        card.id: "slack://channel?"
        + urlencode({"team": team_id, "id": card.channel_id, "message": card.message_ts})
        for card in cards
        if card.channel_id is not None and card.message_ts is not None
    }
