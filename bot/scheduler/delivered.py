"""Exactly once where Slack cannot promise it: every nudge carries its rows' ids.

Slack has no idempotency key for ``chat.postMessage``. A worker that dies after Slack
accepted a message but before the database recorded it leaves a claimed row that looks
unsent. So each message carries Slack message metadata naming the due rows it delivers,
and a worker that takes over such a row first reads the conversation's recent history
(``include_all_metadata``) for that metadata: found, the row is marked sent; not found,
it is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.metadata import Metadata

log = logging.getLogger("dealcoach.sweep")

#: The metadata ``event_type`` of every message the sweep sends.
EVENT_TYPE = "dealcoach_due_work"
#: How far back a takeover looks (messages per conversation, newest first).
HISTORY_DEPTH = 100
#: Slack errors that mean "this conversation's history cannot be read by us at all"
#: (an install without a history scope); the row is then sent (at least once).
UNREADABLE = frozenset({"missing_scope", "not_in_channel", "channel_not_found", "not_allowed"})


class HistoryUnreadable(Exception):
    """The bot may not read this conversation: checking is impossible, not merely failing."""


def metadata_for(work_ids: Iterable[int]) -> Metadata:
    """The metadata one message carries: the ids of every due row it delivers."""
    ids = ",".join(str(i) for i in sorted(work_ids))
    return Metadata(event_type=EVENT_TYPE, event_payload={"due_work_ids": ids})


def ids_in(message: Mapping[str, Any]) -> set[int]:
    """The due row ids a message from history says it delivered (none when not ours)."""
    metadata = message.get("metadata")
    if not isinstance(metadata, Mapping) or metadata.get("event_type") != EVENT_TYPE:
        return set()
    payload = metadata.get("event_payload")
    raw = payload.get("due_work_ids") if isinstance(payload, Mapping) else None
    if not isinstance(raw, str):
        return set()
    return {int(part) for part in raw.split(",") if part.strip().isdigit()}


def delivered_ids(client: WebClient, *, channel: str, thread_ts: str | None) -> set[int]:
    """Every due row id recent messages in this conversation (or thread) say they carried.

    ``channel`` may be a user id (a DM): the DM is opened to learn its id. Raises
    :class:`HistoryUnreadable` when the bot may not read it, and the SDK's errors when Slack
    is unreachable or refuses for another reason.
    """
    try:
        if channel.startswith(("U", "W")):
            opened = client.conversations_open(users=channel)
            channel = str(opened["channel"]["id"])
        if thread_ts is not None:
            response = client.conversations_replies(
                channel=channel, ts=thread_ts, limit=HISTORY_DEPTH, include_all_metadata=True
            )
        else:
            response = client.conversations_history(
                channel=channel, limit=HISTORY_DEPTH, include_all_metadata=True
            )
    except SlackApiError as exc:
        if exc.response.get("error") in UNREADABLE:
            raise HistoryUnreadable(str(exc.response.get("error"))) from exc
        raise
    found: set[int] = set()
    for message in response.get("messages") or []:
        if isinstance(message, Mapping):
            found |= ids_in(message)
    return found


def describe(exc: Exception) -> str:
    """A Slack failure in one line, for logs and ``last_error``."""
    if isinstance(exc, SlackApiError):
        return f"Slack answered {exc.response.status_code}: {exc.response.get('error')}"
    return f"{type(exc).__name__}: {exc}"
