"""The CRM sync end to end: HubSpot stand-in and Slack stand-in over HTTP, a real database."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import AdjustableClock
from bot.db.models import CrmSyncState, DueWork, DueWorkKind, DueWorkState, Workspace
from bot.services import crm_sync, deals, nudges, people
from tests.conftest import REP
from tests.crm.conftest import ADMIN, CRM_START, SEARCH, Harness


def test_a_first_full_sync_pages_through_500_deals_and_maps_owners(harness: Harness) -> None:
    riley = harness.hubspot.add_owner("Riley@example.com")
    nobody = harness.hubspot.add_owner("left-the-company@example.com")
    ids = harness.hubspot.seed(500, start=CRM_START, owner_ids=[riley, nobody])
    summary = harness.sync()
    assert summary.claimed and summary.pages == 5 and summary.created == 500
    assert summary.owners_unmatched == 1, "an owner with no Slack account is counted, not fatal"
    rows = harness.deals()
    assert [deal.crm_id for deal in rows] == ids
    first, second = rows[0], rows[1]
    assert first.name == "Deal 00001" and first.crm_vendor == "hubspot"
    assert first.owner is not None and first.owner.slack_user_id == REP
    assert second.owner is None and second.crm_owner_email == "left-the-company@example.com"
    assert first.crm_url and ids[0] in first.crm_url
    assert {deal.crm_status for deal in rows} == {"open", "won", "lost"}
    lookups = harness.slack.calls_to("users.lookupByEmail")
    assert len(lookups) == 2, "each owner's email is asked once, then cached"
    with harness.deps.transaction() as session:
        state = session.get_one(CrmSyncState, harness.workspace_id)
        assert state.cursor == CRM_START + timedelta(seconds=499)
        assert state.claimed_by is None


def test_an_incremental_sync_takes_only_later_changes_and_stops_nudges_of_closed_deals(
    harness: Harness, clock: AdjustableClock
) -> None:
    ids = harness.hubspot.seed(30, start=CRM_START, stages=("appointmentscheduled",))
    harness.sync()
    first = harness.deals()[0]
    with harness.deps.transaction() as session:
        nudges.schedule(
            session=session,
            workspace_id=harness.workspace_id,
            kind=DueWorkKind.QUALIFICATION_GAPS,
            key="gaps-1",
            recipient_slack_id=REP,
            due_at=clock.now() + timedelta(days=1),
            now=clock.now(),
        )
        session.scalars(select(DueWork)).one().deal_id = first.id
    later = CRM_START + timedelta(days=2)
    harness.hubspot.update(ids[0], later, dealstage="closedwon")
    harness.hubspot.update(ids[1], later, dealname="Renamed in the CRM")
    harness.hubspot.requests.clear()
    clock.advance(timedelta(hours=1))
    summary = harness.sync()
    assert (summary.created, summary.updated, summary.closed) == (0, 2, 1)
    assert summary.nudges_cancelled == 1
    assert harness.hubspot.requests.count(f"POST {SEARCH}") == 1
    rows = {deal.crm_id: deal for deal in harness.deals()}
    assert rows[ids[0]].crm_status == "won"
    assert rows[ids[1]].name == "Renamed in the CRM"
    with harness.deps.transaction() as session:
        assert session.scalars(select(DueWork.state)).one() is DueWorkState.CANCELLED


def test_a_deal_deleted_in_the_crm_is_marked_and_leaves_the_typeahead(
    harness: Harness, clock: AdjustableClock
) -> None:
    ids = harness.hubspot.seed(3, start=CRM_START, name="Acme")
    harness.sync()
    harness.hubspot.archive(ids[1], CRM_START + timedelta(days=1))
    clock.advance(timedelta(hours=1))
    summary = harness.sync()
    assert summary.deleted == 1
    gone = {deal.crm_id: deal for deal in harness.deals()}[ids[1]]
    assert gone.crm_deleted_at is not None
    with harness.deps.transaction() as session:
        workspace = session.get_one(Workspace, harness.workspace_id)
        names = [o.name for o in deals.options(session=session, workspace=workspace, typed="acme")]
    assert names and gone.name not in names


def test_a_429_in_the_middle_of_the_listing_is_waited_out(harness: Harness) -> None:
    harness.hubspot.seed(250, start=CRM_START)
    harness.hubspot.fail(SEARCH, after=1)
    summary = harness.sync()
    assert summary.created == 250 and not summary.rate_limited
    assert harness.waits, "the adapter waited before asking again"


def test_still_rate_limited_leaves_the_cursor_for_the_next_sync(
    harness: Harness, clock: AdjustableClock
) -> None:
    harness.hubspot.seed(150, start=CRM_START)
    for _ in range(harness.deps.config.crm.max_attempts):
        harness.hubspot.fail(SEARCH, after=1)
    summary = harness.sync()
    assert summary.rate_limited and summary.created == 100
    with harness.deps.transaction() as session:
        state = session.get_one(CrmSyncState, harness.workspace_id)
        assert state.cursor is None and state.claimed_by is None and state.stopped_reason is None
    clock.advance(timedelta(minutes=15))
    again = harness.sync()
    assert again.created == 50 and again.updated == 0, "a repeated page changes nothing"
    assert len(harness.deals()) == 150


def test_an_expired_token_stops_the_sync_and_tells_the_admins(
    harness: Harness, clock: AdjustableClock, caplog: pytest.LogCaptureFixture
) -> None:
    harness.hubspot.seed(5, start=CRM_START, name="Globex")
    harness.sync()
    harness.hubspot.expired = True
    clock.advance(timedelta(hours=1))
    with caplog.at_level("ERROR", logger="dealcoach.crm.sync"):
        summary = harness.sync()
    assert summary.stopped and "hubspot refused our credentials" in summary.stopped
    errors = [r.message for r in caplog.records if r.levelname == "ERROR"]
    assert errors == ["crm sync stopped"], "one log line"
    assert harness.hubspot.access_token not in caplog.text
    dms = harness.slack.dm_messages(ADMIN)
    assert len(dms) == 1 and "dealcoach crm sync" in dms[0].text
    clock.advance(timedelta(hours=1))
    assert not harness.sync().claimed, "a stopped sync does not run by itself"
    assert len(harness.slack.dm_messages(ADMIN)) == 1
    with harness.deps.transaction() as session:
        workspace = session.get_one(Workspace, harness.workspace_id)
        found = deals.resolve(session=session, workspace=workspace, name="globex 00002")
    assert isinstance(found, deals.Found), "deals already synced keep working"
    harness.hubspot.expired = False
    assert harness.sync(force=True).claimed, "by hand, with renewed credentials, it runs again"


def test_two_workers_never_run_the_same_sync(harness: Harness) -> None:
    now = harness.deps.clock.now()
    with harness.deps.transaction() as session:
        assert crm_sync.claim(
            session=session,
            workspace_id=harness.workspace_id,
            vendor="hubspot",
            now=now,
            worker="w1",
            force=False,
        )
    assert not harness.sync(worker="w2").claimed
    with harness.deps.transaction() as session:
        assert session.scalar(select(func.count()).select_from(CrmSyncState)) == 1


def test_a_deal_not_yet_synced_is_fetched_by_name_on_demand(harness: Harness) -> None:
    riley = harness.hubspot.add_owner("riley@example.com")
    [crm_id] = harness.hubspot.seed(1, start=CRM_START, owner_ids=[riley], name="Hooli")
    harness.hubspot.update(crm_id, CRM_START, dealname="Hooli XYZ")
    assert harness.deals() == []
    fetch = crm_sync.fetch_by_name
    args = {"workspace_id": harness.workspace_id, "owners": harness.owners}
    assert fetch(harness.deps, harness.crm, name="Pied Piper", **args) is None
    deal_id = fetch(harness.deps, harness.crm, name="hooli  xyz", **args)
    [deal] = harness.deals()
    assert deal.id == deal_id and deal.crm_id == crm_id and deal.name == "Hooli XYZ"
    assert deal.owner is not None and deal.owner.slack_user_id == REP
    assert fetch(harness.deps, harness.crm, name="Hooli XYZ", **args) == deal_id, "no duplicate"
    assert len(harness.deals()) == 1


def test_namesakes_stay_apart_and_a_deal_typed_in_slack_is_adopted(harness: Harness) -> None:
    with harness.deps.transaction() as session:
        workspace = session.get_one(Workspace, harness.workspace_id)
        typed = deals.find_or_create(
            session=session,
            workspace=workspace,
            name="Acme Corp",
            owner=people.person(
                session=session,
                workspace=workspace,
                slack_user_id=REP,
                config=harness.deps.config,
                now=CRM_START,
            ),
            now=CRM_START,
        )
        typed_id = typed.id
    ids = harness.hubspot.seed(3, start=CRM_START)
    for crm_id in ids:
        harness.hubspot.update(crm_id, CRM_START, dealname="ACME corp")
    summary = harness.sync()
    assert (summary.created, summary.updated) == (2, 1)
    rows = harness.deals()
    assert [deal.name for deal in rows] == ["ACME corp"] * 3
    assert rows[0].id == typed_id and rows[0].crm_id == ids[0], "the typed deal was adopted"
    assert len({deal.name_key for deal in rows}) == 3


def test_a_mapped_territory_comes_from_the_crm_spelt_as_routing_spells_it(
    harness: Harness,
) -> None:
    from bot.config.routing import Routing, SeCoverage
    from bot.deps import Deps
    from tests.conftest import SE1

    config = harness.deps.config
    config = config.model_copy(
        update={
            "crm": config.crm.model_copy(
                update={"fields": config.crm.fields.model_copy(update={"territory": "region"})}
            ),
            "routing": Routing(ses={SE1: SeCoverage(territories=["EMEA"])}),
        }
    )
    harness.deps = Deps(config, harness.deps.session_factory, harness.deps.clock)
    harness.crm = type(harness.crm)(
        access_token=harness.hubspot.access_token,
        config=config.crm,
        api_url=harness.hubspot.url,
        sleep=harness.waits.append,
    )
    emea, elsewhere, unset = harness.hubspot.seed(3, start=CRM_START)
    harness.hubspot.update(emea, CRM_START + timedelta(days=1), region="emea")
    harness.hubspot.update(elsewhere, CRM_START + timedelta(days=1), region="LATAM")
    harness.sync()
    by_id = {deal.crm_id: deal.territory for deal in harness.deals()}
    assert by_id == {emea: "EMEA", elsewhere: "LATAM", unset: None}
