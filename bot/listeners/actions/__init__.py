"""Actions listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.actions import debrief, handoff, precall, qualify, snooze


def register(app: App, deps: Deps) -> None:
    debrief.register(app, deps)
    handoff.register(app, deps)
    precall.register(app, deps)
    qualify.register(app, deps)
    snooze.register(app, deps)
