"""APScheduler runs one interval job: the sweep over due rows in the database, woken
early when a row falls due before the next interval."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_STOPPED, BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.scheduler.crm_jobs import CrmJobs
from bot.scheduler.jobs import Sweeper

JOB_ID = "sweep_due_work"
#: The soonest an early wake-up may follow a sweep (so rows that stay due cannot spin it).
MIN_GAP = timedelta(seconds=1)


def build_scheduler(sweeper: Sweeper, *, interval_seconds: int, blocking: bool) -> BaseScheduler:
    """A scheduler whose only job is ``sweeper.run_once`` every ``interval_seconds``.

    The job holds no state of its own: what is due lives in ``due_work``, so a missed or
    coalesced run loses nothing.
    """
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if blocking else BackgroundScheduler(timezone=UTC)
    )

    def sweep() -> None:
        sweeper.run_once()
        # From its own thread: a running job that touches the job store would deadlock with
        # a shutdown that holds the store's lock while it waits for the job.
        threading.Thread(
            target=wake_for_next_due, args=(scheduler, sweeper), name="sweep-wake", daemon=True
        ).start()

    scheduler.add_job(
        sweep,
        "interval",
        seconds=interval_seconds,
        id=JOB_ID,
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    return scheduler


def wake_for_next_due(scheduler: BaseScheduler, sweeper: Sweeper) -> datetime | None:
    """Move the next sweep forward to when the earliest pending row falls due, if that is
    before the next interval; returns the moment it will run (``None`` if unchanged)."""
    if scheduler.state == STATE_STOPPED:
        return None
    due = sweeper.next_due()
    job = scheduler.get_job(JOB_ID)
    if due is None or job is None or job.next_run_time is None:
        return None
    if due.tzinfo is None:
        due = due.replace(tzinfo=UTC)
    due = max(due, datetime.now(UTC) + MIN_GAP)
    if due >= job.next_run_time:
        return None
    try:
        job.modify(next_run_time=due)
    except (JobLookupError, SchedulerNotRunningError):
        return None  # shut down meanwhile
    return due


def add_crm_job(scheduler: BaseScheduler, jobs: CrmJobs, *, interval_seconds: int) -> None:
    """The CRM's work beside the sweep: syncs when due (``crm.sync_every_minutes``) and
    due write-backs, each claimed in the database so replicas do it once."""
    scheduler.add_job(
        jobs.run_once,
        "interval",
        seconds=interval_seconds,
        id="crm_sync_and_write_back",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
