"""`/coach gap` after a "did you mean": the pending command carried by the button logs the
gap on the deal picked, or on a new deal; called as plain functions with a real database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.blocks.deals import decode_pending
from bot.db.models import Deal, GapWeight, ProductGap
from bot.db.session import SessionFactory
from bot.listeners import deal_choice
from bot.listeners.acting import Caller
from bot.listeners.actions.deals import choose_deal
from bot.listeners.commands import gap
from bot.services import deals, people
from tests.conftest import REP, SE1
from tests.listeners.conftest import WatchedStandIn, as_someone


def gaps_logged(session_factory: SessionFactory) -> list[ProductGap]:
    with session_factory() as session:
        return list(
            session.scalars(
                select(ProductGap).options(joinedload(ProductGap.deal)).order_by(ProductGap.id)
            )
        )


def buttons(standin: WatchedStandIn, user_id: str) -> dict[str, str]:
    """The last DM's buttons (no response URL in a plain call: the reply is a DM)."""
    [*_, message] = standin.dm_messages(user_id)
    return {
        element["action_id"]: element["value"]
        for block in message.blocks or []
        if block["type"] == "actions"
        for element in block["elements"]
    }


def press(caller: Caller, value: str) -> None:
    """The deal buttons' own handler, as Bolt calls it."""
    choose_deal(lambda *_args, **_kwargs: None, {"actions": [{"value": value}]}, caller)


def test_a_pick_from_did_you_mean_logs_the_gap_on_that_deal(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    se = as_someone(caller, SE1)
    with session_factory.begin() as session:
        workspace = people.workspace(
            session=session, slack_team_id=caller.team_id, now=caller.now()
        )
        rep = people.person(
            session=session,
            workspace=workspace,
            slack_user_id=REP,
            config=caller.deps.config,
            now=caller.now(),
        )
        deals.create(
            session=session, workspace=workspace, name="Acme Corp", owner=rep, now=caller.now()
        )
    gap.log_gap(se, text="Acme Crop: bulk export (nice to have)", response_url=None)
    assert gaps_logged(session_factory) == []
    choices = buttons(standin, SE1)
    pick = decode_pending(choices["deal_pick.0"])
    assert pick[deal_choice.COMMAND] == gap.PENDING_COMMAND
    press(se, choices["deal_pick.0"])
    [logged] = gaps_logged(session_factory)
    assert (logged.deal.name, logged.description, logged.weight) == (
        "Acme Corp",
        "bulk export",
        GapWeight.NICE_TO_HAVE,
    )


def test_a_new_deal_from_did_you_mean_is_created_with_its_gap(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    gap.log_gap(caller, text="Initech: audit log export", response_url=None)
    press(caller, buttons(standin, REP)["deal_create"])
    [logged] = gaps_logged(session_factory)
    assert logged.deal.name == "Initech"
    with session_factory() as session:
        assert session.scalars(select(Deal.name)).all() == ["Initech"]
