"""The deal buttons: a "did you mean" choice, "New deal named …", and a merge's confirmation.

A choice runs the command that waited for it (carried in the button's value). The deal is
created only here, on "New deal named …"; picking an existing one writes nothing more than
the waiting command itself does.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App

from bot.blocks.deals import decode_pending
from bot.listeners import deal_choice
from bot.listeners.acting import Caller
from bot.listeners.commands import coach_merge, debrief, gap, handoff, precall
from bot.listeners.wiring import wire
from bot.services import deals, qualification
from bot.services.errors import InvalidInput, NotFound
from bot.slack.errors import guarded
from bot.slack.ids import Action

#: ``deal_pick.0`` … ``deal_pick.24``: one button per candidate on a "did you mean".
PICK = re.compile(rf"^{re.escape(Action.DEAL_PICK.value)}\.\d+$")


def choose_deal(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """A deal picked (or "New deal named …" pressed): run the command that waited."""
    ack()
    action = body["actions"][0]
    choice = decode_pending(action.get("value") or "{}")
    response_url = body.get("response_url")
    with caller.acting() as (session, who):
        if "new_deal" in choice:
            name = str(choice["new_deal"])
            if refused := deals.check_name(name):
                raise InvalidInput({"deal": refused.message})
            deal = deals.create(
                session=session,
                workspace=who.workspace,
                name=name,
                owner=who.person,
                now=caller.now(),
            )
        else:
            deal = qualification.get_deal(
                session=session, workspace=who.workspace, deal_id=int(choice["deal_id"])
            )
        deal_name = deal.name
    command = choice.get(deal_choice.COMMAND)
    if command == "handoff":
        handoff.resume(caller, choice, deal_name=deal_name, response_url=response_url)
    elif command == "precall":
        precall.resume(caller, choice, deal_name=deal_name, response_url=response_url)
    elif command == "debrief":
        debrief.resume(
            caller,
            choice,
            deal_name=deal_name,
            trigger_id=body["trigger_id"],
            response_url=response_url,
        )
    elif command == gap.PENDING_COMMAND:
        gap.resume(caller, choice, deal_name=deal_name, response_url=response_url)
    else:
        raise NotFound("That choice has expired; type the command again.")


def register(app: App) -> None:
    app.action(PICK)(guarded(choose_deal))
    wire(app.action, Action.DEAL_CREATE, handler=choose_deal)
    coach_merge.register_buttons(app)
