"""Fixtures for the CRM tests that run the whole path: stand-ins over HTTP, a real database."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.clock import AdjustableClock
from bot.config import DealCoachConfig
from bot.crm.config import CrmConfig
from bot.crm.hubspot import HubSpotCrm
from bot.db.models import Deal, Workspace
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.services import crm_sync
from bot.slack.owners import SlackOwners
from bot.standin import SlackStandIn
from bot.standin.hubspot import HubSpotStandIn
from tests.conftest import REP, SE1, TEAM_ID

CRM_START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
SEARCH = "/crm/v3/objects/deals/search"
ADMIN = "U0ADMIN01"


@pytest.fixture
def hubspot() -> Iterator[HubSpotStandIn]:
    with HubSpotStandIn() as server:
        yield server


@pytest.fixture
def slack(clock: AdjustableClock) -> Iterator[SlackStandIn]:
    with SlackStandIn(clock=clock) as standin:
        standin.add_user(REP, "riley", email="riley@example.com")
        standin.add_user(SE1, "sam", email="sam@example.com")
        standin.add_user(ADMIN, "ada")
        yield standin


class Harness:
    def __init__(
        self,
        deps: Deps,
        hubspot: HubSpotStandIn,
        slack: SlackStandIn,
    ) -> None:
        self.deps, self.hubspot, self.slack = deps, hubspot, slack
        self.client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        self.owners = SlackOwners(self.client)
        self.waits: list[float] = []
        self.crm = HubSpotCrm(
            access_token=hubspot.access_token,
            config=deps.config.crm,
            api_url=hubspot.url,
            sleep=self.waits.append,
        )
        with deps.transaction() as session:
            workspace = Workspace(slack_team_id=TEAM_ID, created_at=deps.clock.now())
            session.add(workspace)
            session.flush()
            self.workspace_id = workspace.id

    def sync(self, worker: str = "w1", **options: bool) -> crm_sync.SyncSummary:
        return crm_sync.run(
            self.deps,
            self.crm,
            workspace_id=self.workspace_id,
            owners=self.owners,
            notify=lambda user, text: self.client.chat_postMessage(channel=user, text=text),
            worker=worker,
            **options,
        )

    def deals(self) -> list[Deal]:
        with self.deps.transaction() as session:
            rows = session.scalars(select(Deal).order_by(Deal.id)).all()
            for deal in rows:
                _ = deal.owner
            session.expunge_all()
            return list(rows)


@pytest.fixture
def harness(
    session_factory: SessionFactory,
    clock: AdjustableClock,
    config: DealCoachConfig,
    hubspot: HubSpotStandIn,
    slack: SlackStandIn,
) -> Harness:
    crm = CrmConfig(vendor="hubspot", page_size=100, admins=[ADMIN], hubspot_portal_id=42)
    deps = Deps(config.model_copy(update={"crm": crm}), session_factory, clock)
    return Harness(deps, hubspot, slack)
