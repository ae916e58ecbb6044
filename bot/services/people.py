"""Workspaces and the people in them."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import DealCoachConfig
from bot.db.models import Person, Workspace

#: How long a Slack profile (name, time zone) is trusted before it is fetched again.
PROFILE_TTL = timedelta(hours=24)


@dataclass(frozen=True)
class Profile:
    """What the bot needs from a Slack user's profile."""

    slack_user_id: str
    display_name: str
    time_zone: str | None


class FreshProfiles:
    """Who, by workspace and Slack user id, this process knows has a profile fresher than
    :data:`PROFILE_TTL`, so a request about them skips the read that would say so.

    Only "fresh" is remembered, and for at most :attr:`TRUST` (another replica may have
    removed a workspace's people meanwhile); a miss means one short read, as before."""

    TRUST = timedelta(minutes=5)
    #: Past this many entries the memory starts again (a few MB; a team has far fewer).
    MOST = 50_000

    def __init__(self) -> None:
        self._until: dict[tuple[str, str], datetime] = {}
        self._lock = threading.Lock()

    def fresh(self, team_id: str, slack_user_id: str, *, now: datetime) -> bool:
        until = self._until.get((team_id, slack_user_id))
        return until is not None and now < until

    def saw(
        self, team_id: str, slack_user_id: str, fetched_at: datetime | None, *, now: datetime
    ) -> None:
        """Remember a profile fetched at ``fetched_at`` as fresh until it is not (or until
        :attr:`TRUST` ends, whichever is first)."""
        if fetched_at is None:
            return
        until = min(fetched_at + PROFILE_TTL, now + self.TRUST)
        if until > now:
            with self._lock:
                if len(self._until) >= self.MOST:
                    self._until.clear()
                self._until[(team_id, slack_user_id)] = until

    def forget(self, team_id: str) -> None:
        """A workspace uninstalled: what was known about its people no longer holds."""
        with self._lock:
            for key in [key for key in self._until if key[0] == team_id]:
                del self._until[key]


#: The two lookups nearly every request makes, built once (values bound at execution).
_WORKSPACE = select(Workspace).where(Workspace.slack_team_id == bindparam("team"))
_PERSON = select(Person).where(
    Person.workspace_id == bindparam("workspace"), Person.slack_user_id == bindparam("user")
)
_MEMBERS = (
    select(Workspace, Person)
    .join(Person, Person.workspace_id == Workspace.id)
    .where(
        Workspace.slack_team_id == bindparam("team"),
        Person.slack_user_id.in_([bindparam("user"), bindparam("other")]),
    )
)


def find_workspace(*, session: Session, slack_team_id: str) -> Workspace | None:
    """The workspace if it is known already; writes nothing (see :func:`workspace`)."""
    return session.scalar(_WORKSPACE, {"team": slack_team_id})


def workspace(*, session: Session, slack_team_id: str, now: datetime) -> Workspace:
    found = find_workspace(session=session, slack_team_id=slack_team_id)
    if found is None:
        try:
            with session.begin_nested():
                found = Workspace(slack_team_id=slack_team_id, created_at=now)
                session.add(found)
        except IntegrityError:  # a request for the same new workspace won the race
            found = session.scalars(_WORKSPACE, {"team": slack_team_id}).one()
    return found


def find_person(*, session: Session, workspace: Workspace, slack_user_id: str) -> Person | None:
    return session.scalar(_PERSON, {"workspace": workspace.id, "user": slack_user_id})


def find_member(
    *, session: Session, slack_team_id: str, slack_user_id: str, other: str | None = None
) -> tuple[Workspace, Person, Person | None] | None:
    """A known person and their workspace, in one statement: who acts in nearly every
    request; with ``other``, that person too if known (the SE a handoff goes to)."""
    values = {"team": slack_team_id, "user": slack_user_id, "other": other or slack_user_id}
    rows = session.execute(_MEMBERS, values).all()
    found = {person.slack_user_id: person for _workspace, person in rows}
    if slack_user_id not in found:
        return None
    return rows[0][0], found[slack_user_id], found.get(other) if other else None


def needs_profile(person: Person | None, *, now: datetime) -> bool:
    return person is None or profile_stale(person.profile_fetched_at, now=now)


def profile_stale(fetched_at: datetime | None, *, now: datetime) -> bool:
    """Whether a profile fetched then (or never) is to be fetched again."""
    return fetched_at is None or now - fetched_at > PROFILE_TTL


def person(
    *,
    session: Session,
    workspace: Workspace,
    slack_user_id: str,
    config: DealCoachConfig,
    now: datetime,
    profile: Profile | None = None,
) -> Person:
    """The person with this Slack id, created if new; role from config, profile if given."""
    found = find_person(session=session, workspace=workspace, slack_user_id=slack_user_id)
    if found is None:
        try:
            with session.begin_nested():
                found = Person(
                    workspace_id=workspace.id,
                    slack_user_id=slack_user_id,
                    display_name="",
                    created_at=now,
                )
                session.add(found)
        except IntegrityError:  # a request about the same new person won the race
            found = find_person(session=session, workspace=workspace, slack_user_id=slack_user_id)
            assert found is not None
    return refresh(session=session, person=found, config=config, now=now, profile=profile)


def refresh(
    *,
    session: Session,
    person: Person,
    config: DealCoachConfig,
    now: datetime,
    profile: Profile | None,
) -> Person:
    """A stored person's role from config, and their profile if given (flushed only when
    something changed)."""
    role = config.role_of(person.slack_user_id)
    if person.role != role:  # assigning the same value would still cost a flush
        person.role = role
    if profile is not None:
        person.display_name = profile.display_name
        person.time_zone = profile.time_zone
        person.profile_fetched_at = now
    if person in session.dirty:
        session.flush()
    return person
