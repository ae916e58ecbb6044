"""The sweep: send every due nudge once, and only count it sent once Slack accepted it."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.orm import joinedload

from bot.blocks import handoff as handoff_blocks
from bot.blocks.common import Blocks
from bot.db.models import (
    DueWork,
    DueWorkKind,
    HandoffEventKind,
    HandoffState,
)
from bot.deps import Deps
from bot.services import handoffs, nudges

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


@dataclass(frozen=True)
class Delivery:
    """One message to one person, decided in a short transaction and sent outside it."""

    team_id: str
    channel: str
    text: str
    blocks: Blocks
    thread_ts: str | None = None
    broadcast: bool = False
    event: HandoffEventKind = HandoffEventKind.NUDGED


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
            work = session.get_one(DueWork, work_id, options=[joinedload(DueWork.handoff)])
            now = self.deps.clock.now()
            nudges.mark_sent(session=session, work=work, now=now)
            if work.handoff is not None:
                handoffs.record_bot_event(
                    session=session,
                    handoff=work.handoff,
                    kind=delivery.event,
                    detail=f"{work.kind.value} to {work.recipient_slack_id}",
                    now=now,
                )
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
        handoff = work.handoff
        if handoff is None:
            return None
        team_id = handoff.workspace.slack_team_id
        config = self.deps.config
        if work.kind is DueWorkKind.HANDOFF_ACKNOWLEDGE:
            if handoff.state is not HandoffState.OPEN:
                return None
            text, blocks = handoff_blocks.acknowledge_nudge(
                handoff, business_hours=config.sla.acknowledge_hours
            )
            return Delivery(
                team_id,
                handoff.channel_id or work.recipient_slack_id,
                text,
                blocks,
                thread_ts=handoff.message_ts if handoff.channel_id else None,
                broadcast=handoff.channel_id is not None,
            )
        if work.kind is DueWorkKind.HANDOFF_ESCALATE:
            if handoff.state is not HandoffState.OPEN:
                return None
            if work.recipient_slack_id == handoff.rep.slack_user_id:
                text, blocks = handoff_blocks.escalation_for_rep(
                    handoff, managers=handoffs.managers(handoff, config)
                )
            else:
                text, blocks = handoff_blocks.escalation_for_manager(
                    handoff, business_hours=config.sla.escalate_hours
                )
            return Delivery(
                team_id, work.recipient_slack_id, text, blocks, event=HandoffEventKind.ESCALATED
            )
        if work.kind is DueWorkKind.HANDOFF_DEADLINE:
            if handoff.state is not HandoffState.ACCEPTED or handoff.deadline is None:
                return None
            text, blocks = handoff_blocks.deadline_nudge(handoff)
            return Delivery(
                team_id,
                work.recipient_slack_id,
                text,
                blocks,
                event=HandoffEventKind.DEADLINE_PASSED,
            )
        return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return f"Slack answered {exc.response.status_code}: {exc.response.get('error')}"
    return f"{type(exc).__name__}: {exc}"
