"""A workspace removes the app or revokes its tokens: drop the tokens, forget its data later."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from slack_bolt import App

from bot.deps import Deps
from bot.listeners.wiring import wire
from bot.services import workspaces

log = logging.getLogger("dealcoach.uninstall")


def forget_workspace(deps: Deps, body: dict[str, Any], event: dict[str, Any]) -> None:
    """``app_uninstalled`` and ``tokens_revoked``: tokens go now, data after the grace period.

    A ``tokens_revoked`` that names only user tokens leaves the bot token alone, so it
    changes nothing: the app holds no user tokens.
    """
    if event["type"] == "tokens_revoked" and not event.get("tokens", {}).get("bot"):
        return
    team_id = body["team_id"]
    grace = timedelta(days=deps.config.uninstall.forget_after_days)
    with deps.transaction() as session:
        done = workspaces.uninstalled(
            session=session, team_id=team_id, now=deps.clock.now(), grace=grace
        )
    deps.profiles.forget(team_id)
    log.info(
        "the app was removed from a workspace",
        extra={
            "team": team_id,
            "event": event["type"],
            "token_rows": done.token_rows,
            "data_forgotten": done.data,
            "forget_after_days": grace.days,
        },
    )


def register(app: App, deps: Deps) -> None:
    def on_removed(body: dict[str, Any], event: dict[str, Any]) -> None:
        forget_workspace(deps, body, event)

    wire(app.event, "app_uninstalled", "tokens_revoked", handler=on_removed)
