"""The sweep drains a backlog at once, wakes for the next due row, and keeps its claims."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from sqlalchemy import select

from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind, DueWorkState, Workspace
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.scheduler import JOB_ID, build_scheduler, wake_for_next_due
from bot.scheduler.delivered import metadata_for
from bot.services import nudges
from bot.standin import SlackStandIn
from tests.conftest import START, TEAM_ID
from tests.scheduler.sweep_worker import CrashTestSweeper

PEOPLE = [f"U0DRAIN{n:03d}" for n in range(5)]


@pytest.fixture
def standin(clock: AdjustableClock) -> Iterator[SlackStandIn]:
    with SlackStandIn(clock=clock) as standin:
        for person in PEOPLE:
            standin.add_user(person, person.lower(), tz="Europe/Berlin")
        yield standin
        assert standin.violations == []


@pytest.fixture
def sweeper(
    session_factory: SessionFactory,
    config: DealCoachConfig,
    clock: AdjustableClock,
    standin: SlackStandIn,
) -> CrashTestSweeper:
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    deps = Deps(config=config, session_factory=session_factory, clock=clock)
    return CrashTestSweeper(deps, lambda _team: client, worker_id="here")


def fill(session_factory: SessionFactory, count: int, due_at: datetime) -> None:
    with session_factory.begin() as session:
        workspace = Workspace(slack_team_id=TEAM_ID, created_at=START)
        session.add(workspace)
        session.flush()
        session.add_all(
            DueWork(
                workspace_id=workspace.id,
                kind=DueWorkKind.PRECALL_TIPS,
                dedupe_key=f"drain:{n}",
                recipient_slack_id=PEOPLE[n % len(PEOPLE)],
                due_at=due_at,
                created_at=START,
            )
            for n in range(count)
        )


def test_one_sweep_drains_a_backlog_in_full_batches(
    session_factory: SessionFactory, sweeper: CrashTestSweeper, standin: SlackStandIn
) -> None:
    fill(session_factory, 23, START)
    report = sweeper.run_once(limit=5)  # five batches, the last one not full
    assert (report.claimed, report.sent) == (23, 23)
    assert sum(len(standin.dm_messages(p)) for p in PEOPLE) == 23
    assert sweeper.run_once(limit=5).claimed == 0


def test_a_taken_over_row_already_in_slack_is_marked_sent_not_resent(
    session_factory: SessionFactory,
    sweeper: CrashTestSweeper,
    standin: SlackStandIn,
    clock: AdjustableClock,
) -> None:
    fill(session_factory, 2, START)
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    with session_factory.begin() as session:
        dead = nudges.claim_rows(session=session, now=clock.now(), worker="dead")
    # The dead worker got its first row into Slack, then died before recording it.
    first = dead.ids[0]
    with session_factory() as session:
        recipient = session.get_one(DueWork, first).recipient_slack_id
    client.chat_postMessage(
        channel=recipient, text=f"Nudge number {first}", metadata=metadata_for([first])
    )
    assert sweeper.run_once().claimed == 0  # its lease still holds
    clock.advance(nudges.CLAIM_LEASE + timedelta(seconds=1))
    report = sweeper.run_once()
    assert (report.claimed, report.recovered, report.sent) == (2, 1, 1)
    texts = [m.text for p in PEOPLE for m in standin.dm_messages(p)]
    assert sorted(texts) == sorted(f"Nudge number {i}" for i in dead.ids)
    with session_factory() as session:
        taken_over = select(DueWork).where(DueWork.id.in_(dead.ids))
        assert {r.state for r in session.scalars(taken_over)} == {DueWorkState.SENT}


def test_a_renewed_claim_is_not_taken_over(session_factory: SessionFactory) -> None:
    fill(session_factory, 1, START)
    with session_factory.begin() as session:
        ids = nudges.claim(session=session, now=START, worker="alive")
    later = START + nudges.CLAIM_LEASE - timedelta(seconds=5)
    with session_factory.begin() as session:
        assert nudges.renew(session=session, worker="alive", ids=ids, now=later) == 1
        assert nudges.renew(session=session, worker="someone else", ids=ids, now=later) == 0
    after_first_lease = START + nudges.CLAIM_LEASE + timedelta(seconds=5)
    with session_factory.begin() as session:
        assert nudges.claim(session=session, now=after_first_lease, worker="w2") == []
    with session_factory.begin() as session:
        assert nudges.claim(session=session, now=later + nudges.CLAIM_LEASE * 2, worker="w2") == ids


def test_the_scheduler_wakes_for_the_next_due_row(
    session_factory: SessionFactory, sweeper: CrashTestSweeper
) -> None:
    soon = datetime.now(UTC) + timedelta(seconds=20)
    fill(session_factory, 1, soon)
    scheduler = build_scheduler(sweeper, interval_seconds=600, blocking=False)
    assert isinstance(scheduler, BackgroundScheduler)
    scheduler.start(paused=True)
    try:
        job = scheduler.get_job(JOB_ID)
        job.modify(next_run_time=datetime.now(UTC) + timedelta(seconds=600))
        assert wake_for_next_due(scheduler, sweeper) == soon
        assert scheduler.get_job(JOB_ID).next_run_time == soon
        later = datetime.now(UTC) + timedelta(hours=1)
        with session_factory.begin() as session:
            session.execute(DueWork.__table__.update().values(due_at=later))
        assert wake_for_next_due(scheduler, sweeper) is None  # the interval comes first
    finally:
        scheduler.shutdown(wait=False)
