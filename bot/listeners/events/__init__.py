"""Events API listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.events import fallback, home, uninstall


def register(app: App, deps: Deps) -> None:
    home.register(app)
    uninstall.register(app, deps)  # no person acts here, so no Caller: deps come along
    fallback.register(app)  # last: it takes whatever no listener above took
