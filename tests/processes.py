"""Running `dealcoach` commands as real processes, the way an operator starts them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

from bot.db.session import make_engine, make_session_factory, transaction
from bot.services import deals, people
from bot.standin import sign

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(
    command: str,
    env: dict[str, str],
    cwd: Path,
    *args: str,
    stderr: int | IO[str] | None = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """``dealcoach <command> [args]`` with this environment, its output piped."""
    return subprocess.Popen(  # noqa: S603 - our own CLI with a fixed command
        [sys.executable, "-m", "bot.cli", command, *args],
        env=env,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=stderr,
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


def environment(**settings: str) -> dict[str, str]:
    """This environment without any Slack or Deal Coach setting of its own, plus these."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DEALCOACH_"))}
    env.update(settings)
    return env


def post_signed(port: int, body: bytes, secret: str) -> str:
    """POST a body signed as Slack signs it; Slack's answer as text (200 expected)."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/slack/events", data=body, headers=sign(secret, body)
    )
    with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
        assert answer.status == 200
        return str(answer.read().decode())


def seed_deals(url: str, team_id: str, names: Sequence[str]) -> None:
    """The workspace's deals, as a team already has them."""
    engine = make_engine(url)
    try:
        with transaction(make_session_factory(engine)) as session:
            now = datetime.now(UTC)
            workspace = people.workspace(session=session, slack_team_id=team_id, now=now)
            deals.add_many(session=session, workspace=workspace, names=names, now=now)
    finally:
        engine.dispose()
