"""Benchmark: reading N deals through each CRM adapter from its local stand-in.

    python bench/crm_sync.py             # 10,000 deals, sync into a fresh SQLite file
    python bench/crm_sync.py --deals 2000
    python bench/crm_sync.py --database-url postgresql+psycopg://postgres@127.0.0.1/test

For each vendor it prints deals/s for
- baseline: the same pages fetched with plain ``requests`` (JSON only, no vendor client),
- adapter: ``changed_since(None)`` through the vendor's client into ``CrmDeal`` objects,
- sync: the whole sync (``crm_sync.run``: the listing, owners mapped, one upsert
  transaction per page, the cursor) into an empty database,
and their ratios to the baseline, then the peak memory (tracemalloc) of each. The adapter's
and the sync's peak must stay about one page's worth: a sync that kept every deal would
grow with N.
Each stand-in runs in a child process, so the timings and the peak memory are the
client side's alone (the stand-in keeps every deal, as a CRM does).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.clock import SystemClock
from bot.config import DealCoachConfig, Team
from bot.crm.config import CrmConfig, CrmVendor
from bot.crm.hubspot import HubSpotCrm
from bot.crm.interface import Crm
from bot.crm.salesforce import SalesforceCrm
from bot.db import models  # noqa: F401 - registers the tables
from bot.db.base import Base
from bot.db.models import Workspace
from bot.db.session import make_engine, make_session_factory
from bot.deps import Deps
from bot.services import crm_sync
from bot.standin.hubspot import HubSpotStandIn
from bot.standin.salesforce import SalesforceStandIn

START = datetime.now(UTC).replace(microsecond=0) - timedelta(days=3)


def _serve(vendor: str, deals: int, pipe: Connection) -> None:
    """Child process: seed a stand-in, send back how to reach it, serve until told to stop."""
    standin: HubSpotStandIn | SalesforceStandIn
    if vendor == "hubspot":
        standin = HubSpotStandIn()
        owners = [standin.add_owner(f"owner{n}@example.com") for n in range(20)]
    else:
        standin = SalesforceStandIn()
        owners = [standin.add_user(f"owner{n}@example.com") for n in range(20)]
    standin.seed(deals, start=START, owner_ids=owners)
    with standin:
        if isinstance(standin, HubSpotStandIn):
            pipe.send({"url": standin.url, "token": standin.access_token})
        else:
            pipe.send(
                {
                    "url": standin.url,
                    "username": standin.username,
                    "password": standin.password,
                    "security_token": standin.security_token,
                    "session_id": standin.session_id,
                }
            )
        pipe.recv()


@contextmanager
def served(vendor: str, deals: int) -> Iterator[dict[str, str]]:
    """A seeded stand-in in a child process: its URL and credentials."""
    ours, theirs = multiprocessing.Pipe()
    child = multiprocessing.Process(target=_serve, args=(vendor, deals, theirs), daemon=True)
    child.start()
    try:
        yield ours.recv()
    finally:
        ours.send("stop")
        child.join(timeout=10)


def hubspot_baseline(standin: dict[str, str], page_size: int) -> int:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {standin['token']}"
    after: str | None = None
    count = 0
    while True:
        body = {
            "filterGroups": [],
            "sorts": [{"propertyName": "hs_lastmodifieddate", "direction": "ASCENDING"}],
            "properties": ["dealname", "dealstage", "amount", "closedate", "hubspot_owner_id"],
            "limit": page_size,
            "after": after,
        }
        page = session.post(f"{standin['url']}/crm/v3/objects/deals/search", json=body).json()
        count += len(page["results"])
        after = page.get("paging", {}).get("next", {}).get("after")
        if after is None:
            return count


def salesforce_baseline(standin: dict[str, str], page_size: int) -> int:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {standin['session_id']}"
    session.headers["Sforce-Query-Options"] = f"batchSize={page_size}"
    soql = (
        "SELECT Id, Name, StageName, Amount, CloseDate, OwnerId, Owner.Email, IsClosed, IsWon, "
        "SystemModstamp FROM Opportunity ORDER BY SystemModstamp, Id"
    )
    url = standin["url"]
    page = session.get(f"{url}/services/data/v59.0/query/", params={"q": soql}).json()
    count = len(page["records"])
    while not page["done"]:
        page = session.get(url + page["nextRecordsUrl"]).json()
        count += len(page["records"])
    return count


def measure(read: Callable[[], int]) -> tuple[int, float, int]:
    """(deals read, deals per second, peak bytes) — timed without tracemalloc, then traced."""
    began = time.perf_counter()
    count = read()
    rate = count / (time.perf_counter() - began)
    tracemalloc.start()
    read()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return count, rate, peak


def report(
    vendor: str,
    baseline: tuple[int, float, int],
    adapter: tuple[int, float, int],
    sync: tuple[int, float, int],
) -> None:
    assert baseline[0] == adapter[0] == sync[0], f"{vendor}: {baseline[0]}/{adapter[0]}/{sync[0]}"
    mb = 1024 * 1024
    print(
        f"{vendor:<10} deals={adapter[0]:>6}  baseline {baseline[1]:>7.0f}/s  "
        f"adapter {adapter[1]:>7.0f}/s (ratio {adapter[1] / baseline[1]:.2f})  "
        f"sync {sync[1]:>7.0f}/s (ratio {sync[1] / baseline[1]:.2f})  "
        f"peak MB baseline {baseline[2] / mb:.1f} adapter {adapter[2] / mb:.1f} "
        f"sync {sync[2] / mb:.1f} (ratio {sync[2] / max(baseline[2], 1):.2f})"
    )


class SyncRun:
    """One full sync into an empty database, each time it is called."""

    def __init__(self, crm: Crm, database_url: str | None) -> None:
        self.crm = crm
        self.database_url = database_url
        self.runs = 0

    def __call__(self) -> int:
        self.runs += 1
        with tempfile.TemporaryDirectory() as tmp:
            url = self.database_url or f"sqlite:///{tmp}/bench.db"
            engine = make_engine(url)
            Base.metadata.drop_all(engine)
            Base.metadata.create_all(engine)
            try:
                deps = Deps(
                    config=DealCoachConfig(
                        teams=[Team(name="Bench", reps=["U0REP0001"], ses=["U0SE00001"])],
                        crm=CrmConfig(vendor=self.crm.vendor),
                    ),
                    session_factory=make_session_factory(engine),
                    clock=SystemClock(),
                )
                with deps.transaction() as session:
                    workspace = Workspace(slack_team_id="T0BENCH01", created_at=datetime.now(UTC))
                    session.add(workspace)
                    session.flush()
                    workspace_id = workspace.id
                owners = {f"owner{n}@example.com": f"U0OWNER{n:02d}" for n in range(10)}
                if tracemalloc.is_tracing():
                    tracemalloc.reset_peak()  # the sync's own peak, not the schema set-up's
                summary = crm_sync.run(
                    deps,
                    self.crm,
                    workspace_id=workspace_id,
                    owners=owners.get,
                    notify=lambda _user, _text: None,
                    worker=f"bench{self.runs}",
                )
                return summary.created
            finally:
                engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=10_000)
    parser.add_argument("--page-size", type=int, default=200)
    parser.add_argument(
        "--database-url", help="sync into this (emptied!) database instead of a SQLite file"
    )
    args = parser.parse_args()
    hubspot_config = CrmConfig(vendor=CrmVendor.HUBSPOT, page_size=args.page_size)
    salesforce_config = CrmConfig(vendor=CrmVendor.SALESFORCE, page_size=args.page_size)

    with served("hubspot", args.deals) as hubspot:
        crm = HubSpotCrm(
            access_token=hubspot["token"], config=hubspot_config, api_url=hubspot["url"]
        )
        report(
            "hubspot",
            measure(lambda: hubspot_baseline(hubspot, args.page_size)),
            measure(lambda: sum(len(p.deals) for p in crm.changed_since(None))),
            measure(SyncRun(crm, args.database_url)),
        )

    with served("salesforce", args.deals) as salesforce:
        sf = SalesforceCrm(
            config=salesforce_config,
            username=salesforce["username"],
            password=salesforce["password"],
            security_token=salesforce["security_token"],
            api_url=salesforce["url"],
        )
        report(
            "salesforce",
            measure(lambda: salesforce_baseline(salesforce, args.page_size)),
            measure(lambda: sum(len(p.deals) for p in sf.changed_since(None))),
            measure(SyncRun(sf, args.database_url)),
        )


if __name__ == "__main__":
    main()
