"""Actions listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.actions import deals, debrief, handoff, precall, qualify, routing, snooze


def register(app: App) -> None:
    deals.register(app)
    debrief.register(app)
    handoff.register(app)
    precall.register(app)
    qualify.register(app)
    routing.register(app)
    snooze.register(app)
