"""The acting context: who is acting, in which workspace, in one transaction."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from bot.clock import AdjustableClock
from bot.db.models import Person, Workspace
from bot.db.session import SessionFactory
from bot.listeners.acting import Caller
from bot.services.errors import InvalidInput
from tests.conftest import REP, SE1
from tests.listeners.conftest import WatchedStandIn, as_someone


def test_acting_creates_the_person_with_their_slack_profile(
    caller: Caller, session_factory: SessionFactory, standin: WatchedStandIn
) -> None:
    with caller.acting() as (_session, who):
        assert who.person.slack_user_id == REP
        assert who.workspace.slack_team_id == caller.team_id
    with session_factory() as session:
        person = session.scalars(select(Person)).one()
        assert (person.display_name, person.time_zone) == ("riley", "America/New_York")
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1
    assert len(standin.calls_to("users.info")) == 1
    assert standin.connections_during_users_info == [0]  # fetched between transactions


def test_users_info_is_called_with_no_transaction_open(
    caller: Caller, standin: WatchedStandIn
) -> None:
    profiles = caller.profiles({SE1: "assignee"})
    with caller.acting(profiles) as (session, who):
        caller.person(session, who.workspace, SE1, profiles)
    assert len(standin.connections_during_users_info) == 2
    assert standin.connections_during_users_info == [0, 0]


def test_a_fresh_profile_is_not_fetched_again_until_a_day_has_passed(
    caller: Caller, standin: WatchedStandIn, clock: AdjustableClock
) -> None:
    for _ in range(3):
        with caller.acting():
            pass
    assert len(standin.calls_to("users.info")) == 1
    clock.advance(timedelta(hours=25))
    with caller.acting():
        pass
    assert len(standin.calls_to("users.info")) == 2


def test_someone_slack_does_not_know_is_refused_before_anything_is_written(
    caller: Caller, session_factory: SessionFactory
) -> None:
    with pytest.raises(InvalidInput) as refused:
        as_someone(caller, "U0NOBODY1").profiles()
    assert list(refused.value.errors) == ["rep"]
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0


def test_preferences_before_the_ack_read_the_profile_and_write_nothing(
    caller: Caller, session_factory: SessionFactory, standin: WatchedStandIn
) -> None:
    prefs = caller.preferences()
    assert str(prefs.tz) == "America/New_York"  # from Slack: the person is new
    with session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Person)) == 0
    with caller.acting():  # the step after the ack stores them
        pass
    calls = len(standin.calls_to("users.info"))
    assert str(caller.preferences().tz) == "America/New_York"  # now read, and known fresh
    assert len(standin.calls_to("users.info")) == calls


def test_a_profile_is_remembered_as_fresh_only_once_committed(
    caller: Caller, standin: WatchedStandIn
) -> None:
    with pytest.raises(RuntimeError), caller.acting():
        raise RuntimeError("the step failed: nothing was stored")
    assert caller.profiles() != {}  # still unknown, so fetched again
    with caller.acting():
        pass
    assert caller.profiles() == {}  # stored and remembered: no read, no fetch


def test_one_request_asks_slack_once_per_person(caller: Caller, standin: WatchedStandIn) -> None:
    """A form reads the caller's time zone before its ack, the step after it stores them:
    the profile fetched for the first is the one the second stores."""
    caller.preferences()
    with caller.acting(caller.profiles()) as (_session, who):
        assert who.person.time_zone == "America/New_York"
    assert len(standin.calls_to("users.info")) == 1
