"""Qualification on a real database (SQLite and PostgreSQL): answers, history, frameworks,
deals and the reminder before a deal closes."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching.qualification import Answer, AnswerInput
from bot.config import DealCoachConfig, load_checklists
from bot.db.models import (
    Deal,
    DealFramework,
    DueWork,
    DueWorkState,
    Person,
    QualificationAnswer,
    Workspace,
)
from bot.db.session import SessionFactory
from bot.services import deal_context, deals, nudges, people, qualification
from bot.services.errors import InvalidInput, NotFound
from bot.services.qualification import DealDraft
from tests.conftest import REP, REP2, SE1, START, TEAM_ID

CHECKLISTS = Path(__file__).resolve().parents[2] / "config" / "checklists"
NEW_YORK = "America/New_York"
#: Thursday 10 December 2026: 17 days after START.
CLOSE = date(2026, 12, 10)


@pytest.fixture
def config(config: DealCoachConfig) -> DealCoachConfig:
    checklists, problems = load_checklists(CHECKLISTS.parent)
    assert problems == []
    return config.with_checklists(checklists)


def workspace(session: Session) -> Workspace:
    return people.workspace(session=session, slack_team_id=TEAM_ID, now=START)


def person(session: Session, config: DealCoachConfig, slack_id: str, tz: str = NEW_YORK) -> Person:
    return people.person(
        session=session,
        workspace=workspace(session),
        slack_user_id=slack_id,
        config=config,
        now=START,
        profile=people.Profile(slack_id, slack_id.lower(), tz),
    )


def new_deal(
    session: Session,
    config: DealCoachConfig,
    *,
    name: str = "Acme Corp",
    close: date | None = CLOSE,
    now: datetime = START,
) -> Deal:
    return qualification.create_deal(
        session=session,
        workspace=workspace(session),
        draft=DealDraft(name, REP, 50_000, close),
        owner=person(session, config, REP),
        config=config,
        now=now,
    )


def answer(key: str, value: Answer | None, evidence: str | None = None) -> AnswerInput:
    return AnswerInput(key, value, evidence)


def record(
    session: Session,
    config: DealCoachConfig,
    deal: Deal,
    *answers: AnswerInput,
    by: str = REP,
    now: datetime = START,
    framework: str = "default",
) -> list[QualificationAnswer]:
    return qualification.record(
        session=session,
        deal=deal,
        framework=config.checklists[framework],
        answers=answers,
        actor=person(session, config, by),
        config=config,
        now=now,
    )


def gap_rows(session: Session, deal: Deal) -> list[DueWork]:
    return list(
        session.scalars(select(DueWork).where(DueWork.deal_id == deal.id).order_by(DueWork.id))
    )


def pending(session: Session, deal: Deal) -> list[DueWork]:
    return [row for row in gap_rows(session, deal) if row.state is DueWorkState.DUE]


# --- answers and history --------------------------------------------------------------------


def test_answers_are_rows_and_history_is_kept(session: Session, config: DealCoachConfig) -> None:
    deal = new_deal(session, config)
    record(session, config, deal, answer("economic_buyer_met", Answer.UNKNOWN))
    later = START + timedelta(days=2)
    record(
        session,
        config,
        deal,
        answer("economic_buyer_met", Answer.YES, "Met the CFO on site"),
        by=REP2,
        now=later,
    )
    rows = session.scalars(select(QualificationAnswer).order_by(QualificationAnswer.id)).all()
    assert [(r.answer, r.answered_by.slack_user_id, r.answered_at) for r in rows] == [
        (Answer.UNKNOWN, REP, START),
        (Answer.YES, REP2, later),
    ]
    latest = qualification.latest(session=session, deal=deal, framework="default")
    assert latest["economic_buyer_met"].answer is Answer.YES
    assert latest["economic_buyer_met"].by == REP2
    assert latest["economic_buyer_met"].evidence == "Met the CFO on site"
    # The deal keeps the framework it was first answered under.
    assert session.scalar(select(DealFramework.framework)) == "default"


def test_repeating_the_latest_answer_or_leaving_it_blank_writes_nothing(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    first = record(session, config, deal, answer("business_case", Answer.NO, "No ROI model yet"))
    assert len(first) == 1
    again = record(
        session,
        config,
        deal,
        answer("business_case", Answer.NO, "No ROI model yet"),
        answer("pitfalls", None),
        now=START + timedelta(hours=1),
    )
    assert again == []
    assert session.scalar(select(func.count()).select_from(QualificationAnswer)) == 1


def test_a_bad_answer_writes_nothing_at_all(session: Session, config: DealCoachConfig) -> None:
    deal = new_deal(session, config)
    with pytest.raises(InvalidInput) as raised:
        record(
            session,
            config,
            deal,
            answer("qualified", Answer.YES),
            answer("economic_buyer_met", Answer.YES, "x" * 2001),
            answer("no_such_item", Answer.YES),
        )
    assert set(raised.value.errors) == {"economic_buyer_met", "no_such_item"}
    assert session.scalar(select(func.count()).select_from(QualificationAnswer)) == 0


def test_two_reps_answering_at_once_lose_neither_answer(
    session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    with session_factory() as session, session.begin():
        deal_id = new_deal(session, config).id
        person(session, config, REP2)
    ready = threading.Barrier(2, timeout=10)
    failures: list[BaseException] = []

    def answer_as(slack_id: str, *answers: AnswerInput) -> None:
        try:
            with session_factory() as session:
                deal = session.get_one(Deal, deal_id)
                actor = person(session, config, slack_id)
                session.commit()
                ready.wait()  # both have read the deal; now both answer
                qualification.record(
                    session=session,
                    deal=deal,
                    framework=config.checklists["default"],
                    answers=answers,
                    actor=actor,
                    config=config,
                    now=START,
                )
                session.commit()
        except BaseException as exc:  # reported below, on the test's thread
            failures.append(exc)

    threads = [
        threading.Thread(
            target=answer_as,
            args=(REP, answer("qualified", Answer.YES), answer("deadlines", Answer.NO)),
        ),
        threading.Thread(
            target=answer_as,
            args=(REP2, answer("economic_buyer_met", Answer.YES), answer("deadlines", Answer.YES)),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with session_factory() as session:
        rows = session.execute(
            select(QualificationAnswer.item_key, QualificationAnswer.answer, Person.slack_user_id)
            .join(Person, Person.id == QualificationAnswer.answered_by_id)
            .order_by(QualificationAnswer.item_key, Person.slack_user_id)
        ).all()
        assert [tuple(row) for row in rows] == [
            ("deadlines", Answer.NO, REP),
            ("deadlines", Answer.YES, REP2),
            ("economic_buyer_met", Answer.YES, REP2),
            ("qualified", Answer.YES, REP),
        ]
        assert session.scalar(select(func.count()).select_from(DealFramework)) == 1
        assert len(pending(session, session.get_one(Deal, deal_id))) == 1


# --- frameworks -------------------------------------------------------------------------------


def test_switching_frameworks_keeps_each_frameworks_answers(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    rep = person(session, config, REP)
    record(session, config, deal, answer("qualified", Answer.YES))
    qualification.use_framework(
        session=session,
        deal=deal,
        framework=config.checklists["bant"],
        actor=rep,
        config=config,
        now=START,
    )
    record(session, config, deal, answer("budget", Answer.NO), framework="bant")
    standing = qualification.standing(session=session, deal=deal, config=config, asker=REP)
    assert standing.checklist.key == "bant"
    assert [s.answer for s in standing.items] == [Answer.NO, None, None, None]
    qualification.use_framework(
        session=session,
        deal=deal,
        framework=config.checklists["default"],
        actor=rep,
        config=config,
        now=START,
    )
    standing = qualification.standing(session=session, deal=deal, config=config, asker=REP)
    assert standing.items[0].answer is Answer.YES


def test_unknown_framework_names_say_what_there_is(config: DealCoachConfig) -> None:
    assert qualification.pick_framework(" MEDDPICC ", config).key == "meddpicc"
    with pytest.raises(InvalidInput) as raised:
        qualification.pick_framework("medpic", config)
    message = raised.value.errors["framework"]
    assert "medpic" in message and "Did you mean *meddpicc*?" in message
    assert "bant, default, meddpicc" in message


def test_a_framework_dropped_from_config_is_explained(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    record(session, config, deal, answer("qualified", Answer.YES))
    bare = config.with_checklists([config.checklists["bant"]])
    with pytest.raises(NotFound, match="no longer in config/checklists"):
        qualification.standing(session=session, deal=deal, config=bare, asker=REP)


# --- deals ----------------------------------------------------------------------------------


def test_close_names_are_suggested_and_exact_ones_found(
    session: Session, config: DealCoachConfig
) -> None:
    new_deal(session, config, name="Acme Corp")
    new_deal(session, config, name="Globex")
    ws = workspace(session)
    assert qualification.find_deal(session=session, workspace=ws, name="acme  CORP").deal
    lookup = qualification.find_deal(session=session, workspace=ws, name="Acme Crop")
    assert lookup.deal is None and [d.name for d in lookup.suggestions] == ["Acme Corp"]
    lookup = qualification.find_deal(session=session, workspace=ws, name="Initech")
    assert lookup == qualification.DealLookup(None, ())


def test_a_new_deal_needs_an_owner_and_a_future_close_date(
    session: Session, config: DealCoachConfig
) -> None:
    with pytest.raises(InvalidInput) as raised:
        qualification.create_deal(
            session=session,
            workspace=workspace(session),
            draft=DealDraft("  ", None, -5, date(2026, 11, 1)),
            owner=person(session, config, REP),
            config=config,
            now=START,
        )
    assert set(raised.value.errors) == {"name", "owner", "amount", "close_date"}
    assert "in the past" in raised.value.errors["close_date"]
    new_deal(session, config, name="Acme Corp")
    with pytest.raises(InvalidInput, match="already a deal called Acme Corp"):
        new_deal(session, config, name="ACME corp")
    assert session.scalar(select(func.count()).select_from(Deal)) == 1


def test_a_handoff_card_lists_the_gaps_of_a_deal_being_qualified(
    session: Session, config: DealCoachConfig
) -> None:
    deal = deals.find_or_create(
        session=session,
        workspace=workspace(session),
        name="Initech",
        owner=person(session, config, REP),
        now=START,
    )
    assert deal_context.for_deal(session=session, deal=deal, config=config).gaps == ()
    record(
        session,
        config,
        deal,
        answer("qualified", Answer.YES),
        answer("economic_buyer_met", Answer.UNKNOWN),
        answer("business_case", Answer.NO),
    )
    assert deal_context.for_deal(session=session, deal=deal, config=config).gaps == (
        "Economic buyer met: unknown",
        "Business case understood: no",
        "Deadlines and compelling event: not answered yet",
        "Pitfalls and risks known: not answered yet",
        "Unique versus comparative differentiators: not answered yet",
    )


# --- the reminder before the close date ------------------------------------------------------


def test_a_new_deal_gets_its_reminder_two_weeks_before_close_at_the_owners_morning(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    (row,) = pending(session, deal)
    # Thursday 26 November, 09:00 in New York.
    assert row.due_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    assert row.recipient_slack_id == REP
    assert row.dedupe_key == f"deal:{deal.id}:gaps:{date(2026, 11, 26).toordinal() // 7}"


def test_moving_the_close_date_moves_the_one_pending_reminder(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    qualification.update_deal(
        session=session,
        deal=deal,
        owner=person(session, config, REP2, tz="America/Chicago"),
        amount=None,
        close_date=date(2026, 12, 31),
        config=config,
        now=START,
    )
    (row,) = pending(session, deal)
    assert row.due_at == datetime(2026, 12, 17, 15, 0, tzinfo=UTC)  # 09:00 in Chicago
    assert row.recipient_slack_id == REP2
    assert len(gap_rows(session, deal)) == 2  # the first one, cancelled


def test_a_close_date_inside_the_window_is_due_at_once_and_a_passed_one_never(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config, close=START.date() + timedelta(days=3))
    (row,) = pending(session, deal)
    assert row.due_at == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # today, 09:00 New York
    later = START + timedelta(days=5)
    qualification.schedule_gap_nudge(session=session, deal=deal, config=config, now=later)
    assert pending(session, deal) == []


def test_no_gaps_no_reminder_and_a_new_gap_brings_it_back(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    keys = [item.key for item in config.checklists["default"].items]
    record(session, config, deal, *(answer(key, Answer.YES) for key in keys))
    assert pending(session, deal) == []
    record(session, config, deal, answer("pitfalls", Answer.UNKNOWN, "New legal review"))
    (row,) = pending(session, deal)
    assert row.due_at == datetime(2026, 11, 26, 14, 0, tzinfo=UTC)
    assert len(gap_rows(session, deal)) == 1  # the same row, back on


def test_after_a_reminder_the_next_waits_a_full_interval(
    session: Session, config: DealCoachConfig
) -> None:
    deal = new_deal(session, config)
    (row,) = pending(session, deal)
    sent_at = row.due_at + timedelta(minutes=1)
    nudges.mark_sent(session=session, work=row, now=sent_at)
    qualification.schedule_gap_nudge(session=session, deal=deal, config=config, now=sent_at)
    (following,) = pending(session, deal)
    assert following.due_at == datetime(2026, 12, 3, 14, 1, tzinfo=UTC)  # a week later
    assert following.dedupe_key != row.dedupe_key
    # Answers changing meanwhile do not pull it any closer.
    record(session, config, deal, answer("qualified", Answer.NO), now=sent_at + timedelta(hours=1))
    (still,) = pending(session, deal)
    assert still.id == following.id and still.due_at == following.due_at
    # After that one, the close date (10 Dec) is within the interval: one more at most.
    nudges.mark_sent(session=session, work=still, now=still.due_at)
    qualification.schedule_gap_nudge(session=session, deal=deal, config=config, now=still.due_at)
    (last,) = pending(session, deal)
    assert last.due_at == datetime(2026, 12, 10, 14, 1, tzinfo=UTC)
    nudges.mark_sent(session=session, work=last, now=last.due_at)
    qualification.schedule_gap_nudge(session=session, deal=deal, config=config, now=last.due_at)
    assert pending(session, deal) == []


def test_a_deal_without_a_close_date_is_never_reminded(
    session: Session, config: DealCoachConfig
) -> None:
    deal = deals.find_or_create(
        session=session,
        workspace=workspace(session),
        name="Initech",
        owner=person(session, config, REP),
        now=START,
    )
    record(session, config, deal, answer("qualified", Answer.NO))
    assert gap_rows(session, deal) == []
    assert SE1  # the SEs never own deals here; the owner is the rep
