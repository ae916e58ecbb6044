"""Shared fixtures: a real database (SQLite and PostgreSQL), a clock, a config.

Every database test runs once per backend in ``DEALCOACH_TEST_DATABASES`` (default:
both). PostgreSQL is skipped with a reason when no server answers, unless ``CI`` is
set, where a missing server is a failure.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.clock import AdjustableClock
from bot.config import DealCoachConfig, Team
from bot.db import models, slack_stores  # noqa: F401 - registers the tables (ours, OAuth's)
from bot.db.base import Base
from bot.db.session import SessionFactory, make_engine, make_session_factory

BACKENDS = [
    name.strip()
    for name in os.environ.get("DEALCOACH_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]
POSTGRES_URL = os.environ.get(
    "DEALCOACH_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
IN_CI = bool(os.environ.get("CI"))

REP, REP2 = "U0REP0001", "U0REP0002"
SE1, SE2 = "U0SE00001", "U0SE00002"
MANAGER = "U0MGR0001"
OUTSIDER = "U0OUTSIDE"
TEAM_ID = "T0DEALCO1"

#: A Monday morning, 10:00 in Berlin.
START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def fresh_database(backend: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of this backend; dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / f'{uuid.uuid4().hex}.db'}"
        return
    if backend != "postgresql":
        raise pytest.UsageError(f"unknown backend {backend!r} in DEALCOACH_TEST_DATABASES")
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:
        admin.dispose()
        message = f"no PostgreSQL server answers at {POSTGRES_URL}: {exc.__class__.__name__}"
        if IN_CI:
            pytest.fail(message + " (CI is set, so PostgreSQL tests must run)")
        pytest.skip(message + "; set DEALCOACH_TEST_POSTGRES_URL to test on PostgreSQL")
    name = f"dealcoach_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="session")
def database_url(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from fresh_database(backend, tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> Iterator[SessionFactory]:
    """A session factory over a clean database; every table is emptied after the test."""
    yield make_session_factory(engine)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def session(session_factory: SessionFactory) -> Iterator[Session]:
    with session_factory() as session:
        yield session
        session.rollback()


@pytest.fixture
def clock() -> AdjustableClock:
    return AdjustableClock(start=START)


@pytest.fixture
def config() -> DealCoachConfig:
    return DealCoachConfig(
        teams=[Team(name="Enterprise", reps=[REP, REP2], ses=[SE1, SE2], se_managers=[MANAGER])]
    )


#: Deals the handoff, call and nudge tests talk about; tests of finding or creating a deal
#: (did you mean, "New deal named …") start without them.
KNOWN_DEALS = ("Acme Corp", "Globex", "Initech", *(f"Deal {n}" for n in range(7)))


@pytest.fixture
def known_deals(standin: Any, session_factory: Any, clock: Any) -> None:
    """The workspace already has the deals the test names (a deal is created only when
    someone presses "New deal named …", which tests/e2e/test_deal_choice.py covers)."""
    from bot.services import deals, people

    with session_factory.begin() as session:
        workspace = people.workspace(
            session=session, slack_team_id=standin.workspace.team_id, now=clock.now()
        )
        deals.add_many(session=session, workspace=workspace, names=KNOWN_DEALS, now=clock.now())
