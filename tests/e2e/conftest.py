"""The real app served over HTTP, a Slack stand-in over HTTP, and people to play."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from sqlalchemy import Engine

from bot.app import create_app, make_client
from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.crm.interface import Crm
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.scheduler.jobs import Sweeper
from bot.settings import Settings, load_settings
from bot.shell.harness import LOCAL_PING_SECONDS, DrainingExecutor
from bot.standin import SlackStandIn
from bot.standin.driver import SlackDriver
from bot.standin.socket_driver import SocketModeDriver
from bot.web import BackgroundServer, wsgi_app
from tests.conftest import MANAGER, OUTSIDER, REP, REP2, SE1, SE2

SIGNING_SECRET = "e2e-signing-secret"

PEOPLE = {
    REP: ("riley", "America/New_York"),
    REP2: ("robin", "America/Chicago"),
    SE1: ("sam", "Europe/Berlin"),
    SE2: ("sasha", "Europe/Berlin"),
    MANAGER: ("morgan", "Europe/London"),
    OUTSIDER: ("olly", "Australia/Sydney"),
}


@pytest.fixture
def standin(clock: AdjustableClock) -> Iterator[SlackStandIn]:
    with SlackStandIn(clock=clock) as standin:
        for user_id, (name, tz) in PEOPLE.items():
            standin.add_user(user_id, name, tz=tz)
        yield standin
        assert standin.violations == [], "the bot made calls Slack would refuse"


@pytest.fixture
def settings(standin: SlackStandIn, database_url: str) -> Settings:
    return load_settings(
        _env_file=None,
        slack_bot_token=standin.bot_token,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=standin.api_url,
        database_url=database_url,
    )


@dataclass
class Bot:
    """The running bot and the handles a test needs to drive and inspect it."""

    slack: SlackDriver
    standin: SlackStandIn
    executor: DrainingExecutor
    sweeper: Sweeper
    clock: AdjustableClock
    session_factory: SessionFactory

    def settle(self) -> None:
        """Wait for every listener that is still working after its ack."""
        self.executor.drain()


@pytest.fixture
def app_crm() -> Crm | None:
    """The CRM the app may ask for a deal not yet synced (a module overrides it)."""
    return None


@pytest.fixture
def bot(
    settings: Settings,
    standin: SlackStandIn,
    session_factory: SessionFactory,
    engine: Engine,
    config: DealCoachConfig,
    clock: AdjustableClock,
    app_crm: Crm | None,
) -> Iterator[Bot]:
    executor = DrainingExecutor()
    app = create_app(
        settings,
        session_factory,
        config=config,
        clock=clock,
        listener_executor=executor,
        crm=app_crm,
    )
    server = BackgroundServer(wsgi_app(app, engine, signing_secret=SIGNING_SECRET)).start()
    client = make_client(settings)
    deps = Deps(config=config, session_factory=session_factory, clock=clock)
    try:
        yield Bot(
            slack=SlackDriver(
                standin,
                events_url=f"{server.url}/slack/events",
                signing_secret=SIGNING_SECRET,
            ),
            standin=standin,
            executor=executor,
            sweeper=Sweeper(deps, lambda _team: client, worker_id="e2e"),
            clock=clock,
            session_factory=session_factory,
        )
        executor.drain()
    finally:
        server.stop()
        executor.shutdown(wait=True)


@pytest.fixture
def socket_bot(
    settings: Settings,
    standin: SlackStandIn,
    session_factory: SessionFactory,
    config: DealCoachConfig,
    clock: AdjustableClock,
) -> Iterator[Bot]:
    """The same bot connected over Socket Mode: people act through envelopes, not POSTs."""
    executor = DrainingExecutor()
    app = create_app(
        settings,
        session_factory,
        config=config,
        clock=clock,
        socket_mode=True,
        listener_executor=executor,
    )
    handler = SocketModeHandler(app, standin.app_token, ping_interval=LOCAL_PING_SECONDS)
    handler.connect()  # type: ignore[no-untyped-call]
    client = make_client(settings)
    deps = Deps(config=config, session_factory=session_factory, clock=clock)
    try:
        standin.socket_mode.wait_connected()
        yield Bot(
            slack=SocketModeDriver(standin),
            standin=standin,
            executor=executor,
            sweeper=Sweeper(deps, lambda _team: client, worker_id="e2e"),
            clock=clock,
            session_factory=session_factory,
        )
        executor.drain()
    finally:
        handler.close()  # type: ignore[no-untyped-call]
        executor.shutdown(wait=True)
