"""Handoffs held for an SE manager (SQLite and PostgreSQL): nothing half-written, one pick."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig, Team
from bot.db.models import DueWork, Handoff, UnroutedHandoff
from bot.services import routing, unrouted
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed
from bot.services.handoffs import HandoffDraft
from tests.conftest import MANAGER, REP, SE1, SE2, START
from tests.services.test_routing import person, ws


@pytest.fixture
def config() -> DealCoachConfig:
    return DealCoachConfig(
        teams=[Team(name="West", reps=[REP], ses=[SE1, SE2], se_managers=[MANAGER])]
    )


DRAFT = HandoffDraft(
    deal_name="Acme",
    problem="Okta SSO fails for EU users",
    business_impact="x" * 1900,
    tried="y" * 1900,
    deadline=date(2026, 12, 4),
    deal_value=40000,
)


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def hold(session: Session, config: DealCoachConfig, draft: HandoffDraft = DRAFT) -> UnroutedHandoff:
    return unrouted.hold(
        session=session,
        workspace=ws(session),
        rep=person(session, config, REP),
        draft=draft,
        area="sso",
        territory="EMEA",
        config=config,
        now=START,
    )


def assign(
    session: Session, config: DealCoachConfig, held: UnroutedHandoff, *, by: str = MANAGER
) -> Handoff:
    return unrouted.assign(
        session=session,
        workspace=ws(session),
        held=held,
        actor=person(session, config, by),
        assignee=person(session, config, SE1),
        team=routing.team_of_rep(config, REP),
        reason="covers SSO; no open handoffs",
        config=config,
        now=START + timedelta(hours=3),
    )


def test_a_held_draft_keeps_every_field_whole_and_writes_no_handoff(
    session: Session, config: DealCoachConfig
) -> None:
    held = hold(session, config)
    assert unrouted.draft_of(held) == DRAFT  # longer than a button's value could carry
    assert count(session, Handoff) == 0 and count(session, DueWork) == 0


def test_a_bad_draft_is_refused_before_anything_is_held(
    session: Session, config: DealCoachConfig
) -> None:
    with pytest.raises(InvalidInput, match="Describe the customer's problem"):
        hold(session, config, HandoffDraft(deal_name="Acme", problem="  "))
    assert count(session, UnroutedHandoff) == 0


def test_the_managers_pick_opens_it_then_and_a_second_pick_is_refused(
    session: Session, config: DealCoachConfig
) -> None:
    held = hold(session, config)
    handoff = assign(session, config, held)
    assert handoff.created_at == START + timedelta(hours=3)
    assert handoff.product_area == "sso" and handoff.routing_reason.startswith("covers SSO")
    assert handoff.business_impact == DRAFT.business_impact
    due = list(session.scalars(select(DueWork).where(DueWork.handoff_id == handoff.id)))
    assert due and min(row.due_at for row in due) > START + timedelta(hours=3)
    assert held.handoff_id == handoff.id
    with pytest.raises(InvalidTransition, match="already routed"):
        assign(session, config, held)
    assert count(session, Handoff) == 1


def test_only_the_teams_se_managers_may_route_it(session: Session, config: DealCoachConfig) -> None:
    held = hold(session, config)
    for someone in (REP, SE2):
        with pytest.raises(NotAllowed, match="Only an SE manager of West"):
            assign(session, config, held, by=someone)
    assert count(session, Handoff) == 0 and held.routed_at is None
