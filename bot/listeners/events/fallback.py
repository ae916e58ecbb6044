"""Requests no other listener takes: acknowledged with 200 and logged once at debug.

Bolt answers an unmatched request with 404, which Slack counts as a failed delivery and
retries. An event the manifest subscribes to later, one Slack sends on its own, or a
button from an old message should cost nothing, so these catch-alls are registered
after every other listener (Bolt runs the first listener that matches).
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App

log = logging.getLogger("dealcoach.unhandled")

ANYTHING = re.compile(".*")


def describe(body: dict[str, Any]) -> dict[str, Any]:
    """What kind of request it was, in fields safe to log (no text, no tokens)."""
    event = body.get("event") or {}
    actions = body.get("actions") or [{}]
    return {
        "kind": body.get("type") or ("command" if "command" in body else "unknown"),
        "event": event.get("type"),
        "subtype": event.get("subtype"),
        "command": body.get("command"),
        "action_id": actions[0].get("action_id"),
        "callback_id": body.get("callback_id") or (body.get("view") or {}).get("callback_id"),
        "team": body.get("team_id") or (body.get("team") or {}).get("id"),
    }


def ignore_event(body: dict[str, Any]) -> None:
    log.debug("no listener for this event; acknowledged", extra=describe(body))


def ignore_interaction(ack: Ack, body: dict[str, Any]) -> None:
    ack()
    log.debug("no listener for this interaction; acknowledged", extra=describe(body))


def ignore_options(ack: Ack, body: dict[str, Any]) -> None:
    ack(options=[])
    log.debug("no listener for these options; acknowledged", extra=describe(body))


def register(app: App) -> None:
    """Call last: anything registered after these would never run."""
    app.event(ANYTHING)(ignore_event)
    app.action(ANYTHING)(ignore_interaction)
    app.action({"type": "interactive_message", "callback_id": ANYTHING})(ignore_interaction)
    app.view(ANYTHING)(ignore_interaction)
    app.view_closed(ANYTHING)(ignore_interaction)
    app.shortcut(ANYTHING)(ignore_interaction)
    app.options(ANYTHING)(ignore_options)
