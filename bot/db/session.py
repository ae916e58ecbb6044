"""Engines and sessions. Nothing connects until a function here is called."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]

#: The execution option that marks a transaction as one that only reads.
READ_ONLY = "dealcoach_read_only"
#: The execution option that makes each statement commit on its own.
AUTOCOMMIT = "dealcoach_autocommit"


def make_engine(database_url: str, **kwargs: Any) -> Engine:
    """An engine tuned per backend: SQLite gets WAL, a busy timeout and foreign keys."""
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
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


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
