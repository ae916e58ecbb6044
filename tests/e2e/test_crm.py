"""Deals from HubSpot end to end: the app over HTTP, the Slack and HubSpot stand-ins."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from bot.app import make_client
from bot.clock import AdjustableClock
from bot.config import DealCoachConfig, Team
from bot.crm.config import CrmConfig
from bot.crm.hubspot import HubSpotCrm
from bot.db.models import CrmWriteBack, CrmWriteState, Deal, DueWork, Handoff
from bot.db.session import SessionFactory
from bot.deps import Deps
from bot.scheduler.crm_jobs import CrmJobs
from bot.services import people
from bot.settings import Settings
from bot.standin import SlackStandIn
from bot.standin.hubspot import HubSpotStandIn
from tests.conftest import MANAGER, REP, REP2, SE1, SE2
from tests.e2e.conftest import Bot

ADMIN = MANAGER
QUICK = f"<@{SE1}|sam> Acme Corp: SSO with Okta fails for EU users"


@pytest.fixture
def config() -> DealCoachConfig:
    return DealCoachConfig(
        teams=[Team(name="Enterprise", reps=[REP, REP2], ses=[SE1, SE2], se_managers=[MANAGER])],
        crm=CrmConfig(vendor="hubspot", admins=[ADMIN], hubspot_portal_id=99),
    )


@pytest.fixture
def hubspot() -> Iterator[HubSpotStandIn]:
    with HubSpotStandIn() as server:
        yield server


@pytest.fixture
def app_crm(config: DealCoachConfig, hubspot: HubSpotStandIn) -> HubSpotCrm:
    """The app itself may ask HubSpot for a deal the sync has not brought yet."""
    return HubSpotCrm(
        access_token=hubspot.access_token,
        config=config.crm,
        api_url=hubspot.url,
        sleep=lambda _seconds: None,
    )


@pytest.fixture
def jobs(
    settings: Settings,
    config: DealCoachConfig,
    session_factory: SessionFactory,
    clock: AdjustableClock,
    standin: SlackStandIn,
    hubspot: HubSpotStandIn,
) -> CrmJobs:
    standin.add_user(REP, "riley", tz="America/New_York", email="riley@example.com")
    deps = Deps(config=config, session_factory=session_factory, clock=clock)
    crm = HubSpotCrm(
        access_token=hubspot.access_token,
        config=config.crm,
        api_url=hubspot.url,
        sleep=lambda _seconds: None,
    )
    with deps.transaction() as session:
        people.workspace(session=session, slack_team_id=standin.workspace.team_id, now=clock.now())
    client = make_client(settings)
    return CrmJobs(deps, crm, lambda _team: client, worker_id="e2e")


def test_refused_credentials_tell_the_admin_and_slack_keeps_working_on_synced_deals(
    bot: Bot, jobs: CrmJobs, hubspot: HubSpotStandIn, clock: AdjustableClock
) -> None:
    owner = hubspot.add_owner("riley@example.com")
    [acme] = hubspot.seed(1, start=datetime(2026, 11, 1, tzinfo=UTC), owner_ids=[owner])
    hubspot.update(acme, datetime(2026, 11, 2, tzinfo=UTC), dealname="Acme Corp")
    jobs.run_once()
    hubspot.expired = True
    clock.advance(timedelta(hours=1))
    jobs.run_once()
    [alert] = bot.standin.dm_messages(ADMIN)
    assert "stopped accepting" in alert.text and "dealcoach crm sync" in alert.text

    assert bot.slack.command(REP, QUICK).status == 200
    bot.settle()
    with bot.session_factory() as session:
        [deal] = session.scalars(select(Deal)).all()
        [handoff] = session.scalars(select(Handoff)).all()
        assert deal.crm_id == acme and handoff.deal_id == deal.id, "the synced deal was used"
        assert deal.owner is not None and deal.owner.slack_user_id == REP
    se_card = [m for m in bot.standin.dm_messages(SE1) if m.blocks][-1]
    assert f"record/0-3/{acme}|Open in HubSpot" in json.dumps(se_card.blocks)

    jobs.run_once()  # the note cannot be written while the token is refused …
    assert hubspot.notes == []
    hubspot.expired = False
    clock.advance(timedelta(minutes=5))
    jobs.run_once()  # … and is written once it is accepted again
    jobs.run_once()
    assert [note.deal_ids for note in hubspot.notes] == [[acme]]
    with bot.session_factory() as session:
        [row] = session.scalars(select(CrmWriteBack)).all()
        assert row.state is CrmWriteState.WRITTEN and row.attempts == 2
    assert len(bot.standin.dm_messages(ADMIN)) == 1, "one alert, not one per tick"


def test_a_deal_not_yet_synced_is_fetched_from_the_crm_by_name(
    bot: Bot, jobs: CrmJobs, hubspot: HubSpotStandIn
) -> None:
    jobs.run_once()  # the workspace's first sync: HubSpot has no deals yet
    [initech] = hubspot.seed(1, start=datetime(2026, 11, 1, tzinfo=UTC))
    hubspot.update(initech, datetime(2026, 11, 2, tzinfo=UTC), dealname="Initech")
    with bot.session_factory() as session:
        assert session.scalars(select(Deal)).all() == []  # created since: not synced
    assert bot.slack.command(REP, f"<@{SE1}|sam> Initech: audit log export fails").status == 200
    bot.settle()
    with bot.session_factory() as session:
        [deal] = session.scalars(select(Deal)).all()
        [handoff] = session.scalars(select(Handoff)).all()
        assert (deal.name, deal.crm_id, handoff.deal_id) == ("Initech", initech, deal.id)
    asked = json.dumps([m.payload for m in bot.standin.responses])
    assert "Did you mean" not in asked and "New deal named" not in asked


def test_a_handoff_on_a_deal_the_crm_marks_won_gets_no_nudges_and_the_rep_is_told(
    bot: Bot, jobs: CrmJobs, hubspot: HubSpotStandIn
) -> None:
    [acme] = hubspot.seed(1, start=datetime(2026, 11, 1, tzinfo=UTC), stages=("closedwon",))
    hubspot.update(acme, datetime(2026, 11, 2, tzinfo=UTC), dealname="Acme Corp")
    jobs.run_once()
    assert bot.slack.command(REP, QUICK).status == 200
    bot.settle()
    with bot.session_factory() as session:
        [deal] = session.scalars(select(Deal)).all()
        [handoff] = session.scalars(select(Handoff)).all()
        assert (deal.crm_status, handoff.deal_id) == ("won", deal.id)
        due = session.scalars(select(DueWork).where(DueWork.handoff_id == handoff.id)).all()
        assert due == [], "no SLA nudges about a deal already won"
    told = [m.text for m in bot.standin.dm_messages(REP)] + [
        json.dumps(r.payload) for r in bot.standin.responses
    ]
    assert any("marks this deal as won" in text for text in told)
    assert any("SSO with Okta" in json.dumps(m.blocks) for m in bot.standin.dm_messages(SE1))
