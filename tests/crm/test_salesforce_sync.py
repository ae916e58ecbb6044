"""Salesforce through the sync and the write-back: the Salesforce and Slack stand-ins over
HTTP, a real database (the HubSpot path is in test_sync.py and test_write_back.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.clock import AdjustableClock
from bot.db.models import CrmSyncState, CrmWriteState, Deal
from bot.services import crm_writes
from tests.conftest import REP
from tests.crm.conftest import SalesforceHarness
from tests.crm.test_write_back import open_and_resolve, rows

QUERY = "/services/data/v59.0/query"
TASK = "/services/data/v59.0/sobjects/Task"


def recent() -> datetime:
    """getDeleted covers the last 30 days, so these tests live near today."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def test_a_first_full_sync_pages_through_500_opportunities(sf_harness: SalesforceHarness) -> None:
    standin = sf_harness.salesforce
    riley = standin.add_user("Riley@example.com")
    nobody = standin.add_user("left-the-company@example.com")
    start = recent()
    ids = standin.seed(500, start=start, owner_ids=[riley, nobody])
    summary = sf_harness.sync()
    assert summary.claimed and summary.pages == 3 and summary.created == 500
    assert summary.owners_unmatched == 1
    rows_ = sf_harness.deals()
    assert [deal.crm_id for deal in rows_] == ids
    first, second = rows_[0], rows_[1]
    assert first.name == "Opportunity 00001" and first.crm_vendor == "salesforce"
    assert first.owner is not None and first.owner.slack_user_id == REP
    assert second.owner is None and second.crm_owner_email == "left-the-company@example.com"
    assert first.crm_url and ids[0] in first.crm_url
    assert {deal.crm_status for deal in rows_} == {"open", "won", "lost"}
    with sf_harness.deps.transaction() as session:
        state = session.get_one(CrmSyncState, sf_harness.workspace_id)
        assert state.cursor == start + timedelta(seconds=499)


def test_an_incremental_sync_takes_changes_and_deletions(
    sf_harness: SalesforceHarness, clock: AdjustableClock
) -> None:
    standin = sf_harness.salesforce
    start = recent()
    ids = standin.seed(30, start=start)
    sf_harness.sync()
    later = start + timedelta(hours=1)
    standin.update(ids[0], later, StageName="Closed Lost", IsClosed=True, IsWon=False)
    standin.update(ids[1], later, Name="Renamed in Salesforce")
    standin.delete(ids[2], later)
    clock.advance(timedelta(hours=1))
    summary = sf_harness.sync()
    assert (summary.created, summary.updated, summary.deleted) == (0, 2, 1)
    by_id = {deal.crm_id: deal for deal in sf_harness.deals()}
    assert by_id[ids[0]].crm_status == "lost"
    assert by_id[ids[1]].name == "Renamed in Salesforce"
    assert by_id[ids[2]].crm_deleted_at is not None


def test_request_limit_exceeded_mid_listing_is_waited_out(sf_harness: SalesforceHarness) -> None:
    sf_harness.salesforce.seed(450, start=recent())
    sf_harness.salesforce.fail(QUERY, after=1)
    summary = sf_harness.sync()
    assert summary.created == 450 and not summary.rate_limited
    assert len(sf_harness.waits) == 1, "the adapter waited once before asking again"
    assert len({deal.crm_id for deal in sf_harness.deals()}) == 450


def test_still_limited_leaves_the_cursor_for_the_next_sync(
    sf_harness: SalesforceHarness, clock: AdjustableClock
) -> None:
    sf_harness.salesforce.seed(300, start=recent())
    for _ in range(sf_harness.deps.config.crm.max_attempts):
        sf_harness.salesforce.fail(QUERY, after=1)
    summary = sf_harness.sync()
    assert summary.rate_limited and summary.created == 200
    clock.advance(timedelta(minutes=15))
    again = sf_harness.sync()
    assert again.created == 100 and again.updated == 0
    assert len(sf_harness.deals()) == 300


def test_a_handoff_becomes_tasks_on_the_opportunity_once(sf_harness: SalesforceHarness) -> None:
    standin = sf_harness.salesforce
    [crm_id] = standin.seed(1, start=recent(), name="Acme Corp")
    sf_harness.sync()
    open_and_resolve(sf_harness, "acme corp 00001")
    standin.fail(TASK)  # a REQUEST_LIMIT_EXCEEDED on the first write is retried
    first = crm_writes.run_once(sf_harness.deps, sf_harness.crm, worker="w1")
    again = crm_writes.run_once(sf_harness.deps, sf_harness.crm, worker="w2")
    assert (first.written, again.claimed) == (2, 0)
    written = standin.written
    assert [(w.sobject, w.fields["WhatId"]) for w in written] == [("Task", crm_id)] * 2
    assert "SSO with Okta" in written[0].fields["Description"]
    assert "4.2 connector" in written[1].fields["Description"]
    assert [(row.state, row.crm_note_id) for row in rows(sf_harness)] == [
        (CrmWriteState.WRITTEN, written[0].id),
        (CrmWriteState.WRITTEN, written[1].id),
    ]
    with sf_harness.deps.transaction() as session:
        assert session.scalars(select(Deal.crm_vendor)).one() == "salesforce"
