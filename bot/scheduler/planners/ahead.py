"""Due work the sweep plans ahead, per workspace, before it claims what is due.

Each hook is cheap when there is nothing to add (a manager whose digest row is pending
gets nothing new) and idempotent across replicas (rows carry a dedupe key), so any number
of sweepers may run it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Workspace
from bot.services import manager_digest

PlanAhead = Callable[[Session, Workspace, DealCoachConfig, datetime], object]


def weekly_digests(
    session: Session, workspace: Workspace, config: DealCoachConfig, now: datetime
) -> object:
    return manager_digest.ensure_scheduled(
        session=session, workspace=workspace, config=config, now=now
    )


PLANS_AHEAD: list[PlanAhead] = [weekly_digests]
