"""The weekly manager digest as due work: sent once across sweepers, with its chart, in
working hours, and after an outage once for all the weeks it missed."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind, DueWorkState, Person
from bot.scheduler.jobs import Sweeper
from bot.services import manager_digest, people
from tests.conftest import MANAGER, TEAM_ID
from tests.e2e.conftest import Bot
from tests.reports.fortnight import seed, with_checklists

SUNDAY_NOON = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.fixture
def config(config: DealCoachConfig) -> DealCoachConfig:
    return with_checklists(config)


def set_clock(bot: Bot, moment: datetime) -> None:
    bot.clock.advance(moment - bot.clock.now())


def digest_rows(bot: Bot) -> list[DueWork]:
    with bot.session_factory() as session:
        return list(
            session.scalars(
                select(DueWork)
                .where(DueWork.kind == DueWorkKind.MANAGER_DIGEST)
                .order_by(DueWork.id)
            )
        )


def schedule(bot: Bot, config: DealCoachConfig) -> list[DueWork]:
    with bot.session_factory.begin() as session:
        workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=bot.clock.now())
        return manager_digest.ensure_scheduled(
            session=session, workspace=workspace, config=config, now=bot.clock.now()
        )


@pytest.fixture
def seeded(bot: Bot, config: DealCoachConfig) -> Bot:
    with bot.session_factory.begin() as session:
        seed(session, config)
        # The seeded handoffs' own nudges are another test's business.
        session.execute(update(DueWork).values(state=DueWorkState.CANCELLED))
    set_clock(bot, SUNDAY_NOON)
    return bot


def test_one_digest_with_its_chart_across_two_sweepers(
    seeded: Bot, config: DealCoachConfig
) -> None:
    bot = seeded
    assert len(schedule(bot, config)) == 1
    assert schedule(bot, config) == []  # a second replica adds nothing
    (row,) = digest_rows(bot)
    assert row.due_at == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # Monday 09:00, the default

    set_clock(bot, datetime(2026, 12, 7, 9, 5, tzinfo=UTC))
    other = Sweeper(bot.sweeper.deps, bot.sweeper.client_for, worker_id="other")
    results = []
    threads = [
        threading.Thread(target=lambda s=s: results.append(s.run_once()))
        for s in (bot.sweeper, other)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(r.sent for r in results) == 1
    (message,) = bot.standin.dm_messages(MANAGER)[:1]
    assert message.text.startswith("Enterprise, week to Mon 7 Dec: ")
    assert "could not go out" not in str(message.blocks)
    # The oldest open handoffs link to their cards with no Web API call in the sweep.
    link = f"<slack://channel?team={TEAM_ID}&id=D0SE00002&message=1764666000.000200|Eps>"
    assert link in str(message.blocks)
    assert "*Acme* (#" in str(message.blocks)  # no card posted yet: named, not linked
    (chart,) = bot.standin.uploaded(MANAGER)
    assert chart.data is not None and chart.data.startswith(b"\x89PNG")
    assert chart.alt_txt is not None and "handoffs opened per week" in chart.alt_txt
    sent, following = digest_rows(bot)
    assert sent.state is DueWorkState.SENT
    assert (following.state, following.due_at) == (
        DueWorkState.DUE,
        datetime(2026, 12, 14, 9, 0, tzinfo=UTC),
    )


def test_after_an_outage_the_missed_weeks_fold_into_one_digest(
    seeded: Bot, config: DealCoachConfig
) -> None:
    bot = seeded
    schedule(bot, config)
    set_clock(bot, datetime(2026, 12, 29, 10, 0, tzinfo=UTC))  # three weeks late, a Tuesday
    report = bot.sweeper.run_once()
    assert report.sent == 1
    messages = [m for m in bot.standin.dm_messages(MANAGER) if m.files is None]
    assert len(messages) == 1
    assert messages[0].text.startswith("Enterprise, 4 weeks to Tue 29 Dec")
    assert "for the last 3 weeks, so this one covers them too" in str(messages[0].blocks)
    states = [(r.state, r.due_at) for r in digest_rows(bot)]
    assert states == [
        (DueWorkState.SENT, datetime(2026, 12, 7, 9, 0, tzinfo=UTC)),
        (DueWorkState.DUE, datetime(2027, 1, 4, 9, 0, tzinfo=UTC)),
    ]


def test_a_digest_due_at_night_waits_for_the_working_day(
    seeded: Bot, config: DealCoachConfig
) -> None:
    bot = seeded
    schedule(bot, config)
    set_clock(bot, datetime(2026, 12, 12, 3, 0, tzinfo=UTC))  # Saturday night after an outage
    assert bot.sweeper.run_once().sent == 0
    assert bot.standin.dm_messages(MANAGER) == []
    first, again = digest_rows(bot)
    assert first.state is DueWorkState.CANCELLED
    assert (again.state, again.due_at) == (
        DueWorkState.DUE,
        datetime(2026, 12, 14, 9, 0, tzinfo=UTC),
    )
    set_clock(bot, datetime(2026, 12, 14, 9, 1, tzinfo=UTC))
    assert bot.sweeper.run_once().sent == 1
    assert schedule(bot, config) == []  # the next week's row exists already


def test_a_manager_who_opted_out_gets_nothing(seeded: Bot, config: DealCoachConfig) -> None:
    bot = seeded
    schedule(bot, config)
    with bot.session_factory.begin() as session:
        manager = session.scalars(select(Person).where(Person.slack_user_id == MANAGER)).one()
        manager.weekly_report_off = True
    set_clock(bot, datetime(2026, 12, 7, 9, 5, tzinfo=UTC))
    assert bot.sweeper.run_once().cancelled == 1
    assert schedule(bot, config) == []
    assert bot.standin.dm_messages(MANAGER) == []


def test_turning_the_digest_off_and_on_in_settings(seeded: Bot, config: DealCoachConfig) -> None:
    bot = seeded
    schedule(bot, config)
    with bot.session_factory.begin() as session:
        workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=bot.clock.now())
        manager = session.scalars(select(Person).where(Person.slack_user_id == MANAGER)).one()
        manager_digest.set_weekly_digest(
            session=session,
            workspace=workspace,
            person=manager,
            on=False,
            config=config,
            now=bot.clock.now(),
        )
    assert [r.state for r in digest_rows(bot)] == [DueWorkState.CANCELLED]
    with bot.session_factory.begin() as session:
        workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=bot.clock.now())
        manager = session.scalars(select(Person).where(Person.slack_user_id == MANAGER)).one()
        manager_digest.set_weekly_digest(
            session=session,
            workspace=workspace,
            person=manager,
            on=True,
            config=config,
            now=bot.clock.now(),
        )
    # Turning it on again brings this week's digest back.
    assert [(r.state, r.due_at) for r in digest_rows(bot)] == [
        (DueWorkState.DUE, datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    ]
