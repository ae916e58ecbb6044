"""Deals, found by name the way people type them."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Deal, Person, Workspace

DEAL_NAME_MAX = 150


def name_key(name: str) -> str:
    """Fold a deal name for lookups: case and runs of spaces do not matter."""
    return re.sub(r"\s+", " ", name).strip().casefold()


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
            name=re.sub(r"\s+", " ", name).strip(),
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
