"""Several replicas on one PostgreSQL database, as the README runs them: two `dealcoach
serve` processes behind a balancer (one doing its work after each answer in a worker
process of its own, ``WORK_PROCESSES``; one on its own threads) and two `dealcoach worker`
processes.

200 signed `/handoff` commands go to both servers at once (one told the bot is busy is
typed again, as a person would): every handoff gets exactly one card. Then every nudge
row is made due (and everyone's working day the whole day): the two workers share them,
and every row is delivered in exactly one message, whichever worker claimed it (each
message names its rows in its metadata).
"""

from __future__ import annotations

import re
import time as clock
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from bot.db import migrate
from bot.db.models import DueWork, DueWorkState, Handoff, Person
from bot.db.session import make_engine, make_session_factory, transaction
from bot.scheduler import delivered
from bot.shell.harness import SAMPLE_DIR, load_people
from bot.slack.busy import BUSY
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

pytestmark = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="replicas share a PostgreSQL database"
)

SECRET = "replica-signing-secret"
REP, SE = "U0RILEY01", "U0SAM0001"
HANDOFFS = 200
CARD = re.compile(r"Replica (\d+)(?!\d)")


@pytest.fixture
def pg_url(tmp_path: Path) -> Iterator[str]:
    yield from fresh_database("postgresql", tmp_path)


def send(port: int, body: bytes) -> str:
    return post_signed(port, body, SECRET)


def hand_off(standin: SlackStandIn, ports: list[int]) -> None:
    """Every rep types their `/handoff` at once, across both servers; whoever is told the
    bot is busy types it again a moment later (a new command: a new trigger_id)."""
    channel = standin.dm_channel(REP)
    waiting, attempt = list(range(HANDOFFS)), 0
    while waiting and attempt < 20:
        bodies = {
            n: slash_command(
                command="/handoff",
                text=f"<@{SE}|sam> Replica {n}: SSO fails for EU users",
                user_id=REP,
                team_id=standin.workspace.team_id,
                channel_id=channel,
                trigger_id=f"{n}.{attempt}.replica",
                response_url=standin.new_response_url(channel, REP),
            )
            for n in waiting
        }
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(send, [ports[n % 2] for n in waiting], bodies.values()))
        waiting = [n for n, answer in zip(waiting, answers, strict=True) if BUSY in answer]
        attempt += 1
        clock.sleep(1.0)
    assert not waiting, f"{len(waiting)} still busy after {attempt} tries"


def wait_for(
    condition: Callable[[], bool], timeout: float, what: Callable[[], str], log: Path
) -> None:
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        if condition():
            return
        clock.sleep(0.2)
    lines = [line for line in log.read_text().splitlines() if "busy" not in line]
    tail = "\n".join(lines[-20:])
    raise AssertionError(f"{what()} within {timeout:.0f} s; the logs end:\n{tail}")


def test_two_servers_and_two_workers_card_once_and_nudge_once(pg_url: str, tmp_path: Path) -> None:
    migrate.upgrade(pg_url)
    with SlackStandIn() as standin:
        for person in load_people():
            standin.add_user(person.slack_id, person.name, real_name=person.real_name, tz=person.tz)
        seed_deals(pg_url, standin.workspace.team_id, [f"Replica {n}" for n in range(HANDOFFS)])
        env = environment(
            DATABASE_URL=pg_url,
            SLACK_BOT_TOKEN=standin.bot_token,
            SLACK_SIGNING_SECRET=SECRET,
            SLACK_API_URL=standin.api_url,
            DEALCOACH_CONFIG_DIR=str(SAMPLE_DIR),
            HOST="127.0.0.1",
            LOG_LEVEL="WARNING",
            SWEEP_INTERVAL_SECONDS="1",
        )
        ports = [free_port(), free_port()]
        logs = (tmp_path / "logs").open("w", buffering=1)
        processes = [
            start(
                "serve",
                env | {"PORT": str(port), "WORK_PROCESSES": str(work)},
                tmp_path,
                "--no-scheduler",
                stderr=logs,
            )
            for port, work in zip(ports, (1, 0), strict=True)
        ] + [start("worker", env, tmp_path, stderr=logs) for _ in range(2)]
        try:
            for port, process in zip(ports, processes, strict=False):
                wait_until_up(port, process)
            hand_off(standin, ports)

            def cards() -> Counter[int]:
                return Counter(
                    int(match.group(1))
                    for message in standin.dm_messages(SE)
                    if (match := CARD.search(message.text)) and not message.metadata
                )

            wait_for(
                lambda: len(cards()) == HANDOFFS,
                90,
                lambda: f"{len(cards())} of {HANDOFFS} handoffs carded",
                tmp_path / "logs",
            )
            assert set(cards().values()) == {1}  # each handoff carded once

            engine = make_engine(pg_url)
            try:
                check_handoffs_and_make_nudges_due(engine)
                factory = make_session_factory(engine)

                def settled() -> bool:
                    with transaction(factory) as session:
                        waiting = select(func.count()).where(
                            DueWork.handoff_id.is_not(None),
                            DueWork.state.in_([DueWorkState.DUE, DueWorkState.CLAIMED]),
                            DueWork.due_at <= datetime.now(UTC),
                        )
                        return session.scalar(waiting) == 0

                wait_for(settled, 90, lambda: "due nudges still unsent", tmp_path / "logs")
                with transaction(factory) as session:
                    sent = set(
                        session.scalars(
                            select(DueWork.id).where(
                                DueWork.handoff_id.is_not(None),
                                DueWork.state == DueWorkState.SENT,
                            )
                        )
                    )
            finally:
                engine.dispose()
            delivered_ids = Counter(
                work_id
                for call in standin.calls_to("chat.postMessage")
                if call.ok
                for work_id in delivered.ids_in({"metadata": call.args.get("metadata")})
            )
            assert sent, "no nudge was sent"
            assert set(delivered_ids) == sent  # every sent row reached Slack
            assert max(delivered_ids.values()) == 1  # and none twice
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=20)
            logs.close()
    log = (tmp_path / "logs").read_text()
    assert "Traceback" not in log, log[-3000:]


def check_handoffs_and_make_nudges_due(engine: Engine) -> None:
    """200 handoffs, each with its card's place; then everyone works all week, all day,
    and every handoff's nudge rows are due now."""
    factory = make_session_factory(engine)
    with transaction(factory) as session:
        assert session.scalar(select(func.count()).select_from(Handoff)) == HANDOFFS
        assert session.scalar(select(func.count()).where(Handoff.message_ts.is_(None))) == 0
        session.execute(
            update(Person).values(
                work_start=time(0, 0),
                work_end=time(23, 59),
                work_days="mon,tue,wed,thu,fri,sat,sun",
                digest_at=None,
            )
        )
        session.execute(
            update(DueWork)
            .where(DueWork.handoff_id.is_not(None), DueWork.state == DueWorkState.DUE)
            .values(due_at=datetime.now(UTC) - timedelta(minutes=1))
        )
