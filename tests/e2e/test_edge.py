"""The gate at /slack/events: 401 unsigned or stale, 400 signed but malformed, never a 500.

Every case goes over HTTP to the real app; none may reach a listener (no Slack call, no
row), and each refusal leaves exactly one log line naming what was wrong.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import logging
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.db.base import Base
from tests.conftest import REP, TEAM_ID
from tests.e2e.conftest import SIGNING_SECRET, Bot

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
USER = {"id": REP, "username": "riley", "team_id": TEAM_ID}
NO = object()  # "leave this header out"


def signed(body: bytes, *, stamp: Any = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    stamp = str(int(time.time()) if stamp is None else stamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest.hexdigest()}"}


def post(bot: Bot, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    url = urlsplit(bot.slack.events_url)
    connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=10)
    try:
        connection.putrequest("POST", url.path, skip_accept_encoding=True)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            connection.putheader(name, value)
        connection.endheaders(body)
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def form(**fields: Any) -> bytes:
    return urlencode(fields).encode()


def interaction(payload: Any) -> bytes:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return form(payload=text)


def event(body: Any) -> bytes:
    return body.encode() if isinstance(body, str) else json.dumps(body).encode()


COMMAND = {
    "team_id": TEAM_ID,
    "user_id": REP,
    "command": "/handoff",
    "text": "Acme: SSO",
    "trigger_id": "1.2.abc",
    "response_url": "http://127.0.0.1:9/x",
}
ACTION = {"action_id": "handoff_accept", "block_id": "b", "type": "button", "value": "1"}
BLOCK_ACTIONS = {
    "type": "block_actions",
    "user": USER,
    "team": {"id": TEAM_ID},
    "actions": [ACTION],
}
VIEW = {"id": "V1", "callback_id": "handoff_new", "state": {"values": {}}}
SUBMISSION = {"type": "view_submission", "user": USER, "team": {"id": TEAM_ID}, "view": VIEW}
EVENT = {"type": "event_callback", "team_id": TEAM_ID, "event_id": "Ev1", "event": {"type": "x"}}


def without(mapping: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in mapping.items() if k != key}


def changed(mapping: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {**mapping, **fields}


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    status: int
    content_type: Any = FORM
    sign: bool = True
    stamp: Any = None
    extra: tuple[tuple[str, str], ...] = ()


STALE = int(time.time()) - 600
CASES = [
    # Not signed as Slack signs: 401, even when the body is also broken.
    Case("unsigned command", form(**COMMAND), 401, sign=False),
    Case("unsigned broken payload", form(payload="{nope"), 401, sign=False),
    Case("unsigned [] as JSON", b"[]", 401, JSON, sign=False),
    Case("unsigned non-UTF-8", b"\xff\xfe\x00", 401, sign=False),
    Case("unsigned empty body", b"", 401, sign=False),
    Case("unsigned event not an object", event(changed(EVENT, event=3)), 401, JSON, sign=False),
    Case("stale timestamp", form(**COMMAND), 401, stamp=STALE),
    Case("timestamp from the future", form(**COMMAND), 401, stamp=int(time.time()) + 600),
    Case("timestamp not a number", form(**COMMAND), 401, stamp="soon"),
    Case("timestamp negative", form(**COMMAND), 401, stamp=-5),
    Case("timestamp enormous", form(**COMMAND), 401, stamp="9" * 40),
    Case("timestamp with a space", form(**COMMAND), 401, stamp=" 1700000000"),
    Case("timestamp as a float", form(**COMMAND), 401, stamp=f"{time.time():.3f}"),
    Case(
        "signature only", form(**COMMAND), 401, sign=False, extra=(("X-Slack-Signature", "v0=ab"),)
    ),
    Case(
        "timestamp only",
        form(**COMMAND),
        401,
        sign=False,
        extra=(("X-Slack-Request-Timestamp", str(int(time.time()))),),
    ),
    Case("wrong secret", form(**COMMAND), 401, extra=(("X-Slack-Signature", "v0=" + "0" * 64),)),
    Case("v1 scheme", form(**COMMAND), 401, extra=(("X-Slack-Signature", "v1=abc"),)),
    Case("empty signature", form(**COMMAND), 401, extra=(("X-Slack-Signature", ""),)),
    Case("non-ASCII signature", form(**COMMAND), 401, extra=(("X-Slack-Signature", "v0=\xe9"),)),
    # Signed, but not a body Slack sends: 400.
    Case("broken JSON in payload", form(payload="{nope"), 400),
    Case("payload []", interaction([]), 400),
    Case("payload null", interaction(None), 400),
    Case("payload a string", interaction("just text"), 400),
    Case("payload a number", interaction(12), 400),
    Case("payload empty", form(payload=""), 400),
    Case("payload without type", interaction(without(BLOCK_ACTIONS, "type")), 400),
    Case("payload unknown type", interaction(changed(BLOCK_ACTIONS, type="lunch")), 400),
    Case("payload type a number", interaction(changed(BLOCK_ACTIONS, type=5)), 400),
    Case("block_actions actions []", interaction(changed(BLOCK_ACTIONS, actions=[])), 400),
    Case("block_actions no actions", interaction(without(BLOCK_ACTIONS, "actions")), 400),
    Case("block_actions actions text", interaction(changed(BLOCK_ACTIONS, actions="x")), 400),
    Case("block_actions action a number", interaction(changed(BLOCK_ACTIONS, actions=[5])), 400),
    Case(
        "block_actions action without id",
        interaction(changed(BLOCK_ACTIONS, actions=[without(ACTION, "action_id")])),
        400,
    ),
    Case(
        "block_actions action id a list",
        interaction(changed(BLOCK_ACTIONS, actions=[changed(ACTION, action_id=["a"])])),
        400,
    ),
    Case("block_actions no user", interaction(without(BLOCK_ACTIONS, "user")), 400),
    Case("block_actions user text", interaction(changed(BLOCK_ACTIONS, user=REP)), 400),
    Case("block_actions user no id", interaction(changed(BLOCK_ACTIONS, user={"id": ""})), 400),
    Case("block_actions team text", interaction(changed(BLOCK_ACTIONS, team="T1")), 400),
    Case("view_submission no view", interaction(without(SUBMISSION, "view")), 400),
    Case("view_submission view text", interaction(changed(SUBMISSION, view="V1")), 400),
    Case(
        "view_submission view no id",
        interaction(changed(SUBMISSION, view=without(VIEW, "id"))),
        400,
    ),
    Case(
        "view_submission callback a number",
        interaction(changed(SUBMISSION, view=changed(VIEW, callback_id=7))),
        400,
    ),
    Case(
        "view_submission values a list",
        interaction(changed(SUBMISSION, view=changed(VIEW, state={"values": []}))),
        400,
    ),
    Case(
        "view_submission state text",
        interaction(changed(SUBMISSION, view=changed(VIEW, state="x"))),
        400,
    ),
    Case(
        "view_closed no view",
        interaction(without(changed(SUBMISSION, type="view_closed"), "view")),
        400,
    ),
    Case(
        "block_suggestion no action_id",
        interaction(changed(BLOCK_ACTIONS, type="block_suggestion")),
        400,
    ),
    Case("JSON []", b"[]", 400, JSON),
    Case("JSON null", b"null", 400, JSON),
    Case("JSON broken", b'{"type": "event_callback"', 400, JSON),
    Case("JSON with a BOM", "\ufeff".encode() + event(EVENT), 400, JSON),
    Case("JSON without type", event(without(EVENT, "type")), 400, JSON),
    Case("JSON unknown type", event(changed(EVENT, type="gossip")), 400, JSON),
    Case("event not an object", event(changed(EVENT, event="app_home_opened")), 400, JSON),
    Case("event a list", event(changed(EVENT, event=[])), 400, JSON),
    Case("event without type", event(changed(EVENT, event={"user": REP})), 400, JSON),
    Case("event missing", event(without(EVENT, "event")), 400, JSON),
    Case("event_callback no event_id", event(without(EVENT, "event_id")), 400, JSON),
    Case("event_callback team a number", event(changed(EVENT, team_id=5)), 400, JSON),
    Case("url_verification no challenge", event({"type": "url_verification"}), 400, JSON),
    Case("non-UTF-8 form", b"command=%2Fhandoff&text=\xff\xfe", 400),
    Case("non-UTF-8 JSON", b'{"type": "\xff"}', 400, JSON),
    Case("form body labelled JSON", form(**COMMAND), 400, JSON),
    Case("form payload labelled JSON", interaction(BLOCK_ACTIONS), 400, JSON),
    Case("JSON labelled form", event(EVENT), 400, FORM),
    Case("text/plain", form(**COMMAND), 400, "text/plain"),
    Case("no content type", form(**COMMAND), 400, NO),
    Case("multipart", form(**COMMAND), 400, "multipart/form-data; boundary=x"),
    Case("empty signed body", b"", 400),
    Case("command missing", form(**without(COMMAND, "command")), 400),
    Case("command without slash", form(**changed(COMMAND, command="handoff")), 400),
    Case("command no user", form(**without(COMMAND, "user_id")), 400),
    Case("command no team", form(**without(COMMAND, "team_id")), 400),
    Case("command no trigger", form(**without(COMMAND, "trigger_id")), 400),
    Case("command repeated", form(**COMMAND) + b"&command=%2Fqualify", 400),
    Case("form field without =", b"command", 400),
    Case("body over a megabyte", form(**changed(COMMAND, text="x" * 1_100_000)), 400),
]


def rows(bot: Bot) -> int:
    with bot.session_factory() as session:
        return sum(
            session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        )


def test_the_table_has_enough_cases() -> None:
    assert len(CASES) >= 60
    assert len({case.name for case in CASES}) == len(CASES)


def test_malformed_or_unsigned_requests_are_refused_before_any_listener(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    """All cases against one running bot (one server, one database), each checked alone."""
    wrong: list[str] = []
    caplog.set_level(logging.INFO, logger="dealcoach")
    for case in CASES:
        caplog.clear()
        headers = signed(case.body, stamp=case.stamp) if case.sign else {}
        if case.content_type is not NO:
            headers["Content-Type"] = case.content_type
        headers.update(case.extra)
        status, answer = post(bot, case.body, headers)
        bot.settle()
        refusals = [r for r in caplog.records if r.name == "dealcoach.web"]
        if status != case.status:
            wrong.append(f"{case.name}: {status}, not {case.status}: {answer[:120]}")
        if len(refusals) != 1 or not getattr(refusals[0], "reason", ""):
            wrong.append(f"{case.name}: {len(refusals)} refusal log lines, not 1")
        if [r for r in caplog.records if r.levelno >= logging.ERROR]:
            wrong.append(f"{case.name}: logged an error")
        if bot.standin.calls:
            wrong.append(f"{case.name}: reached a listener ({bot.standin.calls[0].method})")
    assert wrong == []
    assert rows(bot) == 0


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.dictionaries(
        st.sampled_from(["type", "user", "team", "actions", "view", "trigger_id", "event"]),
        JSONISH,
    ),
    as_event=st.booleans(),
    raw=st.binary(max_size=40),
)
def test_fuzzed_signed_bodies_never_get_a_server_error(
    bot: Bot, payload: dict[str, Any], as_event: bool, raw: bytes
) -> None:
    for body, content_type in (
        (event(payload) if as_event else interaction(payload), JSON if as_event else FORM),
        (raw, FORM),
        (raw, JSON),
    ):
        status, answer = post(bot, body, {**signed(body), "Content-Type": content_type})
        assert status < 500, answer
    bot.settle()
