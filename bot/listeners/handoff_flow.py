"""Steps the /handoff command, its buttons and its modals share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sqlalchemy.orm import Session

from bot import cards
from bot.blocks import handoff as handoff_blocks
from bot.db import undo
from bot.db.models import Handoff, Person
from bot.listeners import routing_flow
from bot.listeners.acting import Caller, Profiles
from bot.services import deals, handoffs, routing
from bot.services.handoffs import HandoffDraft
from bot.slack import messenger


def create_handoff(
    caller: Caller, *, draft: HandoffDraft, response_url: str | None, only_known_deal: bool = False
) -> bool:
    """Write the handoff, DM the SE its card, then confirm to the rep.

    The card is drawn in the handoff's transaction and posted after its commit, so no
    database lock is held across the Slack call; if Slack refuses it, the rows this step
    inserted are deleted again (``bot/db/undo.py``) and nothing is saved. Profiles are
    fetched before the transaction opens.

    With ``only_known_deal`` the typed deal name is looked up in that same transaction (one
    indexed read), and the handoff is written only when a deal has that very name: False
    then says nothing was written, and the caller settles what the name means with no
    write lock held (``deal_choice.settle``: names written another way, close names, the
    CRM).
    """
    deps, rep_slack_id = caller.deps, caller.user_id
    assignee_id = draft.assignee_slack_id
    reason = None
    if not assignee_id:
        outcome = routing_flow.route_new(caller, draft)
        if outcome.assignee is None:
            routing_flow.hold_for_managers(
                caller, draft=draft, outcome=outcome, response_url=response_url
            )
            return True
        assignee_id, reason = outcome.assignee, outcome.reason
    profiles = caller.profiles({assignee_id: "assignee"})
    area = routing.area_for(deps.config, problem=draft.problem, chosen=draft.product_area)
    acting = caller.acting(profiles, other=assignee_id)
    with undo.recording_inserts() as inserted, acting as (session, who):
        if only_known_deal:
            deal = deals.named(session=session, workspace=who.workspace, name=draft.deal_name)
            if deal is None:
                return False
            draft = replace(draft, deal_name=deal.name, deal_id=deal.id)
        handoff = handoffs.open(
            session=session,
            workspace=who.workspace,
            rep=who.person,
            assignee=caller.person(session, who.workspace, assignee_id, profiles),
            draft=draft,
            config=deps.config,
            now=caller.now(),
            product_area=area,
            routing_reason=reason,
        )
        card = cards.draw(session, handoff, deps.config)
        text, blocks = routing_flow.confirmation(handoff, config=deps.config)
    try:  # committed: no lock is held while Slack takes the card
        channel_id, message_ts = card.send(caller.client)
    except Exception:
        with deps.transaction() as session:
            undo.undo(session, inserted)
        raise
    with deps.statements() as connection:  # one UPDATE: no ORM session needed
        handoffs.record_card_at(
            connection, handoff_id=card.handoff_id, channel_id=channel_id, message_ts=message_ts
        )
    messenger.reply_privately(
        caller.client, user_id=rep_slack_id, response_url=response_url, text=text, blocks=blocks
    )
    return True


Change = Callable[[Session, Handoff, Person], object]


def change_handoff(
    caller: Caller,
    *,
    handoff_id: int,
    change: Change,
    done: str | None,
    profiles: Profiles | None = None,
) -> Handoff:
    """Apply one change as the caller, then redraw the card.

    With ``done`` (a past-tense verb such as "accepted") an update line also goes into the
    card's thread and to the rep; without it the caller sends its own messages. ``profiles``
    (from ``caller.profiles``) carry anyone else the change names.
    """
    client, user_id = caller.client, caller.user_id
    with caller.acting(profiles) as (session, who):
        handoff = handoffs.get(session=session, workspace=who.workspace, handoff_id=handoff_id)
        change(session, handoff, who.person)
        session.flush()
        redraw = cards.redraw(session, handoff, caller.deps.config)
    if redraw is not None:
        redraw(client)
    if done is None:
        return handoff
    line = handoff_blocks.update_line(handoff, user_id, done)
    messenger.to_thread(client, handoff, line)
    if user_id != handoff.rep.slack_user_id:
        messenger.dm(client, handoff.rep.slack_user_id, line)
    return handoff


def load_for(caller: Caller, *, handoff_id: int, verb: str) -> Handoff:
    """The handoff, after checking the caller may ``verb`` it (before a modal opens)."""
    with caller.acting() as (session, who):
        handoff = handoffs.get(session=session, workspace=who.workspace, handoff_id=handoff_id)
        handoffs.check(handoff, who.person, caller.deps.config, verb)
    return handoff
