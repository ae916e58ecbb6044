"""Calls, paraphrase versions and tip feedback on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import CallType, DealCoachConfig
from bot.db.models import Call, CallState, DueWork, DueWorkKind, DueWorkState, Person
from bot.services import calls, handoffs, paraphrases, people, tip_history
from bot.services.calls import CallDraft
from bot.services.deal_context import for_deal
from bot.services.errors import InvalidInput, InvalidTransition, NotAllowed
from bot.services.handoffs import HandoffDraft
from bot.services.paraphrases import DebriefDraft
from tests.conftest import MANAGER, OUTSIDER, REP, SE1, SE2, START, TEAM_ID

GOOD = (
    "Finance loses three days every month-end reconciling invoices by hand, and the "
    "auditors arrive in March."
)


def person(session: Session, config: DealCoachConfig, slack_id: str) -> Person:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    return people.person(
        session=session,
        workspace=workspace,
        slack_user_id=slack_id,
        config=config,
        now=START,
        profile=people.Profile(slack_id, slack_id.lower(), "Europe/Berlin"),
    )


def schedule(
    session: Session, config: DealCoachConfig, *, hours: float = 24, se: str | None = SE1
) -> Call:
    return calls.schedule(
        session=session,
        workspace=people.workspace(session=session, slack_team_id=TEAM_ID, now=START),
        rep=person(session, config, REP),
        se=person(session, config, se) if se else None,
        draft=CallDraft(
            deal_name="Acme Corp", starts_at=START + timedelta(hours=hours), call_type=CallType.DEMO
        ),
        config=config,
        now=START,
    )


def due(session: Session) -> dict[tuple[DueWorkKind, str], DueWork]:
    return {(w.kind, w.recipient_slack_id): w for w in session.scalars(select(DueWork))}


def test_scheduling_writes_tips_for_both_and_a_debrief_request(
    session: Session, config: DealCoachConfig
) -> None:
    call = schedule(session, config)
    rows = due(session)
    assert set(rows) == {
        (DueWorkKind.PRECALL_TIPS, REP),
        (DueWorkKind.PRECALL_TIPS, SE1),
        (DueWorkKind.DEBRIEF_REQUEST, REP),
    }
    assert rows[(DueWorkKind.PRECALL_TIPS, REP)].due_at == call.starts_at - timedelta(minutes=30)
    assert rows[(DueWorkKind.DEBRIEF_REQUEST, REP)].due_at == call.starts_at + timedelta(hours=1)
    assert all(row.call_id == call.id for row in rows.values())
    assert call.length_minutes == config.coaching.call_minutes


def test_a_call_sooner_than_the_lead_time_gets_its_tips_at_once(
    session: Session, config: DealCoachConfig
) -> None:
    schedule(session, config, hours=0.25, se=None)
    rows = due(session)
    assert rows[(DueWorkKind.PRECALL_TIPS, REP)].due_at == START
    assert (DueWorkKind.PRECALL_TIPS, SE1) not in rows


def test_bad_calls_are_refused(session: Session, config: DealCoachConfig) -> None:
    with pytest.raises(InvalidInput, match="already passed"):
        schedule(session, config, hours=-1)
    with pytest.raises(InvalidInput, match="Name the SE"):
        schedule(session, config, se=REP)
    assert due(session) == {}


def test_cancel_stops_every_dm_and_only_people_on_the_call_may(
    session: Session, config: DealCoachConfig
) -> None:
    call = schedule(session, config)
    with pytest.raises(NotAllowed):
        calls.cancel(session=session, call=call, actor=person(session, config, SE2), now=START)
    calls.cancel(session=session, call=call, actor=person(session, config, SE1), now=START)
    session.expire_all()
    assert call.state is CallState.CANCELLED
    assert {row.state for row in due(session).values()} == {DueWorkState.CANCELLED}
    with pytest.raises(InvalidTransition):
        calls.cancel(session=session, call=call, actor=person(session, config, REP), now=START)


def test_upcoming_lists_calls_as_rep_or_se(session: Session, config: DealCoachConfig) -> None:
    later = schedule(session, config, hours=48)
    sooner = schedule(session, config, hours=2)
    assert calls.upcoming(session=session, person=person(session, config, SE1), now=START) == [
        sooner,
        later,
    ]
    assert calls.upcoming(session=session, person=person(session, config, SE2), now=START) == []


def submit(
    session: Session,
    config: DealCoachConfig,
    text: str = GOOD,
    *,
    se: str | None = SE1,
    hours_later: float = 3,
) -> paraphrases.Submitted:
    return paraphrases.submit(
        session=session,
        workspace=people.workspace(session=session, slack_team_id=TEAM_ID, now=START),
        author=person(session, config, REP),
        se=person(session, config, se) if se else None,
        draft=DebriefDraft(deal_name="acme corp", text=text),
        config=config,
        now=START + timedelta(hours=hours_later),
    )


def test_each_submission_is_a_new_version_with_its_review(
    session: Session, config: DealCoachConfig
) -> None:
    call = schedule(session, config, hours=1)
    first = submit(session, config, "No problem, we can fix that with our platform.")
    second = submit(session, config)
    assert (first.version.version, second.version.version) == (1, 2)
    assert first.version.score == first.review.score == 0
    assert second.version.score == 100
    assert first.version.call_id == call.id  # the call that just happened on the deal
    assert call.state is CallState.DEBRIEFED
    assert "solution_talk" in first.version.findings


def test_confirming_attaches_the_problem_to_the_deal(
    session: Session, config: DealCoachConfig
) -> None:
    version = submit(session, config).version
    deal = version.deal
    assert for_deal(session=session, deal=deal, config=config).paraphrase is None
    paraphrases.send_to_se(
        session=session, version=version, actor=person(session, config, REP), now=START
    )
    with pytest.raises(NotAllowed):
        paraphrases.confirm(
            session=session,
            version=version,
            actor=person(session, config, OUTSIDER),
            config=config,
            now=START,
        )
    paraphrases.confirm(
        session=session,
        version=version,
        actor=person(session, config, SE1),
        config=config,
        now=START,
    )
    assert for_deal(session=session, deal=deal, config=config).paraphrase == GOOD
    with pytest.raises(InvalidTransition, match="already confirmed"):
        paraphrases.confirm(
            session=session,
            version=version,
            actor=person(session, config, MANAGER),
            config=config,
            now=START,
        )
    # A newer, unconfirmed version leaves the confirmed one in place.
    submit(session, config, "They want it faster.")
    assert for_deal(session=session, deal=deal, config=config).paraphrase == GOOD


def test_a_correction_becomes_the_confirmed_problem(
    session: Session, config: DealCoachConfig
) -> None:
    version = submit(session, config).version
    paraphrases.confirm(
        session=session,
        version=version,
        actor=person(session, config, MANAGER),  # SE managers may answer too
        config=config,
        now=START,
        correction="Month-end close takes five days, not three; the audit is in February.",
    )
    confirmed = for_deal(session=session, deal=version.deal, config=config).paraphrase
    assert confirmed is not None and confirmed.startswith("Month-end")


def test_an_older_version_cannot_be_sent_or_confirmed(
    session: Session, config: DealCoachConfig
) -> None:
    old = submit(session, config).version
    submit(session, config, GOOD + " Their CFO owns it.")
    rep = person(session, config, REP)
    with pytest.raises(InvalidTransition, match="newer version"):
        paraphrases.send_to_se(session=session, version=old, actor=rep, now=START)
    with pytest.raises(InvalidTransition, match="newer version"):
        paraphrases.confirm(
            session=session,
            version=old,
            actor=person(session, config, SE1),
            config=config,
            now=START,
        )


def test_validation_names_the_field(session: Session, config: DealCoachConfig) -> None:
    with pytest.raises(InvalidInput) as raised:
        submit(session, config, "   ")
    assert set(raised.value.errors) == {"paraphrase"}
    with pytest.raises(InvalidInput) as raised:
        submit(session, config, "x" * 2001)
    assert "2,001 characters" in raised.value.errors["paraphrase"]


def test_the_deals_se_is_the_calls_or_else_the_latest_handoffs(
    session: Session, config: DealCoachConfig
) -> None:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    handoff = handoffs.open(
        session=session,
        workspace=workspace,
        rep=person(session, config, REP),
        assignee=person(session, config, SE2),
        draft=HandoffDraft(deal_name="Acme Corp", problem="SSO fails"),
        config=config,
        now=START,
    )
    later = START + timedelta(days=3)
    assert calls.se_for_deal(session=session, deal=handoff.deal, now=later).slack_user_id == SE2
    schedule(session, config, hours=24, se=SE1)
    assert calls.se_for_deal(session=session, deal=handoff.deal, now=later).slack_user_id == SE1
    assert calls.open_handoffs(session=session, deal=handoff.deal) == [handoff]


def test_tip_history_and_feedback_counts(session: Session, config: DealCoachConfig) -> None:
    call = schedule(session, config)
    rep, se = person(session, config, REP), person(session, config, SE1)
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    assert tip_history.history(session=session, person=rep).previous == frozenset()
    tip_history.record_deliveries(
        session=session, person=rep, call_id=call.id, tip_ids=["a", "b"], now=START
    )
    tip_history.record_deliveries(
        session=session, person=rep, call_id=call.id, tip_ids=["b", "c"], now=START + timedelta(1)
    )
    history = tip_history.history(session=session, person=rep)
    assert history.previous == {"b", "c"}
    assert history.last_sent["a"] == START and history.last_sent["b"] == START + timedelta(1)

    tip_history.record_feedback(
        session=session, person=rep, call_id=call.id, tip_id="a", helpful=True, now=START
    )
    tip_history.record_feedback(  # pressing the other button changes the answer
        session=session, person=rep, call_id=call.id, tip_id="b", helpful=True, now=START
    )
    tip_history.record_feedback(
        session=session, person=rep, call_id=call.id, tip_id="b", helpful=False, now=START
    )
    with pytest.raises(NotAllowed):
        tip_history.record_feedback(
            session=session, person=se, call_id=call.id, tip_id="a", helpful=True, now=START
        )
    counts = tip_history.counts(session=session, workspace=workspace)
    assert counts == {"a": tip_history.Counts(1, 0), "b": tip_history.Counts(0, 1)}
