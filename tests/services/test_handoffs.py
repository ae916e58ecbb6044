"""Handoff use cases on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.config import DealCoachConfig, PublicHolidays, Team
from bot.db.models import (
    Deal,
    DueWork,
    DueWorkKind,
    DueWorkState,
    Handoff,
    HandoffEvent,
    HandoffEventKind,
    HandoffState,
    Person,
)
from bot.db.session import SessionFactory, make_engine
from bot.services import handoffs, people, routing
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed
from bot.services.handoffs import HandoffDraft
from tests.conftest import MANAGER, OUTSIDER, REP, SE1, SE2, START, TEAM_ID

BERLIN = "Europe/Berlin"


def person(session: Session, config: DealCoachConfig, slack_id: str, tz: str = BERLIN) -> Person:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    return people.person(
        session=session,
        workspace=workspace,
        slack_user_id=slack_id,
        config=config,
        now=START,
        profile=people.Profile(slack_id, slack_id.lower(), tz),
    )


def open_one(
    session: Session, config: DealCoachConfig, draft: HandoffDraft | None = None, se: str = SE1
) -> Handoff:
    return handoffs.open(
        session=session,
        workspace=people.workspace(session=session, slack_team_id=TEAM_ID, now=START),
        rep=person(session, config, REP),
        assignee=person(session, config, se),
        draft=draft
        or HandoffDraft(deal_name="Acme Corp", problem="SSO with Okta fails for EU users"),
        config=config,
        now=START,
    )


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_open_writes_handoff_event_and_sla_nudges(
    session: Session, config: DealCoachConfig
) -> None:
    handoff = open_one(session, config)

    assert handoff.state is HandoffState.OPEN
    assert handoff.rep_hours == config.revenue.default_hours_per_issue
    assert [event.kind for event in handoff.events] == [HandoffEventKind.OPENED]
    rows = session.scalars(select(DueWork).order_by(DueWork.id)).all()
    assert [(row.step, row.kind, row.recipient_slack_id) for row in rows] == [
        (1, DueWorkKind.HANDOFF_ACKNOWLEDGE, SE1),
        (2, DueWorkKind.HANDOFF_ACKNOWLEDGE, SE1),
        (2, DueWorkKind.HANDOFF_ESCALATE, MANAGER),
        (2, DueWorkKind.HANDOFF_ESCALATE, REP),
        (3, DueWorkKind.HANDOFF_ESCALATE, MANAGER),
    ]
    # Monday 10:00 Berlin: 4 business hours → 14:00 Berlin; 8 → Tuesday 10:00 Berlin;
    # 16 → Wednesday 10:00 Berlin.
    assert rows[0].due_at == datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert rows[1].due_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert rows[4].due_at == datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_escalation_steps_come_from_config(session: Session, config: DealCoachConfig) -> None:
    from bot.config import EscalationStep, Sla

    custom = config.model_copy(
        update={
            "sla": Sla(
                escalation=[
                    EscalationStep(after_hours=2, notify=["assignee"]),
                    EscalationStep(after_hours=6, notify=["rep", "se_manager"]),
                ]
            )
        }
    )
    open_one(session, custom)
    rows = session.scalars(select(DueWork).order_by(DueWork.id)).all()
    assert [(row.step, row.recipient_slack_id) for row in rows] == [
        (1, SE1),
        (2, REP),
        (2, MANAGER),
    ]
    assert rows[0].due_at == datetime(2026, 11, 23, 11, 0, tzinfo=UTC)


def test_same_deal_name_in_other_case_is_one_deal(
    session: Session, config: DealCoachConfig
) -> None:
    open_one(session, config)
    open_one(session, config, HandoffDraft(deal_name="  ACME   corp ", problem="Export is slow"))
    assert count(session, Deal) == 1


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (HandoffDraft(deal_name="Acme", problem="   "), "problem", "customer's problem"),
        (HandoffDraft(deal_name="", problem="It fails"), "deal", "Name the deal"),
        (HandoffDraft(deal_name="Acme", problem="x" * 2001), "problem", "under 2,000"),
        (
            HandoffDraft(deal_name="Acme", problem="It fails", deadline=date(2026, 11, 20)),
            "deadline",
            "in the past",
        ),
        (
            HandoffDraft(deal_name="Acme", problem="It fails", rep_hours=0),
            "rep_hours",
            "more than 0",
        ),
        (HandoffDraft(deal_name="A" * 151, problem="It fails"), "deal", "under 150"),
    ],
)
def test_bad_input_says_how_to_write_it_and_writes_nothing(
    session_factory: SessionFactory,
    config: DealCoachConfig,
    draft: HandoffDraft,
    field: str,
    words: str,
) -> None:
    with session_factory() as session:
        with pytest.raises(InvalidInput) as raised:
            open_one(session, config, draft)
        session.rollback()
    assert words in raised.value.errors[field]
    with session_factory() as session:
        assert count(session, Handoff) == 0
        assert count(session, DueWork) == 0


def test_with_no_areas_configured_routing_is_round_robin_within_the_team(
    session: Session, config: DealCoachConfig
) -> None:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    team = routing.team_of_rep(config, REP)
    need = routing.need_for(config, team=team, problem="It fails")
    picked = []
    for minute in range(4):
        now = START + timedelta(minutes=minute)
        outcome = routing.route(
            session=session,
            workspace=workspace,
            rep_slack_id=REP,
            need=need,
            team=team,
            config=config,
            now=now,
        )
        assert outcome.assignee is not None
        picked.append(outcome.assignee)
        handoff = open_one(session, config, se=outcome.assignee)
        handoff.created_at = now
        for event in handoff.events:
            event.at = now
        session.flush()
    assert picked == [SE1, SE2, SE1, SE2]


def test_routing_without_a_team_explains_how_to_name_an_se(
    session: Session, config: DealCoachConfig
) -> None:
    two_teams = config.model_copy(
        update={
            "teams": [
                *config.teams,
                config.teams[0].model_copy(update={"name": "Other", "reps": []}),
            ]
        }
    )
    with pytest.raises(InvalidInput, match="/handoff @se"):
        routing.team_of_rep(two_teams, OUTSIDER)


def test_accept_cancels_sla_nudges_and_schedules_the_deadline(
    session: Session, config: DealCoachConfig
) -> None:
    handoff = open_one(
        session,
        config,
        HandoffDraft(deal_name="Acme", problem="It fails", deadline=date(2026, 11, 27)),
    )
    handoffs.accept(
        session=session, handoff=handoff, actor=handoff.assignee, config=config, now=START
    )

    assert handoff.state is HandoffState.ACCEPTED
    states = {
        row.state for row in session.scalars(select(DueWork)) if row.kind in handoffs.SLA_KINDS
    }
    assert states == {DueWorkState.CANCELLED}
    deadline = session.scalars(
        select(DueWork).where(DueWork.kind == DueWorkKind.HANDOFF_DEADLINE)
    ).one()
    # Friday's deadline passes at midnight; the nudge waits for Monday 09:00 Berlin.
    assert deadline.due_at == datetime(2026, 11, 30, 8, 0, tzinfo=UTC)
    assert [e.kind for e in handoff.events] == [HandoffEventKind.OPENED, HandoffEventKind.ACCEPTED]


def test_only_rep_assignee_and_managers_may_act(session: Session, config: DealCoachConfig) -> None:
    handoff = open_one(session, config)
    outsider = person(session, config, OUTSIDER)
    with pytest.raises(NotAllowed, match="nothing was changed"):
        handoffs.accept(session=session, handoff=handoff, actor=outsider, config=config, now=START)
    with pytest.raises(NotAllowed):
        handoffs.accept(
            session=session, handoff=handoff, actor=handoff.rep, config=config, now=START
        )
    assert handoff.state is HandoffState.OPEN
    manager = person(session, config, MANAGER)
    handoffs.accept(session=session, handoff=handoff, actor=manager, config=config, now=START)
    assert handoff.state is HandoffState.ACCEPTED


def test_life_cycle_and_audit_trail(session: Session, config: DealCoachConfig) -> None:
    handoff = open_one(session, config)
    se1, se2 = handoff.assignee, person(session, config, SE2)
    handoffs.request_detail(
        session=session, handoff=handoff, actor=se1, question="Which IdP?", config=config, now=START
    )
    handoffs.give_detail(
        session=session, handoff=handoff, actor=handoff.rep, answer="Okta", config=config, now=START
    )
    handoffs.reassign(
        session=session,
        handoff=handoff,
        actor=handoff.rep,
        new_assignee=se2,
        config=config,
        now=START,
    )
    assert handoff.assignment == 2 and handoff.assignee_id == se2.id
    handoffs.accept(session=session, handoff=handoff, actor=se2, config=config, now=START)
    handoffs.resolve(
        session=session, handoff=handoff, actor=se2, note=None, config=config, now=START
    )
    with pytest.raises(InvalidTransition, match="already resolved"):
        handoffs.accept(session=session, handoff=handoff, actor=se2, config=config, now=START)

    events = session.scalars(select(HandoffEvent).order_by(HandoffEvent.id)).all()
    assert [(e.kind, e.actor.slack_user_id if e.actor else None) for e in events] == [
        (HandoffEventKind.OPENED, REP),
        (HandoffEventKind.DETAIL_REQUESTED, SE1),
        (HandoffEventKind.DETAIL_GIVEN, REP),
        (HandoffEventKind.REASSIGNED, REP),
        (HandoffEventKind.ACCEPTED, SE2),
        (HandoffEventKind.RESOLVED, SE2),
    ]
    # Reassignment gave SE2 their own SLA nudges; all pending ones ended with the handoff.
    keys = {row.dedupe_key for row in session.scalars(select(DueWork))}
    assert f"handoff:{handoff.id}:2:step1:{SE2}" in keys
    assert not session.scalars(select(DueWork).where(DueWork.state == DueWorkState.DUE)).all()


def test_decline_needs_a_reason(session: Session, config: DealCoachConfig) -> None:
    handoff = open_one(session, config)
    with pytest.raises(InvalidInput, match="Say why"):
        handoffs.decline(
            session=session,
            handoff=handoff,
            actor=handoff.assignee,
            reason="  ",
            config=config,
            now=START,
        )
    handoffs.decline(
        session=session,
        handoff=handoff,
        actor=handoff.assignee,
        reason="Not my area",
        config=config,
        now=START,
    )
    assert handoff.state is HandoffState.DECLINED


def test_two_people_acting_at_once_cannot_both_win(
    session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    with session_factory() as session:
        handoff_id = open_one(session, config).id
        session.commit()
    engine = session_factory.kw["bind"]
    if engine.dialect.name == "sqlite":
        # SQLite takes the write lock at BEGIN (IMMEDIATE), so the second person cannot
        # even start while the first is mid-change: here it gives up after 0.2 s.
        impatient = make_engine(str(engine.url), connect_args={"timeout": 0.2})
        with session_factory() as first, Session(impatient) as second:
            people.workspace(session=first, slack_team_id=TEAM_ID, now=START)
            with pytest.raises(OperationalError, match="locked"):
                second.get(Handoff, handoff_id)
        impatient.dispose()
        return
    first, second = session_factory(), session_factory()
    try:
        mine = handoffs.get(
            session=first,
            workspace=people.workspace(session=first, slack_team_id=TEAM_ID, now=START),
            handoff_id=handoff_id,
        )
        theirs = handoffs.get(
            session=second,
            workspace=people.workspace(session=second, slack_team_id=TEAM_ID, now=START),
            handoff_id=handoff_id,
        )
        handoffs.accept(session=first, handoff=mine, actor=mine.assignee, config=config, now=START)
        first.commit()
        with pytest.raises(StaleDataError):
            handoffs.decline(
                session=second,
                handoff=theirs,
                actor=theirs.assignee,
                reason="busy",
                config=config,
                now=START,
            )
            second.commit()
        second.rollback()
    finally:
        first.close()
        second.close()
    with session_factory() as session:
        assert session.get_one(Handoff, handoff_id).state is HandoffState.ACCEPTED


def test_a_public_holiday_of_the_assignees_team_moves_the_sla(session: Session) -> None:
    """Opened Christmas Eve 15:00 in Berlin: four business hours are not up on Friday
    the 25th (a holiday in Germany) but on Monday the 28th at 11:00."""
    german = DealCoachConfig(
        teams=[
            Team(
                name="Berlin",
                reps=[REP],
                ses=[SE1],
                holidays=PublicHolidays(country="DE", region="BE"),
            )
        ]
    )
    christmas_eve = datetime(2026, 12, 24, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=christmas_eve)

    def someone(slack_id: str) -> Person:
        return people.person(
            session=session,
            workspace=workspace,
            slack_user_id=slack_id,
            config=german,
            now=christmas_eve,
            profile=people.Profile(slack_id, slack_id.lower(), BERLIN),
        )

    handoffs.open(
        session=session,
        workspace=workspace,
        rep=someone(REP),
        assignee=someone(SE1),
        draft=HandoffDraft(deal_name="Acme Corp", problem="SSO with Okta fails for EU users"),
        config=german,
        now=christmas_eve,
    )
    first = session.scalars(select(DueWork).order_by(DueWork.due_at)).first()
    assert first is not None
    assert first.due_at == datetime(2026, 12, 28, 10, 0, tzinfo=UTC)  # Monday 11:00 in Berlin


def test_a_bot_event_beside_someones_change_does_not_conflict(
    session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    """A worker records "nudged" on a handoff it loaded before the SE accepted it: the
    history row is added and the accept stands (the bot leaves the handoff row alone)."""
    if session_factory.kw["bind"].dialect.name == "sqlite":
        pytest.skip("SQLite lets one writer at a time in (BEGIN IMMEDIATE): nothing interleaves")
    with session_factory() as session:
        handoff_id = open_one(session, config).id
        session.commit()
    with session_factory() as worker:
        loaded = worker.get_one(Handoff, handoff_id)
        version = loaded.version
        with session_factory() as se:
            theirs = se.get_one(Handoff, handoff_id)
            handoffs.accept(
                session=se, handoff=theirs, actor=theirs.assignee, config=config, now=START
            )
            se.commit()
        handoffs.record_bot_event(
            session=worker,
            handoff=loaded,
            kind=HandoffEventKind.NUDGED,
            detail="handoff_acknowledge to U0SE00001",
            now=START + timedelta(hours=4),
        )
        worker.commit()  # no StaleDataError
        assert loaded.version == version
    with session_factory() as session:
        assert session.get_one(Handoff, handoff_id).state is HandoffState.ACCEPTED
        kinds = session.scalars(
            select(HandoffEvent.kind).where(HandoffEvent.handoff_id == handoff_id)
        ).all()
        assert HandoffEventKind.NUDGED in kinds
