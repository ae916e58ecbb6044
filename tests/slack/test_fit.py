"""Texts are fitted to Slack's limits before the call, never discovered by Slack."""

from __future__ import annotations

import pytest

from bot.app import make_client
from bot.settings import load_settings
from bot.slack.fit import MESSAGE_TEXT_MAX, TEXT_OBJECT_MAX, TooLongForSlack, fit
from bot.standin import SlackStandIn
from tests.conftest import REP


def test_a_long_message_and_a_long_section_are_trimmed_and_slack_accepts_them() -> None:
    with SlackStandIn() as standin:
        standin.add_user(REP, "riley", tz="Europe/Berlin")
        settings = load_settings(
            _env_file=None,
            slack_bot_token=standin.bot_token,
            slack_signing_secret="s",
            slack_api_url=standin.api_url,
            database_url="sqlite://",
        )
        section = {"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3500}}
        make_client(settings).chat_postMessage(channel=REP, text="x" * 45_000, blocks=[section])
        (message,) = standin.dm_messages(REP)
        assert standin.violations == []
    assert len(message.text) == MESSAGE_TEXT_MAX and message.text.endswith("…")
    assert message.blocks is not None
    assert len(message.blocks[0]["text"]["text"]) == TEXT_OBJECT_MAX


def test_a_form_whose_private_metadata_overflows_is_refused_with_what_to_do() -> None:
    view = {"type": "modal", "private_metadata": "m" * 3001, "blocks": []}
    with pytest.raises(TooLongForSlack, match="Shorten what you wrote"):
        fit("views.open", {"trigger_id": "t", "view": view})
    fit("views.open", {"trigger_id": "t", "view": {**view, "private_metadata": "m" * 3000}})
