"""The sweep: send every due nudge once, and only count it sent once Slack accepted it."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.db.models import DueWork
from bot.deps import Deps
from bot.scheduler.planners import PLANNERS, Delivery
from bot.services import nudges

log = logging.getLogger("dealcoach.sweep")

ClientFor = Callable[[str], WebClient]
"""Slack team id → a WebClient holding that workspace's bot token."""


@dataclass
class SweepReport:
    claimed: int = 0
    sent: int = 0
    cancelled: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Sweeper:
    """Claims due rows, sends each, records the outcome. Safe to run in many processes."""

    def __init__(self, deps: Deps, client_for: ClientFor, *, worker_id: str | None = None) -> None:
        self.deps = deps
        self.client_for = client_for
        self.worker_id = worker_id or default_worker_id()

    def run_once(self, limit: int = 100) -> SweepReport:
        report = SweepReport()
        with self.deps.transaction() as session:
            claimed = nudges.claim(
                session=session, now=self.deps.clock.now(), worker=self.worker_id, limit=limit
            )
        report.claimed = len(claimed)
        for work_id in claimed:
            self._deliver(work_id, report)
        if claimed:
            log.info(
                "sweep finished",
                extra={
                    "claimed": report.claimed,
                    "sent": report.sent,
                    "cancelled": report.cancelled,
                    "retried": report.retried,
                    "failed": report.failed,
                },
            )
        return report

    def _deliver(self, work_id: int, report: SweepReport) -> None:
        with self.deps.transaction() as session:
            work = session.get_one(DueWork, work_id)
            delivery = self._plan(work)
            if delivery is None:
                nudges.mark_cancelled(session=session, work=work)
                report.cancelled += 1
                return
        try:
            self.client_for(delivery.team_id).chat_postMessage(
                channel=delivery.channel,
                text=delivery.text,
                blocks=delivery.blocks,
                thread_ts=delivery.thread_ts,
                reply_broadcast=delivery.broadcast or None,
            )
        except (SlackApiError, SlackClientError) as exc:
            self._failed(work_id, exc, report)
            return
        with self.deps.transaction() as session:
            work = session.get_one(DueWork, work_id)
            now = self.deps.clock.now()
            nudges.mark_sent(session=session, work=work, now=now)
            if delivery.on_sent is not None:
                delivery.on_sent(session, work, now)
        report.sent += 1

    def _failed(self, work_id: int, exc: Exception, report: SweepReport) -> None:
        error = _describe(exc)
        with self.deps.transaction() as session:
            work = session.get_one(DueWork, work_id)
            again = nudges.retry_later(
                session=session, work=work, error=error, now=self.deps.clock.now()
            )
            extra = {
                "due_work_id": work_id,
                "kind": work.kind.value,
                "attempts": work.attempts,
                "error": error,
            }
        if again:
            report.retried += 1
            log.warning("Slack refused a nudge; it will be retried", extra=extra)
        else:
            report.failed += 1
            log.error(
                "a nudge failed too many times and was given up; check the bot token and "
                "the recipient",
                extra=extra,
            )
        report.errors.append(error)

    def _plan(self, work: DueWork) -> Delivery | None:
        """What to send for this row, or ``None`` when it no longer applies."""
        planner = PLANNERS.get(work.kind)
        if planner is None:
            log.error("no planner for this kind of due work", extra={"kind": work.kind.value})
            return None
        return planner(work, self.deps.config)


def _describe(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return f"Slack answered {exc.response.status_code}: {exc.response.get('error')}"
    return f"{type(exc).__name__}: {exc}"
