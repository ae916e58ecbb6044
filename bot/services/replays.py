"""Requests seen before: the same trigger or event id a second time has no second effect.

Slack retries an event it thinks went unanswered (``X-Slack-Retry-Num``) and anyone holding
a signed body may replay it within five minutes. The first request to insert its key wins;
the table is shared, so that holds across every replica.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.db.models import SeenRequest

#: Longer than Slack's 5-minute signature window and its last event retry (~5 minutes).
KEEP_FOR = timedelta(hours=1)


def first_time(*, session: Session, key: str, now: datetime) -> bool:
    """Record ``key`` as seen; True when no one had recorded it before (still unexpired).

    One statement: a new key is inserted, an expired one is taken over (it counts as new),
    and a live one is left alone, which returns no row."""
    key = key[:200]
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    row = insert(SeenRequest).values(key=key, seen_at=now, expires_at=now + KEEP_FOR)
    statement = row.on_conflict_do_update(
        index_elements=["key"],
        set_={"seen_at": row.excluded.seen_at, "expires_at": row.excluded.expires_at},
        where=SeenRequest.expires_at <= now,
    ).returning(SeenRequest.key)
    return session.execute(statement).first() is not None


def prune(*, session: Session, now: datetime) -> int:
    """Forget keys past their expiry; how many went."""
    gone = session.execute(
        delete(SeenRequest).where(SeenRequest.expires_at <= now).returning(SeenRequest.key)
    )
    return len(gone.all())
