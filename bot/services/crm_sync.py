"""Deals from the CRM: a sync claimed once across replicas, streamed a page at a time.

A sync claims the workspace's :class:`~bot.db.models.CrmSyncState` row with one guarded
``UPDATE`` (a claim older than :data:`SYNC_LEASE` is presumed lost), streams
``changed_since(cursor)`` and upserts each page by CRM id in its own transaction. The
cursor moves to the latest change seen only once the whole listing (deletions come last)
went through, so an interrupted sync misses nothing; it repeats pages, which the upsert
makes harmless. Slack lookups (owners by email) happen between transactions, never inside.

Faults: :class:`~bot.crm.model.CrmAuthError` stops syncing (one log line, a DM to the
admins in config) until ``dealcoach crm sync`` runs with renewed credentials;
:class:`~bot.crm.model.CrmRateLimited` leaves the rest to the next sync.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.crm.interface import Crm
from bot.crm.model import CrmAuthError, CrmRateLimited, DealPage
from bot.db.models import CrmSyncState, Deal, Workspace
from bot.deps import Deps
from bot.services import crm_deals
from bot.services.deals import name_key

log = logging.getLogger("dealcoach.crm.sync")

#: A sync claim older than this is presumed lost (its worker died).
SYNC_LEASE = timedelta(minutes=10)

OwnerLookup = Callable[[str], str | None]
"""An owner's email → their Slack user id, or None when no Slack account has it."""
Notify = Callable[[str, str], None]
"""(Slack user id, text) → a DM; used to tell the admins the sync stopped."""
Progress = Callable[[int], None]


@dataclass
class SyncSummary:
    claimed: bool = False
    pages: int = 0
    created: int = 0
    updated: int = 0
    closed: int = 0
    deleted: int = 0
    #: Owner emails no Slack account has (counted once per sync, never logged).
    unmatched: set[str] = field(default_factory=set)
    nudges_cancelled: int = 0
    rate_limited: bool = False
    stopped: str | None = None

    @property
    def owners_unmatched(self) -> int:
        return len(self.unmatched)

    def add(self, page: crm_deals.PageResult) -> None:
        self.pages += 1
        self.created += page.created
        self.updated += page.updated
        self.closed += page.closed
        self.deleted += page.deleted
        self.nudges_cancelled += page.nudges_cancelled

    def line(self) -> str:
        if not self.claimed:
            return "Another worker is syncing (or the sync is stopped); nothing done."
        text = (
            f"{self.created} new, {self.updated} updated, {self.closed} closed, "
            f"{self.deleted} deleted in {self.pages} pages; {self.nudges_cancelled} nudges "
            f"cancelled; {self.owners_unmatched} owners without a Slack account"
        )
        if self.rate_limited:
            text += " (rate limited: the rest comes with the next sync)"
        if self.stopped:
            text += f" (STOPPED: {self.stopped})"
        return text


def claim(
    *, session: Session, workspace_id: int, vendor: str, now: datetime, worker: str, force: bool
) -> CrmSyncState | None:
    """This worker's claim on the workspace's sync, or None when it is not due, stopped,
    or running elsewhere. ``force`` (by hand) ignores the due time and a stop."""
    if session.get(CrmSyncState, workspace_id) is None:
        try:
            with session.begin_nested():
                session.add(CrmSyncState(workspace_id=workspace_id, vendor=vendor, next_due_at=now))
        except IntegrityError:
            pass
    statement = (
        update(CrmSyncState)
        .where(
            CrmSyncState.workspace_id == workspace_id,
            or_(CrmSyncState.claimed_by.is_(None), CrmSyncState.claimed_at < now - SYNC_LEASE),
        )
        .values(claimed_by=worker, claimed_at=now)
        .returning(CrmSyncState.workspace_id)
        .execution_options(synchronize_session=False)
    )
    if not force:
        statement = statement.where(
            CrmSyncState.next_due_at <= now, CrmSyncState.stopped_reason.is_(None)
        )
    if session.scalar(statement) is None:
        return None
    state = session.get_one(CrmSyncState, workspace_id)
    session.refresh(state)
    return state


def run(
    deps: Deps,
    crm: Crm,
    *,
    workspace_id: int,
    owners: OwnerLookup,
    notify: Notify,
    worker: str,
    full: bool = False,
    force: bool = False,
    progress: Progress | None = None,
) -> SyncSummary:
    """One sync of the workspace's deals; safe to call from every replica at once."""
    summary = SyncSummary()
    now = deps.clock.now()
    with deps.transaction() as session:
        state = claim(
            session=session,
            workspace_id=workspace_id,
            vendor=crm.vendor,
            now=now,
            worker=worker,
            force=force,
        )
        if state is None:
            return summary
        since = None if full else state.cursor
        state.stopped_reason = None
    summary.claimed = True
    latest = since
    try:
        for page in crm.changed_since(since):
            slack_ids = _owner_ids(page, owners, summary)
            with deps.transaction() as session:
                result = crm_deals.upsert_page(
                    session=session,
                    workspace_id=workspace_id,
                    vendor=crm.vendor,
                    page=page,
                    slack_ids=slack_ids,
                    config=deps.config,
                    now=deps.clock.now(),
                )
                _still_mine(session, workspace_id, worker, deps.clock.now())
            summary.add(result)
            latest = max((x for x in (latest, result.latest) if x is not None), default=None)
            if progress is not None:
                progress(len(page.deals) + len(page.deleted))
    except CrmAuthError as exc:
        summary.stopped = str(exc)
        log.error("crm sync stopped", extra={"vendor": exc.vendor, "reason": exc.reason})
        _finish(deps, workspace_id, worker, cursor=None, stopped=str(exc))
        _tell_admins(deps, notify, exc)
        return summary
    except CrmRateLimited as exc:
        summary.rate_limited = True
        log.warning("crm sync rate limited", extra={"vendor": exc.vendor, "attempts": exc.attempts})
        _finish(deps, workspace_id, worker, cursor=None, stopped=None)
        return summary
    _finish(deps, workspace_id, worker, cursor=latest, stopped=None)
    log.info("crm sync finished", extra={"vendor": crm.vendor, "summary": summary.line()})
    return summary


def fetch_by_name(
    deps: Deps, crm: Crm, *, workspace_id: int, name: str, owners: OwnerLookup
) -> int | None:
    """A deal not yet synced, fetched from the CRM by name (``search_deals``) and stored
    like a synced one; the id of the deal named exactly so (case and spacing aside), or
    None when the CRM has none. Call it with no transaction open (it asks the CRM and
    Slack). The CRM's faults are the caller's to turn into a kind message."""
    wanted = name_key(name)
    found = [deal for deal in crm.search_deals(name, limit=10) if name_key(deal.name) == wanted]
    if not found:
        return None
    page = DealPage(deals=tuple(found[:1]))
    summary = SyncSummary()
    slack_ids = _owner_ids(page, owners, summary)
    with deps.transaction() as session:
        crm_deals.upsert_page(
            session=session,
            workspace_id=workspace_id,
            vendor=crm.vendor,
            page=page,
            slack_ids=slack_ids,
            config=deps.config,
            now=deps.clock.now(),
        )
        return session.scalar(
            select(Deal.id).where(
                Deal.workspace_id == workspace_id,
                Deal.crm_vendor == crm.vendor,
                Deal.crm_id == found[0].crm_id,
            )
        )


def _owner_ids(page: DealPage, owners: OwnerLookup, summary: SyncSummary) -> dict[str, str]:
    """Owner email → Slack id for this page (the lookup caches; no transaction is open)."""
    found: dict[str, str] = {}
    for email in {deal.owner_email.casefold() for deal in page.deals if deal.owner_email}:
        slack_id = owners(email)
        if slack_id is None:
            summary.unmatched.add(email)
        else:
            found[email] = slack_id
    return found


def _still_mine(session: Session, workspace_id: int, worker: str, now: datetime) -> None:
    """Renew the lease while pages keep coming, so a long first sync is not taken over."""
    session.execute(
        update(CrmSyncState)
        .where(CrmSyncState.workspace_id == workspace_id, CrmSyncState.claimed_by == worker)
        .values(claimed_at=now)
    )


def _finish(
    deps: Deps, workspace_id: int, worker: str, *, cursor: datetime | None, stopped: str | None
) -> None:
    now = deps.clock.now()
    values: dict[str, object] = {
        "claimed_by": None,
        "claimed_at": None,
        "next_due_at": now + timedelta(minutes=deps.config.crm.sync_every_minutes),
        "stopped_reason": stopped,
    }
    if stopped is None:
        values["last_finished_at"] = now
    if cursor is not None:
        values["cursor"] = cursor
    with deps.transaction() as session:
        session.execute(
            update(CrmSyncState)
            .where(CrmSyncState.workspace_id == workspace_id, CrmSyncState.claimed_by == worker)
            .values(**values)
        )


def _tell_admins(deps: Deps, notify: Notify, exc: CrmAuthError) -> None:
    text = (
        f":warning: {exc.vendor.capitalize()} stopped accepting Deal Coach's credentials "
        f"({exc.reason}). Deals already synced keep working in Slack, but no new changes "
        "come in. Renew the credentials, then run `dealcoach crm sync` to start again."
    )
    for admin in deps.config.crm.admins:
        try:
            notify(admin, text)
        except Exception:  # one unreachable admin must not hide the others
            log.exception("could not tell a crm admin", extra={"admin": admin})


def workspaces(deps: Deps) -> list[int]:
    """Workspaces the sync runs for: every installed one."""
    with deps.transaction() as session:
        return list(session.scalars(select(Workspace.id).where(Workspace.uninstalled_at.is_(None))))
