"""Views listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.views import (
    coach,
    debrief,
    handoff,
    handoff_replies,
    handoff_resolve,
    qualify,
    routing,
    snooze,
)


def register(app: App) -> None:
    coach.register(app)
    debrief.register(app)
    handoff.register(app)
    handoff_replies.register(app)
    handoff_resolve.register(app)
    qualify.register(app)
    routing.register(app)
    snooze.register(app)
