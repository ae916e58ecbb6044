"""Undoing a committed handoff when Slack refuses its card: its rows go, shared ones stay."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db import undo
from bot.db.models import Deal, DueWork, Handoff, HandoffEvent, Person, Workspace
from bot.db.session import SessionFactory
from bot.services.handoffs import HandoffDraft
from tests.conftest import SE2
from tests.services.test_handoffs import open_one


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_undo_deletes_everything_the_step_inserted(
    session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    with undo.recording_inserts() as inserted, session_factory.begin() as session:
        open_one(session, config)
    with session_factory.begin() as session:
        undo.undo(session, inserted)
    with session_factory() as session:
        for model in (Workspace, Person, Deal, Handoff, HandoffEvent, DueWork):
            assert count(session, model) == 0, model.__tablename__


def test_undo_keeps_what_another_request_has_come_to_use(
    session_factory: SessionFactory, config: DealCoachConfig
) -> None:
    with undo.recording_inserts() as inserted, session_factory.begin() as session:
        first = open_one(session, config)
    with session_factory.begin() as session:  # meanwhile: the same rep, the same deal
        open_one(session, config, HandoffDraft(deal_name="Acme Corp", problem="Exports"), se=SE2)
    with session_factory.begin() as session:
        undo.undo(session, inserted)
    with session_factory() as session:
        assert session.get(Handoff, first.id) is None
        assert count(session, Handoff) == 1 and count(session, Deal) == 1
        assert count(session, Workspace) == 1
        assert count(session, Person) == 2  # the rep and SE2 stay; SE1 was only the first's
