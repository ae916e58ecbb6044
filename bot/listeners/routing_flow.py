"""Routing steps the handoff listeners share: pick an SE, or hold the handoff for a manager.

Slack statuses and profiles are read before a transaction opens; the ranking, the held
request and the handoff are read and written inside one.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import cards
from bot.blocks import handoff as handoff_blocks
from bot.blocks import routing as routing_blocks
from bot.blocks.common import Blocks
from bot.coaching.routing import Routed
from bot.config import DealCoachConfig
from bot.db.models import Handoff
from bot.listeners.acting import Caller
from bot.services import handoffs, people, routing, unrouted
from bot.services.errors import InvalidInput
from bot.services.handoffs import HandoffDraft
from bot.slack import messenger
from bot.slack.statuses import fetch_statuses


def route_new(caller: Caller, draft: HandoffDraft) -> routing.Outcome:
    """Who fits a handoff the rep named no SE for (statuses read first, with none open)."""
    config = caller.deps.config
    team = routing.team_of_rep(config, caller.user_id)
    statuses = fetch_statuses(caller.client, [se for se in team.ses if se != caller.user_id])
    with caller.deps.transaction() as session:
        workspace = people.workspace(
            session=session, slack_team_id=caller.team_id, now=caller.now()
        )
        need = routing.need_for(
            config,
            team=team,
            problem=draft.problem,
            area=draft.product_area if draft.product_area in config.routing.areas else None,
            territory=routing.deal_territory(
                session=session,
                workspace=workspace,
                deal_name=draft.deal_name,
                deal_id=draft.deal_id,
            ),
        )
        return routing.route(
            session=session,
            workspace=workspace,
            rep_slack_id=caller.user_id,
            need=need,
            team=team,
            config=config,
            now=caller.now(),
            statuses=statuses,
        )


def hold_for_managers(
    caller: Caller, *, draft: HandoffDraft, outcome: routing.Outcome, response_url: str | None
) -> None:
    """Nobody fits: keep the draft, ask the team's SE managers to route it, tell the rep."""
    config = caller.deps.config
    if not outcome.managers:
        raise InvalidInput(
            {
                "assignee": f"No SE on {outcome.team.name} is free for this and the team has "
                "no SE manager to pick one. Name an SE: `/handoff @se Deal name: the problem`."
            }
        )
    with caller.acting() as (session, who):
        held = unrouted.hold(
            session=session,
            workspace=who.workspace,
            rep=who.person,
            draft=draft,
            area=outcome.need.area,
            territory=outcome.need.territory,
            config=config,
            now=caller.now(),
        )
        request = routing_blocks.RouteRequest(
            handoff_id=held.id,
            deal_name=held.deal_name,
            problem=draft.problem.strip(),
            rep_slack_id=caller.user_id,
            area_name=outcome.need.area_name,
            territory=outcome.need.territory,
        )
        text, blocks = routing_blocks.route_this(
            request,
            outcome.routed,
            names=routing.names(
                session=session, workspace=who.workspace, slack_user_ids=outcome.team.ses
            ),
            areas=routing.area_keys(config),
        )
        for manager in outcome.managers:
            sent = messenger.dm(caller.client, manager, text, blocks)
            unrouted.record_notice(held, channel=sent["channel"], ts=sent["ts"])
        text, blocks = routing_blocks.waiting_reply(held.deal_name, outcome.managers)
    messenger.reply_privately(
        caller.client, user_id=caller.user_id, response_url=response_url, text=text, blocks=blocks
    )


def assign_held(caller: Caller, *, unrouted_id: int, se_slack_id: str) -> None:
    """A manager routes a held handoff to ``se_slack_id``: open it, card the SE, tell everyone."""
    config = caller.deps.config
    with caller.acting() as (session, who):  # a quick check before any Slack call
        held = unrouted.get(session=session, workspace=who.workspace, unrouted_id=unrouted_id)
        team = routing.team_of_rep(config, held.rep.slack_user_id)
        unrouted.check_manager(held, caller.user_id, team)
    profiles = caller.profiles({se_slack_id: "assignee"})
    with caller.acting(profiles) as (session, who):
        held = unrouted.get(session=session, workspace=who.workspace, unrouted_id=unrouted_id)
        draft = unrouted.draft_of(held)
        outcome = routing.route(
            session=session,
            workspace=who.workspace,
            rep_slack_id=held.rep.slack_user_id,
            need=routing.need_for(
                config,
                team=team,
                problem=draft.problem,
                area=held.product_area if held.product_area in config.routing.areas else None,
                territory=held.territory,
            ),
            team=team,
            config=config,
            now=caller.now(),
        )
        ranked = next(
            (r for r in outcome.routed.ranked if r.candidate.slack_user_id == se_slack_id), None
        )
        handoff = unrouted.assign(
            session=session,
            workspace=who.workspace,
            held=held,
            actor=who.person,
            assignee=caller.person(session, who.workspace, se_slack_id, profiles),
            team=team,
            reason=ranked.explanation if ranked else "picked by an SE manager",
            config=config,
            now=caller.now(),
        )
        cards.post(caller.client, session, handoff, config)
        notices = unrouted.notices(held)
        text, blocks = confirmation(handoff, config=config)
        rep_slack_id = handoff.rep.slack_user_id
    done_text, done_blocks = routing_blocks.routed_by(se_slack_id, caller.user_id)
    for channel, ts in notices:
        caller.client.chat_update(channel=channel, ts=ts, text=done_text, blocks=done_blocks)
    messenger.dm(caller.client, rep_slack_id, text, blocks)


def confirmation(handoff: Handoff, *, config: DealCoachConfig) -> tuple[str, Blocks]:
    """The rep's confirmation, with who has it and why when routing chose them."""
    text, blocks = handoff_blocks.rep_confirmation(handoff, handoffs.trap(handoff, config))
    if handoff.routing_reason:
        blocks = [
            *blocks,
            routing_blocks.routed_to(handoff.assignee.slack_user_id, handoff.routing_reason),
        ]
    return text, blocks


@dataclass(frozen=True)
class Ranking:
    """The team's SEs ranked for a handoff, and their names for the labels."""

    routed: Routed
    names: dict[str, str]


def ranked_for(caller: Caller, *, handoff_id: int) -> Ranking:
    """The SEs routing would offer for this handoff now, its current SE left out."""
    config = caller.deps.config
    with caller.acting() as (session, who):
        handoff = handoffs.get(session=session, workspace=who.workspace, handoff_id=handoff_id)
        team = routing.team_of_rep(config, handoff.rep.slack_user_id)
        current = handoff.assignee.slack_user_id
    statuses = fetch_statuses(caller.client, [se for se in team.ses if se != current])
    with caller.acting() as (session, who):
        handoff = handoffs.get(session=session, workspace=who.workspace, handoff_id=handoff_id)
        outcome = routing.route(
            session=session,
            workspace=who.workspace,
            rep_slack_id=handoff.rep.slack_user_id,
            need=routing.need_for(
                config,
                team=team,
                problem=handoff.problem,
                area=handoff.product_area if handoff.product_area in config.routing.areas else None,
                territory=handoff.deal.territory,
            ),
            team=team,
            config=config,
            now=caller.now(),
            statuses=statuses,
            exclude=(current,),
        )
        names = routing.names(session=session, workspace=who.workspace, slack_user_ids=team.ses)
    return Ranking(routed=outcome.routed, names=names)
