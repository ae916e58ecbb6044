"""What the bot learns becomes exactly one note on the HubSpot deal: a confirmed paraphrase,
a qualification answer and a product gap, each driven over HTTP (the app, the Slack and
HubSpot stand-ins); the handoff's notes are in test_crm.py."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.config import DealCoachConfig, Team
from bot.crm.config import CrmConfig
from bot.db.models import CrmWriteBack, CrmWriteState
from bot.scheduler.crm_jobs import CrmJobs
from bot.standin.hubspot import HubSpotStandIn
from tests.conftest import MANAGER, REP, REP2, SE1, SE2
from tests.e2e.conftest import Bot
from tests.e2e.test_crm import hubspot, jobs  # noqa: F401 - fixtures
from tests.e2e.test_debrief import GOOD, debrief_view, last_dm
from tests.e2e.test_qualify import item, modal, press_in_modal, qualify, showing
from tests.reports.fortnight import with_checklists


@pytest.fixture
def config() -> DealCoachConfig:
    return with_checklists(
        DealCoachConfig(
            teams=[
                Team(name="Enterprise", reps=[REP, REP2], ses=[SE1, SE2], se_managers=[MANAGER])
            ],
            crm=CrmConfig(vendor="hubspot", admins=[MANAGER], hubspot_portal_id=99),
        )
    )


@pytest.fixture
def acme(jobs: CrmJobs, hubspot: HubSpotStandIn) -> str:  # noqa: F811 - fixtures
    """Acme Corp, owned by Riley in HubSpot and synced; its HubSpot id."""
    owner = hubspot.add_owner("riley@example.com")
    [crm_id] = hubspot.seed(1, start=datetime(2026, 11, 1, tzinfo=UTC), owner_ids=[owner])
    hubspot.update(crm_id, datetime(2026, 11, 2, tzinfo=UTC), dealname="Acme Corp")
    jobs.run_once()
    return crm_id


def written(bot: Bot, jobs: CrmJobs, hubspot: HubSpotStandIn) -> list[tuple[str, str]]:  # noqa: F811
    """Run the write-back twice (a second sweep must add nothing); the notes' (kind, body)."""
    jobs.run_once()
    jobs.run_once()
    with bot.session_factory() as session:
        rows = list(session.scalars(select(CrmWriteBack).order_by(CrmWriteBack.id)))
        assert {row.state for row in rows} <= {CrmWriteState.WRITTEN}
        kinds = [row.kind for row in rows]
    assert len(hubspot.notes) == len(kinds)
    return [
        (kind, note.properties["hs_note_body"])
        for kind, note in zip(kinds, hubspot.notes, strict=True)
    ]


def test_a_confirmed_paraphrase_becomes_one_note(
    bot: Bot,
    jobs: CrmJobs,  # noqa: F811
    hubspot: HubSpotStandIn,  # noqa: F811
    acme: str,
) -> None:
    bot.slack.command(REP, "Acme Corp", command="/debrief")
    bot.settle()
    bot.slack.submit(REP, debrief_view(bot), {"paraphrase": GOOD, "se": SE1})
    bot.settle()
    bot.slack.click(REP, last_dm(bot, REP), "debrief_send")
    bot.settle()
    assert written(bot, jobs, hubspot) == [], "nothing goes to the CRM before the SE confirms"
    bot.slack.click(SE1, last_dm(bot, SE1), "debrief_confirm")
    bot.settle()
    [(kind, body)] = written(bot, jobs, hubspot)
    assert kind == "paraphrase" and "month-end reconciling invoices" in body
    assert hubspot.notes[0].deal_ids == [acme]


def test_a_qualification_answer_becomes_one_note(
    bot: Bot,
    jobs: CrmJobs,  # noqa: F811
    hubspot: HubSpotStandIn,  # noqa: F811
    acme: str,
) -> None:
    qualify(bot, "acme corp")
    walk = modal(bot, "qualify_walk")
    assert showing(walk) == "qualified"
    press_in_modal(bot, REP, walk, "qualify_next", item("qualified", "yes", "CFO set budget"))
    press_in_modal(bot, REP, bot.standin.views[walk.id], "qualify_back", {})  # unchanged
    [(kind, body)] = written(bot, jobs, hubspot)
    assert kind == "qualification" and "qualified" in body and "Still open:" in body
    assert hubspot.notes[0].deal_ids == [acme]


def test_a_product_gap_becomes_one_note(
    bot: Bot,
    jobs: CrmJobs,  # noqa: F811
    hubspot: HubSpotStandIn,  # noqa: F811
    acme: str,
) -> None:
    text = "gap Acme Corp: [Security & compliance] SSO with Okta groups (deal-breaker)"
    assert bot.slack.command(SE1, text, command="/coach").status == 200
    bot.settle()
    assert "Logged the product gap on Acme Corp" in bot.standin.ephemerals(SE1)[-1].text
    [(kind, body)] = written(bot, jobs, hubspot)
    assert kind == "gap" and "SSO with Okta groups" in body and "Security &amp; compliance" in body
    assert hubspot.notes[0].deal_ids == [acme]
