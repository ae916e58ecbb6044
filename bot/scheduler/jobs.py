"""The sweep: send every due nudge once, politely, and count it sent once Slack accepted it.

Each sweep claims due rows, then for each recipient:

- holds back what falls outside their working hours or before their digest time, and
  what they snoozed, by moving the row's due time (no attempt is counted);
- sends one item as its own message (with snooze buttons), or several as one digest,
  most urgent first, capped;
- sends a punctual item (tips before a call) at once and on its own, and records one
  whose moment has passed (the call already started) as missed instead of sending it late;
- marks the rows sent only after Slack accepted the message; on failure they are
  retried with backoff.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.blocks import digest as digest_blocks
from bot.blocks.snooze import snooze_actions
from bot.db.models import DueWork, Person, Workspace
from bot.deps import Deps
from bot.domain.subject import Subject
from bot.scheduler import delivered, lease, takeover
from bot.scheduler.planners import PLANNERS, Delivery, Skip
from bot.scheduler.planners.ahead import PLANS_AHEAD
from bot.scheduler.planners.base import Followup
from bot.services import nudges, people, preferences, snoozes
from bot.services.errors import DomainError
from bot.slack.directory import fetch_profile

log = logging.getLogger("dealcoach.sweep")
#: How often a sweeper plans ahead (weekly digests); rows are deduplicated, so it is cheap.
PLAN_AHEAD_EVERY = timedelta(minutes=10)

ClientFor = Callable[[str], WebClient]
"""Slack team id → a WebClient holding that workspace's bot token."""


@dataclass
class SweepReport:
    claimed: int = 0
    sent: int = 0
    cancelled: int = 0
    deferred: int = 0
    retried: int = 0
    failed: int = 0
    digests: int = 0
    #: Rows whose moment passed before they could go out (tips for a call that started).
    missed: int = 0
    #: Rows taken over from a dead worker that Slack's history shows were delivered: marked
    #: sent, not sent again.
    recovered: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Ready:
    work_id: int
    subject: Subject
    delivery: Delivery


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Sweeper:
    """Claims due rows, sends them, records the outcome. Safe to run in many processes."""

    def __init__(
        self,
        deps: Deps,
        client_for: ClientFor,
        *,
        worker_id: str | None = None,
        lease: timedelta = nudges.CLAIM_LEASE,
        max_batches: int = 100,
    ) -> None:
        self.deps = deps
        self.client_for = client_for
        self.worker_id = worker_id or default_worker_id()
        #: How long a claim holds without renewal (renewed every third of it while alive).
        self.lease = lease
        #: A bound on one sweep's batches, so a run that keeps failing still ends.
        self.max_batches = max_batches
        self._planned_at: datetime | None = None

    def _plan_ahead(self) -> None:
        """Per workspace, the due work planned ahead (each manager's next weekly digest),
        at most every :data:`PLAN_AHEAD_EVERY`; a failure is logged and the sweep goes on."""
        now = self.deps.clock.now()
        if self._planned_at is not None and now - self._planned_at < PLAN_AHEAD_EVERY:
            return
        try:
            with self.deps.transaction() as session:
                for workspace in session.scalars(
                    select(Workspace).where(Workspace.uninstalled_at.is_(None))
                ):
                    for plan in PLANS_AHEAD:
                        plan(session, workspace, self.deps.config, now)
        except Exception:  # planning ahead must never stop the sending
            log.exception("could not plan due work ahead; the sweep goes on")
            return
        self._planned_at = now

    def run_once(self, limit: int = 100) -> SweepReport:
        """Sweep until what is due is drained: claim again while batches come back full."""
        report = SweepReport()
        self._plan_ahead()
        for _ in range(self.max_batches):
            if self._batch(limit, report) < limit:
                break
        if report.claimed:
            log.info(
                "sweep finished",
                extra={
                    "claimed": report.claimed,
                    "sent": report.sent,
                    "recovered": report.recovered,
                    "digests": report.digests,
                    "deferred": report.deferred,
                    "cancelled": report.cancelled,
                    "retried": report.retried,
                    "failed": report.failed,
                    "missed": report.missed,
                },
            )
        return report

    def next_due(self) -> datetime | None:
        """When the earliest pending row falls due, for waking at that moment."""
        with self.deps.transaction() as session:
            return nudges.next_due(session=session)

    def _batch(self, limit: int, report: SweepReport) -> int:
        """Claim up to ``limit`` rows and deliver them; how many were claimed."""
        with self.deps.transaction() as session:
            claimed = nudges.claim_rows(
                session=session,
                now=self.deps.clock.now(),
                worker=self.worker_id,
                limit=limit,
                lease=self.lease,
            )
        report.claimed += len(claimed.ids)
        if not claimed.ids:
            return 0
        with lease.kept(self.deps, worker=self.worker_id, ids=claimed.ids, lease=self.lease):
            with self.deps.transaction() as session:
                ready = self._triage(session, claimed.ids, report)
            if claimed.taken_over:
                takeover.settle(self, ready, claimed.taken_over, report)
            self._deliver(ready, report)
        return len(claimed.ids)

    def _deliver(self, ready: dict[tuple[str, str], list[_Ready]], report: SweepReport) -> None:
        for (_team, recipient), all_items in ready.items():
            for item in all_items:
                if item.delivery.punctual:
                    self._send_one(item, [item], report)
            items = [item for item in all_items if not item.delivery.punctual]
            if not items:
                continue
            shown = _one_per_subject(items)
            if len(shown) == 1:
                self._send_one(shown[0], items, report)
            else:
                self._send_digest(recipient, shown, items, report)

    def _triage(
        self, session: Session, claimed: list[int], report: SweepReport
    ) -> dict[tuple[str, str], list[_Ready]]:
        """Decide per row: hold it back, cancel it, or get it ready to send."""
        now = self.deps.clock.now()
        config = self.deps.config
        ready: dict[tuple[str, str], list[_Ready]] = defaultdict(list)
        for work_id in claimed:
            work = session.get_one(DueWork, work_id)
            subject = snoozes.subject_of(work)
            delivery = self._plan(work)
            if isinstance(delivery, Skip):
                _mark_missed(session, work, delivery.reason)
                report.missed += 1
                continue
            if delivery is None:
                nudges.mark_cancelled(session=session, work=work)
                report.cancelled += 1
                continue
            if not delivery.punctual:
                recipient = self._recipient(session, work)
                later = snoozes.active_until(
                    session=session,
                    workspace_id=work.workspace_id,
                    slack_user_id=work.recipient_slack_id,
                    subject=subject,
                    now=now,
                ) or preferences.next_delivery(preferences.for_person(recipient, config), now)
                if later is not None:
                    nudges.defer(session=session, work=work, until=later)
                    report.deferred += 1
                    continue
            key = (delivery.team_id, work.recipient_slack_id)
            ready[key].append(_Ready(work_id, subject, delivery))
        return ready

    def _recipient(self, session: Session, work: DueWork) -> Person | None:
        """The person a row goes to, with their Slack time zone (fetched once if new)."""
        found = people.find_person(
            session=session, workspace=work.workspace, slack_user_id=work.recipient_slack_id
        )
        if found is not None and found.time_zone is not None:
            return found
        try:
            client = self.client_for(work.workspace.slack_team_id)
            profile = fetch_profile(client, work.recipient_slack_id)
        except (DomainError, SlackApiError, SlackClientError) as exc:
            log.warning(
                "could not read a recipient's Slack profile; using the team's default hours",
                extra={"recipient": work.recipient_slack_id, "error": str(exc)},
            )
            return found
        return people.person(
            session=session,
            workspace=work.workspace,
            slack_user_id=work.recipient_slack_id,
            config=self.deps.config,
            now=self.deps.clock.now(),
            profile=profile,
        )

    def _send_one(self, item: _Ready, rows: list[_Ready], report: SweepReport) -> None:
        delivery = item.delivery
        blocks = delivery.blocks
        if len(blocks) < 50 and not delivery.punctual:
            blocks = [*blocks, snooze_actions(item.subject)]
        try:
            self.client_for(delivery.team_id).chat_postMessage(
                channel=delivery.channel,
                text=delivery.text,
                blocks=blocks,
                thread_ts=delivery.thread_ts,
                reply_broadcast=delivery.broadcast or None,
                metadata=delivered.metadata_for(row.work_id for row in rows),
            )
        except (SlackApiError, SlackClientError) as exc:
            self._failed(rows, exc, report)
            return
        self._sent(rows, report)

    def _send_digest(
        self, recipient: str, shown: list[_Ready], rows: list[_Ready], report: SweepReport
    ) -> None:
        """Several nudges at once become one DM: most urgent first, capped."""
        ordered = shown
        cap = self.deps.config.digest.max_items
        text, blocks = digest_blocks.digest(
            [(item.delivery.text, item.delivery.blocks, item.subject) for item in ordered],
            cap=cap,
        )
        try:
            self.client_for(ordered[0].delivery.team_id).chat_postMessage(
                channel=recipient,
                text=text,
                blocks=blocks,
                metadata=delivered.metadata_for(row.work_id for row in rows),
            )
        except (SlackApiError, SlackClientError) as exc:
            self._failed(rows, exc, report)
            return
        report.digests += 1
        self._sent(rows, report)

    def _sent(self, items: list[_Ready], report: SweepReport, *, recovered: bool = False) -> None:
        followups: dict[Subject, tuple[str, Followup]] = {}  # the last one per item wins
        with self.deps.transaction() as session:
            now = self.deps.clock.now()
            for item in items:
                work = session.get_one(DueWork, item.work_id)
                nudges.mark_sent(session=session, work=work, now=now)
                if item.delivery.on_sent is not None:
                    followup = item.delivery.on_sent(session, work, now)
                    if followup is not None:
                        followups[item.subject] = (item.delivery.team_id, followup)
        if recovered:
            report.recovered += len(items)
        else:
            report.sent += len(items)
        for subject, (team_id, followup) in followups.items():
            try:
                followup(self.client_for(team_id))
            except (SlackApiError, SlackClientError) as exc:
                log.warning(
                    "a nudge went out but its card could not be redrawn; it will show the "
                    "history next time someone acts on it",
                    extra={"subject": str(subject), "error": _describe(exc)},
                )

    def _failed(self, items: list[_Ready], exc: Exception, report: SweepReport) -> None:
        error = _describe(exc)
        with self.deps.transaction() as session:
            now = self.deps.clock.now()
            outcomes = []
            for item in items:
                work = session.get_one(DueWork, item.work_id)
                again = nudges.retry_later(session=session, work=work, error=error, now=now)
                outcomes.append((again, work.id, work.kind.value, work.attempts))
        for again, work_id, kind, attempts in outcomes:
            extra = {"due_work_id": work_id, "kind": kind, "attempts": attempts, "error": error}
            if again:
                report.retried += 1
                log.warning("Slack refused a nudge; it will be retried", extra=extra)
            else:
                report.failed += 1
                log.error(
                    "a nudge failed too many times and was given up; check the bot token "
                    "and the recipient",
                    extra=extra,
                )
        report.errors.append(error)

    def _plan(self, work: DueWork) -> Delivery | Skip | None:
        """What to send for this row, ``None`` when it no longer applies, or a ``Skip``."""
        planner = PLANNERS.get(work.kind)
        if planner is None:
            log.error("no planner for this kind of due work", extra={"kind": work.kind.value})
            return None
        return planner(work, self.deps.config)


def _mark_missed(session: Session, work: DueWork, reason: str) -> None:
    nudges.mark_missed(session=session, work=work, reason=reason)
    log.warning(
        "a message's moment passed before it could be sent; recorded as missed",
        extra={"due_work_id": work.id, "kind": work.kind.value, "reason": reason},
    )


def _one_per_subject(items: list[_Ready]) -> list[_Ready]:
    """The most urgent nudge about each item, most urgent first (two steps about one
    handoff due together say it once)."""
    best: dict[Subject, _Ready] = {}
    for item in items:
        current = best.get(item.subject)
        if current is None or item.delivery.urgency > current.delivery.urgency:
            best[item.subject] = item
    return sorted(best.values(), key=lambda item: -item.delivery.urgency)


_describe = delivered.describe
