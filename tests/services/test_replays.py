"""Seen keys: the first insert wins, a second is refused, and expired keys are pruned."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import SeenRequest
from bot.services import replays
from tests.conftest import START


def test_a_key_counts_once_until_it_expires(session: Session) -> None:
    connection = session.connection()
    assert replays.first_time(connection=connection, key="trigger:T1:1.2.3", now=START)
    assert not replays.first_time(connection=connection, key="trigger:T1:1.2.3", now=START)
    assert replays.first_time(connection=connection, key="trigger:T1:9.9.9", now=START)
    later = START + replays.KEEP_FOR
    assert replays.first_time(connection=connection, key="trigger:T1:1.2.3", now=later)
    assert not replays.first_time(connection=connection, key="trigger:T1:1.2.3", now=later)


def test_prune_forgets_only_expired_keys(session: Session) -> None:
    connection = session.connection()
    replays.first_time(connection=connection, key="event:T1:Ev1", now=START)
    half_way = START + replays.KEEP_FOR / 2
    replays.first_time(connection=connection, key="event:T1:Ev2", now=half_way)
    assert replays.prune(connection=connection, now=START + replays.KEEP_FOR) == 1
    assert session.scalar(select(func.count()).select_from(SeenRequest)) == 1
    assert list(session.scalars(select(SeenRequest.key))) == ["event:T1:Ev2"]
