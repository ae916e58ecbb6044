"""`/coach merge "Acme Crop" into "Acme Corp"`: SE managers make two deals one.

The command only reads: it finds both deals and shows what would move, with Merge and
Cancel buttons. Merge moves everything in one transaction (``deal_merge.merge``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import deals as deal_blocks
from bot.blocks.common import escape
from bot.config import DealCoachConfig
from bot.db.models import Deal, Workspace
from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import deal_merge, deals, qualification
from bot.services.errors import InvalidInput, NotAllowed
from bot.slack.ids import Action
from bot.slack.messenger import reply_privately

USAGE = (
    'Write it as `/coach merge "Acme Crop" into "Acme Corp"`: the first deal goes into the second.'
)
_QUOTES = "\"“”'‘’"
_MERGE = re.compile(
    rf"^merge\s+[{_QUOTES}](?P<source>[^{_QUOTES}]*)[{_QUOTES}]\s+into\s+"
    rf"[{_QUOTES}](?P<target>[^{_QUOTES}]*)[{_QUOTES}]\s*$",
    re.IGNORECASE | re.DOTALL,
)


def is_merge(text: str) -> bool:
    return text.strip().casefold().startswith("merge")


def parse(text: str) -> tuple[str, str]:
    """The two deal names, or ``InvalidInput`` saying how to write the command."""
    found = _MERGE.match(text.strip())
    if found is None:
        raise InvalidInput({"text": USAGE})
    return found.group("source"), found.group("target")


def may_merge(slack_user_id: str, config: DealCoachConfig) -> bool:
    return any(slack_user_id in team.se_managers for team in config.teams)


def check_manager(caller: Caller) -> None:
    if not may_merge(caller.user_id, caller.deps.config):
        managers = sorted({m for team in caller.deps.config.teams for m in team.se_managers})
        who = ", ".join(f"<@{m}>" for m in managers) or "an SE manager in config/dealcoach.yaml"
        raise NotAllowed(f"Only SE managers merge deals; ask {who}.")


def _one(session: Session, workspace: Workspace, name: str) -> Deal:
    """The deal ``name`` means, or a refusal naming the close ones."""
    resolution = deals.resolve(session=session, workspace=workspace, name=name)
    if isinstance(resolution, deals.Found):
        return resolution.deal
    if isinstance(resolution, deals.Refused):
        raise InvalidInput({"deal": f"{resolution.message} {USAGE}"})
    if isinstance(resolution, deals.Candidates):
        close = " or ".join(f"“{escape(deal.name)}”" for deal in resolution.deals)
        raise InvalidInput(
            {"deal": f"Which deal is “{escape(name)}”: {close}? Write its full name."}
        )
    raise InvalidInput({"deal": f"I don't have a deal called “{escape(name)}”. {USAGE}"})


def merge_command(caller: Caller, *, text: str, response_url: str | None) -> None:
    """Show what merging would move (nothing is written yet)."""
    check_manager(caller)
    source_name, target_name = parse(text)
    with caller.acting() as (session, who):
        source = _one(session, who.workspace, source_name)
        target = _one(session, who.workspace, target_name)
        preview = deal_merge.preview(session=session, source=source, target=target)
    reply, blocks = deal_blocks.merge_confirmation(preview)
    reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=reply, blocks=blocks
    )


def confirm_merge(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """Merge pressed: move everything to the surviving deal in one transaction."""
    ack()
    check_manager(caller)
    ids = json.loads(body["actions"][0].get("value") or "{}")
    with caller.acting() as (session, who):
        source = qualification.get_deal(
            session=session, workspace=who.workspace, deal_id=int(ids["source"])
        )
        target = qualification.get_deal(
            session=session, workspace=who.workspace, deal_id=int(ids["target"])
        )
        moved = deal_merge.merge(
            session=session, source=source, target=target, actor=who.person, now=caller.now()
        )
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=body.get("response_url"),
        text=f"Merged {moved.source_name} into {moved.target_name}; it is one deal now.",
    )


def cancel_merge(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    ack()
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=body.get("response_url"),
        text="Left both deals as they were.",
    )


def register_buttons(app: App) -> None:
    wire(app.action, Action.DEAL_MERGE_CONFIRM, handler=confirm_merge)
    wire(app.action, Action.DEAL_MERGE_CANCEL, handler=cancel_merge)
