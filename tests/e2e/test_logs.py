"""Logs are JSON lines with the fields a maintainer filters on, and never carry secrets."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest

from bot.logs import JsonFormatter
from tests.conftest import REP
from tests.e2e.conftest import Bot
from tests.e2e.test_handoff import QUICK

pytestmark = pytest.mark.usefixtures("known_deals")


def test_json_lines_carry_extra_fields() -> None:
    record = logging.LogRecord(
        "dealcoach.sweep", logging.WARNING, __file__, 1, "retrying", (), None
    )
    record.due_work_id = 7
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "retrying" and line["level"] == "warning"
    assert line["due_work_id"] == 7 and line["logger"] == "dealcoach.sweep"


def test_no_token_or_secret_in_any_log_line(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    bot.slack.command(REP, QUICK)
    bot.settle()
    bot.standin.fail_next("chat.postMessage", status=500, times=3)
    bot.clock.advance(timedelta(hours=5))
    assert bot.sweeper.run_once().retried == 1
    formatter = JsonFormatter()
    text = "\n".join(formatter.format(record) for record in caplog.records)
    assert "Slack refused a nudge" in text
    assert bot.standin.bot_token not in text
    assert "e2e-signing-secret" not in text
