"""Routing buttons: a manager routes a held handoff ("route this"), and Reassign's ranked SEs."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.blocks import handoff as handoff_blocks
from bot.blocks import routing as routing_blocks
from bot.blocks import routing_forms
from bot.listeners.acting import Caller
from bot.listeners.handoff_flow import load_for
from bot.listeners.routing_flow import assign_held, ranked_for
from bot.listeners.wiring import wire
from bot.services import routing, unrouted
from bot.slack.ids import ROUTE_ASSIGN_PATTERN, Action


def route_assign(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """A candidate's button on "route this": give the held handoff to that SE."""
    ack()
    unrouted_id, se_slack_id = routing_blocks.read_choice(body["actions"][0]["value"])
    assign_held(caller, unrouted_id=unrouted_id, se_slack_id=se_slack_id)


def pick_other(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """ "Pick someone else": a form with a user picker (only for the team's SE managers)."""
    ack()
    unrouted_id = int(body["actions"][0]["value"])
    with caller.acting() as (session, who):
        held = unrouted.get(session=session, workspace=who.workspace, unrouted_id=unrouted_id)
        team = routing.team_of_rep(caller.deps.config, held.rep.slack_user_id)
        unrouted.check_manager(held, caller.user_id, team)
        view = routing_forms.pick_someone_modal(
            held.id, held.deal_name, unrouted.draft_of(held).problem
        )
    caller.client.views_open(trigger_id=body["trigger_id"], view=view)


def open_reassign(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """Reassign: the same ranked SEs routing would offer, the current one left out."""
    ack()
    handoff = load_for(caller, handoff_id=int(body["actions"][0]["value"]), verb="reassign")
    ranked = ranked_for(caller, handoff_id=handoff.id)
    caller.client.views_open(
        trigger_id=body["trigger_id"],
        view=routing_forms.reassign_modal(
            handoff_id=handoff.id,
            title=handoff_blocks.title(handoff),
            problem=handoff.problem,
            routed=ranked.routed,
            names=ranked.names,
            areas=routing.area_keys(caller.deps.config),
        ),
    )


def register(app: App) -> None:
    wire(app.action, ROUTE_ASSIGN_PATTERN, handler=route_assign)
    wire(app.action, Action.ROUTE_PICK_OTHER, handler=pick_other)
    wire(app.action, Action.HANDOFF_REASSIGN, handler=open_reassign)
