"""APScheduler runs one interval job: the sweep over due rows in the database."""

from __future__ import annotations

from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler

from bot.scheduler.crm_jobs import CrmJobs
from bot.scheduler.jobs import Sweeper


def build_scheduler(sweeper: Sweeper, *, interval_seconds: int, blocking: bool) -> BaseScheduler:
    """A scheduler whose only job is ``sweeper.run_once`` every ``interval_seconds``.

    The job holds no state of its own: what is due lives in ``due_work``, so a missed or
    coalesced run loses nothing.
    """
    scheduler: BaseScheduler = (
        BlockingScheduler(timezone=UTC) if blocking else BackgroundScheduler(timezone=UTC)
    )
    scheduler.add_job(
        sweeper.run_once,
        "interval",
        seconds=interval_seconds,
        id="sweep_due_work",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(UTC),
    )
    return scheduler


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
