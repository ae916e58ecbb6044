"""`/handoff`: hand a technical problem to an SE, list mine, or open the full form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import handoff as handoff_blocks
from bot.blocks import routing as routing_blocks
from bot.blocks.deals import PendingTooLong
from bot.listeners import deal_choice
from bot.listeners.acting import Caller
from bot.listeners.handoff_flow import create_handoff
from bot.listeners.wiring import wire
from bot.services import deals, handoffs, people, routing
from bot.services.handoffs import HandoffDraft
from bot.slack import forms, metadata
from bot.slack.messenger import reply_privately


def handoff_command(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    command = body  # a slash command's payload is the whole body
    parsed = forms.parse_handoff(command.get("text") or "")
    if isinstance(parsed, forms.CommandError):
        ack(text=parsed.message)
        return
    if isinstance(parsed, forms.HandoffHelp):
        ack(text=handoff_blocks.HELP_TEXT)
        return
    ack()
    if isinstance(parsed, forms.ListHandoffs):
        list_mine(caller, response_url=command.get("response_url"))
    elif isinstance(parsed, forms.HandoffForm):
        open_form(caller, command, parsed)
    else:
        quick_handoff(caller, command, parsed)


def open_form(
    caller: Caller, command: dict[str, Any], parsed: forms.HandoffForm | forms.QuickHandoff
) -> None:
    deal_name, deal_id = _known_deal(caller, parsed.deal)
    caller.client.views_open(
        trigger_id=command["trigger_id"],
        view=handoff_blocks.new_handoff_modal(
            private_metadata=metadata.NewHandoff(
                channel_id=command.get("channel_id", ""),
                response_url=command.get("response_url"),
            ),
            deal=deal_name,
            deal_id=deal_id,
            problem=parsed.problem,
            assignee=parsed.assignee,
            product_area=routing_blocks.product_area_block(
                routing.area_keys(caller.deps.config),
                initial=routing.area_for(
                    caller.deps.config, problem=parsed.problem or "", chosen=None
                ),
            ),
        ),
    )


def _known_deal(caller: Caller, name: str | None) -> tuple[str | None, int | None]:
    """The deal the command named, when it is one known deal (the form's typeahead is
    filled in with it); otherwise the typeahead starts empty."""
    if not name:
        return None, None
    with caller.deps.transaction() as session:
        workspace = people.workspace(
            session=session, slack_team_id=caller.team_id, now=caller.now()
        )
        found = deals.resolve(session=session, workspace=workspace, name=name)
        if isinstance(found, deals.Found):
            return found.deal.name, found.deal.id
    return None, None


def quick_handoff(caller: Caller, command: dict[str, Any], parsed: forms.QuickHandoff) -> None:
    """`/handoff @se Deal: problem`, once the deal is known; else ask which deal is meant
    (or, when the problem is too long to wait in a button, open the form filled in).

    With an SE named, a deal of that very name is found in the handoff's own transaction
    (one transaction, not two, for the usual command); routing reads the deal before it
    picks an SE, so without one the deal is settled first."""
    response_url = command.get("response_url")
    if parsed.assignee and create_handoff(
        caller,
        draft=HandoffDraft(
            deal_name=parsed.deal, problem=parsed.problem, assignee_slack_id=parsed.assignee
        ),
        response_url=response_url,
        only_known_deal=True,
    ):
        return
    waiting = {deal_choice.COMMAND: "handoff", "problem": parsed.problem, "se": parsed.assignee}
    try:
        deal_name = deal_choice.settle(
            caller, parsed.deal, pending=waiting, response_url=response_url
        )
    except PendingTooLong:
        open_form(caller, command, parsed)
        return
    if deal_name is not None:
        resume(caller, waiting, deal_name=deal_name, response_url=response_url)


def resume(
    caller: Caller, choice: dict[str, Any], *, deal_name: str, response_url: str | None
) -> None:
    """Hand off the problem the buttons carried, for the deal the person picked."""
    create_handoff(
        caller,
        draft=HandoffDraft(
            deal_name=deal_name, problem=choice["problem"], assignee_slack_id=choice.get("se")
        ),
        response_url=response_url,
    )


def list_mine(caller: Caller, *, response_url: str | None) -> None:
    """`/handoff list`: the caller's open handoffs, as rep and as SE (nobody is created)."""
    with caller.deps.transaction() as session:
        workspace = people.workspace(
            session=session, slack_team_id=caller.team_id, now=caller.now()
        )
        person = people.find_person(
            session=session, workspace=workspace, slack_user_id=caller.user_id
        )
        as_rep, as_se = handoffs.open_for(session=session, person=person) if person else ([], [])
        text, blocks = handoff_blocks.handoff_list(as_rep, as_se, now=caller.now())
    reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=text, blocks=blocks
    )


def register(app: App) -> None:
    wire(app.command, "/handoff", handler=handoff_command)
