"""Deals, found by name the way people type them: one resolver for every command and form.

:func:`resolve` only reads. It finds the deal a name means (exactly, or written another
way), offers close names ("did you mean"), says nothing matched, or refuses a name that
cannot be a deal's. A deal is created only by :func:`create`, called once the person chose
to create it. Renaming and merging live in :mod:`bot.services.deal_merge`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Select, func, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.coaching import deal_names
from bot.db.models import Call, Deal, Handoff, Paraphrase, Person, QualificationAnswer, Workspace

DEAL_NAME_MAX = 150
#: "Did you mean" offers at most this many deals …
MAX_CANDIDATES = 5
#: … and a name that fits more deals than this says too little to pick from.
TOO_MANY = 10
HOW_TO_NAME = "Write the customer's name as it appears in the CRM, e.g. `Acme Corp`."


def name_key(name: str) -> str:
    """Fold a deal name for the stored key: case and runs of spaces do not matter."""
    return deal_names.exact_key(name)


class Match(StrEnum):
    EXACT = "exact"
    #: Same name written another way: case, accents, punctuation, a legal suffix.
    NORMALIZED = "normalized"


class Refusal(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NO_LETTERS = "no_letters"
    TOO_MANY = "too_many"


@dataclass(frozen=True)
class Found:
    deal: Deal
    match: Match


@dataclass(frozen=True)
class Candidates:
    """Close names, closest and then most recently active first."""

    name: str
    deals: tuple[Deal, ...]


@dataclass(frozen=True)
class NoMatch:
    """No deal has a name like this; creating it is the person's choice."""

    name: str


@dataclass(frozen=True)
class Refused:
    reason: Refusal
    #: Fit to show the person: what was wrong and how to write it.
    message: str


Resolution = Found | Candidates | NoMatch | Refused


def clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip()


def check_name(name: str) -> Refused | None:
    """Why ``name`` cannot be a deal's name, or ``None`` when it can."""
    name = clean_name(name)
    if not name:
        return Refused(Refusal.EMPTY, f"Name the deal. {HOW_TO_NAME}")
    if len(name) > DEAL_NAME_MAX:
        return Refused(
            Refusal.TOO_LONG,
            f"That name is {len(name)} characters; keep a deal's name under "
            f"{DEAL_NAME_MAX}. {HOW_TO_NAME}",
        )
    if not deal_names.normalized_key(name):
        return Refused(
            Refusal.NO_LETTERS, f"“{name}” has no letters or digits in it. {HOW_TO_NAME}"
        )
    return None


def resolve(*, session: Session, workspace: Workspace, name: str) -> Resolution:
    """What ``name`` means among the workspace's deals; nothing is written."""
    if refused := check_name(name):
        return refused
    name = clean_name(name)
    exact = session.scalar(
        select(Deal).where(Deal.workspace_id == workspace.id, Deal.name_key == name_key(name))
    )
    if exact is not None:
        return Found(exact, Match.EXACT)
    deals = session.scalars(_offered(workspace)).all()
    key = deal_names.normalized_key(name)
    same = [deal for deal in deals if deal_names.normalized_key(deal.name) == key]
    if len(same) == 1:
        return Found(same[0], Match.NORMALIZED)
    activity = last_active(session=session, workspace=workspace)
    if same:
        return Candidates(name, tuple(_recent_first(same, activity))[:MAX_CANDIDATES])
    scored = [
        (distance, deal)
        for deal in deals
        if (distance := deal_names.closeness(name, deal.name)) is not None
    ]
    if not scored:
        return NoMatch(name)
    if len(scored) > TOO_MANY:
        return Refused(
            Refusal.TOO_MANY,
            f"“{name}” fits {len(scored)} deals. Write more of the name, e.g. "
            f"`{scored[0][1].name}`.",
        )
    scored.sort(key=lambda pair: (pair[0], -activity.get(pair[1].id, 0.0), pair[1].name))
    return Candidates(name, tuple(deal for _, deal in scored[:MAX_CANDIDATES]))


def create(
    *, session: Session, workspace: Workspace, name: str, owner: Person, now: datetime
) -> Deal:
    """A new deal the person chose to create (or theirs, if the same name won a race)."""
    if refused := check_name(name):
        raise ValueError(refused.message)
    return find_or_create(session=session, workspace=workspace, name=name, owner=owner, now=now)


def find_or_create(
    *, session: Session, workspace: Workspace, name: str, owner: Person, now: datetime
) -> Deal:
    key = name_key(name)
    deal = session.scalar(
        select(Deal).where(Deal.workspace_id == workspace.id, Deal.name_key == key)
    )
    if deal is None:
        deal = Deal(
            workspace_id=workspace.id,
            name=clean_name(name),
            name_key=key,
            owner=owner,
            created_at=now,
        )
        try:
            with session.begin_nested():
                session.add(deal)
        except IntegrityError:
            # Someone created the same deal a moment ago: use theirs.
            deal = session.scalars(
                select(Deal).where(Deal.workspace_id == workspace.id, Deal.name_key == key)
            ).one()
    return deal


def last_active(*, session: Session, workspace: Workspace) -> dict[int, float]:
    """Deal id → when anything last happened on it (a POSIX timestamp), for ranking."""
    moments = union_all(
        select(Deal.id.label("deal_id"), Deal.created_at.label("at")).where(
            Deal.workspace_id == workspace.id
        ),
        select(Handoff.deal_id, Handoff.updated_at).where(Handoff.workspace_id == workspace.id),
        select(Call.deal_id, Call.created_at).where(Call.workspace_id == workspace.id),
        select(Paraphrase.deal_id, Paraphrase.created_at).where(
            Paraphrase.workspace_id == workspace.id
        ),
        select(QualificationAnswer.deal_id, QualificationAnswer.answered_at)
        .join(Deal, Deal.id == QualificationAnswer.deal_id)
        .where(Deal.workspace_id == workspace.id),
    ).subquery()
    rows = session.execute(
        select(moments.c.deal_id, func.max(moments.c.at)).group_by(moments.c.deal_id)
    )
    return {deal_id: at.timestamp() for deal_id, at in rows if at is not None}


@dataclass(frozen=True)
class DealOption:
    deal_id: int
    name: str


def options(
    *, session: Session, workspace: Workspace, typed: str, limit: int = 100
) -> list[DealOption]:
    """Deals for a typeahead: those whose name fits what was typed, most recently active
    first, at most ``limit`` (the caller adds "create …")."""
    typed_words = deal_names.words(typed)
    deals = session.scalars(_offered(workspace)).all()
    if typed_words:
        deals = [deal for deal in deals if _fits(typed, typed_words, deal.name)]
    activity = last_active(session=session, workspace=workspace)
    return [DealOption(deal.id, deal.name) for deal in _recent_first(deals, activity)[:limit]]


def _offered(workspace: Workspace) -> Select[Deal]:
    """Deals to search and offer: not those deleted in the CRM (kept only for history)."""
    return select(Deal).where(Deal.workspace_id == workspace.id, Deal.crm_deleted_at.is_(None))


def _fits(typed: str, typed_words: list[str], deal_name: str) -> bool:
    deal_key = deal_names.normalized_key(deal_name)
    if "".join(typed_words) in deal_key:
        return True
    return deal_names.closeness(typed, deal_name) is not None


def _recent_first(deals: Sequence[Deal], activity: dict[int, float]) -> list[Deal]:
    return sorted(deals, key=lambda deal: (-activity.get(deal.id, 0.0), deal.name.casefold()))
