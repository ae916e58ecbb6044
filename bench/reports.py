"""Benchmark: building a team's report as the team grows.

Beside it, in the same run, the baseline: reading each open deal's qualification
standing one deal at a time (``qualification.standing``, two queries per deal), which is
how a report would load coverage without the batched loader.

    python bench/reports.py                       # SQLite in a temporary file
    python bench/reports.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

Prints per size: median time of the batched coverage load, of the per-deal baseline and
their ratio; the whole report (every figure); the chart; peak memory of one report.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import DealCoachConfig, Team, load_checklists
from bot.db.base import Base
from bot.db.models import (
    Deal,
    Handoff,
    HandoffEvent,
    HandoffEventKind,
    HandoffState,
    Person,
    QualificationAnswer,
    Workspace,
)
from bot.db.session import make_engine, make_session_factory
from bot.reports import chart
from bot.services import qualification, reports

END = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)
TEAM = "TBENCHREPORTS"
REPS = [f"U0REP{n:04d}" for n in range(10)]
SES = [f"U0SE0{n:04d}" for n in range(5)]
ITEMS = ["qualified", "economic_buyer_met", "business_case", "deadlines"]


def make_config() -> DealCoachConfig:
    checklists, _ = load_checklists(Path(__file__).resolve().parents[1] / "config")
    team = Team(name="Bench", reps=REPS, ses=SES, se_managers=["U0MGR0001"])
    return DealCoachConfig(teams=[team]).with_checklists(checklists)


def forget(session) -> None:  # type: ignore[no-untyped-def]
    """Only the bench's own workspace and what hangs off it go."""
    ws = select(Workspace.id).where(Workspace.slack_team_id == TEAM).scalar_subquery()
    handoffs = select(Handoff.id).where(Handoff.workspace_id == ws)
    deals = select(Deal.id).where(Deal.workspace_id == ws)
    session.execute(delete(HandoffEvent).where(HandoffEvent.handoff_id.in_(handoffs)))
    session.execute(delete(Handoff).where(Handoff.workspace_id == ws))
    session.execute(delete(QualificationAnswer).where(QualificationAnswer.deal_id.in_(deals)))
    session.execute(delete(Deal).where(Deal.workspace_id == ws))
    session.execute(delete(Person).where(Person.workspace_id == ws))
    session.execute(delete(Workspace).where(Workspace.slack_team_id == TEAM))


def fill(session_factory, deals: int) -> Workspace:  # type: ignore[no-untyped-def]
    """``deals`` open deals (four answers each) and two handoffs per deal over eight weeks."""
    with session_factory.begin() as session:
        forget(session)
        workspace = Workspace(slack_team_id=TEAM, created_at=END)
        session.add(workspace)
        session.flush()
        people = [
            Person(workspace_id=workspace.id, slack_user_id=u, created_at=END, time_zone="UTC")
            for u in REPS + SES
        ]
        session.add_all(people)
        session.flush()
        reps, ses = people[: len(REPS)], people[len(REPS) :]
        session.execute(
            insert(Deal),
            [
                {
                    "workspace_id": workspace.id,
                    "name": f"Deal {n}",
                    "name_key": f"deal {n}",
                    "owner_id": reps[n % len(reps)].id,
                    "amount": 10_000 + n,
                    "created_at": END - timedelta(days=60),
                }
                for n in range(deals)
            ],
        )
        deal_ids = list(
            session.scalars(
                select(Deal.id).where(Deal.workspace_id == workspace.id).order_by(Deal.id)
            )
        )
        session.execute(
            insert(QualificationAnswer),
            [
                {
                    "deal_id": deal_id,
                    "framework": "default",
                    "item_key": item,
                    "answer": "yes" if (deal_id + i) % 3 else "unknown",
                    "answered_by_id": reps[0].id,
                    "answered_at": END - timedelta(days=3),
                }
                for deal_id in deal_ids
                for i, item in enumerate(ITEMS)
            ],
        )
        for n, deal_id in enumerate(deal_ids * 2):
            opened = END - timedelta(hours=7 * n % (56 * 24) + 1)
            handoff = Handoff(
                workspace_id=workspace.id,
                deal_id=deal_id,
                rep_id=reps[n % len(reps)].id,
                assignee_id=ses[n % len(ses)].id,
                state=HandoffState.ACCEPTED if n % 4 else HandoffState.OPEN,
                problem="bench",
                rep_hours=8,
                created_at=opened,
                updated_at=opened,
            )
            handoff.events.append(
                HandoffEvent(kind=HandoffEventKind.OPENED, at=opened, actor_id=reps[0].id)
            )
            if n % 4:
                handoff.events.append(
                    HandoffEvent(
                        kind=HandoffEventKind.ACCEPTED, at=opened + timedelta(hours=n % 30)
                    )
                )
            session.add(handoff)
        return workspace


def median_time(run: Callable[[], object], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        run()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def measure(factory, config: DealCoachConfig, size: int, repeats: int) -> str:  # type: ignore[no-untyped-def]
    team = config.teams[0]
    workspace_id = fill(factory, size).id
    with factory() as session:
        workspace = session.get_one(Workspace, workspace_id)
        owners = list(session.scalars(select(Person.id).where(Person.workspace_id == workspace_id)))

        def batched() -> object:
            return reports._deal_rows(session, workspace, owners, config, END)

        def per_deal() -> object:
            deals = session.scalars(select(Deal).where(Deal.owner_id.in_(owners)))
            return [
                qualification.standing(session=session, deal=d, config=config, asker=REPS[0])
                for d in deals
            ]

        def whole() -> reports.figures.Report:
            return reports.build(
                session=session, workspace=workspace, team=team, config=config, now=END, weeks=4
            )

        fast, slow = median_time(batched, repeats), median_time(per_deal, repeats)
        full = median_time(whole, repeats)
        trend = whole().trend
        drawing = median_time(lambda: chart.render(trend, team="Bench", sla_hours=4), repeats)
        tracemalloc.start()
        whole()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return (
        f"{size:>6} {fast * 1000:>7.1f} ms {slow * 1000:>7.1f} ms {slow / fast:>6.1f}x "
        f"{full * 1000:>7.1f} ms {drawing * 1000:>6.0f} ms {peak / 2**20:>8.1f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url")
    parser.add_argument("--sizes", default="50,200,1000")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    config = make_config()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        factory = make_session_factory(engine)
        print(f"database: {engine.dialect.name}; open deals, two handoffs per deal")
        print(
            f"{'deals':>6} {'coverage':>10} {'per-deal':>10} {'ratio':>7} "
            f"{'report':>10} {'chart':>9} {'peak memory':>12}"
        )
        for size in (int(s) for s in args.sizes.split(",")):
            print(measure(factory, config, size, args.repeats))
        with factory.begin() as session:  # leave a shared database as it was found
            forget(session)
        engine.dispose()


if __name__ == "__main__":
    main()
