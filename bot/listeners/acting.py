"""Who is acting, in which workspace, in which transaction: the one opening every listener shares.

A global middleware (:func:`caller_middleware`) builds a :class:`Caller` once per request from
Bolt's context (team id and user id read there, nowhere else) and Bolt hands it to any
handler that takes a ``caller`` argument. ``with caller.acting() as (session, who)`` then
opens the step's one transaction with the acting person resolved.

Profiles come from ``users.info``; that call is made *before* a transaction opens, never
inside one, so a slow Slack answer never holds database locks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_bolt import BoltContext, BoltResponse
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.db.models import Person, Workspace
from bot.deps import Deps
from bot.services import people, preferences
from bot.slack.directory import fetch_profile

#: Where a step's session lists the people it stored (``Session.info``).
_SEEN = "dealcoach_people_seen"
#: Where it keeps the person ``acting(other=...)`` read beside the acting one.
_READ = "dealcoach_other_person"

#: Profiles fetched for a step, by Slack user id (only those that were missing or stale).
Profiles = Mapping[str, people.Profile]


@dataclass(frozen=True)
class Actor:
    """Who is acting, and where: resolved inside the caller's transaction."""

    workspace: Workspace
    person: Person


@dataclass(frozen=True)
class Caller:
    """The person behind one request, and what a handler needs to act as them."""

    deps: Deps
    client: WebClient
    team_id: str
    user_id: str
    #: Profiles this request fetched already, so one request asks Slack once per person
    #: (a form checks the caller's time zone before its ack; the step after it stores them).
    _fetched: dict[str, tuple[people.Profile, datetime]] = field(
        default_factory=dict, init=False, repr=False
    )

    def now(self) -> datetime:
        return self.deps.clock.now()

    def _fetch(self, slack_user_id: str, field_name: str) -> people.Profile:
        """``users.info``, unless this caller fetched it within the profile's lifetime."""
        now = self.now()
        known = self._fetched.get(slack_user_id)
        if known is not None and not people.profile_stale(known[1], now=now):
            return known[0]
        profile = fetch_profile(self.client, slack_user_id, field=field_name)
        self._fetched[slack_user_id] = (profile, now)
        return profile

    def profiles(self, others: Mapping[str, str] | None = None) -> Profiles:
        """``users.info`` for the caller and each of ``others`` (``{slack_user_id: form
        field}``) whose stored profile is missing or older than a day; looked up in a short
        read, fetched with no transaction open. Someone who is not a live human raises
        ``InvalidInput`` on their field."""
        wanted = {self.user_id: "rep"} | dict(others or {})
        now, known = self.now(), self.deps.profiles
        unsure = [uid for uid in wanted if not known.fresh(self.team_id, uid, now=now)]
        stale = []
        if unsure:
            with self.deps.reading() as session:  # nothing is written before the step
                workspace = people.find_workspace(session=session, slack_team_id=self.team_id)
                for slack_user_id in unsure:
                    found = (
                        people.find_person(
                            session=session, workspace=workspace, slack_user_id=slack_user_id
                        )
                        if workspace is not None
                        else None
                    )
                    if people.needs_profile(found, now=now):
                        stale.append(slack_user_id)
                    elif found is not None:
                        known.saw(self.team_id, slack_user_id, found.profile_fetched_at, now=now)
        return {uid: self._fetch(uid, wanted[uid]) for uid in stale}

    def preferences(self) -> preferences.Preferences:
        """The caller's time zone and working hours, for a check before the ack: read in a
        transaction that writes nothing, with the Slack profile fetched first when it is
        missing or stale (not stored here: the step after the ack stores it)."""
        profile = self.profiles().get(self.user_id)
        with self.deps.reading() as session:
            workspace = people.find_workspace(session=session, slack_team_id=self.team_id)
            found = (
                people.find_person(session=session, workspace=workspace, slack_user_id=self.user_id)
                if workspace is not None
                else None
            )
            stored = preferences.for_person(found, self.deps.config)
        if profile is None or profile.time_zone is None:
            return stored
        return replace(stored, tz=ZoneInfo(profile.time_zone))

    @contextmanager
    def acting(
        self, profiles: Profiles | None = None, *, other: str | None = None
    ) -> Iterator[tuple[Session, Actor]]:
        """One transaction with the acting person (created or refreshed as needed).

        ``profiles`` come from :meth:`profiles`. Without them, a person whose stored
        profile is fresh acts in the first transaction; otherwise that one ends, the profile
        is fetched with none open, and a new transaction starts. ``other``, someone the step
        names (a handoff's SE), is read in the same statement, for :meth:`person`.
        """
        if profiles is None:
            with self.deps.transaction() as session:
                member = self._member(session, other)
                fresh = member is not None and not people.needs_profile(member[1], now=self.now())
                if fresh:
                    assert member is not None
                    yield session, Actor(member[0], self._kept(session, member[1], None))
            if fresh:
                self._remember(session)
                return
            profiles = {self.user_id: self._fetch(self.user_id, "rep")}
        with self.deps.transaction() as session:
            member = self._member(session, other)
            if member is not None:
                workspace = member[0]
                me = self._kept(session, member[1], profiles.get(self.user_id))
            else:
                workspace = people.workspace(
                    session=session, slack_team_id=self.team_id, now=self.now()
                )
                me = self.person(session, workspace, self.user_id, profiles)
            yield session, Actor(workspace, me)
        self._remember(session)

    def _member(self, session: Session, other: str | None) -> tuple[Workspace, Person] | None:
        found = people.find_member(
            session=session, slack_team_id=self.team_id, slack_user_id=self.user_id, other=other
        )
        if found is None:
            return None
        workspace, me, someone = found
        if someone is not None:
            session.info[_READ] = someone
        return workspace, me

    def person(
        self, session: Session, workspace: Workspace, slack_user_id: str, profiles: Profiles
    ) -> Person:
        """Someone else named in the request, with the profile fetched beforehand."""
        read = session.info.get(_READ)
        if read is not None and read.slack_user_id == slack_user_id:
            return self._kept(session, read, profiles.get(slack_user_id))
        now = self.now()
        found = people.person(
            session=session,
            workspace=workspace,
            slack_user_id=slack_user_id,
            config=self.deps.config,
            now=now,
            profile=profiles.get(slack_user_id),
        )
        return self._noted(session, found)

    def _kept(self, session: Session, found: Person, profile: people.Profile | None) -> Person:
        """Someone found already (the acting person, or the one read beside them): role
        and profile brought up to date."""
        config, now = self.deps.config, self.now()
        people.refresh(session=session, person=found, config=config, now=now, profile=profile)
        return self._noted(session, found)

    def _noted(self, session: Session, found: Person) -> Person:
        seen = (found.slack_user_id, found.profile_fetched_at)
        session.info.setdefault(_SEEN, []).append(seen)  # remembered once committed
        return found

    def _remember(self, session: Session) -> None:
        """After the step's commit: the people it stored with fresh profiles."""
        now = self.now()
        for slack_user_id, fetched_at in session.info.get(_SEEN, ()):
            self.deps.profiles.saw(self.team_id, slack_user_id, fetched_at, now=now)


def caller_middleware(
    deps: Deps,
) -> Callable[[BoltContext, Callable[[], BoltResponse]], BoltResponse]:
    """Bolt middleware: the request's :class:`Caller` goes into ``context["caller"]``, and
    Bolt passes it to every handler that takes a ``caller`` argument."""

    def put_caller(context: BoltContext, next_: Callable[[], BoltResponse]) -> BoltResponse:
        if context.team_id and context.user_id and context.client is not None:
            context["caller"] = Caller(deps, context.client, context.team_id, context.user_id)
        return next_()

    return put_caller
