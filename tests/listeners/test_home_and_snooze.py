"""App Home and the snooze buttons, called as plain functions."""

from __future__ import annotations

from datetime import timedelta

from slack_bolt import Ack
from sqlalchemy import select

from bot.clock import AdjustableClock
from bot.db.models import Snooze
from bot.db.session import SessionFactory
from bot.listeners.acting import Caller
from bot.listeners.actions.snooze import snooze_for
from bot.listeners.events.home import home_opened
from bot.slack.ids import Action
from tests.conftest import REP
from tests.listeners.conftest import WatchedStandIn


def test_opening_the_home_tab_publishes_it(caller: Caller, standin: WatchedStandIn) -> None:
    home_opened(event={"tab": "home", "user": REP}, caller=caller)
    home = standin.home(REP)
    assert home is not None and "Assigned to you" in str(home)


def test_the_messages_tab_publishes_nothing(caller: Caller, standin: WatchedStandIn) -> None:
    home_opened(event={"tab": "messages", "user": REP}, caller=caller)
    assert standin.home(REP) is None


def test_snooze_for_a_day_is_recorded_and_confirmed(
    caller: Caller,
    standin: WatchedStandIn,
    session_factory: SessionFactory,
    clock: AdjustableClock,
) -> None:
    body = {"actions": [{"action_id": Action.SNOOZE_DAY.value, "value": "handoff:7"}]}
    snooze_for(ack=Ack(), body=body, caller=caller)
    with session_factory() as session:
        [snooze] = session.scalars(select(Snooze))
    assert snooze.subject == "handoff:7"
    assert abs(snooze.until - (clock.now() + timedelta(days=1))) < timedelta(minutes=1)
    assert "snooze" in standin.dm_messages(REP)[-1].text.lower()
