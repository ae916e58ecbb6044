"""Stalled handoffs: the sweep sends each nudge once, only after Slack accepted it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import DueWork, DueWorkKind, DueWorkState, HandoffEvent, HandoffEventKind
from tests.conftest import MANAGER, REP, SE1
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import QUICK, card

pytestmark = pytest.mark.usefixtures("known_deals")


def open_handoff(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()


def rows(bot: Bot) -> dict[tuple[DueWorkKind, str, int | None], DueWork]:
    with bot.session_factory() as session:
        return {(r.kind, r.recipient_slack_id, r.step): r for r in session.scalars(select(DueWork))}


def nudges_in_thread(bot: Bot, marker: str = "has been waiting") -> list[str]:
    se_card = card(bot)
    return [m.text for m in bot.standin.replies(se_card.channel, se_card.ts) if marker in m.text]


def test_nudge_then_escalation_each_once(bot: Bot) -> None:
    open_handoff(bot)
    # Monday 10:00 in Berlin; the acknowledgement SLA (4 business hours) ends at 14:00.
    bot.clock.advance(timedelta(hours=3))
    assert bot.sweeper.run_once().claimed == 0

    bot.clock.advance(timedelta(hours=1, minutes=1))
    report = bot.sweeper.run_once()
    assert (report.sent, report.failed) == (1, 0)
    assert len(nudges_in_thread(bot)) == 1
    assert "nudge sent" in str(card(bot).blocks)  # the card's history shows the step
    assert bot.sweeper.run_once().claimed == 0  # sent once, not once per tick

    # Step 2 at 8 business hours (Tuesday 10:00 Berlin): the SE again and the manager;
    # the rep in New York is asleep (04:00), so theirs waits for 09:00 New York time.
    bot.clock.advance(timedelta(hours=20))
    report = bot.sweeper.run_once()
    assert (report.sent, report.deferred) == (2, 1)
    assert any("Checking in again" in m for m in nudges_in_thread(bot, "Checking in"))
    assert any("has not been accepted" in m.text for m in bot.standin.dm_messages(MANAGER))
    assert not bot.standin.dm_messages(REP)
    bot.clock.advance(timedelta(hours=4, minutes=58))
    assert bot.sweeper.run_once().claimed == 0
    bot.clock.advance(timedelta(minutes=2))
    assert bot.sweeper.run_once().sent == 1
    assert any("hasn't picked up" in m.text for m in bot.standin.dm_messages(REP))
    # Step 3 at 16 business hours (Wednesday 10:00 Berlin): the manager, with a reassign
    # suggestion.
    bot.clock.advance(timedelta(hours=19))
    assert bot.sweeper.run_once().sent == 1
    assert "pass it to another SE" in bot.standin.dm_messages(MANAGER)[-1].text
    bot.clock.advance(timedelta(days=3))
    assert bot.sweeper.run_once().claimed == 0
    with bot.session_factory() as session:
        kinds = session.scalars(select(HandoffEvent.kind).order_by(HandoffEvent.id)).all()
    assert kinds.count(HandoffEventKind.NUDGED) == 2
    assert kinds.count(HandoffEventKind.ESCALATED) == 3


def test_accepting_in_time_means_no_nudges(bot: Bot) -> None:
    open_handoff(bot)
    bot.slack.click(SE1, card(bot), "handoff_accept")
    bot.settle()
    bot.clock.advance(timedelta(days=5))
    report = bot.sweeper.run_once()
    assert report.sent == 0
    assert not [m for m in bot.standin.dm_messages(MANAGER)]


def test_rate_limit_is_retried_and_the_nudge_arrives_once(bot: Bot) -> None:
    open_handoff(bot)
    bot.clock.advance(timedelta(hours=5))
    bot.standin.fail_next("chat.postMessage", status=429, retry_after=1)
    report = bot.sweeper.run_once()
    assert report.sent == 1
    assert len(nudges_in_thread(bot)) == 1
    limited = [c for c in bot.standin.calls_to("chat.postMessage") if c.status == 429]
    assert len(limited) == 1


def test_slack_down_keeps_the_nudge_due_with_backoff(bot: Bot) -> None:
    open_handoff(bot)
    bot.clock.advance(timedelta(hours=5))
    # The client's own retries (two) fail too, so this attempt fails as a whole.
    bot.standin.fail_next("chat.postMessage", status=503, times=3)
    report = bot.sweeper.run_once()
    assert (report.sent, report.retried) == (0, 1)
    row = rows(bot)[(DueWorkKind.HANDOFF_ACKNOWLEDGE, SE1, 1)]
    assert row.state is DueWorkState.DUE and row.attempts == 1 and "503" in (row.last_error or "")
    assert nudges_in_thread(bot) == []

    assert bot.sweeper.run_once().claimed == 0  # still backing off
    bot.clock.advance(timedelta(minutes=2))
    assert bot.sweeper.run_once().sent == 1
    assert len(nudges_in_thread(bot)) == 1
    assert rows(bot)[(DueWorkKind.HANDOFF_ACKNOWLEDGE, SE1, 1)].state is DueWorkState.SENT


def test_two_sweepers_at_once_send_once(bot: Bot) -> None:
    import threading

    from bot.scheduler.jobs import Sweeper

    open_handoff(bot)
    bot.clock.advance(timedelta(days=2))
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
    # Two days on, all three steps are due: SE twice, manager twice, each sent once (the
    # rep's waits for New York's morning).
    assert sum(r.sent for r in results) == 4
    assert sum(r.deferred for r in results) == 1
    assert len(nudges_in_thread(bot)) == 1
