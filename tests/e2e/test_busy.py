"""A full bot, over HTTP: a new command is answered at once with "busy", and nothing is written.

The real app is served as in the other end-to-end tests, with a small :class:`WorkGate`
so that "full" takes two requests instead of sixty-four.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from bot.app import create_app
from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.db.models import Handoff
from bot.db.session import SessionFactory
from bot.settings import Settings
from bot.shell.harness import DrainingExecutor
from bot.slack.busy import BUSY
from bot.slack.work_gate import WorkGate
from bot.standin import SlackStandIn
from bot.standin.driver import SlackDriver
from bot.web import BackgroundServer, wsgi_app
from tests.conftest import REP, SE1
from tests.e2e.conftest import SIGNING_SECRET

QUICK = f"<@{SE1}|sam> Acme Corp: SSO with Okta fails for EU users"


@pytest.fixture
def small(
    settings: Settings,
    standin: SlackStandIn,
    session_factory: SessionFactory,
    engine: Engine,
    config: DealCoachConfig,
    clock: AdjustableClock,
    known_deals: None,
) -> Iterator[tuple[SlackDriver, WorkGate, DrainingExecutor]]:
    gate = WorkGate(workers=1, waiting=1)
    executor = DrainingExecutor()
    app = create_app(
        settings, session_factory, config=config, clock=clock, listener_executor=executor, gate=gate
    )
    server = BackgroundServer(wsgi_app(app, engine, signing_secret=SIGNING_SECRET)).start()
    try:
        yield (
            SlackDriver(
                standin, events_url=f"{server.url}/slack/events", signing_secret=SIGNING_SECRET
            ),
            gate,
            executor,
        )
        executor.drain()
    finally:
        server.stop()
        executor.shutdown(wait=True)


def handoffs(session_factory: SessionFactory) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(Handoff)) or 0


def test_a_full_bot_says_it_is_busy_and_writes_nothing(
    small: tuple[SlackDriver, WorkGate, DrainingExecutor],
    standin: SlackStandIn,
    session_factory: SessionFactory,
) -> None:
    slack, gate, executor = small
    assert gate.admit() and gate.admit()  # two requests in flight: the gate is full
    try:
        reply = slack.command(REP, QUICK)
        executor.drain()
        assert reply.status == 200
        assert reply.json() == {"response_type": "ephemeral", "text": BUSY}
        assert handoffs(session_factory) == 0
        assert standin.calls_to("chat.postMessage") == []
    finally:
        gate.leave()
        gate.leave()
    reply = slack.command(REP, QUICK)  # room again: the same command goes through
    executor.drain()
    assert reply.status == 200 and handoffs(session_factory) == 1
