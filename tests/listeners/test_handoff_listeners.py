"""/handoff's handlers, called as plain functions with a real database and the stand-in."""

from __future__ import annotations

import json
from typing import Any

import pytest
from slack_bolt import Ack
from sqlalchemy import Engine, event, select

from bot.db.models import Handoff, HandoffState
from bot.db.session import SessionFactory
from bot.listeners.acting import Caller
from bot.listeners.actions import handoff as handoff_actions
from bot.listeners.commands.handoff import handoff_command
from bot.listeners.views.handoff import new_handoff
from bot.slack.ids import Action, Callback, Field
from tests.conftest import REP, SE1
from tests.listeners.conftest import WatchedStandIn, as_someone


def command(text: str) -> dict[str, Any]:
    return {"command": "/handoff", "text": text, "user_id": REP, "trigger_id": "1.2.3"}


def handoffs(session_factory: SessionFactory) -> list[Handoff]:
    with session_factory() as session:
        return list(session.scalars(select(Handoff)))


@pytest.mark.usefixtures("known_deals")
def test_complete_text_creates_the_handoff_and_dms_the_se(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    ack = Ack()
    handoff_command(ack=ack, body=command(f"<@{SE1}|sam> Acme: SSO fails for EU"), caller=caller)
    assert ack.response is not None and ack.response.status == 200
    [handoff] = handoffs(session_factory)
    assert handoff.problem == "SSO fails for EU" and handoff.message_ts is not None
    assert "Acme" in standin.dm_messages(SE1)[-1].text
    # Both profiles were fetched, and never while a transaction held a connection.
    assert standin.connections_during_users_info == [0, 0]


@pytest.mark.usefixtures("known_deals")
def test_a_deal_named_in_any_case_is_found_in_the_handoffs_own_transaction(
    caller: Caller, engine: Engine, session_factory: SessionFactory
) -> None:
    begun: list[object] = []

    def count(connection: object) -> None:
        begun.append(connection)

    event.listen(engine, "begin", count)
    try:
        handoff_command(
            ack=Ack(), body=command(f"<@{SE1}|sam> acme corp: SSO fails"), caller=caller
        )
    finally:
        event.remove(engine, "begin", count)
    [handoff] = handoffs(session_factory)
    with session_factory() as session:
        assert session.merge(handoff).deal.name == "Acme Corp"
    # The profiles' short read, the handoff with its deal looked up, where the card went:
    # no transaction of its own to find the deal first.
    assert len(begun) == 3


@pytest.mark.usefixtures("known_deals")
def test_the_rep_and_the_se_are_read_in_one_statement(
    caller: Caller, engine: Engine, session_factory: SessionFactory
) -> None:
    handoff_command(ack=Ack(), body=command(f"<@{SE1}|sam> Acme: SSO fails"), caller=caller)
    people_read: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "person" in statement:
            people_read.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:  # both known now, with fresh profiles: no users.info, no short read first
        handoff_command(
            ack=Ack(), body=command(f"<@{SE1}|sam> Acme Corp: SAML fails"), caller=caller
        )
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert len(handoffs(session_factory)) == 2
    assert len(people_read) == 1, people_read


def test_the_list_is_private_and_creates_nobody(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    handoff_command(ack=Ack(), body=command("list"), caller=caller)
    assert "handoff" in standin.dm_messages(REP)[-1].text.lower()
    assert standin.calls_to("users.info") == []


def test_help_is_the_ack_itself(caller: Caller, standin: WatchedStandIn) -> None:
    ack = Ack()
    handoff_command(ack=ack, body=command("help"), caller=caller)
    assert ack.response is not None and "/handoff" in str(ack.response.body)
    assert standin.calls == []


def form(**values: dict[str, Any]) -> dict[str, Any]:
    state = {name: {name: value} for name, value in values.items()}
    return {"callback_id": Callback.HANDOFF_NEW.value, "state": {"values": state}}


def test_the_form_sends_field_errors_back_and_writes_nothing(
    caller: Caller, session_factory: SessionFactory
) -> None:
    ack = Ack()
    view = form(
        **{
            Field.DEAL.value: {"type": "plain_text_input", "value": ""},
            Field.PROBLEM.value: {"type": "plain_text_input", "value": "SSO fails"},
            Field.ASSIGNEE.value: {"type": "users_select", "selected_user": REP},
        }
    )
    new_handoff(ack=ack, view=view, caller=caller)
    assert ack.response is not None
    errors = json.loads(ack.response.body)["errors"]
    assert set(errors) == {Field.DEAL.value, Field.ASSIGNEE.value}
    assert handoffs(session_factory) == []


@pytest.mark.usefixtures("known_deals")
def test_accept_then_resolve_as_plain_calls(
    caller: Caller, standin: WatchedStandIn, session_factory: SessionFactory
) -> None:
    handoff_command(ack=Ack(), body=command(f"<@{SE1}|sam> Acme: SSO fails"), caller=caller)
    [handoff] = handoffs(session_factory)
    se = as_someone(caller, SE1)
    for action, state in (
        (Action.HANDOFF_ACCEPT, HandoffState.ACCEPTED),
        (Action.HANDOFF_RESOLVE, HandoffState.RESOLVED),
    ):
        body = {"actions": [{"action_id": action.value, "value": str(handoff.id)}]}
        handoff_actions.act_at_once(ack=Ack(), body=body, caller=se)
        assert handoffs(session_factory)[0].state is state
    assert len(standin.calls_to("chat.update")) == 2  # the card redrawn after each
