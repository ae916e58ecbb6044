"""The one place a failure becomes a reply: domain errors are explained, bugs are logged once."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from sqlalchemy.orm.exc import StaleDataError

from bot.services.errors import DomainError, InvalidInput
from bot.slack.messenger import reply_privately

log = logging.getLogger("dealcoach.errors")

SOMETHING_WRONG = (
    "Sorry, something went wrong on my side and nothing was saved. "
    "It's logged for the maintainers; please try again in a minute."
)
CHANGED_MEANWHILE = (
    "Someone changed this handoff a moment ago, so I left it as they set it. "
    "`/handoff list` shows where it stands now."
)


def user_message(error: Exception) -> str:
    if isinstance(error, InvalidInput):
        return "\n".join(f"• {message}" for message in error.errors.values())
    if isinstance(error, DomainError):
        return str(error)
    if isinstance(error, StaleDataError):
        return CHANGED_MEANWHILE
    return SOMETHING_WRONG


def register(app: App) -> None:
    @app.error
    def handle_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
        user_id = (body.get("user") or {}).get("id") or body.get("user_id")
        kind = body.get("type") or ("slash_command" if "command" in body else "unknown")
        if isinstance(error, DomainError | StaleDataError):
            log.info(
                "request refused",
                extra={"reason": type(error).__name__, "kind": kind, "user": user_id},
            )
        else:
            log.exception(
                "listener failed; the user was told nothing was saved",
                exc_info=error,
                extra={"kind": kind, "user": user_id},
            )
        if user_id:
            reply_privately(
                client,
                user_id=user_id,
                response_url=body.get("response_url"),
                text=user_message(error),
            )
