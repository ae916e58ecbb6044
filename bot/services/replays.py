"""Requests seen before: the same trigger or event id a second time has no second effect.

Slack retries an event it thinks went unanswered (``X-Slack-Retry-Num``) and anyone holding
a signed body may replay it within five minutes. The first request to insert its key wins;
the table is shared, so that holds across every replica.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

from sqlalchemy import Connection, Insert, bindparam, delete

from bot.db.models import SeenRequest
from bot.db.session import insert_for

#: Longer than Slack's 5-minute signature window and its last event retry (~5 minutes).
KEEP_FOR = timedelta(hours=1)


def first_time(*, connection: Connection, key: str, now: datetime) -> bool:
    """Record ``key`` as seen; True when no one had recorded it before (still unexpired).

    One statement: a new key is inserted, an expired one is taken over (it counts as new),
    and a live one is left alone, which returns no row. On a plain connection, as every
    request runs it: an ORM session would cost twice the statement."""
    statement = _first_time_statement(connection.dialect.name)
    values = {"key": key[:200], "seen_at": now, "expires_at": now + KEEP_FOR, "now": now}
    return connection.execute(statement, values).first() is not None


@functools.cache
def _first_time_statement(dialect: str) -> Insert:
    """Built once per dialect (it runs for every request), its values bound at execution."""
    row = insert_for(dialect)(SeenRequest)
    statement: Insert = row.on_conflict_do_update(
        index_elements=["key"],
        set_={"seen_at": row.excluded.seen_at, "expires_at": row.excluded.expires_at},
        where=SeenRequest.expires_at <= bindparam("now"),
    ).returning(SeenRequest.key)
    return statement


def prune(*, connection: Connection, now: datetime) -> int:
    """Forget keys past their expiry; how many went."""
    gone = connection.execute(
        delete(SeenRequest).where(SeenRequest.expires_at <= now).returning(SeenRequest.key)
    )
    return len(gone.all())
