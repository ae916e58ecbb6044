"""Deals the load and profile benches hand off about, made before the clock starts.

Since a `/handoff` no longer creates a deal it does not know (it asks "did you mean …?"
or offers "New deal named …"), a bench that names deals must find them already there,
as a team's deals are (typed once, or synced from the CRM). One multi-row INSERT per
chunk, through the app's own name folding.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import insert
from sqlalchemy.engine import Engine

from bot.db.models import Deal
from bot.services import deals, people
from bot.db.session import make_session_factory

CHUNK = 2000


def seed_deals(engine: Engine, *, team_id: str, names: Iterable[str]) -> int:
    """Add these deals to the workspace ``team_id`` (made if new); how many were added."""
    now = datetime.now(UTC)
    factory = make_session_factory(engine)
    added = 0
    with factory() as session, session.begin():
        workspace = people.workspace(session=session, slack_team_id=team_id, now=now)
        rows = [
            {
                "workspace_id": workspace.id,
                "name": deals.clean_name(name),
                "name_key": deals.name_key(name),
                "created_at": now,
            }
            for name in names
        ]
        for start in range(0, len(rows), CHUNK):
            session.execute(insert(Deal), rows[start : start + CHUNK])
        added = len(rows)
    return added
