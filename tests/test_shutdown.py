"""SIGTERM (docker stop, a rollout) ends `serve` and `worker` cleanly: exit 0, nothing cut off."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from bot.db import migrate

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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


def start(command: str, env: dict[str, str], tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own CLI with a fixed command
        [sys.executable, "-m", "bot.cli", command],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_until_up(port: int, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("serve did not come up")


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
