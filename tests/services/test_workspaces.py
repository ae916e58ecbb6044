"""Uninstalling forgets exactly one workspace: its tokens at once, its data after the grace."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.base import Base
from bot.db.models import Deal, DueWork, DueWorkState, Handoff, HandoffEvent, Person, Workspace
from bot.db.slack_tables import BOTS_TABLE
from bot.services import handoffs, people, workspaces
from bot.services.handoffs import HandoffDraft
from tests.conftest import REP, SE1, START

GONE, STAYS = "T0GONE001", "T0STAYS01"
GRACE = timedelta(days=30)


def hand_off(session: Session, config: DealCoachConfig, team_id: str) -> None:
    workspace = people.workspace(session=session, slack_team_id=team_id, now=START)

    def someone(slack_id: str) -> Person:
        profile = people.Profile(slack_id, slack_id.lower(), "Europe/Berlin")
        return people.person(
            session=session,
            workspace=workspace,
            slack_user_id=slack_id,
            config=config,
            now=START,
            profile=profile,
        )

    handoffs.open(
        session=session,
        workspace=workspace,
        rep=someone(REP),
        assignee=someone(SE1),
        draft=HandoffDraft(deal_name="Acme Corp", problem="SSO with Okta fails for EU users"),
        config=config,
        now=START,
    )
    bots = Base.metadata.tables[BOTS_TABLE]
    session.execute(
        insert(bots).values(
            client_id="c", app_id="A1", team_id=team_id, bot_token="sealed", installed_at=START
        )
    )
    session.flush()


def rows_of(session: Session, team_id: str) -> dict[str, int]:
    workspace = select(Workspace.id).where(Workspace.slack_team_id == team_id).scalar_subquery()
    bots = Base.metadata.tables[BOTS_TABLE]

    def count(model: type, where: object) -> int:
        return session.scalar(select(func.count()).select_from(model).where(where)) or 0  # type: ignore[arg-type]

    return {
        "workspace": count(Workspace, Workspace.slack_team_id == team_id),
        "person": count(Person, Person.workspace_id == workspace),
        "deal": count(Deal, Deal.workspace_id == workspace),
        "handoff": count(Handoff, Handoff.workspace_id == workspace),
        "handoff_event": session.scalar(
            select(func.count())
            .select_from(HandoffEvent)
            .join(Handoff)
            .where(Handoff.workspace_id == workspace)
        )
        or 0,
        "due_work": count(DueWork, DueWork.workspace_id == workspace),
        "bot_tokens": session.scalar(
            select(func.count()).select_from(bots).where(bots.c.team_id == team_id)
        )
        or 0,
    }


def test_uninstall_drops_tokens_at_once_and_data_after_the_grace_period(
    session: Session, config: DealCoachConfig
) -> None:
    hand_off(session, config, GONE)
    hand_off(session, config, STAYS)
    before = rows_of(session, STAYS)
    assert all(before.values()) and rows_of(session, GONE) == before

    workspaces.uninstalled(session=session, team_id=GONE, now=START, grace=GRACE)
    kept = rows_of(session, GONE)
    assert kept["bot_tokens"] == 0 and kept["person"] == before["person"]
    assert (
        session.scalars(
            select(DueWork.state).join(Workspace).where(Workspace.slack_team_id == GONE)
        ).all()
        == [DueWorkState.CANCELLED] * before["due_work"]
    )

    assert (
        workspaces.forget_due(session=session, now=START + GRACE - timedelta(1), grace=GRACE) == []
    )
    forgotten = workspaces.forget_due(session=session, now=START + GRACE, grace=GRACE)
    assert [f.team_id for f in forgotten] == [GONE]
    assert set(rows_of(session, GONE).values()) == {0}
    assert rows_of(session, STAYS) == before
    assert {s for s in session.scalars(select(DueWork.state))} == {DueWorkState.DUE}


def test_zero_grace_and_forget_by_hand_remove_everything_at_once(
    session: Session, config: DealCoachConfig
) -> None:
    hand_off(session, config, GONE)
    hand_off(session, config, STAYS)
    before = rows_of(session, STAYS)
    done = workspaces.uninstalled(session=session, team_id=GONE, now=START, grace=timedelta(0))
    assert done.data and done.token_rows == 1
    assert set(rows_of(session, GONE).values()) == {0}
    assert rows_of(session, STAYS) == before
    assert workspaces.forget(session=session, team_id=STAYS).data
    assert set(rows_of(session, STAYS).values()) == {0}


def test_every_table_of_ours_is_reached_from_its_workspace() -> None:
    from bot.services.workspaces import _belongs_to

    unreached = {t.name for t in Base.metadata.sorted_tables if _belongs_to(t, 1) is None}
    # seen_request holds replay keys of every workspace; each expires within the hour
    assert unreached == {
        "workspace",
        "slack_bots",
        "slack_installations",
        "slack_oauth_states",
        "seen_request",
    }
