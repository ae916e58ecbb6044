"""The Socket Mode stand-in, against a bare WebSocket client that plays the app.

The client is ``websockets``' own, so each rule the stand-in enforces is shown by an
app that breaks it on purpose: no ack, a late ack, two acks, a payload where none is
taken, a connection that dies before it acks.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect

from bot.standin import SlackStandIn
from bot.standin.envelopes import Envelope
from bot.standin.requests import event_callback, slash_command, view_submission
from bot.standin.socket_driver import envelope_for

COMMAND = {"command": "/handoff", "text": "Acme: SSO", "user_id": "U0REP0001"}


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn() as server:
        server.socket_mode.ack_timeout = 0.5  # short, so a missing ack shows fast
        yield server


def open_url(standin: SlackStandIn) -> str:
    response = WebClient(base_url=standin.api_url).apps_connections_open(
        app_token=standin.app_token
    )
    return str(response["url"])


@contextlib.contextmanager
def app_connects(standin: SlackStandIn) -> Iterator[tuple[ClientConnection, dict[str, Any]]]:
    """A fresh connection, and the hello it was greeted with."""
    with connect(open_url(standin), compression=None) as ws:
        yield ws, json.loads(ws.recv(timeout=5))


def deliver_in_background(
    standin: SlackStandIn, kind: str, payload: dict[str, Any], accepts: bool
) -> tuple[threading.Thread, list[Envelope]]:
    done: list[Envelope] = []

    def run() -> None:
        done.append(standin.socket_mode.deliver(kind, payload, accepts_response_payload=accepts))

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def test_connections_open_takes_only_the_app_level_token(standin: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=standin.api_url).apps_connections_open(app_token=standin.bot_token)
    assert raised.value.response["error"] == "not_allowed_token_type"
    with pytest.raises(SlackApiError) as raised:
        WebClient(base_url=standin.api_url).apps_connections_open(app_token="xapp-1-wrong")
    assert raised.value.response["error"] == "invalid_auth"
    with pytest.raises(SlackApiError) as raised:
        WebClient(token=standin.app_token, base_url=standin.api_url).chat_postMessage(
            channel="C1", text="hi"
        )
    assert raised.value.response["error"] == "not_allowed_token_type"
    url = open_url(standin)
    assert url.startswith("ws://127.0.0.1:") and "ticket=" in url and "app_id=A0STANDIN1" in url
    assert standin.violations == []


def test_hello_then_an_envelope_as_the_docs_show_it(standin: SlackStandIn) -> None:
    with app_connects(standin) as (ws, hello):
        assert hello["type"] == "hello" and hello["num_connections"] == 1
        assert hello["connection_info"] == {"app_id": "A0STANDIN1"}
        thread, done = deliver_in_background(standin, "slash_commands", COMMAND, True)
        frame = json.loads(ws.recv(timeout=5))
        assert set(frame) == {"envelope_id", "payload", "type", "accepts_response_payload"}
        assert frame["type"] == "slash_commands" and frame["payload"] == COMMAND
        ws.send(json.dumps({"envelope_id": frame["envelope_id"], "payload": {"text": "On it"}}))
        thread.join(timeout=5)
        (envelope,) = done
        assert envelope.acked and envelope.ack_payload == {"text": "On it"}
        assert standin.violations == []


def test_a_url_opens_one_connection_only(standin: SlackStandIn) -> None:
    url = open_url(standin)
    with connect(url, compression=None):
        pass
    with pytest.raises(InvalidStatus) as raised:
        connect(url, compression=None)
    assert raised.value.response.status_code == 401


def test_silence_twice_acked_and_stray_answers_are_violations(standin: SlackStandIn) -> None:
    with app_connects(standin) as (ws, _):
        thread, done = deliver_in_background(
            standin, "events_api", {"type": "event_callback"}, False
        )
        frame = json.loads(ws.recv(timeout=5))
        assert frame["retry_attempt"] == 0 and frame["retry_reason"] == ""
        thread.join(timeout=5)  # no ack within ack_timeout
        assert not done[0].acked
        envelope_id = frame["envelope_id"]
        assert standin.violations == [
            f"socket mode: events_api envelope {envelope_id} was not acknowledged within 0.5s"
        ]
        standin.violations.clear()

        thread, done = deliver_in_background(
            standin, "interactive", {"type": "block_actions"}, False
        )
        frame = json.loads(ws.recv(timeout=5))
        ws.send(json.dumps({"envelope_id": frame["envelope_id"], "payload": {"text": "no"}}))
        ws.send(json.dumps({"envelope_id": frame["envelope_id"]}))
        ws.send(json.dumps({"envelope_id": "never-sent"}))
        ws.send("not json")
        thread.join(timeout=5)
        standin.wait_until(lambda: len(standin.violations) == 4)
        envelope_id = frame["envelope_id"]
        assert [v.removeprefix("socket mode: ")[:60] for v in standin.violations] == [
            f"interactive envelope {envelope_id}: the ack has a payload; this takes none"[:60],
            f"interactive envelope {envelope_id} acknowledged twice"[:60],
            "an ack for envelope never-sent never sent",
            "the app sent something that is not JSON: 'not json'",
        ]


def test_view_submission_answers_are_checked(standin: SlackStandIn) -> None:
    with app_connects(standin) as (ws, _):
        for answer in ({"response_action": "errors", "errors": {"x": "y"}}, {"response": "nope"}):
            submission = {"type": "view_submission", "view": {}}
            thread, _ = deliver_in_background(standin, "interactive", submission, True)
            frame = json.loads(ws.recv(timeout=5))
            assert frame["accepts_response_payload"] is True
            ws.send(json.dumps({"envelope_id": frame["envelope_id"], "payload": answer}))
            thread.join(timeout=5)
        assert len(standin.violations) == 1 and "does not read" in standin.violations[0]


def test_what_a_lost_connection_never_acked_goes_out_once_more(standin: SlackStandIn) -> None:
    with app_connects(standin) as (first, _):
        thread, done = deliver_in_background(
            standin, "events_api", {"type": "event_callback"}, False
        )
        sent = json.loads(first.recv(timeout=5))
        first.close()  # gone before the ack
    with app_connects(standin) as (second, _):
        again = json.loads(second.recv(timeout=5))
        assert again["envelope_id"] == sent["envelope_id"] and again["retry_attempt"] == 1
        second.send(json.dumps({"envelope_id": again["envelope_id"]}))
        thread.join(timeout=5)
        (envelope,) = done
        assert envelope.acks == 1 and len(envelope.sent_on) == 2
        assert standin.violations == []


def test_disconnect_tells_each_connection_why_and_closes_it(standin: SlackStandIn) -> None:
    with app_connects(standin) as (ws, _):
        with pytest.raises(ValueError, match="not one of"):
            standin.socket_mode.disconnect("bored")
        assert standin.socket_mode.disconnect("warning", close_after=0.1) == 1
        message = json.loads(ws.recv(timeout=5))
        assert message["type"] == "disconnect" and message["reason"] == "warning"
        standin.socket_mode.wait_disconnected(timeout=5)
        # An envelope sent while no connection is up waits for the next one.
        thread, done = deliver_in_background(standin, "slash_commands", COMMAND, True)
    with app_connects(standin) as (ws, _):
        frame = json.loads(ws.recv(timeout=5))
        ws.send(json.dumps({"envelope_id": frame["envelope_id"]}))
        thread.join(timeout=5)
        assert done[0].acked and standin.violations == []


@pytest.mark.parametrize(
    ("body", "kind", "accepts"),
    [
        (
            slash_command(
                **{
                    **COMMAND,
                    "team_id": "T1",
                    "channel_id": "D1",
                    "trigger_id": "1",
                    "response_url": "http://x/",
                }
            ),
            "slash_commands",
            True,
        ),
        (view_submission(user_id="U1", team_id="T1", view={}, trigger_id="1"), "interactive", True),
        (event_callback(team_id="T1", event={"type": "app_home_opened"}), "events_api", False),
    ],
)
def test_http_bodies_become_envelopes(body: bytes, kind: str, accepts: bool) -> None:
    found, payload, takes_answer = envelope_for(body)
    assert (found, takes_answer) == (kind, accepts)
    assert payload.get("command") == "/handoff" or payload["type"] in {
        "view_submission",
        "event_callback",
    }


def test_a_command_lost_with_its_connection_is_not_sent_again(standin: SlackStandIn) -> None:
    """Slack retries events, not what a person did: they see an error and try again."""
    with app_connects(standin) as (first, _):
        thread, done = deliver_in_background(standin, "slash_commands", COMMAND, True)
        json.loads(first.recv(timeout=5))
        first.close()
    thread.join(timeout=5)
    (envelope,) = done
    assert envelope.lost and not envelope.acked and len(envelope.sent_on) == 1
    assert standin.violations == []
