"""Socket Mode end to end: the same people and the same checks as over HTTP, sent as envelopes.

The HTTP tests' bodies run unchanged against ``socket_bot``; the rest are what only a
socket has: reconnecting after ``disconnect`` or a cut line without losing or doubling an
envelope, and ``dealcoach socket`` stopping cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.db import migrate
from bot.db.models import Handoff
from bot.shell.harness import SAMPLE_DIR
from bot.standin import SlackStandIn
from tests.conftest import REP, SE1
from tests.e2e import test_handoff as over_http
from tests.e2e.conftest import Bot

pytestmark = pytest.mark.usefixtures("known_deals")

ROOT = Path(__file__).resolve().parents[2]


def assert_each_envelope_acked_once(bot: Bot) -> None:
    envelopes = bot.standin.socket_mode.envelopes
    assert envelopes, "nothing went over the socket"
    assert [e.envelope_id for e in envelopes if e.acks != 1] == []
    assert bot.standin.violations == []


def deals(bot: Bot) -> list[str]:
    """The deals handed off, by name (listeners finish in any order after their acks)."""
    with bot.session_factory() as session:
        return sorted(h.deal.name for h in session.scalars(select(Handoff)))


def test_quick_handoff_and_accept_from_the_se_dm(socket_bot: Bot) -> None:
    over_http.test_quick_handoff_accept_and_resolve(socket_bot)
    kinds = Counter(e.type for e in socket_bot.standin.socket_mode.envelopes)
    # Accept, Mark resolved, and the resolve form's submission.
    assert kinds == {"slash_commands": 1, "interactive": 3}
    assert_each_envelope_acked_once(socket_bot)


def test_bad_quick_input_is_answered_in_the_ack(socket_bot: Bot) -> None:
    over_http.test_bad_quick_input_says_how_to_write_it_and_writes_nothing(socket_bot)
    answered = [e for e in socket_bot.standin.socket_mode.envelopes if e.ack_payload]
    assert len(answered) == 1 and "/handoff @se Deal name:" in answered[0].ack_payload["text"]


def test_bare_handoff_opens_the_modal_and_errors_come_back_in_the_ack(socket_bot: Bot) -> None:
    over_http.test_bare_handoff_opens_the_form_and_field_errors_go_back_into_it(socket_bot)
    submissions = [
        e
        for e in socket_bot.standin.socket_mode.envelopes
        if e.payload.get("type") == "view_submission"
    ]
    assert [e.accepts_response_payload for e in submissions] == [True, True]
    assert submissions[0].ack_payload is not None
    assert submissions[0].ack_payload["response_action"] == "errors"
    assert submissions[1].ack_payload is None
    assert_each_envelope_acked_once(socket_bot)


def test_app_home_opened_arrives_as_an_events_api_envelope(socket_bot: Bot) -> None:
    over_http.test_list_and_home_show_my_open_handoffs(socket_bot)
    (event,) = [e for e in socket_bot.standin.socket_mode.envelopes if e.type == "events_api"]
    assert event.payload["event"]["type"] == "app_home_opened"
    assert event.retry_attempt == 0 and not event.accepts_response_payload
    assert_each_envelope_acked_once(socket_bot)


def test_refresh_requested_moves_to_a_new_connection_and_nothing_is_lost(socket_bot: Bot) -> None:
    socket_mode = socket_bot.standin.socket_mode
    socket_bot.slack.command(REP, f"<@{SE1}|sam> Acme Corp: SSO fails")
    assert socket_mode.disconnect("refresh_requested") == 1
    socket_bot.slack.command(REP, f"<@{SE1}|sam> Globex: API limits")
    socket_mode.wait_connected(2)
    socket_bot.slack.command(REP, f"<@{SE1}|sam> Initech: export times out")
    socket_bot.settle()

    assert deals(socket_bot) == ["Acme Corp", "Globex", "Initech"]
    assert socket_mode.connections_made == 2
    assert len(socket_bot.standin.calls_to("apps.connections.open")) == 2
    assert [len(e.sent_on) for e in socket_mode.envelopes] == [1, 1, 1]
    assert_each_envelope_acked_once(socket_bot)


def test_a_dropped_connection_reconnects_without_losing_or_doubling(socket_bot: Bot) -> None:
    socket_mode = socket_bot.standin.socket_mode
    socket_bot.slack.command(REP, f"<@{SE1}|sam> Acme Corp: SSO fails")
    assert socket_mode.drop() == 1
    # Sent while the line is down: each waits for the app to reconnect, then goes once.
    socket_bot.slack.command(REP, f"<@{SE1}|sam> Globex: API limits")
    socket_bot.slack.command(REP, f"<@{SE1}|sam> Initech: export times out")
    socket_bot.settle()
    socket_bot.slack.click(SE1, over_http.card(socket_bot), "handoff_accept")
    socket_bot.settle()

    assert deals(socket_bot) == ["Acme Corp", "Globex", "Initech"]
    assert socket_mode.connections_made == 2
    first, *after = socket_mode.envelopes
    assert [len(e.sent_on) for e in socket_mode.envelopes] == [1, 1, 1, 1]
    assert all(e.sent_on != first.sent_on for e in after)  # the new connection took them
    assert_each_envelope_acked_once(socket_bot)


def dealcoach_socket(
    standin: SlackStandIn, tmp_path: Path, app_token: str, work_processes: int = 0
) -> subprocess.Popen[bytes]:
    """`dealcoach socket` in its own process, pointed at the stand-in."""
    database_url = f"sqlite:///{tmp_path}/dealcoach.db"
    migrate.upgrade(database_url)
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": standin.bot_token,
        "SLACK_APP_TOKEN": app_token,
        "SLACK_API_URL": standin.api_url,
        "DATABASE_URL": database_url,
        "DEALCOACH_CONFIG_DIR": str(SAMPLE_DIR),
        "LOG_LEVEL": "INFO" if work_processes else "WARNING",
        "WORK_PROCESSES": str(work_processes),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "socket"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_connected(standin: SlackStandIn, process: subprocess.Popen[bytes]) -> None:
    """Until the process connected; its own words if it exited instead."""
    for _ in range(60):
        if process.poll() is not None:
            raise AssertionError(f"dealcoach socket exited: {process.communicate()[1].decode()}")
        try:
            standin.socket_mode.wait_connected(timeout=0.5)
            return
        except TimeoutError:
            continue
    raise AssertionError("dealcoach socket did not connect within 30s")


@pytest.mark.parametrize("work_processes", [0, 1])
def test_dealcoach_socket_stops_cleanly_on_sigterm(
    standin: SlackStandIn, tmp_path: Path, work_processes: int
) -> None:
    """With ``WORK_PROCESSES`` too: the envelope is acked by the socket's process and the
    Home tab published by a worker process, which finishes it before the exit."""
    process = dealcoach_socket(standin, tmp_path, standin.app_token, work_processes)
    try:
        wait_connected(standin, process)
        # It answers over the socket, then goes away cleanly when asked to.
        envelope = standin.socket_mode.deliver(
            "events_api",
            {
                "type": "event_callback",
                "team_id": standin.workspace.team_id,
                "api_app_id": standin.workspace.app_id,
                "event": {"type": "app_home_opened", "user": REP, "tab": "home"},
                "event_id": "Ev0SIGTERM1",
                "event_time": 1,
            },
            accepts_response_payload=False,
        )
        assert envelope.acked
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr.decode()
    assert "Traceback" not in stderr.decode()
    standin.socket_mode.wait_disconnected(timeout=5)
    assert [call.args["user_id"] for call in standin.calls_to("views.publish")] == [REP]
    assert ("worker process ready" in stderr.decode()) == bool(work_processes)


def test_an_app_token_slack_refuses_stops_start_up_with_one_line(
    standin: SlackStandIn, tmp_path: Path
) -> None:
    process = dealcoach_socket(standin, tmp_path, "xapp-1-A0STANDIN1-1-revoked")
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 2
    last = stderr.decode().strip().splitlines()[-1]
    assert last.startswith("dealcoach: SLACK_APP_TOKEN was refused by Slack (invalid_auth)")
    assert "connections:write" in last and "Traceback" not in stderr.decode()
