"""Log lines: text or JSON, request context, a trimmed multi-line traceback, no tokens."""

from __future__ import annotations

import json
import logging
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.logs import (
    TRACEBACK_LINES,
    ContextExecutor,
    JsonFormatter,
    TextFormatter,
    bind,
    configure,
    mask,
)

TOKEN = "xoxb-1234567890-1234567890-abcdefABCDEF123456"


def failing_record() -> logging.LogRecord:
    """An error with a long chain of causes, the last one quoting a token."""
    cause: Exception | None = None
    for step in range(40):
        try:
            message = f"Slack said no to {TOKEN}" if step == 39 else f"step {step}"
            raise RuntimeError(message) from cause
        except RuntimeError as error:
            cause = error
    assert cause is not None
    return logging.LogRecord(
        "dealcoach",
        logging.ERROR,
        __file__,
        1,
        "failed with %s",
        (TOKEN,),
        (RuntimeError, cause, cause.__traceback__),
    )


def test_json_traceback_is_a_trimmed_list_of_lines_without_the_token() -> None:
    with bind(team="T0DEALCO1", user="U0REP0001", request_id="abc123"):
        line = JsonFormatter().format(failing_record())
    assert "\n" not in line and TOKEN not in line
    entry = json.loads(line)
    assert entry["team"] == "T0DEALCO1" and entry["request_id"] == "abc123"
    assert isinstance(entry["traceback"], list)
    assert len(entry["traceback"]) == TRACEBACK_LINES + 1
    assert entry["traceback"][-1].startswith("RuntimeError: Slack said no to xoxb-***")
    assert len(line) < 16_000


def test_text_is_one_readable_line_and_an_indented_traceback() -> None:
    text = TextFormatter().format(failing_record())
    first, *rest = text.splitlines()
    assert "ERROR" in first and "failed with xoxb-***" in first
    assert rest and all(line.startswith("    ") for line in rest)
    assert TOKEN not in text


def test_context_reaches_a_listener_thread() -> None:
    seen: list[dict[str, str]] = []
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(JsonFormatter().format(record))

    logger = logging.getLogger("dealcoach.test_context")
    logger.addHandler(Keep())
    logger.setLevel(logging.INFO)
    done = threading.Event()

    def listener() -> None:
        logger.info("after the ack")
        done.set()

    with ThreadPoolExecutor(1) as pool, bind(team="T1", user="U1", request_id="r1"):
        ContextExecutor(pool).submit(listener).result(timeout=5)
    assert done.is_set()
    seen = [json.loads(r) for r in records]
    assert seen[0]["team"] == "T1" and seen[0]["request_id"] == "r1"


def test_mask_hides_tokens_and_url_passwords() -> None:
    assert mask(f"token {TOKEN} here") == "token xoxb-*** here"
    assert (
        mask("postgresql+psycopg://dc:hunter2@db:5432/x") == "postgresql+psycopg://dc:***@db:5432/x"
    )


def test_bolts_warning_that_our_client_replaces_the_token_is_not_shown(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from slack_bolt import App
    from slack_sdk import WebClient

    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", list(root.handlers))  # configure() replaces them
    libraries = ("slack_bolt", "slack_sdk", "apscheduler", "waitress", "sqlalchemy", "alembic")
    for logger in (root, *map(logging.getLogger, libraries)):  # and it sets their levels
        monkeypatch.setattr(logger, "level", logger.level)
    configure("INFO", "json")
    monkeypatch.setitem(os.environ, "SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    App(
        name="dealcoach",
        client=WebClient(token="xoxb-from-the-environment"),
        signing_secret="secret",
        token_verification_enabled=False,
        logger=logging.getLogger("dealcoach.bolt"),
    )
    logging.getLogger("dealcoach.bolt").warning("something an operator should see")
    lines = capsys.readouterr().err.splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["something an operator should see"]
