"""SIGTERM (docker stop, a rollout) ends `serve` and `worker` cleanly: exit 0, nothing cut off."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.config import load_config
from bot.db import migrate
from bot.db.models import DueWork, DueWorkState, Person
from bot.db.session import make_engine, make_session_factory, transaction
from bot.services import handoffs, people
from bot.services.handoffs import HandoffDraft
from tests.processes import REPO, free_port, start, wait_until_up


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'dealcoach.db'}"
    migrate.upgrade(url)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DEALCOACH_"))}
    env.update(
        DATABASE_URL=url,
        SLACK_BOT_TOKEN="xoxb-1-2-shutdown",
        SLACK_SIGNING_SECRET="shutdown-secret",
        SLACK_API_URL="http://127.0.0.1:9/api/",
        DEALCOACH_CONFIG_DIR=str(REPO / "config"),
        LOG_FORMAT="json",
        HOST="127.0.0.1",
        PORT=str(free_port()),
        SWEEP_INTERVAL_SECONDS="3600",
    )
    return env


def test_serve_answers_the_request_in_flight_then_exits_0(
    environment: dict[str, str], tmp_path: Path
) -> None:
    port = int(environment["PORT"])
    process = start("serve", environment, tmp_path)
    try:
        wait_until_up(port, process)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
            connection.sendall(b"GET /readyz HTTP/1.1\r\nHost: dealcoach\r\n")
            time.sleep(0.3)  # the server has half a request in hand
            process.send_signal(signal.SIGTERM)
            time.sleep(0.3)
            connection.sendall(b"Connection: close\r\n\r\n")
            answer = b""
            while chunk := connection.recv(4096):
                answer += chunk
        assert answer.startswith(b"HTTP/1.1 200"), answer
        assert b'"status": "ready"' in answer
        assert process.wait(timeout=15) == 0
        _, err = process.communicate()
        assert "stopped cleanly" in err and "Traceback" not in err
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def test_worker_stops_on_sigterm_with_exit_0(environment: dict[str, str], tmp_path: Path) -> None:
    process = start("worker", environment, tmp_path)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        while line and "worker sweeping" not in line:
            line = process.stderr.readline()
        assert "worker sweeping" in line
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert "stopped cleanly" in process.communicate()[1]
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


class SlowSlack(ThreadingHTTPServer):
    """Just enough of Slack's Web API for the sweep; chat.postMessage takes its time."""

    def __init__(self) -> None:
        self.posting = threading.Event()
        self.answered: list[str] = []
        super().__init__(("127.0.0.1", 0), _SlowHandler)


class _SlowHandler(BaseHTTPRequestHandler):
    server: SlowSlack

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        method = self.path.rsplit("/", 1)[-1]
        body: dict[str, object] = {"ok": True}
        if method == "chat.postMessage":
            self.server.posting.set()
            time.sleep(1.5)  # SIGTERM arrives while this send is under way
            body = {"ok": True, "channel": "D0SE00001", "ts": f"{time.time():.6f}"}
            self.server.answered.append(method)
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args: object) -> None:
        pass


def test_worker_lets_the_send_under_way_finish_before_it_exits(
    environment: dict[str, str], tmp_path: Path
) -> None:
    config_dir = tmp_path / "config"
    shutil.copytree(REPO / "config", config_dir)
    (config_dir / "dealcoach.yaml").write_text(
        "teams:\n  - {name: A, reps: [U0REP0001], ses: [U0SE00001]}\n"
        'working_hours: {start: "00:00", end: "23:59", '
        "days: [mon, tue, wed, thu, fri, sat, sun]}\n"
    )
    config = load_config(config_dir)
    engine = make_engine(environment["DATABASE_URL"])
    opened = datetime.now(UTC) - timedelta(hours=10)  # two SLA steps are overdue
    with transaction(make_session_factory(engine)) as session:
        workspace = people.workspace(session=session, slack_team_id="T0DEALCO1", now=opened)

        def someone(slack_id: str) -> Person:
            return people.person(
                session=session,
                workspace=workspace,
                slack_user_id=slack_id,
                config=config,
                now=opened,
                profile=people.Profile(slack_id, slack_id.lower(), "UTC"),
            )

        handoffs.open(
            session=session,
            workspace=workspace,
            rep=someone("U0REP0001"),
            assignee=someone("U0SE00001"),
            draft=HandoffDraft(deal_name="Acme Corp", problem="SSO with Okta fails for EU users"),
            config=config,
            now=opened,
        )
    slack = SlowSlack()
    threading.Thread(target=slack.serve_forever, daemon=True).start()
    environment.update(
        DEALCOACH_CONFIG_DIR=str(config_dir),
        SLACK_API_URL=f"http://127.0.0.1:{slack.server_address[1]}/api/",
        SWEEP_INTERVAL_SECONDS="1",
    )
    process = start("worker", environment, tmp_path)
    try:
        assert slack.posting.wait(timeout=30), process.stderr
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        assert "stopped cleanly" in process.communicate()[1]
        assert slack.answered  # the send under way was not cut off
        with engine.connect() as connection:
            states = connection.execute(select(DueWork.state)).scalars().all()
        assert DueWorkState.CLAIMED not in states and DueWorkState.SENT in states
    finally:
        slack.shutdown()
        engine.dispose()
        if process.poll() is None:
            process.kill()
            process.communicate()
