"""The external upload flow against the Slack stand-in, checked against Slack's reference."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.clock import AdjustableClock
from bot.slack import uploads
from bot.standin import SlackStandIn

MANAGER = "U0MGR0001"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


@pytest.fixture
def standin() -> Iterator[SlackStandIn]:
    clock = AdjustableClock(start=datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    with SlackStandIn(clock=clock) as server:
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=standin.bot_token, base_url=standin.api_url)


def test_a_chart_lands_in_the_managers_dm_with_its_alt_text(
    standin: SlackStandIn, client: WebClient
) -> None:
    sent = uploads.send_to_dm(
        client,
        user_id=MANAGER,
        data=PNG,
        filename="trend.png",
        title="Weekly trend",
        alt_text="Handoffs opened per week 3, 5",
        comment="Your team's week",
    )
    assert standin.violations == []
    methods = [call.method for call in standin.calls]
    assert methods == [
        "conversations.open",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    get_url = standin.calls_to("files.getUploadURLExternal")[0].args
    assert (get_url["filename"], get_url["length"]) == ("trend.png", str(len(PNG)))
    assert get_url["alt_txt"] == "Handoffs opened per week 3, 5"
    (stored,) = standin.uploaded(MANAGER)
    assert (stored.id, stored.data, stored.title) == (sent.file_id, PNG, "Weekly trend")
    (message,) = standin.dm_messages(MANAGER)
    assert message.text == "Your team's week"
    assert message.files is not None and message.files[0]["alt_txt"] == stored.alt_txt
    assert sent.channel == standin.dm_channel(MANAGER)


def test_completing_before_the_bytes_arrive_is_a_violation(
    standin: SlackStandIn, client: WebClient
) -> None:
    issued = client.files_getUploadURLExternal(filename="a.png", length=10)
    with pytest.raises(SlackApiError) as raised:
        client.files_completeUploadExternal(
            files=[{"id": issued["file_id"]}], channel_id=standin.dm_channel(MANAGER)
        )
    assert raised.value.response["error"] == "file_not_found"
    assert standin.violations and "no bytes were POSTed" in standin.violations[0]


def test_the_upload_url_checks_the_length_and_alt_text_has_a_limit(
    standin: SlackStandIn, client: WebClient
) -> None:
    issued = client.files_getUploadURLExternal(filename="a.png", length=10)
    url = str(issued["upload_url"])
    assert url.startswith(standin.base_url)
    request = urllib.request.Request(url, data=b"short", method="POST")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)  # noqa: S310 - the local stand-in
    assert refused.value.code == 400
    assert "announced 10 bytes but 5 arrived" in standin.violations[0]
    with pytest.raises(SlackApiError) as too_long:
        client.files_getUploadURLExternal(filename="a.png", length=10, alt_txt="x" * 1001)
    assert too_long.value.response["error"] == "alt_txt_too_large"
    with pytest.raises(SlackApiError) as unknown_argument:
        client.api_call(
            "files.getUploadURLExternal",
            params={"filename": "a", "length": 1, "alt_text": "wrong name"},
        )
    assert unknown_argument.value.response["error"] == "invalid_arguments"


def test_links_to_the_oldest_cards(standin: SlackStandIn, client: WebClient) -> None:
    from bot.reports.figures import OpenHandoff
    from bot.slack.permalinks import card_links

    posted = client.chat_postMessage(channel="U0SE00001", text="card")
    opened = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    cards = [
        OpenHandoff(1, "Acme", "U0SE00001", opened, str(posted["channel"]), str(posted["ts"])),
        OpenHandoff(2, "Beta", "U0SE00001", opened, None, None),
        OpenHandoff(3, "Gone", "U0SE00001", opened, str(posted["channel"]), "1.000001"),
    ]
    links = card_links(client, cards)
    assert list(links) == [1]
    assert links[1].startswith("https://")
