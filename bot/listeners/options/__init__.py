"""Options listeners: typeahead answers for external_select fields."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.options import deals


def register(app: App) -> None:
    deals.register(app)
