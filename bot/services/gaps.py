"""Product gaps: log what a deal needs and the product lacks, link it to the same need on
other deals, and add up the revenue riding on each need.

Deals are passed in already resolved (the caller uses the deal resolver); a missing deal
is reported like any other bad field, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, joinedload

from bot.coaching import gaps as rules
from bot.config import DealCoachConfig
from bot.db.models import Deal, GapGroup, GapWeight, Handoff, Person, ProductGap, Workspace
from bot.services import crm_events
from bot.services.errors import InvalidInput, NotFound

OTHER_AREA = "Other"
DESCRIPTION_MAX = 200
AREA_DETAIL_MAX = 100
#: How many groups "also needed by …" offers at most.
LINK_OFFERS = 3
WEIGHT_WORDS = {
    GapWeight.DEAL_BREAKER: "deal-breaker",
    GapWeight.CHALLENGE: "challenge",
    GapWeight.NICE_TO_HAVE: "nice to have",
}


@dataclass(frozen=True)
class GapDraft:
    """What someone filled in, before it is checked."""

    description: str
    feature_area: str = OTHER_AREA
    weight: str = GapWeight.CHALLENGE.value
    #: What "Other" means, or a free-text area typed instead of picked.
    area_detail: str | None = None


@dataclass(frozen=True)
class LinkOffer:
    """A group with the same need on other deals: "also needed by 3 other deals"."""

    group: GapGroup
    other_deals: int
    similarity: float


@dataclass(frozen=True)
class GroupStake:
    group: GapGroup
    stake: rules.Stake


def _area(draft: GapDraft, config: DealCoachConfig) -> tuple[str, str | None]:
    """The stored area and detail: a configured area, else "Other" with the typed words."""
    picked = config.product_gaps.area(draft.feature_area)
    detail = (draft.area_detail or "").strip() or None
    if picked is not None and picked != OTHER_AREA:
        return picked, None
    typed = draft.feature_area.strip()
    if typed and typed.casefold() != OTHER_AREA.casefold() and detail is None:
        detail = typed
    return OTHER_AREA, detail


def validate(draft: GapDraft, *, deal: Deal | None, config: DealCoachConfig) -> dict[str, str]:
    """Field name → what is wrong and how to write it. Empty when the draft is fine."""
    errors: dict[str, str] = {}
    if deal is None:
        errors["deal"] = "Name the deal that needs it, e.g. `/coach gap Acme Corp: SSO with Okta`."
    description = draft.description.strip()
    if not description:
        errors["description"] = (
            "Say in one line what is missing, e.g. `/coach gap Acme Corp: SSO with Okta`."
        )
    elif len(description) > DESCRIPTION_MAX or "\n" in description:
        errors["description"] = (
            f"Keep it to one line under {DESCRIPTION_MAX} characters; "
            "put the details in the deal's notes."
        )
    if draft.weight not in {weight.value for weight in GapWeight}:
        errors["weight"] = "Pick how much it matters: deal-breaker, challenge or nice to have."
    _, detail = _area(draft, config)
    if detail is not None and len(detail) > AREA_DETAIL_MAX:
        errors["feature_area"] = f"Name the area in under {AREA_DETAIL_MAX} characters."
    return errors


def log(
    *,
    session: Session,
    workspace: Workspace,
    deal: Deal | None,
    draft: GapDraft,
    actor: Person,
    config: DealCoachConfig,
    now: datetime,
    handoff: Handoff | None = None,
) -> ProductGap:
    """Write one gap in a group of its own (offer :func:`link_offers` next); checked first."""
    errors = validate(draft, deal=deal, config=config)
    if errors:
        raise InvalidInput(errors)
    assert deal is not None
    area, detail = _area(draft, config)
    description = draft.description.strip()
    group = GapGroup(
        workspace_id=workspace.id, feature_area=area, title=description, created_at=now
    )
    value = deal.amount
    if value is None and handoff is not None:
        value = handoff.deal_value
    gap = ProductGap(
        workspace_id=workspace.id,
        deal_id=deal.id,
        group=group,
        handoff_id=handoff.id if handoff is not None else None,
        logged_by_id=actor.id,
        logged_at=now,
        feature_area=area,
        area_detail=detail,
        description=description,
        weight=GapWeight(draft.weight),
        deal_value=value,
    )
    session.add_all([group, gap])
    session.flush()
    crm_events.gap_logged(session=session, gap=gap, now=now)
    return gap


def get(*, session: Session, workspace: Workspace, gap_id: int) -> ProductGap:
    gap = session.get(ProductGap, gap_id, options=[joinedload(ProductGap.group)])
    if gap is None or gap.workspace_id != workspace.id:
        raise NotFound(f"I can't find product gap #{gap_id}.")
    return gap


def _deals_per_group(session: Session, group_ids: Sequence[int]) -> dict[int, set[int]]:
    deals: dict[int, set[int]] = {}
    for group_id, deal_id in session.execute(
        select(ProductGap.group_id, ProductGap.deal_id).where(ProductGap.group_id.in_(group_ids))
    ):
        deals.setdefault(group_id, set()).add(deal_id)
    return deals


def link_offers(
    *, session: Session, gap: ProductGap, config: DealCoachConfig, limit: int = LINK_OFFERS
) -> list[LinkOffer]:
    """Other groups in the gap's area with a close description, most alike first."""
    groups = session.scalars(
        select(GapGroup).where(
            GapGroup.workspace_id == gap.workspace_id,
            GapGroup.feature_area == gap.feature_area,
            GapGroup.id != gap.group_id,
        )
    ).all()
    threshold = config.product_gaps.link_similarity
    scored = [(rules.similarity(gap.description, g.title), g) for g in groups]
    close = [(score, g) for score, g in scored if score >= threshold]
    deals = _deals_per_group(session, [g.id for _, g in close])
    offers = [
        LinkOffer(group=g, other_deals=len(deals.get(g.id, set()) - {gap.deal_id}), similarity=s)
        for s, g in close
    ]
    offers = [offer for offer in offers if offer.other_deals > 0]
    offers.sort(key=lambda o: (-o.similarity, -o.other_deals, o.group.id))
    return offers[:limit]


def link(*, session: Session, gap: ProductGap, group_id: int) -> GapGroup:
    """Move the gap into another group of its area; its old group goes when left empty."""
    target = session.get(GapGroup, group_id)
    if target is None or target.workspace_id != gap.workspace_id:
        raise NotFound(f"I can't find that product gap group (#{group_id}).")
    if target.feature_area != gap.feature_area:
        raise InvalidInput(
            {"group": f"That need is filed under {target.feature_area}; link gaps of one area."}
        )
    old_group_id = gap.group_id
    if old_group_id == target.id:
        return target
    gap.group = target
    session.flush()
    remaining = session.scalar(
        select(func.count()).select_from(ProductGap).where(ProductGap.group_id == old_group_id)
    )
    if not remaining:
        session.execute(delete(GapGroup).where(GapGroup.id == old_group_id))
    return target


def _stakes(
    session: Session,
    workspace: Workspace,
    config: DealCoachConfig,
    group_id: int | None = None,
    deal_ids: Select[Any] | None = None,
) -> list[rules.Stake]:
    query = select(
        ProductGap.group_id, ProductGap.deal_id, ProductGap.weight, ProductGap.deal_value
    ).where(ProductGap.workspace_id == workspace.id)
    if group_id is not None:
        query = query.where(ProductGap.group_id == group_id)
    if deal_ids is not None:
        query = query.where(ProductGap.deal_id.in_(deal_ids))
    rows = [
        rules.GapRow(group, deal_id, weight.value, value)
        for group, deal_id, weight, value in session.execute(query)
    ]
    weights = config.product_gaps.weights
    return rules.revenue_at_stake(
        rows, {weight.value: weights.of(weight.value) for weight in GapWeight}
    )


def stake_of(
    *, session: Session, workspace: Workspace, group: GapGroup, config: DealCoachConfig
) -> rules.Stake | None:
    """One need's deals and revenue at stake (after linking, say)."""
    found = _stakes(session, workspace, config, group.id)
    return found[0] if found else None


def top_by_revenue(
    *,
    session: Session,
    workspace: Workspace,
    config: DealCoachConfig,
    limit: int = 5,
    deal_ids: Select[Any] | None = None,
) -> list[GroupStake]:
    """The needs with the most revenue at stake across every deal that has them, or only
    across ``deal_ids`` (ids or a subquery of them) when given."""
    stakes = _stakes(session, workspace, config, deal_ids=deal_ids)[:limit]
    groups = {
        g.id: g
        for g in session.scalars(
            select(GapGroup).where(GapGroup.id.in_([s.group_id for s in stakes]))
        )
    }
    return [GroupStake(groups[s.group_id], s) for s in stakes]


def logged_since(
    *, session: Session, workspace: Workspace, since: datetime | None = None
) -> list[ProductGap]:
    """Every gap logged since a moment (all when ``None``), oldest first, for exports."""
    query = (
        select(ProductGap)
        .where(ProductGap.workspace_id == workspace.id)
        .options(
            joinedload(ProductGap.deal),
            joinedload(ProductGap.group),
            joinedload(ProductGap.logged_by),
        )
        .order_by(ProductGap.logged_at, ProductGap.id)
    )
    if since is not None:
        query = query.where(ProductGap.logged_at >= since)
    return list(session.scalars(query))
