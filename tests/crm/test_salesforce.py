"""The Salesforce adapter against the Salesforce stand-in, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.crm.config import CrmConfig
from bot.crm.model import CrmAuthError, CrmError, CrmWrite, DealStatus
from bot.crm.salesforce import SalesforceCrm
from bot.standin.salesforce import SalesforceStandIn

QUERY = "/services/data/v59.0/query"


@pytest.fixture
def standin() -> Iterator[SalesforceStandIn]:
    with SalesforceStandIn() as server:
        yield server


class Waits(list[float]):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def adapter(standin: SalesforceStandIn, waits: Waits, **config: object) -> SalesforceCrm:
    return SalesforceCrm(
        config=CrmConfig.model_validate({"vendor": "salesforce", "page_size": 200, **config}),
        username=standin.username,
        password=standin.password,
        security_token=standin.security_token,
        api_url=standin.url,
        sleep=waits,
    )


def recent() -> datetime:
    """getDeleted covers the last 30 days, so these tests live near today."""
    return datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def test_a_full_listing_pages_through_500_opportunities(standin: SalesforceStandIn) -> None:
    owner = standin.add_user("ana@example.com")
    ids = standin.seed(500, start=recent(), owner_ids=[owner])
    pages = list(adapter(standin, Waits()).changed_since(None))
    deals = [deal for page in pages for deal in page.deals]
    assert [len(page.deals) for page in pages] == [200, 200, 100]
    assert [deal.crm_id for deal in deals] == ids
    assert deals[0].owner_email == "ana@example.com" and deals[0].amount == 1000
    assert {d.stage: d.status for d in deals}["Closed Won"] is DealStatus.WON
    assert {d.stage: d.status for d in deals}["Closed Lost"] is DealStatus.LOST
    assert (
        deals[0].url
        == f"https://{standin.url.removeprefix('http://')}/lightning/r/Opportunity/{ids[0]}/view"
    )
    assert standin.logins == 1


def test_changed_since_and_a_deleted_opportunity(standin: SalesforceStandIn) -> None:
    start = recent()
    ids = standin.seed(40, start=start)
    since = start + timedelta(hours=1)
    standin.update(ids[2], since + timedelta(minutes=1), StageName="Closed Lost")
    standin.delete(ids[5], since + timedelta(minutes=2))
    pages = list(adapter(standin, Waits()).changed_since(since))
    assert [(d.crm_id, d.status) for p in pages for d in p.deals] == [(ids[2], DealStatus.LOST)]
    assert [gone.crm_id for p in pages for gone in p.deleted] == [ids[5]]


def test_request_limit_exceeded_mid_paging_is_retried(standin: SalesforceStandIn) -> None:
    standin.seed(450, start=recent())
    standin.fail(QUERY, after=1)
    waits = Waits()
    deals = [d for p in adapter(standin, waits).changed_since(None) for d in p.deals]
    assert len({deal.crm_id for deal in deals}) == len(deals) == 450
    assert len(waits) == 1 and 0 < waits[0] <= 60


def test_an_invalid_session_id_is_an_auth_error(standin: SalesforceStandIn) -> None:
    standin.seed(3, start=recent())
    crm = SalesforceCrm(
        config=CrmConfig(vendor="salesforce"),
        session_id="00Dexpired!abc",
        api_url=standin.url,
        sleep=Waits(),
    )
    with pytest.raises(CrmAuthError, match="INVALID_SESSION_ID") as caught:
        list(crm.changed_since(None))
    assert "00Dexpired" not in str(caught.value)


def test_a_wrong_password_is_an_auth_error(standin: SalesforceStandIn) -> None:
    crm = SalesforceCrm(
        config=CrmConfig(vendor="salesforce"),
        username=standin.username,
        password="not-it",
        api_url=standin.url,
        sleep=Waits(),
    )
    with pytest.raises(CrmAuthError, match="INVALID_LOGIN"):
        crm.search_deals("anything")


def test_an_expired_session_signs_in_again_with_the_password(standin: SalesforceStandIn) -> None:
    ids = standin.seed(3, start=recent())
    crm = adapter(standin, Waits())
    assert crm.get_deal(ids[0]) is not None
    standin.expire_session()
    assert crm.get_deal(ids[1]) is not None
    assert standin.logins == 2


def test_get_search_and_owner(standin: SalesforceStandIn) -> None:
    owner = standin.add_user("bo@example.com")
    ids = standin.seed(30, start=recent(), owner_ids=[owner], name="O'Brien 50% deal")
    crm = adapter(standin, Waits())
    deal = crm.get_deal(ids[4])
    assert deal is not None and deal.name == "O'Brien 50% deal 00005"
    assert crm.get_deal("006000000000099999") is None
    assert [d.crm_id for d in crm.search_deals("o'brien 50% deal 00021")] == [ids[20]]
    assert len(crm.search_deals("brien", limit=4)) == 4
    assert crm.search_deals("50_") == []
    assert crm.owner_email(owner) == "bo@example.com"


def test_a_task_is_written_once_on_the_opportunity(standin: SalesforceStandIn) -> None:
    ids = standin.seed(2, start=recent())
    standin.fail("/services/data/v59.0/sobjects/Task")
    waits = Waits()
    task_id = adapter(standin, waits).write(
        CrmWrite(deal_crm_id=ids[1], title="Handoff opened", body="SSO fails", written_at=recent())
    )
    assert [(w.sobject, w.id, w.fields["WhatId"]) for w in standin.written] == [
        ("Task", task_id, ids[1])
    ]
    assert standin.written[0].fields["Status"] == "Completed" and len(waits) == 1


def test_a_note_when_configured(standin: SalesforceStandIn) -> None:
    ids = standin.seed(1, start=recent())
    adapter(standin, Waits(), salesforce_write_as="note").write(
        CrmWrite(deal_crm_id=ids[0], title="Product gap", body="No SAML", written_at=recent())
    )
    assert [(w.sobject, w.fields["ParentId"]) for w in standin.written] == [("Note", ids[0])]


def test_api_access_refused_is_an_auth_error_not_a_retry(standin: SalesforceStandIn) -> None:
    standin.seed(1, start=recent())
    standin.fail(QUERY, code="API_DISABLED_FOR_ORG")
    waits = Waits()
    with pytest.raises(CrmAuthError, match="API_DISABLED_FOR_ORG"):
        list(adapter(standin, waits).changed_since(None))
    assert waits == []


def test_a_mapped_field_the_org_lacks_is_a_clear_error(standin: SalesforceStandIn) -> None:
    ids = standin.seed(2, start=recent())
    with pytest.raises(CrmError, match="INVALID_FIELD"):
        adapter(standin, Waits(), fields={"amount": "ARR__c"}).get_deal(ids[0])
    standin.update(ids[0], recent() + timedelta(hours=1), ARR__c=52000.0)
    deal = adapter(standin, Waits(), fields={"amount": "ARR__c"}).get_deal(ids[0])
    assert deal is not None and deal.amount == 52000


def test_a_change_later_in_the_cursors_second_is_not_missed(standin: SalesforceStandIn) -> None:
    start = recent()
    ids = standin.seed(3, start=start, step=timedelta(minutes=1))
    since = start + timedelta(minutes=2, milliseconds=300)
    standin.update(ids[0], start + timedelta(minutes=2, milliseconds=800))
    changed = [d.crm_id for p in adapter(standin, Waits()).changed_since(since) for d in p.deals]
    assert ids[0] in changed and ids[1] not in changed
