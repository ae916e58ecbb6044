"""Due work: scheduling is idempotent, claims are exclusive, failures back off."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import DueWork, DueWorkKind, DueWorkState
from bot.db.session import SessionFactory
from bot.services import nudges, people
from tests.conftest import SE1, START, TEAM_ID


def add_row(session: Session, key: str, due_in: timedelta = timedelta(0)) -> DueWork | None:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    return nudges.schedule(
        session=session,
        workspace_id=workspace.id,
        kind=DueWorkKind.HANDOFF_ACKNOWLEDGE,
        key=key,
        recipient_slack_id=SE1,
        due_at=START + due_in,
        now=START,
    )


def test_a_key_is_scheduled_once(session: Session) -> None:
    assert add_row(session, "k") is not None
    assert add_row(session, "k") is None
    assert len(session.scalars(select(DueWork)).all()) == 1


def test_claim_takes_only_what_is_due(session: Session) -> None:
    add_row(session, "now")
    add_row(session, "later", timedelta(hours=1))
    claimed = nudges.claim(session=session, now=START, worker="w1")
    assert len(claimed) == 1
    assert nudges.claim(session=session, now=START, worker="w2") == []


def test_two_workers_never_claim_the_same_row(session_factory: SessionFactory) -> None:
    with session_factory.begin() as session:
        for n in range(20):
            add_row(session, f"row{n}")
    first, second = session_factory(), session_factory()
    try:
        won_first = nudges.claim(session=first, now=START, worker="w1", limit=12)
        first.commit()
        won_second = nudges.claim(session=second, now=START, worker="w2", limit=50)
        second.commit()
    finally:
        first.close()
        second.close()
    assert len(won_first) == 12 and len(won_second) == 8
    assert not set(won_first) & set(won_second)


def test_a_lost_claim_is_taken_again_after_the_lease(session: Session) -> None:
    add_row(session, "k")
    assert nudges.claim(session=session, now=START, worker="dead") != []
    assert nudges.claim(session=session, now=START + timedelta(minutes=1), worker="w2") == []
    later = START + nudges.CLAIM_LEASE + timedelta(seconds=1)
    assert nudges.claim(session=session, now=later, worker="w2") != []


def test_failures_back_off_then_give_up(session: Session) -> None:
    work = add_row(session, "k")
    assert work is not None
    now = START
    for attempt in range(1, nudges.MAX_ATTEMPTS + 1):
        assert nudges.claim(session=session, now=now, worker="w") == [work.id]
        session.refresh(work)
        assert work.attempts == attempt - 1  # a claim is not a send
        again = nudges.retry_later(session=session, work=work, error="ratelimited", now=now)
        session.flush()
        assert work.attempts == attempt
        if attempt < nudges.MAX_ATTEMPTS:
            assert again and work.due_at == now + nudges.backoff(attempt)
            now = work.due_at
        else:
            assert not again and work.state is DueWorkState.FAILED
    assert nudges.backoff(20) == timedelta(hours=1)


def test_many_rows_go_in_one_statement_and_known_keys_are_skipped(session: Session) -> None:
    workspace = people.workspace(session=session, slack_team_id=TEAM_ID, now=START)
    rows = [
        nudges.Due(DueWorkKind.HANDOFF_ACKNOWLEDGE, key, SE1, START + timedelta(hours=1), step=1)
        for key in ("a", "b", "c")
    ]
    first = add_row(session, "b")
    nudges.schedule_many(session=session, workspace_id=workspace.id, rows=rows, now=START)
    # "b" was there: skipped by the unique key, nothing rolled back, the old row kept
    keys = session.scalars(select(DueWork.dedupe_key).order_by(DueWork.dedupe_key)).all()
    assert keys == ["a", "b", "c"]
    assert first is not None
    kept = session.scalar(select(DueWork.step).where(DueWork.dedupe_key == "b"))
    assert kept is None  # not overwritten by the skipped row
    nudges.schedule_many(session=session, workspace_id=workspace.id, rows=rows, now=START)
    assert len(session.scalars(select(DueWork)).all()) == 3
