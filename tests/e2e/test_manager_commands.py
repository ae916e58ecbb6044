"""`/coach report` and `/coach gap` over HTTP: who may, bad input, did-you-mean, linking."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select, update

from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind, DueWorkState, GapWeight, Person, ProductGap
from bot.standin.store import Message, StoredView
from tests.conftest import MANAGER, REP, SE1
from tests.e2e.conftest import Bot
from tests.reports.fortnight import END, seed, with_checklists


@pytest.fixture
def config(config: DealCoachConfig) -> DealCoachConfig:
    return with_checklists(config)


@pytest.fixture
def seeded(bot: Bot, config: DealCoachConfig) -> Bot:
    with bot.session_factory.begin() as session:
        seeded = seed(session, config)
        # The seeded team lives in the stand-in's workspace, where the commands come from.
        seeded.workspace.slack_team_id = bot.slack.team_id
        session.execute(update(DueWork).values(state=DueWorkState.CANCELLED))
    bot.clock.advance(END - bot.clock.now())
    return bot


def coach(bot: Bot, user: str, text: str) -> None:
    assert bot.slack.command(user, text, command="/coach").status == 200
    bot.settle()


def private(bot: Bot, user: str) -> list[Message]:
    return bot.standin.ephemerals(user)


def last_private(bot: Bot, user: str) -> Message:
    messages = private(bot, user)
    assert messages, f"{user} got no private reply"
    return messages[-1]


def gap_rows(bot: Bot) -> list[ProductGap]:
    with bot.session_factory() as session:
        return list(session.scalars(select(ProductGap).order_by(ProductGap.id)))


def test_a_manager_gets_the_report_and_its_chart(seeded: Bot) -> None:
    bot = seeded
    coach(bot, MANAGER, "report Enterprise 2")
    [message] = [m for m in bot.standin.dm_messages(MANAGER) if m.files is None]
    assert message.text.startswith("Enterprise, 2 weeks to Tue 8 Dec: ")
    shown = json.dumps(message.blocks)
    assert "*Handoffs* opened" in shown and "SSO with Okta" in shown
    [chart] = bot.standin.uploaded(MANAGER)
    assert chart.data is not None and chart.data.startswith(b"\x89PNG")
    assert chart.alt_txt and "handoffs opened per week" in chart.alt_txt
    assert "in our DM" in last_private(bot, MANAGER).text


def test_someone_who_manages_no_team_is_told_who_may(seeded: Bot) -> None:
    bot = seeded
    coach(bot, REP, "report")
    reply = last_private(bot, REP).text
    assert "SE managers and sales managers" in reply and f"<@{MANAGER}>" in reply
    assert bot.standin.dm_messages(REP) == [] and bot.standin.uploaded() == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("report nosuchteam", "There is no team called 'nosuchteam'"),
        ("report 0", "Weeks is 1 to 26"),
        ("report Enterprise 500", "Weeks is 1 to 26"),
    ],
)
def test_bad_report_requests_say_how_to_write_them(seeded: Bot, text: str, expected: str) -> None:
    bot = seeded
    coach(bot, MANAGER, text)
    reply = last_private(bot, MANAGER).text
    assert expected in reply and "/coach report [team] [weeks]" in reply
    assert bot.standin.dm_messages(MANAGER) == [] and bot.standin.uploaded() == []


def test_a_gap_on_a_known_deal_is_logged_and_offered_for_linking(seeded: Bot) -> None:
    bot = seeded
    before = len(gap_rows(bot))
    coach(bot, SE1, "gap Eps: [Security & compliance] SSO with Okta groups (deal-breaker)")
    rows = gap_rows(bot)
    assert len(rows) == before + 1
    gap = rows[-1]
    assert (gap.description, gap.feature_area, gap.weight) == (
        "SSO with Okta groups",
        "Security & compliance",
        GapWeight.DEAL_BREAKER,
    )
    offer = last_private(bot, SE1)
    assert "also needed by 2 other deals" in json.dumps(offer.blocks)
    assert bot.slack.click(SE1, offer, "gap_link").status == 200
    bot.settle()
    linked = gap_rows(bot)[-1]
    assert linked.group_id == rows[0].group_id
    assert "3 deals" in last_private(bot, SE1).text


def test_a_name_close_to_a_deal_gets_did_you_mean_and_writes_nothing(seeded: Bot) -> None:
    bot = seeded
    before = len(gap_rows(bot))
    coach(bot, SE1, "gap Acmee: bulk export")
    reply = last_private(bot, SE1)
    assert "Did you mean *Acme*" in reply.text + json.dumps(reply.blocks)
    assert len(gap_rows(bot)) == before
    # Picking Acme runs the waiting `/coach gap` on it.
    assert bot.slack.click(SE1, reply, "deal_pick.0").status == 200
    bot.settle()
    logged = gap_rows(bot)
    assert len(logged) == before + 1 and logged[-1].description == "bulk export"
    assert "Logged the product gap on Acme" in last_private(bot, SE1).text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gap Acme:   ", "Say in one line what is missing"),
        ("gap SSO with Okta", "/coach gap <deal>: <what is missing>"),
        ("gap : SSO with Okta", "/coach gap <deal>: <what is missing>"),
        ("gap Acme: SSO (urgent)", "is not a weight"),
    ],
)
def test_bad_gaps_say_how_to_write_them(seeded: Bot, text: str, expected: str) -> None:
    bot = seeded
    before = len(gap_rows(bot))
    coach(bot, SE1, text)
    assert expected in last_private(bot, SE1).text
    assert len(gap_rows(bot)) == before


def test_a_managers_home_shows_the_team_and_sends_the_full_report(seeded: Bot) -> None:
    bot = seeded
    bot.slack.open_home(MANAGER)
    bot.settle()
    home = bot.standin.home(MANAGER)
    assert home is not None
    shown = json.dumps(home.blocks)
    assert "*Team Enterprise*, week to Tue 8 Dec" in shown and "handoffs opened" in shown
    bot.slack.click_in_view(MANAGER, home, "report_full")
    bot.settle()
    [message] = [m for m in bot.standin.dm_messages(MANAGER) if m.files is None]
    assert message.text.startswith("Enterprise, week to Tue 8 Dec: ")
    assert len(bot.standin.uploaded(MANAGER)) == 1
    # A rep's Home has no team section.
    bot.slack.open_home(REP)
    bot.settle()
    rep_home = bot.standin.home(REP)
    assert rep_home is not None and "report_full" not in json.dumps(rep_home.blocks)


def digest_states(bot: Bot) -> list[DueWorkState]:
    with bot.session_factory() as session:
        return list(
            session.scalars(
                select(DueWork.state)
                .where(DueWork.kind == DueWorkKind.MANAGER_DIGEST)
                .order_by(DueWork.id)
            )
        )


def settings_form(bot: Bot, user: str) -> StoredView:
    coach(bot, user, "settings")
    views = [v for v in bot.standin.views.values() if v.callback_id == "coach_settings"]
    return views[-1]


def test_the_weekly_report_can_be_turned_off_and_on_in_settings(seeded: Bot) -> None:
    bot = seeded
    bot.sweeper.run_once()  # the sweep plans each manager's digest
    assert digest_states(bot) == [DueWorkState.DUE]
    form = settings_form(bot, MANAGER)
    assert "weekly_report" in {b.get("block_id") for b in form.blocks}
    bot.slack.submit(MANAGER, form, {"weekly_report": []})
    bot.settle()
    assert digest_states(bot) == [DueWorkState.CANCELLED]
    with bot.session_factory() as session:
        manager = session.scalars(select(Person).where(Person.slack_user_id == MANAGER)).one()
        assert manager.weekly_report_off
    bot.sweeper.run_once()
    assert digest_states(bot) == [DueWorkState.CANCELLED]  # the sweep respects the choice
    form = settings_form(bot, MANAGER)
    bot.slack.submit(MANAGER, form, {"weekly_report": ["on"]})
    bot.settle()
    assert digest_states(bot) == [DueWorkState.DUE]
    rep_form = settings_form(bot, REP)
    assert "weekly_report" not in {b.get("block_id") for b in rep_form.blocks}
