"""The one place a failure becomes a reply: domain errors are explained, bugs are logged once."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any, TypeVar, cast

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import DataError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as TimeoutError_
from sqlalchemy.orm.exc import StaleDataError

from bot.services.errors import DomainError, InvalidInput
from bot.slack.messenger import reply_privately

log = logging.getLogger("dealcoach.errors")

Listener = TypeVar("Listener", bound=Callable[..., None])

SOMETHING_WRONG = (
    "Sorry, that hit a bug on my side and nothing was saved. It's logged for the "
    "maintainers; `/handoff help` shows what I can do meanwhile."
)
DATABASE_DOWN = (
    "I can't reach my database right now, so nothing was saved. Please try again in a minute."
)
SLACK_DOWN = (
    "Slack didn't accept my reply just now, so nothing was saved. Please try again in a minute."
)
OUT_OF_RANGE = (
    "A number in what you sent is far too large for me to use (or not a number at all). "
    "Write a smaller one, e.g. a call number from `/precall list`."
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
    if isinstance(error, OperationalError | InterfaceError | TimeoutError_):
        return DATABASE_DOWN
    if isinstance(error, SlackApiError | SlackClientError):
        return SLACK_DOWN
    if isinstance(error, OverflowError | DataError):
        return OUT_OF_RANGE
    return SOMETHING_WRONG


def report(error: Exception, body: dict[str, Any], client: WebClient) -> None:
    """Log the failure once and tell the person who caused it, privately."""
    user_id = (body.get("user") or {}).get("id") or body.get("user_id")
    kind = body.get("type") or ("slash_command" if "command" in body else "unknown")
    if isinstance(error, DomainError | StaleDataError):
        log.info(
            "request refused",
            extra={"reason": type(error).__name__, "kind": kind, "user": user_id},
        )
    else:
        log.error(
            "listener failed; the user was told nothing was saved",
            exc_info=error,
            extra={"kind": kind, "user": user_id},
        )
    if not user_id:
        return
    try:
        reply_privately(
            client, user_id=user_id, response_url=body.get("response_url"), text=user_message(error)
        )
    except Exception as failed:  # Slack itself is failing: the log is all that is left
        log.warning(
            "could not tell the person what went wrong: Slack did not take the private reply",
            extra={"user": user_id, "reason": type(failed).__name__},
        )


def guarded(listener: Listener) -> Listener:
    """Turn any error a listener raises into :func:`report`, inside the listener's thread.

    Bolt's own error handler races with the ack when a listener fails right after
    acknowledging (Slack then sees a 404 after three seconds), so every listener is
    wrapped instead. Bolt reads the wrapper's signature: the listener's own parameters
    plus ``body`` and ``client``, which :func:`report` needs whether or not it takes them.
    """
    signature = inspect.signature(listener)
    own = signature.parameters
    extra = [
        inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for name in ("body", "client")
        if name not in own
    ]

    def run(**kwargs: Any) -> None:
        try:
            listener(**{name: value for name, value in kwargs.items() if name in own})
        except Exception as error:  # every failure ends here, logged once
            ack = kwargs.get("ack")
            if isinstance(ack, Ack) and ack.response is None:
                ack()
            report(error, kwargs.get("body") or {}, kwargs["client"])

    run.__name__ = run.__qualname__ = listener.__name__
    run.__doc__ = listener.__doc__
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*own.values(), *extra]
    )
    return cast(Listener, run)


def register(app: App) -> None:
    """Failures outside our listeners (Bolt's own middleware) get the same treatment."""

    @app.error
    def handle_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
        report(error, body, client)
