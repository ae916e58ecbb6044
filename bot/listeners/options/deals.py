"""The deal typeahead: a modal's deal field asks for options as the person types."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks.deals import options_payload
from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import deals, people
from bot.slack.ids import Field


def deal_options(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """Deals whose name fits what was typed, most recently active first, then "Create …".

    Only reads, and answers in the ack itself (Slack waits at most 3 seconds)."""
    typed = str(body.get("value") or "")
    with caller.deps.reading() as session:
        workspace = people.find_workspace(session=session, slack_team_id=caller.team_id)
        found = (
            deals.options(session=session, workspace=workspace, typed=typed)
            if workspace is not None
            else []
        )
    ack(**options_payload(found, typed))


def register(app: App) -> None:
    wire(app.options, Field.DEAL, handler=deal_options)
