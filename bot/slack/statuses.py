"""Slack profile statuses ("🌴 Vacation"), read with users.info for routing.

Read before a transaction opens; a status that cannot be read counts as no status,
so a Slack hiccup never blocks a handoff (it is logged).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.coaching.away import SlackStatus

log = logging.getLogger("dealcoach.slack.statuses")


def fetch_statuses(client: WebClient, slack_user_ids: Iterable[str]) -> dict[str, SlackStatus]:
    """User id → their profile status; users whose profile cannot be read are left out."""
    statuses: dict[str, SlackStatus] = {}
    for slack_user_id in dict.fromkeys(slack_user_ids):
        try:
            user = client.users_info(user=slack_user_id)["user"]
        except SlackApiError as exc:
            log.warning(
                "could not read a Slack status for routing",
                extra={"user": slack_user_id, "error": exc.response.get("error")},
            )
            continue
        profile = user.get("profile") or {}
        statuses[slack_user_id] = SlackStatus(
            text=str(profile.get("status_text") or ""),
            emoji=str(profile.get("status_emoji") or ""),
            expiration=int(profile.get("status_expiration") or 0),
        )
    return statuses
