"""Listener handlers called directly: a real database, the Slack stand-in, a real Ack."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.listeners.acting import Caller
from bot.standin import SlackStandIn
from tests.conftest import REP
from tests.e2e.conftest import PEOPLE


class WatchedStandIn(SlackStandIn):
    """The stand-in, noting how many database connections were in use at each users.info."""

    def __init__(self, engine: Engine, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.connections_during_users_info: list[int] = []

    def answer_api_call(self, method: str, **kwargs: Any) -> Any:
        if method == "users.info":
            self.connections_during_users_info.append(self.engine.pool.checkedout())  # type: ignore[attr-defined]
        return super().answer_api_call(method, **kwargs)


@pytest.fixture
def standin(clock: AdjustableClock, engine: Engine) -> Iterator[WatchedStandIn]:
    with WatchedStandIn(engine, clock=clock) as standin:
        for user_id, (name, tz) in PEOPLE.items():
            standin.add_user(user_id, name, tz=tz)
        yield standin
        assert standin.violations == [], "the bot made calls Slack would refuse"


@pytest.fixture
def deps(config: DealCoachConfig, session_factory: SessionFactory, clock: AdjustableClock) -> Deps:
    return Deps(config=config, session_factory=session_factory, clock=clock)


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.api_url)


@pytest.fixture
def caller(deps: Deps, client: WebClient, standin: SlackStandIn) -> Caller:
    """The rep, acting in the test workspace (as the middleware would build it)."""
    return Caller(deps, client, standin.workspace.team_id, REP)


def as_someone(caller: Caller, user_id: str) -> Caller:
    return Caller(caller.deps, caller.client, caller.team_id, user_id)
