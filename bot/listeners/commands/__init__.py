"""Commands listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.commands import handoff


def register(app: App, deps: Deps) -> None:
    handoff.register(app, deps)
