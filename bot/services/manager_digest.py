"""The weekly digest to managers as due work: one row per manager and week.

A row's dedupe key names the manager and the local date of the digest, so two replicas
scheduling the same week write one row. When a row is finally sent after an outage, the
weeks it missed fold into that one digest (it covers them and says so) and the next row
is the next configured moment after now: never one digest per missed week.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.coaching import working_hours
from bot.config import DealCoachConfig
from bot.db.models import DueWork, DueWorkKind, DueWorkState, Person, Workspace
from bot.services import nudges, people, preferences

KIND = DueWorkKind.MANAGER_DIGEST
PREFIX = "manager_digest"


def key(workspace_id: int, manager: str, week: date) -> str:
    return f"{PREFIX}:{workspace_id}:{manager}:{week.isoformat()}"


def week_of(work: DueWork) -> date:
    """The local date the row's digest was planned for, read back from its key."""
    return date.fromisoformat(work.dedupe_key.split(":")[3])


def next_moment(
    prefs: preferences.Preferences, config: DealCoachConfig, after: datetime
) -> datetime:
    """The first configured digest moment (day and time in the manager's zone) after
    ``after``, moved into the manager's working hours if it falls outside them."""
    setting = config.reports
    local = after.astimezone(prefs.tz)
    ahead = (setting.digest_day.number - local.weekday()) % 7
    moment = datetime.combine(local.date() + timedelta(days=ahead), setting.digest_time, prefs.tz)
    if moment <= after:
        moment += timedelta(weeks=1)
    return working_hours.next_working_moment(moment, tz=prefs.tz, hours=prefs.hours)


def may_get_digest(manager: str, config: DealCoachConfig) -> bool:
    """Digests are on for the team and this person reads a team's report."""
    return config.reports.weekly_digest and manager in config.report_readers()


def wants_digest(person: Person | None, manager: str, config: DealCoachConfig) -> bool:
    if not may_get_digest(manager, config):
        return False
    return person is None or not person.weekly_report_off


def schedule_next(
    *,
    session: Session,
    workspace: Workspace,
    manager: str,
    config: DealCoachConfig,
    now: datetime,
) -> DueWork | None:
    """The manager's next digest row, unless it exists, they opted out, or manage no team."""
    person = people.find_person(session=session, workspace=workspace, slack_user_id=manager)
    if not wants_digest(person, manager, config):
        return None
    prefs = preferences.for_person(person, config)
    due = next_moment(prefs, config, now)
    week_key = key(workspace.id, manager, due.astimezone(prefs.tz).date())
    row = nudges.schedule(
        session=session,
        workspace_id=workspace.id,
        kind=KIND,
        key=week_key,
        recipient_slack_id=manager,
        due_at=due,
        now=now,
    )
    if row is not None:
        return row
    # This week's row exists; if it was cancelled (the manager had opted out), revive it.
    existing = session.scalar(select(DueWork).where(DueWork.dedupe_key == week_key))
    if existing is None or existing.state is not DueWorkState.CANCELLED:
        return None
    existing.state, existing.due_at, existing.claimed_by = DueWorkState.DUE, due, None
    return existing


def ensure_scheduled(
    *, session: Session, workspace: Workspace, config: DealCoachConfig, now: datetime
) -> list[DueWork]:
    """A pending digest row for every manager who should have one; returns the new rows.

    Cheap enough for every sweep: a manager with a row still due gets nothing new.
    """
    pending = set(
        session.scalars(
            select(DueWork.recipient_slack_id).where(
                DueWork.workspace_id == workspace.id,
                DueWork.kind == KIND,
                DueWork.state.in_([DueWorkState.DUE, DueWorkState.CLAIMED]),
            )
        )
    )
    created = []
    for manager in config.report_readers():
        if manager in pending:
            continue
        row = schedule_next(
            session=session, workspace=workspace, manager=manager, config=config, now=now
        )
        if row is not None:
            created.append(row)
    return created


@dataclass(frozen=True)
class Plan:
    """What the claimed row should send: how many weeks it covers and how many it missed."""

    weeks: int
    missed_weeks: int
    #: Set when the row came due outside the manager's working hours (after an outage):
    #: send nothing now and come back at this moment.
    wait_until: datetime | None = None


def plan(work: DueWork, person: Person | None, config: DealCoachConfig, now: datetime) -> Plan:
    prefs = preferences.for_person(person, config)
    missed = max(0, (now.astimezone(prefs.tz).date() - week_of(work)).days // 7)
    weeks = min(1 + missed, config.reports.max_weeks)
    if not working_hours.is_working_time(now, tz=prefs.tz, hours=prefs.hours):
        later = working_hours.next_working_moment(now, tz=prefs.tz, hours=prefs.hours)
        return Plan(weeks, missed, later)
    return Plan(weeks, missed)


def resend_later(*, session: Session, work: DueWork, until: datetime, now: datetime) -> None:
    """A copy of the row for the next working moment (the claimed one is then cancelled)."""
    nudges.schedule(
        session=session,
        workspace_id=work.workspace_id,
        kind=KIND,
        key=f"{work.dedupe_key}:at:{until:%Y%m%dT%H%M}",
        recipient_slack_id=work.recipient_slack_id,
        due_at=until,
        now=now,
    )


def set_weekly_digest(
    *,
    session: Session,
    workspace: Workspace,
    person: Person,
    on: bool,
    config: DealCoachConfig,
    now: datetime,
) -> None:
    """A manager's choice in `/coach settings`: off cancels the pending row at once, on
    plans the next one."""
    person.weekly_report_off = not on
    if on:
        session.flush()
        schedule_next(
            session=session,
            workspace=workspace,
            manager=person.slack_user_id,
            config=config,
            now=now,
        )
        return
    session.execute(
        update(DueWork)
        .where(
            DueWork.workspace_id == workspace.id,
            DueWork.kind == KIND,
            DueWork.recipient_slack_id == person.slack_user_id,
            DueWork.state == DueWorkState.DUE,
        )
        .values(state=DueWorkState.CANCELLED)
    )
