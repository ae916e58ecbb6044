"""Write-back: what the bot learned becomes a note on the CRM deal, once.

Each write-back is a :class:`~bot.db.models.CrmWriteBack` row, added in the same
transaction as what it records (so the Slack side is done and committed before any note is
written), with a unique key so the same event never queues twice. A sweep claims rows with
one guarded ``UPDATE`` (like due work: ``SKIP LOCKED`` on PostgreSQL, a lease for a dead
worker), writes each outside any transaction, and records the CRM's note id; a failure
goes back with backoff. Deals not from a CRM queue nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.crm.interface import Crm
from bot.crm.model import CrmAuthError, CrmError, CrmWrite
from bot.db.models import CrmWriteBack, CrmWriteState, Deal
from bot.deps import Deps
from bot.services.nudges import backoff

log = logging.getLogger("dealcoach.crm.write")

#: A claim older than this is presumed lost and may be claimed again.
WRITE_LEASE = timedelta(minutes=5)
#: After this many failures a row is marked failed and left for a maintainer.
MAX_ATTEMPTS = 8


def queue(
    *,
    session: Session,
    deal: Deal,
    kind: str,
    key: str,
    note: tuple[str, str],
    now: datetime,
) -> CrmWriteBack | None:
    """Queue one note for ``deal``; None for a deal not from a CRM or a key already queued."""
    if deal.crm_id is None or deal.crm_deleted_at is not None:
        return None
    dedupe = f"{kind}:{key}"
    if session.scalar(select(CrmWriteBack.id).where(CrmWriteBack.dedupe_key == dedupe)):
        return None
    title, body = note
    row = CrmWriteBack(
        workspace_id=deal.workspace_id,
        deal_id=deal.id,
        kind=kind,
        dedupe_key=dedupe,
        title=title[:200],
        body=body,
        state=CrmWriteState.DUE,
        due_at=now,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def _claimable(now: datetime):  # type: ignore[no-untyped-def]
    return or_(
        and_(CrmWriteBack.state == CrmWriteState.DUE, CrmWriteBack.due_at <= now),
        and_(
            CrmWriteBack.state == CrmWriteState.CLAIMED,
            CrmWriteBack.claimed_at < now - WRITE_LEASE,
        ),
    )


def claim(*, session: Session, now: datetime, worker: str, limit: int = 50) -> list[int]:
    """Claim up to ``limit`` due write-backs; the ids this worker won."""
    candidates = session.scalars(
        select(CrmWriteBack.id)
        .where(_claimable(now))
        .order_by(CrmWriteBack.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not candidates:
        return []
    won = session.scalars(
        update(CrmWriteBack)
        .where(CrmWriteBack.id.in_(candidates), _claimable(now))
        .values(state=CrmWriteState.CLAIMED, claimed_by=worker, claimed_at=now)
        .returning(CrmWriteBack.id)
        .execution_options(synchronize_session=False)
    ).all()
    return sorted(won)


@dataclass
class WriteReport:
    claimed: int = 0
    written: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def run_once(deps: Deps, crm: Crm, *, worker: str, limit: int = 50) -> WriteReport:
    """Claim due write-backs and put each on its deal; safe in many processes at once."""
    report = WriteReport()
    with deps.transaction() as session:
        claimed = claim(session=session, now=deps.clock.now(), worker=worker, limit=limit)
    report.claimed = len(claimed)
    for write_id in claimed:
        with deps.transaction() as session:
            row = session.get_one(CrmWriteBack, write_id)
            crm_id = row.deal.crm_id
            write = CrmWrite(
                deal_crm_id=crm_id or "",
                title=row.title,
                body=row.body,
                written_at=row.created_at,
            )
        try:
            note_id = crm.write(write)
        except CrmError as exc:
            _failed(deps, write_id, worker, exc, report)
            continue
        with deps.transaction() as session:
            row = session.get_one(CrmWriteBack, write_id)
            row.state = CrmWriteState.WRITTEN
            row.crm_note_id = note_id[:64]
            row.attempts += 1
            row.written_at = deps.clock.now()
            row.claimed_by = None
            row.last_error = None
        report.written += 1
    if claimed:
        log.info(
            "crm write-back sweep",
            extra={"written": report.written, "retried": report.retried, "failed": report.failed},
        )
    return report


def _failed(deps: Deps, write_id: int, worker: str, exc: CrmError, report: WriteReport) -> None:
    kind = "auth" if isinstance(exc, CrmAuthError) else type(exc).__name__
    log.warning("crm write-back failed", extra={"write_id": write_id, "error": kind})
    report.errors.append(str(exc))
    now = deps.clock.now()
    with deps.transaction() as session:
        row = session.get_one(CrmWriteBack, write_id)
        row.attempts += 1
        row.last_error = str(exc)[:2000]
        row.claimed_by = None
        if row.attempts >= MAX_ATTEMPTS:
            row.state = CrmWriteState.FAILED
            report.failed += 1
        else:
            row.state = CrmWriteState.DUE
            row.due_at = now + backoff(row.attempts)
            report.retried += 1
