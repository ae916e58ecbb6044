"""Benchmark: how the sweep's claim scales with the size of the due_work table.

The claim should cost about the same whether the table holds 1,000 or 100,000 rows
that are not yet due, because it walks the (state, due_at) index.

    python bench/sweep.py                       # SQLite in a temporary file
    python bench/sweep.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

Prints one line per table size: rows, due rows claimed, median claim time, peak memory.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.db.base import Base
from bot.db.models import DueWork, DueWorkKind, DueWorkState, Workspace
from bot.db.session import make_engine, make_session_factory
from bot.services import nudges

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def fill(session_factory, total: int, due: int) -> None:  # type: ignore[no-untyped-def]
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
                "due_at": NOW - timedelta(minutes=1)
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


def measure(session_factory, due: int, repeats: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    timings = []
    claimed = 0
    for _ in range(repeats):
        with session_factory() as session:
            started = time.perf_counter()
            won = nudges.claim(session=session, now=NOW, worker="bench", limit=due)
            timings.append(time.perf_counter() - started)
            claimed = len(won)
            session.rollback()  # leave the rows due for the next repeat
    return statistics.median(timings), claimed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--due", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        session_factory = make_session_factory(engine)
        print(f"database: {engine.dialect.name}; claiming {args.due} due rows per sweep")
        print(f"{'rows':>8} {'claimed':>8} {'median claim':>13} {'peak memory':>12}")
        for size in (int(s) for s in args.sizes.split(",")):
            fill(session_factory, size, args.due)
            median, claimed = measure(session_factory, args.due, args.repeats)
            tracemalloc.start()  # a separate run: tracing would slow the timed one
            measure(session_factory, args.due, 1)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            print(f"{size:>8} {claimed:>8} {median * 1000:>10.1f} ms {peak / 1024:>9.0f} KiB")
        with session_factory.begin() as session:
            session.execute(delete(DueWork))
            session.execute(delete(Workspace))
        engine.dispose()


if __name__ == "__main__":
    main()
