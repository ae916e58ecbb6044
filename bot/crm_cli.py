"""`dealcoach crm sync [--full]`: the CRM sync by hand, with a progress bar and a summary."""

from __future__ import annotations

import sys
from typing import TextIO

from tqdm import tqdm

from bot.app import clients_for
from bot.clock import Clock, SystemClock
from bot.config import DealCoachConfig
from bot.crm.factory import connect
from bot.db import migrate
from bot.db.session import make_session_factory
from bot.deps import Deps
from bot.scheduler.crm_jobs import CrmJobs
from bot.settings import Settings
from bot.startup import database_engine


def sync(
    settings: Settings,
    config: DealCoachConfig,
    *,
    full: bool,
    clock: Clock | None = None,
    out: TextIO = sys.stdout,
) -> int:
    """Sync every workspace now; 0 when every sync finished, 1 when one stopped or was
    rate limited, 2 when no CRM is configured."""
    crm = connect(settings, config.crm)
    if crm is None:
        print(
            "dealcoach: no CRM configured. Set `crm: hubspot` or `crm: salesforce` in "
            "dealcoach.yaml (and its credentials in the environment).",
            file=sys.stderr,
        )
        return 2
    settings.require_bot_credentials()
    engine = database_engine(
        settings.database_url, timeout_seconds=settings.database_connect_timeout_seconds
    )
    try:
        migrate.require_current(engine, settings.database_url)
        factory = make_session_factory(engine)
        deps = Deps(config=config, session_factory=factory, clock=clock or SystemClock())
        jobs = CrmJobs(deps, crm, clients_for(settings, factory))
        with tqdm(desc=f"{crm.vendor} deals", unit=" deals", file=sys.stderr) as bar:

            def advance(count: int) -> None:
                bar.update(count)

            summaries = jobs.sync_all(full=full, force=True, progress=advance)
    finally:
        engine.dispose()
    if not summaries:
        print("no installed workspace to sync deals into", file=out)
        return 1
    for team_id, summary in summaries.items():
        print(f"{team_id}: {summary.line()}", file=out)
    clean = all(s.claimed and not s.stopped and not s.rate_limited for s in summaries.values())
    return 0 if clean else 1
