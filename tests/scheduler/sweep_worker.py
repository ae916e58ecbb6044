"""A sweep worker process for the crash test: real claims, leases and Slack calls.

    python -m tests.scheduler.sweep_worker DATABASE_URL API_URL TOKEN WORKER LEASE [--die]

Every row is planned as one short DM to its recipient (the crash test is about claims,
leases and delivery, not about what a nudge says). With ``--die`` the process SIGKILLs
itself after Slack accepted its first message and before the database recorded it.
It sweeps until no row is due or claimed.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy import func, select

from bot.clock import SystemClock
from bot.config import DealCoachConfig, Reports, Team
from bot.db.models import DueWork, DueWorkState
from bot.db.session import make_engine, make_session_factory
from bot.deps import Deps
from bot.scheduler.jobs import Sweeper, SweepReport, _Ready
from bot.scheduler.planners.base import Delivery
from tests.conftest import MANAGER, REP, SE1

TEAM = "T0DEALCO1"


class CrashTestSweeper(Sweeper):
    die = False

    def _plan(self, work: DueWork) -> Delivery:
        return Delivery(
            team_id=TEAM,
            channel=work.recipient_slack_id,
            text=f"Nudge number {work.id}",
            blocks=[],
            punctual=True,
        )

    def _sent(self, items: list[_Ready], report: SweepReport, *, recovered: bool = False) -> None:
        if self.die:
            print(f"dying after {[item.work_id for item in items]}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        super()._sent(items, report, recovered=recovered)


def main() -> None:
    database_url, api_url, token, worker, lease = sys.argv[1:6]
    engine = make_engine(database_url)
    session_factory = make_session_factory(engine)
    config = DealCoachConfig(
        teams=[Team(name="Crash", reps=[REP], ses=[SE1], se_managers=[MANAGER])],
        reports=Reports(weekly_digest=False),  # only the test's rows are ever due
    )
    deps = Deps(config=config, session_factory=session_factory, clock=SystemClock())
    client = WebClient(token=token, base_url=api_url)
    sweeper = CrashTestSweeper(
        deps, lambda _team: client, worker_id=worker, lease=timedelta(seconds=float(lease))
    )
    sweeper.die = "--die" in sys.argv
    print("ready", flush=True)
    sys.stdin.readline()  # start together
    pending = (DueWorkState.DUE, DueWorkState.CLAIMED)
    while True:
        report = sweeper.run_once(limit=5)
        print(f"swept {report.claimed} sent {report.sent} recovered {report.recovered}", flush=True)
        with session_factory() as session:
            left = session.scalar(
                select(func.count()).select_from(DueWork).where(DueWork.state.in_(pending))
            )
        if not left:
            break
        time.sleep(0.2)


if __name__ == "__main__":
    main()
