"""CRM deals in the deal table: one page upserted by CRM id, closed deals' nudges stopped.

A CRM deal is a :class:`~bot.db.models.Deal` with ``crm_vendor``/``crm_id`` set, so the
resolver and the typeahead find it like any other. A deal typed in Slack before the CRM was
connected is adopted by the CRM deal of the same name. Two CRM deals of the same name keep
their names; the second's lookup key gets its CRM id so both stay reachable.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.crm.model import CrmDeal, DealPage, DealStatus
from bot.db.models import Call, Deal, DueWork, DueWorkState, Handoff, Person, Workspace
from bot.services import people
from bot.services.deals import DEAL_NAME_MAX, clean_name, name_key


@dataclass
class PageResult:
    created: int = 0
    updated: int = 0
    closed: int = 0
    deleted: int = 0
    nudges_cancelled: int = 0
    #: The latest change on the page: where the cursor may move once the listing is done.
    latest: datetime | None = None


def upsert_page(
    *,
    session: Session,
    workspace_id: int,
    vendor: str,
    page: DealPage,
    slack_ids: dict[str, str],
    config: DealCoachConfig,
    now: datetime,
) -> PageResult:
    """Write one page; ``slack_ids`` maps owner emails (casefolded) to Slack ids."""
    result = PageResult()
    workspace = session.get_one(Workspace, workspace_id)
    ids = [deal.crm_id for deal in page.deals] + [gone.crm_id for gone in page.deleted]
    known = _by_crm_id(session, workspace_id, vendor, ids)
    keys = [name_key(d.name)[:DEAL_NAME_MAX] for d in page.deals]
    adoptable = _local_by_key(session, workspace_id, keys)
    taken = _taken_keys(session, workspace_id, keys)
    owners = {
        email: people.person(
            session=session, workspace=workspace, slack_user_id=slack_id, config=config, now=now
        )
        for email, slack_id in slack_ids.items()
    }
    closing: list[Deal] = []
    for incoming in page.deals:
        deal = known.get(incoming.crm_id)
        if deal is None:
            deal = adoptable.pop(name_key(incoming.name), None)
            if deal is None:
                deal = Deal(
                    workspace_id=workspace_id,
                    created_at=now,
                    name_key=_free_key(taken, incoming),
                )
                _copy(deal, incoming, owners, config)
                session.add(deal)
                result.created += 1
            else:
                result.updated += 1
            deal.crm_vendor, deal.crm_id = vendor, incoming.crm_id
        else:
            if deal.crm_updated_at is not None and deal.crm_updated_at >= incoming.updated_at:
                continue  # a repeated page: nothing newer
            result.updated += 1
        was_open = deal.crm_status in (None, DealStatus.OPEN.value)
        _copy(deal, incoming, owners, config)
        deal.crm_deleted_at = None
        if was_open and not incoming.is_open:
            result.closed += 1
            closing.append(deal)
        result.latest = max(result.latest or incoming.updated_at, incoming.updated_at)
    for gone in page.deleted:
        deal = known.get(gone.crm_id)
        if deal is not None and deal.crm_deleted_at is None:
            deal.crm_deleted_at = gone.deleted_at
            result.deleted += 1
            closing.append(deal)
        result.latest = max(result.latest or gone.deleted_at, gone.deleted_at)
    session.flush()
    result.nudges_cancelled = stop_nudges(session=session, deal_ids=[d.id for d in closing])
    return result


def _copy(
    deal: Deal, incoming: CrmDeal, owners: dict[str, Person], config: DealCoachConfig
) -> None:
    deal.name = clean_name(incoming.name)[:DEAL_NAME_MAX] or f"Deal {incoming.crm_id}"
    deal.crm_url = incoming.url
    deal.crm_stage = incoming.stage[:100]
    deal.crm_status = incoming.status.value
    deal.crm_updated_at = incoming.updated_at
    deal.crm_owner_email = incoming.owner_email
    deal.amount = int(incoming.amount) if incoming.amount is not None else None
    deal.close_date = incoming.close_date
    if incoming.territory:
        deal.territory = _territory(incoming.territory, config)
    owner = owners.get((incoming.owner_email or "").casefold())
    if owner is not None:
        deal.owner = owner


def _by_crm_id(
    session: Session, workspace_id: int, vendor: str, crm_ids: list[str]
) -> dict[str, Deal]:
    if not crm_ids:
        return {}
    rows = session.scalars(
        select(Deal).where(
            Deal.workspace_id == workspace_id,
            Deal.crm_vendor == vendor,
            Deal.crm_id.in_(crm_ids),
        )
    )
    return {deal.crm_id: deal for deal in rows if deal.crm_id is not None}


def _local_by_key(session: Session, workspace_id: int, keys: list[str]) -> dict[str, Deal]:
    """Deals typed in Slack (no CRM id) with these keys: a CRM deal adopts its namesake."""
    if not keys:
        return {}
    rows = session.scalars(
        select(Deal).where(
            Deal.workspace_id == workspace_id, Deal.crm_id.is_(None), Deal.name_key.in_(keys)
        )
    )
    return {deal.name_key: deal for deal in rows}


def _taken_keys(session: Session, workspace_id: int, keys: list[str]) -> set[str]:
    """Which of these lookup keys deals already hold (one query per page)."""
    if not keys:
        return set()
    return set(
        session.scalars(
            select(Deal.name_key).where(Deal.workspace_id == workspace_id, Deal.name_key.in_(keys))
        )
    )


def _free_key(taken: set[str], incoming: CrmDeal) -> str:
    """The deal's lookup key, or with its CRM id added when a namesake holds it; noted as
    taken, so two namesakes on one page do not collide either."""
    key = name_key(incoming.name)[:DEAL_NAME_MAX] or incoming.crm_id
    if key in taken:
        suffix = f" #{incoming.crm_id}"
        key = key[: DEAL_NAME_MAX - len(suffix)] + suffix
    taken.add(key)
    return key


def still_open(deal: Deal) -> bool:
    """False once the CRM says the deal is won, lost or deleted: no more nudges about it."""
    if deal.crm_deleted_at is not None:
        return False
    return deal.crm_status in (None, DealStatus.OPEN.value)


def stop_nudges(*, session: Session, deal_ids: Iterable[int]) -> int:
    """Cancel every pending nudge about these deals (their own, their handoffs', their
    calls'); how many."""
    deal_ids = list(deal_ids)
    if not deal_ids:
        return 0
    handoffs = select(Handoff.id).where(Handoff.deal_id.in_(deal_ids))
    calls = select(Call.id).where(Call.deal_id.in_(deal_ids))
    cancelled = session.execute(
        update(DueWork)
        .where(
            DueWork.state == DueWorkState.DUE,
            or_(
                DueWork.deal_id.in_(deal_ids),
                DueWork.handoff_id.in_(handoffs),
                DueWork.call_id.in_(calls),
            ),
        )
        .values(state=DueWorkState.CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return cancelled.rowcount  # type: ignore[attr-defined, no-any-return]


def _territory(typed: str, config: DealCoachConfig) -> str:
    """The CRM's territory spelt as the routing config spells it (so routing matches it),
    else as the CRM has it."""
    wanted = typed.strip().casefold()
    known = (t for c in config.routing.ses.values() for t in c.territories)
    return next((t for t in known if t.casefold() == wanted), typed.strip()[:40])
