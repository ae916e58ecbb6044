"""What an operator sees: unknown requests acked, /readyz, /metrics in Prometheus format."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request

import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from bot.config import DealCoachConfig, Uninstall
from bot.db.models import Deal, DueWork, Handoff, Person, Workspace
from bot.standin import requests as slack_requests
from tests.conftest import REP
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import QUICK

pytestmark = pytest.mark.usefixtures("known_deals")


@pytest.fixture
def config(config: DealCoachConfig) -> DealCoachConfig:
    """The shared config, forgetting an uninstalled workspace at once."""
    return config.model_copy(update={"uninstall": Uninstall(forget_after_days=0)})


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - local test server
        return response.status, response.headers["Content-Type"], response.read().decode()


def base(bot: Bot) -> str:
    return bot.slack.events_url.removesuffix("/slack/events")


def test_an_event_or_button_no_listener_takes_is_acked_200(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="dealcoach.unhandled")
    event = slack_requests.event_callback(
        team_id=bot.slack.team_id,
        event={"type": "reaction_added", "user": REP, "event_ts": "1.1"},
    )
    assert bot.slack.post(event).status == 200
    bot.settle()
    unhandled = [r for r in caplog.records if r.name == "dealcoach.unhandled"]
    assert len(unhandled) == 1 and unhandled[0].levelno == logging.DEBUG
    assert getattr(unhandled[0], "event", None) == "reaction_added"


def test_a_button_no_listener_takes_is_acked_200(bot: Bot) -> None:
    body = slack_requests.block_actions(
        user_id=REP,
        team_id=bot.slack.team_id,
        action_id="a_button_from_an_old_release",
        value="1",
        block_id="old",
        trigger_id=bot.standin.new_trigger_id(REP),
        channel_id=bot.standin.dm_channel(REP),
        message_ts="1700000000.000200",
    )
    assert bot.slack.post(body).status == 200


def test_uninstall_with_no_grace_forgets_the_workspace_at_once(
    bot: Bot, config: DealCoachConfig
) -> None:
    assert bot.slack.command(REP, QUICK).status == 200
    bot.settle()
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == 1
    # A revocation of user tokens only leaves everything as it was.
    revoked = {"type": "tokens_revoked", "tokens": {"oauth": [REP]}, "event_ts": "1.3"}
    assert bot.slack.post(event_callback(bot, revoked)).status == 200
    bot.settle()
    with bot.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1
    revoked = {"type": "tokens_revoked", "tokens": {"bot": ["U0BOT"]}, "event_ts": "1.4"}
    assert bot.slack.post(event_callback(bot, revoked)).status == 200
    bot.settle()
    with bot.session_factory() as session:
        for model in (Workspace, Person, Deal, Handoff, DueWork):
            assert session.scalar(select(func.count()).select_from(model)) == 0, model


def event_callback(bot: Bot, event: dict[str, object]) -> bytes:
    return slack_requests.event_callback(team_id=bot.slack.team_id, event=event)


def test_readyz_says_the_schema_is_behind_without_migrations(bot: Bot) -> None:
    # The e2e database is built with create_all: alive, but not at the migration head.
    status, _, _ = get(f"{base(bot)}/healthz")
    assert status == 200
    with pytest.raises(urllib.error.HTTPError) as raised:
        get(f"{base(bot)}/readyz")
    assert raised.value.code == 503
    assert json.loads(raised.value.read())["status"] == "schema behind"


def test_metrics_parse_and_count_requests_and_slack_calls(bot: Bot) -> None:
    assert bot.slack.command(REP, QUICK).status == 200
    assert bot.slack.post(b"command=%2Fhandoff", signed=False).status == 401
    bot.settle()
    status, content_type, text = get(f"{base(bot)}/metrics")
    assert status == 200 and content_type.startswith("text/plain")
    families = {family.name: family for family in text_string_to_metric_families(text)}
    assert {
        "dealcoach_slack_requests",
        "dealcoach_ack_seconds",
        "dealcoach_slack_api_calls",
        "dealcoach_slack_api_retries",
        "dealcoach_due_work_rows",
        "dealcoach_due_work_oldest_due_seconds",
        "dealcoach_sweep_seconds",
    } <= set(families)

    def value(name: str, **labels: str) -> float:
        return sum(
            sample.value
            for sample in families[name].samples
            if sample.name == name + "_total" and labels.items() <= sample.labels.items()
        )

    assert value("dealcoach_slack_requests", kind="command", outcome="200") >= 1
    assert value("dealcoach_slack_requests", kind="refused", outcome="401") >= 1
    assert value("dealcoach_slack_api_calls", method="chat.postMessage", status="ok") >= 1
    due = {s.labels["state"]: s.value for s in families["dealcoach_due_work_rows"].samples}
    assert due["due"] >= 1


def test_retries_of_slack_calls_are_counted(bot: Bot) -> None:
    def retries() -> float:
        _, _, text = get(f"{base(bot)}/metrics")
        return sum(
            sample.value
            for family in text_string_to_metric_families(text)
            if family.name == "dealcoach_slack_api_retries"
            for sample in family.samples
            if sample.name.endswith("_total") and sample.labels == {"reason": "server_error"}
        )

    before = retries()
    bot.standin.fail_next("chat.postMessage", status=500, times=1)
    assert bot.slack.command(REP, QUICK).status == 200
    bot.settle()
    assert retries() == before + 1
