"""What every listener and job needs, built once per process and passed in (never global)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from bot.clock import Clock
from bot.config import DealCoachConfig
from bot.db.session import SessionFactory, autocommitted, transaction
from bot.services.people import FreshProfiles

if TYPE_CHECKING:
    from bot.crm.interface import Crm


@dataclass(frozen=True)
class Deps:
    config: DealCoachConfig
    session_factory: SessionFactory
    clock: Clock
    #: The configured CRM (``crm:`` in dealcoach.yaml), for fetching a deal not yet synced.
    crm: Crm | None = None

    #: Who this process knows has a fresh Slack profile (see :class:`FreshProfiles`).
    profiles: FreshProfiles = field(default_factory=FreshProfiles)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.session_factory) as session:
            yield session

    @contextmanager
    def statements(self) -> Iterator[Connection]:
        """A connection whose every statement commits on its own, with no ORM session and
        no BEGIN or COMMIT around it: for a step that is one statement and runs on every
        request (the replay guard, a new card's place)."""
        with autocommitted(self.session_factory.kw["bind"]) as connection:
            yield connection

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A transaction that only reads: on SQLite it never waits for the write lock."""
        with transaction(self.session_factory, read_only=True) as session:
            yield session
