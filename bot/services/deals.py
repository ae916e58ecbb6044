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

from rapidfuzz import process
from rapidfuzz.distance import OSA
from sqlalchemy import bindparam, func, insert, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.coaching import deal_names
from bot.db.models import Call, Deal, Handoff, Paraphrase, Person, QualificationAnswer, Workspace
from bot.services.errors import InvalidInput

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
    MENTION = "mention"
    CONTROL = "control"


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


#: A channel (``<#C…>``), a user group or a special mention (``<!channel>``, ``<!here>``,
#: ``<!subteam^…>``), or a person (``<@U…>``) as Slack escapes them in text.
_MENTION_IN_NAME = re.compile(r"<[#!@][^>]*>")


def check_name(name: str) -> Refused | None:
    """Why ``name`` cannot be a deal's name, or ``None`` when it can."""
    if _MENTION_IN_NAME.search(name):
        return Refused(
            Refusal.MENTION,
            "A deal's name can't contain a mention of a channel, a group or a person "
            f"(`#channel`, `@here`, `@someone`). {HOW_TO_NAME}",
        )
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in name):
        return Refused(
            Refusal.CONTROL,
            f"That name has an invisible control character in it; type it again. {HOW_TO_NAME}",
        )
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


#: A deal by its name's key: built once, as every command that names a deal runs it.
_BY_KEY = select(Deal).where(
    Deal.workspace_id == bindparam("workspace"), Deal.name_key == bindparam("key")
)


def named(*, session: Session, workspace: Workspace, name: str) -> Deal | None:
    """The deal called exactly ``name`` (case and spacing aside), in one indexed read;
    ``None`` for any other name (:func:`resolve` says what it might mean)."""
    if check_name(name):
        return None
    return _by_key(session, workspace, name_key(clean_name(name)))


def _by_key(session: Session, workspace: Workspace, key: str) -> Deal | None:
    return session.scalar(_BY_KEY, {"workspace": workspace.id, "key": key})


def resolve(*, session: Session, workspace: Workspace, name: str) -> Resolution:
    """What ``name`` means among the workspace's deals; nothing is written."""
    if refused := check_name(name):
        return refused
    name = clean_name(name)
    exact = _by_key(session, workspace, name_key(name))
    if exact is not None:
        return Found(exact, Match.EXACT)
    names = _names(session, workspace)
    key = deal_names.normalized_key(name)
    same = [deal_id for deal_id, deal_name in names.items() if _key(deal_name) == key]
    if len(same) == 1:
        return Found(session.get_one(Deal, same[0]), Match.NORMALIZED)
    if same:
        activity = last_active(session=session, workspace=workspace, deal_ids=same)
        return Candidates(name, _load(session, _recent_first(same, names, activity)))
    scored = [
        (distance, deal_id)
        for deal_id in _near(name, names)
        if (distance := deal_names.closeness(name, names[deal_id])) is not None
    ]
    if not scored:
        return NoMatch(name)
    if len(scored) > TOO_MANY:
        example = names[min(scored)[1]]
        return Refused(
            Refusal.TOO_MANY,
            f"“{name}” fits {len(scored)} deals. Write more of the name, e.g. `{example}`.",
        )
    activity = last_active(
        session=session, workspace=workspace, deal_ids=[deal_id for _, deal_id in scored]
    )
    scored.sort(key=lambda pair: (pair[0], -activity.get(pair[1], 0.0), names[pair[1]]))
    return Candidates(name, _load(session, [deal_id for _, deal_id in scored]))


def _names(session: Session, workspace: Workspace) -> dict[int, str]:
    """Every deal's id and name to search and offer: two columns, no ORM objects (10,000
    deals is a few ms); not those deleted in the CRM (kept only for history)."""
    rows = session.execute(
        select(Deal.id, Deal.name).where(
            Deal.workspace_id == workspace.id, Deal.crm_deleted_at.is_(None)
        )
    )
    return {deal_id: deal_name for deal_id, deal_name in rows}


def _key(deal_name: str) -> str:
    return deal_names.normalized_key(deal_name)


def _near(typed: str, names: dict[int, str]) -> list[int]:
    """Deals that may be close to what was typed: a few edits away, with or without a legal
    suffix (compared in C by rapidfuzz), or beginning with it. :func:`deal_names.closeness`
    then decides on these alone."""
    near: set[int] = set()
    for keep_suffix in (False, True):
        key = "".join(deal_names.words(typed, keep_suffix=keep_suffix))
        if not key:
            return []
        keys = {
            deal_id: "".join(deal_names.words(deal_name, keep_suffix=keep_suffix))
            for deal_id, deal_name in names.items()
        }
        cutoff = deal_names.allowed_edits(key)
        typos = process.extract(key, keys, scorer=OSA.distance, score_cutoff=cutoff, limit=None)
        near.update(deal_id for _, _, deal_id in typos)
        near.update(deal_id for deal_id, deal_key in keys.items() if deal_key.startswith(key))
    return sorted(near)


def _load(session: Session, deal_ids: Sequence[int]) -> tuple[Deal, ...]:
    """The first :data:`MAX_CANDIDATES` deals, in the order given."""
    wanted = list(deal_ids[:MAX_CANDIDATES])
    loaded = {deal.id: deal for deal in session.scalars(select(Deal).where(Deal.id.in_(wanted)))}
    return tuple(loaded[deal_id] for deal_id in wanted if deal_id in loaded)


def create(
    *, session: Session, workspace: Workspace, name: str, owner: Person, now: datetime
) -> Deal:
    """A new deal the person chose to create (or theirs, if the same name won a race)."""
    if refused := check_name(name):
        raise ValueError(refused.message)
    return find_or_create(session=session, workspace=workspace, name=name, owner=owner, now=now)


def add_many(
    *, session: Session, workspace: Workspace, names: Sequence[str], now: datetime
) -> None:
    """Deals a team already has (a bench's or a test's seed), in multi-row INSERTs."""
    rows = [
        {
            "workspace_id": workspace.id,
            "name": clean_name(name),
            "name_key": name_key(name),
            "created_at": now,
        }
        for name in names
    ]
    for start in range(0, len(rows), 2000):
        session.execute(insert(Deal), rows[start : start + 2000])


def picked(*, session: Session, workspace: Workspace, deal_id: int) -> Deal:
    """The deal a form's typeahead picked, if it is still this workspace's."""
    deal = session.get(Deal, deal_id)
    if deal is None or deal.workspace_id != workspace.id:
        raise InvalidInput({"deal": "That deal is gone (merged or removed); pick it again."})
    return deal


def find_or_create(
    *, session: Session, workspace: Workspace, name: str, owner: Person, now: datetime
) -> Deal:
    if refused := check_name(name):
        raise InvalidInput({"deal": refused.message})
    key = name_key(name)
    deal = _by_key(session, workspace, key)
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
            deal = session.scalars(_BY_KEY, {"workspace": workspace.id, "key": key}).one()
    return deal


def last_active(
    *, session: Session, workspace: Workspace, deal_ids: Sequence[int] | None = None
) -> dict[int, float]:
    """Deal id → when anything last happened on it (a POSIX timestamp), for ranking; only
    for ``deal_ids`` when given."""
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
    latest = select(moments.c.deal_id, func.max(moments.c.at)).group_by(moments.c.deal_id)
    if deal_ids is not None:
        latest = latest.where(moments.c.deal_id.in_(list(deal_ids)))
    rows = session.execute(latest)
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
    names = _names(session, workspace)
    typed_key = "".join(deal_names.words(typed))
    if typed_key:
        fitting = {deal_id for deal_id, deal_name in names.items() if typed_key in _key(deal_name)}
        fitting.update(
            deal_id
            for deal_id in _near(typed, names)
            if deal_names.closeness(typed, names[deal_id]) is not None
        )
        names = {deal_id: names[deal_id] for deal_id in fitting}
    activity = last_active(
        session=session, workspace=workspace, deal_ids=list(names) if typed_key else None
    )
    return [
        DealOption(deal_id, names[deal_id])
        for deal_id in _recent_first(list(names), names, activity)[:limit]
    ]


def _recent_first(
    deal_ids: Sequence[int], names: dict[int, str], activity: dict[int, float]
) -> list[int]:
    return sorted(
        deal_ids, key=lambda deal_id: (-activity.get(deal_id, 0.0), names[deal_id].casefold())
    )
