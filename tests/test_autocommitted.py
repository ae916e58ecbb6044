"""A single-statement step commits its statement with no BEGIN or COMMIT around it, and the
pooled connection it used is transactional again for the next step."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, func, select, text

from bot.db.models import SeenRequest
from bot.db.session import (
    SessionFactory,
    autocommitted,
    make_engine,
    make_session_factory,
    transaction,
)
from bot.services import replays

NOW = datetime(2026, 12, 3, 9, tzinfo=UTC)


@pytest.fixture
def one_connection(engine: Engine, session_factory: SessionFactory) -> Iterator[Engine]:
    """An engine over the test database whose pool holds one connection, so every step
    below reuses the connection the autocommitted one gave back (``session_factory``
    empties the tables afterwards)."""
    single = make_engine(engine.url.render_as_string(hide_password=False), pool_size=1)
    yield single
    single.dispose()


def open_at_the_database(connection: Connection) -> bool:
    """Whether the database itself has a transaction open on this connection."""
    raw = connection.connection.dbapi_connection
    assert raw is not None
    if connection.dialect.name == "sqlite":
        return bool(raw.in_transaction)
    return raw.info.transaction_status != raw.info.transaction_status.IDLE  # type: ignore[no-any-return]


def seen(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(SeenRequest)) or 0)


def test_the_statement_is_committed_before_the_step_ends(
    engine: Engine, one_connection: Engine
) -> None:
    with autocommitted(one_connection) as connection:
        assert replays.first_time(connection=connection, key="trigger:T1:a", now=NOW)
        assert not open_at_the_database(connection)
        # Another connection sees it already: it committed on its own.
        assert seen(engine) == 1
        assert not replays.first_time(connection=connection, key="trigger:T1:a", now=NOW)


def test_the_connection_it_gave_back_is_transactional_again(one_connection: Engine) -> None:
    with autocommitted(one_connection) as connection:
        replays.first_time(connection=connection, key="trigger:T1:b", now=NOW)
    factory = make_session_factory(one_connection)
    with pytest.raises(RuntimeError), transaction(factory) as session:
        replays.first_time(connection=session.connection(), key="trigger:T1:c", now=NOW)
        if one_connection.dialect.name == "sqlite":
            # Still our own BEGIN IMMEDIATE with pysqlite's transaction handling off.
            raw = session.connection().connection.dbapi_connection
            assert raw is not None
            assert raw.isolation_level is None
        assert open_at_the_database(session.connection())
        raise RuntimeError("the step fails")
    # The failed step's statement was rolled back; the autocommitted one stays.
    with one_connection.connect() as connection:
        keys = connection.scalars(select(SeenRequest.key).order_by(SeenRequest.key)).all()
    assert keys == ["trigger:T1:b"]


def test_a_failed_statement_leaves_nothing_behind(one_connection: Engine) -> None:
    with pytest.raises(Exception, match="no_such_table"), autocommitted(one_connection) as c:
        c.execute(text("INSERT INTO no_such_table VALUES (1)"))
    with autocommitted(one_connection) as connection:  # the connection is usable again
        assert replays.first_time(connection=connection, key="trigger:T1:d", now=NOW)
