"""The sweep as a running process runs it: timed for /metrics, then forgetting the
workspaces that uninstalled the app longer ago than the grace period."""

from __future__ import annotations

from datetime import timedelta

from bot.scheduler.jobs import Sweeper, SweepReport


class TimedSweeper(Sweeper):
    """The sweep, timed for /metrics, and followed by forgetting uninstalled workspaces."""

    def run_once(self, limit: int = 100) -> SweepReport:
        from bot.metrics import SWEEP_SECONDS
        from bot.services import workspaces

        with SWEEP_SECONDS.time():
            report = super().run_once(limit)
        with self.deps.transaction() as session:
            workspaces.forget_due(
                session=session,
                now=self.deps.clock.now(),
                grace=timedelta(days=self.deps.config.uninstall.forget_after_days),
            )
        return report
