"""The last resort: a failure is logged and the person told privately, and when Slack
cannot take that reply either, the failure is still only logged (never a second error)."""

from __future__ import annotations

import logging
import socket

import pytest
from slack_sdk import WebClient

from bot.slack.errors import report


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_reply_slack_cannot_take_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    nowhere = f"http://127.0.0.1:{closed_port()}"
    response_url = f"{nowhere}/commands/T1/123/secret-part"
    body = {"command": "/handoff", "user_id": "U1", "response_url": response_url}
    with caplog.at_level(logging.INFO):
        report(RuntimeError("the database went away"), body, WebClient(base_url=f"{nowhere}/api/"))
    ours = [record for record in caplog.records if record.name.startswith("dealcoach")]
    messages = [record.getMessage() for record in ours]
    assert "listener failed; the user was told nothing was saved" in messages
    assert any("could not tell the person" in message for message in messages)
    # The response URL lets anyone post into the person's channel: never in our lines.
    assert not any("secret-part" in str(vars(record)) for record in ours)
