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
from bot.crm.interface import Crm
from bot.crm.salesforce import SalesforceCrm
from bot.db.models import Deal, Workspace
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.services import crm_sync
from bot.slack.owners import SlackOwners
from bot.standin import SlackStandIn
from bot.standin.hubspot import HubSpotStandIn
from bot.standin.salesforce import SalesforceStandIn
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
        hubspot: HubSpotStandIn | None,
        slack: SlackStandIn,
    ) -> None:
        self.deps, self.slack = deps, slack
        if hubspot is not None:
            self.hubspot = hubspot
        self.client = WebClient(token=slack.bot_token, base_url=slack.api_url)
        self.owners = SlackOwners(self.client)
        self.waits: list[float] = []
        self.crm: Crm = self.adapter()
        with deps.transaction() as session:
            workspace = Workspace(slack_team_id=TEAM_ID, created_at=deps.clock.now())
            session.add(workspace)
            session.flush()
            self.workspace_id = workspace.id

    def adapter(self) -> Crm:
        """The CRM adapter the harness syncs and writes with (HubSpot here)."""
        return HubSpotCrm(
            access_token=self.hubspot.access_token,
            config=self.deps.config.crm,
            api_url=self.hubspot.url,
            sleep=self.waits.append,
        )

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


class SalesforceHarness(Harness):
    """The same harness with the Salesforce adapter and stand-in (``self.salesforce``)."""

    def __init__(self, deps: Deps, salesforce: SalesforceStandIn, slack: SlackStandIn) -> None:
        self.salesforce = salesforce
        super().__init__(deps, None, slack)

    def adapter(self) -> Crm:
        return SalesforceCrm(
            config=self.deps.config.crm,
            username=self.salesforce.username,
            password=self.salesforce.password,
            security_token=self.salesforce.security_token,
            api_url=self.salesforce.url,
            sleep=self.waits.append,
        )


@pytest.fixture
def salesforce() -> Iterator[SalesforceStandIn]:
    with SalesforceStandIn() as server:
        yield server


@pytest.fixture
def sf_harness(
    session_factory: SessionFactory,
    clock: AdjustableClock,
    config: DealCoachConfig,
    salesforce: SalesforceStandIn,
    slack: SlackStandIn,
) -> SalesforceHarness:
    crm = CrmConfig(vendor="salesforce", page_size=200, admins=[ADMIN])
    deps = Deps(config.model_copy(update={"crm": crm}), session_factory, clock)
    return SalesforceHarness(deps, salesforce, slack)


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
