"""`/coach gap <deal>: <what is missing>`, the "Link them" button after it, and the step a
"did you mean" choice comes back to.

The deal goes through the one resolver: a name that is not quite a deal gets "did you
mean" buttons carrying the command, and nothing is written before the person picks.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from sqlalchemy.orm import Session

from bot.blocks import deals as deal_blocks
from bot.blocks import report as report_blocks
from bot.blocks.common import Blocks
from bot.coaching.expert_trap import format_money
from bot.config import DealCoachConfig
from bot.db.models import Deal, ProductGap
from bot.listeners import deal_choice
from bot.listeners.acting import Actor, Caller
from bot.listeners.wiring import wire
from bot.services import deals, gaps
from bot.services.errors import InvalidInput
from bot.services.gaps import GapDraft
from bot.slack import gap_forms
from bot.slack.ids import Action
from bot.slack.messenger import reply_privately

Message = tuple[str, Blocks]
#: The ``command`` a "did you mean" button's pending value names for this step.
PENDING_COMMAND = "gap"


def checked(text: str, config: DealCoachConfig) -> gap_forms.GapCommand:
    """The typed command, refused with how to write it before anything is looked up."""
    parsed = gap_forms.parse(text)
    if parsed.errors:
        raise InvalidInput(parsed.errors)
    if parsed.deal_name is None:
        raise InvalidInput({"deal": gap_forms.USAGE})
    # All but the deal can be checked now; the deal is the resolver's business.
    errors = gaps.validate(parsed.draft, deal=None, config=config)
    errors.pop("deal", None)
    if errors:
        raise InvalidInput(errors)
    return parsed


def _offer(session: Session, gap: ProductGap, config: DealCoachConfig) -> Message:
    offers = gaps.link_offers(session=session, gap=gap, config=config)
    return report_blocks.link_offer(
        gap.id,
        gap.deal.name,
        [(offer.group.id, offer.group.title, offer.other_deals) for offer in offers],
    )


def _log(caller: Caller, session: Session, who: Actor, deal: Deal, draft: GapDraft) -> Message:
    gap = gaps.log(
        session=session,
        workspace=who.workspace,
        deal=deal,
        draft=draft,
        actor=who.person,
        config=caller.deps.config,
        now=caller.now(),
    )
    return _offer(session, gap, caller.deps.config)


def log_gap(caller: Caller, *, text: str, response_url: str | None) -> None:
    """`/coach gap …`: log it on the deal the name resolves to, or ask which deal."""
    parsed = checked(text, caller.deps.config)
    assert parsed.deal_name is not None
    with caller.acting() as (session, who):
        found = deals.resolve(session=session, workspace=who.workspace, name=parsed.deal_name)
        if isinstance(found, deals.Refused):
            raise InvalidInput({"deal": f"{found.message} {gap_forms.USAGE}"})
        if isinstance(found, deals.Found):
            text_out, blocks = _log(caller, session, who, found.deal, parsed.draft)
        else:
            close = found.deals if isinstance(found, deals.Candidates) else ()
            text_out, blocks = deal_blocks.did_you_mean(
                found.name,
                [deals.DealOption(deal.id, deal.name) for deal in close],
                {deal_choice.COMMAND: PENDING_COMMAND, "text": text},
            )
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=response_url,
        text=text_out,
        blocks=blocks,
    )


def resume(
    caller: Caller, choice: dict[str, Any], *, deal_name: str, response_url: str | None
) -> None:
    """A "did you mean" button for `/coach gap` was pressed (the deal is chosen, or was just
    created, by :func:`bot.listeners.actions.deals.choose_deal`): log the gap on it."""
    parsed = checked(str(choice.get("text") or ""), caller.deps.config)
    with caller.acting() as (session, who):
        found = deals.resolve(session=session, workspace=who.workspace, name=deal_name)
        if not isinstance(found, deals.Found):
            raise InvalidInput({"deal": f"That deal is gone. {gap_forms.USAGE}"})
        text_out, blocks = _log(caller, session, who, found.deal, parsed.draft)
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=response_url,
        text=text_out,
        blocks=blocks,
    )


def link_gap(ack: Ack, body: dict[str, Any], caller: Caller) -> None:
    """ "Link them": the new gap joins the same need on other deals; its stake adds up."""
    ack()
    gap_id, _, group_id = str(body["actions"][0]["value"]).partition(":")
    config = caller.deps.config
    with caller.acting() as (session, who):
        gap = gaps.get(session=session, workspace=who.workspace, gap_id=int(gap_id))
        group = gaps.link(session=session, gap=gap, group_id=int(group_id))
        stake = gaps.stake_of(session=session, workspace=who.workspace, group=group, config=config)
        title = group.title
    at_stake = f": {stake.deals} deals, {format_money(stake.revenue)} at stake" if stake else ""
    reply_privately(
        caller.client,
        user_id=caller.user_id,
        response_url=body.get("response_url"),
        text=f":link: Linked to “{title}”{at_stake}.",
    )


def register(app: App) -> None:
    wire(app.action, Action.GAP_LINK, handler=link_gap)
