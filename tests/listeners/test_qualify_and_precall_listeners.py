"""/qualify, /precall and /coach handlers, called as plain functions."""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from slack_bolt import Ack
from sqlalchemy import select

from bot.db.models import Call, Deal, Person
from bot.db.session import SessionFactory
from bot.listeners.acting import Caller
from bot.listeners.commands.precall import precall_command
from bot.listeners.commands.qualify import qualify_command
from bot.listeners.views.coach import save_settings
from bot.slack.ids import Callback, Field
from tests.conftest import REP, SE1
from tests.listeners.conftest import WatchedStandIn


def command(name: str, text: str) -> dict[str, Any]:
    return {"command": name, "text": text, "user_id": REP, "trigger_id": "1.2.3"}


def test_qualify_an_unknown_deal_opens_the_new_deal_form_and_writes_no_deal(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    trigger = standin.new_trigger_id(REP)
    qualify_command(
        ack=Ack(), body={**command("/qualify", "Initech"), "trigger_id": trigger}, caller=caller
    )
    [opened] = standin.calls_to("views.open")
    assert opened.args["view"]["callback_id"] == Callback.QUALIFY_NEW_DEAL.value
    with session_factory() as session:
        assert session.scalars(select(Deal)).all() == []


@pytest.mark.usefixtures("known_deals")
def test_precall_schedules_the_call_and_tells_the_se(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    precall_command(
        ack=Ack(), body=command("/precall", f"Acme tomorrow 10am <@{SE1}|sam>"), caller=caller
    )
    with session_factory() as session:
        [call] = session.scalars(select(Call))
        assert call.se is not None and call.se.slack_user_id == SE1
    assert standin.dm_messages(SE1), "the SE hears about the call"
    # The SE's profile came from users.info before the transaction that saved the call.
    assert standin.connections_during_users_info == [0, 0]


def test_precall_with_words_it_cannot_read_answers_privately_and_saves_nothing(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    precall_command(ack=Ack(), body=command("/precall", "Acme"), caller=caller)
    assert standin.dm_messages(REP)
    with session_factory() as session:
        assert session.scalars(select(Call)).all() == []


def settings_view(start: str | None, end: str | None) -> dict[str, Any]:
    def picked(field: Field, value: str | None) -> dict[str, Any]:
        return {field.value: {field.value: {"type": "timepicker", "selected_time": value}}}

    days = {
        Field.WORK_DAYS.value: {
            Field.WORK_DAYS.value: {"selected_options": [{"value": "mon"}, {"value": "tue"}]}
        }
    }
    values = picked(Field.WORK_START, start) | picked(Field.WORK_END, end) | days
    return {"callback_id": Callback.COACH_SETTINGS.value, "state": {"values": values}}


def test_settings_save_or_send_the_field_back(
    caller: Caller, session_factory: SessionFactory
) -> None:
    ack = Ack()
    save_settings(ack=ack, view=settings_view("08:00", None), caller=caller)
    assert ack.response is not None and "errors" in str(ack.response.body)
    ack = Ack()
    save_settings(ack=ack, view=settings_view("08:00", "16:00"), caller=caller)
    assert ack.response is not None and "errors" not in str(ack.response.body)
    with session_factory() as session:
        person = session.scalars(select(Person).where(Person.slack_user_id == REP)).one()
        assert person.work_start == time(8, 0)
