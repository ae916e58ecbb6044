"""The HubSpot adapter against the HubSpot stand-in, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.crm.config import CrmConfig
from bot.crm.hubspot import HubSpotCrm
from bot.crm.model import CrmAuthError, CrmRateLimited, CrmWrite, DealStatus, WriteKind
from bot.standin.hubspot import HubSpotStandIn

START = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
SEARCH = "/crm/v3/objects/deals/search"


@pytest.fixture
def standin() -> Iterator[HubSpotStandIn]:
    with HubSpotStandIn() as server:
        yield server


class Waits(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def adapter(standin: HubSpotStandIn, waits: Waits, **config: object) -> HubSpotCrm:
    return HubSpotCrm(
        access_token=standin.access_token,
        config=CrmConfig.model_validate({"vendor": "hubspot", "page_size": 100, **config}),
        api_url=standin.url,
        sleep=waits,
    )


def test_a_full_listing_pages_through_500_deals_in_order(standin: HubSpotStandIn) -> None:
    owner = standin.add_owner("ana@example.com")
    ids = standin.seed(500, start=START, owner_ids=[owner])
    pages = list(adapter(standin, Waits()).changed_since(None))
    deals = [deal for page in pages for deal in page.deals]
    assert len(pages) == 5
    assert [deal.crm_id for deal in deals] == ids
    first = deals[0]
    assert first.name == "Deal 00001" and first.owner_email == "ana@example.com"
    assert first.amount == 1000 and first.currency == "EUR"
    assert first.close_date is not None and first.close_date.isoformat() == "2027-01-15"
    statuses = {deal.stage: deal.status for deal in deals}
    assert statuses["closedwon"] is DealStatus.WON
    assert statuses["closedlost"] is DealStatus.LOST
    assert statuses["contractsent"] is DealStatus.OPEN
    assert standin.requests.count("GET /crm/v3/owners/" + owner) == 1, "owners are cached"


def test_changed_since_lists_only_later_changes_and_deletions(standin: HubSpotStandIn) -> None:
    ids = standin.seed(50, start=START)
    since = START + timedelta(hours=1)
    standin.update(ids[3], since + timedelta(minutes=5), dealstage="closedwon")
    standin.archive(ids[7], since + timedelta(minutes=6))
    standin.archive(ids[8], since - timedelta(minutes=6))
    pages = list(adapter(standin, Waits()).changed_since(since))
    changed = [deal for page in pages for deal in page.deals]
    deleted = [gone.crm_id for page in pages for gone in page.deleted]
    assert [(deal.crm_id, deal.status) for deal in changed] == [(ids[3], DealStatus.WON)]
    assert deleted == [ids[7]]


def test_a_listing_longer_than_the_search_cap_restarts_from_the_last_change(
    standin: HubSpotStandIn,
) -> None:
    standin.search_cap = 500
    ids = standin.seed(650, start=START, step=timedelta(seconds=1))
    crm = HubSpotCrm(
        access_token=standin.access_token,
        config=CrmConfig(vendor="hubspot", page_size=100),
        api_url=standin.url,
        sleep=Waits(),
        search_limit=500,
    )
    seen = [deal.crm_id for page in crm.changed_since(None) for deal in page.deals]
    assert seen == ids


def test_a_429_in_the_middle_of_paging_is_retried_after_the_window(
    standin: HubSpotStandIn,
) -> None:
    standin.seed(300, start=START)
    standin.fail(SEARCH, after=1)
    waits = Waits()
    deals = [d for page in adapter(standin, waits).changed_since(None) for d in page.deals]
    assert len(deals) == 300 and len({deal.crm_id for deal in deals}) == 300
    assert waits == [1.0], "the X-HubSpot-RateLimit interval is honoured"
    assert standin.requests.count(f"POST {SEARCH}") == 4


def test_rate_limited_every_time_gives_up_with_a_typed_error(standin: HubSpotStandIn) -> None:
    standin.seed(10, start=START)
    for _ in range(3):
        standin.fail(SEARCH)
    waits = Waits()
    with pytest.raises(CrmRateLimited):
        list(adapter(standin, waits, max_attempts=3).changed_since(None))
    assert len(waits) == 2


def test_an_expired_token_raises_one_auth_error_without_the_token(
    standin: HubSpotStandIn,
) -> None:
    standin.seed(10, start=START)
    standin.expired = True
    with pytest.raises(CrmAuthError) as caught:
        list(adapter(standin, Waits()).changed_since(None))
    assert "EXPIRED_AUTHENTICATION" in str(caught.value)
    assert standin.access_token not in str(caught.value)


def test_a_revoked_app_is_an_auth_error(standin: HubSpotStandIn) -> None:
    ids = standin.seed(1, start=START)
    crm = HubSpotCrm(
        access_token="pat-na1-revoked",
        config=CrmConfig(vendor="hubspot"),
        api_url=standin.url,
        sleep=Waits(),
    )
    with pytest.raises(CrmAuthError, match="INVALID_AUTHENTICATION"):
        crm.get_deal(ids[0])


def test_get_search_and_owner_lookups(standin: HubSpotStandIn) -> None:
    owner = standin.add_owner("bo@example.com")
    ids = standin.seed(30, start=START, owner_ids=[owner], name="Acme renewal")
    crm = adapter(standin, Waits())
    deal = crm.get_deal(ids[4])
    assert deal is not None and deal.name == "Acme renewal 00005"
    assert crm.get_deal("999999") is None
    assert [d.crm_id for d in crm.search_deals("renewal 00021")] == [ids[20]]
    assert len(crm.search_deals("ACME", limit=5)) == 5
    assert crm.search_deals("globex") == []
    assert crm.owner_email(owner) == "bo@example.com"
    assert crm.owner_email("424242") is None


def test_a_note_is_written_once_and_associated_with_the_deal(standin: HubSpotStandIn) -> None:
    ids = standin.seed(3, start=START)
    standin.fail("/crm/v3/objects/notes")
    waits = Waits()
    note_id = adapter(standin, waits).write(
        CrmWrite(
            deal_crm_id=ids[1],
            title="Paraphrase confirmed",
            body="Month-end close takes 9 days.\nCFO wants 3.",
            written_at=START,
        )
    )
    assert len(standin.notes) == 1 and len(waits) == 1
    note = standin.notes[0]
    assert note.id == note_id and note.deal_ids == [ids[1]]
    assert note.association_type_ids == [214]
    assert "<strong>Paraphrase confirmed</strong>" in note.properties["hs_note_body"]


def test_a_task_is_associated_with_the_deal(standin: HubSpotStandIn) -> None:
    ids = standin.seed(1, start=START)
    adapter(standin, Waits()).write(
        CrmWrite(
            deal_crm_id=ids[0],
            title="Close the qualification gaps",
            body="Economic buyer not met.",
            written_at=START,
            kind=WriteKind.TASK,
        )
    )
    assert [task.association_type_ids for task in standin.tasks] == [[216]]
    assert standin.tasks[0].properties["hs_task_subject"] == "Close the qualification gaps"


def test_deals_sharing_a_time_at_the_cap_are_listed_once(standin: HubSpotStandIn) -> None:
    standin.search_cap = 500
    ids = standin.seed(650, start=START)
    tie = START + timedelta(seconds=480)
    for deal_id in ids[470:520]:
        standin.update(deal_id, tie)
    crm = HubSpotCrm(
        access_token=standin.access_token,
        config=CrmConfig(vendor="hubspot", page_size=100),
        api_url=standin.url,
        sleep=Waits(),
        search_limit=500,
    )
    seen = [deal.crm_id for page in crm.changed_since(None) for deal in page.deals]
    assert sorted(seen, key=int) == ids and len(seen) == len(set(seen))


def test_a_deleted_deal_is_gone_from_get(standin: HubSpotStandIn) -> None:
    ids = standin.seed(2, start=START)
    standin.archive(ids[0], START + timedelta(hours=1))
    crm = adapter(standin, Waits())
    assert crm.get_deal(ids[0]) is None
    assert [d.crm_id for p in crm.changed_since(None) for d in p.deals] == [ids[1]]


def test_a_missing_scope_is_an_auth_error(standin: HubSpotStandIn) -> None:
    ids = standin.seed(1, start=START)
    standin.fail("/crm/v3/objects/notes", status=403, category="MISSING_SCOPES")
    write = CrmWrite(deal_crm_id=ids[0], title="t", body="b", written_at=START)
    with pytest.raises(CrmAuthError, match="MISSING_SCOPES"):
        adapter(standin, Waits()).write(write)
    assert standin.notes == []


def test_rate_limit_waits_are_logged_with_the_vendor(
    standin: HubSpotStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    ids = standin.seed(1, start=START)
    standin.fail("/crm/v3/objects/deals/")
    with caplog.at_level("WARNING", logger="dealcoach.crm"):
        assert adapter(standin, Waits()).get_deal(ids[0]) is not None
    [record] = caplog.records
    assert (record.vendor, record.attempt, record.wait_seconds) == ("hubspot", 1, 1.0)
    assert standin.access_token not in record.getMessage()


def test_a_long_name_search_stays_within_hubspots_filter_limit(standin: HubSpotStandIn) -> None:
    standin.seed(3, start=START, name="a b c d e f g h")
    assert len(adapter(standin, Waits()).search_deals("a b c d e f g h")) == 3
