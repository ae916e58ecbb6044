"""Slack listeners, one folder per kind; ``register_all`` wires them onto an App."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps


def register_all(app: App, deps: Deps) -> None:
    from bot.listeners import actions, commands, events, options, views
    from bot.listeners.acting import caller_middleware

    app.middleware(caller_middleware(deps))
    commands.register(app)
    actions.register(app)
    views.register(app)
    options.register(app)
    events.register(app, deps)
