"""Wiring a handler to Slack: every handler is wrapped in :func:`guarded` here, and only here."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from bot.slack.errors import guarded

Handler = Callable[..., None]


def wire(
    route: Callable[[Any], Callable[[Handler], Any]],
    *names: str | re.Pattern[str],
    handler: Handler,
) -> None:
    """``wire(app.action, Action.X, Action.Y, handler=f)``: ``f`` answers each of the names
    (a compiled pattern answers every id it matches)."""
    guarded_handler = guarded(handler)
    for name in names:
        route(name if isinstance(name, re.Pattern) else str(name))(guarded_handler)
