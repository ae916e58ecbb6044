"""A read-only transaction never waits for SQLite's write lock; a writing one takes it."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from bot.db.models import Base, Workspace
from bot.db.session import make_engine, make_session_factory, transaction


def test_a_read_goes_on_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'locks.db'}"
    engine = make_engine(url, connect_args={"timeout": 0.2, "check_same_thread": False})
    Base.metadata.create_all(engine)
    factory = make_session_factory(engine)
    try:
        with transaction(factory) as writer:  # BEGIN IMMEDIATE: holds the write lock
            writer.execute(text("SELECT 1"))
            with transaction(factory, read_only=True) as reader:
                assert reader.scalars(select(Workspace)).all() == []
            with pytest.raises(OperationalError, match="locked"), transaction(factory) as other:
                other.execute(text("SELECT 1"))  # a second writer waits, then gives up
    finally:
        engine.dispose()


def test_a_read_only_transaction_refuses_nothing_but_is_marked(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'mark.db'}")
    factory = make_session_factory(engine)
    try:
        with transaction(factory, read_only=True) as session:
            options = session.connection().get_execution_options()
            assert options.get("dealcoach_read_only") is True
        with transaction(factory) as session:
            assert not session.connection().get_execution_options().get("dealcoach_read_only")
    finally:
        engine.dispose()


def test_a_sqlite_file_is_in_wal_mode_with_commits_that_do_not_wait_for_a_disk_sync(
    tmp_path: Path,
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()
