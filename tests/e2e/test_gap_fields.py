"""The product-gap part of the resolve and decline forms, over HTTP: written with the
resolve or decline in one transaction, refused field by field with nothing written."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.db.models import GapWeight, Handoff, HandoffState, ProductGap
from bot.standin.store import StoredView
from tests.conftest import REP, SE1
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import QUICK, card

pytestmark = pytest.mark.usefixtures("known_deals")

GAP = {
    "gap_description": "SSO with Okta for EU tenants",
    "gap_area": "Security & compliance",
    "gap_weight": "deal_breaker",
}


def form(bot: Bot, callback: str) -> StoredView:
    views = [v for v in bot.standin.views.values() if v.callback_id == callback]
    assert views, f"no {callback} form was opened"
    return views[-1]


def state(bot: Bot) -> tuple[HandoffState, list[ProductGap]]:
    with bot.session_factory() as session:
        handoff = session.scalars(select(Handoff)).one()
        return handoff.state, list(
            session.scalars(select(ProductGap).options(joinedload(ProductGap.deal)))
        )


def opened(bot: Bot, *, accept: bool) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    if accept:
        bot.slack.click(SE1, card(bot), "handoff_accept")
        bot.settle()


def test_resolving_with_a_product_gap_logs_it_on_the_deal(bot: Bot) -> None:
    opened(bot, accept=True)
    bot.slack.click(SE1, card(bot), "handoff_resolve")
    bot.settle()
    resolve = form(bot, "handoff_resolve")
    assert {"gap_description", "gap_area", "gap_area_other", "gap_weight"} <= {
        b.get("block_id") for b in resolve.blocks
    }
    bot.slack.submit(SE1, resolve, {"note": "Worked around with SAML", **GAP})
    bot.settle()
    handoff_state, [gap] = state(bot)
    assert handoff_state is HandoffState.RESOLVED
    assert (gap.description, gap.feature_area, gap.weight) == (
        "SSO with Okta for EU tenants",
        "Security & compliance",
        GapWeight.DEAL_BREAKER,
    )
    assert gap.handoff_id is not None and gap.deal.name == "Acme Corp"
    assert any(
        "Logged the product gap on Acme Corp" in m.text for m in bot.standin.dm_messages(SE1)
    )


def test_resolving_without_a_gap_logs_none(bot: Bot) -> None:
    opened(bot, accept=True)
    bot.slack.click(SE1, card(bot), "handoff_resolve")
    bot.settle()
    bot.slack.submit(SE1, form(bot, "handoff_resolve"), {})
    bot.settle()
    assert state(bot) == (HandoffState.RESOLVED, [])


def test_a_gap_with_an_area_but_no_description_is_sent_back(bot: Bot) -> None:
    opened(bot, accept=True)
    bot.slack.click(SE1, card(bot), "handoff_resolve")
    bot.settle()
    reply = bot.slack.submit(SE1, form(bot, "handoff_resolve"), {"gap_area": "API"})
    assert reply.json()["response_action"] == "errors"
    assert "gap_description" in reply.json()["errors"]
    bot.settle()
    assert state(bot) == (HandoffState.ACCEPTED, [])


def test_declining_with_a_product_gap(bot: Bot) -> None:
    opened(bot, accept=False)
    bot.slack.click(SE1, card(bot), "handoff_decline")
    bot.settle()
    decline = form(bot, "handoff_decline")
    both = bot.slack.submit(SE1, decline, {"reason": " ", "gap_area_other": "Billing"})
    assert set(both.json()["errors"]) == {"reason", "gap_description"}
    bot.settle()
    assert state(bot) == (HandoffState.OPEN, [])
    bot.slack.submit(SE1, decline, {"reason": "We don't do EU SSO yet", **GAP})
    bot.settle()
    handoff_state, [gap] = state(bot)
    assert handoff_state is HandoffState.DECLINED
    assert gap.weight is GapWeight.DEAL_BREAKER
    assert "SSO with Okta" in json.dumps([m.blocks for m in bot.standin.dm_messages(SE1)])
