"""The same trigger_id or event_id seen again has no second effect (replays, Slack's retries)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from bot.app import create_app
from bot.config import DealCoachConfig
from bot.db.models import Handoff, HandoffEvent, HandoffEventKind
from bot.settings import Settings
from bot.shell.harness import DrainingExecutor
from bot.standin import requests as slack_requests
from bot.standin.driver import find_element, slash_command
from bot.web import BackgroundServer, wsgi_app
from tests.conftest import REP, SE1
from tests.e2e.conftest import SIGNING_SECRET, Bot

pytestmark = pytest.mark.usefixtures("known_deals")

QUICK = f"<@{SE1}|sam> Acme Corp: SSO with Okta fails for EU users"


def count(bot: Bot, model: type[object], *where: object) -> int:
    with bot.session_factory() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def test_a_replayed_handoff_command_creates_one_handoff(bot: Bot) -> None:
    body = slash_command(
        bot.standin, command="/handoff", text=QUICK, user_id=REP, channel_id="C0DEALS01"
    )
    first = bot.slack.post(body)
    bot.settle()
    again = bot.slack.post(body)  # same body, same trigger_id, freshly signed
    bot.settle()
    assert first.status == again.status == 200
    assert "Already done" in again.json()["text"]
    assert again.json()["response_type"] == "ephemeral"
    assert count(bot, Handoff) == 1
    assert len(bot.standin.dm_messages(SE1)) == 1

    other = bot.slack.command(REP, QUICK)  # a new trigger_id is a new command
    bot.settle()
    assert other.status == 200 and count(bot, Handoff) == 2


def test_a_replayed_click_accepts_once(bot: Bot) -> None:
    bot.slack.command(REP, QUICK)
    bot.settle()
    (card,) = bot.standin.dm_messages(SE1)
    block_id, button = find_element(card.blocks or [], "handoff_accept")
    body = slack_requests.block_actions(
        user_id=SE1,
        team_id=bot.slack.team_id,
        action_id="handoff_accept",
        value=button["value"],
        block_id=block_id,
        trigger_id=bot.standin.new_trigger_id(SE1),
        channel_id=card.channel,
        message=card.to_slack(bot.slack.team_id),
    )
    assert bot.slack.post(body).status == 200
    bot.settle()
    calls = len(bot.standin.calls)
    assert bot.slack.post(body).status == 200
    bot.settle()
    assert bot.standin.calls[calls:] == []  # no second effect, not even a refusal
    accepted = HandoffEvent.kind == HandoffEventKind.ACCEPTED
    assert count(bot, HandoffEvent, accepted) == 1
    thread_updates = [m for m in bot.standin.dm_messages(REP) if "accepted" in m.text]
    assert len(thread_updates) == 1


def test_a_retried_event_has_one_effect(bot: Bot) -> None:
    body = slack_requests.event_callback(
        team_id=bot.slack.team_id,
        event={
            "type": "app_home_opened",
            "user": REP,
            "channel": bot.standin.dm_channel(REP),
            "tab": "home",
            "event_ts": "1700000000.000100",
        },
        event_id="Ev0RETRIED1",
    )
    assert bot.slack.post(body).status == 200
    bot.settle()
    for retry in ("1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        assert bot.slack.post(body, headers=headers).status == 200
    bot.settle()
    assert len(bot.standin.calls_to("views.publish")) == 1


def test_a_replay_on_another_replica_is_stopped_after_its_ack(
    bot: Bot, settings: Settings, engine: Engine, config: DealCoachConfig
) -> None:
    """The second replica has not seen the trigger: it answers Slack at once, then the
    shared table stops the work, and the person is told privately."""
    executor = DrainingExecutor()
    other = create_app(
        settings, bot.session_factory, config=config, clock=bot.clock, listener_executor=executor
    )
    server = BackgroundServer(wsgi_app(other, engine, signing_secret=SIGNING_SECRET)).start()
    try:
        body = slash_command(
            bot.standin, command="/handoff", text=QUICK, user_id=REP, channel_id="C0DEALS01"
        )
        assert bot.slack.post(body).status == 200
        bot.settle()
        again = bot.slack.post(body, url=f"{server.url}/slack/events")
        executor.drain()
        assert again.status == 200 and not again.body  # the ack a first request gets
        assert count(bot, Handoff) == 1
        assert len(bot.standin.dm_messages(SE1)) == 1
        told = [r.payload.get("text", "") for r in bot.standin.responses]
        assert any("Already done" in text for text in told)
    finally:
        server.stop()
        executor.shutdown(wait=True)
