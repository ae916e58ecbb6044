"""Renaming and merging deals on a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.coaching.qualification import Answer
from bot.config import CallType, DealCoachConfig
from bot.db.models import (
    Call,
    Deal,
    DealEvent,
    DealEventKind,
    DealFramework,
    DueWork,
    DueWorkKind,
    DueWorkState,
    Handoff,
    Paraphrase,
    Person,
    QualificationAnswer,
    Snooze,
    Workspace,
)
from bot.services import deal_merge, deals, people
from bot.services.errors import InvalidInput, NotAllowed
from tests.conftest import MANAGER, REP, SE1, START, TEAM_ID


def someone(
    session: Session, config: DealCoachConfig, slack_id: str, team: str = TEAM_ID
) -> Person:
    workspace = people.workspace(session=session, slack_team_id=team, now=START)
    return people.person(
        session=session,
        workspace=workspace,
        slack_user_id=slack_id,
        config=config,
        now=START,
        profile=people.Profile(slack_id, slack_id.lower(), "Europe/Berlin"),
    )


def deal(session: Session, owner: Person, name: str) -> Deal:
    workspace = session.get_one(Workspace, owner.workspace_id)
    return deals.create(session=session, workspace=workspace, name=name, owner=owner, now=START)


def fill(session: Session, target: Deal, rep: Person, se: Person, *, prefix: str) -> None:
    """One of every row that points at a deal."""
    session.add(
        Handoff(
            workspace_id=target.workspace_id,
            deal_id=target.id,
            rep_id=rep.id,
            assignee_id=se.id,
            problem=f"{prefix} problem",
            rep_hours=4,
            created_at=START,
            updated_at=START,
        )
    )
    call = Call(
        workspace_id=target.workspace_id,
        deal_id=target.id,
        rep_id=rep.id,
        se_id=se.id,
        call_type=CallType.DEMO,
        starts_at=START + timedelta(days=1),
        length_minutes=30,
        created_at=START,
    )
    session.add(call)
    for version in (1, 2):
        session.add(
            Paraphrase(
                workspace_id=target.workspace_id,
                deal_id=target.id,
                author_id=rep.id,
                version=version,
                text=f"{prefix} paraphrase {version}",
                score=70,
                findings="[]",
                created_at=START,
            )
        )
    session.add(
        QualificationAnswer(
            deal_id=target.id,
            framework="default",
            item_key="economic_buyer",
            answer=Answer.NO,
            answered_by_id=rep.id,
            answered_at=START,
        )
    )
    session.add(
        DueWork(
            workspace_id=target.workspace_id,
            kind=DueWorkKind.QUALIFICATION_GAPS,
            dedupe_key=f"gaps:{prefix}",
            deal_id=target.id,
            recipient_slack_id=rep.slack_user_id,
            due_at=START + timedelta(days=2),
            created_at=START,
        )
    )
    session.add(
        Snooze(
            workspace_id=target.workspace_id,
            person_id=rep.id,
            subject=f"deal:{target.id}",
            until=START + timedelta(days=1),
            created_at=START,
        )
    )
    session.add(DealFramework(deal_id=target.id, framework="meddpicc", chosen_at=START))
    session.flush()


def count(session: Session, model: type, deal_id: int) -> int:
    return int(
        session.scalar(select(func.count()).select_from(model).where(model.deal_id == deal_id))  # type: ignore[attr-defined]
        or 0
    )


def test_merge_moves_every_dependent_row_and_records_who(
    session: Session, config: DealCoachConfig
) -> None:
    rep, se, manager = (someone(session, config, user) for user in (REP, SE1, MANAGER))
    typo, real = deal(session, rep, "Acme Crop"), deal(session, rep, "Acme Corp")
    fill(session, typo, rep, se, prefix="typo")
    fill(session, real, rep, se, prefix="real")
    typo_id, real_id = typo.id, real.id

    preview = deal_merge.preview(session=session, source=typo, target=real)
    assert (preview.handoffs, preview.calls, preview.paraphrases, preview.answers) == (1, 1, 2, 1)
    assert (preview.nudges, preview.snoozes, preview.framework_dropped) == (1, 1, True)
    assert session.get(Deal, typo_id) is not None  # a preview moves nothing

    later = START + timedelta(hours=1)
    deal_merge.merge(session=session, source=typo, target=real, actor=manager, now=later)

    assert session.get(Deal, typo_id) is None
    for model in (Handoff, Call, QualificationAnswer):
        assert count(session, model, real_id) == 2
        assert count(session, model, typo_id) == 0
    versions = session.execute(
        select(Paraphrase.version, Paraphrase.text)
        .where(Paraphrase.deal_id == real_id)
        .order_by(Paraphrase.version)
    ).all()
    assert [tuple(row) for row in versions] == [
        (1, "real paraphrase 1"),
        (2, "real paraphrase 2"),
        (3, "typo paraphrase 1"),
        (4, "typo paraphrase 2"),
    ]
    reminders = session.execute(
        select(DueWork.dedupe_key, DueWork.deal_id, DueWork.state).order_by(DueWork.dedupe_key)
    ).all()
    assert [tuple(row) for row in reminders] == [
        ("gaps:real", real_id, DueWorkState.DUE),
        ("gaps:typo", real_id, DueWorkState.CANCELLED),
    ]
    assert session.scalars(select(Snooze.subject)).all() == [f"deal:{real_id}"] * 2
    assert session.scalars(select(DealFramework.framework)).all() == ["meddpicc"]
    event = session.scalars(select(DealEvent)).one()
    assert (event.kind, event.deal_id, event.actor_id, event.at) == (
        DealEventKind.MERGED,
        real_id,
        manager.id,
        later,
    )
    assert json.loads(event.detail)["source_name"] == "Acme Crop"


def test_every_table_that_points_at_a_deal_moves_with_it() -> None:
    """Tables added later follow the deal without changing the merge (see _SPECIAL)."""
    moved = {column.table.name for column in deal_merge._plain_deal_references()}
    assert moved >= {"handoff", "call", "qualification_answer", "deal_event"}
    assert moved.isdisjoint({"paraphrase", "due_work", "deal_framework", "deal"})


def test_merge_keeps_the_targets_details_and_takes_the_missing_ones(
    session: Session, config: DealCoachConfig
) -> None:
    rep, manager = someone(session, config, REP), someone(session, config, MANAGER)
    source, target = deal(session, rep, "Initrode"), deal(session, rep, "Initech")
    source.amount, source.close_date = 40_000, (START + timedelta(days=30)).date()
    target.amount = 55_000
    deal_merge.merge(session=session, source=source, target=target, actor=manager, now=START)
    assert (target.amount, target.close_date) == (55_000, (START + timedelta(days=30)).date())


def test_merging_a_deal_into_itself_is_refused(session: Session, config: DealCoachConfig) -> None:
    rep = someone(session, config, REP)
    acme = deal(session, rep, "Acme Corp")
    with pytest.raises(InvalidInput, match="same deal"):
        deal_merge.merge(session=session, source=acme, target=acme, actor=rep, now=START)


def test_merging_across_workspaces_is_refused_and_moves_nothing(
    session: Session, config: DealCoachConfig
) -> None:
    rep, se = someone(session, config, REP), someone(session, config, SE1)
    elsewhere = someone(session, config, REP, team="T0OTHER01")
    ours, theirs = deal(session, rep, "Acme Corp"), deal(session, elsewhere, "Acme Corp")
    fill(session, ours, rep, se, prefix="ours")
    with pytest.raises(NotAllowed, match="different workspaces"):
        deal_merge.preview(session=session, source=ours, target=theirs)
    with pytest.raises(NotAllowed):
        deal_merge.merge(session=session, source=ours, target=theirs, actor=rep, now=START)
    assert count(session, Handoff, ours.id) == 1


def test_rename_records_the_old_name_and_refuses_a_taken_one(
    session: Session, config: DealCoachConfig
) -> None:
    rep, manager = someone(session, config, REP), someone(session, config, MANAGER)
    typo, _ = deal(session, rep, "Acme Crop"), deal(session, rep, "Acme Corp")
    with pytest.raises(InvalidInput, match="merge"):
        deal_merge.rename(
            session=session, deal=typo, new_name="ACME corp.", actor=manager, now=START
        )
    with pytest.raises(InvalidInput, match="Name the deal"):
        deal_merge.rename(session=session, deal=typo, new_name="  ", actor=manager, now=START)
    event = deal_merge.rename(
        session=session, deal=typo, new_name="Acme Cropping Ltd", actor=manager, now=START
    )
    assert (typo.name, typo.name_key) == ("Acme Cropping Ltd", "acme cropping ltd")
    assert json.loads(event.detail) == {"from": "Acme Crop", "to": "Acme Cropping Ltd"}
    assert session.scalar(select(func.count()).select_from(DealEvent)) == 1
