"""Texts fitted to Slack's limits before the call, never discovered by Slack.

- a message's ``text``: 40,000 characters (trimmed, with an ellipsis);
- a text object in blocks (section, context, fields): 3,000 characters (trimmed);
- a modal's ``private_metadata``: 3,000 characters (refused: it cannot be cut without
  losing what the form must carry, so the person is asked to shorten what they wrote).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.services.errors import DomainError

log = logging.getLogger("dealcoach.slack")

MESSAGE_TEXT_MAX = 40_000
TEXT_OBJECT_MAX = 3_000
PRIVATE_METADATA_MAX = 3_000
ELLIPSIS = "…"

_MESSAGES = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update"})
_VIEWS = frozenset({"views.open", "views.push", "views.update", "views.publish"})


class TooLongForSlack(DomainError):
    """What the person wrote makes a form longer than Slack can carry."""

    def __init__(self) -> None:
        super().__init__(
            "That is too long for a Slack form to carry. Shorten what you wrote: keep a "
            "deal's name under 150 characters and link to longer notes, then try again."
        )


def _trim(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS


def _fit_blocks(value: Any) -> int:
    """Trim every text object over the limit, in place; how many were trimmed."""
    trimmed = 0
    if isinstance(value, dict):
        text = value.get("text")
        is_text_object = value.get("type") in ("mrkdwn", "plain_text")
        if is_text_object and isinstance(text, str) and len(text) > TEXT_OBJECT_MAX:
            value["text"] = _trim(text, TEXT_OBJECT_MAX)
            trimmed += 1
        for item in value.values():
            if isinstance(item, dict | list):
                trimmed += _fit_blocks(item)
    elif isinstance(value, list):
        for item in value:
            trimmed += _fit_blocks(item)
    return trimmed


def fit(api_method: str, payload: dict[str, Any] | None) -> None:
    """Fit ``payload`` (a JSON body, changed in place) to Slack's limits for this method."""
    if not payload:
        return
    trimmed = 0
    if api_method in _MESSAGES:
        text = payload.get("text")
        if isinstance(text, str) and len(text) > MESSAGE_TEXT_MAX:
            payload["text"] = _trim(text, MESSAGE_TEXT_MAX)
            trimmed += 1
        if isinstance(payload.get("blocks"), list):
            trimmed += _fit_blocks(payload["blocks"])
    elif api_method in _VIEWS and isinstance(payload.get("view"), dict):
        view = payload["view"]
        metadata = view.get("private_metadata")
        if isinstance(metadata, str) and len(metadata) > PRIVATE_METADATA_MAX:
            log.info("a form's private_metadata is too long; refused before the call")
            raise TooLongForSlack()
        trimmed += _fit_blocks(view.get("blocks"))
    if trimmed:
        log.info("texts trimmed to Slack's limits", extra={"method": api_method, "count": trimmed})
