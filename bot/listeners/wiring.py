"""Wiring a handler to Slack: every handler is wrapped in :func:`guarded` here, and only here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.slack.errors import guarded

Handler = Callable[..., None]


def wire(route: Callable[[str], Callable[[Handler], Any]], *names: str, handler: Handler) -> None:
    """``wire(app.action, Action.X, Action.Y, handler=f)``: ``f`` answers each of the names."""
    guarded_handler = guarded(handler)
    for name in names:
        route(str(name))(guarded_handler)
