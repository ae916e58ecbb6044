"""Benchmark: what the sweep's claim costs, COMMIT included, as due_work grows; and a backlog.

The claim should cost about the same whether the table holds 1,000 or 100,000 rows that
are not yet due, because it walks the (state, due_at) index. Each database is a fresh one
built by `alembic upgrade head` (the schema production runs, not create_all). The claim is
timed with its COMMIT (where a write lock or a slow fsync would show); the claimed rows are
put back, untimed, before the next repeat.

The backlog case fills 10,000 due rows among 100,000 and drains them the way one sweep
worker claims today (batches of 100, each committed), and says how long the sweep's fixed
interval alone would take to reach the last one.

    python bench/sweep.py                         # SQLite file and PostgreSQL
    python bench/sweep.py --databases sqlite --sizes 1000,10000

Prints, per table size: rows, claimed, median claim+commit, the ratio to the smallest
table (the baseline), peak Python memory of one claim.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, text, update
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db import migrate
from bot.db.models import DueWork, DueWorkKind, DueWorkState, Workspace
from bot.db.session import SessionFactory, make_engine, make_session_factory
from bot.services import nudges

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SWEEP_LIMIT = 100  # what Sweeper.run_once claims per interval today
SWEEP_INTERVAL = 30  # seconds, the default SWEEP_INTERVAL_SECONDS


def fill(session_factory: SessionFactory, total: int, due: int) -> None:
    with session_factory.begin() as session:
        session.execute(delete(DueWork))
        session.execute(delete(Workspace))
        workspace = Workspace(slack_team_id="TBENCH", created_at=NOW)
        session.add(workspace)
        session.flush()
        rows = [
            {
                "workspace_id": workspace.id,
                "kind": DueWorkKind.HANDOFF_ACKNOWLEDGE,
                "dedupe_key": f"bench:{n}",
                "recipient_slack_id": "U0BENCH01",
                "due_at": NOW - timedelta(minutes=1 + n % 60)
                if n < due
                else NOW + timedelta(days=1 + n % 30),
                "state": DueWorkState.DUE,
                "attempts": 0,
                "created_at": NOW,
            }
            for n in range(total)
        ]
        for start in range(0, total, 5000):
            session.execute(insert(DueWork), rows[start : start + 5000])


def put_back(session_factory: SessionFactory) -> None:
    """Make claimed rows due again (untimed), so every repeat claims the same work."""
    with session_factory.begin() as session:
        session.execute(
            update(DueWork)
            .where(DueWork.state == DueWorkState.CLAIMED)
            .values(state=DueWorkState.DUE, claimed_by=None, claimed_at=None, attempts=0)
        )


def claim_and_commit(session_factory: SessionFactory, limit: int) -> tuple[float, int]:
    with session_factory() as session:
        started = time.perf_counter()
        won = nudges.claim(session=session, now=NOW, worker="bench", limit=limit)
        session.commit()
        return time.perf_counter() - started, len(won)


def measure(session_factory: SessionFactory, repeats: int) -> tuple[float, int, int]:
    timings, claimed = [], 0
    claim_and_commit(session_factory, SWEEP_LIMIT)  # warm-up: statement caches, pages
    put_back(session_factory)
    for _ in range(repeats):
        seconds, claimed = claim_and_commit(session_factory, SWEEP_LIMIT)
        timings.append(seconds)
        put_back(session_factory)
    tracemalloc.start()  # a separate claim: tracing would slow the timed ones
    claim_and_commit(session_factory, SWEEP_LIMIT)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    put_back(session_factory)
    return statistics.median(timings), claimed, peak


def drain(session_factory: SessionFactory) -> tuple[float, int, int]:
    """Claim batches of SWEEP_LIMIT back to back until nothing is due (no Slack sends)."""
    started, batches, claimed = time.perf_counter(), 0, 0
    while True:
        _, won = claim_and_commit(session_factory, SWEEP_LIMIT)
        if not won:
            return time.perf_counter() - started, batches, claimed
        batches, claimed = batches + 1, claimed + won


@contextmanager
def database(kind: str, tmp: str) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp}/sweep.db"
        return
    admin = make_engine(PG_ADMIN).execution_options(isolation_level="AUTOCOMMIT")
    name = f"dealcoach_sweep_{os.getpid()}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_ADMIN).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def run(kind: str, sizes: list[int], backlog: tuple[int, int], repeats: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, database(kind, tmp) as url:
        migrate.upgrade(url)
        engine = make_engine(url)
        session_factory = make_session_factory(engine)
        print(
            f"\n{engine.dialect.name}: claim of {SWEEP_LIMIT} due rows + COMMIT,"
            f" median of {repeats}"
        )
        print(
            f"{'rows':>8} {'due':>6} {'claimed':>8} {'claim+commit':>13} {'ratio':>7}"
            f" {'peak memory':>12}"
        )
        baseline = None
        for size, due in [*((s, SWEEP_LIMIT) for s in sizes), backlog]:
            fill(session_factory, size, due)
            median, claimed, peak = measure(session_factory, repeats)
            baseline = baseline or median
            print(
                f"{size:>8} {due:>6} {claimed:>8} {median * 1000:>10.1f} ms "
                f"{median / baseline:>6.2f}x {peak / 1024:>9.0f} KiB"
            )
        seconds, batches, claimed = drain(session_factory)
        print(
            f"backlog of {backlog[1]} due among {backlog[0]} rows: claimed {claimed} in {batches}"
            f" batches back to back in {seconds:.2f} s ({seconds / max(1, batches) * 1000:.1f} ms"
            f" a batch); at one batch per {SWEEP_INTERVAL} s interval, as the sweep runs now:"
            f" {math.ceil(backlog[1] / SWEEP_LIMIT) * SWEEP_INTERVAL / 60:.0f} min"
        )
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--backlog", default="100000,10000", help="rows,due")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    total, due = (int(n) for n in args.backlog.split(","))
    for kind in args.databases.split(","):
        run(kind, [int(s) for s in args.sizes.split(",")], (total, due), args.repeats)


if __name__ == "__main__":
    main()
