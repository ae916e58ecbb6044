"""Benchmark: resolving a typed deal name and answering the typeahead, as a workspace grows.

Slack gives an options load 3 seconds. Both calls read every deal of the workspace (close
names need an edit distance against each), so their cost grows with the number of deals;
this shows by how much.

    python bench/deal_lookup.py                       # SQLite in a temporary file
    python bench/deal_lookup.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

Prints, per workspace size, the median time of ``deals.resolve`` (a typo) and of
``deals.options`` plus the options builder, and each as a ratio to the 100-deal baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.blocks import deals as deal_blocks
from bot.db.base import Base
from bot.db.models import Deal, Workspace
from bot.db.session import make_engine, make_session_factory
from bot.services import deals

SIZES = (100, 1_000, 5_000, 10_000)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
WORDS = ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Tyrell", "Hooli", "Soylent")


def median_seconds(run: Callable[[], object], repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = arguments.database_url or f"sqlite:///{folder}/bench.db"
        engine = make_engine(url)
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
        factory = make_session_factory(engine)
        baseline: tuple[float, float] | None = None
        print(f"{'deals':>6} {'resolve ms':>11} {'ratio':>6} {'options ms':>11} {'ratio':>6}")
        for size in SIZES:
            with factory.begin() as session:
                workspace = Workspace(slack_team_id=f"T{size}", created_at=NOW)
                session.add(workspace)
                session.flush()
                session.add_all(
                    Deal(
                        workspace_id=workspace.id,
                        name=f"{WORDS[number % len(WORDS)]} Region {number}",
                        name_key=f"{WORDS[number % len(WORDS)]} region {number}".casefold(),
                        created_at=NOW + timedelta(seconds=number),
                    )
                    for number in range(size)
                )
                team = workspace.id
            with factory() as session:
                workspace = session.get_one(Workspace, team)
                resolve = median_seconds(
                    lambda workspace=workspace: deals.resolve(
                        session=session, workspace=workspace, name="Acme Regoin 7"
                    )
                )
                options = median_seconds(
                    lambda workspace=workspace: deal_blocks.options_payload(
                        deals.options(session=session, workspace=workspace, typed="acme reg"),
                        "acme reg",
                    )
                )
            baseline = baseline or (resolve, options)
            print(
                f"{size:>6} {resolve * 1000:>11.1f} {resolve / baseline[0]:>6.1f} "
                f"{options * 1000:>11.1f} {options / baseline[1]:>6.1f}"
            )
        Base.metadata.drop_all(engine)
        engine.dispose()


if __name__ == "__main__":
    main()
