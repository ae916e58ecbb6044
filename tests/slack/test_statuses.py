"""Slack statuses are read with users.info from the stand-in over HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.clock import AdjustableClock
from bot.coaching.away import SlackStatus
from bot.slack.statuses import fetch_statuses
from bot.standin import SlackStandIn
from tests.conftest import START


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    with SlackStandIn(clock=AdjustableClock(start=START)) as standin:
        standin.add_user("U0SE00001", "ana", status_text="Vacation", status_emoji=":palm_tree:")
        standin.add_user("U0SE00002", "ben")
        yield standin
        assert standin.violations == []


def test_statuses_are_read_per_user_and_unknown_users_left_out(standin: SlackStandIn) -> None:
    client = WebClient(token=standin.bot_token, base_url=standin.api_url)
    statuses = fetch_statuses(client, ["U0SE00001", "U0SE00002", "U0SE00009", "U0SE00001"])
    assert statuses == {
        "U0SE00001": SlackStatus(text="Vacation", emoji=":palm_tree:"),
        "U0SE00002": SlackStatus(),
    }
    asked = [call.args.get("user") for call in standin.calls if call.method == "users.info"]
    assert asked == ["U0SE00001", "U0SE00002", "U0SE00009"]
