"""Routing end to end: signed requests over HTTP, Slack played by the stand-in, on both databases.

The SE who covers the product area gets the handoff (and is told why); an SE who is away or
at their cap is skipped; when nobody fits, the team's SE manager gets "route this", picks an
SE, and only then does the handoff (and its response-time clock) exist. Reassign offers the
same ranked SEs.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from bot.config import DealCoachConfig, Team
from bot.config.routing import ProductArea, Routing, SeCoverage
from bot.db.models import Deal, DueWork, Handoff, HandoffState, UnroutedHandoff
from bot.standin.store import Message
from tests.conftest import MANAGER, REP, SE1, SE2
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import buttons, card, last_ephemeral

pytestmark = pytest.mark.usefixtures("known_deals")

SSO = "Acme Corp: Okta SSO fails for EU users"
WAREHOUSE = "Globex: the Snowflake warehouse sync drops rows"


@pytest.fixture
def config() -> DealCoachConfig:
    return DealCoachConfig(
        teams=[Team(name="Enterprise", reps=[REP], ses=[SE1, SE2], se_managers=[MANAGER])],
        routing=Routing(
            areas={
                "sso": ProductArea(name="SSO", words=["sso", "okta", "saml"]),
                "dwh": ProductArea(name="Data warehouse", words=["snowflake", "warehouse"]),
            },
            ses={
                SE1: SeCoverage(areas=["sso"], territories=["EMEA"], max_open=1),
                SE2: SeCoverage(areas=["sso", "dwh"], territories=["NA"], max_open=1),
            },
        ),
    )


def handoffs(bot: Bot) -> list[Handoff]:
    with bot.session_factory() as session:
        return list(
            session.scalars(
                select(Handoff).options(joinedload(Handoff.assignee)).order_by(Handoff.id)
            )
        )


def route_this(bot: Bot) -> Message:
    found = [
        m
        for m in bot.standin.dm_messages(MANAGER)
        if any(b.get("block_id") == "route_candidates" for b in m.blocks or [])
    ]
    assert found, "the SE manager got no 'route this' message"
    return found[-1]


def test_the_se_who_covers_the_area_gets_it_and_both_are_told_why(bot: Bot) -> None:
    bot.slack.command(REP, WAREHOUSE)
    bot.settle()
    se_card = json.dumps(card(bot, SE2).blocks)
    assert "Routed to you: covers Data warehouse; no open handoffs." in se_card
    assert "*Product area* Data warehouse" in se_card
    assert f"Routed to <@{SE2}>: covers Data warehouse; no open handoffs." in last_ephemeral(
        bot, REP
    )
    (handoff,) = handoffs(bot)
    assert handoff.product_area == "dwh"
    assert handoff.routing_reason == "covers Data warehouse; no open handoffs"
    assert bot.standin.dm_messages(SE1) == []


def test_a_deals_territory_set_with_qualify_details_decides_between_two_ses(bot: Bot) -> None:
    bot.slack.command(REP, "Initech: SSO login loops")
    bot.settle()
    first = handoffs(bot)[0]
    assert first.assignee.slack_user_id == SE1  # a tie on everything: config order
    assert first.routing_reason == "covers SSO; no open handoffs"

    bot.slack.command(REP, "Initech details", command="/qualify")
    bot.settle()
    (form,) = [v for v in bot.standin.views.values() if v.callback_id == "qualify_deal_details"]
    (territory,) = [b for b in form.blocks if b.get("block_id") == "territory"]
    assert [o["value"] for o in territory["element"]["options"]] == ["EMEA", "NA"]
    bot.slack.submit(REP, form, {"close_date": "2026-12-31", "territory": "NA"})
    bot.settle()
    with bot.session_factory.begin() as session:
        deal = session.scalars(select(Deal).where(Deal.name == "Initech")).one()
        assert deal.territory == "NA"
        session.get_one(Handoff, first.id).state = HandoffState.RESOLVED

    bot.slack.command(REP, "Initech: SAML assertion rejected")
    bot.settle()
    second = handoffs(bot)[1]
    assert second.assignee.slack_user_id == SE2
    assert second.routing_reason == "covers SSO and NA; no open handoffs"
    assert "Routed to you: covers SSO and NA" in json.dumps(card(bot, SE2).blocks)


def test_an_se_away_with_coach_away_is_skipped_until_they_are_back(bot: Bot) -> None:
    bot.slack.command(SE1, "away until Friday: offsite", command="/coach")
    bot.settle()
    said = last_ephemeral(bot, SE1)
    assert "away through Fri 27 Nov 2026 (offsite)" in said and "Europe/Berlin" in said
    bot.slack.command(REP, SSO)
    bot.settle()
    assert handoffs(bot)[0].assignee.slack_user_id == SE2
    bot.slack.command(SE1, "back", command="/coach")
    bot.settle()
    assert "Welcome back" in last_ephemeral(bot, SE1)


def test_bad_away_text_says_how_to_write_it(bot: Bot) -> None:
    bot.slack.command(SE1, "away until blursday", command="/coach")
    bot.settle()
    assert "/coach away until Friday" in last_ephemeral(bot, SE1)


def test_an_out_of_office_slack_status_counts_as_away(bot: Bot) -> None:
    bot.standin.add_user(SE1, "sam", tz="Europe/Berlin", status_text="Vacation")
    bot.slack.command(REP, SSO)
    bot.settle()
    assert handoffs(bot)[0].assignee.slack_user_id == SE2


def test_nobody_fits_so_the_manager_routes_it_and_the_clock_starts_then(bot: Bot) -> None:
    # Both SSO SEs take one handoff each: their cap.
    for text in (SSO, "Globex: Okta MFA prompt loops"):
        bot.slack.command(REP, text)
        bot.settle()
    assert {h.assignee.slack_user_id for h in handoffs(bot)} == {SE1, SE2}

    bot.slack.command(REP, "Deal 1: SAML login fails after the upgrade")
    bot.settle()
    assert len(handoffs(bot)) == 2, "no handoff exists before someone is assigned"
    waiting = last_ephemeral(bot, REP)
    assert f"asked <@{MANAGER}> to pick one" in waiting and "clock starts" in waiting
    message = route_this(bot)
    body = json.dumps(message.blocks)
    assert "at their cap of 1 open handoffs" in body and "*Area* SSO" in body
    assert [b for b in buttons(message)][-1] == "route_pick_other"

    # Only an SE manager may route it; the rep's press changes nothing.
    bot.slack.click(REP, message, "route_assign_0")
    bot.settle()
    assert "Only an SE manager" in last_ephemeral(bot, REP)
    assert len(handoffs(bot)) == 2

    bot.clock.advance(timedelta(hours=2))
    assigned_at = bot.clock.now()
    bot.slack.click(MANAGER, message, "route_assign_0")
    bot.settle()
    third = handoffs(bot)[2]
    assert third.assignee.slack_user_id == SE1 and third.product_area == "sso"
    assert assigned_at <= third.created_at < assigned_at + timedelta(minutes=1)
    with bot.session_factory() as session:
        due = list(session.scalars(select(DueWork).where(DueWork.handoff_id == third.id)))
        held = session.scalars(select(UnroutedHandoff)).one()
    assert due and all(row.due_at > assigned_at for row in due)
    assert min(row.due_at for row in due) >= assigned_at + timedelta(hours=4)
    assert held.handoff_id == third.id and held.routed_at is not None
    assert assigned_at <= held.routed_at < assigned_at + timedelta(minutes=1)
    assert "Deal 1" in json.dumps(card(bot, SE1).blocks)
    assert f"<@{MANAGER}> routed it to <@{SE1}>" in bot.standin.dm_messages(MANAGER)[-1].text
    assert any(f"<@{SE1}>" in m.text for m in bot.standin.dm_messages(REP))

    # A second press (another manager, or the same one again) opens nothing twice.
    bot.slack.click(MANAGER, message, "route_assign_1")
    bot.settle()
    assert "already routed" in last_ephemeral(bot, MANAGER)
    assert len(handoffs(bot)) == 3


def test_pick_someone_else_routes_to_anyone_the_manager_names(bot: Bot) -> None:
    bot.standin.add_user(SE1, "sam", tz="Europe/Berlin", status_emoji=":palm_tree:")
    bot.standin.add_user(SE2, "sasha", tz="Europe/Berlin", status_text="OOO till Monday")
    bot.slack.command(REP, SSO)
    bot.settle()
    message = route_this(bot)
    assert "out of office (Slack status)" in json.dumps(message.blocks)
    bot.slack.click(MANAGER, message, "route_pick_other")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "route_pick"]
    assert bot.slack.submit(MANAGER, view, {"assignee": None}).json()["response_action"] == (
        "errors"
    )
    bot.slack.submit(MANAGER, view, {"assignee": SE2})
    bot.settle()
    (handoff,) = handoffs(bot)
    assert handoff.assignee.slack_user_id == SE2
    assert "Acme Corp" in json.dumps(card(bot, SE2).blocks)


def test_reassign_offers_the_ranked_ses_without_the_current_one(bot: Bot) -> None:
    bot.slack.command(REP, WAREHOUSE)
    bot.settle()
    bot.slack.click(SE2, card(bot, SE2), "handoff_accept")
    bot.settle()
    bot.slack.click(SE2, card(bot, SE2), "handoff_reassign")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_reassign"]
    (select_block,) = [b for b in view.blocks if b.get("block_id") == "route_candidate"]
    options = select_block["element"]["options"]
    assert [o["value"] for o in options] == [SE1]
    assert options[0]["description"]["text"] == "next in Enterprise's rotation; no open handoffs"
    assert select_block["element"]["initial_option"]["value"] == SE1
    bot.slack.submit(SE2, view, {"route_candidate": SE1})
    bot.settle()
    assert handoffs(bot)[0].assignee.slack_user_id == SE1
    assert buttons(card(bot, SE1)) == ["handoff_accept", "handoff_ask_detail", "handoff_decline"]
    moved = json.dumps(card(bot, SE1).blocks)
    assert "*Product area* Data warehouse" in moved and "Routed to you" not in moved


def test_the_form_offers_product_areas_guessed_from_the_problem(bot: Bot) -> None:
    bot.slack.command(REP, ": the Snowflake export is slow")
    bot.settle()
    (view,) = [v for v in bot.standin.views.values() if v.callback_id == "handoff_new"]
    (area,) = [b for b in view.blocks if b.get("block_id") == "product_area"]
    assert [o["value"] for o in area["element"]["options"]] == ["sso", "dwh"]
    assert area["element"]["initial_option"]["value"] == "dwh"
    (deal,) = [v for t, v in bot.slack.suggest(REP, view, "deal", "Acme Corp").choices[:1]]
    bot.slack.submit(
        REP, view, {"deal": deal, "problem": "Okta logins fail", "product_area": "dwh"}
    )
    bot.settle()
    (handoff,) = handoffs(bot)
    assert handoff.product_area == "dwh" and handoff.assignee.slack_user_id == SE2


def test_a_named_se_gets_it_with_the_area_read_from_the_problem(bot: Bot) -> None:
    bot.slack.command(REP, f"<@{SE2}|sasha> {SSO}")
    bot.settle()
    (handoff,) = handoffs(bot)
    assert handoff.product_area == "sso" and handoff.routing_reason is None
    se_card = json.dumps(card(bot, SE2).blocks)
    assert "*Product area* SSO" in se_card and "Routed to you" not in se_card
