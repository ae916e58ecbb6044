"""`WORK_PROCESSES`: `dealcoach serve` answers Slack in its own process and the work after
each answer runs in worker processes (``bot/slack/work_processes.py``).

Real processes over HTTP, as an operator runs them: every answered `/handoff` is carded
exactly once, by a worker process, not the serve process; a replay of one is answered
"already done" with no second card; a worker process killed (out of memory, say) is
replaced and the next commands are carded; and SIGTERM right after a burst of commands
still cards every one that was answered, then exits 0.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bot.db import migrate
from bot.shell.harness import SAMPLE_DIR, load_people
from bot.slack.replays import ALREADY_DONE
from bot.standin import SlackStandIn, slash_command
from tests.conftest import BACKENDS, fresh_database
from tests.processes import (
    environment,
    free_port,
    post_signed,
    seed_deals,
    start,
    wait_until_up,
)

SECRET = "work-processes-secret"
REP, SE = "U0RILEY01", "U0SAM0001"
CARD = re.compile(r"Worked (\d+)(?!\d)")
DEALS = 45


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from fresh_database(request.param, tmp_path)


def send(port: int, body: bytes) -> str:
    return post_signed(port, body, SECRET)


def serve_env(database_url: str, port: int, token: str, api_url: str) -> dict[str, str]:
    """`dealcoach serve` with two worker processes, logging JSON lines."""
    return environment(
        DATABASE_URL=database_url,
        SLACK_BOT_TOKEN=token,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=api_url,
        DEALCOACH_CONFIG_DIR=str(SAMPLE_DIR),
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_FORMAT="json",
        WORK_PROCESSES="2",
    )


def command(standin: SlackStandIn, n: int) -> bytes:
    channel = standin.dm_channel(REP)
    return slash_command(
        command="/handoff",
        text=f"<@{SE}|sam> Worked {n}: SSO fails for EU users",
        user_id=REP,
        team_id=standin.workspace.team_id,
        channel_id=channel,
        trigger_id=f"{n}.worked",
        response_url=standin.new_response_url(channel, REP),
    )


def cards(standin: SlackStandIn) -> Counter[int]:
    return Counter(
        int(match.group(1))
        for message in standin.dm_messages(SE)
        if (match := CARD.search(message.text))
    )


def wait_for_cards(standin: SlackStandIn, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and len(cards(standin)) < count:
        time.sleep(0.2)
    assert len(cards(standin)) == count, f"{len(cards(standin))} of {count} carded"


def test_worker_processes_card_each_answered_handoff_once(
    database_url: str, tmp_path: Path
) -> None:
    migrate.upgrade(database_url)
    with SlackStandIn() as standin:
        for person in load_people():
            standin.add_user(person.slack_id, person.name, real_name=person.real_name, tz=person.tz)
        names = [f"Worked {n}" for n in range(DEALS)]
        seed_deals(database_url, standin.workspace.team_id, names)
        port = free_port()
        env = serve_env(database_url, port, standin.bot_token, standin.api_url)
        log_path = tmp_path / "serve.log"
        with log_path.open("w", buffering=1) as log:
            process = start("serve", env, tmp_path, "--no-scheduler", stderr=log)
            try:
                wait_until_up(port, process)
                first = [command(standin, n) for n in range(30)]
                with ThreadPoolExecutor(8) as pool:
                    answers = list(pool.map(lambda body: send(port, body), first))
                assert all(ALREADY_DONE not in answer for answer in answers)
                assert ALREADY_DONE in send(port, first[7])  # Slack's retry of one of them
                wait_for_cards(standin, 30)
                assert slack_calls(port, "chat.postMessage") >= 30  # the workers' calls too

                os.kill(worker_pids(log_path)[0], signal.SIGKILL)
                time.sleep(0.5)
                for n in range(30, 35):  # the first may find the pool broken: it restarts
                    send(port, command(standin, n))
                wait_for_cards(standin, 35)

                burst = [command(standin, n) for n in range(35, DEALS)]
                with ThreadPoolExecutor(10) as pool:
                    list(pool.map(lambda body: send(port, body), burst))
                process.send_signal(signal.SIGTERM)  # a rollout, right after the answers
                assert process.wait(timeout=30) == 0
            finally:
                if process.poll() is None:
                    process.kill()
                    process.wait()
        assert len(cards(standin)) == DEALS  # the work in hand finished before the exit
        assert set(cards(standin).values()) == {1}
    workers = worker_pids(log_path)
    assert len(workers) == 4 and process.pid not in workers  # two, then two again
    errors = {r["message"] for r in records(log_path) if r.get("level") in {"error", "critical"}}
    assert errors == {"a worker process died; starting the worker processes again"}


def slack_calls(port: int, method: str) -> float:
    """The serve process's /metrics: Slack API calls made with this method, all processes."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
        text = answer.read().decode()
    wanted = f'dealcoach_slack_api_calls_total{{method="{method}",status="ok"}}'
    return sum(
        float(line.rsplit(" ", 1)[1]) for line in text.splitlines() if line.startswith(wanted)
    )


def records(log_path: Path) -> list[dict[str, object]]:
    lines = log_path.read_text().splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def worker_pids(log_path: Path) -> list[int]:
    return [
        int(str(r["pid"])) for r in records(log_path) if r.get("message") == "worker process ready"
    ]


def test_worker_processes_exit_when_serve_is_killed_outright(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dealcoach.db'}"
    migrate.upgrade(url)
    port = free_port()
    env = serve_env(url, port, "xoxb-1-2-orphans", "http://127.0.0.1:9/api/")
    log_path = tmp_path / "serve.log"
    with log_path.open("w", buffering=1) as log:
        process = start("serve", env, tmp_path, "--no-scheduler", stderr=log)
        try:
            wait_until_up(port, process)
            deadline = time.monotonic() + 30
            while len(worker_pids(log_path)) < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            workers = worker_pids(log_path)
            assert len(workers) == 2
        finally:
            process.kill()  # SIGKILL: no shutdown runs in serve
            process.wait()
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(alive(pid) for pid in workers), "worker processes outlived serve"


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"  # not a zombie
