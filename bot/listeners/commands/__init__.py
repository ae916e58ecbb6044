"""Commands listeners."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.commands import coach, debrief, handoff, precall, qualify


def register(app: App) -> None:
    coach.register(app)
    debrief.register(app)
    handoff.register(app)
    precall.register(app)
    qualify.register(app)
