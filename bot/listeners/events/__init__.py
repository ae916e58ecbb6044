"""Events API listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.events import fallback, home, uninstall


def register(app: App, deps: Deps) -> None:
    home.register(app, deps)
    uninstall.register(app, deps)
    fallback.register(app)  # last: it takes whatever no listener above took
