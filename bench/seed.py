"""Deals the load and profile benches hand off about, made before the clock starts.

Since a `/handoff` no longer creates a deal it does not know (it asks "did you mean …?"
or offers "New deal named …"), a bench that names deals must find them already there,
as a team's deals are (typed once, or synced from the CRM). One multi-row INSERT per
chunk, through the app's own name folding.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.engine import Engine

from bot.db.session import make_session_factory, transaction
from bot.services import deals, people


def seed_deals(engine: Engine, *, team_id: str, names: Sequence[str]) -> None:
    """Add these deals to the workspace ``team_id`` (made if new)."""
    now = datetime.now(UTC)
    with transaction(make_session_factory(engine)) as session:
        workspace = people.workspace(session=session, slack_team_id=team_id, now=now)
        deals.add_many(session=session, workspace=workspace, names=names, now=now)
