"""Product gaps on a real database (SQLite and PostgreSQL): logging, linking, revenue at stake."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Deal, GapGroup, Person, ProductGap, Workspace
from bot.services import deals, gaps, people
from bot.services.errors import InvalidInput, NotFound
from bot.services.gaps import GapDraft
from tests.conftest import REP, SE1, START, TEAM_ID


def workspace(session: Session) -> Workspace:
    return people.workspace(session=session, slack_team_id=TEAM_ID, now=START)


def person(session: Session, config: DealCoachConfig, slack_id: str) -> Person:
    return people.person(
        session=session,
        workspace=workspace(session),
        slack_user_id=slack_id,
        config=config,
        now=START,
        profile=people.Profile(slack_id, slack_id.lower(), "Europe/Berlin"),
    )


def deal(session: Session, config: DealCoachConfig, name: str, amount: int | None) -> Deal:
    found = deals.find_or_create(
        session=session,
        workspace=workspace(session),
        name=name,
        owner=person(session, config, REP),
        now=START,
    )
    found.amount = amount
    session.flush()
    return found


def log(
    session: Session,
    config: DealCoachConfig,
    on: Deal | None,
    description: str,
    *,
    area: str = "Security & compliance",
    weight: str = "deal_breaker",
) -> ProductGap:
    return gaps.log(
        session=session,
        workspace=workspace(session),
        deal=on,
        draft=GapDraft(description=description, feature_area=area, weight=weight),
        actor=person(session, config, SE1),
        config=config,
        now=START + timedelta(hours=1),
    )


def count(session: Session, model: type[ProductGap] | type[GapGroup]) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_a_gap_keeps_the_deal_who_when_and_the_value_at_the_time(
    session: Session, config: DealCoachConfig
) -> None:
    acme = deal(session, config, "Acme Corp", 120_000)
    gap = log(session, config, acme, "  SSO with Okta for EU users ")
    acme.amount = 999_999  # later changes do not rewrite history
    session.flush()
    session.expire_all()
    stored = session.get(ProductGap, gap.id)
    assert stored is not None
    assert stored.deal.name == "Acme Corp"
    assert stored.logged_by.slack_user_id == SE1
    assert stored.logged_at == START + timedelta(hours=1)
    assert stored.deal_value == 120_000
    assert stored.description == "SSO with Okta for EU users"
    assert stored.feature_area == "Security & compliance"
    assert stored.group.title == "SSO with Okta for EU users"


def test_no_deal_or_an_empty_description_writes_nothing(
    session: Session, config: DealCoachConfig
) -> None:
    acme = deal(session, config, "Acme Corp", 1000)
    with pytest.raises(InvalidInput) as no_deal:
        log(session, config, None, "SSO with Okta")
    assert "Name the deal" in no_deal.value.errors["deal"]
    with pytest.raises(InvalidInput) as empty:
        log(session, config, acme, "   ")
    assert "/coach gap Acme Corp:" in empty.value.errors["description"]
    with pytest.raises(InvalidInput) as weight:
        log(session, config, acme, "SSO", weight="urgent")
    assert "deal-breaker" in weight.value.errors["weight"]
    assert count(session, ProductGap) == count(session, GapGroup) == 0


def test_a_free_text_area_is_filed_under_other(session: Session, config: DealCoachConfig) -> None:
    gap = log(session, config, deal(session, config, "Acme", 10), "Braille output", area="Access")
    assert (gap.feature_area, gap.area_detail) == ("Other", "Access")
    picked = log(session, config, deal(session, config, "Beta", 10), "Audit log", area="api")
    assert (picked.feature_area, picked.area_detail) == ("API", None)


def test_close_gaps_in_the_same_area_are_offered_and_linking_adds_up_revenue(
    session: Session, config: DealCoachConfig
) -> None:
    first = log(session, config, deal(session, config, "Acme", 100_000), "SSO with Okta")
    second = log(session, config, deal(session, config, "Beta", 50_000), "Okta SSO login")
    third = log(
        session, config, deal(session, config, "Gamma", 10_000), "SSO via Okta", weight="challenge"
    )
    log(session, config, deal(session, config, "Delta", 70_000), "SSO with Okta", area="API")
    log(session, config, deal(session, config, "Eps", 90_000), "Export to Excel")

    assert gaps.link_offers(session=session, gap=second, config=config)[0].group == first.group
    gaps.link(session=session, gap=second, group_id=first.group_id)
    offers = gaps.link_offers(session=session, gap=third, config=config)
    assert [(o.group.id, o.other_deals) for o in offers] == [(first.group_id, 2)]
    gaps.link(session=session, gap=third, group_id=first.group_id)
    assert count(session, GapGroup) == 3  # the emptied groups went

    top = gaps.top_by_revenue(session=session, workspace=workspace(session), config=config)
    assert top[0].group.title == "SSO with Okta"
    assert top[0].stake.deals == 3
    assert top[0].stake.revenue == pytest.approx(100_000 + 50_000 + 0.6 * 10_000)
    assert [s.stake.revenue for s in top[1:]] == [90_000, 70_000]


def test_linking_across_areas_or_to_a_stranger_group_is_refused(
    session: Session, config: DealCoachConfig
) -> None:
    sso = log(session, config, deal(session, config, "Acme", 1), "SSO")
    api = log(session, config, deal(session, config, "Beta", 1), "SSO", area="API")
    with pytest.raises(InvalidInput):
        gaps.link(session=session, gap=api, group_id=sso.group_id)
    with pytest.raises(NotFound):
        gaps.link(session=session, gap=api, group_id=sso.group_id + 1000)
    assert api.group_id != sso.group_id


def test_export_rows_since_a_date(session: Session, config: DealCoachConfig) -> None:
    log(session, config, deal(session, config, "Acme", 1), "SSO")
    ws = workspace(session)
    assert len(gaps.logged_since(session=session, workspace=ws)) == 1
    later = START + timedelta(days=1)
    assert gaps.logged_since(session=session, workspace=ws, since=later) == []
