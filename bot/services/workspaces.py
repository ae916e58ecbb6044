"""A workspace that removes the app: its tokens go at once, its data after a grace period.

Every table of ours hangs off ``workspace``, directly (a ``workspace_id`` column) or
through a row that does (a handoff's events, a deal's answers, a person's tip history).
:func:`forget` deletes them children first, each by its workspace, so exactly that
workspace's rows go, on any database, whatever the foreign keys' ``ON DELETE`` says.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Table, delete, select, update
from sqlalchemy.orm import Session

from bot.db.base import Base
from bot.db.models import DueWork, DueWorkState, Workspace
from bot.db.slack_tables import BOTS_TABLE, INSTALLATIONS_TABLE

log = logging.getLogger("dealcoach.workspaces")


@dataclass(frozen=True)
class Forgotten:
    team_id: str
    #: Installation and bot rows (the workspace's tokens) deleted.
    token_rows: int
    #: Whether the workspace's own data (people, deals, handoffs, due work …) was deleted.
    data: bool


def drop_tokens(*, session: Session, team_id: str) -> int:
    """Delete the workspace's installations and bot tokens (OAuth installs)."""
    removed = 0
    for name in (INSTALLATIONS_TABLE, BOTS_TABLE):
        table = Base.metadata.tables[name]
        result = session.execute(delete(table).where(table.c.team_id == team_id))
        removed += cast(CursorResult[Any], result).rowcount
    return removed


def uninstalled(*, session: Session, team_id: str, now: datetime, grace: timedelta) -> Forgotten:
    """The app was removed from ``team_id`` (or its tokens revoked).

    Tokens go at once; nothing due is sent there any more; the data stays for ``grace``
    (a reinstall within it picks up where it left off) and goes now if ``grace`` is zero.
    """
    token_rows = drop_tokens(session=session, team_id=team_id)
    workspace = session.scalar(select(Workspace).where(Workspace.slack_team_id == team_id))
    if workspace is None:
        return Forgotten(team_id, token_rows, data=False)
    if not grace:
        return forget(session=session, team_id=team_id, token_rows=token_rows)
    workspace.uninstalled_at = workspace.uninstalled_at or now
    session.execute(
        update(DueWork)
        .where(DueWork.workspace_id == workspace.id, DueWork.state == DueWorkState.DUE)
        .values(state=DueWorkState.CANCELLED, last_error="the app was removed from the workspace")
    )
    session.flush()
    return Forgotten(team_id, token_rows, data=False)


def forget(*, session: Session, team_id: str, token_rows: int = 0) -> Forgotten:
    """Delete the workspace's tokens and every row of its data, now."""
    token_rows += drop_tokens(session=session, team_id=team_id)
    workspace_id = session.scalar(select(Workspace.id).where(Workspace.slack_team_id == team_id))
    if workspace_id is not None:
        for table in reversed(Base.metadata.sorted_tables):
            where = _belongs_to(table, workspace_id)
            if where is not None:
                session.execute(delete(table).where(where))
        session.execute(delete(Workspace).where(Workspace.id == workspace_id))
    session.expire_all()
    forgotten = Forgotten(team_id, token_rows, data=workspace_id is not None)
    log.info(
        "workspace forgotten",
        extra={"team": team_id, "token_rows": token_rows, "data": forgotten.data},
    )
    return forgotten


def _belongs_to(table: Table, workspace_id: int) -> ColumnElement[bool] | None:
    """Which rows of ``table`` are the workspace's: by its own ``workspace_id``, or by the
    ``workspace_id`` of the row a foreign key points at. ``None`` for tables not ours."""
    if "workspace_id" in table.c:
        return table.c.workspace_id == workspace_id
    for key in table.foreign_keys:
        parent = key.column.table
        if "workspace_id" in parent.c and key.column.name == "id":
            owned = select(parent.c.id).where(parent.c.workspace_id == workspace_id)
            return key.parent.in_(owned)
    return None


def forget_due(*, session: Session, now: datetime, grace: timedelta) -> list[Forgotten]:
    """Forget every workspace whose grace period after uninstalling has passed."""
    due = session.scalars(
        select(Workspace.slack_team_id).where(
            Workspace.uninstalled_at.is_not(None), Workspace.uninstalled_at <= now - grace
        )
    ).all()
    return [forget(session=session, team_id=team_id) for team_id in due]
