"""A worker SIGKILLed between Slack's answer and its commit: nothing lost, nothing twice.

Three worker processes on PostgreSQL share 30 due rows and a Slack stand-in over HTTP.
The first claims a batch, Slack accepts its first message, and the process kills itself
before recording it. The other two drain the rest and, once the dead worker's short lease
runs out, take its rows over: the one Slack already has is found in the DM's history by
its metadata and marked sent; the others are sent. Each nudge reaches Slack exactly once.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.clock import SystemClock
from bot.db.base import Base
from bot.db.models import DueWork, DueWorkKind, DueWorkState, Workspace
from bot.db.session import make_engine, make_session_factory
from bot.standin import SlackStandIn
from tests.conftest import fresh_database

ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
ROWS = 30
PEOPLE = [f"U0CRASH{n:03d}" for n in range(10)]


@pytest.fixture
def postgres_url(tmp_path: Path) -> Iterator[str]:
    yield from fresh_database("postgresql", tmp_path)


def fill(url: str) -> None:
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    now = SystemClock().now()
    with make_session_factory(engine).begin() as session:
        workspace = Workspace(slack_team_id="T0DEALCO1", created_at=now)
        session.add(workspace)
        session.flush()
        session.add_all(
            DueWork(
                workspace_id=workspace.id,
                kind=DueWorkKind.PRECALL_TIPS,
                dedupe_key=f"crash:{n}",
                recipient_slack_id=PEOPLE[n % len(PEOPLE)],
                due_at=now - timedelta(seconds=1),
                state=DueWorkState.DUE,
                created_at=now,
            )
            for n in range(ROWS)
        )
    engine.dispose()


def worker(url: str, standin: SlackStandIn, name: str, *, die: bool) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "tests.scheduler.sweep_worker", url, standin.api_url]
    command += [standin.bot_token, name, str(LEASE_SECONDS)] + (["--die"] if die else [])
    return subprocess.Popen(  # noqa: S603 - our own interpreter and worker module
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def go(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    assert process.stdin is not None
    process.stdin.write("go\n")
    process.stdin.flush()


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(postgres_url: str) -> None:
    fill(postgres_url)
    with SlackStandIn() as standin:
        for person in PEOPLE:
            standin.add_user(person, person.lower(), tz="Europe/Berlin")
        doomed = worker(postgres_url, standin, "doomed", die=True)
        survivors = [worker(postgres_url, standin, f"w{n}", die=False) for n in (1, 2)]
        go(doomed)
        assert doomed.wait(timeout=30) == -9  # SIGKILL, after Slack accepted one message
        killed_at = time.monotonic()
        for process in survivors:
            go(process)
        outputs = [process.communicate(timeout=60)[0] for process in survivors]
        finished = time.monotonic() - killed_at
        assert [process.returncode for process in survivors] == [0, 0]
        texts = [m.text for person in PEOPLE for m in standin.dm_messages(person)]
        delivered = {
            m.metadata["event_payload"]["due_work_ids"]
            for person in PEOPLE
            for m in standin.dm_messages(person)
            if m.metadata
        }
        assert standin.violations == []

    engine = make_engine(postgres_url)
    with make_session_factory(engine)() as session:
        states = Counter(row.state for row in session.scalars(select(DueWork)))
    engine.dispose()
    sent_ids = Counter(int(n) for n in re.findall(r"Nudge number (\d+)", " ".join(texts)))
    assert states == {DueWorkState.SENT: ROWS}  # 0 lost
    assert sorted(sent_ids) == list(range(1, ROWS + 1))
    assert max(sent_ids.values()) == 1  # 0 duplicated
    assert len(delivered) == ROWS  # every message carried its row's id
    recovered = sum(int(m) for out in outputs for m in re.findall(r"recovered (\d+)", out))
    assert recovered == 1  # the dead worker's delivered row, found in history
    assert finished < 60  # and its other rows went out well within a minute
