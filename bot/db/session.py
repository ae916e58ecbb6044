"""Engines and sessions. Nothing connects until a function here is called."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]

#: The execution option that marks a transaction as one that only reads.
READ_ONLY = "dealcoach_read_only"
#: A pooled connection idle this long is pinged before use (see :func:`_ping_when_idle`).
PING_AFTER_IDLE_SECONDS = 1.0
_RETURNED_AT = "dealcoach_returned_at"
#: The execution option that makes each statement commit on its own.
AUTOCOMMIT = "dealcoach_autocommit"


def make_engine(
    database_url: str, *, ping_after_idle_seconds: float = PING_AFTER_IDLE_SECONDS, **kwargs: Any
) -> Engine:
    """An engine tuned per backend: SQLite gets WAL, a busy timeout and foreign keys; a
    server's pooled connections are pinged before use when they sat idle
    (:func:`_ping_when_idle`)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        kwargs.setdefault("connect_args", {"timeout": 30, "check_same_thread": False})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # pysqlite's legacy transaction handling only BEGINs before a write, so a
            # SAVEPOINT taken first lives outside the transaction and survives its
            # rollback. Switch it off here and BEGIN ourselves below (SQLAlchemy's
            # documented recipe for pysqlite), so begin_nested() means what it says.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if url.database not in (None, "", ":memory:"):
                cursor.execute("PRAGMA journal_mode=WAL")
                # SQLite's advice for WAL: a commit no longer waits for the disk to sync
                # (a crash of the process loses nothing; a power cut may lose the last
                # commits, never the file's consistency).
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(connection: Connection) -> None:
            # A step that writes takes the write lock up front (no deadlock between two
            # readers upgrading); a read (:func:`transaction` with ``read_only``) reads a
            # WAL snapshot and never waits for, or holds up, a writer. With no BEGIN, each
            # statement is a transaction of its own (:func:`autocommitted`).
            options = connection.get_execution_options()
            if options.get(AUTOCOMMIT, False):
                return
            connection.exec_driver_sql(
                "BEGIN" if options.get(READ_ONLY, False) else "BEGIN IMMEDIATE"
            )

        return engine
    engine = create_engine(url, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        _ping_when_idle(engine, ping_after_idle_seconds)
    return engine


def _ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """SQLAlchemy's pessimistic disconnect handling, for a connection idle ``idle_seconds``
    or longer: it is pinged as it leaves the pool, and one that does not answer (a restarted
    server, a dropped link) is replaced before the step's first statement. One given back
    more recently is handed out as it is. ``pool_pre_ping`` would ping at every checkout, a
    round trip for each of a handoff's steps under load, when connections are never idle.

    A pooled event raising ``DisconnectionError`` is SQLAlchemy's documented way to make
    the pool discard the connection and check out another."""
    dialect = engine.dialect

    @event.listens_for(engine, "connect")
    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get(_RETURNED_AT)
        if returned is not None and time.monotonic() - returned < idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as exc:
            raise DisconnectionError(f"a pooled connection did not answer a ping: {exc}") from exc


def make_session_factory(engine: Engine) -> SessionFactory:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def autocommitted(engine: Engine) -> Iterator[Connection]:
    """A connection on which each statement commits on its own: one round trip for a step
    that is a single statement, where BEGIN and COMMIT would be two more.

    PostgreSQL takes SQLAlchemy's ``AUTOCOMMIT`` isolation level. SQLite does not: resetting
    it on the connection's return to the pool would switch pysqlite's own transaction
    handling back on (see :func:`make_engine`), so there the BEGIN is simply left out."""
    options: dict[str, Any] = {AUTOCOMMIT: True}
    if engine.dialect.name != "sqlite":
        options["isolation_level"] = "AUTOCOMMIT"
    with engine.connect().execution_options(**options) as connection:
        yield connection
        connection.commit()  # ends SQLAlchemy's own bookkeeping; the database has committed


@contextmanager
def transaction(session_factory: SessionFactory, *, read_only: bool = False) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error. ``read_only`` says it
    writes nothing, so on SQLite it takes no write lock (a write in it fails there)."""
    with session_factory() as session, session.begin():
        if read_only:
            session.connection(execution_options={READ_ONLY: True})
        yield session


def insert_for(dialect: str) -> Callable[..., Any]:
    """``insert`` of this database's dialect (SQLite or PostgreSQL): the one with
    ``on_conflict_do_nothing`` and ``on_conflict_do_update``."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
