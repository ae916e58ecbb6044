"""Commands listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.commands import coach, debrief, handoff, precall, qualify


def register(app: App, deps: Deps) -> None:
    coach.register(app, deps)
    debrief.register(app, deps)
    handoff.register(app, deps)
    precall.register(app, deps)
    qualify.register(app, deps)
