"""Undo a committed step's inserts, for when Slack refuses what the step was for.

A step that must not hold the database across a Slack call commits first and calls Slack
after; if Slack then refuses, :func:`undo` deletes the rows that step inserted (recorded
by :func:`recording_inserts`), newest first, so "nothing was saved" stays true. A shared
row (a workspace, a person, a deal) that another request has come to use in the
meantime is left in place: its delete is refused by a foreign key, or, for a workspace,
it still has people.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from sqlalchemy import delete, event, exists, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Person, Workspace

log = logging.getLogger("dealcoach.undo")

#: What a step inserted: (mapped class, primary key), oldest first.
Inserted = list[tuple[type[Any], tuple[Any, ...]]]


_RECORDING: ContextVar[Inserted | None] = ContextVar("undo_recording", default=None)


def _note(_session: Session | None, instance: Any) -> None:
    inserted = _RECORDING.get()
    if inserted is not None:
        identity = inspect(instance).identity
        if identity is not None:
            inserted.append((type(instance), tuple(identity)))


event.listen(Session, "pending_to_persistent", _note)


def note_inserted(instance: Any) -> None:
    """Record a row inserted outside the unit of work (an ORM ``INSERT … RETURNING``),
    as the session's insert event records the others."""
    _note(None, instance)


@contextmanager
def recording_inserts() -> Iterator[Inserted]:
    """Every ORM object this thread's sessions insert inside the block, in insert order."""
    inserted: Inserted = []
    token = _RECORDING.set(inserted)
    try:
        yield inserted
    finally:
        _RECORDING.reset(token)


def undo(session: Session, inserted: Inserted) -> None:
    """Delete what was inserted, newest first; a row someone else now uses is kept."""
    for model, key in reversed(inserted):
        columns = inspect(model).primary_key
        where = [column == value for column, value in zip(columns, key, strict=True)]
        if model is Workspace and session.scalar(
            select(exists().where(Person.workspace_id == key[0]))
        ):
            continue
        try:
            with session.begin_nested():
                session.execute(delete(model).where(*where))
        except IntegrityError:
            log.info("kept a row another request uses", extra={"table": model.__tablename__})
