"""/qualify buttons: Back and Next in the checklist walk, and the buttons on messages
(continue the checklist, "did you mean" choices, create a new deal)."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.blocks import qualification as qualification_blocks
from bot.listeners import qualify_flow as flow
from bot.listeners.acting import Caller
from bot.listeners.wiring import wire
from bot.services import handoffs, qualification
from bot.slack.ids import Action
from bot.slack.metadata import QualifyChecklist
from bot.slack.qualify_forms import Mode, read_answers


def _choice(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON a message button carries (deal or name, mode, framework)."""
    loaded = json.loads(body["actions"][0].get("value") or "{}")
    return loaded if isinstance(loaded, dict) else {}


def step(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """Back or Next: save this item's answer, then show the previous or next one."""
    ack()
    view = body["view"]
    meta = QualifyChecklist.of(view)
    index = meta.index
    forward = body["actions"][0]["action_id"] == Action.QUALIFY_NEXT
    answers, errors = read_answers(view)
    deps = caller.deps
    with caller.acting() as (session, who):
        deal = qualification.get_deal(
            session=session, workspace=who.workspace, deal_id=meta.deal_id
        )
        checklist = flow.under(session, deal, meta.framework, deps).checklist
        if not errors:
            qualification.record(
                session=session,
                deal=deal,
                framework=checklist,
                answers=answers,
                actor=who.person,
                config=deps.config,
                now=caller.now(),
            )
            index += 1 if forward else -1
        standing = flow.under(session, deal, checklist.key, deps)
        index = max(0, min(index, len(standing.items)))
        if index == len(standing.items):
            new_view = qualification_blocks.finished_modal(standing, private_metadata=meta)
        else:
            new_view = qualification_blocks.walk_modal(
                standing,
                index,
                tz=handoffs.time_zone(who.person, deps.config),
                private_metadata=meta,
                # Nothing was saved, so the item stays put with what to fix.
                notice=" ".join(errors.values()) or None,
            )
    flow.update_view(caller.client, view, new_view)


def open_deal(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """A deal named on a message: the checklist, a "did you mean" choice."""
    ack()
    choice = _choice(body)
    flow.open_deal(
        caller,
        deal_id=int(choice["deal_id"]),
        mode=Mode(choice.get("mode") or Mode.WALK),
        framework=choice.get("framework"),
        trigger_id=body.get("trigger_id"),
        response_url=body.get("response_url"),
    )


def new_deal(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """The name was not a typo: ask for the new deal's details."""
    ack()
    choice = _choice(body)
    outcome = flow.new_deal(
        str(choice["name"]),
        mode=Mode(choice.get("mode") or Mode.WALK),
        framework=choice.get("framework"),
        user_id=body["user"]["id"],
        response_url=body.get("response_url"),
    )
    client.views_open(trigger_id=body["trigger_id"], view=outcome.view)


def register(app: App) -> None:
    wire(app.action, Action.QUALIFY_BACK, Action.QUALIFY_NEXT, handler=step)
    wire(app.action, Action.QUALIFY_OPEN, Action.QUALIFY_PICK_DEAL, handler=open_deal)
    wire(app.action, Action.QUALIFY_NEW_DEAL, handler=new_deal)
