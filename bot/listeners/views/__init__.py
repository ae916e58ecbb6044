"""Views listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.views import coach, debrief, handoff, handoff_replies, qualify, snooze


def register(app: App, deps: Deps) -> None:
    coach.register(app, deps)
    debrief.register(app, deps)
    handoff.register(app, deps)
    handoff_replies.register(app, deps)
    qualify.register(app, deps)
    snooze.register(app, deps)
