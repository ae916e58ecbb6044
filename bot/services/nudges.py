"""Due work: every nudge is a row with a due time, claimed before it is sent.

The database is the source of truth. A restart loses nothing; an overdue row is sent
once, not once per missed tick; a claim is one guarded ``UPDATE`` so any number of
workers can sweep the same table without sending anything twice.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Insert, and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import DueWork, DueWorkKind, DueWorkState
from bot.db.session import insert_for

#: A claim not renewed for this long is presumed lost (its worker died) and may be claimed
#: again. A live worker renews its claims well within it (see :func:`renew`), so a dead
#: worker's rows go out again within about a minute.
CLAIM_LEASE = timedelta(seconds=60)
#: After this many failed sends a row is marked failed and left for a maintainer.
MAX_ATTEMPTS = 8


def schedule(
    *,
    session: Session,
    workspace_id: int,
    kind: DueWorkKind,
    key: str,
    recipient_slack_id: str,
    due_at: datetime,
    now: datetime,
    handoff_id: int | None = None,
    step: int | None = None,
) -> DueWork | None:
    """Add a row unless one with this key exists already; ``None`` when it did."""
    if session.scalar(select(DueWork.id).where(DueWork.dedupe_key == key)) is not None:
        return None
    work = DueWork(
        workspace_id=workspace_id,
        kind=kind,
        dedupe_key=key,
        handoff_id=handoff_id,
        recipient_slack_id=recipient_slack_id,
        step=step,
        due_at=due_at,
        state=DueWorkState.DUE,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(work)
    except IntegrityError:
        return None
    return work


@dataclass(frozen=True)
class Due:
    """One row for :func:`schedule_many`."""

    kind: DueWorkKind
    key: str
    recipient_slack_id: str
    due_at: datetime
    step: int | None = None


def schedule_many(
    *,
    session: Session,
    workspace_id: int,
    rows: Sequence[Due],
    now: datetime,
    handoff_id: int | None = None,
) -> None:
    """Add these rows in one ``INSERT … ON CONFLICT (dedupe_key) DO NOTHING`` (SQLite and
    PostgreSQL): a key that exists already is skipped by the unique constraint, with no
    SELECT first and no SAVEPOINT per row."""
    if not rows:
        return
    values = [
        {
            "workspace_id": workspace_id,
            "kind": row.kind,
            "dedupe_key": row.key,
            "handoff_id": handoff_id,
            "recipient_slack_id": row.recipient_slack_id,
            "step": row.step,
            "due_at": row.due_at,
            "state": DueWorkState.DUE,
            "attempts": 0,
            "created_at": now,
        }
        for row in rows
    ]
    # one multi-row statement ("insertmanyvalues")
    session.execute(_insert_due_rows(session.get_bind().dialect.name), values)


@functools.cache
def _insert_due_rows(dialect: str) -> Insert:
    """Built once per dialect, on the table itself (plain rows, nothing for the ORM to do)."""
    statement: Insert = insert_for(dialect)(DueWork.__table__).on_conflict_do_nothing(
        index_elements=["dedupe_key"]
    )
    return statement


def cancel(
    *,
    session: Session,
    handoff_id: int | None = None,
    call_id: int | None = None,
    kinds: Collection[DueWorkKind] | None = None,
) -> int:
    """Cancel a handoff's or a call's pending rows (all, or only these kinds); how many."""
    statement = (
        update(DueWork)
        .where(DueWork.state == DueWorkState.DUE)
        .values(state=DueWorkState.CANCELLED)
    )
    if handoff_id is not None:
        statement = statement.where(DueWork.handoff_id == handoff_id)
    if call_id is not None:
        statement = statement.where(DueWork.call_id == call_id)
    if handoff_id is None and call_id is None:
        raise ValueError("cancel needs a handoff or a call")
    if kinds is not None:
        statement = statement.where(DueWork.kind.in_(list(kinds)))
    return session.execute(statement).rowcount  # type: ignore[attr-defined, no-any-return]


def _claimable(now: datetime, lease: timedelta = CLAIM_LEASE):  # type: ignore[no-untyped-def]
    return or_(
        and_(DueWork.state == DueWorkState.DUE, DueWork.due_at <= now),
        and_(DueWork.state == DueWorkState.CLAIMED, DueWork.claimed_at < now - lease),
    )


@dataclass(frozen=True)
class Claimed:
    """The rows a worker won, and which of them it took over from a worker presumed dead
    (those may have reached Slack already: check before sending them again)."""

    ids: list[int]
    taken_over: frozenset[int] = frozenset()


def claim(*, session: Session, now: datetime, worker: str, limit: int = 100) -> list[int]:
    """Claim up to ``limit`` due rows for ``worker``; returns the ids this worker won."""
    return claim_rows(session=session, now=now, worker=worker, limit=limit).ids


def claim_rows(
    *,
    session: Session,
    now: datetime,
    worker: str,
    limit: int = 100,
    lease: timedelta = CLAIM_LEASE,
) -> Claimed:
    """Claim up to ``limit`` due rows for ``worker``, and say which were taken over.

    The ``due_at`` index keeps this proportional to what is due, not to the table.
    """
    candidates = session.execute(
        select(DueWork.id, DueWork.state)
        .where(_claimable(now, lease))
        .order_by(DueWork.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        return Claimed([])
    # One guarded UPDATE: a row another worker claimed meanwhile no longer matches.
    won = session.scalars(
        update(DueWork)
        .where(DueWork.id.in_([row.id for row in candidates]), _claimable(now, lease))
        .values(
            state=DueWorkState.CLAIMED,
            claimed_by=worker,
            claimed_at=now,
        )
        .returning(DueWork.id)
        .execution_options(synchronize_session=False)
    ).all()
    stale = {row.id for row in candidates if row.state == DueWorkState.CLAIMED}
    return Claimed(sorted(won), frozenset(stale.intersection(won)))


def renew(*, session: Session, worker: str, ids: Collection[int], now: datetime) -> int:
    """Keep this worker's claims on ``ids`` alive (it is still working on them); how many
    it still held (a row already sent, or taken over after a stall, is left alone)."""
    if not ids:
        return 0
    statement = (
        update(DueWork)
        .where(
            DueWork.id.in_(list(ids)),
            DueWork.state == DueWorkState.CLAIMED,
            DueWork.claimed_by == worker,
        )
        .values(claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount  # type: ignore[attr-defined, no-any-return]


def next_due(*, session: Session) -> datetime | None:
    """When the earliest pending row falls due (``None`` when nothing is pending)."""
    return session.scalar(select(func.min(DueWork.due_at)).where(DueWork.state == DueWorkState.DUE))


def mark_sent(*, session: Session, work: DueWork, now: datetime) -> None:
    """Slack accepted it: one more send, and the row is done."""
    work.attempts += 1
    work.state = DueWorkState.SENT
    work.sent_at = now
    work.last_error = None


def mark_cancelled(*, session: Session, work: DueWork) -> None:
    """What it was about no longer needs it (the handoff moved on)."""
    work.state = DueWorkState.CANCELLED


def due_again(
    *, session: Session, work: DueWork, due_at: datetime, recipient_slack_id: str
) -> None:
    """A pending (or cancelled) row moved to a new moment and recipient."""
    work.state = DueWorkState.DUE
    work.due_at = due_at
    work.recipient_slack_id = recipient_slack_id


def mark_missed(*, session: Session, work: DueWork, reason: str) -> None:
    """Its moment passed unsent: kept as a record (the reason in ``last_error``), never sent."""
    work.state = DueWorkState.MISSED
    work.last_error = reason
    work.claimed_by = None


def defer(*, session: Session, work: DueWork, until: datetime) -> None:
    """Put a claimed row back for later (quiet hours, a snooze, a digest time); nothing was
    sent, so ``attempts`` stays as it is."""
    work.state = DueWorkState.DUE
    work.due_at = until
    work.claimed_by = None


def retry_later(*, session: Session, work: DueWork, error: str, now: datetime) -> bool:
    """Put a failed send back with exponential backoff; ``False`` once it gave up."""
    work.attempts += 1
    work.last_error = error[:2000]
    work.claimed_by = None
    if work.attempts >= MAX_ATTEMPTS:
        work.state = DueWorkState.FAILED
        return False
    work.state = DueWorkState.DUE
    work.due_at = now + backoff(work.attempts)
    return True


def backoff(attempts: int) -> timedelta:
    """1, 2, 4 … minutes after each failed attempt, never more than an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=1))
