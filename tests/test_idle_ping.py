"""A server's pooled connection is pinged before use only when it sat idle: one that died
meanwhile (a restarted server) is replaced before the step's first statement, and one given
back a moment ago costs no round trip."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine, text

from bot.db.session import make_engine


@pytest.fixture
def server_url(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite is a file: there is no connection to lose")
    return database_url


def spy_on_pings(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> list[Any]:
    """Every ping the engine's dialect sends from now on."""
    sent: list[Any] = []
    dialect_class = type(engine.dialect)
    real = dialect_class.do_ping

    def counted(self: Any, dbapi_connection: Any) -> bool:
        sent.append(dbapi_connection)
        return real(self, dbapi_connection)

    monkeypatch.setattr(dialect_class, "do_ping", counted)
    return sent


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(text("SELECT pg_backend_pid()")) or 0)


def test_an_idle_connection_that_died_is_replaced_before_the_first_statement(
    server_url: str, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    single = make_engine(server_url, pool_size=1, ping_after_idle_seconds=0)
    pings = spy_on_pings(monkeypatch, single)
    try:
        first = backend_pid(single)
        with engine.connect() as admin:  # the server drops it, as a restart would
            admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        assert backend_pid(single) != first  # no error reached the step
        assert pings
    finally:
        single.dispose()


def test_a_connection_given_back_a_moment_ago_is_not_pinged(
    server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy = make_engine(server_url, pool_size=1, ping_after_idle_seconds=60)
    pings = spy_on_pings(monkeypatch, busy)
    try:
        same = {backend_pid(busy) for _ in range(5)}
        assert len(same) == 1  # one pooled connection, reused
        assert pings == []
    finally:
        busy.dispose()
